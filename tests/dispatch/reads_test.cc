// Reads as every surface makes them (dispatch/reads.h): lists page newest
// first without repeating or skipping, an officer's page is read past the
// cases the store narrows to but access leaves out, and what a command or a
// list reads is found by index, so that its cost does not grow with the
// number of cases and tasks.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include "dispatch/reads.h"
#include "dispatch/sqlite_db.h"
#include "model/proto/case.pb.h"
#include "support/temp_dir.h"
#include "support/world.h"

namespace {

using dispatch::ReadRequest;

model::CaseList Cases(testing::World& w, const std::string& who, ReadRequest r) {
  auto actor = w.dispatcher->ResolveActor(who);
  REQUIRE(actor.ok());
  auto answer = dispatch::Read(*w.dispatcher, *actor, r);
  REQUIRE_MESSAGE(answer.ok(), answer.status().ToString());
  return dynamic_cast<model::CaseList&>(**answer);
}

std::vector<std::string> AllPages(testing::World& w, const std::string& who, int limit) {
  std::vector<std::string> seen;
  std::string after;
  for (int page = 0; page < 50; ++page) {
    ReadRequest r({"cases"}, {{"status", "all"}, {"limit", std::to_string(limit)}});
    if (!after.empty()) r.query["after"] = after;
    const model::CaseList list = Cases(w, who, r);
    CHECK(list.case_state_size() <= limit);
    for (const auto& c : list.case_state()) seen.push_back(c.number());
    after = list.next_after();
    if (after.empty()) break;
    CHECK(list.case_state_size() == limit);
  }
  return seen;
}

// Shenzhen's coordinator asks Dongguan to take the escort at the port of `number`.
void AskDongguanToEscort(testing::World& w, const std::string& number) {
  model::Command ask;
  ask.mutable_request_handoff()->set_case_number(number);
  ask.mutable_request_handoff()->set_to_centre("DG");
  ask.mutable_request_handoff()->set_leg("port_escort");
  ask.mutable_request_handoff()->set_message("escort at the port");
  w.Must(ask, "mak_sz");
}

}  // namespace

TEST_CASE("case lists page newest first, each case once, and an officer's pages hold only theirs") {
  testing::World w;
  std::vector<std::string> sz;
  for (int i = 0; i < 7; ++i) {
    sz.push_back(w.OpenEscort());
    w.clock.Advance(std::chrono::minutes(1));
  }
  // DG is asked to take a leg of one SZ case and declines another.
  auto ask = [&](const std::string& number) {
    model::Command c;
    auto* h = c.mutable_request_handoff();
    h->set_case_number(number);
    h->set_to_centre("DG");
    h->set_leg("port_escort");
    h->set_message("escort at the port");
    w.Must(c, "mak_sz");
  };
  ask(sz[1]);
  ask(sz[4]);
  model::Command decline;
  decline.mutable_decline_handoff()->set_case_number(sz[4]);
  decline.mutable_decline_handoff()->set_handoff(1);
  decline.mutable_decline_handoff()->set_reason("no escort team this week");
  w.Must(decline, "choi_dg");
  model::Command own = testing::OpenCaseCommand("escort_to_port", "DG");
  const std::string dg = w.Must(own, "lam_dg").case_state().number();

  // A supervisor pages through all eight, newest first.
  const std::vector<std::string> newest_first = {dg,    sz[6], sz[5], sz[4],
                                                 sz[3], sz[2], sz[1], sz[0]};
  for (int limit : {1, 3, 8, 100}) {
    CAPTURE(limit);
    CHECK(AllPages(w, "ho_sz", limit) == newest_first);
  }
  // A DG officer: its own, and the one whose leg it was asked to take; not
  // the declined one, on any page size.
  for (int limit : {1, 2, 100}) {
    CAPTURE(limit);
    CHECK(AllPages(w, "lam_dg", limit) == std::vector<std::string>{dg, sz[1]});
  }
  // Paging from a case one may not see says there is no such case.
  auto actor = w.dispatcher->ResolveActor("lam_dg");
  auto hidden = dispatch::Read(*w.dispatcher, *actor,
                               ReadRequest({"cases"}, {{"after", sz[3]}}));
  CHECK(hidden.status().code() == model::Code::kNotFound);
  CHECK(hidden.status().message() == "no case " + sz[3] + " to list from");
}

