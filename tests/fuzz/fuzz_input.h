// Reading a fuzzer's bytes as choices: numbers in a range, short strings,
// picks from a list. Runs out gracefully: past the end everything is zero.
#ifndef TESTS_FUZZ_FUZZ_INPUT_H_
#define TESTS_FUZZ_FUZZ_INPUT_H_

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>
#include <vector>

#include <google/protobuf/stubs/logging.h>
#include <spdlog/spdlog.h>

#include "model/workflow_catalog.h"

namespace fuzz {

// Protobuf complains on stderr of every string that is not UTF-8; the targets
// feed it such strings on purpose.
inline const bool kQuietProtobuf = [] {
  google::protobuf::SetLogHandler(nullptr);
  return true;
}();

class Input {
 public:
  Input(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  bool empty() const { return pos_ >= size_; }

  uint8_t Byte() { return pos_ < size_ ? data_[pos_++] : 0; }

  // A number in [lo, hi].
  int64_t Int(int64_t lo, int64_t hi) {
    const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
    uint64_t v = 0;
    for (uint64_t seen = 1; seen < span && seen != 0; seen <<= 8) v = (v << 8) | Byte();
    return lo + static_cast<int64_t>(span == 0 ? v : v % span);
  }

  bool Bool() { return Byte() & 1; }

  // Up to `max` raw bytes, length first.
  std::string Bytes(size_t max) {
    const size_t n = static_cast<size_t>(Int(0, static_cast<int64_t>(max)));
    std::string out;
    for (size_t i = 0; i < n && !empty(); ++i) out += static_cast<char>(Byte());
    return out;
  }

  template <typename T>
  const T& Pick(const std::vector<T>& from) {
    return from[static_cast<size_t>(Int(0, static_cast<int64_t>(from.size()) - 1))];
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

// Stops the run with a message when an invariant does not hold: libFuzzer
// records the input that did it.
#define FUZZ_ASSERT(cond, what)                                              \
  do {                                                                       \
    if (!(cond)) {                                                           \
      std::fprintf(stderr, "invariant failed: %s (%s:%d): %s\n", #cond,      \
                   __FILE__, __LINE__, std::string(what).c_str());           \
      std::abort();                                                          \
    }                                                                        \
  } while (false)

// The shipped case types, loaded once; logs off, as the targets make the
// engine refuse things on purpose.
inline model::WorkflowCatalog& ShippedCatalog() {
  static auto* catalog = [] {
    spdlog::set_level(spdlog::level::off);
    auto c = model::WorkflowCatalog::LoadDirectory(DISPATCH_WORKFLOW_DIR);
    FUZZ_ASSERT(c.ok(), c.status().ToString());
    return new model::WorkflowCatalog(std::move(c).value());
  }();
  return *catalog;
}

}  // namespace fuzz

#endif  // TESTS_FUZZ_FUZZ_INPUT_H_
