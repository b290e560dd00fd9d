// Deadlines, escalation and pauses, through the Dispatcher on real SQLite with
// a fake clock.
#include <doctest/doctest.h>

#include "dispatch/engine.h"
#include "dispatch/tick.h"
#include "support/temp_dir.h"
#include "support/world.h"

namespace dispatch {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using testing::World;

// How many events of `kind` about timer `key` the case's journal holds.
int Count(World& w, const std::string& number, const std::string& kind, const std::string& key) {
  int n = 0;
  for (const model::Event& e : w.Timeline(number)) {
    const std::string k = model::Event::descriptor()->FindFieldByNumber(e.body_case())->name();
    if (k != kind) continue;
    if ((e.has_deadline_breached() && e.deadline_breached().key() == key) ||
        (e.has_escalated() && e.escalated().key() == key) ||
        (e.has_deadline_met() && e.deadline_met().key() == key) ||
        (e.has_escalation_reset() && e.escalation_reset().key() == key)) {
      ++n;
    }
  }
  return n;
}

const model::Timer* FindTimer(const model::CaseState& c, const std::string& key) {
  for (const auto& t : c.timer()) {
    if (t.key() == key) return &t;
  }
  return nullptr;
}

model::Command Pause(const std::string& number, const std::string& reason, int task = 0) {
  model::Command c;
  c.mutable_pause_case()->set_case_number(number);
  c.mutable_pause_case()->set_reason(reason);
  c.mutable_pause_case()->set_task(task);
  return c;
}

model::Command Resume(const std::string& number, const std::string& reason = "") {
  model::Command c;
  c.mutable_resume_case()->set_case_number(number);
  c.mutable_resume_case()->set_reason(reason);
  return c;
}

// The process started again on the same file, at `now`.
struct Restarted {
  Restarted(const std::string& path, model::Instant now)
      : store(SqliteStore::Open(path, SqliteStore::Mode::kOpenExisting).value()),
        catalog(testing::ShippedCatalog()),
        clock(now),
        dispatcher(*store, catalog, clock) {}

  model::CaseState Case(const std::string& number) {
    return store->Read().GetCase(number)->value();
  }

  std::unique_ptr<SqliteStore> store;
  model::WorkflowCatalog catalog;
  model::FakeClock clock;
  Dispatcher dispatcher;
};

}  // namespace

TEST_CASE("a deadline fires exactly once when its time comes") {
  World w;
  w.OnDuty("chan_sz");
  const std::string number = w.OpenEscort();  // tasks 1 and 2 due in 2 days, task 3 in 3
  CHECK(w.Advance(hours(47)) == 0);
  CHECK(w.Advance(hours(1)) == 2);
  CHECK(w.Advance(minutes(0)) == 0);
  CHECK(w.Advance(minutes(59)) == 0);
  CHECK(Count(w, number, "deadline_breached", "task/1") == 1);
  CHECK(Count(w, number, "deadline_breached", "task/2") == 1);
  CHECK(Count(w, number, "deadline_breached", "task/3") == 0);
  CHECK(FindTimer(w.Case(number), "task/1")->breached());
}

TEST_CASE("a deadline that fell due while nothing ran fires once, hours later, catching up") {
  World w;
  w.OnDuty("chan_sz");
  const std::string number = w.OpenEscort();
  // Nothing runs for 2 days and 10 hours; then one command comes.
  CHECK(w.Advance(days(2) + hours(10)) == 2);
  CHECK(w.Advance(minutes(1)) == 0);
  CHECK(Count(w, number, "deadline_breached", "task/1") == 1);
  CHECK(Count(w, number, "escalated", "task/1") == 1);
  // Tasks escalate every 4 hours to the assignee then the centre's supervisors:
  // 10 hours late, both have been told, once.
  for (const model::Event& e : w.Timeline(number)) {
    if (!e.has_escalated() || e.escalated().key() != "task/1") continue;
    CHECK(e.escalated().level() == 3);
    CHECK(std::vector<std::string>(e.escalated().recipients().begin(), e.escalated().recipients().end()) ==
          std::vector<std::string>{"user:chan_sz", "user:ho_sz"});
  }
  CHECK(w.Inbox("user:ho_sz", number).size() == 2);
}

