// A small JSON writer for the bench's results: objects keep the order their
// fields were added in, so the file reads in the order things were measured.
#ifndef TESTS_BENCH_JSON_WRITER_H_
#define TESTS_BENCH_JSON_WRITER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "stats.h"

namespace bench {

class Json {
 public:
  static Json Object();
  static Json Array();
  Json(double v);
  Json(int64_t v);
  Json(int v) : Json(static_cast<int64_t>(v)) {}
  Json(size_t v) : Json(static_cast<int64_t>(v)) {}
  Json(bool v);
  Json(const char* v) : Json(std::string(v)) {}
  Json(std::string v);
  Json(const Summary& s);  // {"count", "p50", "p90", "p99", "max", "mean"}

  // Objects: sets `key` (replacing an earlier value), returns the value set.
  Json& Set(const std::string& key, Json value);
  // The value of `key`, made an empty object when missing.
  Json& At(const std::string& key);
  // Arrays.
  void Push(Json value);

  std::string Text(int indent = 0) const;

 private:
  enum class Kind { kNull, kNumber, kBool, kString, kObject, kArray };
  Json() = default;
  Kind kind_ = Kind::kNull;
  std::string scalar_;  // the number or bool as written, or the string's text
  std::vector<std::pair<std::string, Json>> fields_;
  std::vector<Json> items_;
};

}  // namespace bench

#endif  // TESTS_BENCH_JSON_WRITER_H_
