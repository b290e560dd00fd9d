#include "dispatch/escalation.h"

#include <doctest/doctest.h>

#include "support/world.h"

namespace dispatch {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

model::Timer ThreeStep(model::Instant due) {
  model::Timer t;
  t.set_key("state");
  t.set_generation(7);
  *t.mutable_due_at() = model::ToProto(due);
  *t.mutable_next_at() = model::ToProto(due);
  t.add_escalate_to("assignee");
  t.add_escalate_to("centre_supervisor");
  t.add_escalate_to("network_coordinator");
  t.set_repeat_every_ms(std::chrono::duration_cast<model::Millis>(hours(1)).count());
  return t;
}

// Applies a step to the timer, as Evolve would.
void Apply(model::Timer& t, const EscalationStep& s) {
  t.set_breached(true);
  t.set_level(s.level);
  if (s.next_at) *t.mutable_next_at() = model::ToProto(*s.next_at);
}

}  // namespace

TEST_CASE("the chain is walked one target per interval, then the last one repeats") {
  const model::Instant due = testing::StartTime();
  model::Timer t = ThreeStep(due);
  EscalationStep s = NextEscalation(t, due + minutes(1));
  CHECK(s.breach);
  CHECK(s.level == 1);
  CHECK(s.targets == std::vector<std::string>{"assignee"});
  CHECK(*s.next_at == due + hours(1));
  Apply(t, s);
  s = NextEscalation(t, due + hours(1));
  CHECK_FALSE(s.breach);
  CHECK(s.targets == std::vector<std::string>{"centre_supervisor"});
  Apply(t, s);
  s = NextEscalation(t, due + hours(2));
  CHECK(s.targets == std::vector<std::string>{"network_coordinator"});
  Apply(t, s);
  s = NextEscalation(t, due + hours(3));
  CHECK(s.level == 4);
  CHECK(s.targets == std::vector<std::string>{"network_coordinator"});
  CHECK(*s.next_at == due + hours(4));
}

TEST_CASE("missed firings catch up in one step that tells everyone up to the level reached") {
  const model::Instant due = testing::StartTime();
  model::Timer t = ThreeStep(due);
  const EscalationStep s = NextEscalation(t, due + hours(5) + minutes(30));
  CHECK(s.breach);
  CHECK(s.level == 6);
  CHECK(s.targets == std::vector<std::string>{"assignee", "centre_supervisor", "network_coordinator"});
  CHECK(*s.next_at == due + hours(6));  // still on the original beat
}

TEST_CASE("without repeat_every a deadline tells its one target once") {
  const model::Instant due = testing::StartTime();
  model::Timer t = ThreeStep(due);
  t.clear_escalate_to();
  t.add_escalate_to("centre_supervisor");
  t.set_repeat_every_ms(0);
  const EscalationStep s = NextEscalation(t, due + hours(9));
  CHECK(s.level == 1);
  CHECK(s.targets == std::vector<std::string>{"centre_supervisor"});
  CHECK_FALSE(s.next_at.has_value());
}

TEST_CASE("recipients: on duty first, then everyone in the role, never nobody") {
  model::CaseState c;
  c.set_number("SZ-2026-0001");
  c.set_centre("SZ");
  c.set_responsible_centre("SZ");
  c.set_state_entry_seq(1);
  auto* task = c.add_task();
  task->set_seq(1);
  task->set_status(model::TASK_OPEN);
  task->set_entry(1);
  task->set_assignee("chan_sz");
  task->set_centre("SZ");
  model::Timer state;
  state.set_key("state");

  Roster roster;
  for (auto [name, centre, role] : {std::tuple{"ho_sz", "SZ", "supervisor"},
                                    std::tuple{"yip_sz", "SZ", "supervisor"},
                                    std::tuple{"wong_fj", "FJ", "coordinator"},
                                    std::tuple{"mak_sz", "SZ", "coordinator"}}) {
    roster.users.push_back({name, centre, role});
  }
  // Nobody on duty: every supervisor of the centre, every coordinator.
  CHECK(Recipients({"assignee", "centre_supervisor", "network_coordinator"}, c, state, "SZ", roster) ==
        std::vector<std::string>{"user:chan_sz", "user:ho_sz", "user:yip_sz", "user:wong_fj",
                                 "user:mak_sz"});
  // On duty: only those.
  roster.on_duty = {{"yip_sz", "SZ", "supervisor"}, {"wong_fj", "FJ", "network_coordinator"}};
  CHECK(Recipients({"centre_supervisor", "network_coordinator"}, c, state, "SZ", roster) ==
        std::vector<std::string>{"user:yip_sz", "user:wong_fj"});
  // No supervisor at DG at all, and an unassigned task: the centre's inbox.
  task->clear_assignee();
  CHECK(Recipients({"assignee", "centre_supervisor"}, c, state, "DG", roster) ==
        std::vector<std::string>{"centre:DG"});
}

TEST_CASE("the centre a timer concerns") {
  model::CaseState c;
  c.set_centre("FJ");
  c.set_responsible_centre("SZ");
  auto* task = c.add_task();
  task->set_seq(3);
  task->set_centre("GZ");
  auto* h = c.add_handoff();
  h->set_id(1);
  h->set_from_centre("FJ");
  model::Timer t;
  t.set_key("task/3");
  CHECK(CentreOfTimer(c, t) == "GZ");
  t.set_key("handoff/1");
  CHECK(CentreOfTimer(c, t) == "FJ");
  t.set_key("state");
  CHECK(CentreOfTimer(c, t) == "SZ");
}

}  // namespace dispatch
