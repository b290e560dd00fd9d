// The delivery worker: claims due notifications from the outbox and hands
// each to its channel, at least once, retrying with backoff and
// dead-lettering after the last attempt. Run it after commands (the CLI
// does), on a timer (a server), or from `dispatch tick`.
#ifndef NOTIFY_DELIVERER_H_
#define NOTIFY_DELIVERER_H_

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

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

struct DeliveryLimits {
  int max = 200;  // notifications handled in one pass
  // Start no send after this long (on the deliverer's clock): a command that
  // delivers what it caused must not wait long on a slow webhook. The rest
  // are left for the next pass.
  std::optional<model::Millis> budget;
};

// Not thread-safe; several deliverers (threads, processes) may share one
// outbox: each notification is claimed before it is sent.
// REQUIRES: outbox, clock and channels outlive it.
class Deliverer {
 public:
  // `random` returns numbers uniform in [0, 1) for the jitter. `lease` is how
  // long a claim holds; it must be longer than any channel takes to send.
  Deliverer(Outbox& outbox, const model::Clock& clock, RetryPolicy policy,
            std::function<double()> random, model::Millis lease = std::chrono::minutes(1));

  // `name` is a notification's channel: "inbox", "webhook". Channels are
  // served in the order they are added, so put the quick ones first. `batch`
  // notifications are claimed at a time: the lease must outlast sending
  // them all, so a channel that may wait on a slow receiver takes one.
  void AddChannel(const std::string& name, Channel* channel, int batch = 20) {
    channels_.push_back({name, channel, batch});
  }

  // One pass over what is due now.
  model::Result<DeliveryReport> DeliverDue(const DeliveryLimits& limits = {});

 private:
  Outbox& outbox_;
  const model::Clock& clock_;
  RetryPolicy policy_;
  std::function<double()> random_;
  model::Millis lease_;
  std::string claimant_;  // unique to this deliverer
  struct Served {
    std::string name;
    Channel* channel;
    int batch;
  };
  std::vector<Served> channels_;

  // Sends `n` on `channel` and ends the claim on it: delivered, retried
  // later, or dead.
  model::Status SendOne(Channel& channel, const model::Notification& n, DeliveryReport& report);
};

}  // namespace notify

#endif  // NOTIFY_DELIVERER_H_
