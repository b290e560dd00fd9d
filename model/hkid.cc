#include "model/hkid.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace model {
namespace {

int LetterValue(char c) { return c - 'A' + 10; }  // A=10 ... Z=35

}  // namespace

Result<std::string> NormalizeHkid(std::string_view raw) {
  std::string s;
  for (char c : raw) {
    if (c == ' ' || c == '(' || c == ')') continue;
    s += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  // The number itself is not repeated: messages end up in logs.
  auto bad = [](const std::string& why, const std::string& why_zh) {
    return Status::InvalidArgument("the Hong Kong identity card number is not valid: " + why,
                                   "香港身份證號碼不正確：" + why_zh);
  };
  size_t letters = 0;
  while (letters < s.size() && std::isupper(static_cast<unsigned char>(s[letters]))) ++letters;
  if (letters == 0 || letters > 2 || s.size() != letters + 7) {
    return bad("expected one or two letters, six digits and a check digit, like A123456(3)",
               "應為一至兩個英文字母、六位數字及核對號碼，例如 A123456(3)");
  }
  for (size_t i = letters; i < letters + 6; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) {
      return bad("expected six digits after the letters, like A123456(3)",
                 "英文字母之後應有六位數字，例如 A123456(3)");
    }
  }
  const char check = s.back();
  if (!std::isdigit(static_cast<unsigned char>(check)) && check != 'A') {
    return bad("the check digit in brackets must be 0-9 or A",
               "括號內的核對號碼須為 0 至 9 或 A");
  }
  // Weights 9..2 over eight positions; a single-letter number is padded on
  // the left with a space, which counts 36.
  int sum = letters == 1 ? 36 * 9 : 0;
  int weight = letters == 1 ? 8 : 9;
  for (size_t i = 0; i < letters; ++i) sum += LetterValue(s[i]) * weight--;
  for (size_t i = letters; i < letters + 6; ++i) sum += (s[i] - '0') * weight--;
  const int expected = (11 - sum % 11) % 11;
  const char expected_char = expected == 10 ? 'A' : static_cast<char>('0' + expected);
  if (check != expected_char) {
    return bad("the check digit does not match; read the number from the card again",
               "核對號碼不符；請再次核對身份證上的號碼");
  }
  return s.substr(0, letters + 6) + "(" + check + ")";
}

std::string MaskHkid(std::string_view hkid) {
  std::string out;
  size_t digits = 0;
  for (char c : hkid) {
    if (std::isalpha(static_cast<unsigned char>(c)) && digits == 0) {
      out += c;
    } else if (std::isalnum(static_cast<unsigned char>(c))) {
      out += digits < 3 ? c : '*';
      ++digits;
    } else if (c == '(' || c == ')') {
      out += c;
    }
  }
  return out;
}

namespace {

// One character of a text, as the masking reads it: where its bytes are, and
// the ASCII it stands for. Full-width forms (Ａ１２３４５６（３）, as Chinese
// input methods type them) stand for their ASCII; other characters for none.
struct Unit {
  size_t start;
  size_t length;
  char ascii;  // 0: none
};

std::vector<Unit> UnitsOf(std::string_view text) {
  std::vector<Unit> out;
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      out.push_back({i, 1, static_cast<char>(b)});
      ++i;
      continue;
    }
    // A lead byte takes only the continuation bytes that follow it: a byte
    // out of place stands alone, and never hides the ASCII after it.
    const size_t wanted = b >= 0xF8 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    size_t length = 1;
    while (length < wanted && i + length < text.size() &&
           (static_cast<unsigned char>(text[i + length]) & 0xC0) == 0x80) {
      ++length;
    }
    if (length < wanted) length = 1;
    char ascii = 0;
    if (length == 3) {
      const char32_t cp = (char32_t(b & 0x0F) << 12) |
                          (char32_t(static_cast<unsigned char>(text[i + 1]) & 0x3F) << 6) |
                          char32_t(static_cast<unsigned char>(text[i + 2]) & 0x3F);
      if (cp >= 0xFF01 && cp <= 0xFF5E) ascii = static_cast<char>(cp - 0xFEE0);  // ！ to ～
      if (cp == 0x3000) ascii = ' ';                                              // 　
    }
    out.push_back({i, length, ascii});
    i += length;
  }
  return out;
}

}  // namespace

std::string MaskHkidsIn(std::string_view text) {
  const std::vector<Unit> units = UnitsOf(text);
  auto is = [&](size_t i, int (*test)(int)) {
    return i < units.size() && units[i].ascii != 0 &&
           test(static_cast<unsigned char>(units[i].ascii)) != 0;
  };
  // NormalizeHkid drops spaces and brackets wherever they are.
  auto filler = [&](size_t i) {
    if (i >= units.size()) return false;
    const char c = units[i].ascii;
    return c == ' ' || c == '(' || c == ')' || c == '[' || c == ']';
  };
  auto skip_spaces = [&](size_t i) {
    while (filler(i)) ++i;
    return i;
  };
  std::vector<bool> masked(units.size(), false);
  size_t i = 0;
  while (i < units.size()) {
    // Any letter may start one: NormalizeHkid takes spaces and brackets
    // anywhere, so "message 1234567" is masked too, being one to it.
    if (!is(i, std::isalpha)) {
      ++i;
      continue;
    }
    // One or two letters, then digits, spaces allowed anywhere (as
    // NormalizeHkid takes them), then perhaps a check digit in brackets.
    const size_t letters = is(i + 1, std::isalpha) ? 2 : 1;
    size_t j = skip_spaces(i + letters);
    std::vector<size_t> digits;  // positions
    while (is(j, std::isdigit) || filler(j)) {
      if (!filler(j)) digits.push_back(j);
      ++j;
    }
    if (digits.size() < 6) {
      ++i;
      continue;
    }
    // A permit (one letter, 8 or 10 digits) shows four digits; anything else three.
    const size_t shown = letters == 1 && (digits.size() == 8 || digits.size() == 10) ? 4 : 3;
    for (size_t d = shown; d < digits.size(); ++d) masked[digits[d]] = true;
    j = digits.back() + 1;
    if (digits.size() == 6) {
      // The check digit A, where it stands alone: "A123456(A)", "A123456A".
      const size_t k = skip_spaces(j);
      if (k < units.size() && (units[k].ascii == 'A' || units[k].ascii == 'a') &&
          !is(k + 1, std::isalnum)) {
        masked[k] = true;
        j = k + 1;
      }
    }
    i = j;
  }
  std::string out;
  out.reserve(text.size());
  for (size_t u = 0; u < units.size(); ++u) {
    if (masked[u]) {
      out += '*';
    } else {
      out.append(text.substr(units[u].start, units[u].length));
    }
  }
  return out;
}

}  // namespace model
