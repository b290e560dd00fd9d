#include "model/hkid.h"

#include <cctype>

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
  auto bad = [](const std::string& why) {
    return Status::InvalidArgument("the Hong Kong identity card number is not valid: " + why);
  };
  size_t letters = 0;
  while (letters < s.size() && std::isupper(static_cast<unsigned char>(s[letters]))) ++letters;
  if (letters == 0 || letters > 2 || s.size() != letters + 7) {
    return bad("expected one or two letters, six digits and a check digit, like A123456(3)");
  }
  for (size_t i = letters; i < letters + 6; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) {
      return bad("expected six digits after the letters, like A123456(3)");
    }
  }
  const char check = s.back();
  if (!std::isdigit(static_cast<unsigned char>(check)) && check != 'A') {
    return bad("the check digit in brackets must be 0-9 or A");
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
    return bad("the check digit does not match; read the number from the card again");
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

std::string MaskHkidsIn(std::string_view text) {
  auto alpha = [&](size_t i) { return i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])); };
  auto digit = [&](size_t i) { return i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); };
  std::string out;
  size_t i = 0;
  size_t last_end = std::string_view::npos;  // where the last masked number ended
  while (i < text.size()) {
    // A match starts with one or two letters not preceded by a letter or
    // digit, or right after another match (masked, that one ends in '*').
    const bool boundary =
        i == 0 || i == last_end || !std::isalnum(static_cast<unsigned char>(text[i - 1]));
    size_t letters = 0;
    while (boundary && letters < 3 && alpha(i + letters)) ++letters;
    size_t j = i + letters;
    size_t digits = 0;
    while (digit(j + digits)) ++digits;
    const bool permit = letters == 1 && (digits == 8 || digits == 10);
    if (permit) {
      // A Home Return Permit: its letter and four digits shown.
      out.append(text.substr(i, 5));
      out.append(digits - 4, '*');
      i = last_end = j + digits;
      continue;
    }
    if (letters == 0 || letters > 2 || digits < 6 || digits > 7) {
      out += text[i++];
      continue;
    }
    // Letters, three digits shown; the rest of the number and its check masked.
    out.append(text.substr(i, letters + 3));
    out.append(digits - 3, '*');
    j += digits;
    if (digits == 6) {
      size_t k = j;
      if (k < text.size() && text[k] == ' ') ++k;
      if (k + 2 < text.size() && text[k] == '(' && (digit(k + 1) || alpha(k + 1)) &&
          text[k + 2] == ')') {
        out.append(text.substr(j, k - j));
        out += "(*)";
        j = k + 3;
      } else if (j < text.size() && (text[j] == 'A' || text[j] == 'a') && !alpha(j + 1) &&
                 !digit(j + 1)) {
        out += '*';
        ++j;
      }
    }
    i = last_end = j;
  }
  return out;
}

}  // namespace model
