#include "model/duration.h"

#include <cstdint>

namespace model {

Result<Millis> ParseDuration(std::string_view text) {
  auto bad = [&](std::string_view why, std::string_view why_zh) {
    return Status::InvalidArgument(
        "bad duration '" + std::string(text) + "': " + std::string(why) +
            " (write e.g. 90m, 12h, 2d, 1d12h)",
        "時間長度「" + std::string(text) + "」不正確：" + std::string(why_zh) +
            "（請寫成例如 90m、12h、2d、1d12h；d 為日、h 為小時、m 為分鐘、s 為秒）");
  };
  if (text.empty()) return bad("it is empty", "未有填寫");
  int64_t total_seconds = 0;
  int last_rank = 5;
  size_t i = 0;
  while (i < text.size()) {
    int64_t n = 0;
    size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      n = n * 10 + (text[i] - '0');
      if (n > 100000000) return bad("it is too long", "數字太大");
      ++i;
    }
    if (i == start) return bad("expected a number", "應先寫數字");
    if (i == text.size()) return bad("a number has no unit", "數字之後須有單位");
    int rank;
    int64_t unit;
    switch (text[i]) {
      case 'd': rank = 4; unit = 86400; break;
      case 'h': rank = 3; unit = 3600; break;
      case 'm': rank = 2; unit = 60; break;
      case 's': rank = 1; unit = 1; break;
      default:
        return bad(std::string("unknown unit '") + text[i] + "'",
                   std::string("不明的單位「") + text[i] + "」");
    }
    if (rank >= last_rank) {
      return bad("units must go from largest to smallest, each once",
                 "單位須由大至小排列，每個單位只可用一次");
    }
    last_rank = rank;
    total_seconds += n * unit;
    ++i;
  }
  if (total_seconds == 0) return bad("it is zero", "不可為零");
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
