#include "model/roles.h"

namespace model {

bool IsCaseRole(std::string_view role) {
  return role == kDutyOfficer || role == kCoordinator || role == kSupervisor;
}

bool IsKnownRole(std::string_view role) { return IsCaseRole(role) || role == kAdmin; }

bool CanHoldDuty(std::string_view user_role, std::string_view duty_role) {
  if (!IsCaseRole(duty_role) && duty_role != kNetworkCoordinator) return false;
  if (user_role == kSupervisor) return true;
  if (user_role == duty_role) return true;
  return user_role == kCoordinator && duty_role == kNetworkCoordinator;
}

std::string CaseRoleList() {
  return std::string(kDutyOfficer) + ", " + std::string(kCoordinator) + ", " +
         std::string(kSupervisor);
}

}  // namespace model