TEST_CASE("what commands and lists read is found by index, not by reading every row") {
  testing::TempDir dir;
  testing::World w(dir.Path("plans.db"));
  auto db = dispatch::SqliteDb::Open(dir.Path("plans.db"), dispatch::SqliteDb::Mode::kOpenExisting);
  REQUIRE(db.ok());
  auto plan = [&](const std::string& sql) {
    auto st = (*db)->Prepare("EXPLAIN QUERY PLAN " + sql);
    REQUIRE(st.ok());
    std::string out;
    while (*st->Step()) out += st->ColumnText(3) + "\n";
    return out;
  };
  // The load of those on duty, read when a task is given: one row a person.
  const std::string load = plan("SELECT open FROM task_load WHERE user = 'x'");
  CHECK(load.find("SEARCH task_load USING PRIMARY KEY") != std::string::npos);
  // The newest cases first, a page at a time.
  const std::string newest = plan(
      "SELECT body FROM cases WHERE status = 1 AND (opened_at, number) < (SELECT opened_at, number"
      " FROM cases WHERE number = 'x') ORDER BY opened_at DESC, number DESC LIMIT 100");
  CHECK(newest.find("USE TEMP B-TREE FOR ORDER BY") == std::string::npos);
  // A centre's cases and those with handoffs from or to it.
  const std::string involving = plan(
      "SELECT case_number FROM handoffs WHERE from_centre = 'DG' UNION "
      "SELECT case_number FROM handoffs WHERE to_centre = 'DG'");
  CHECK(involving.find("handoffs_from") != std::string::npos);
  CHECK(involving.find("handoffs_to") != std::string::npos);
  // The next deadline to fire.
  const std::string due = plan("SELECT MIN(next_at) FROM timers WHERE next_at IS NOT NULL");
  CHECK(due.find("timers_due") != std::string::npos);
  // A batch of due deadlines in firing order, however many fell due at one
  // instant: read from the index in order, not sorted each batch.
  const std::string batch = plan(
      "SELECT case_number, key, generation, next_at FROM timers WHERE next_at IS NOT NULL"
      " AND next_at <= 5 ORDER BY next_at, case_number, key LIMIT 100");
  CHECK(batch.find("timers_due") != std::string::npos);
  CHECK(batch.find("TEMP B-TREE") == std::string::npos);
}

TEST_CASE("the open tasks each person holds are kept as tasks are given, done, moved and rebuilt") {
  testing::TempDir dir;
  testing::World w(dir.Path("load.db"));
  w.OnDuty("chan_sz");
  w.OnDuty("lee_sz");
  std::vector<std::string> cases;
  for (int i = 0; i < 4; ++i) cases.push_back(w.OpenEscort());
  w.Must(testing::AssignCommand(cases[0], 1, "lee_sz"), "mak_sz");
  w.Must(testing::DoneCommand(cases[1], "agree_crossing_with_family"), "chan_sz");
  model::Command cancel;
  cancel.mutable_cancel_case()->set_case_number(cases[2]);
  cancel.mutable_cancel_case()->set_reason("the family took her home");
  w.Must(cancel, "chan_sz");
  model::Command off;
  off.mutable_duty_off();
  w.Must(off, "lee_sz");  // hands lee_sz's tasks to chan_sz

  auto db = dispatch::SqliteDb::Open(dir.Path("load.db"), dispatch::SqliteDb::Mode::kOpenExisting);
  REQUIRE(db.ok());
  auto counted = [&] {
    std::map<std::string, int> out;
    auto st = (*db)->Prepare(
        "SELECT assignee, COUNT(*) FROM tasks WHERE status = 1 AND assignee IS NOT NULL "
        "GROUP BY assignee");
    while (*st->Step()) out[st->ColumnText(0)] = static_cast<int>(st->ColumnInt(1));
    return out;
  };
  auto kept = [&] {
    auto load = w.store->Read().OpenTaskCounts({"chan_sz", "lee_sz", "lam_dg"});
    REQUIRE(load.ok());
    std::map<std::string, int> out;
    for (const auto& [user, n] : *load) {
      if (n != 0) out[user] = n;
    }
    return out;
  };
  const auto truth = counted();
  CHECK(truth.at("chan_sz") > 0);
  CHECK(truth.count("lee_sz") == 0);  // off duty: handed on
  CHECK(kept() == truth);
  REQUIRE(w.store->RebuildProjections().ok());
  CHECK(kept() == truth);
  CHECK(counted() == truth);
}

