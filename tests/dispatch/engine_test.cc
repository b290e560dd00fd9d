#include "dispatch/engine.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "dispatch/timer_keys.h"
#include "model/roles.h"
#include "support/world.h"

namespace dispatch {
namespace {

using model::CaseState;
using model::Code;
using model::Command;
using model::Event;

// Pure tests: no store, the shipped definitions, hand-made contexts.
class EngineFixture {
 public:
  EngineFixture() : catalog_(testing::ShippedCatalog()) {}

  DecideContext Context(const std::string& type, Actor actor) {
    DecideContext ctx;
    ctx.actor = std::move(actor);
    ctx.now = now;
    ctx.definition = catalog_.Latest(type);
    ctx.new_case_number = "SZ-2026-0001";
    ctx.centres = {"GZ", "SZ", "DG", "HZ", "ZS", "FJ"};
    Roster roster;
    roster.on_duty = {{"chan_sz", "SZ", "duty_officer"}, {"lee_sz", "SZ", "duty_officer"}};
    ctx.take_roster = [roster]() -> model::Result<Roster> { return roster; };
    return ctx;
  }

  // Decides and applies; REQUIRES success.
  std::vector<Event> Apply(CaseState& c, const Command& cmd, const DecideContext& ctx) {
    auto r = Decide(c.number().empty() ? nullptr : &c, cmd, ctx);
    REQUIRE_MESSAGE(r.ok(), r.status().ToString());
    for (const Event& e : *r) Evolve(c, e);
    return *r;
  }

  model::Status Refusal(const CaseState& c, const Command& cmd, const DecideContext& ctx) {
    auto r = Decide(c.number().empty() ? nullptr : &c, cmd, ctx);
    REQUIRE_FALSE(r.ok());
    return r.status();
  }

  // An escort case at SZ, in `planning`.
  CaseState OpenEscort() {
    CaseState c;
    Apply(c, testing::OpenCaseCommand("escort_to_port", "SZ"), Context("escort_to_port", chan));
    return c;
  }

