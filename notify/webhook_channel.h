// Delivers a notification as an HTTP POST of its JSON body to the address,
// with the idempotency key in an Idempotency-Key header.
#ifndef NOTIFY_WEBHOOK_CHANNEL_H_
#define NOTIFY_WEBHOOK_CHANNEL_H_

#include "model/time.h"
#include "notify/channel.h"

namespace notify {

class WebhookChannel : public Channel {
 public:
  explicit WebhookChannel(model::Millis timeout) : timeout_(timeout) {}
  // OK for a 2xx answer; Unavailable for anything else, saying what happened.
  model::Status Send(const model::Notification& n) override;

 private:
  model::Millis timeout_;
};

}  // namespace notify

#endif  // NOTIFY_WEBHOOK_CHANNEL_H_
