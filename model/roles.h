// The roles a user can hold. Definitions name roles for tasks and guards; an
// unknown role there is a definition error.
#ifndef MODEL_ROLES_H_
#define MODEL_ROLES_H_

#include <string>
#include <string_view>

namespace model {

inline constexpr std::string_view kDutyOfficer = "duty_officer";
inline constexpr std::string_view kCoordinator = "coordinator";
inline constexpr std::string_view kSupervisor = "supervisor";
inline constexpr std::string_view kAdmin = "admin";  // manages users; works no cases
// A duty position, not a user role: the coordinator on duty for the whole
// network, last in escalation chains.
inline constexpr std::string_view kNetworkCoordinator = "network_coordinator";

// Any of the four roles above.
bool IsKnownRole(std::string_view role);
// A role that does case work (all but admin): what tasks and guards may name.
bool IsCaseRole(std::string_view role);
// Whether a user whose role is `user_role` may go on duty as `duty_role`:
// in their own role; supervisors in any; coordinators as network coordinator.
bool CanHoldDuty(std::string_view user_role, std::string_view duty_role);

// "duty_officer, coordinator, supervisor" for messages.
std::string CaseRoleList();

}  // namespace model

#endif  // MODEL_ROLES_H_
