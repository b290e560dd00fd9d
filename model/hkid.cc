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

}  // namespace model
