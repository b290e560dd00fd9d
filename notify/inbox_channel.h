// Delivers to the inbox of a user ("user:NAME") or a centre ("centre:CODE").
#ifndef NOTIFY_INBOX_CHANNEL_H_
#define NOTIFY_INBOX_CHANNEL_H_

#include "model/time.h"
#include "notify/channel.h"
#include "notify/outbox.h"

namespace notify {

// REQUIRES: store and clock outlive it.
class InboxChannel : public Channel {
 public:
  InboxChannel(InboxStore& store, const model::Clock& clock) : store_(store), clock_(clock) {}
  model::Status Send(const model::Notification& n) override;
  bool local() const override { return true; }

 private:
  InboxStore& store_;
  const model::Clock& clock_;
};

}  // namespace notify

#endif  // NOTIFY_INBOX_CHANNEL_H_
