// Who may do what. Decided here, in the engine, for every surface: the CLI
// and HTTP only say who the actor is.
//
// - Duty officers and coordinators work the cases of their own centre.
// - Supervisors read every case and may assign tasks anywhere; they work the
//   cases of their own centre.
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