  model::Instant now = testing::StartTime();
  const Actor chan{"chan_sz", "SZ", "duty_officer"};
  const Actor lee{"lee_sz", "SZ", "duty_officer"};
  const Actor ho{"ho_sz", "SZ", "supervisor"};
  const Actor mak{"mak_sz", "SZ", "coordinator"};
  const Actor lam{"lam_dg", "DG", "duty_officer"};
  const Actor admin{"admin", "GZ", "admin"};
  model::WorkflowCatalog catalog_;
};

using testing::Kinds;

std::vector<std::string> OpenTaskNames(const CaseState& c) {
  std::vector<std::string> out;
  for (const auto& t : c.task()) {
    if (t.status() == model::TASK_OPEN) out.push_back(t.name());
  }
  return out;
}

}  // namespace

TEST_CASE_FIXTURE(EngineFixture, "opening a case records the person and creates the first tasks") {
  CaseState c;
  auto events = Apply(c, testing::OpenCaseCommand("escort_to_port", "SZ"), Context("escort_to_port", chan));
  CHECK(Kinds(events) == std::vector<std::string>{
                             "case_opened", "deadline_set", "deadline_set",        // case, state
                             "task_created", "deadline_set", "task_created", "deadline_set",
                             "task_created", "deadline_set"});
  CHECK(events[0].seq() == 1);
  CHECK(events[8].seq() == 9);
  CHECK(events[0].actor() == "chan_sz");
  CHECK(c.number() == "SZ-2026-0001");
  CHECK(c.state() == "planning");
  CHECK(c.status() == model::CASE_OPEN);
  CHECK(c.definition().content_hash() == catalog_.Latest("escort_to_port")->content_hash);
  CHECK(c.person().hkid() == "A123456(3)");
  CHECK(OpenTaskNames(c) ==
        std::vector<std::string>{"agree_crossing_with_family", "check_travel_documents", "arrange_departure"});
  CHECK(model::FromProto(c.task(0).due_at()) - now == std::chrono::hours(48));
  CHECK(c.version() == 9);
  // New tasks go to the least-loaded officer on duty, in turn.
  CHECK(c.task(0).assignee() == "chan_sz");
  CHECK(c.task(1).assignee() == "lee_sz");
  CHECK(c.task(2).assignee() == "chan_sz");
  CHECK(c.task(0).centre() == "SZ");
  // The case, its state and each task have a clock.
  REQUIRE(c.timer_size() == 5);
  CHECK(c.timer(0).key() == "case");
  CHECK(model::FromProto(c.timer(0).due_at()) - now == std::chrono::hours(14 * 24));
  CHECK(c.timer(1).key() == "state");
  CHECK(c.timer(2).key() == "task/1");
}

TEST_CASE_FIXTURE(EngineFixture, "opening is refused for bad input and for the wrong people") {
  CaseState none;
  Command cmd = testing::OpenCaseCommand("escort_to_port", "SZ");
  cmd.mutable_open_case()->mutable_person()->set_hkid("A123456(4)");
  CHECK(Refusal(none, cmd, Context("escort_to_port", chan)).code() == Code::kInvalidArgument);

  cmd = testing::OpenCaseCommand("escort_to_port", "SZ");
  (*cmd.mutable_open_case()->mutable_fields())["prot"] = "shenzhen_bay";
  CHECK(Refusal(none, cmd, Context("escort_to_port", chan)).message() ==
        "unknown field 'prot' for an escort_to_port case; its fields are: port, crossing_date, "
        "hk_receiver, hk_receiver_contact, received_by, postponed_reason");

  cmd = testing::OpenCaseCommand("document_verification", "SZ");
  cmd.mutable_open_case()->mutable_fields()->clear();
  CHECK(Refusal(none, cmd, Context("document_verification", chan)).message() ==
        "a document_verification case needs field 'requested_by' (Requested by) when it is opened");

  cmd = testing::OpenCaseCommand("escort_to_port", "XX");
  CHECK(Refusal(none, cmd, Context("escort_to_port", chan)).message() ==
        "unknown centre 'XX'; centres are DG, FJ, GZ, HZ, SZ, ZS");

  cmd = testing::OpenCaseCommand("escort_to_port", "SZ");
  CHECK(Refusal(none, cmd, Context("escort_to_port", lam)).code() == Code::kPermissionDenied);
  CHECK(Refusal(none, cmd, Context("escort_to_port", admin)).code() == Code::kPermissionDenied);
}

TEST_CASE_FIXTURE(EngineFixture, "an event the state does not have is refused with the possible ones") {
  CaseState c = OpenEscort();
  CHECK(Refusal(c, testing::FireCommand(c.number(), "handed_over"), Context("escort_to_port", chan))
            .message() ==
        "event 'handed_over' is not possible while case SZ-2026-0001 is at 'planning' (Planning "
        "the escort); possible here: plan_confirmed");
}

TEST_CASE_FIXTURE(EngineFixture, "a guard lists everything still missing") {
  CaseState c = OpenEscort();
  const auto ctx = Context("escort_to_port", chan);
  Apply(c, testing::DoneCommand(c.number(), "agree_crossing_with_family"), ctx);
  Command fire = testing::FireCommand(c.number(), "plan_confirmed");
  (*fire.mutable_fire_event()->mutable_fields())["port"] = "shenzhen_bay";
  const auto s = Refusal(c, fire, ctx);
  CHECK(s.code() == Code::kFailedPrecondition);
  CHECK(s.message() ==
        "cannot 'plan_confirmed' on case SZ-2026-0001 yet: task 'check_travel_documents' (Check "
        "the travel documents) is not done; task 'arrange_departure' (Arrange departure "
        "(discharge, or relatives bring them)) is not done; field 'crossing_date' is not set; "
        "field 'hk_receiver' is not set");
}

TEST_CASE_FIXTURE(EngineFixture, "a transition sets fields, cancels leftovers and creates the next tasks") {
  CaseState c = OpenEscort();
  const auto ctx = Context("escort_to_port", chan);
  for (const char* t : {"agree_crossing_with_family", "check_travel_documents", "arrange_departure"}) {
    Apply(c, testing::DoneCommand(c.number(), t), ctx);
  }
  Command fire = testing::FireCommand(c.number(), "plan_confirmed");
  auto& f = *fire.mutable_fire_event()->mutable_fields();
  f["port"] = "shenzhen_bay";
  f["crossing_date"] = "2026-03-03";  // tomorrow: no waiting for the day
  f["hk_receiver"] = "family";
  auto events = Apply(c, fire, ctx);
  REQUIRE(Kinds(events) == std::vector<std::string>{"transitioned", "deadline_met", "transitioned",
                                                    "deadline_set", "task_created", "deadline_set",
                                                    "task_created", "deadline_set"});
  CHECK(events[0].transitioned().from_state() == "planning");
  CHECK(events[0].transitioned().to_state() == "crossing_booked");
  CHECK(events[2].transitioned().to_state() == "travelling_to_port");
  CHECK(events[2].transitioned().note() == "the day has come: Crossing date 2026-03-03");
  CHECK(c.state() == "travelling_to_port");
  CHECK(c.fields().at("port") == "shenzhen_bay");
  CHECK(c.state_entry_seq() == events[2].seq());
  CHECK(OpenTaskNames(c) == std::vector<std::string>{"health_declaration", "coordinate_customs"});
  CHECK(c.task(3).seq() == 4);

  // Going back to planning cancels what was open and starts planning afresh:
  // the tasks done on the first visit do not count again.
  Command back = testing::FireCommand(c.number(), "postponed");
  (*back.mutable_fire_event()->mutable_fields())["postponed_reason"] = "typhoon signal 8";
  events = Apply(c, back, ctx);
  REQUIRE(events.size() > 5);
  CHECK(events[1].fields_set().cleared(0) == "crossing_date");  // the date no longer holds
  CHECK(events[3].task_cancelled().reason() == "the case left 'travelling_to_port'");
  CHECK(events[4].deadline_cleared().key() == "task/4");
  CHECK(events[5].task_cancelled().seq() == 5);
  CHECK(OpenTaskNames(c).size() == 3);
  fire.mutable_fire_event()->mutable_fields()->clear();
  CHECK(Refusal(c, fire, ctx).message().find("task 'agree_crossing_with_family'") != std::string::npos);
}

TEST_CASE_FIXTURE(EngineFixture, "transitions on one event are tried in order") {
  CaseState c;
  const auto ctx = Context("document_verification", chan);
  Apply(c, testing::OpenCaseCommand("document_verification", "SZ"), ctx);
  Apply(c, testing::DoneCommand(c.number(), "interview_person"), ctx);
  Apply(c, testing::DoneCommand(c.number(), "obtain_police_record"), ctx);
  Apply(c, testing::FireCommand(c.number(), "submit_to_immigration_unit"), ctx);
  CHECK(c.state() == "awaiting_verification");

  Command confirmed = testing::FireCommand(c.number(), "resident_confirmed");
  CHECK(Refusal(c, confirmed, ctx).message() ==
        "cannot 'resident_confirmed' on case SZ-2026-0001 yet: field 'immigration_reference' is not set");
  (*confirmed.mutable_fire_event()->mutable_fields())["immigration_reference"] = "IMM/2026/0412";
  Apply(c, confirmed, ctx);
  CHECK(c.state() == "verified");
}

TEST_CASE_FIXTURE(EngineFixture, "field values outside the allowed list are refused") {
  CaseState c = OpenEscort();
  Command fire = testing::FireCommand(c.number(), "plan_confirmed");
  (*fire.mutable_fire_event()->mutable_fields())["port"] = "macau";
  CHECK(Refusal(c, fire, Context("escort_to_port", chan)).message() ==
        "field 'port' (Border port) cannot be 'macau'; use one of: shenzhen_bay (Shenzhen Bay), "
        "lok_ma_chau_huanggang (Lok Ma Chau – Huanggang), lo_wu_luohu (Lo Wu – Luohu), hzmb "
        "(Hong Kong–Zhuhai–Macao Bridge)");
  // The label as shown, or the code in capitals, is taken as the code.
  (*fire.mutable_fire_event()->mutable_fields())["port"] = "深圳灣";
  (*fire.mutable_fire_event()->mutable_fields())["hk_receiver"] = "HK_AMBULANCE";
  CaseState moved = c;
  const auto events = Decide(&moved, fire, Context("escort_to_port", chan));
  REQUIRE(events.ok() == false);  // the plan's tasks are not done: the fields are checked first
  CHECK(events.status().message().find("task 'agree_crossing_with_family'") != std::string::npos);
}

TEST_CASE_FIXTURE(EngineFixture, "only the owning centre works a case") {
  CaseState c = OpenEscort();
  const auto s = Refusal(c, testing::DoneCommand(c.number(), "arrange_departure"),
                         Context("escort_to_port", lam));
  CHECK(s.code() == Code::kPermissionDenied);
  CHECK(s.message() ==
        "lam_dg (duty_officer, DG) cannot act on SZ-2026-0001, which is worked by centre SZ now; "
        "ask SZ's duty officer");
}

TEST_CASE_FIXTURE(EngineFixture, "assigning checks the assignee's centre and role") {
  CaseState c = OpenEscort();
  auto ctx = Context("escort_to_port", chan);
  model::User lee_user;
  lee_user.set_name("lee_sz");
  lee_user.set_centre("SZ");
  lee_user.set_role("duty_officer");
  model::User lam_user = lee_user;
  lam_user.set_name("lam_dg");
  lam_user.set_centre("DG");
  model::User mak_user = lee_user;
  mak_user.set_name("mak_sz");
  mak_user.set_role("coordinator");

  ctx.assignee = nullptr;
  CHECK(Refusal(c, testing::AssignCommand(c.number(), 1, "nobody"), ctx).code() == Code::kNotFound);
  ctx.assignee = &lam_user;
  CHECK(Refusal(c, testing::AssignCommand(c.number(), 1, "lam_dg"), ctx).message() ==
        "task SZ-2026-0001/1 is worked at centre SZ, but lam_dg works at DG; give it to someone at SZ");
  ctx.assignee = &mak_user;
  CHECK(Refusal(c, testing::AssignCommand(c.number(), 1, "mak_sz"), ctx).message() ==
        "task SZ-2026-0001/1 is for a duty_officer, and mak_sz is a coordinator");
  ctx.assignee = &lee_user;
  CHECK(Refusal(c, testing::AssignCommand(c.number(), 9, "lee_sz"), ctx).code() == Code::kNotFound);
  auto events = Apply(c, testing::AssignCommand(c.number(), 1, "lee_sz"), ctx);
  CHECK(events[0].task_assigned().previous_assignee() == "chan_sz");
  CHECK(c.task(0).assignee() == "lee_sz");
  CHECK(Refusal(c, testing::AssignCommand(c.number(), 1, "lee_sz"), ctx).message() ==
        "task SZ-2026-0001/1 is already assigned to lee_sz");

  // A supervisor from elsewhere may reassign; a duty officer from elsewhere may not.
  DecideContext remote = Context("escort_to_port", Actor{"ho_gz", "GZ", "supervisor"});
  model::User chan_user = lee_user;
  chan_user.set_name("chan_sz");
  remote.assignee = &chan_user;
  events = Apply(c, testing::AssignCommand(c.number(), 1, "chan_sz"), remote);
  CHECK(events[0].task_assigned().previous_assignee() == "lee_sz");
  CHECK_FALSE(events[0].task_assigned().automatic());
  DecideContext other = Context("escort_to_port", lam);
  other.assignee = &lee_user;
  CHECK(Refusal(c, testing::AssignCommand(c.number(), 1, "lee_sz"), other).code() ==
        Code::kPermissionDenied);
}

TEST_CASE_FIXTURE(EngineFixture, "completing a task needs its role and an open task") {
  CaseState c = OpenEscort();
  CHECK(Refusal(c, testing::DoneCommand(c.number(), "arrange_departure"), Context("escort_to_port", mak))
            .message() ==
        "task SZ-2026-0001/3 is for a duty_officer; mak_sz (coordinator, SZ) cannot do it");
  Command done = testing::DoneCommand(c.number(), "arrange_departure");
  done.mutable_complete_task()->set_note("relatives drive her to Shenzhen on the 9th");
  Apply(c, done, Context("escort_to_port", lee));
  CHECK(c.task(2).status() == model::TASK_DONE);
  CHECK(c.task(2).done_by() == "lee_sz");
  CHECK(c.task(2).note() == "relatives drive her to Shenzhen on the 9th");
  CHECK(Refusal(c, done, Context("escort_to_port", lee)).code() == Code::kNotFound);
  Command by_number;
  by_number.mutable_complete_task()->set_case_number(c.number());
  by_number.mutable_complete_task()->mutable_task()->set_seq(3);
  CHECK(Refusal(c, by_number, Context("escort_to_port", lee)).message() ==
        "task SZ-2026-0001/3 (arrange_departure) is already done");
  // A supervisor may do any case work at the centre.
  Apply(c, testing::DoneCommand(c.number(), "check_travel_documents"), Context("escort_to_port", ho));
}

TEST_CASE_FIXTURE(EngineFixture, "notes need text and a reader") {
  CaseState c = OpenEscort();
  Command note;
  note.mutable_add_note()->set_case_number(c.number());
  note.mutable_add_note()->set_text("  ");
  CHECK(Refusal(c, note, Context("escort_to_port", chan)).message() == "the note is empty");
  note.mutable_add_note()->set_text("daughter will call back at 18:00");
  CHECK(Refusal(c, note, Context("escort_to_port", lam)).code() == Code::kPermissionDenied);
  auto events = Apply(c, note, Context("escort_to_port", ho));
  CHECK(events[0].note_added().text() == "daughter will call back at 18:00");
}

TEST_CASE_FIXTURE(EngineFixture, "the roster is read once by a decision that gives out work, never by a note") {
  int taken = 0;
  DecideContext ctx = Context("escort_to_port", chan);
  auto counted = ctx.take_roster;
  ctx.take_roster = [&taken, counted] {
    ++taken;
    return counted();
  };
  CaseState c;
  Apply(c, testing::OpenCaseCommand("escort_to_port", "SZ"), ctx);
  CHECK(taken == 1);  // three tasks given out from one roster

  Command note;
  note.mutable_add_note()->set_case_number(c.number());
  note.mutable_add_note()->set_text("daughter will call back at 18:00");
  taken = 0;
  Apply(c, note, ctx);
  CHECK(taken == 0);

  // A roster that cannot be read refuses the decision that needed it, with
  // the store's error, and still not the note.
  ctx.take_roster = [&taken]() -> model::Result<Roster> {
    ++taken;
    return model::Status::Unavailable("the database is busy; try again");
  };
  CaseState other;
  const auto refused = Refusal(other, testing::OpenCaseCommand("escort_to_port", "SZ"), ctx);
  CHECK(refused.code() == Code::kUnavailable);
  CHECK(refused.message() == "the database is busy; try again");
  Apply(c, note, ctx);
  CHECK(taken == 1);
}

TEST_CASE_FIXTURE(EngineFixture, "closing needs a finished workflow and a reason, cancelling needs a reason") {
  CaseState c = OpenEscort();
  const auto ctx = Context("escort_to_port", chan);
  Command close;
  close.mutable_close_case()->set_case_number(c.number());
  CHECK(Refusal(c, close, ctx).message() == "closing a case needs a reason");
  // The field it is about, so the CLI names its flag and the console the box.
  CHECK(Refusal(c, close, ctx).field() == "close_case.reason");
  CHECK(Refusal(c, close, ctx).message_zh() == "結案時，請填寫原因");
  close.mutable_close_case()->set_reason("home");
  CHECK(Refusal(c, close, ctx).message() ==
        "case SZ-2026-0001 is at 'planning' and can be closed only when its work is finished "
        "(handed_over); to stop work on it, cancel it with a reason");

  Command cancel;
  cancel.mutable_cancel_case()->set_case_number(c.number());
  CHECK(Refusal(c, cancel, ctx).code() == Code::kInvalidArgument);
  cancel.mutable_cancel_case()->set_reason("family took her home themselves");
  auto events = Apply(c, cancel, ctx);
  CHECK(Kinds(events) == std::vector<std::string>{
                             "task_cancelled", "deadline_cleared", "task_cancelled",
                             "deadline_cleared", "task_cancelled", "deadline_cleared",
                             "deadline_cleared", "deadline_cleared", "case_cancelled"});
  CHECK(c.timer_size() == 0);
  CHECK(c.status() == model::CASE_CANCELLED);
  CHECK(OpenTaskNames(c).empty());
  CHECK(Refusal(c, testing::FireCommand(c.number(), "plan_confirmed"), ctx).message() ==
        "case SZ-2026-0001 is cancelled; nothing more can be done on it except notes");
}

TEST_CASE_FIXTURE(EngineFixture, "role and field_equals guards") {
  const std::string text = R"pb(name: "guarded"
version: 1
label { zh_hant: "測" en: "Guarded" }
initial_state: "a"
field { name: "outcome" label { zh_hant: "結果" en: "Outcome" } one_of: "yes" one_of: "no" }
state {
  name: "a"
  label { zh_hant: "甲" en: "A" }
  transition { on: "decide" to: "b" label { zh_hant: "是" en: "Yes" } guard { field_equals { field: "outcome" value: "yes" } roles: "coordinator" } }
  transition { on: "decide" to: "c" label { zh_hant: "否" en: "No" } guard { field_equals { field: "outcome" value: "no" } } }
}
state { name: "b" label { zh_hant: "乙" en: "B" } terminal: true }
state { name: "c" label { zh_hant: "丙" en: "C" } terminal: true }
)pb";
  auto def = model::LoadDefinition("guarded.textproto", text);
  REQUIRE_MESSAGE(def.ok(), def.status().ToString());
  DecideContext ctx = Context("escort_to_port", chan);
  ctx.definition = &*def;
  CaseState c;
  Command open = testing::OpenCaseCommand("guarded", "SZ");
  Apply(c, open, ctx);

