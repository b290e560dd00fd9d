#include "notify/retry_policy.h"

#include <algorithm>

namespace notify {

std::optional<model::Millis> RetryDelay(const RetryPolicy& p, int failed_attempts, double unit) {
  if (failed_attempts >= p.max_attempts) return std::nullopt;
  double delay = static_cast<double>(p.first_delay.count());
  for (int i = 1; i < failed_attempts && delay < p.max_delay.count(); ++i) delay *= 2;
  delay = std::min(delay, static_cast<double>(p.max_delay.count()));
  delay *= 1.0 - p.jitter + 2.0 * p.jitter * std::clamp(unit, 0.0, 1.0);
  return model::Millis(static_cast<int64_t>(delay));
}

}  // namespace notify
