// Delivers a notification as an HTTP(S) POST of its JSON body to its centre's
// webhook, with the idempotency key in an Idempotency-Key header.
#ifndef NOTIFY_WEBHOOK_CHANNEL_H_
#define NOTIFY_WEBHOOK_CHANNEL_H_

#include <functional>
#include <string>
#include <string_view>

#include "model/status.h"
#include "model/time.h"
#include "notify/channel.h"

namespace notify {

class WebhookChannel : public Channel {
 public:
  // The URL a centre's chat group takes now; empty when it has none.
  using Lookup = std::function<model::Result<std::string>(std::string_view centre)>;

  // `ca_file`: the certificate authorities https:// webhooks are checked
  // against, a PEM file; empty for the system's.
  WebhookChannel(Lookup lookup, model::Millis timeout, std::string ca_file = "")
      : lookup_(std::move(lookup)), timeout_(timeout), ca_file_(std::move(ca_file)) {}
  // Sends to the centre's webhook as it is now. OK for a 2xx answer;
  // Unavailable for anything else, saying what happened; FailedPrecondition
  // (not retried) when the centre has no webhook any more.
  model::Status Send(const model::Notification& n) override;

 private:
  Lookup lookup_;
  model::Millis timeout_;
  std::string ca_file_;
};

}  // namespace notify

#endif  // NOTIFY_WEBHOOK_CHANNEL_H_
