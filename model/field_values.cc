#include "model/field_values.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>

#include "model/hkid.h"

namespace model {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Joined(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (const auto& i : items) {
    if (!out.empty()) out += sep;
    out += i;
  }
  return out;
}

// "14:30" or "9:05" as "HH:MM".
std::optional<std::string> ParseTime(std::string_view t) {
  const size_t colon = t.find(':');
  if (colon != 1 && colon != 2) return std::nullopt;
  if (t.size() != colon + 3) return std::nullopt;
  int h = 0, m = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    if (i == colon) continue;
    if (!std::isdigit(static_cast<unsigned char>(t[i]))) return std::nullopt;
    (i < colon ? h : m) = (i < colon ? h : m) * 10 + (t[i] - '0');
  }
  if (h > 23 || m > 59) return std::nullopt;
  char buf[32];  // room for any int, so the compiler sees no truncation
  std::snprintf(buf, sizeof buf, "%02d:%02d", h, m);
  return buf;
}

bool IsNumber(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  bool digits = false, point = false;
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits = true;
    } else if (c == '.' && !point) {
      point = true;
    } else {
      return false;
    }
  }
  return digits && s.back() != '.';
}

// A number checked by IsNumber in one form: no '+', no leading zeros, no
// trailing zeros after the point ("+02.50" is "2.5", "-0" is "0").
std::string CanonicalNumber(std::string_view s) {
  bool negative = false;
  if (s[0] == '-' || s[0] == '+') {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  std::string_view whole = s, fraction;
  if (const size_t point = s.find('.'); point != std::string_view::npos) {
    whole = s.substr(0, point);
    fraction = s.substr(point + 1);
  }
  while (whole.size() > 1 && whole[0] == '0') whole.remove_prefix(1);
  while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
  std::string out = whole.empty() ? "0" : std::string(whole);
  if (!fraction.empty()) out += "." + std::string(fraction);
  if (negative && out != "0") out = "-" + out;
  return out;
}

}  // namespace

// Without spaces at either end: ASCII ones, the ideographic space (U+3000)
// a Chinese input method types, and the no-break space (U+00A0).
std::string TrimSpaces(std::string_view s) {
  auto space_at_start = [&](std::string_view t) -> size_t {
    if (!t.empty() && std::isspace(static_cast<unsigned char>(t[0]))) return 1;
    if (t.substr(0, 3) == "\xE3\x80\x80") return 3;
    if (t.substr(0, 2) == "\xC2\xA0") return 2;
    return 0;
  };
  auto space_at_end = [&](std::string_view t) -> size_t {
    if (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) return 1;
    if (t.size() >= 3 && t.substr(t.size() - 3) == "\xE3\x80\x80") return 3;
    if (t.size() >= 2 && t.substr(t.size() - 2) == "\xC2\xA0") return 2;
    return 0;
  };
  while (size_t n = space_at_start(s)) s.remove_prefix(n);
  while (size_t n = space_at_end(s)) s.remove_suffix(n);
  return std::string(s);
}

Status CheckPhone(std::string_view what, std::string_view phone, std::string_view what_zh) {
  // In English only when the caller gave no Chinese name for the number.
  auto zh = [&](std::string_view rest) {
    return what_zh.empty() ? std::string() : std::string(what_zh) + std::string(rest);
  };
  int digits = 0;
  for (char c : phone) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      ++digits;
    } else if (c != '+' && c != ' ' && c != '-' && c != '(' && c != ')') {
      return Status::InvalidArgument(
          std::string(what) + " may hold only digits, spaces and + - ( )",
          zh("只可包含數字、空格及 + - ( )"));
    }
  }
  if (digits < 8 || digits > 15) {
    return Status::InvalidArgument(std::string(what) + " should have 8 to 15 digits",
                                   zh("應有 8 至 15 位數字"));
  }
  return Status::Ok();
}

std::vector<std::string> ChoiceValues(const FieldDef& field) {
  std::vector<std::string> out(field.one_of().begin(), field.one_of().end());
  for (const Choice& c : field.choice()) out.push_back(c.value());
  return out;
}

bool IsDateField(const FieldDef& field) {
  return field.type() == FieldDef::DATE || field.type() == FieldDef::DATE_TIME;
}

