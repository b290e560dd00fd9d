#include "notify/retry_policy.h"

#include <doctest/doctest.h>

namespace notify {

using std::chrono::hours;
using std::chrono::seconds;

TEST_CASE("retries back off exponentially up to a cap, with jitter, then stop") {
  RetryPolicy p;
  p.max_attempts = 9;
  p.first_delay = seconds(30);
  p.max_delay = hours(1);
  p.jitter = 0.2;
  CHECK(*RetryDelay(p, 1, 0.5) == seconds(30));
  CHECK(*RetryDelay(p, 2, 0.5) == seconds(60));
  CHECK(*RetryDelay(p, 3, 0.5) == seconds(120));
  CHECK(*RetryDelay(p, 8, 0.5) == hours(1));  // 30s * 2^7 = 64 min, capped
  CHECK(*RetryDelay(p, 1, 0.0) == seconds(24));
  CHECK(*RetryDelay(p, 1, 0.999999) > seconds(35));
  CHECK(*RetryDelay(p, 1, 0.999999) < seconds(36));
  CHECK_FALSE(RetryDelay(p, 9, 0.5).has_value());
}

}  // namespace notify