TEST_CASE("deadlines due while the process was down fire when it starts again") {
  testing::TempDir dir;
  std::string number;
  model::Instant later;
  {
    World w(dir.Path("restart.db"));
    w.OnDuty("chan_sz");
    number = w.OpenEscort();
    later = w.clock.Now() + days(3);
  }
  Restarted r(dir.Path("restart.db"), later);
  CHECK(r.dispatcher.FireDueDeadlines()->fired == 3);  // tasks 1, 2 and 3
  CHECK(r.dispatcher.FireDueDeadlines()->fired == 0);
}

TEST_CASE("the escalation chain tells its targets in order and repeats, and acting stops it") {
  World w;
  w.OnDuty("chan_sz");
  w.OnDuty("ho_sz");
  const std::string number = w.OpenEscort();
  w.Advance(days(2));
  CHECK(w.Inbox("user:chan_sz", number).size() == 2);  // tasks 1 and 2, to their assignee
  CHECK(w.Inbox("user:ho_sz", number).empty());
  CHECK(w.Inbox("user:chan_sz", number)[0].rfind("Deadline missed on " + number, 0) == 0);

  w.Advance(hours(4));  // next: the centre's supervisor
  CHECK(w.Inbox("user:ho_sz", number).size() == 2);
  CHECK(w.Inbox("user:ho_sz", number)[0].find("(escalation 2)") != std::string::npos);
  w.Advance(hours(4));  // the chain is done: the supervisor again
  CHECK(w.Inbox("user:ho_sz", number).size() == 4);
  CHECK(w.Inbox("user:chan_sz", number).size() == 2);

  // The officer finishes task 1 (met late: its escalation ends) and notes on
  // the case (task 2's escalation starts again from the assignee).
  auto done = w.Must(testing::DoneCommand(number, "agree_crossing_with_family"), "chan_sz");
  CHECK(testing::Kinds(done) ==
        std::vector<std::string>{"task_completed", "deadline_met", "escalation_reset"});
  CHECK(done.event(1).deadline_met().late());
  w.Advance(hours(3) + minutes(59));
  CHECK(w.Inbox("user:ho_sz", number).size() == 4);
  w.Advance(minutes(1));
  CHECK(w.Inbox("user:chan_sz", number).size() == 3);  // task 2, from the start of the chain
  CHECK(w.Inbox("user:ho_sz", number).size() == 4);
  CHECK(Count(w, number, "escalated", "task/1") == 3);
  CHECK(Count(w, number, "deadline_breached", "task/2") == 1);
}

TEST_CASE("a late state ends when the case moves on") {
  World w;
  w.OnDuty("chan_sz");
  const std::string number = w.OpenEscort();
  w.Advance(days(5) + minutes(1));
  CHECK(FindTimer(w.Case(number), "state")->breached());
  for (const char* t : {"agree_crossing_with_family", "check_travel_documents", "arrange_departure"}) {
    w.Must(testing::DoneCommand(number, t), "chan_sz");
  }
  model::Command fire = testing::PlanConfirmedCommand(number);
  (*fire.mutable_fire_event()->mutable_fields())["crossing_date"] = "2026-03-08";  // tomorrow
  auto moved = w.Must(fire, "chan_sz");
  CHECK(moved.event(1).deadline_met().key() == "state");
  CHECK(moved.event(1).deadline_met().late());
  const model::Timer* state = FindTimer(moved.case_state(), "state");
  REQUIRE(state != nullptr);
  CHECK_FALSE(state->breached());
  CHECK(state->what() == "state 'travelling_to_port'");
}