TEST_CASE("a leg taken over by another centre: its tasks are in that centre's task lists") {
  testing::World w;
  w.OnDuty("chan_sz");
  w.OnDuty("lam_dg");
  const std::string n = w.OpenEscort();
  for (const char* task : {"agree_crossing_with_family", "check_travel_documents", "arrange_departure"}) {
    w.Must(testing::DoneCommand(n, task), "chan_sz");
  }
  w.Must(testing::PlanConfirmedCommand(n), "chan_sz");
  AskDongguanToEscort(w, n);
  model::Command accept;
  accept.mutable_accept_handoff()->set_case_number(n);
  accept.mutable_accept_handoff()->set_handoff(1);
  w.Must(accept, "choi_dg");

  std::set<int> at_dg;  // the open tasks now worked at DG
  const model::CaseState taken = w.Case(n);
  for (const auto& t : taken.task()) {
    if (t.status() == model::TASK_OPEN && t.centre() == "DG") at_dg.insert(t.seq());
  }
  REQUIRE_FALSE(at_dg.empty());
  auto actor = w.dispatcher->ResolveActor("lam_dg");
  for (const char* mine : {"0", "1"}) {
    CAPTURE(mine);
    auto answer = dispatch::Read(*w.dispatcher, *actor, ReadRequest({"tasks"}, {{"mine", mine}}));
    REQUIRE(answer.ok());
    std::set<int> listed;
    for (const auto& t : dynamic_cast<model::TaskList&>(**answer).task()) {
      if (t.case_number() == n) listed.insert(t.task().seq());
    }
    CHECK(listed == at_dg);
  }
}

namespace {

model::PossibleEvent NextEvent(testing::World& w, const std::string& who, const std::string& number,
                               const std::string& event) {
  auto actor = w.dispatcher->ResolveActor(who);
  REQUIRE(actor.ok());
  auto answer = dispatch::Read(*w.dispatcher, *actor, ReadRequest({"cases", number, "next"}));
  REQUIRE_MESSAGE(answer.ok(), answer.status().ToString());
  for (const auto& e : dynamic_cast<model::PossibleEvents&>(**answer).event()) {
    if (e.event() == event) return e;
  }
  FAIL("no event " << event);
  return {};
}

std::string Joined(const google::protobuf::RepeatedPtrField<model::Label>& lines) {
  std::string out;
  for (const auto& l : lines) out += l.en() + " / " + l.zh_hant() + "\n";
  return out;
}

}  // namespace

