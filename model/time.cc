#include "model/time.h"

#include <charconv>
#include <cstdio>

namespace model {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

struct Fields {
  int year, month, day, hour, minute, second;
};

Fields Split(Instant t) {
  const Instant local = t + kHongKongOffset;
  const sys_days day = std::chrono::floor<days>(local);
  const year_month_day ymd(day);
  auto rest = std::chrono::duration_cast<std::chrono::seconds>(local - day).count();
  return Fields{int(ymd.year()),     int(unsigned(ymd.month())), int(unsigned(ymd.day())),
                int(rest / 3600),    int(rest / 60 % 60),        int(rest % 60)};
}

// Reads exactly `width` digits at text[pos].
bool Digits(std::string_view text, size_t pos, size_t width, int& out) {
  if (pos + width > text.size()) return false;
  for (size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  auto [p, ec] = std::from_chars(text.data() + pos, text.data() + pos + width, out);
  return ec == std::errc() && p == text.data() + pos + width;
}

}  // namespace

google::protobuf::Timestamp ToProto(Instant t) {
  google::protobuf::Timestamp ts;
  const auto ms = t.time_since_epoch().count();
  auto seconds = ms / 1000;
  auto rem = ms % 1000;
  if (rem < 0) {
    rem += 1000;
    --seconds;
  }
  ts.set_seconds(seconds);
  ts.set_nanos(static_cast<int32_t>(rem * 1000000));
  return ts;
}

Instant FromProto(const google::protobuf::Timestamp& ts) {
  return Instant(Millis(ts.seconds() * 1000 + ts.nanos() / 1000000));
}

bool IsSet(const google::protobuf::Timestamp& ts) { return ts.seconds() != 0 || ts.nanos() != 0; }

std::string FormatHongKong(Instant t) {
  const Fields f = Split(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", f.year, f.month, f.day, f.hour,
                f.minute);
  return buf;
}

std::string FormatRfc3339HongKong(Instant t) {
  const Fields f = Split(t);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", f.year, f.month, f.day,
                f.hour, f.minute, f.second);
  return buf;
}

int HongKongYear(Instant t) { return Split(t).year; }

sys_days HongKongDay(Instant t) { return std::chrono::floor<days>(t + kHongKongOffset); }

Instant HongKongMidnight(sys_days day) {
  return std::chrono::time_point_cast<Millis>(day - kHongKongOffset);
}

std::pair<Instant, Instant> HongKongYearSpan(int year) {
  const std::chrono::year y(year);
  return {HongKongMidnight(sys_days(y / 1 / 1)),
          HongKongMidnight(sys_days((y + std::chrono::years(1)) / 1 / 1))};
}

Result<sys_days> ParseDate(std::string_view text) {
  int y, m, d;
  const year_month_day ymd =
      text.size() == 10 && Digits(text, 0, 4, y) && text[4] == '-' && Digits(text, 5, 2, m) &&
              text[7] == '-' && Digits(text, 8, 2, d)
          ? year_month_day{std::chrono::year(y), std::chrono::month(unsigned(m)),
                           std::chrono::day(unsigned(d))}
          : year_month_day{};
  if (!ymd.ok() || int(ymd.year()) < 1880 || int(ymd.year()) > 2999) {
    return Status::InvalidArgument("not a date; write it as YYYY-MM-DD, e.g. 2026-03-02",
                                   "日期不正確；請寫成 YYYY-MM-DD，例如 2026-03-02");
  }
  return sys_days(ymd);
}

std::string FormatDate(sys_days day) {
  const year_month_day ymd(day);
  char buf[48];  // room for any int, so the compiler sees no truncation
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()),
                unsigned(ymd.day()));
  return buf;
}

Result<Instant> ParseTimestamp(std::string_view text) {
  auto bad = [&] {
    return Status::InvalidArgument(
        "'" + std::string(text) + "' is not a time; write it like 2026-03-02T09:00+08:00",
        "「" + std::string(text) + "」不是有效的時間；請寫成例如 2026-03-02T09:00+08:00");
  };
  int y, mo, d, h, mi, s = 0;
  if (!Digits(text, 0, 4, y) || text.size() < 16 || text[4] != '-' || !Digits(text, 5, 2, mo) ||
      text[7] != '-' || !Digits(text, 8, 2, d) || (text[10] != 'T' && text[10] != ' ') ||
      !Digits(text, 11, 2, h) || text[13] != ':' || !Digits(text, 14, 2, mi)) {
    return bad();
  }
  size_t pos = 16;
  if (pos < text.size() && text[pos] == ':') {
    if (!Digits(text, pos + 1, 2, s)) return bad();
    pos += 3;
  }
  std::chrono::minutes offset = kHongKongOffset;
  if (pos < text.size()) {
    if (text[pos] == 'Z' && pos + 1 == text.size()) {
      offset = std::chrono::minutes(0);
    } else if ((text[pos] == '+' || text[pos] == '-') && pos + 6 == text.size() &&
               text[pos + 3] == ':') {
      int oh, om;
      if (!Digits(text, pos + 1, 2, oh) || !Digits(text, pos + 4, 2, om)) return bad();
      // Real zones lie between UTC-12 and UTC+14; both ways up to 14 hours pass.
      if (om > 59 || oh * 60 + om > 14 * 60) return bad();
      offset = std::chrono::minutes(oh * 60 + om);
      if (text[pos] == '-') offset = -offset;
    } else {
      return bad();
    }
  }
  const year_month_day ymd{std::chrono::year(y), std::chrono::month(unsigned(mo)),
                           std::chrono::day(unsigned(d))};
  // Beyond these years a time is a typing slip, and past 9999 it could not
  // even be written back out.
  if (!ymd.ok() || h > 23 || mi > 59 || s > 59 || y < 1970 || y > 2999) return bad();
  const Instant local = std::chrono::time_point_cast<Millis>(
      sys_days(ymd) + std::chrono::hours(h) + std::chrono::minutes(mi) + std::chrono::seconds(s));
  return local - offset;
}

}  // namespace model