  Command yes = testing::FireCommand(c.number(), "decide");
  (*yes.mutable_fire_event()->mutable_fields())["outcome"] = "yes";
  CHECK(Refusal(c, yes, ctx).message() ==
        "cannot 'decide' on case SZ-2026-0001 yet: to reach 'b': only a coordinator may do this | "
        "to reach 'c': field 'outcome' is not 'no'");
  DecideContext as_coordinator = ctx;
  as_coordinator.actor = mak;
  CaseState copy = c;
  Apply(copy, yes, as_coordinator);
  CHECK(copy.state() == "b");
  Command no = testing::FireCommand(c.number(), "decide");
  (*no.mutable_fire_event()->mutable_fields())["outcome"] = "no";
  Apply(c, no, ctx);
  CHECK(c.state() == "c");
}

TEST_CASE_FIXTURE(EngineFixture, "a fallback is taken only when said, and the timeline says why") {
  const std::string text = R"pb(name: "fallback"
version: 1
label { zh_hant: "測" en: "Fallback" }
initial_state: "a"
field { name: "outcome" label { zh_hant: "結果" en: "Outcome" } one_of: "yes" one_of: "no" }
state {
  name: "a"
  label { zh_hant: "甲" en: "A" }
  transition { on: "decide" to: "b" label { zh_hant: "是" en: "Yes" } guard { field_equals { field: "outcome" value: "yes" } } }
  transition { on: "decide" to: "c" label { zh_hant: "問" en: "Ask" } otherwise: true }
}
state { name: "b" label { zh_hant: "乙" en: "B" } terminal: true }
state { name: "c" label { zh_hant: "丙" en: "C" } terminal: true }
)pb";
  auto def = model::LoadDefinition("fallback.textproto", text);
  REQUIRE_MESSAGE(def.ok(), def.status().ToString());
  DecideContext ctx = Context("escort_to_port", chan);
  ctx.definition = &*def;
  CaseState c;
  Apply(c, testing::OpenCaseCommand("fallback", "SZ"), ctx);
  CaseState taken = c;
  Command yes = testing::FireCommand(c.number(), "decide");
  (*yes.mutable_fire_event()->mutable_fields())["outcome"] = "yes";
  const std::vector<Event> first = Apply(taken, yes, ctx);
  CHECK(taken.state() == "b");
  REQUIRE(first.front().has_transitioned());
  CHECK(first.front().transitioned().passed_over_size() == 0);

  Command no = testing::FireCommand(c.number(), "decide");
  (*no.mutable_fire_event()->mutable_fields())["outcome"] = "no";
  const std::vector<Event> other = Apply(c, no, ctx);
  CHECK(c.state() == "c");
  REQUIRE(other.front().has_transitioned());
  const auto& passed = other.front().transitioned().passed_over();
  REQUIRE(passed.size() == 1);
  CHECK(passed[0] == "to reach 'b': field 'outcome' is not 'yes'");
}