TEST_CASE("what can be done now: each event with what keeps it back, as firing it would answer") {
  testing::World w;
  w.OnDuty("chan_sz");
  const std::string n = w.OpenEscort();

  model::PossibleEvent plan = NextEvent(w, "chan_sz", n, "plan_confirmed");
  CHECK_FALSE(plan.ready());
  CHECK(plan.to_state() == "crossing_booked");
  CHECK(plan.label().en() == "Escort plan confirmed");
  const std::string missing = Joined(plan.missing());
  CHECK(missing.find("task 'agree_crossing_with_family'") != std::string::npos);
  CHECK(missing.find("field 'port' is not set") != std::string::npos);
  // In Chinese, with the labels of the case type.
  CHECK(missing.find("工作「與家屬協定過境日期及口岸」尚未完成") != std::string::npos);
  CHECK(missing.find("「過境口岸」尚未填寫") != std::string::npos);
  // What the conditions read and the case lacks is asked for; "today" is no field.
  CHECK(std::vector<std::string>(plan.ask().begin(), plan.ask().end()) ==
        std::vector<std::string>{"crossing_date", "hk_receiver", "port"});
  // Firing it now is refused for the same reasons.
  auto refused = w.dispatcher->Execute(testing::FireCommand(n, "plan_confirmed"), "chan_sz");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().message().find("task 'agree_crossing_with_family'") != std::string::npos);

  for (const char* task : {"agree_crossing_with_family", "check_travel_documents", "arrange_departure"}) {
    w.Must(testing::DoneCommand(n, task), "chan_sz");
  }
  model::Command fields;
  fields.mutable_set_fields()->set_case_number(n);
  (*fields.mutable_set_fields()->mutable_fields())["port"] = "shenzhen_bay";
  (*fields.mutable_set_fields()->mutable_fields())["hk_receiver"] = "family";
  (*fields.mutable_set_fields()->mutable_fields())["crossing_date"] = "2026-03-05";
  w.Must(fields, "chan_sz");
  plan = NextEvent(w, "chan_sz", n, "plan_confirmed");
  CHECK_MESSAGE(plan.ready(), Joined(plan.missing()));
  CHECK(plan.missing_size() == 0);
  CHECK(plan.ask_size() == 0);

  // In the waiting state the day's event is the system's. Postponing must say
  // why each time: not ready with nothing given, as firing it bare is refused.
  w.Must(testing::FireCommand(n, "plan_confirmed"), "chan_sz");
  REQUIRE(w.Case(n).state() == "crossing_booked");
  CHECK(NextEvent(w, "chan_sz", n, "crossing_day_near").on_the_day());
  const model::PossibleEvent postpone = NextEvent(w, "chan_sz", n, "postponed");
  CHECK_FALSE(postpone.ready());
  CHECK(Joined(postpone.missing()).find("'postponed_reason' must be given") != std::string::npos);
  CHECK_FALSE(w.dispatcher->Execute(testing::FireCommand(n, "postponed"), "chan_sz").ok());
  CHECK(std::vector<std::string>(postpone.ask().begin(), postpone.ask().end()) ==
        std::vector<std::string>{"postponed_reason"});
}

TEST_CASE("a case's timeline is read with its lines in both languages, as the command line prints them") {
  testing::World w;
  w.OnDuty("chan_sz");
  const std::string n = w.OpenEscort();
  w.Must(testing::DoneCommand(n, "agree_crossing_with_family"), "chan_sz");
  auto actor = w.dispatcher->ResolveActor("chan_sz");
  auto answer = dispatch::Read(*w.dispatcher, *actor, ReadRequest({"cases", n, "timeline"}));
  REQUIRE(answer.ok());
  const auto& timeline = dynamic_cast<model::Timeline&>(**answer);
  REQUIRE(timeline.line_size() > 2);
  CHECK(timeline.line_size() < timeline.event_size());  // a new task's deadline is on its line
  CHECK(timeline.line(0).seq() == 1);
  CHECK(timeline.line(0).what().en().rfind("Opened at SZ", 0) == 0);
  CHECK(timeline.line(0).what().zh_hant().rfind("開案：SZ", 0) == 0);
  const auto& last = timeline.line(timeline.line_size() - 1);
  CHECK(last.actor() == "chan_sz");
  CHECK(last.seq() == timeline.event(timeline.event_size() - 1).seq());
  // A third centre's officer reads nothing of it.
  auto stranger = w.dispatcher->ResolveActor("yu_zs");
  REQUIRE(stranger.ok());
  CHECK_FALSE(dispatch::Read(*w.dispatcher, *stranger, ReadRequest({"cases", n, "timeline"})).ok());
  CHECK_FALSE(dispatch::Read(*w.dispatcher, *stranger, ReadRequest({"cases", n, "next"})).ok());
}

