#include "notify/deliverer.h"

#include <unistd.h>

#include <random>

#include <spdlog/spdlog.h>

namespace notify {

namespace {

std::string NewClaimant() {
  std::random_device rd;
  const uint64_t r = (uint64_t{rd()} << 32) | rd();
  return std::to_string(getpid()) + "-" + std::to_string(r);
}

// A claim lost to another deliverer is theirs to finish; anything else stops the pass.
model::Status Ended(model::Status s, const model::Notification& n) {
  if (s.code() == model::Code::kFailedPrecondition) {
    spdlog::warn("notification {}: {}", n.id(), s.message());
    return model::Status::Ok();
  }
  return s;
}

}  // namespace

Deliverer::Deliverer(Outbox& outbox, const model::Clock& clock, RetryPolicy policy,
                     std::function<double()> random, model::Millis lease)
    : outbox_(outbox),
      clock_(clock),
      policy_(policy),
      random_(std::move(random)),
      lease_(lease),
      claimant_(NewClaimant()) {}

model::Result<DeliveryReport> Deliverer::DeliverDue(const DeliveryLimits& limits) {
  DeliveryReport report;
  const model::Instant start = clock_.Now();
  auto out_of_time = [&] { return limits.budget && clock_.Now() - start >= *limits.budget; };
  int handled = 0;
  bool stop = false;
  for (const Served& served : channels_) {
    while (!stop && handled < limits.max && !out_of_time()) {
      const model::Instant now = clock_.Now();
      ASSIGN_OR_RETURN(auto claimed,
                       outbox_.Claim(served.name, now, std::min(served.batch, limits.max - handled),
                                     now + lease_, claimant_));
      if (claimed.empty()) break;
      // Sends and marks what was claimed, one by one, until time runs out.
      auto send_claimed = [&]() -> model::Status {
        for (size_t i = 0; i < claimed.size(); ++i) {
          const model::Notification& n = claimed[i];
          if (out_of_time()) {
            // Given back at once, not held until the lease runs out.
            for (size_t j = i; j < claimed.size(); ++j) {
              RETURN_IF_ERROR(Ended(outbox_.Release(claimed[j].id(), claimant_, clock_.Now()), n));
            }
            stop = true;
            return model::Status::Ok();
          }
          ++handled;
          RETURN_IF_ERROR(SendOne(*served.channel, n, report));
        }
        return model::Status::Ok();
      };
      // Into this database: the whole batch is one transaction.
      RETURN_IF_ERROR(served.channel->local() ? outbox_.InOneTransaction(send_claimed)
                                              : send_claimed());
    }
  }
  return report;
}

model::Status Deliverer::SendOne(Channel& channel, const model::Notification& n,
                                 DeliveryReport& report) {
  // Past the last attempt: the deliverers before this one stopped while
  // sending it (a crash); it is not sent once more.
  const bool spent = n.attempts() > policy_.max_attempts;
  const model::Status sent =
      spent ? model::Status::Unavailable("its deliverer stopped during the last attempt")
            : channel.Send(n);
  const model::Instant at = clock_.Now();
  if (sent.ok()) {
    RETURN_IF_ERROR(Ended(outbox_.MarkDelivered(n.id(), claimant_, at), n));
    ++report.delivered;
    return model::Status::Ok();
  }
  // A channel that says the notification can never go (FailedPrecondition:
  // nowhere to send it) is not tried again.
  const bool hopeless = spent || sent.code() == model::Code::kFailedPrecondition;
  const auto delay = hopeless ? std::nullopt : RetryDelay(policy_, n.attempts(), random_());
  RETURN_IF_ERROR(Ended(
      outbox_.MarkFailed(n.id(), claimant_,
                         delay ? std::optional<model::Instant>(at + *delay) : std::nullopt,
                         sent.message()),
      n));
  if (delay) {
    ++report.retrying;
  } else {
    ++report.dead;
    spdlog::warn("notification {} ({} for {}) dead after {} attempts: {}", n.id(), n.kind(),
                 n.case_number(), n.attempts(), sent.message());
  }
  return model::Status::Ok();
}

}  // namespace notify
