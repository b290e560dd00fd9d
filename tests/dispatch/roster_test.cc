#include "dispatch/roster.h"

#include <algorithm>
#include <functional>
#include <map>

#include <doctest/doctest.h>

#include "dispatch/engine.h"
#include "support/world.h"

namespace dispatch {

TEST_CASE("a new task goes to the least-loaded officer on duty in the role at the centre") {
  Roster r;
  r.on_duty = {{"chan_sz", "SZ", "duty_officer"}, {"lee_sz", "SZ", "duty_officer"},
               {"ho_sz", "SZ", "supervisor"},     {"lam_dg", "DG", "duty_officer"}};
  r.open_tasks = {{"chan_sz", 3}, {"lee_sz", 1}, {"lam_dg", 0}, {"ho_sz", 0}};
  CHECK(*PickAssignee(r, "SZ", "duty_officer") == "lee_sz");
  r.open_tasks["lee_sz"] = 3;
  CHECK(*PickAssignee(r, "SZ", "duty_officer") == "chan_sz");  // a tie goes by name
  CHECK(*PickAssignee(r, "SZ", "supervisor") == "ho_sz");
  CHECK_FALSE(PickAssignee(r, "SZ", "coordinator").has_value());
  CHECK_FALSE(PickAssignee(r, "FJ", "duty_officer").has_value());
}

namespace {

model::User MakeUser(const char* name, const char* centre, const char* role) {
  model::User u;
  u.set_name(name);
  u.set_centre(centre);
  u.set_role(role);
  return u;
}

}  // namespace

TEST_CASE("going on duty: who, in which role, for how long") {
  const auto now = testing::StartTime();
  const model::User chan = MakeUser("chan_sz", "SZ", "duty_officer");
  const model::User mak = MakeUser("mak_sz", "SZ", "coordinator");
  const Actor chan_actor{"chan_sz", "SZ", "duty_officer"};
  const Actor ho{"ho_sz", "SZ", "supervisor"};
  const Actor ho_gz{"ho_gz", "GZ", "supervisor"};

  model::DutyOn on;
  auto shift = DecideDutyOn(chan_actor, on, chan, {}, now);
  REQUIRE(shift.ok());
  CHECK(shift->role() == "duty_officer");
  CHECK(shift->centre() == "SZ");
  CHECK(model::FromProto(shift->starts_at()) == now);
  CHECK_FALSE(model::IsSet(shift->ends_at()));

  CHECK(DecideDutyOn(chan_actor, on, chan, {*shift}, now).status().message() ==
        "chan_sz is already on duty as duty_officer since 2026-03-02 09:00");

  on.set_role("supervisor");
  CHECK(DecideDutyOn(chan_actor, on, chan, {}, now).status().code() == model::Code::kInvalidArgument);
  on.set_role("network_coordinator");
  CHECK(DecideDutyOn(Actor{"mak_sz", "SZ", "coordinator"}, on, mak, {}, now).ok());

  // Supervisors roster their own centre only.
  on.set_role("");
  CHECK(DecideDutyOn(ho, on, chan, {}, now).ok());
  CHECK(DecideDutyOn(ho_gz, on, chan, {}, now).status().code() == model::Code::kPermissionDenied);
  CHECK(DecideDutyOn(Actor{"lee_sz", "SZ", "duty_officer"}, on, chan, {}, now).status().code() ==
        model::Code::kPermissionDenied);

  on.set_until("2026-03-02T08:00+08:00");
  CHECK(DecideDutyOn(chan_actor, on, chan, {}, now).status().message().find("would end") !=
        std::string::npos);
  on.set_until("2026-03-02T21:00+08:00");
  CHECK(model::FromProto(DecideDutyOn(chan_actor, on, chan, {}, now)->ends_at()) - now ==
        std::chrono::hours(12));

  on.set_until("2026-03-09T09:01+08:00");
  CHECK(DecideDutyOn(chan_actor, on, chan, {}, now).status().message() ==
        "a shift lasts at most 7 days; leave out the end to stay on duty until going off");
  on.set_until("2026-03-02T21:00-99:99");
  CHECK(DecideDutyOn(chan_actor, on, chan, {}, now).status().field() == "duty_on.until");
  on.set_until("");
  on.set_from("2026-04-02T09:00+08:00");
  CHECK(DecideDutyOn(chan_actor, on, chan, {}, now).status().message() ==
        "a shift can be planned at most 30 days ahead");

  CHECK(CheckDutyOff(chan_actor, chan, {}).message() == "chan_sz is not on duty");
  CHECK(DecideDutyOn(Actor{"admin", "GZ", "admin"}, model::DutyOn(), MakeUser("admin", "GZ", "admin"),
                     {}, now).status().code() == model::Code::kInvalidArgument);
}

TEST_CASE("in one group of commands, each gives out work as if it were alone") {
  // The roster is taken once per group and again after any command that
  // moved a task or changed duty: a group must assign exactly as the same
  // commands one at a time do.
  const Actor chan{"chan_sz", "SZ", "duty_officer"};
  const Actor lee{"lee_sz", "SZ", "duty_officer"};
  const Actor system = SystemActor();
  const model::Command open = testing::OpenCaseCommand("escort_to_port", "SZ");
  // Who got which task, case by case, in order.
  const auto assignees = [](testing::World& w, int cases) {
    std::vector<std::string> out;
    for (int i = 1; i <= cases; ++i) {
      const std::string n = "SZ-2026-000" + std::to_string(i);
      const model::CaseState c = w.Case(n);
      for (const auto& t : c.task()) out.push_back(n + "/" + t.assignee());
    }
    return out;
  };
  const auto both_ways = [&](const std::function<void(testing::World&)>& before,
                             const std::vector<Dispatcher::Submission>& group, int cases) {
    testing::World alone;
    before(alone);
    for (const auto& c : group) (void)alone.dispatcher->ExecuteGroup({c});
    testing::World together;
    before(together);
    (void)together.dispatcher->ExecuteGroup(group);
    const auto expected = assignees(alone, cases);
    CHECK(assignees(together, cases) == expected);
    return expected;
  };

  SUBCASE("loads: each open counts the tasks the one before it gave out") {
    model::Command bad_open = open;
    bad_open.mutable_open_case()->mutable_person()->set_hkid("A123456(4)");  // refused
    const auto got = both_ways(
        [](testing::World& w) {
          w.OnDuty("chan_sz");
          w.OnDuty("lee_sz");
        },
                               {{&open, &chan}, {&bad_open, &chan}, {&open, &chan}, {&open, &chan}},
                               3);
    // Shared between the two, in turn by load, not the same pattern each time.
    CHECK(std::vector<std::string>(got.begin(), got.begin() + 3) !=
          std::vector<std::string>(got.begin() + 3, got.begin() + 6));
  }

  SUBCASE("loads going down: tasks done in the group count for the next open") {
    // Case 1's three tasks all went to chan (alone on duty then). The group
    // opens case 2 (its roster read), chan does case 1's tasks, then case 3
    // is shared out as if chan held only what case 2 gave.
    const model::Command done1 = testing::DoneCommand("SZ-2026-0001", "agree_crossing_with_family");
    const model::Command done2 = testing::DoneCommand("SZ-2026-0001", "check_travel_documents");
    const model::Command done3 = testing::DoneCommand("SZ-2026-0001", "arrange_departure");
    const auto got = both_ways(
        [&](testing::World& w) {
          w.OnDuty("chan_sz");
          (void)w.dispatcher->ExecuteGroup({{&open, &chan}});
          w.OnDuty("lee_sz");
        },
        {{&open, &chan}, {&done1, &chan}, {&done2, &chan}, {&done3, &chan}, {&open, &chan}}, 3);
    // Case 2 (taking the roster) went mostly to lee, who held nothing; case
    // 3 comes after chan's three are done, so chan is not passed over.
    CHECK(std::count(got.begin(), got.end(), "SZ-2026-0003/chan_sz") > 0);
  }

  SUBCASE("duty: an escalation reads the roster, someone comes on duty, the next open sees them") {
    // Case 1 opened and left until its first task is overdue; then one group
    // fires that deadline (the roster read for its recipients), puts lee on
    // duty, and opens case 2.
    model::Command fire;
    model::Command lee_on;
    lee_on.mutable_duty_on();
    const auto before = [&](testing::World& w) {
      (void)w.dispatcher->ExecuteGroup({{&open, &chan}});
      w.clock.Advance(std::chrono::hours(49));
      const model::CaseState first = w.Case("SZ-2026-0001");
      for (const auto& t : first.timer()) {
        if (t.key() != "task/1") continue;
        fire.mutable_fire_deadline()->set_case_number("SZ-2026-0001");
        fire.mutable_fire_deadline()->set_key(t.key());
        fire.mutable_fire_deadline()->set_generation(t.generation());
      }
    };
    const auto got =
        both_ways(before, {{&fire, &system}, {&lee_on, &lee}, {&open, &chan}}, 2);
    CHECK(std::count(got.begin(), got.end(), "SZ-2026-0002/lee_sz") > 0);
  }
}

TEST_CASE("in one group of commands, a webhook set by one is used by the next") {
  // The centres' webhooks are read once per group, and again after a
  // directory command: a task nobody at Shenzhen can take is told to its
  // webhook from the command after the webhook was set, not before.
  const Actor chan{"chan_sz", "SZ", "duty_officer"};
  const Actor admin{"admin", "GZ", "admin"};
  const model::Command open = testing::OpenCaseCommand("escort_to_port", "SZ");
  model::Command hook;
  hook.mutable_set_webhook()->set_centre("SZ");
  hook.mutable_set_webhook()->set_url("http://127.0.0.1:9/sz");
  testing::World w;  // nobody on duty: every task is unheld
  const auto replies = w.dispatcher->ExecuteGroup({{&open, &chan}, {&hook, &admin}, {&open, &chan}});
  for (const auto& r : replies) REQUIRE(r.ok());
  OutboxFilter all;
  all.limit = 1000;
  auto outbox = w.store->Read().ListOutbox(all);
  REQUIRE(outbox.ok());
  std::map<std::string, int> webhooks;  // by case
  for (const auto& n : *outbox) {
    if (n.channel() == "webhook") ++webhooks[n.case_number()];
  }
  CHECK(webhooks.count("SZ-2026-0001") == 0);
  CHECK(webhooks["SZ-2026-0002"] > 0);
}

}  // namespace dispatch
