// One beat of the clock: fire the deadlines whose time has come, then deliver
// the notifications that are due. The CLI runs it around every command (and
// alone as `dispatch tick`); scenarios after every step; a server on a timer.
#ifndef DISPATCH_TICK_H_
#define DISPATCH_TICK_H_

#include "dispatch/dispatcher.h"
#include "model/status.h"
#include "notify/deliverer.h"
#include "notify/webhook_channel.h"

namespace dispatch {

struct TickReport {
  int deadlines_fired = 0;
  notify::DeliveryReport delivery;
};

model::Result<TickReport> Tick(Dispatcher& dispatcher, notify::Deliverer& deliverer,
                               const notify::DeliveryLimits& limits = {});

// Where the webhook channel finds a centre's current URL: in `store`.
// REQUIRES: store outlives the lookup.
notify::WebhookChannel::Lookup WebhookUrls(Store& store);

}  // namespace dispatch

#endif  // DISPATCH_TICK_H_
