// A way of delivering a notification: the inbox, a webhook.
#ifndef NOTIFY_CHANNEL_H_
#define NOTIFY_CHANNEL_H_

#include "model/proto/notification.pb.h"
#include "model/status.h"

namespace notify {

// The channel names notifications carry.
inline constexpr char kInbox[] = "inbox";
inline constexpr char kWebhook[] = "webhook";

class Channel {
 public:
  virtual ~Channel() = default;
  // Delivers `n` once more. OK means the receiver has it; FailedPrecondition
  // that it can never be delivered (dead-lettered at once); anything else is
  // retried later. Receivers drop repeats by the idempotency key.
  virtual model::Status Send(const model::Notification& n) = 0;
  // Whether it delivers into the database the outbox is in (no network, no
  // wait): then a claimed batch is sent and marked in one transaction.
  virtual bool local() const { return false; }
};

}  // namespace notify

#endif  // NOTIFY_CHANNEL_H_
