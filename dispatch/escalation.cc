#include "dispatch/escalation.h"

#include <algorithm>

#include "dispatch/timer_keys.h"
#include "model/roles.h"
#include "model/workflow_loader.h"

namespace dispatch {

namespace {

void AddUnique(std::vector<std::string>& out, std::string address) {
  if (std::find(out.begin(), out.end(), address) == out.end()) out.push_back(std::move(address));
}

std::vector<std::string> Assignees(const model::CaseState& c, const model::Timer& t) {
  std::vector<std::string> out;
  if (const int seq = TaskOfTimer(t.key())) {
    for (const auto& task : c.task()) {
      if (task.seq() == seq && !task.assignee().empty()) AddUnique(out, task.assignee());
    }
  } else if (const int id = HandoffOfTimer(t.key())) {
    for (const auto& h : c.handoff()) {
      if (h.id() == id) AddUnique(out, h.requested_by());
    }
  } else {
    const bool state_only = t.key() == kStateTimer;
    for (const auto& task : c.task()) {
      if (task.status() != model::TASK_OPEN || task.assignee().empty()) continue;
      if (state_only && task.entry() != c.state_entry_seq()) continue;
      AddUnique(out, task.assignee());
    }
  }
  return out;
}

std::vector<std::string> OnDutyOrAll(const Roster& roster, std::string_view duty_role,
                                     std::string_view user_role, std::string_view centre) {
  std::vector<std::string> out;
  for (const OnDuty& d : roster.on_duty) {
    if (d.role == duty_role && (centre.empty() || d.centre == centre)) AddUnique(out, d.user);
  }
  if (!out.empty()) return out;
  for (const RoleHolder& u : roster.users) {
    if (u.role == user_role && (centre.empty() || u.centre == centre)) AddUnique(out, u.user);
  }
  return out;
}

}  // namespace

EscalationStep NextEscalation(const model::Timer& t, model::Instant now) {
  EscalationStep step;
  const model::Instant base = model::FromProto(t.next_at());
  const int64_t repeat = t.repeat_every_ms();
  const int64_t steps = 1 + (repeat > 0 ? (now - base).count() / repeat : 0);
  step.breach = !t.breached();
  step.level = t.level() + static_cast<int>(steps);
  const int n = t.escalate_to_size();
  const int first = std::min(t.level(), n - 1);
  const int last = std::min(step.level, n);  // exclusive
  for (int i = first; i < std::max(last, first + 1); ++i) step.targets.push_back(t.escalate_to(i));
  if (repeat > 0) step.next_at = base + model::Millis(steps * repeat);
  return step;
}

std::string CentreOfTimer(const model::CaseState& c, const model::Timer& t) {
  if (const int seq = TaskOfTimer(t.key())) {
    for (const auto& task : c.task()) {
      if (task.seq() == seq && !task.centre().empty()) return task.centre();
    }
  }
  if (const int id = HandoffOfTimer(t.key())) {
    for (const auto& h : c.handoff()) {
      if (h.id() == id) return h.from_centre();
    }
  }
  return c.responsible_centre().empty() ? c.centre() : c.responsible_centre();
}

std::vector<std::string> Recipients(const std::vector<std::string>& targets,
                                    const model::CaseState& c, const model::Timer& timer,
                                    std::string_view centre, const Roster& roster) {
  std::vector<std::string> out;
  for (const std::string& target : targets) {
    std::vector<std::string> users;
    if (target == model::kEscalateAssignee) {
      users = Assignees(c, timer);
    } else if (target == model::kEscalateCentreSupervisor) {
      users = OnDutyOrAll(roster, model::kSupervisor, model::kSupervisor, centre);
    } else if (target == model::kEscalateNetworkCoordinator) {
      users = OnDutyOrAll(roster, model::kNetworkCoordinator, model::kCoordinator, "");
    }
    if (users.empty()) AddUnique(out, "centre:" + std::string(centre));
    for (const auto& u : users) AddUnique(out, "user:" + u);
  }
  return out;
}

}  // namespace dispatch
