#include "model/person_validation.h"

#include <doctest/doctest.h>

namespace model {

namespace {

// 2026-03-02 09:00 in Hong Kong.
const Instant kNow = *ParseTimestamp("2026-03-02T09:00:00+08:00");

Person Valid() {
  Person p;
  p.set_name_zh("陳美玲");
  p.set_hkid("a1234563");
  p.set_home_return_permit("h12345678");
  p.set_date_of_birth("1958-04-12");
  p.set_phone("+86 138 0000 0000");
  p.mutable_next_of_kin()->set_phone("(852) 5555 0000");
  return p;
}

}  // namespace

TEST_CASE("a valid person is normalised") {
  Person p = Valid();
  REQUIRE(NormalizePerson(p, kNow).ok());
  CHECK(p.hkid() == "A123456(3)");
  CHECK(p.home_return_permit() == "H12345678");
}

TEST_CASE("each bad part of a person is named") {
  Person p = Valid();
  p.clear_name_zh();
  CHECK(NormalizePerson(p, kNow).message().find("needs a name") != std::string::npos);

  p = Valid();
  p.set_hkid("A123456(4)");
  CHECK(NormalizePerson(p, kNow).message().find("check digit") != std::string::npos);

  p = Valid();
  p.set_home_return_permit("X1234");
  CHECK(NormalizePerson(p, kNow).message().find("Home Return Permit") != std::string::npos);

  p = Valid();
  p.set_date_of_birth("1958-02-30");
  CHECK(NormalizePerson(p, kNow).message().find("date of birth") != std::string::npos);

  p = Valid();
  p.set_phone("call me");
  CHECK(NormalizePerson(p, kNow).message().find("phone") != std::string::npos);

  p = Valid();
  p.mutable_next_of_kin()->set_phone("123");
  CHECK(NormalizePerson(p, kNow).message().find("next of kin's phone") != std::string::npos);
}

TEST_CASE("a name of nothing but spaces, ideographic ones included, is no name") {
  Person p = Valid();
  p.set_name_zh("\xE3\x80\x80\xE3\x80\x80 ");
  p.set_name_en("\xC2\xA0");
  CHECK(NormalizePerson(p, kNow).field() == "name_zh");
  p.set_name_zh("\xE3\x80\x80陳美玲\xE3\x80\x80");
  REQUIRE(NormalizePerson(p, kNow).ok());
  CHECK(p.name_zh() == "陳美玲");
}

TEST_CASE("each error names the field it is about") {
  struct Row {
    void (*spoil)(Person&);
    const char* field;
  };
  const Row rows[] = {
      {[](Person& p) { p.clear_name_zh(); }, "name_zh"},
      {[](Person& p) { p.set_hkid("A123456(4)"); }, "hkid"},
      {[](Person& p) { p.set_home_return_permit("X1234"); }, "home_return_permit"},
      {[](Person& p) { p.set_date_of_birth("1958-02-30"); }, "date_of_birth"},
      {[](Person& p) { p.set_phone("call me"); }, "phone"},
      {[](Person& p) { p.mutable_next_of_kin()->set_phone("123"); }, "next_of_kin.phone"},
  };
  for (const Row& row : rows) {
    Person p = Valid();
    row.spoil(p);
    const Status s = NormalizePerson(p, kNow);
    CHECK(s.code() == Code::kInvalidArgument);
    CHECK(s.field() == row.field);
  }
}

TEST_CASE("a date of birth after today is refused, and today is accepted") {
  Person p = Valid();
  p.set_date_of_birth("2999-01-01");
  CHECK(NormalizePerson(p, kNow).message() ==
        "the date of birth is in the future; check the year");
  p.set_date_of_birth("2026-03-03");
  CHECK_FALSE(NormalizePerson(p, kNow).ok());
  p.set_date_of_birth("2026-03-02");
  CHECK(NormalizePerson(p, kNow).ok());
}

TEST_CASE("what was typed into the wrong field is never repeated in the error") {
  // An identity number typed where a date or a phone number belongs.
  for (auto spoil : {+[](Person& p) { p.set_date_of_birth("A123456(3)"); },
                     +[](Person& p) { p.set_phone("A123456(3)"); },
                     +[](Person& p) { p.mutable_next_of_kin()->set_phone("A1234563"); }}) {
    Person p = Valid();
    spoil(p);
    const Status s = NormalizePerson(p, kNow);
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("123456") == std::string::npos);
  }
}

TEST_CASE("the masked person carries the minimum") {
  Person p = Valid();
  REQUIRE(NormalizePerson(p, kNow).ok());
  p.set_current_location("Ward 5, Longgang rehabilitation hospital");
  const Person m = MaskedPerson(p);
  CHECK(m.name_zh() == "陳美玲");
  CHECK(m.hkid() == "A123***(*)");
  CHECK(m.home_return_permit() == "H1234****");
  CHECK(m.date_of_birth() == "1958");
  CHECK(m.phone().empty());
  CHECK(m.current_location().empty());
  CHECK_FALSE(m.has_next_of_kin());
}

}  // namespace model
