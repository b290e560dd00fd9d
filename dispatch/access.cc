#include "dispatch/access.h"

#include "model/roles.h"
#include "notify/notifications.h"

namespace dispatch {

using model::Status;

std::string Actor::Describe() const { return user + " (" + role + ", " + centre + ")"; }

namespace {

const std::string& Responsible(const model::CaseState& c) {
  return c.responsible_centre().empty() ? c.centre() : c.responsible_centre();
}

}  // namespace

bool SeesEverything(const Actor& actor) {
  return actor.role == model::kSupervisor || actor.role == model::kAdmin;
}

bool CanRead(const Actor& actor, const model::CaseState& c) {
  return SeesEverything(actor) || TakesPart(actor, c);
}

bool TakesPart(const Actor& actor, const model::CaseState& c) {
  if (actor.centre == c.centre() || actor.centre == Responsible(c)) return true;
  for (const auto& h : c.handoff()) {
    if (h.from_centre() == actor.centre) return true;
    if (h.to_centre() == actor.centre &&
        (h.status() == model::HANDOFF_PENDING || h.status() == model::HANDOFF_ACCEPTED)) {
      return true;
    }
  }
  return false;
}

bool CanSeeTask(const Actor& actor, const model::TaskView& task) {
  if (SeesEverything(actor)) return true;
  return task.task().centre() == actor.centre || task.centre() == actor.centre;
}

Status CheckCanOpen(const Actor& actor, std::string_view centre) {
  if (!model::IsCaseRole(actor.role)) {
    return Status::PermissionDenied(actor.Describe() +
                                    " works no cases; ask a duty officer to open it");
  }
  if (actor.centre != centre && actor.role != model::kSupervisor) {
    return Status::PermissionDenied(actor.Describe() + " cannot open a case for centre " +
                                    std::string(centre) + "; open it at " + actor.centre +
                                    " or ask " + std::string(centre) + " to open it");
  }
  return Status::Ok();
}

Status CheckCanWork(const Actor& actor, const model::CaseState& c) {
  if (!model::IsCaseRole(actor.role)) {
    return Status::PermissionDenied(actor.Describe() + " works no cases");
  }
  if (actor.centre != Responsible(c)) {
    return Status::PermissionDenied(actor.Describe() + " cannot act on " + c.number() +
                                    ", which is worked by centre " + Responsible(c) + " now; ask " +
                                    Responsible(c) + "'s duty officer");
  }
  return Status::Ok();
}

Status CheckCanAssign(const Actor& actor, const model::CaseState& c) {
  if (actor.role == model::kSupervisor) return Status::Ok();
  return CheckCanWork(actor, c);
}

Status CheckHoldsRole(const Actor& actor, std::string_view role, std::string_view what) {
  if (actor.role == role || actor.role == model::kSupervisor) return Status::Ok();
  return Status::PermissionDenied(std::string(what) + " is for a " + std::string(role) + "; " +
                                  actor.Describe() + " cannot do it");
}

Status CheckCanNote(const Actor& actor, const model::CaseState& c) {
  if (model::IsCaseRole(actor.role) && TakesPart(actor, c)) return Status::Ok();
  return Status::PermissionDenied(actor.Describe() + " may read " + c.number() +
                                  " but not write on it; notes come from the centres working it");
}

Status CheckIsAdmin(const Actor& actor, std::string_view what) {
  if (actor.role == model::kAdmin) return Status::Ok();
  return Status::PermissionDenied(actor.Describe() + " cannot " + std::string(what) +
                                  "; ask an admin");
}

Status CheckCanSetPassword(const Actor& actor, std::string_view user) {
  if (actor.user == user || actor.role == model::kAdmin) return Status::Ok();
  return Status::PermissionDenied(actor.Describe() + " cannot set " + std::string(user) +
                                  "'s password; an admin can");
}

Status CheckCanManageKeys(const Actor& actor, std::string_view user) {
  if (actor.user == user || actor.role == model::kAdmin) return Status::Ok();
  return Status::PermissionDenied(actor.Describe() + " cannot manage " + std::string(user) +
                                  "'s tokens; an admin can");
}

Status CheckCanReadOutbox(const Actor& actor) {
  if (actor.role == model::kSupervisor || actor.role == model::kCoordinator ||
      actor.role == model::kAdmin) {
    return Status::Ok();
  }
  return Status::PermissionDenied(actor.Describe() +
                                  " cannot read the outbox; supervisors and coordinators can");
}

bool CanSeeNotification(const Actor& actor, const model::Notification& n,
                        const model::CaseState* c) {
  if (actor.role == model::kSupervisor || actor.role == model::kAdmin) return true;
  if (actor.role != model::kCoordinator) return false;
  if (c != nullptr && CanRead(actor, *c)) return true;
  return notify::CentreOf(n) == actor.centre || n.address() == "user:" + actor.user;
}

bool IsAddressedTo(const Actor& actor, const model::InboxItem& item) {
  return item.recipient() == "user:" + actor.user || item.recipient() == "centre:" + actor.centre;
}

model::Centre Visible(const Actor& actor, model::Centre centre) {
  centre.set_has_webhook(!centre.webhook_url().empty());
  if (actor.role != model::kAdmin) centre.clear_webhook_url();
  return centre;
}

model::Notification Visible(const Actor& actor, model::Notification n) {
  // Notifications written before webhooks were looked up when sent carry
  // the URL itself.
  if (actor.role != model::kAdmin && n.channel() == notify::kWebhook &&
      n.address().rfind("centre:", 0) != 0) {
    n.set_address("centre:" + notify::CentreOf(n));
  }
  return n;
}

}  // namespace dispatch
