// Which events tell whom: a pure function from an appended event to the
// notifications the outbox must deliver. Written in the same transaction as
// the event, so a notification exists exactly when its event does.
#ifndef NOTIFY_NOTIFICATIONS_H_
#define NOTIFY_NOTIFICATIONS_H_

#include <map>
#include <string>
#include <vector>

#include "model/proto/case.pb.h"
#include "model/proto/event.pb.h"
#include "model/proto/notification.pb.h"
#include "model/proto/workflow.pb.h"
#include "notify/channel.h"

namespace notify {

// Notifications for `event`, now applied to `after`. `def` gives labels;
// `webhooks` maps centre codes to the URL their chat group takes. Each
// notification gets an idempotency key that is the same on every delivery.
// Webhook bodies carry the person's names and masked identity numbers only.
std::vector<model::Notification> NotificationsFor(const model::CaseState& after,
                                                  const model::Event& event,
                                                  const model::WorkflowDefinition& def,
                                                  const std::map<std::string, std::string>& webhooks);

// The centre whose inbox or chat group `n` goes to. Notifications written
// before they said so name it in their address ("centre:SZ") or their
// idempotency key ("...:webhook:SZ").
std::string CentreOf(const model::Notification& n);

}  // namespace notify

#endif  // NOTIFY_NOTIFICATIONS_H_
