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

}  // namespace model
