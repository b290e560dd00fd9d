// Hashing and secrets, all from OpenSSL's libcrypto: the one implementation,
// the maintained one.
#ifndef MODEL_CRYPTO_H_
#define MODEL_CRYPTO_H_

#include <optional>
#include <string>
#include <string_view>

#include "model/status.h"

namespace model {

// SHA-256 of `data`: its 32 bytes.
std::string Sha256(std::string_view data);

// Lower-case hex SHA-256 of `data`, 64 characters: the content hash a case
// pins its definition by, a command's fingerprint, a bearer token's digest.
std::string Sha256Hex(std::string_view data);

// `bytes` as lower-case hex, two characters a byte.
std::string HexOf(std::string_view bytes);
// Lower-case hex back into bytes; nullopt when it is not that.
std::optional<std::string> BytesOfHex(std::string_view hex);

// `bytes` random bytes from the operating system's generator.
std::string RandomBytes(size_t bytes);
// The same as lower-case hex (a session id, a bearer token).
std::string RandomHex(size_t bytes);

// A slow, salted hash of a password to store: "scrypt$N$r$p$SALT$HASH" (hex).
// Unavailable when the machine cannot give the memory scrypt needs.
Result<std::string> HashPassword(std::string_view password);

// Whether `password` is the one `stored` (made by HashPassword) was made
// from. Compares in constant time. False for a malformed `stored`.
bool VerifyPassword(std::string_view password, std::string_view stored);

}  // namespace model

#endif  // MODEL_CRYPTO_H_
