// When to try a failed delivery again: exponential backoff with jitter, and
// a last attempt after which the notification is dead-lettered.
#ifndef NOTIFY_RETRY_POLICY_H_
#define NOTIFY_RETRY_POLICY_H_

#include <optional>

#include "model/time.h"

namespace notify {

struct RetryPolicy {
  int max_attempts = 8;
  model::Millis first_delay = std::chrono::seconds(30);
  model::Millis max_delay = std::chrono::hours(1);
  double jitter = 0.2;  // each delay is scaled by a factor in [1 - jitter, 1 + jitter)
};

// The delay before the next attempt after `failed_attempts` (>= 1) failures,
// or nullopt when that was the last attempt. `unit` is uniform in [0, 1).
std::optional<model::Millis> RetryDelay(const RetryPolicy& policy, int failed_attempts, double unit);

}  // namespace notify

#endif  // NOTIFY_RETRY_POLICY_H_
