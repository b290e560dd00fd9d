// Delivers a notification as an HTTP POST of its JSON body to its centre's
// webhook, with the idempotency key in an Idempotency-Key header.
#ifndef NOTIFY_WEBHOOK_CHANNEL_H_
#define NOTIFY_WEBHOOK_CHANNEL_H_

#include <functional>
#include <string_view>

#include "model/status.h"
#include "model/time.h"
#include "notify/channel.h"

namespace notify {

class WebhookChannel : public Channel {
 public:
  // The URL a centre's chat group takes now; empty when it has none.
  using Lookup = std::function<model::Result<std::string>(std::string_view centre)>;

  WebhookChannel(Lookup lookup, model::Millis timeout)
      : lookup_(std::move(lookup)), timeout_(timeout) {}
  // Sends to the centre's webhook as it is now. OK for a 2xx answer;
  // Unavailable for anything else, saying what happened; FailedPrecondition
  // (not retried) when the centre has no webhook any more.
  model::Status Send(const model::Notification& n) override;

 private:
  Lookup lookup_;
  model::Millis timeout_;
};

}  // namespace notify

#endif  // NOTIFY_WEBHOOK_CHANNEL_H_
