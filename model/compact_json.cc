#include "model/compact_json.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/timestamp.pb.h>

#include "model/text_check.h"

namespace model {

namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// The range of google.protobuf.Timestamp: 0001-01-01 to 9999-12-31.
constexpr int64_t kMinSeconds = -62135596800;
constexpr int64_t kMaxSeconds = 253402300799;

// Code points the library writes as \u escapes although JSON does not need
// it (format characters, line and paragraph separators, the byte-order
// mark): written the same here, so that the two print the same bytes.
bool EscapedAnyway(uint32_t cp) {
  return cp == 0x00AD || (cp >= 0x0600 && cp <= 0x0603) || cp == 0x06DD || cp == 0x070F ||
         cp == 0x17B4 || cp == 0x17B5 || (cp >= 0x200B && cp <= 0x200F) ||
         (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) ||
         (cp >= 0x206A && cp <= 0x206F) || cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) ||
         cp == 0xE0001 || (cp >= 0xE0020 && cp <= 0xE007F);
}

void AppendEscape(std::string& out, uint32_t unit) {
  char esc[16];
  std::snprintf(esc, sizeof esc, "\\u%04x", unit);
  out += esc;
}

// REQUIRES: `s` is valid UTF-8.
void AppendString(std::string& out, const std::string& s) {
  out += '"';
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) {
      // One whole UTF-8 sequence.
      const size_t len = u >= 0xF0 ? 4 : u >= 0xE0 ? 3 : 2;
      uint32_t cp = u & (len == 4 ? 0x07 : len == 3 ? 0x0F : 0x1F);
      for (size_t k = 1; k < len && i + k < s.size(); ++k) {
        cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
      }
      if (!EscapedAnyway(cp)) {
        out.append(s, i, len);
      } else if (cp >= 0x10000) {
        AppendEscape(out, 0xD800 + ((cp - 0x10000) >> 10));
        AppendEscape(out, 0xDC00 + ((cp - 0x10000) & 0x3FF));
      } else {
        AppendEscape(out, cp);
      }
      i += len - 1;
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '<': out += "\\u003c"; break;  // as the library: safe inside HTML
      case '>': out += "\\u003e"; break;
      default:
        if (u < 0x20 || u == 0x7f) {
          AppendEscape(out, u);
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

class Writer {
 public:
  // False when `m` holds something it does not write.
  bool Message(const google::protobuf::Message& m) {
    const Descriptor* d = m.GetDescriptor();
    if (d->full_name() == "google.protobuf.Timestamp") return Timestamp(m);
    if (d->file()->name().rfind("google/protobuf/", 0) == 0) return false;
    const Reflection* r = m.GetReflection();
    std::vector<const FieldDescriptor*> fields;
    r->ListFields(m, &fields);  // set fields, in number order
    out_ += '{';
    bool first = true;
    for (const FieldDescriptor* f : fields) {
      if (f->is_extension()) return false;
      if (!first) out_ += ',';
      first = false;
      AppendString(out_, f->name());
      out_ += ':';
      if (f->is_map()) {
        if (!Map(m, f)) return false;
      } else if (f->is_repeated()) {
        out_ += '[';
        const int n = r->FieldSize(m, f);
        for (int i = 0; i < n; ++i) {
          if (i > 0) out_ += ',';
          if (!Value(m, f, i)) return false;
        }
        out_ += ']';
      } else if (!Value(m, f, -1)) {
        return false;
      }
    }
    out_ += '}';
    return true;
  }

  std::string Take() { return std::move(out_); }

 private:
  // Field `f` of `m` (element `i` when repeated, else -1).
  bool Value(const google::protobuf::Message& m, const FieldDescriptor* f, int i) {
    const Reflection* r = m.GetReflection();
    const bool rep = i >= 0;
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        out_ += std::to_string(rep ? r->GetRepeatedInt32(m, f, i) : r->GetInt32(m, f));
        return true;
      case FieldDescriptor::CPPTYPE_UINT32:
        out_ += std::to_string(rep ? r->GetRepeatedUInt32(m, f, i) : r->GetUInt32(m, f));
        return true;
      case FieldDescriptor::CPPTYPE_INT64:
        out_ += '"' + std::to_string(rep ? r->GetRepeatedInt64(m, f, i) : r->GetInt64(m, f)) + '"';
        return true;
      case FieldDescriptor::CPPTYPE_UINT64:
        out_ += '"' + std::to_string(rep ? r->GetRepeatedUInt64(m, f, i) : r->GetUInt64(m, f)) + '"';
        return true;
      case FieldDescriptor::CPPTYPE_BOOL:
        out_ += (rep ? r->GetRepeatedBool(m, f, i) : r->GetBool(m, f)) ? "true" : "false";
        return true;
      case FieldDescriptor::CPPTYPE_ENUM: {
        const int number = rep ? r->GetRepeatedEnumValue(m, f, i) : r->GetEnumValue(m, f);
        const auto* value = f->enum_type()->FindValueByNumber(number);
        if (value != nullptr) {
          AppendString(out_, value->name());
        } else {
          out_ += std::to_string(number);
        }
        return true;
      }
      case FieldDescriptor::CPPTYPE_STRING: {
        if (f->type() == FieldDescriptor::TYPE_BYTES) return false;
        std::string scratch;
        const std::string& s = rep ? r->GetRepeatedStringReference(m, f, i, &scratch)
                                   : r->GetStringReference(m, f, &scratch);
        if (!IsValidUtf8(s)) return false;
        AppendString(out_, s);
        return true;
      }
      case FieldDescriptor::CPPTYPE_MESSAGE:
        return Message(rep ? r->GetRepeatedMessage(m, f, i) : r->GetMessage(m, f));
      case FieldDescriptor::CPPTYPE_FLOAT:
      case FieldDescriptor::CPPTYPE_DOUBLE:
        return false;  // the library's shortest round-trip form
    }
    return false;
  }

  // A map as a JSON object, its keys in order.
  bool Map(const google::protobuf::Message& m, const FieldDescriptor* f) {
    const Reflection* r = m.GetReflection();
    const FieldDescriptor* key = f->message_type()->map_key();
    const FieldDescriptor* value = f->message_type()->map_value();
    if (key->cpp_type() != FieldDescriptor::CPPTYPE_STRING) return false;
    const int n = r->FieldSize(m, f);
    std::vector<std::pair<std::string, const google::protobuf::Message*>> entries;
    entries.reserve(n);
    for (int i = 0; i < n; ++i) {
      const google::protobuf::Message& entry = r->GetRepeatedMessage(m, f, i);
      entries.emplace_back(entry.GetReflection()->GetString(entry, key), &entry);
    }
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    out_ += '{';
    for (size_t i = 0; i < entries.size(); ++i) {
      if (i > 0) out_ += ',';
      if (!IsValidUtf8(entries[i].first)) return false;
      AppendString(out_, entries[i].first);
      out_ += ':';
      if (!Value(*entries[i].second, value, -1)) return false;
    }
    out_ += '}';
    return true;
  }

  // "2026-03-02T01:00:00Z", with 3, 6 or 9 digits of fraction when there is one.
  bool Timestamp(const google::protobuf::Message& m) {
    google::protobuf::Timestamp ts;
    if (const auto* generated = dynamic_cast<const google::protobuf::Timestamp*>(&m)) {
      ts = *generated;
    } else {
      ts.CopyFrom(m);
    }
    if (ts.seconds() < kMinSeconds || ts.seconds() > kMaxSeconds || ts.nanos() < 0 ||
        ts.nanos() > 999999999) {
      return false;
    }
    const std::time_t t = static_cast<std::time_t>(ts.seconds());
    std::tm tm{};
    if (gmtime_r(&t, &tm) == nullptr) return false;
    char buf[40];
    std::snprintf(buf, sizeof buf, "\"%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    out_ += buf;
    const int nanos = ts.nanos();
    if (nanos != 0) {
      if (nanos % 1000000 == 0) {
        std::snprintf(buf, sizeof buf, ".%03d", nanos / 1000000);
      } else if (nanos % 1000 == 0) {
        std::snprintf(buf, sizeof buf, ".%06d", nanos / 1000);
      } else {
        std::snprintf(buf, sizeof buf, ".%09d", nanos);
      }
      out_ += buf;
    }
    out_ += "Z\"";
    return true;
  }

  std::string out_;
};

}  // namespace

std::optional<std::string> CompactJson(const google::protobuf::Message& m) {
  Writer w;
  if (!w.Message(m)) return std::nullopt;
  return w.Take();
}

}  // namespace model
