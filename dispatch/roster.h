// Who is on duty, and the assignment policy: pure functions on a snapshot the
// Dispatcher takes for each command.
#ifndef DISPATCH_ROSTER_H_
#define DISPATCH_ROSTER_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dispatch/access.h"
#include "dispatch/store.h"
#include "model/proto/command.pb.h"
#include "model/proto/directory.pb.h"
#include "model/status.h"
#include "model/time.h"

namespace dispatch {

// On duty: the duty role, which may differ from the user's own.
using OnDuty = RoleHolder;

struct Roster {
  std::vector<OnDuty> on_duty;          // now
  std::vector<RoleHolder> users;        // everyone in their own role, for when nobody is on duty
  std::map<std::string, int> open_tasks;  // open tasks held, per user, across all cases
};

// The on-duty holder of `role` at `centre` with the fewest open tasks (ties:
// by name), counting `given` (tasks given out since the roster was taken) and
// passing over `except`; nullopt when nobody is on duty there in that role.
std::optional<std::string> PickAssignee(const Roster& roster, std::string_view centre,
                                        std::string_view role,
                                        const std::map<std::string, int>& given = {},
                                        std::string_view except = "");

// The shift a duty_on command starts, or why not. `user` is the user going on
// duty; `active` their shifts running now.
model::Result<model::Shift> DecideDutyOn(const Actor& actor, const model::DutyOn& command,
                                         const model::User& user,
                                         const std::vector<model::Shift>& active,
                                         model::Instant now);

// Checks a duty_off command: `user`, with shifts `active` running now.
model::Status CheckDutyOff(const Actor& actor, const model::User& user,
                           const std::vector<model::Shift>& active);

}  // namespace dispatch

#endif  // DISPATCH_ROSTER_H_
