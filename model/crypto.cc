#include "model/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <optional>
#include <vector>

namespace model {
namespace {

// scrypt's cost: 2^15 blocks of 128 * r bytes (32 MiB), about 0.1 s here.
constexpr uint64_t kScryptN = 1 << 15;
constexpr uint64_t kScryptR = 8;
constexpr uint64_t kScryptP = 1;
constexpr uint64_t kScryptMaxMem = 64ull << 20;
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;

std::string Hex(const unsigned char* data, size_t n) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 0xF];
  }
  return out;
}

bool Unhex(std::string_view hex, std::vector<unsigned char>& out) {
  if (hex.size() % 2 != 0) return false;
  auto value = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  out.clear();
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = value(hex[i]), lo = value(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<unsigned char>(hi * 16 + lo));
  }
  return true;
}

bool Scrypt(std::string_view password, const std::vector<unsigned char>& salt, uint64_t n,
            uint64_t r, uint64_t p, unsigned char* out, size_t out_len) {
  return EVP_PBE_scrypt(password.data(), password.size(), salt.data(), salt.size(), n, r, p,
                        kScryptMaxMem, out, out_len) == 1;
}

}  // namespace

std::string Sha256(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(digest), len);
}

std::string Sha256Hex(std::string_view data) { return HexOf(Sha256(data)); }

std::string HexOf(std::string_view bytes) {
  return Hex(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

std::optional<std::string> BytesOfHex(std::string_view hex) {
  std::vector<unsigned char> bytes;
  if (!Unhex(hex, bytes)) return std::nullopt;
  return std::string(bytes.begin(), bytes.end());
}

std::string RandomBytes(size_t bytes) {
  std::string buf(bytes, '\0');
  // RAND_bytes fails only when the system has no entropy source at all;
  // nothing secret may then be made, so the process stops.
  if (RAND_bytes(reinterpret_cast<unsigned char*>(buf.data()), static_cast<int>(buf.size())) != 1) {
    std::abort();
  }
  return buf;
}

std::string RandomHex(size_t bytes) { return HexOf(RandomBytes(bytes)); }

Result<std::string> HashPassword(std::string_view password) {
  std::vector<unsigned char> salt(kSaltBytes);
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
    return Status::Unavailable("no random numbers for a password's salt");
  }
  unsigned char hash[kHashBytes];
  if (!Scrypt(password, salt, kScryptN, kScryptR, kScryptP, hash, sizeof hash)) {
    return Status::Unavailable("cannot hash the password (scrypt needs 32 MiB of memory)");
  }
  return "scrypt$" + std::to_string(kScryptN) + "$" + std::to_string(kScryptR) + "$" +
         std::to_string(kScryptP) + "$" + Hex(salt.data(), salt.size()) + "$" +
         Hex(hash, sizeof hash);
}

bool VerifyPassword(std::string_view password, std::string_view stored) {
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    const size_t end = stored.find('$', start);
    parts.push_back(stored.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  if (parts.size() != 6 || parts[0] != "scrypt") return false;
  uint64_t n = 0, r = 0, p = 0;
  try {
    n = std::stoull(std::string(parts[1]));
    r = std::stoull(std::string(parts[2]));
    p = std::stoull(std::string(parts[3]));
  } catch (const std::exception&) {
    return false;
  }
  std::vector<unsigned char> salt, want;
  if (!Unhex(parts[4], salt) || !Unhex(parts[5], want) || want.empty() || want.size() > 64) {
    return false;
  }
  std::vector<unsigned char> got(want.size());
  if (!Scrypt(password, salt, n, r, p, got.data(), got.size())) return false;
  return CRYPTO_memcmp(got.data(), want.data(), want.size()) == 0;
}

}  // namespace model
