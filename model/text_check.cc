#include "model/text_check.h"

#include <cstdio>
#include <optional>
#include <vector>

#include "model/proto/options.pb.h"

namespace model {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

struct CodePoint {
  char32_t value;
  size_t length;
};

// The code point starting at text[pos], or nullopt when the bytes there are
// not well-formed UTF-8 (RFC 3629, table 3-7 of the Unicode standard).
std::optional<CodePoint> Decode(std::string_view text, size_t pos) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[pos + i]); };
  const unsigned char b0 = byte(0);
  if (b0 < 0x80) return CodePoint{b0, 1};
  size_t length;
  unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  char32_t value;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
    value = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    value = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;  // no overlong forms
    if (b0 == 0xED) hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    value = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;  // no overlong forms
    if (b0 == 0xF4) hi = 0x8F;  // nothing past U+10FFFF
  } else {
    return std::nullopt;
  }
  if (pos + length > text.size()) return std::nullopt;
  for (size_t i = 1; i < length; ++i) {
    const unsigned char b = byte(i);
    if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xBF)) return std::nullopt;
    value = (value << 6) | (b & 0x3F);
  }
  return CodePoint{value, length};
}

std::string CodeName(char32_t c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
  return buf;
}

bool IsLineBreakOrTab(char32_t c) { return c == '\n' || c == '\r' || c == '\t'; }
// C0 and C1 controls, and the marks that reorder how text is shown (a name
// could be made to read backwards on another officer's screen).
bool IsControl(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}

Status Problem(const std::string& path, const std::string& what, const std::string& what_zh) {
  return Status::InvalidArgument(path + " " + what, "欄位 " + path + " " + what_zh).WithField(path);
}

Status CheckOne(std::string_view text, const std::string& path, const FieldDescriptor& f,
                bool limits) {
  if (!IsValidUtf8(text)) {
    return Problem(path,
                   "is not valid UTF-8 text; set the terminal or browser to UTF-8 (not Big5 or "
                   "GBK) and type it again",
                   "的文字不是有效的 UTF-8；請把瀏覽器或終端機的編碼設定為 UTF-8（不是 Big5 或 "
                   "GBK），然後再輸入一次");
  }
  if (!limits) return Status::Ok();
  const bool multiline = f.options().GetExtension(model::multiline);
  const int declared = f.options().GetExtension(model::max_chars);
  const size_t max_chars = declared > 0 ? declared : kDefaultMaxChars;
  size_t chars = 0;
  for (size_t pos = 0; pos < text.size();) {
    const CodePoint cp = *Decode(text, pos);
    // A carriage return alone moves back over what was shown; one before a
    // line feed is a line break.
    const bool lone_cr = cp.value == '\r' && (pos + 1 >= text.size() || text[pos + 1] != '\n');
    if (lone_cr || (IsControl(cp.value) && !(multiline && IsLineBreakOrTab(cp.value)))) {
      return IsLineBreakOrTab(cp.value) && !(lone_cr && multiline)
                 ? Problem(path, "must be a single line, without line breaks or tabs",
                           "只可填寫一行，不可有換行或定位字元（Tab）")
                 : Problem(path,
                           "contains a control character (" + CodeName(cp.value) +
                               "); type plain text",
                           "含有控制字元（" + CodeName(cp.value) + "）；請只輸入一般文字");
    }
    pos += cp.length;
    ++chars;
  }
  if (chars > max_chars) {
    return Problem(path,
                   "is too long: " + std::to_string(chars) + " characters, at most " +
                       std::to_string(max_chars),
                   "太長：共 " + std::to_string(chars) + " 個字，最多 " +
                       std::to_string(max_chars) + " 個字");
  }
  return Status::Ok();
}

Status Walk(const Message& m, const std::string& prefix, bool limits);

// One value of field `f` (element `index` when repeated) of `m`.
Status CheckValue(const Message& m, const FieldDescriptor& f, int index, const std::string& path,
                  bool limits) {
  const Reflection* r = m.GetReflection();
  if (f.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    return Walk(index < 0 ? r->GetMessage(m, &f) : r->GetRepeatedMessage(m, &f, index), path,
                limits);
  }
  if (f.type() != FieldDescriptor::TYPE_STRING) return Status::Ok();  // bytes carry no text
  std::string scratch;
  const std::string& text = index < 0 ? r->GetStringReference(m, &f, &scratch)
                                      : r->GetRepeatedStringReference(m, &f, index, &scratch);
  return CheckOne(text, path, f, limits);
}

Status Walk(const Message& m, const std::string& prefix, bool limits) {
  const Reflection* r = m.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    const std::string path = prefix.empty() ? f->name() : prefix + "." + f->name();
    if (f->is_map()) {
      // Keys and values of a map take the map field's declared limits.
      for (int i = 0; i < r->FieldSize(m, f); ++i) {
        const Message& entry = r->GetRepeatedMessage(m, f, i);
        for (const FieldDescriptor* part : {f->message_type()->map_key(),
                                            f->message_type()->map_value()}) {
          if (part->type() == FieldDescriptor::TYPE_STRING) {
            std::string scratch;
            const std::string& text =
                entry.GetReflection()->GetStringReference(entry, part, &scratch);
            RETURN_IF_ERROR(CheckOne(text, path, *f, limits));
          } else if (part->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
            RETURN_IF_ERROR(CheckValue(entry, *part, -1, path, limits));
          }
        }
      }
    } else if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(m, f); ++i) {
        RETURN_IF_ERROR(CheckValue(m, *f, i, path + "[" + std::to_string(i) + "]", limits));
      }
    } else {
      RETURN_IF_ERROR(CheckValue(m, *f, -1, path, limits));
    }
  }
  return Status::Ok();
}

}  // namespace

size_t ValidUtf8Prefix(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    const auto cp = Decode(text, pos);
    if (!cp) break;
    pos += cp->length;
  }
  return pos;
}

bool IsValidUtf8(std::string_view text) { return ValidUtf8Prefix(text) == text.size(); }

std::string ToValidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    if (const auto cp = Decode(text, pos)) {
      out.append(text.substr(pos, cp->length));
      pos += cp->length;
    } else {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++pos;
    }
  }
  return out;
}

Status CheckText(const Message& m, std::string_view prefix) {
  return Walk(m, std::string(prefix), /*limits=*/true);
}

Status CheckUtf8(const Message& m, std::string_view prefix) {
  return Walk(m, std::string(prefix), /*limits=*/false);
}

}  // namespace model