TEST_CASE("pausing stops the clock, and resuming moves due times by exactly the time paused") {
  World w;
  w.OnDuty("chan_sz");
  const std::string number = w.OpenEscort();
  const model::CaseState before = w.Case(number);
  w.Advance(hours(1));
  auto paused = w.Must(Pause(number, "port_booking"), "chan_sz");
  CHECK(testing::Kinds(paused) == std::vector<std::string>{"case_paused"});
  CHECK(paused.case_state().pauses(0).keys_size() == 5);  // the case, its state, three tasks

  CHECK(w.Advance(days(3)) == 0);  // tasks were due after 2 days: nothing fires
  CHECK(w.store->Read().DueTimers(w.clock.Now(), 10)->empty());

  auto resumed = w.Must(Resume(number), "chan_sz");
  const model::CaseState after = resumed.case_state();
  CHECK(after.pauses().empty());
  CHECK(after.paused_ms().at("port_booking") ==
        std::chrono::duration_cast<model::Millis>(days(3)).count());
  for (const char* key : {"case", "state", "task/1", "task/2", "task/3"}) {
    CAPTURE(key);
    const model::Timer* was = FindTimer(before, key);
    const model::Timer* now = FindTimer(after, key);
    REQUIRE(was != nullptr);
    REQUIRE(now != nullptr);
    CHECK(model::FromProto(now->due_at()) - model::FromProto(was->due_at()) == days(3));
    CHECK(now->generation() > was->generation());
    CHECK_FALSE(model::IsSet(now->paused_at()));
  }
  // What an officer reads moves too.
  CHECK(model::FromProto(after.task(0).due_at()) - model::FromProto(before.task(0).due_at()) == days(3));
  // Task 1 was due 2 days after opening; 1 hour of that had passed.
  CHECK(w.Advance(days(2) - hours(1) - minutes(1)) == 0);
  CHECK(w.Advance(minutes(1)) == 2);
}

TEST_CASE("a clock that steps back never makes paused time negative or moves due times earlier") {
  World w;
  w.OnDuty("chan_sz");
  const std::string number = w.OpenEscort();
  const model::CaseState before = w.Case(number);
  w.Advance(hours(1));
  w.Must(Pause(number, "family_to_confirm"), "chan_sz");
  w.clock.Advance(-days(3));  // the system clock is set back
  const model::CaseState after = w.Must(Resume(number), "chan_sz").case_state();
  CHECK(after.paused_ms().at("family_to_confirm") == 0);
  for (const model::Timer& t : after.timer()) {
    CAPTURE(t.key());
    CHECK(model::FromProto(t.due_at()) >= model::FromProto(FindTimer(before, t.key())->due_at()));
  }
  // Every event is stamped no earlier than the one before it.
  const auto events = w.Timeline(number);
  for (size_t i = 1; i < events.size(); ++i) {
    CHECK(model::FromProto(events[i].at()) >= model::FromProto(events[i - 1].at()));
  }
}

TEST_CASE("a task number below 1 is refused, not read as the whole case") {
  World w;
  const std::string number = w.OpenEscort();
  auto r = w.dispatcher->Execute(Pause(number, "hospital_to_confirm", -5), "chan_sz");
  CHECK(r.status().message() ==
        "task numbers start at 1; to stop the whole case's clocks, name no task");
  CHECK(r.status().field() == "pause_case.task");
  CHECK(w.Case(number).pauses().empty());
}

TEST_CASE("one task's clock can be stopped alone") {
  World w;
  w.OnDuty("chan_sz");
  const std::string number = w.OpenEscort();
  w.Must(Pause(number, "hospital_to_confirm", 3), "chan_sz");
  CHECK(w.Advance(days(4)) == 2);  // tasks 1 and 2 fire; task 3 waits on the hospital
  CHECK(Count(w, number, "deadline_breached", "task/3") == 0);
  CHECK(w.Case(number).pauses(0).keys(0) == "task/3");
}