Result<std::string> NormalizeFieldValue(const FieldDef& field, std::string_view raw) {
  const std::string what = "field '" + field.name() + "' (" + field.label().en() + ")";
  const std::string what_zh =
      "欄位「" + Localize(field.label(), Lang::kZhHant, field.name()) + "」";
  const std::string value = TrimSpaces(raw);
  if (value.empty()) return Status::InvalidArgument(what + " is empty", what_zh + "未有填寫");
  auto bad = [&](std::string_view how, std::string_view how_zh) {
    return Status::InvalidArgument(what + " " + std::string(how), what_zh + std::string(how_zh));
  };
  const FieldDef::Type type = field.type();
  if (type == FieldDef::DATE) {
    auto day = ParseDate(value);
    if (!day.ok()) {
      return bad("takes a date; write it as YYYY-MM-DD, e.g. 2026-03-02",
                 "須填寫日期；請寫成 YYYY-MM-DD，例如 2026-03-02");
    }
    return FormatDate(*day);
  }
  if (type == FieldDef::TIME) {
    auto t = ParseTime(value);
    if (!t) {
      return bad("takes a time of day; write it as HH:MM, e.g. 14:30",
                 "須填寫時間；請寫成 HH:MM，例如 14:30");
    }
    return *t;
  }
  if (type == FieldDef::DATE_TIME) {
    // Minutes, no seconds and no offset: the centres write Hong Kong time.
    auto at = value.size() == 16 ? ParseTimestamp(value) : Result<Instant>(Status::InvalidArgument(""));
    if (!at.ok()) {
      return bad("takes a date and time in Hong Kong time; write it as YYYY-MM-DD HH:MM, e.g. "
                 "2026-03-02 14:30",
                 "須填寫香港時間的日期及時間；請寫成 YYYY-MM-DD HH:MM，例如 2026-03-02 14:30");
    }
    return FormatHongKong(*at);
  }
  if (type == FieldDef::PHONE) {
    RETURN_IF_ERROR(CheckPhone(what, value, what_zh));
    return value;
  }
  if (type == FieldDef::HKID) {
    auto hkid = NormalizeHkid(value);
    if (!hkid.ok()) {
      return Status::InvalidArgument(what + ": " + hkid.status().message(),
                                     what_zh + "：" + hkid.status().message_zh());
    }
    return *hkid;
  }
  if (type == FieldDef::YES_NO) {
    const std::string v = Lower(value);
    if (v == "yes" || v == "y" || v == "true" || value == "是") return std::string("yes");
    if (v == "no" || v == "n" || v == "false" || value == "否") return std::string("no");
    return bad("takes yes or no", "須填寫「是」或「否」");
  }
  if (type == FieldDef::NUMBER) {
    if (!IsNumber(value)) {
      return bad("takes a number, e.g. 12 or 2.5", "須填寫數字，例如 12 或 2.5");
    }
    return CanonicalNumber(value);
  }
  const std::vector<std::string> choices = ChoiceValues(field);
  if (choices.empty()) return value;
  // A choice may be typed as its code in any case, or as its label as shown.
  for (const std::string& code : choices) {
    if (Lower(value) == code) return code;
  }
  for (const Choice& c : field.choice()) {
    if (value == c.label().zh_hant() || Lower(value) == Lower(c.label().en())) return c.value();
  }
  std::vector<std::string> listed, listed_zh;
  for (const std::string& code : choices) {
    const std::string label = FieldValueText(field, code, Lang::kEn);
    listed.push_back(label == code ? code : code + " (" + label + ")");
    const std::string label_zh = FieldValueText(field, code, Lang::kZhHant);
    listed_zh.push_back(label_zh == code ? code : label_zh + "（" + code + "）");
  }
  return bad("cannot be '" + MaskHkidsIn(value) + "'; use one of: " + Joined(listed),
             "不可填寫「" + MaskHkidsIn(value) + "」；請選擇以下其中一項：" +
                 Joined(listed_zh, "、"));
}

Result<Instant> FieldInstant(const FieldDef& field, std::string_view value) {
  if (field.type() == FieldDef::DATE) {
    ASSIGN_OR_RETURN(std::chrono::sys_days day, ParseDate(value));
    return Instant(std::chrono::time_point_cast<Millis>(day)) - kHongKongOffset;
  }
  if (field.type() == FieldDef::DATE_TIME) return ParseTimestamp(value);
  return Status::InvalidArgument(
      "field '" + field.name() + "' is not a date",
      "欄位「" + Localize(field.label(), Lang::kZhHant, field.name()) + "」不是日期");
}

std::string FieldValueText(const FieldDef& field, std::string_view value, Lang lang) {
  for (const Choice& c : field.choice()) {
    if (c.value() == value) return Localize(c.label(), lang, value);
  }
  if (field.type() == FieldDef::YES_NO) {
    if (value == "yes") return lang == Lang::kEn ? "yes" : "是";
    if (value == "no") return lang == Lang::kEn ? "no" : "否";
  }
  return std::string(value);
}

}  // namespace model