TEST_CASE_FIXTURE(EngineFixture, "typed facts are kept in one form and dates and any_of decide a transition") {
  const std::string text = R"pb(name: "stranded"
version: 1
label { zh_hant: "測" en: "Stranded" }
initial_state: "waiting"
field { name: "test_at" label { zh_hant: "檢測時間" en: "Test taken" } type: DATE_TIME }
field { name: "crossing_on" label { zh_hant: "過境日期" en: "Crossing date" } type: DATE }
field { name: "permit" label { zh_hant: "證件" en: "Permit" } type: CHOICE
  choice { value: "valid" label { zh_hant: "有效" en: "Valid" } }
  choice { value: "expired" label { zh_hant: "過期" en: "Expired" } }
  choice { value: "lost" label { zh_hant: "遺失" en: "Lost" } } }
field { name: "escorted" label { zh_hant: "需護送" en: "Escort needed" } type: YES_NO }
state {
  name: "waiting"
  label { zh_hant: "等候" en: "Waiting" }
  transition { on: "renew" to: "renewing" label { zh_hant: "補領" en: "Renew" }
    guard { any_of { guard { field_equals { field: "permit" value: "expired" } }
                     guard { field_equals { field: "permit" value: "lost" } } } } }
  transition { on: "cross" to: "home" label { zh_hant: "過境" en: "Cross" }
    guard { dates { field: "test_at" reference: "crossing_on" within_before: "48h" }
            dates { field: "crossing_on" reference: "today" same_day: true } } }
}
state {
  name: "renewing"
  label { zh_hant: "補證" en: "Renewing" }
  transition { on: "renewed" to: "waiting" label { zh_hant: "已補" en: "Renewed" }
    guard { dates { field: "today" reference: "crossing_on" not_after: true } } }
}
state { name: "home" label { zh_hant: "回港" en: "Home" } terminal: true }
)pb";
  auto def = model::LoadDefinition("stranded.textproto", text);
  REQUIRE_MESSAGE(def.ok(), def.status().ToString());
  DecideContext ctx = Context("escort_to_port", chan);
  ctx.definition = &*def;
  CaseState c;
  Command open = testing::OpenCaseCommand("stranded", "SZ");
  (*open.mutable_open_case()->mutable_fields())["escorted"] = "Y";
  (*open.mutable_open_case()->mutable_fields())["crossing_on"] = "someday";
  const model::Status bad_date = Refusal(c, open, ctx);
  CHECK(bad_date.message() ==
        "field 'crossing_on' (Crossing date) takes a date; write it as YYYY-MM-DD, e.g. 2026-03-02");
  CHECK(bad_date.field() == "open_case.fields.crossing_on");
  open.mutable_open_case()->mutable_fields()->erase("crossing_on");
  Apply(c, open, ctx);
  CHECK(c.fields().at("escorted") == "yes");  // kept as the definition writes it

  // Either way the permit is gone leads to renewing it; neither is refused, saying both.
  Command renew = testing::FireCommand(c.number(), "renew");
  CHECK(Refusal(c, renew, ctx).message() ==
        "cannot 'renew' on case SZ-2026-0001 yet: none of these holds: field 'permit' is not "
        "'expired'; or field 'permit' is not 'lost'");
  (*renew.mutable_fire_event()->mutable_fields())["permit"] = "lost";
  Apply(c, renew, ctx);
  CHECK(c.state() == "renewing");
  // The case reached 'renewing' on the permit's state, inside an any_of.
  Command clear;
  clear.mutable_set_fields()->set_case_number(c.number());
  clear.mutable_set_fields()->add_clear("permit");
  clear.mutable_set_fields()->set_reason("typed in error");
  CHECK(Refusal(c, clear, ctx).message().rfind("field 'permit' cannot be cleared: the case reached "
                                               "'renewing' on it", 0) == 0);
  // Back to waiting only with a crossing date not already past.
  Command renewed = testing::FireCommand(c.number(), "renewed");
  CHECK(Refusal(c, renewed, ctx).message() ==
        "cannot 'renewed' on case SZ-2026-0001 yet: field 'crossing_on' is not set");
  (*renewed.mutable_fire_event()->mutable_fields())["crossing_on"] = "2026-03-01";
  CHECK(Refusal(c, renewed, ctx).message() ==
        "cannot 'renewed' on case SZ-2026-0001 yet: today is after 'crossing_on'");
  (*renewed.mutable_fire_event()->mutable_fields())["crossing_on"] = "2026-03-05";
  Apply(c, renewed, ctx);

  // The test must be within 48 hours before the crossing, whatever its hour on
  // the crossing day, and the crossing is today. At 07:00 in Hong Kong it is
  // still the day before in UTC: "today" is Hong Kong's.
  DecideContext early = ctx;
  early.now = *model::ParseTimestamp("2026-03-02T07:00+08:00");
  Command cross = testing::FireCommand(c.number(), "cross");
  CHECK(Refusal(c, cross, early).message() ==
        "cannot 'cross' on case SZ-2026-0001 yet: field 'test_at' is not set; field 'crossing_on' "
        "is not on the same day as today");
  auto& fields = *cross.mutable_fire_event()->mutable_fields();
  // A value replaced on the way needs a note saying why, and the timeline keeps the old one.
  fields["crossing_on"] = "2026-03-03";
  const model::Status silent = Refusal(c, cross, early);
  CHECK(silent.message() == "field 'crossing_on' has a value already; say in the note why it changes");
  CHECK(silent.field() == "fire_event.note");
  cross.mutable_fire_event()->set_note("the quota moved the crossing");
  fields["test_at"] = "2026-02-27 09:00";
  CHECK(Refusal(c, cross, early).message() ==
        "cannot 'cross' on case SZ-2026-0001 yet: field 'test_at' is not within 48h before "
        "'crossing_on'; field 'crossing_on' is not on the same day as today");
  fields["crossing_on"] = "2026-03-02";
  fields["test_at"] = "2026-02-28 23:59";  // a crossing at 23:59 would be 48h and a day later
  CHECK(Refusal(c, cross, early).message() ==
        "cannot 'cross' on case SZ-2026-0001 yet: field 'test_at' is not within 48h before "
        "'crossing_on'");
  fields["test_at"] = "2026-03-03 06:00";  // after the crossing day: not before it
  CHECK(Refusal(c, cross, early).message() ==
        "cannot 'cross' on case SZ-2026-0001 yet: field 'test_at' is not within 48h before "
        "'crossing_on'");
  fields["test_at"] = "2026-03-01T00:00";  // 48 hours before the last minute of the day: holds
  CaseState same_morning = c;
  const std::vector<Event> crossed = Apply(c, cross, early);
  CHECK(c.state() == "home");
  REQUIRE(crossed.front().has_transitioned());
  CHECK(crossed.front().transitioned().fields().at("test_at") == "2026-03-01 00:00");
  CHECK(crossed.front().transitioned().previous().at("crossing_on") == "2026-03-05");
  fields["test_at"] = "2026-03-02 06:30";  // the same morning
  Apply(same_morning, cross, early);
  CHECK(same_morning.state() == "home");
}

