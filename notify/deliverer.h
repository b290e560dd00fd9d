// The delivery worker: takes due notifications from the outbox and hands each
// to its channel, at least once, retrying with backoff and dead-lettering
// after the last attempt. Run it after commands (the CLI does), on a timer
// (a server), or from `dispatch tick`.
#ifndef NOTIFY_DELIVERER_H_
#define NOTIFY_DELIVERER_H_

#include <functional>
#include <map>
#include <string>

#include "model/status.h"
#include "model/time.h"
#include "notify/channel.h"
#include "notify/outbox.h"
#include "notify/retry_policy.h"

namespace notify {

struct DeliveryReport {
  int delivered = 0;
  int retrying = 0;
  int dead = 0;
};

// Not thread-safe. REQUIRES: outbox, clock and channels outlive it.
class Deliverer {
 public:
  // `random` returns numbers uniform in [0, 1) for the jitter.
  Deliverer(Outbox& outbox, const model::Clock& clock, RetryPolicy policy,
            std::function<double()> random)
      : outbox_(outbox), clock_(clock), policy_(policy), random_(std::move(random)) {}

  // `name` is a notification's channel: "inbox", "webhook".
  void AddChannel(const std::string& name, Channel* channel) { channels_[name] = channel; }

  // One pass over what is due now, at most `limit` notifications.
  model::Result<DeliveryReport> DeliverDue(int limit = 200);

 private:
  Outbox& outbox_;
  const model::Clock& clock_;
  RetryPolicy policy_;
  std::function<double()> random_;
  std::map<std::string, Channel*> channels_;
};

}  // namespace notify

#endif  // NOTIFY_DELIVERER_H_
