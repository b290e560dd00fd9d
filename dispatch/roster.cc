#include "dispatch/roster.h"

#include "dispatch/describe.h"
#include "model/roles.h"

namespace dispatch {

using model::Result;
using model::Status;

std::optional<std::string> PickAssignee(const Roster& roster, std::string_view centre,
                                        std::string_view role,
                                        const std::map<std::string, int>& given,
                                        std::string_view except) {
  const auto count = [](const std::map<std::string, int>& m, const std::string& user) {
    auto it = m.find(user);
    return it == m.end() ? 0 : it->second;
  };
  std::optional<std::pair<int, std::string>> best;
  for (const OnDuty& d : roster.on_duty) {
    if (d.centre != centre || d.role != role || d.user == except) continue;
    const std::pair<int, std::string> candidate(
        count(roster.open_tasks, d.user) + count(given, d.user), d.user);
    if (!best || candidate < *best) best = candidate;
  }
  if (!best) return std::nullopt;
  return best->second;
}

namespace {

constexpr auto kLongestShift = std::chrono::days(7);
constexpr auto kLongestLeadTime = std::chrono::days(30);

// People go on and off duty themselves, or their centre's supervisor puts
// them there. Admins manage accounts, not who works a shift: duty off hands
// tasks on, which is case work.
Status CheckMayRoster(const Actor& actor, const model::User& user) {
  if (actor.user == user.name()) return Status::Ok();
  if (actor.role == model::kSupervisor && actor.centre == user.centre()) return Status::Ok();
  return Status::PermissionDenied(
      actor.Describe() + " cannot change " + user.name() + "'s duty; a supervisor at " +
          user.centre() + " can",
      actor.DescribeZh() + "不能更改 " + user.name() + " 的當值安排；" + user.centre() +
          " 的主管可以");
}

// A role as the Chinese messages name it: "當值主任".
std::string RoleZh(std::string_view role) { return RoleName(role, model::Lang::kZhHant); }

}  // namespace

Result<model::Shift> DecideDutyOn(const Actor& actor, const model::DutyOn& cmd,
                                  const model::User& user, const std::vector<model::Shift>& active,
                                  model::Instant now) {
  RETURN_IF_ERROR(CheckMayRoster(actor, user));
  if (user.role() == model::kAdmin) {
    return Status::InvalidArgument(user.name() + " is an admin; admins do not go on duty",
                                   user.name() + " 是系統管理員；系統管理員不用當值");
  }
  const std::string role = cmd.role().empty() ? user.role() : cmd.role();
  if (!model::CanHoldDuty(user.role(), role)) {
    return Status::InvalidArgument(
        user.name() + " (" + user.role() + ") cannot be on duty as " + role + "; duty roles are " +
            model::CaseRoleList() + " and network_coordinator",
        user.name() + "（" + RoleZh(user.role()) + "）不能以「" + RoleZh(role) +
            "」身分當值；當值身分為" + RoleZh(model::kDutyOfficer) + "、" +
            RoleZh(model::kCoordinator) + "、" + RoleZh(model::kSupervisor) + "及" +
            RoleZh(model::kNetworkCoordinator));
  }
  model::Instant starts = now;
  if (!cmd.from().empty()) {
    auto from = model::ParseTimestamp(cmd.from());
    if (!from.ok()) return from.status().WithField("duty_on.from");
    starts = *from;
    if (starts > now + kLongestLeadTime) {
      return Status::InvalidArgument("a shift can be planned at most 30 days ahead",
                                     "當值最多只可提前 30 日安排")
          .WithField("duty_on.from");
    }
  }
  std::optional<model::Instant> ends;
  if (!cmd.until().empty()) {
    auto until = model::ParseTimestamp(cmd.until());
    if (!until.ok()) return until.status().WithField("duty_on.until");
    ends = *until;
    if (*ends <= std::max(starts, now)) {
      return Status::InvalidArgument(
                 "the shift would end (" + model::FormatHongKong(*ends) + ") before it starts",
                 "當值的結束時間（" + model::FormatHongKong(*ends) + "）早於開始時間；請更正")
          .WithField("duty_on.until");
    }
    if (*ends - std::max(starts, now) > kLongestShift) {
      return Status::InvalidArgument(
                 "a shift lasts at most 7 days; leave out the end to stay on duty until going off",
                 "每次當值最長 7 日；如不填寫結束時間，會一直當值至你下班為止")
          .WithField("duty_on.until");
    }
  }
  for (const model::Shift& s : active) {
    if (s.role() == role) {
      const std::string since = model::FormatHongKong(model::FromProto(s.starts_at()));
      return Status::FailedPrecondition(
          user.name() + " is already on duty as " + role + " since " + since,
          user.name() + " 已由 " + since + " 起以「" + RoleZh(role) + "」身分當值");
    }
  }
  model::Shift shift;
  shift.set_user(user.name());
  shift.set_centre(user.centre());
  shift.set_role(role);
  *shift.mutable_starts_at() = model::ToProto(starts);
  if (ends) *shift.mutable_ends_at() = model::ToProto(*ends);
  shift.set_started_by(actor.user);
  return shift;
}

Status CheckDutyOff(const Actor& actor, const model::User& user,
                    const std::vector<model::Shift>& active) {
  RETURN_IF_ERROR(CheckMayRoster(actor, user));
  if (active.empty()) {
    return Status::FailedPrecondition(user.name() + " is not on duty",
                                      user.name() + " 現時沒有當值");
  }
  return Status::Ok();
}

}  // namespace dispatch
