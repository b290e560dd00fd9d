#include "dispatch/roster.h"

#include <doctest/doctest.h>

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

}  // namespace dispatch
