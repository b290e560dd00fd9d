// What the delivery worker needs from storage. The SQLite store implements
// both interfaces; each call is its own transaction.
#ifndef NOTIFY_OUTBOX_H_
#define NOTIFY_OUTBOX_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/proto/notification.pb.h"
#include "model/status.h"
#include "model/time.h"

namespace notify {

class Outbox {
 public:
  virtual ~Outbox() = default;

  // Pending notifications whose next attempt is due at `now`, oldest first.
  virtual model::Result<std::vector<model::Notification>> Due(model::Instant now, int limit) = 0;
  virtual model::Status MarkDelivered(int64_t id, int attempts, model::Instant at) = 0;
  // A failed attempt: retried at `retry_at`, or dead-lettered when it is unset.
  virtual model::Status MarkFailed(int64_t id, int attempts, std::optional<model::Instant> retry_at,
                                   const std::string& error) = 0;
};

class InboxStore {
 public:
  virtual ~InboxStore() = default;

  // Puts a notification in its recipient's inbox. Idempotent: a second call
  // for the same notification adds nothing.
  virtual model::Status AddToInbox(const model::Notification& n, model::Instant at) = 0;
};

}  // namespace notify

#endif  // NOTIFY_OUTBOX_H_
