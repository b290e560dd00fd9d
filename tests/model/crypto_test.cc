#include "model/crypto.h"

#include <doctest/doctest.h>

namespace model {

TEST_CASE("SHA-256 matches the FIPS 180-4 test vectors") {
  CHECK(Sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(Sha256Hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("a password is stored as a salted scrypt hash that only the password matches") {
  auto stored = HashPassword("harbour-lantern-42");
  REQUIRE(stored.ok());
  CHECK(stored->rfind("scrypt$32768$8$1$", 0) == 0);
  CHECK(stored->find("harbour") == std::string::npos);
  CHECK(VerifyPassword("harbour-lantern-42", *stored));
  CHECK_FALSE(VerifyPassword("harbour-lantern-43", *stored));
  CHECK_FALSE(VerifyPassword("", *stored));
  // The same password twice: two salts, two hashes.
  CHECK(*HashPassword("harbour-lantern-42") != *stored);
  // Anything else stored is no match, and no crash.
  for (const char* bad : {"", "scrypt$", "scrypt$x$8$1$00$00", "scrypt$16$8$1$zz$00",
                          "bcrypt$16$8$1$00$00", "scrypt$16$8$1$00$"}) {
    CHECK_FALSE(VerifyPassword("x", bad));
  }
}

TEST_CASE("random secrets are as long as asked and differ") {
  const std::string a = RandomHex(32), b = RandomHex(32);
  CHECK(a.size() == 64);
  CHECK(a != b);
  CHECK(a.find_first_not_of("0123456789abcdef") == std::string::npos);
}

}  // namespace model
