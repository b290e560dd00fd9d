// Instants, the Clock seam, and Hong Kong / China time (UTC+8) for display.
//
// Nothing in model/ or dispatch/ reads the system clock: code that needs the
// time takes a Clock (the real one lives in cli/) or an Instant.
#ifndef MODEL_TIME_H_
#define MODEL_TIME_H_

#include <chrono>
#include <utility>
#include <string>
#include <string_view>

#include <google/protobuf/timestamp.pb.h>

#include "model/status.h"

namespace model {

using Millis = std::chrono::milliseconds;
using Instant = std::chrono::sys_time<Millis>;

// UTC+8, no daylight saving: the only zone the centres use.
inline constexpr std::chrono::hours kHongKongOffset{8};

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant Now() const = 0;
};

// A clock that moves only when told to. Tests and scenarios use it.
class FakeClock : public Clock {
 public:
  explicit FakeClock(Instant start) : now_(start) {}
  Instant Now() const override { return now_; }
  void Advance(Millis d) { now_ += d; }
  void Set(Instant t) { now_ = t; }

 private:
  Instant now_;
};

google::protobuf::Timestamp ToProto(Instant t);
Instant FromProto(const google::protobuf::Timestamp& ts);
bool IsSet(const google::protobuf::Timestamp& ts);

// "2026-03-02 09:00" in UTC+8.
std::string FormatHongKong(Instant t);
// "2026-03-02T09:00:00+08:00".
std::string FormatRfc3339HongKong(Instant t);
// The calendar year in UTC+8 (case numbers restart each year).
int HongKongYear(Instant t);

// The calendar day of `t` in UTC+8.
std::chrono::sys_days HongKongDay(Instant t);
// The instant `day` starts in UTC+8.
Instant HongKongMidnight(std::chrono::sys_days day);
// The calendar year `year` in UTC+8, as [its first instant, the next year's).
std::pair<Instant, Instant> HongKongYearSpan(int year);

// A calendar date written "2026-03-02" (a real day, years 1880 to 2999).
Result<std::chrono::sys_days> ParseDate(std::string_view text);

// "2026-03-02".
std::string FormatDate(std::chrono::sys_days day);

// Accepts "2026-03-02T09:00:00+08:00", "2026-03-02T01:00:00Z" and the same
// without seconds; a time without an offset is read as UTC+8.
Result<Instant> ParseTimestamp(std::string_view text);

}  // namespace model

#endif  // MODEL_TIME_H_
