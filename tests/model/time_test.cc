#include "model/time.h"

#include <doctest/doctest.h>

namespace model {

TEST_CASE("timestamps parse with and without offsets") {
  const Instant a = *ParseTimestamp("2026-03-02T09:00:00+08:00");
  CHECK(*ParseTimestamp("2026-03-02T01:00:00Z") == a);
  CHECK(*ParseTimestamp("2026-03-02T09:00") == a);  // no offset: UTC+8
  CHECK(*ParseTimestamp("2026-03-02 09:00+08:00") == a);
  CHECK(*ParseTimestamp("2026-03-01T20:00:00-05:00") == a);
}

TEST_CASE("offsets of real zones are accepted, up to UTC-12 and UTC+14") {
  CHECK(ParseTimestamp("2026-03-02T09:00+14:00").ok());
  CHECK(ParseTimestamp("2026-03-02T09:00-12:00").ok());
  CHECK(ParseTimestamp("2026-03-02T09:00+05:45").ok());
}

TEST_CASE("bad timestamps are refused") {
  for (const char* bad : {"", "2026-02-30T09:00", "2026-03-02", "2026-03-02T25:00", "yesterday",
                          "2026-03-02T09:00+0800", "2026-03-02T09:00-99:99",
                          "2026-03-02T09:00+14:01", "2026-03-02T09:00+08:60",
                          "9999-12-31T23:59-12:00", "1969-12-31T23:59Z", "3000-01-01T00:00"}) {
    CHECK_FALSE(ParseTimestamp(bad).ok());
  }
}

TEST_CASE("display is in Hong Kong time and the year follows it") {
  const Instant t = *ParseTimestamp("2026-12-31T20:30:00Z");  // 04:30 on 1 January in HK
  CHECK(FormatHongKong(t) == "2027-01-01 04:30");
  CHECK(FormatRfc3339HongKong(t) == "2027-01-01T04:30:00+08:00");
  CHECK(HongKongYear(t) == 2027);
}

TEST_CASE("protobuf timestamps round-trip, before 1970 too") {
  using std::chrono::sys_days;
  for (const Instant day : {Instant(sys_days(std::chrono::year(2026) / 3 / 2)),
                            Instant(sys_days(std::chrono::year(1944) / 5 / 17))}) {
    const Instant t = day + Millis(123);
    CHECK(FromProto(ToProto(t)) == t);
  }
  CHECK_FALSE(IsSet(google::protobuf::Timestamp()));
}

TEST_CASE("a fake clock moves only when told") {
  FakeClock clock(*ParseTimestamp("2026-03-02T09:00"));
  const Instant start = clock.Now();
  CHECK(clock.Now() == start);
  clock.Advance(std::chrono::hours(3));
  CHECK(clock.Now() - start == std::chrono::hours(3));
}

}  // namespace model