TEST_CASE("the network at a glance: each centre's open cases, overdue tasks, missed deadlines, waiting handoffs and duty") {
  testing::World w;
  w.OnDuty("chan_sz");
  w.OnDuty("lam_dg");
  const std::string late = w.OpenEscort();
  const std::string asked = w.OpenEscort();
  w.Must(testing::OpenCaseCommand("escort_to_port", "DG"), "lam_dg");
  AskDongguanToEscort(w, asked);
  // Past the planning tasks' due times (2d) and the planning stage's deadline.
  w.Advance(std::chrono::hours(24 * 6));
  model::Command done;
  done.mutable_complete_task()->set_case_number(asked);
  done.mutable_complete_task()->mutable_task()->set_seq(1);
  w.Must(done, "chan_sz");

  auto supervisor = w.dispatcher->ResolveActor("ho_sz");
  REQUIRE(supervisor.ok());
  auto answer = dispatch::Read(*w.dispatcher, *supervisor, ReadRequest({"network"}));
  REQUIRE_MESSAGE(answer.ok(), answer.status().ToString());
  const auto& net = dynamic_cast<model::NetworkFigures&>(**answer);
  std::map<std::string, model::CentreFigures> by;
  for (const auto& f : net.centre()) by[f.centre()] = f;
  CHECK(by.size() == 6);  // every centre, even with nothing open
  CHECK(by["SZ"].open_cases() == 2);
  CHECK(by["DG"].open_cases() == 1);
  CHECK(by["GZ"].open_cases() == 0);
  CHECK(by["SZ"].open_tasks() == 5);     // three of `late`, two of `asked`
  CHECK(by["SZ"].overdue_tasks() == 5);  // all past due
  CHECK(by["DG"].overdue_tasks() == 3);
  CHECK(by["SZ"].missed_deadlines() == 2);
  CHECK(by["DG"].handoffs_waiting() == 1);
  CHECK(by["SZ"].handoffs_waiting() == 0);
  CHECK(model::IsSet(by["DG"].oldest_handoff_since()));
  CHECK(std::vector<std::string>(by["SZ"].on_duty().begin(), by["SZ"].on_duty().end()) ==
        std::vector<std::string>{"chan_sz"});
  CHECK(net.dead_letters() == 0);

  // Pausing a case takes its tasks out of the overdue count.
  model::Command pause;
  pause.mutable_pause_case()->set_case_number(late);
  pause.mutable_pause_case()->set_reason("family_to_confirm");
  w.Must(pause, "chan_sz");
  answer = dispatch::Read(*w.dispatcher, *supervisor, ReadRequest({"network"}));
  REQUIRE(answer.ok());
  for (const auto& f : dynamic_cast<model::NetworkFigures&>(**answer).centre()) {
    if (f.centre() == "SZ") CHECK(f.overdue_tasks() == 2);
  }

  auto officer = w.dispatcher->ResolveActor("chan_sz");
  const auto refused = dispatch::Read(*w.dispatcher, *officer, ReadRequest({"network"}));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == model::Code::kPermissionDenied);
}

TEST_CASE("a message to a centre read by one officer stays unread for the others") {
  testing::World w;
  w.OnDuty("chan_sz");
  const std::string n = w.OpenEscort();
  AskDongguanToEscort(w, n);
  REQUIRE_FALSE(w.Inbox("centre:DG", n).empty());  // delivered
  const auto unread = [&](const std::string& who) {
    auto actor = w.dispatcher->ResolveActor(who);
    REQUIRE(actor.ok());
    auto answer = dispatch::Read(*w.dispatcher, *actor, ReadRequest({"inbox"}, {{"unread", "1"}}));
    REQUIRE(answer.ok());
    std::vector<int64_t> ids;
    for (const auto& i : dynamic_cast<model::InboxList&>(**answer).item()) {
      if (i.recipient() == "centre:DG") ids.push_back(i.id());
    }
    return ids;
  };
  const std::vector<int64_t> before = unread("lam_dg");
  REQUIRE(before.size() == 1);
  CHECK(unread("choi_dg") == before);
  model::Command read;
  read.mutable_mark_read()->set_inbox_item(before[0]);
  w.Must(read, "lam_dg");
  w.Must(read, "lam_dg");  // twice is once
  CHECK(unread("lam_dg").empty());
  CHECK(unread("choi_dg") == before);  // still theirs to read
  // The whole list says who read it, for the one who did.
  auto lam = w.dispatcher->ResolveActor("lam_dg");
  auto all = w.dispatcher->ListInbox(*lam, /*unread_only=*/false);
  REQUIRE(all.ok());
  bool seen = false;
  for (const auto& i : *all) {
    if (i.id() == before[0]) {
      seen = true;
      CHECK(i.read_by() == "lam_dg");
      CHECK(model::IsSet(i.read_at()));
    }
  }
  CHECK(seen);
  w.Must(read, "choi_dg");
  CHECK(unread("choi_dg").empty());
}
