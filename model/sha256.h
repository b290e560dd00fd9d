// SHA-256 (FIPS 180-4), for the content hash a case pins its definition by.
#ifndef MODEL_SHA256_H_
#define MODEL_SHA256_H_

#include <string>
#include <string_view>

namespace model {

// Lower-case hex digest of `data`, 64 characters.
std::string Sha256Hex(std::string_view data);

}  // namespace model

#endif  // MODEL_SHA256_H_
