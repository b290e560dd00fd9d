// What the delivery worker needs from storage. The SQLite store implements
// both interfaces; each call is its own transaction, unless made inside
// InOneTransaction.
#ifndef NOTIFY_OUTBOX_H_
#define NOTIFY_OUTBOX_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/proto/notification.pb.h"
#include "model/status.h"
#include "model/time.h"

namespace notify {

class Outbox {
 public:
  virtual ~Outbox() = default;

  // Claims up to `limit` pending notifications of `channel` whose next
  // attempt is due at `now`, oldest first, for `claimant` (a token unique to
  // one deliverer): until `lease_until` no other deliverer (another process
  // included) takes them, so each is sent by one. Each claim counts as an
  // attempt (`attempts` comes back counted). A deliverer that dies holding
  // some lets the lease run out, and another sends them: at least once.
  virtual model::Result<std::vector<model::Notification>> Claim(std::string_view channel,
                                                                model::Instant now, int limit,
                                                                model::Instant lease_until,
                                                                std::string_view claimant) = 0;
  // The rest end a claim. Each is FailedPrecondition when `claimant` no
  // longer holds it (its lease ran out and another deliverer took it over).

  // Gives a claimed notification back unsent, its attempt not counted: due again at `at`.
  virtual model::Status Release(int64_t id, std::string_view claimant, model::Instant at) = 0;
  virtual model::Status MarkDelivered(int64_t id, std::string_view claimant, model::Instant at) = 0;
  // A failed attempt: retried at `retry_at`, or dead-lettered when it is unset.
  virtual model::Status MarkFailed(int64_t id, std::string_view claimant,
                                   std::optional<model::Instant> retry_at,
                                   const std::string& error) = 0;

  // Runs `body`, whose calls on this outbox and its inbox then make one
  // transaction: durable together when `body` returns OK, none of them
  // otherwise. For channels that deliver into this database (the inbox): a
  // batch costs one sync to disk, not two per notification. Never around a
  // send that leaves the machine: it holds the write lock.
  virtual model::Status InOneTransaction(const std::function<model::Status()>& body) = 0;
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