TEST_CASE("pauses need a reason the state allows, and one pause per reason") {
  World w;
  const std::string number = w.OpenEscort();
  auto r = w.dispatcher->Execute(Pause(number, "immigration_verification"), "chan_sz");
  CHECK(r.status().message() ==
        "case " + number + " at 'planning' cannot be paused for 'immigration_verification'; "
        "reasons allowed here: family_to_confirm, port_booking, hospital_to_confirm");
  CHECK(w.dispatcher->Execute(Resume(number), "chan_sz").status().message() ==
        "case " + number + " is not paused");
  w.Must(Pause(number, "port_booking"), "chan_sz");
  CHECK(w.dispatcher->Execute(Pause(number, "port_booking"), "chan_sz").status().message() ==
        "case " + number + " is already paused for 'port_booking' since 2026-03-02 09:00");
  CHECK(w.dispatcher->Execute(Pause(number, "port_booking"), "lam_dg").status().code() ==
        model::Code::kNotFound);
}

TEST_CASE("waiting on two parties at once: a clock both hold runs again when both have ended") {
  World w;
  w.OnDuty("chan_sz");
  const std::string number = w.OpenEscort();
  const model::CaseState before = w.Case(number);
  // The hospital, then also the family; the family is the first to answer.
  w.Must(Pause(number, "hospital_to_confirm"), "chan_sz");
  w.Advance(hours(2));
  w.Must(Pause(number, "family_to_confirm"), "chan_sz");
  REQUIRE(w.Case(number).pauses_size() == 2);
  w.Advance(hours(3));
  auto which = w.dispatcher->Execute(Resume(number), "chan_sz");
  CHECK(which.status().message() == "case " + number +
                                        " waits for hospital_to_confirm and family_to_confirm; say "
                                        "which has ended");
  CHECK(which.status().field() == "resume_case.reason");
  CHECK(w.dispatcher->Execute(Resume(number, "port_booking"), "chan_sz").status().code() ==
        model::Code::kInvalidArgument);
  const model::CaseState family_answered = w.Must(Resume(number, "family_to_confirm"), "chan_sz").case_state();
  CHECK(family_answered.paused_ms().at("family_to_confirm") ==
        std::chrono::duration_cast<model::Millis>(hours(3)).count());
  // The hospital still holds the state's and the tasks' clocks.
  CHECK(model::IsSet(FindTimer(family_answered, "state")->paused_at()));
  w.Advance(hours(5));
  const model::CaseState after = w.Must(Resume(number, "hospital_to_confirm"), "chan_sz").case_state();
  CHECK(after.pauses().empty());
  CHECK(after.paused_ms().at("hospital_to_confirm") ==
        std::chrono::duration_cast<model::Millis>(hours(10)).count());
  // Each clock moves by the whole time it was stopped, not by the sum of the pauses.
  for (const char* key : {"state", "task/1"}) {
    CAPTURE(key);
    CHECK(model::FromProto(FindTimer(after, key)->due_at()) -
              model::FromProto(FindTimer(before, key)->due_at()) ==
          hours(10));
  }
  // Waiting for the family does not hold the whole case's deadline
  // (case_clock_runs): only the hospital's ten hours move it.
  CHECK(model::FromProto(FindTimer(after, "case")->due_at()) -
            model::FromProto(FindTimer(before, "case")->due_at()) ==
        hours(10));
  w.Must(Pause(number, "family_to_confirm"), "chan_sz");
  CHECK(FindTimer(w.Case(number), "case")->paused_at().seconds() == 0);
  CHECK(model::IsSet(FindTimer(w.Case(number), "state")->paused_at()));
}


TEST_CASE("two pauses that overlap across a restart each end as they began") {
  testing::TempDir dir;
  std::string number;
  model::CaseState before;
  model::Instant stopped;
  {
    World w(dir.Path("pauses.db"));
    w.OnDuty("chan_sz");
    number = w.OpenEscort();
    before = w.Case(number);
    w.Must(Pause(number, "hospital_to_confirm"), "chan_sz");
    w.Advance(hours(2));
    w.Must(Pause(number, "family_to_confirm"), "chan_sz");
    stopped = w.clock.Now();
  }
  Restarted r(dir.Path("pauses.db"), stopped + hours(3));
  CHECK(r.Case(number).pauses_size() == 2);
  CHECK(r.dispatcher.FireDueDeadlines()->fired == 0);  // nothing held runs while down
  auto family = r.dispatcher.Execute(Resume(number, "family_to_confirm"), "chan_sz");
  REQUIRE(family.ok());
  CHECK(model::IsSet(FindTimer(family->case_state(), "state")->paused_at()));
  r.clock.Advance(hours(5));
  auto hospital = r.dispatcher.Execute(Resume(number, "hospital_to_confirm"), "chan_sz");
  REQUIRE(hospital.ok());
  const model::CaseState after = hospital->case_state();
  CHECK(after.pauses().empty());
  CHECK(model::FromProto(FindTimer(after, "state")->due_at()) -
            model::FromProto(FindTimer(before, "state")->due_at()) ==
        hours(10));
}