TEST_CASE_FIXTURE(EngineFixture, "a task the case does not need is marked not applicable, with a reason, where the definition allows") {
  CaseState c = OpenEscort();
  const auto ctx = Context("escort_to_port", chan);
  const auto na = [&](const std::string& task, const std::string& reason) {
    Command cmd;
    auto* n = cmd.mutable_mark_not_applicable();
    n->set_case_number(c.number());
    n->mutable_task()->set_name(task);
    n->set_reason(reason);
    return cmd;
  };
  CHECK(Refusal(c, na("check_travel_documents", "no papers"), ctx).message() ==
        "task SZ-2026-0001/2 (Check the travel documents) must be done; escort_to_port version 3 "
        "does not let it be marked not applicable");
  CHECK(Refusal(c, na("arrange_departure", " "), ctx).message() ==
        "marking a task not applicable needs a reason");
  const std::vector<Event> e = Apply(c, na("arrange_departure", "already free to travel"), ctx);
  CHECK(Kinds(e) == std::vector<std::string>{"task_not_applicable", "deadline_cleared"});
  CHECK(c.task(2).status() == model::TASK_NOT_APPLICABLE);
  CHECK(c.task(2).note() == "already free to travel");
  CHECK(c.task(2).done_by() == "chan_sz");
  Command done_third;
  done_third.mutable_complete_task()->set_case_number(c.number());
  done_third.mutable_complete_task()->mutable_task()->set_seq(3);
  CHECK(Refusal(c, done_third, ctx).message() ==
        "task SZ-2026-0001/3 (arrange_departure) is already marked not applicable");
  // It counts as done for the guard; the other two are done as usual.
  Apply(c, testing::DoneCommand(c.number(), "agree_crossing_with_family"), ctx);
  Apply(c, testing::DoneCommand(c.number(), "check_travel_documents"), ctx);
  Apply(c, testing::PlanConfirmedCommand(c.number()), ctx);
  CHECK(c.state() == "travelling_to_port");

  // Settling a discharge does not apply only to a patient who was never admitted.
  const auto actx = Context("cross_border_ambulance", chan);
  CaseState a;
  Apply(a, testing::OpenCaseCommand("cross_border_ambulance", "SZ"), actx);
  Apply(a, testing::DoneCommand(a.number(), "visit_patient"), actx);
  Apply(a, testing::DoneCommand(a.number(), "confirm_fitness_to_travel"), actx);
  Apply(a, testing::FireCommand(a.number(), "fit_to_travel"), actx);
  REQUIRE(a.state() == "arranging_transfer");
  Command settle;
  settle.mutable_mark_not_applicable()->set_case_number(a.number());
  settle.mutable_mark_not_applicable()->mutable_task()->set_name("settle_discharge");
  settle.mutable_mark_not_applicable()->set_reason("never admitted");
  CHECK(Refusal(a, settle, actx).message() ==
        "task SZ-2026-0001/3 (Settle the discharge and hospital fees) applies to this case: field "
        "'at_home' is not 'yes'");
  Command at_home;
  at_home.mutable_set_fields()->set_case_number(a.number());
  (*at_home.mutable_set_fields()->mutable_fields())["at_home"] = "yes";
  Apply(a, at_home, actx);
  Apply(a, settle, actx);
  CHECK(a.task(2).status() == model::TASK_NOT_APPLICABLE);
}

TEST_CASE_FIXTURE(EngineFixture, "who called, the others a case is about, and what outside parties said") {
  const auto ctx = Context("escort_to_port", chan);
  CaseState none;
  Command open = testing::OpenCaseCommand("escort_to_port", "SZ");
  auto* caller = open.mutable_open_case()->mutable_caller();
  caller->set_relationship("landlord");
  caller->set_phone("138 0000 0000");
  const model::Status nameless = Refusal(none, open, ctx);
  CHECK(nameless.message().rfind("say who called: their name, or the organisation", 0) == 0);
  CHECK(nameless.field() == "open_case.caller.name");
  caller->set_name("  Mr Lau ");
  caller->set_phone("138");
  CHECK(Refusal(none, open, ctx).field() == "open_case.caller.phone");
  caller->set_phone("138 0000 0000");
  CaseState c;
  Apply(c, open, ctx);
  CHECK(c.caller().name() == "Mr Lau");
  CHECK(c.caller().relationship() == "landlord");

  // A definition can require a caller.
  model::LoadedDefinition strict = *ctx.definition;
  strict.definition.set_caller_required(true);
  DecideContext strict_ctx = ctx;
  strict_ctx.definition = &strict;
  CHECK(Refusal(none, testing::OpenCaseCommand("escort_to_port", "SZ"), strict_ctx).message() ==
        "an escort_to_port case needs who called or referred it: their name or organisation (and a "
        "phone to call them back)");

  // Her husband is stranded with her.
  Command add;
  auto* a = add.mutable_add_person();
  a->set_case_number(c.number());
  a->mutable_person()->set_name_zh("何志強");
  a->mutable_person()->set_hkid("A123456(4)");
  a->set_relationship("husband");
  const model::Status bad_id = Refusal(c, add, ctx);
  CHECK(bad_id.field() == "add_person.person.hkid");
  CHECK(bad_id.message().find("123456") == std::string::npos);
  a->mutable_person()->set_hkid(c.person().hkid());
  CHECK(Refusal(c, add, ctx).code() == Code::kAlreadyExists);
  a->mutable_person()->set_hkid("B1234566");
  a->set_relationship(" ");
  CHECK(Refusal(c, add, ctx).field() == "add_person.relationship");
  a->set_relationship("husband");
  Apply(c, add, ctx);
  REQUIRE(c.people_size() == 1);
  CHECK(c.people(0).id() == 2);
  CHECK(c.people(0).person().hkid() == "B123456(6)");
  CHECK(c.people(0).relationship() == "husband");

  // The hospital's doctor, by phone, an hour ago.
  Command talk;
  auto* k = talk.mutable_record_contact();
  k->set_case_number(c.number());
  k->set_party("Zhangmutou Hospital");
  k->set_person("Dr Wu, ward 5");
  k->set_channel("fax");
  k->set_said("fit to travel from Thursday");
  CHECK(Refusal(c, talk, ctx).field() == "record_contact.channel");
  k->set_channel("電話");  // a label is taken, and kept as its code
  *k->mutable_at() = model::ToProto(now + std::chrono::hours(1));
  CHECK(Refusal(c, talk, ctx).field() == "record_contact.at");
  *k->mutable_at() = model::ToProto(now - std::chrono::hours(1));
  k->set_said("");
  CHECK(Refusal(c, talk, ctx).field() == "record_contact.said");
  k->set_said("fit to travel from Thursday");
  const std::vector<Event> e = Apply(c, talk, ctx);
  CHECK(Kinds(e) == std::vector<std::string>{"contact_recorded"});
  REQUIRE(c.contact_size() == 1);
  CHECK(c.contact(0).id() == 1);
  CHECK(c.contact(0).channel() == "phone");
  CHECK(model::FromProto(c.contact(0).at()) == now - std::chrono::hours(1));
  CHECK(c.contact(0).recorded_by() == "chan_sz");
  CHECK(model::FromProto(c.contact(0).recorded_at()) == now);

  // Like a note, a contact can be recorded after the case has ended.
  Command cancel;
  cancel.mutable_cancel_case()->set_case_number(c.number());
  cancel.mutable_cancel_case()->set_reason("family took her home");
  Apply(c, cancel, ctx);
  k->clear_at();
  Apply(c, talk, ctx);
  CHECK(c.contact_size() == 2);
  CHECK(Refusal(c, add, ctx).code() == Code::kFailedPrecondition);
}

TEST_CASE_FIXTURE(EngineFixture, "a person or the caller corrected keeps what was given before, with a reason") {
  CaseState c = OpenEscort();
  const auto ctx = Context("escort_to_port", chan);
  Command add;
  add.mutable_add_person()->set_case_number(c.number());
  add.mutable_add_person()->mutable_person()->set_name_zh("李志明");
  add.mutable_add_person()->mutable_person()->set_hkid("B123456(6)");
  add.mutable_add_person()->set_relationship("husband");
  Apply(c, add, ctx);

  Command fix;
  auto* f = fix.mutable_correct_person();
  f->set_case_number(c.number());
  f->set_id(1);
  f->mutable_person()->set_phone("+852 5550 0101");
  CHECK(Refusal(c, fix, ctx).message() == "correcting a person needs a reason");
  f->set_reason("the daughter gave her new number");
  std::vector<Event> e = Apply(c, fix, ctx);
  REQUIRE(Kinds(e) == std::vector<std::string>{"person_corrected"});
  CHECK(c.person().phone() == "+852 5550 0101");
  CHECK(c.person().hkid() == "A123456(3)");  // what was not given stays
  CHECK(c.person().name_zh() == "李陳淑芬");
  CHECK(e[0].person_corrected().previous().phone().empty());
  CHECK(Refusal(c, fix, ctx).message().rfind("nothing to correct", 0) == 0);

  // The one added: a mistyped card, which may not be another's on the case.
  f->set_id(2);
  f->mutable_person()->Clear();
  f->mutable_person()->set_hkid("A123456(3)");
  CHECK(Refusal(c, fix, ctx).field() == "correct_person.person.hkid");
  f->mutable_person()->set_hkid("B123456(7)");
  CHECK(Refusal(c, fix, ctx).field() == "correct_person.person.hkid");  // check digit
  f->mutable_person()->set_hkid("C123456(9)");
  f->set_relationship("brother");
  Apply(c, fix, ctx);
  CHECK(c.people(0).person().hkid() == "C123456(9)");
  CHECK(c.people(0).relationship() == "brother");
  f->set_id(4);
  CHECK(Refusal(c, fix, ctx).code() == Code::kNotFound);
  f->set_id(1);
  f->mutable_person()->Clear();
  CHECK(Refusal(c, fix, ctx).field() == "correct_person.relationship");
  CHECK(Refusal(c, fix, Context("escort_to_port", lam)).code() == Code::kPermissionDenied);

  // Who called: said late without a reason, corrected with one.
  Command caller;
  auto* k = caller.mutable_set_caller();
  k->set_case_number(c.number());
  CHECK(Refusal(c, caller, ctx).field() == "set_caller.caller.name");
  k->mutable_caller()->set_name("Mr Lau");
  k->mutable_caller()->set_relationship("landlord");
  Apply(c, caller, ctx);
  CHECK(c.caller().name() == "Mr Lau");
  k->mutable_caller()->Clear();
  k->mutable_caller()->set_relationship("neighbour");
  CHECK(Refusal(c, caller, ctx).message() == "correcting who called needs a reason");
  k->set_reason("a neighbour, not the landlord");
  e = Apply(c, caller, ctx);
  CHECK(c.caller().name() == "Mr Lau");
  CHECK(c.caller().relationship() == "neighbour");
  CHECK(e[0].caller_set().previous().relationship() == "landlord");
}

