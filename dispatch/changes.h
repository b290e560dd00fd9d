// What changed, for a server's event stream: events on the cases an actor
// may see, tasks given to them, and messages in their inbox, in order, from
// a position that a client can hand back to resume (Last-Event-ID).
#ifndef DISPATCH_CHANGES_H_
#define DISPATCH_CHANGES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dispatch/dispatcher.h"
#include "model/proto/notification.pb.h"

namespace dispatch {

// Where a stream is: the last journal row and inbox message it has passed.
struct StreamPosition {
  int64_t journal = 0;
  int64_t inbox = 0;

  // "1234-56", the event id a client sends back.
  std::string ToId() const;
  // nullopt for anything that is not an id ToId made.
  static std::optional<StreamPosition> FromId(std::string_view id);
  bool operator==(const StreamPosition&) const = default;
};

struct ChangeBatch {
  std::vector<model::Change> changes;
  std::vector<StreamPosition> positions;  // the position after each change
  StreamPosition next;  // after everything looked at, seen or not
  bool more = false;    // `limit` rows were read: ask again at once
};

// The position now: a stream that starts here says only what happens next.
model::Result<StreamPosition> Now(Dispatcher& d);

// What changed after `from` that `actor` may see, oldest first; at most
// `limit` journal rows and `limit` inbox messages are looked at.
model::Result<ChangeBatch> ChangesSince(Dispatcher& d, const Actor& actor, StreamPosition from,
                                        int limit = 200);

}  // namespace dispatch

#endif  // DISPATCH_CHANGES_H_