TEST_CASE("a booked day that came while the process was down moves the case on when it starts") {
  testing::TempDir dir;
  std::string number;
  model::Instant booked_at;
  {
    World w(dir.Path("wake.db"));
    w.OnDuty("chan_sz");
    number = w.OpenEscort();
    for (const char* t : {"agree_crossing_with_family", "check_travel_documents", "arrange_departure"}) {
      w.Must(testing::DoneCommand(number, t), "chan_sz");
    }
    model::Command plan = testing::PlanConfirmedCommand(number);
    (*plan.mutable_fire_event()->mutable_fields())["crossing_date"] = "2026-03-06";
    REQUIRE(w.Must(plan, "chan_sz").case_state().state() == "crossing_booked");
    booked_at = w.clock.Now();
  }
  // Down from the 2nd to 10:00 on the 5th; the wake was at 09:00 on the 5th.
  Restarted r(dir.Path("wake.db"), *model::ParseTimestamp("2026-03-05T10:00:00+08:00"));
  REQUIRE(r.clock.Now() > booked_at);
  auto fired = r.dispatcher.FireDueDeadlines();
  REQUIRE(fired.ok());
  CHECK(fired->fired == 1);
  const model::CaseState c = r.Case(number);
  CHECK(c.state() == "travelling_to_port");
  CHECK(FindTimer(c, "wake") == nullptr);
  CHECK(r.dispatcher.FireDueDeadlines()->fired == 0);  // once
}

TEST_CASE("a pause of one task's clock ends when the task is done") {
  World w;
  w.OnDuty("chan_sz");
  const std::string number = w.OpenEscort();
  w.Must(Pause(number, "hospital_to_confirm", 3), "chan_sz");
  w.Advance(hours(2));
  const auto done = w.Must(testing::DoneCommand(number, "arrange_departure"), "chan_sz");
  CHECK(done.case_state().pauses().empty());
  CHECK(done.case_state().paused_ms().at("hospital_to_confirm") ==
        std::chrono::duration_cast<model::Millis>(hours(2)).count());
  w.Must(Pause(number, "hospital_to_confirm", 1), "chan_sz");  // the reason is free again
}

TEST_CASE("moving the case on ends its pause") {
  World w;
  w.OnDuty("chan_sz");
  const std::string number = w.OpenEscort();
  for (const char* t : {"agree_crossing_with_family", "check_travel_documents", "arrange_departure"}) {
    w.Must(testing::DoneCommand(number, t), "chan_sz");
  }
  w.Must(Pause(number, "port_booking"), "chan_sz");
  w.Advance(hours(6));
  model::Command fire = testing::PlanConfirmedCommand(number);
  (*fire.mutable_fire_event()->mutable_fields())["crossing_date"] = "2026-03-08";  // tomorrow
  auto moved = w.Must(fire, "chan_sz");
  CHECK(moved.event(0).has_case_resumed());
  CHECK(moved.case_state().pauses().empty());
  CHECK(moved.case_state().paused_ms().at("port_booking") ==
        std::chrono::duration_cast<model::Millis>(hours(6)).count());
}

