#include "notify/inbox_channel.h"

namespace notify {

model::Status InboxChannel::Send(const model::Notification& n) {
  if (n.address().rfind("user:", 0) != 0 && n.address().rfind("centre:", 0) != 0) {
    return model::Status::InvalidArgument("inbox address '" + n.address() +
                                          "' is neither user:NAME nor centre:CODE");
  }
  return store_.AddToInbox(n, clock_.Now());
}

}  // namespace notify
