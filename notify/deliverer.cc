#include "notify/deliverer.h"

#include <spdlog/spdlog.h>

namespace notify {

model::Result<DeliveryReport> Deliverer::DeliverDue(int limit) {
  ASSIGN_OR_RETURN(auto due, outbox_.Due(clock_.Now(), limit));
  DeliveryReport report;
  for (const model::Notification& n : due) {
    auto it = channels_.find(n.channel());
    const model::Status sent = it == channels_.end()
                                   ? model::Status::Unavailable("no channel '" + n.channel() + "'")
                                   : it->second->Send(n);
    const int attempts = n.attempts() + 1;
    const model::Instant now = clock_.Now();
    if (sent.ok()) {
      RETURN_IF_ERROR(outbox_.MarkDelivered(n.id(), attempts, now));
      ++report.delivered;
      continue;
    }
    const auto delay = RetryDelay(policy_, attempts, random_());
    RETURN_IF_ERROR(outbox_.MarkFailed(
        n.id(), attempts, delay ? std::optional<model::Instant>(now + *delay) : std::nullopt,
        sent.message()));
    if (delay) {
      ++report.retrying;
    } else {
      ++report.dead;
      spdlog::warn("notification {} ({} for {}) dead after {} attempts: {}", n.id(), n.kind(),
                   n.case_number(), attempts, sent.message());
    }
  }
  return report;
}

}  // namespace notify
