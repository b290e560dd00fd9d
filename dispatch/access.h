// Who may do what. Decided here, in the engine, for every surface: the CLI
// and HTTP only say who the actor is.
//
// - A case is worked by its responsible centre: the owner, or the centre
//   that accepted the leg the case is in. Duty officers, coordinators and
//   supervisors there work it.
// - The owner, every centre that holds or held a leg, and a centre asked to
//   take one, read the whole case and its timeline.
// - Supervisors read every case and may assign tasks anywhere.
// - Admins manage users and read everything; they work no cases.
#ifndef DISPATCH_ACCESS_H_
#define DISPATCH_ACCESS_H_

#include <string>
#include <string_view>

#include "model/proto/case.pb.h"
#include "model/status.h"

namespace dispatch {

// The authenticated person behind a command.
struct Actor {
  std::string user;
  std::string centre;
  std::string role;

  // "chan_sz (duty_officer, SZ)" for messages.
  std::string Describe() const;
};

bool CanRead(const Actor& actor, const model::CaseState& c);
// Whether a task list entry is visible: supervisors and admins see all; others
// the tasks worked at their centre and the tasks of their centre's cases.
bool CanSeeTask(const Actor& actor, const model::TaskView& task);

// OK when `actor` may open a case owned by `centre`.
model::Status CheckCanOpen(const Actor& actor, std::string_view centre);
// OK when `actor` may fire events, do tasks, close or cancel `c`.
model::Status CheckCanWork(const Actor& actor, const model::CaseState& c);
// OK when `actor` may give a task of `c` to someone.
model::Status CheckCanAssign(const Actor& actor, const model::CaseState& c);
// OK when `actor` holds `role`, or is a supervisor (who may do any case work).
model::Status CheckHoldsRole(const Actor& actor, std::string_view role, std::string_view what);

}  // namespace dispatch

#endif  // DISPATCH_ACCESS_H_
