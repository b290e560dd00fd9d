#include "json_writer.h"

#include <cmath>
#include <cstdio>

namespace bench {

namespace {

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

}  // namespace

Json Json::Object() {
  Json j;
  j.kind_ = Kind::kObject;
  return j;
}

Json Json::Array() {
  Json j;
  j.kind_ = Kind::kArray;
  return j;
}

Json::Json(double v) {
  if (!std::isfinite(v)) return;  // null
  kind_ = Kind::kNumber;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  scalar_ = buf;
}

Json::Json(int64_t v) : kind_(Kind::kNumber), scalar_(std::to_string(v)) {}
Json::Json(bool v) : kind_(Kind::kBool), scalar_(v ? "true" : "false") {}
Json::Json(std::string v) : kind_(Kind::kString), scalar_(std::move(v)) {}

Json::Json(const Summary& s) : kind_(Kind::kObject) {
  Set("count", s.count);
  Set("p50", s.p50);
  Set("p90", s.p90);
  Set("p99", s.p99);
  Set("max", s.max);
  Set("mean", s.mean);
}

Json& Json::Set(const std::string& key, Json value) {
  kind_ = Kind::kObject;
  for (auto& [k, v] : fields_) {
    if (k == key) return v = std::move(value);
  }
  fields_.emplace_back(key, std::move(value));
  return fields_.back().second;
}

Json& Json::At(const std::string& key) {
  for (auto& [k, v] : fields_) {
    if (k == key) return v;
  }
  return Set(key, Object());
}

void Json::Push(Json value) {
  kind_ = Kind::kArray;
  items_.push_back(std::move(value));
}

std::string Json::Text(int indent) const {
  const std::string pad(indent + 2, ' ');
  const std::string close(indent, ' ');
  switch (kind_) {
    case Kind::kNull: return "null";
    case Kind::kNumber:
    case Kind::kBool: return scalar_;
    case Kind::kString: return Quote(scalar_);
    case Kind::kObject: {
      if (fields_.empty()) return "{}";
      std::string out = "{\n";
      for (size_t i = 0; i < fields_.size(); ++i) {
        out += pad + Quote(fields_[i].first) + ": " + fields_[i].second.Text(indent + 2);
        out += i + 1 < fields_.size() ? ",\n" : "\n";
      }
      return out + close + "}";
    }
    case Kind::kArray: {
      if (items_.empty()) return "[]";
      std::string out = "[\n";
      for (size_t i = 0; i < items_.size(); ++i) {
        out += pad + items_[i].Text(indent + 2);
        out += i + 1 < items_.size() ? ",\n" : "\n";
      }
      return out + close + "]";
    }
  }
  return "null";
}

}  // namespace bench
