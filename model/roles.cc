#include "model/roles.h"

namespace model {

bool IsCaseRole(std::string_view role) {
  return role == kDutyOfficer || role == kCoordinator || role == kSupervisor;
}

bool IsKnownRole(std::string_view role) { return IsCaseRole(role) || role == kAdmin; }

std::string CaseRoleList() {
  return std::string(kDutyOfficer) + ", " + std::string(kCoordinator) + ", " +
         std::string(kSupervisor);
}

}  // namespace model
