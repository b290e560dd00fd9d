#include "model/hkid.h"

#include <doctest/doctest.h>

namespace model {

TEST_CASE("a valid HKID is accepted and normalised") {
  CHECK(*NormalizeHkid("A123456(3)") == "A123456(3)");
  CHECK(*NormalizeHkid("a1234563") == "A123456(3)");
  CHECK(*NormalizeHkid(" A123456 (3) ") == "A123456(3)");
  // Two letters, and a check digit of A (value 10).
  CHECK(*NormalizeHkid("AB987654(3)") == "AB987654(3)");
  CHECK(*NormalizeHkid("G123456(A)") == "G123456(A)");
}

TEST_CASE("a wrong check digit is refused without echoing the number") {
  auto r = NormalizeHkid("A123456(4)");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kInvalidArgument);
  CHECK(r.status().message() ==
        "the Hong Kong identity card number is not valid: the check digit does not match; read "
        "the number from the card again");
  CHECK(r.status().message().find("123456") == std::string::npos);
}

TEST_CASE("malformed HKIDs say what shape is expected") {
  for (const char* bad : {"", "123456(3)", "ABC123456(3)", "A12345(3)", "A1234567(3)", "A12B456(3)"}) {
    auto r = NormalizeHkid(bad);
    CHECK_FALSE(r.ok());
  }
  CHECK(NormalizeHkid("A123456(B)").status().message().find("0-9 or A") != std::string::npos);
}

TEST_CASE("masking keeps the letters and three digits only") {
  CHECK(MaskHkid("A123456(3)") == "A123***(*)");
  CHECK(MaskHkid("AB987654(3)") == "AB987***(*)");
}

TEST_CASE("identity numbers are masked wherever they appear in a text") {
  CHECK(MaskHkidsIn("field 'port' cannot be 'A123456(3)'; use one of: ...") ==
        "field 'port' cannot be 'A123***(*)'; use one of: ...");
  CHECK(MaskHkidsIn("a1234563 and AB987654 (3), then z123456(a)") ==
        "a123**** and AB987*** (*), then z123***(*)");
  CHECK(MaskHkidsIn("G123456A ok") == "G123**** ok");
  // Every spelling NormalizeHkid takes: spaces inside, right after a digit.
  CHECK(MaskHkidsIn("A 123456(3)") == "A 123***(*)");
  CHECK(MaskHkidsIn("a123 456 3") == "a123 *** *");
  CHECK(MaskHkidsIn("1A123456(3)") == "1A123***(*)");
  CHECK(MaskHkidsIn("A123456 ( 3 )") == "A123*** ( * )");
  // Home Return Permit numbers too.
  CHECK(MaskHkidsIn("permit H12345678.") == "permit H1234****.");
  CHECK(MaskHkidsIn("M1234567890") == "M1234******");
  // Two run together are both masked, and masking twice changes nothing more.
  CHECK(MaskHkidsIn("H12345678H12345678") == "H1234****H1234****");
  CHECK(MaskHkidsIn(MaskHkidsIn("A1234563B1234563")) == MaskHkidsIn("A1234563B1234563"));
  CHECK(MaskHkidsIn("A123456[3]") == "A123***[*]");
  // Full-width, as a Chinese input method types it: masked alike, Chinese around it kept.
  CHECK(MaskHkidsIn("身份證Ａ１２３４５６（３）") == "身份證Ａ１２３***（*）");
  CHECK(MaskHkidsIn("A123456（3）") == "A123***（*）");
  CHECK(MaskHkidsIn("Ｙ２５０４１９５.csv") == "Ｙ２５０****.csv");
  CHECK(MaskHkidsIn("回鄉證 Ｈ１２３４５６７８") == "回鄉證 Ｈ１２３４****");
  // A byte out of place (not UTF-8) hides nothing after it, and is kept as it was.
  CHECK(MaskHkidsIn("\xC2" "A123456(7)") == "\xC2" "A123***(*)");
  CHECK(MaskHkidsIn("\xEF\xBC" "A123456(7)\xE4") == "\xEF\xBC" "A123***(*)\xE4");
  // What NormalizeHkid would read as one is masked, even after a word.
  CHECK(MaskHkidsIn("no message 1234567") == "no message 123****");
  // Case numbers, times and phone numbers are left alone.
  for (const char* keep : {"SZ-2026-0007", "2026-03-02 09:00", "+852 5550 7788",
                           "task 3 of SZ-2026-0001", "SZ-2026-0007/H1"}) {
    CHECK(MaskHkidsIn(keep) == keep);
  }
}

}  // namespace model
