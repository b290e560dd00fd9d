#include "notify/deliverer.h"

#include <spdlog/spdlog.h>

namespace notify {

namespace {
constexpr int kBatch = 20;  // claimed at a time
}  // namespace

model::Result<DeliveryReport> Deliverer::DeliverDue(const DeliveryLimits& limits) {
  DeliveryReport report;
  const model::Instant start = clock_.Now();
  auto out_of_time = [&] { return limits.budget && clock_.Now() - start >= *limits.budget; };
  int handled = 0;
  for (const auto& [name, channel] : channels_) {
    while (handled < limits.max && !out_of_time()) {
      const model::Instant now = clock_.Now();
      ASSIGN_OR_RETURN(auto claimed, outbox_.Claim(name, now, std::min(kBatch, limits.max - handled),
                                                   now + lease_));
      if (claimed.empty()) break;
      for (size_t i = 0; i < claimed.size(); ++i) {
        const model::Notification& n = claimed[i];
        if (out_of_time()) {
          // Given back at once, not held until the lease runs out.
          for (size_t j = i; j < claimed.size(); ++j) {
            RETURN_IF_ERROR(outbox_.Release(claimed[j].id(), clock_.Now()));
          }
          return report;
        }
        ++handled;
        const model::Status sent = channel->Send(n);
        const int attempts = n.attempts() + 1;
        const model::Instant at = clock_.Now();
        if (sent.ok()) {
          RETURN_IF_ERROR(outbox_.MarkDelivered(n.id(), attempts, at));
          ++report.delivered;
          continue;
        }
        const auto delay = RetryDelay(policy_, attempts, random_());
        RETURN_IF_ERROR(outbox_.MarkFailed(
            n.id(), attempts, delay ? std::optional<model::Instant>(at + *delay) : std::nullopt,
            sent.message()));
        if (delay) {
          ++report.retrying;
        } else {
          ++report.dead;
          spdlog::warn("notification {} ({} for {}) dead after {} attempts: {}", n.id(), n.kind(),
                       n.case_number(), attempts, sent.message());
        }
      }
    }
  }
  return report;
}

}  // namespace notify
