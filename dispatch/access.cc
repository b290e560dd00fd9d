#include "dispatch/access.h"

#include "model/roles.h"

namespace dispatch {

using model::Status;

std::string Actor::Describe() const { return user + " (" + role + ", " + centre + ")"; }

namespace {

const std::string& Responsible(const model::CaseState& c) {
  return c.responsible_centre().empty() ? c.centre() : c.responsible_centre();
}

}  // namespace

bool CanRead(const Actor& actor, const model::CaseState& c) {
  if (actor.role == model::kSupervisor || actor.role == model::kAdmin) return true;
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
  if (actor.role == model::kSupervisor || actor.role == model::kAdmin) return true;
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

}  // namespace dispatch