TEST_CASE_FIXTURE(EngineFixture, "an ongoing duty comes round again each time it is done, until the case moves on") {
  const std::string text = R"pb(name: "waiting"
version: 1
label { zh_hant: "測" en: "Waiting" }
initial_state: "waiting"
field { name: "needs_call" label { zh_hant: "需致電" en: "Needs a call" } type: YES_NO }
pause_reason { name: "office" label { zh_hant: "等候" en: "Office" } }
state {
  name: "waiting"
  label { zh_hant: "等候" en: "Waiting" }
  task { name: "deliver_supplies" label { zh_hant: "送物資" en: "Deliver supplies" } role: "duty_officer"
         due_within: "1d" repeat_every: "3d" }
  task { name: "call" label { zh_hant: "致電" en: "Call" } role: "duty_officer" due_within: "1d"
         not_applicable_when { field_equals { field: "needs_call" value: "no" } } }
  pause_reasons: "office"
  transition { on: "home" to: "home" label { zh_hant: "回港" en: "Home" } }
}
state { name: "home" label { zh_hant: "回港" en: "Home" } terminal: true }
task_escalation { escalate_to: "assignee" }
)pb";
  auto def = model::LoadDefinition("waiting.textproto", text);
  REQUIRE_MESSAGE(def.ok(), def.status().ToString());
  DecideContext ctx = Context("escort_to_port", chan);
  ctx.definition = &*def;
  // A task its case type says this case does not need is marked so when created.
  CaseState no_call;
  Command open_no_call = testing::OpenCaseCommand("waiting", "SZ");
  (*open_no_call.mutable_open_case()->mutable_fields())["needs_call"] = "no";
  Apply(no_call, open_no_call, ctx);
  REQUIRE(no_call.task_size() == 2);
  CHECK(no_call.task(1).status() == model::TASK_NOT_APPLICABLE);
  CHECK(no_call.timer_size() == 1);  // the supplies' clock only

  CaseState c;
  Apply(c, testing::OpenCaseCommand("waiting", "SZ"), ctx);
  CHECK(model::FromProto(c.task(0).due_at()) - now == std::chrono::hours(24));
  // A whole-case pause holds the call's clock but not the ongoing duty's.
  Command pause;
  pause.mutable_pause_case()->set_case_number(c.number());
  pause.mutable_pause_case()->set_reason("office");
  Apply(c, pause, ctx);
  CHECK(c.pauses(0).keys_size() == 1);
  CHECK(c.pauses(0).keys(0) == "task/2");
  ctx.now = now + std::chrono::hours(20);
  const std::vector<Event> e = Apply(c, testing::DoneCommand(c.number(), "deliver_supplies"), ctx);
  CHECK(Kinds(e) == std::vector<std::string>{"task_completed", "deadline_met", "task_created", "deadline_set"});
  REQUIRE(c.task_size() == 3);
  CHECK(c.task(2).status() == model::TASK_OPEN);
  CHECK(model::FromProto(c.task(2).due_at()) - ctx.now == std::chrono::hours(72));
  Apply(c, testing::FireCommand(c.number(), "home"), ctx);
  CHECK(c.task(2).status() == model::TASK_CANCELLED);
  CHECK(c.task_size() == 3);

  CHECK(model::LoadDefinition("waiting.textproto", std::string(text).replace(text.find("\"3d\""), 4, "\"often\""))
            .status()
            .message()
            .find("waiting.textproto:11: task 'deliver_supplies' in state 'waiting': ") == 0);
}

namespace {

// A crossing booked for a day: the case waits for it, work comes in order,
// and a postponement needs its reason said again and clears the old booking.
constexpr std::string_view kCrossing = R"pb(name: "crossing"
version: 1
label { zh_hant: "過境" en: "Crossing" }
initial_state: "planning"
field { name: "crossing_date" label { zh_hant: "日期" en: "Crossing date" } type: DATE }
field { name: "booking" label { zh_hant: "預約" en: "Booking" } }
field { name: "test_result" label { zh_hant: "結果" en: "Test result" } type: CHOICE
        choice { value: "negative" label { zh_hant: "陰性" en: "Negative" } } }
field { name: "postponed_reason" label { zh_hant: "延後原因" en: "Why postponed" } }
pause_reason { name: "office" label { zh_hant: "等候" en: "Office" } }
state {
  name: "planning"
  label { zh_hant: "安排" en: "Planning" }
  task { name: "check_documents" label { zh_hant: "核對" en: "Check documents" } role: "duty_officer" }
  task { name: "test" label { zh_hant: "檢測" en: "Test" } role: "duty_officer" }
  task { name: "health_code" label { zh_hant: "健康碼" en: "Health code" } role: "duty_officer"
         after: "test" }
  transition { on: "booked" to: "booked" label { zh_hant: "已預約" en: "Booked" }
               guard { tasks_done: "check_documents" fields_required: "crossing_date"
                       fields_required: "booking" } }
}
state {
  name: "booked"
  label { zh_hant: "等候過境日" en: "Waiting for the crossing day" }
  wait { field: "crossing_date" ahead: "1d" event: "crossing_day" }
  deadline { within: "30d" escalate_to: "assignee" }
  pause_reasons: "office"
  transition { on: "crossing_day" to: "at_port" label { zh_hant: "出發" en: "Set off" }
               guard { tasks_done: "planning.health_code" field_equals { field: "test_result" value: "negative" } } }
  transition { on: "postponed" to: "planning" label { zh_hant: "延後" en: "Postponed" }
               guard { fields_given: "postponed_reason" }
               clears: "crossing_date" clears: "booking" clears: "test_result" }
}
state {
  name: "at_port"
  label { zh_hant: "口岸" en: "At the port" }
  task { name: "hand_over" label { zh_hant: "交接" en: "Hand over" } role: "duty_officer" }
  transition { on: "crossed" to: "home" label { zh_hant: "回港" en: "Home" } guard { tasks_done: "hand_over" } }
}
state { name: "home" label { zh_hant: "回港" en: "Home" } terminal: true }
)pb";

const model::Timer* FindTimer(const CaseState& c, std::string_view key) {
  for (const auto& t : c.timer()) {
    if (t.key() == key) return &t;
  }
  return nullptr;
}

}  // namespace

