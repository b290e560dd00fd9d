#include "model/duration.h"

#include <cstdint>

namespace model {

Result<Millis> ParseDuration(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument("bad duration '" + std::string(text) + "': " +
                                   std::string(why) + " (write e.g. 90m, 12h, 2d, 1d12h)");
  };
  if (text.empty()) return bad("it is empty");
  int64_t total_seconds = 0;
  int last_rank = 5;
  size_t i = 0;
  while (i < text.size()) {
    int64_t n = 0;
    size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      n = n * 10 + (text[i] - '0');
      if (n > 100000000) return bad("it is too long");
      ++i;
    }
    if (i == start) return bad("expected a number");
    if (i == text.size()) return bad("a number has no unit");
    int rank;
    int64_t unit;
    switch (text[i]) {
      case 'd': rank = 4; unit = 86400; break;
      case 'h': rank = 3; unit = 3600; break;
      case 'm': rank = 2; unit = 60; break;
      case 's': rank = 1; unit = 1; break;
      default: return bad(std::string("unknown unit '") + text[i] + "'");
    }
    if (rank >= last_rank) return bad("units must go from largest to smallest, each once");
    last_rank = rank;
    total_seconds += n * unit;
    ++i;
  }
  if (total_seconds == 0) return bad("it is zero");
  return Millis(total_seconds * 1000);
}

std::string FormatDuration(Millis d) {
  int64_t minutes = std::chrono::duration_cast<std::chrono::minutes>(d).count();
  std::string out;
  if (minutes < 0) {
    out = "-";
    minutes = -minutes;
  }
  const int64_t days = minutes / (24 * 60);
  const int64_t hours = minutes / 60 % 24;
  const int64_t mins = minutes % 60;
  auto part = [&](int64_t v, char unit) {
    if (v == 0) return;
    if (out.size() > 1 || (out.size() == 1 && out[0] != '-')) out += ' ';
    out += std::to_string(v);
    out += unit;
  };
  part(days, 'd');
  part(hours, 'h');
  part(mins, 'm');
  if (days == 0 && hours == 0 && mins == 0) out += "0m";
  return out;
}

}  // namespace model
