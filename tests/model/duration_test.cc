#include "model/duration.h"

#include <doctest/doctest.h>

namespace model {

using std::chrono::hours;
using std::chrono::minutes;

TEST_CASE("durations parse with units largest first") {
  CHECK(*ParseDuration("90m") == minutes(90));
  CHECK(*ParseDuration("12h") == hours(12));
  CHECK(*ParseDuration("2d") == hours(48));
  CHECK(*ParseDuration("1d12h") == hours(36));
  CHECK(*ParseDuration("1h30m15s") == minutes(90) + std::chrono::seconds(15));
}

TEST_CASE("bad durations are refused with the reason") {
  CHECK(ParseDuration("").status().message().find("it is empty") != std::string::npos);
  CHECK(ParseDuration("3").status().message().find("has no unit") != std::string::npos);
  CHECK(ParseDuration("3w").status().message().find("unknown unit 'w'") != std::string::npos);
  CHECK(ParseDuration("1h2d").status().message().find("largest to smallest") != std::string::npos);
  CHECK(ParseDuration("0m").status().message().find("zero") != std::string::npos);
  CHECK(ParseDuration("h").status().message().find("expected a number") != std::string::npos);
}

TEST_CASE("durations format for people") {
  CHECK(FormatDuration(minutes(90)) == "1h 30m");
  CHECK(FormatDuration(hours(36)) == "1d 12h");
  CHECK(FormatDuration(minutes(0)) == "0m");
  CHECK(FormatDuration(-hours(2)) == "-2h");
}

}  // namespace model