TEST_CASE_FIXTURE(EngineFixture, "a case waits for its booked day and moves on by itself") {
  auto def = model::LoadDefinition("crossing.textproto", std::string(kCrossing));
  REQUIRE_MESSAGE(def.ok(), def.status().ToString());
  DecideContext ctx = Context("escort_to_port", chan);
  ctx.definition = &*def;
  DecideContext system = ctx;
  system.actor = SystemActor();
  CaseState c;
  Apply(c, testing::OpenCaseCommand("crossing", "SZ"), ctx);

  // The health code comes after the test result.
  CHECK(Refusal(c, testing::DoneCommand(c.number(), "health_code"), ctx).message() ==
        "task SZ-2026-0001/3 (Health code) comes after 'test' (Test), which is not done yet");
  Apply(c, testing::DoneCommand(c.number(), "test"), ctx);
  Apply(c, testing::DoneCommand(c.number(), "health_code"), ctx);
  Apply(c, testing::DoneCommand(c.number(), "check_documents"), ctx);

  // Booked three days ahead: the case waits, and wakes the day before.
  Command book = testing::FireCommand(c.number(), "booked");
  (*book.mutable_fire_event()->mutable_fields())["crossing_date"] = "2026-03-05";
  (*book.mutable_fire_event()->mutable_fields())["booking"] = "B-1001";
  Apply(c, book, ctx);
  CHECK(c.state() == "booked");
  REQUIRE(FindTimer(c, kWakeTimer) != nullptr);
  CHECK(model::FormatHongKong(model::FromProto(FindTimer(c, kWakeTimer)->due_at())) ==
        "2026-03-04 00:00");

  // Waiting on an office does not hold the day; the wake moves with the date.
  Command pause;
  pause.mutable_pause_case()->set_case_number(c.number());
  pause.mutable_pause_case()->set_reason("office");
  Apply(c, pause, ctx);
  CHECK(std::vector<std::string>(c.pauses(0).keys().begin(), c.pauses(0).keys().end()) ==
        std::vector<std::string>{"state"});
  Command move;
  move.mutable_set_fields()->set_case_number(c.number());
  (*move.mutable_set_fields()->mutable_fields())["crossing_date"] = "2026-03-07";
  move.mutable_set_fields()->set_reason("the quota moved");
  Apply(c, move, ctx);
  CHECK(model::FormatHongKong(model::FromProto(FindTimer(c, kWakeTimer)->due_at())) ==
        "2026-03-06 00:00");
  Command back_in_time = move;
  (*back_in_time.mutable_set_fields()->mutable_fields())["crossing_date"] = "2026-03-01";
  CHECK(Refusal(c, back_in_time, ctx).message() ==
        "field 'crossing_date' cannot move to a day gone by (today is 2026-03-02 in Hong Kong); if "
        "it will not happen, postpone it");
  Command clear;
  clear.mutable_set_fields()->set_case_number(c.number());
  clear.mutable_set_fields()->add_clear("crossing_date");
  clear.mutable_set_fields()->set_reason("unsure");
  CHECK(Refusal(c, clear, ctx).message().find("cannot be cleared") != std::string::npos);

  // The day comes without a test result: the case stays, and says why.
  const model::Timer wake = *FindTimer(c, kWakeTimer);
  Command fire;
  fire.mutable_fire_deadline()->set_case_number(c.number());
  fire.mutable_fire_deadline()->set_key(std::string(kWakeTimer));
  fire.mutable_fire_deadline()->set_generation(wake.generation());
  system.now = model::FromProto(wake.due_at()) - std::chrono::minutes(1);
  CHECK(Decide(&c, fire, system)->empty());  // early
  system.now = model::FromProto(wake.due_at());
  std::vector<Event> e = Apply(c, fire, system);
  REQUIRE(Kinds(e) == std::vector<std::string>{"deadline_cleared"});
  CHECK(e[0].deadline_cleared().reason() ==
        "the day has come, but the case cannot move on by itself: field 'test_result' is not "
        "'negative'; fire 'crossing_day' when it can");
  CHECK(c.state() == "booked");

  // A postponement says why each time, and the old booking goes with it.
  Command set_reason;
  set_reason.mutable_set_fields()->set_case_number(c.number());
  (*set_reason.mutable_set_fields()->mutable_fields())["postponed_reason"] = "border closed";
  (*set_reason.mutable_set_fields()->mutable_fields())["test_result"] = "negative";
  Apply(c, set_reason, ctx);
  Command postpone = testing::FireCommand(c.number(), "postponed");
  CHECK(Refusal(c, postpone, ctx).message() ==
        "cannot 'postponed' on case SZ-2026-0001 yet: field 'postponed_reason' must be given with "
        "this event");
  (*postpone.mutable_fire_event()->mutable_fields())["postponed_reason"] = "quota withdrawn";
  postpone.mutable_fire_event()->set_note("a new reason");
  e = Apply(c, postpone, ctx);
  CHECK(c.state() == "planning");
  REQUIRE(Kinds(e).size() > 3);
  CHECK(Kinds(e)[0] == "case_resumed");  // the wait on the office ends with the move
  const auto cleared = std::find_if(e.begin(), e.end(), [](const Event& x) { return x.has_fields_set(); });
  REQUIRE(cleared != e.end());
  CHECK(cleared->fields_set().reason() == "no longer holds after 'postponed' (Postponed)");
  CHECK(c.fields().count("crossing_date") == 0);
  CHECK(c.fields().count("booking") == 0);
  CHECK(c.fields().count("test_result") == 0);
  CHECK(c.fields().at("postponed_reason") == "quota withdrawn");
  CHECK(FindTimer(c, kWakeTimer) == nullptr);
  CHECK(c.pauses_size() == 0);

  // Booked again, for a day already near: the case passes straight through
  // waiting, with the health code done on the first visit to planning.
  Apply(c, testing::DoneCommand(c.number(), "check_documents"), ctx);
  (*book.mutable_fire_event()->mutable_fields())["crossing_date"] = "2026-03-03";
  (*book.mutable_fire_event()->mutable_fields())["test_result"] = "negative";
  e = Apply(c, book, ctx);
  CHECK(c.state() == "at_port");
  std::vector<std::string> moves;
  for (const Event& each : e) {
    if (each.has_transitioned()) moves.push_back(each.transitioned().to_state() + ": " + each.transitioned().note());
  }
  CHECK(moves == std::vector<std::string>{"booked: ", "at_port: the day has come: Crossing date 2026-03-03"});
  CHECK(FindTimer(c, kWakeTimer) == nullptr);
  CHECK(OpenTaskNames(c) == std::vector<std::string>{"hand_over"});
}

TEST_CASE("a definition's waits, order, clears and given fields are checked at load") {
  const std::string text(kCrossing);
  auto problem = [&](std::string_view from, std::string_view to) {
    std::string t = text;
    const size_t at = t.find(from);
    REQUIRE(at != std::string::npos);
    t.replace(at, from.size(), to);
    auto r = model::LoadDefinition("crossing.textproto", t);
    REQUIRE_FALSE(r.ok());
    return r.status().message();
  };
  CHECK(problem("after: \"test\"", "after: \"hand_over\"") ==
        "crossing.textproto:17: task 'health_code' in state 'planning' comes after 'hand_over', "
        "which is not a task listed before it in state 'planning'");
  CHECK(problem("wait { field: \"crossing_date\"", "wait { field: \"booking\"")
            .find("crossing.textproto:25: state 'booked' waits for field 'booking', which is not a "
                  "date") != std::string::npos);
  CHECK(problem("event: \"crossing_day\"", "event: \"day\"") ==
        "crossing.textproto:25: state 'booked' waits to fire 'day', but has no transition on that "
        "event");
  CHECK(problem("clears: \"booking\"", "clears: \"bookings\"") ==
        "crossing.textproto:32: transition on 'postponed' from state 'booked' clears undeclared "
        "field 'bookings'");
  CHECK(problem("  deadline { within: \"30d\" escalate_to: \"assignee\" }\n", "") ==
        "crossing.textproto:25: state 'booked' may be unable to move on when its day comes (a way "
        "on has a guard), and has no deadline to chase it; give it one");
  CHECK(problem("\"planning.health_code\"", "\"planing.health_code\"")
            .find("needs task 'planing.health_code' done, but there is no state 'planing'") !=
        std::string::npos);
  CHECK(problem("guard { tasks_done: \"planning.health_code\"",
                "guard { roles: \"supervisor\" tasks_done: \"planning.health_code\"")
            .find("a transition on it needs a role; the system fires it") != std::string::npos);
}

