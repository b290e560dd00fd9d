#include "model/person_validation.h"

#include <doctest/doctest.h>

namespace model {

namespace {

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
  REQUIRE(NormalizePerson(p).ok());
  CHECK(p.hkid() == "A123456(3)");
  CHECK(p.home_return_permit() == "H12345678");
}

TEST_CASE("each bad part of a person is named") {
  Person p = Valid();
  p.clear_name_zh();
  CHECK(NormalizePerson(p).message().find("needs a name") != std::string::npos);

  p = Valid();
  p.set_hkid("A123456(4)");
  CHECK(NormalizePerson(p).message().find("check digit") != std::string::npos);

  p = Valid();
  p.set_home_return_permit("X1234");
  CHECK(NormalizePerson(p).message().find("Home Return Permit") != std::string::npos);

  p = Valid();
  p.set_date_of_birth("1958-02-30");
  CHECK(NormalizePerson(p).message().find("date of birth") != std::string::npos);

  p = Valid();
  p.set_phone("call me");
  CHECK(NormalizePerson(p).message().find("phone") != std::string::npos);

  p = Valid();
  p.mutable_next_of_kin()->set_phone("123");
  CHECK(NormalizePerson(p).message().find("next of kin's phone") != std::string::npos);
}

TEST_CASE("the masked person carries the minimum") {
  Person p = Valid();
  REQUIRE(NormalizePerson(p).ok());
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