TEST_CASE("a task nobody on duty can take is reported to the centre's supervisors") {
  World w;  // nobody on duty
  const std::string number = w.OpenEscort();
  const model::CaseState c = w.Case(number);
  for (const auto& t : c.task()) CHECK(t.assignee().empty());
  const auto messages = w.Inbox("user:ho_sz", number);
  REQUIRE(messages.size() == 3);
  CHECK(messages[0] == "Nobody on duty at SZ can take task " + number +
                           "/1 (Agree the crossing date and port with the family, LI CHAN Shuk "
                           "Fan); assign it: dispatch task assign " + number + "/1 USER");
}

TEST_CASE("people cannot fire deadlines themselves") {
  World w;
  const std::string number = w.OpenEscort();
  model::Command fire;
  fire.mutable_fire_deadline()->set_case_number(number);
  fire.mutable_fire_deadline()->set_key("task/1");
  fire.mutable_fire_deadline()->set_generation(3);
  CHECK(w.dispatcher->Execute(fire, "ho_sz").status().code() == model::Code::kPermissionDenied);
}

}  // namespace dispatch

namespace dispatch {

TEST_CASE("going off duty hands open tasks to colleagues on duty, or reports them") {
  testing::World w;
  w.OnDuty("chan_sz");
  w.OnDuty("lee_sz");
  w.OnDuty("ho_sz");
  const std::string a = w.OpenEscort();  // tasks: chan, lee, chan
  const std::string b = w.OpenEscort();  // tasks: lee, chan, lee
  model::Command off;
  off.mutable_duty_off()->set_user("chan_sz");
  auto reply = w.Must(off, "chan_sz");
  CHECK(testing::Kinds(reply) == std::vector<std::string>{"task_assigned", "task_assigned", "task_assigned"});
  for (const std::string& n : {a, b}) {
    const model::CaseState c = w.Case(n);
    for (const auto& t : c.task()) CHECK(t.assignee() == "lee_sz");
  }
  const auto timeline = w.Timeline(a);
  CHECK(timeline.back().task_assigned().previous_assignee() == "chan_sz");
  CHECK(timeline.back().task_assigned().automatic());
  CHECK(timeline.back().actor() == "chan_sz");

  // The last officer leaves: the tasks wait for the next shift, and the supervisor knows.
  off.mutable_duty_off()->set_user("lee_sz");
  reply = w.Must(off, "ho_sz");
  int unheld = 0;
  for (const auto& e : reply.event()) unheld += e.has_task_unheld();
  CHECK(unheld == 6);
  const model::CaseState after = w.Case(a);
  for (const auto& t : after.task()) CHECK(t.assignee().empty());
  CHECK(w.Inbox("user:ho_sz", a).size() == 3);
}

TEST_CASE("task lists say which open tasks a pause holds: all while the case waits, else the one paused") {
  World w;
  w.OnDuty("chan_sz");
  const std::string number = w.OpenEscort();
  const auto paused_seqs = [&] {
    std::vector<int> out;
    auto actor = w.dispatcher->ResolveActor("chan_sz");
    REQUIRE(actor.ok());
    TaskFilter f;
    f.case_number = number;
    auto tasks = w.dispatcher->ListTasks(*actor, f);
    REQUIRE(tasks.ok());
    for (const auto& v : *tasks) {
      if (v.task().paused()) out.push_back(v.task().seq());
    }
    return out;
  };
  CHECK(paused_seqs().empty());
  w.Must(Pause(number, "hospital_to_confirm", 3), "chan_sz");
  CHECK(paused_seqs() == std::vector<int>{3});
  w.Must(Pause(number, "family_to_confirm"), "chan_sz");
  CHECK(paused_seqs() == std::vector<int>{1, 2, 3});
  w.Must(Resume(number, "family_to_confirm"), "chan_sz");
  CHECK(paused_seqs() == std::vector<int>{3});
  w.Must(testing::DoneCommand(number, "arrange_departure"), "chan_sz");
  CHECK(paused_seqs().empty());
  // The same, folded again from the journal.
  const model::CaseState folded = Fold(w.Timeline(number));
  for (const auto& t : folded.task()) CHECK_FALSE(t.paused());
}

}  // namespace dispatch