TEST_CASE_FIXTURE(EngineFixture, "facts set between transitions, corrected and cleared with a reason") {
  CaseState c = OpenEscort();
  const auto ctx = Context("escort_to_port", chan);
  const auto set = [&](std::map<std::string, std::string> fields, std::vector<std::string> clear,
                       std::string reason) {
    Command cmd;
    auto* s = cmd.mutable_set_fields();
    s->set_case_number(c.number());
    s->mutable_fields()->insert(fields.begin(), fields.end());
    for (auto& k : clear) s->add_clear(k);
    s->set_reason(reason);
    return cmd;
  };
  // Known before the case moves: the crossing date and port.
  std::vector<Event> e = Apply(c, set({{"crossing_date", "2026-03-09"}, {"port", "shenzhen_bay"}}, {}, ""), ctx);
  REQUIRE(e.size() == 1);
  CHECK(e[0].fields_set().fields_size() == 2);
  CHECK(e[0].fields_set().previous_size() == 0);
  CHECK(c.fields().at("port") == "shenzhen_bay");
  CHECK(c.state() == "planning");  // nothing moved

  // Correcting or clearing a value needs a reason; the old value is kept.
  CHECK(Refusal(c, set({{"crossing_date", "2026-03-16"}}, {}, " "), ctx).message() ==
        "correcting or clearing a field needs a reason");
  e = Apply(c, set({{"crossing_date", "2026-03-16"}}, {}, "crossing postponed a week"), ctx);
  CHECK(e[0].fields_set().previous().at("crossing_date") == "2026-03-09");
  CHECK(c.fields().at("crossing_date") == "2026-03-16");
  e = Apply(c, set({}, {"port"}, "the port is not decided after all"), ctx);
  CHECK(e[0].fields_set().cleared(0) == "port");
  CHECK(e[0].fields_set().previous().at("port") == "shenzhen_bay");  // kept in the timeline
  CHECK(c.fields().count("port") == 0);
  CHECK(Refusal(c, set({}, {"port"}, "again"), ctx).message() ==
        "field 'port' is not set on case SZ-2026-0001; there is nothing to clear");
  CHECK(Refusal(c, set({}, {}, ""), ctx).message() ==
        "say which fields to set or clear");

  // Checked as an event's fields are, and nothing changes on a refusal.
  CHECK(Refusal(c, set({{"port", "nowhere"}}, {}, ""), ctx).message().rfind(
            "field 'port' (Border port) cannot be 'nowhere'; use one of: ", 0) == 0);
  CHECK(Refusal(c, set({}, {"colour"}, "x"), ctx).message().rfind("unknown field 'colour'", 0) == 0);
  CHECK(Refusal(c, set({{"crossing_date", "2026-03-16"}}, {}, ""), ctx).message() ==
        "nothing to change: case SZ-2026-0001 already has these values");
  CHECK(Refusal(c, set({{"port", "shenzhen_bay"}}, {"port"}, "x"), ctx).message() ==
        "field 'port' is both set and cleared");
  CHECK(Refusal(c, set({{"port", "shenzhen_bay"}}, {}, ""), Context("escort_to_port", lam)).code() ==
        model::Code::kPermissionDenied);

  // A field the case moved on cannot be cleared, only corrected.
  Apply(c, set({{"port", "shenzhen_bay"}, {"hk_receiver", "family"}}, {}, ""), ctx);
  for (const char* t : {"agree_crossing_with_family", "check_travel_documents", "arrange_departure"}) {
    Apply(c, testing::DoneCommand(c.number(), t), ctx);
  }
  Apply(c, testing::FireCommand(c.number(), "plan_confirmed"), ctx);  // on the facts set before
  REQUIRE(c.state() == "crossing_booked");  // the 16th is two weeks away: it waits for the day
  CHECK(Refusal(c, set({}, {"hk_receiver"}, "x"), ctx).message() ==
        "field 'hk_receiver' cannot be cleared: the case reached 'crossing_booked' on it; set "
        "the right value instead");
  CHECK(Refusal(c, set({}, {"crossing_date"}, "x"), ctx).message() ==
        "field 'crossing_date' cannot be cleared: the case reached 'crossing_booked' on it; set "
        "the right value instead");
  e = Apply(c, set({{"hk_receiver", "social_welfare_department"}}, {}, "the family cannot come; SWD receives her"), ctx);
  CHECK(e[0].fields_set().previous().at("hk_receiver") == "family");
  // Not on a case that has ended.
  Command cancel;
  cancel.mutable_cancel_case()->set_case_number(c.number());
  cancel.mutable_cancel_case()->set_reason("family took her home");
  Apply(c, cancel, ctx);
  CHECK(Refusal(c, set({{"port", "lok_ma_chau"}}, {}, "x"), ctx).message() ==
        "case SZ-2026-0001 is cancelled; nothing more can be done on it except notes");

  // A field every case of its type has cannot be cleared, only corrected.
  CaseState verification;
  const auto vctx = Context("document_verification", chan);
  Apply(verification, testing::OpenCaseCommand("document_verification", "SZ"), vctx);
  Command clear_requester;
  clear_requester.mutable_set_fields()->set_case_number(verification.number());
  clear_requester.mutable_set_fields()->add_clear("requested_by");
  clear_requester.mutable_set_fields()->set_reason("wrong bureau");
  CHECK(Refusal(verification, clear_requester, vctx).message() ==
        "field 'requested_by' cannot be cleared: every document_verification case has one; set "
        "the right value instead");
}

TEST_CASE_FIXTURE(EngineFixture, "the fold of the events is the state") {
  const auto ctx = Context("escort_to_port", chan);
  std::vector<Event> all;
  CaseState live;
  for (const Command& cmd : {testing::OpenCaseCommand("escort_to_port", "SZ"),
                             testing::DoneCommand("SZ-2026-0001", "arrange_departure")}) {
    for (const Event& e : Apply(live, cmd, ctx)) all.push_back(e);
  }
  CHECK(Fold(all).SerializeAsString() == live.SerializeAsString());
}

TEST_CASE("only admins add users, with a valid name, centre and role") {
  const std::set<std::string> centres = {"SZ", "FJ"};
  const auto now = testing::StartTime();
  model::AddUser add;
  add.set_name("chan_sz");
  add.set_centre("SZ");
  add.set_role("duty_officer");
  CHECK(DecideAddUser({"ho_sz", "SZ", "supervisor"}, add, centres, now).status().code() ==
        Code::kPermissionDenied);
  const Actor admin{"admin", "SZ", "admin"};
  auto u = DecideAddUser(admin, add, centres, now);
  REQUIRE(u.ok());
  CHECK(u->created_by() == "admin");
  add.set_name("Chan SZ");
  CHECK(DecideAddUser(admin, add, centres, now).status().code() == Code::kInvalidArgument);
  add.set_name("chan_sz");
  add.set_centre("GZ");
  CHECK(DecideAddUser(admin, add, centres, now).status().message() ==
        "unknown centre 'GZ'; centres are FJ, SZ");
  add.set_centre("SZ");
  add.set_role("driver");
  CHECK(DecideAddUser(admin, add, centres, now).status().message() ==
        "unknown role 'driver'; roles are duty_officer, coordinator, supervisor, admin");
}

}  // namespace dispatch

namespace dispatch {

TEST_CASE_FIXTURE(EngineFixture, "a firing of a re-armed, early or paused timer does nothing") {
  CaseState c = OpenEscort();
  const model::Timer task1 = c.timer(2);
  REQUIRE(task1.key() == "task/1");
  DecideContext ctx = Context("escort_to_port", SystemActor());
  Command fire;
  fire.mutable_fire_deadline()->set_case_number(c.number());
  fire.mutable_fire_deadline()->set_key("task/1");
  fire.mutable_fire_deadline()->set_generation(task1.generation());

  CHECK(Decide(&c, fire, ctx)->empty());  // early
  ctx.now = model::FromProto(task1.due_at());
  CHECK(Kinds(*Decide(&c, fire, ctx)) == std::vector<std::string>{"deadline_breached", "escalated"});

  Command stale = fire;
  stale.mutable_fire_deadline()->set_generation(task1.generation() - 1);
  CHECK(Decide(&c, stale, ctx)->empty());

  Command pause;
  pause.mutable_pause_case()->set_case_number(c.number());
  pause.mutable_pause_case()->set_reason("family_to_confirm");
  Apply(c, pause, Context("escort_to_port", chan));
  CHECK(Decide(&c, fire, ctx)->empty());
}

}  // namespace dispatch
