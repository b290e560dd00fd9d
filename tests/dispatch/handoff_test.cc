// Handoffs of a leg between centres, through the Dispatcher on real SQLite.
#include <doctest/doctest.h>

#include "support/world.h"

namespace dispatch {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using testing::World;

model::Command Request(const std::string& number, const std::string& to, const std::string& leg = "") {
  model::Command c;
  auto* r = c.mutable_request_handoff();
  r->set_case_number(number);
  r->set_to_centre(to);
  r->set_leg(leg);
  r->set_message("Guide her through the health declaration and customs at Shenzhen Bay on the 18th");
  return c;
}

model::Command Accept(const std::string& number, int id) {
  model::Command c;
  c.mutable_accept_handoff()->set_case_number(number);
  c.mutable_accept_handoff()->set_handoff(id);
  return c;
}

model::Command Decline(const std::string& number, int id, const std::string& reason) {
  model::Command c;
  c.mutable_decline_handoff()->set_case_number(number);
  c.mutable_decline_handoff()->set_handoff(id);
  c.mutable_decline_handoff()->set_reason(reason);
  return c;
}

model::Command Fire(const std::string& number, const std::string& event,
                    std::map<std::string, std::string> fields = {}) {
  model::Command c = testing::FireCommand(number, event);
  c.mutable_fire_event()->mutable_fields()->insert(fields.begin(), fields.end());
  return c;
}

void DoAll(World& w, const std::string& number, const std::vector<std::string>& tasks,
           const std::string& actor) {
  for (const auto& t : tasks) w.Must(testing::DoneCommand(number, t), actor);
}

// An escort case opened at Fujian by its coordinator, in planning.
struct FujianCase {
  World w;
  std::string number;
  FujianCase() {
    for (const char* u : {"lin_fj", "chan_sz", "lee_sz"}) w.OnDuty(u);
    number = w.Must(testing::OpenCaseCommand("escort_to_port", "FJ"), "wong_fj").case_state().number();
  }
  void ConfirmPlan() {
    DoAll(w, number, {"agree_crossing_with_family", "check_travel_documents", "arrange_departure"},
          "lin_fj");
    w.Must(Fire(number, "plan_confirmed",
                {{"port", "shenzhen_bay"}, {"crossing_date", "2026-03-03"}, {"hk_receiver", "family"}}),
           "lin_fj");
  }
};

const model::Timer* FindTimer(const model::CaseState& c, const std::string& key) {
  for (const auto& t : c.timer()) {
    if (t.key() == key) return &t;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("a leg handed over and accepted is worked by the accepting centre") {
  FujianCase f;
  World& w = f.w;
  const model::Timer case_timer = *FindTimer(w.Case(f.number), "case");

  auto requested = w.Must(Request(f.number, "SZ"), "wong_fj");
  CHECK(testing::Kinds(requested) == std::vector<std::string>{"handoff_requested", "deadline_set"});
  CHECK(w.Inbox("centre:SZ", f.number) ==
        std::vector<std::string>{"FJ asks SZ to take Escort at the port of " + f.number +
                                 " (LI CHAN Shuk Fan): Guide her through the health declaration "
                                 "and customs at Shenzhen Bay on the 18th. Accept or decline " +
                                 f.number + "/H1"});
  // Shenzhen may read the case it is asked to take, and nothing is its yet.
  const Actor mak = *w.dispatcher->ResolveActor("mak_sz");
  CHECK(w.dispatcher->GetCase(mak, f.number).ok());
  CHECK(w.dispatcher->ListHandoffs(mak, true)->size() == 1);
  CHECK(w.dispatcher->Execute(Request(f.number, "GZ"), "wong_fj").status().message() ==
        "a handoff of leg 'port_escort' to SZ is already pending (" + f.number +
            "/H1); wait for SZ to accept or decline it");
  CHECK(w.dispatcher->Execute(Accept(f.number, 1), "chan_sz").status().code() ==
        model::Code::kPermissionDenied);
  CHECK(w.dispatcher->Execute(Accept(f.number, 1), "lin_fj").status().code() ==
        model::Code::kPermissionDenied);

  auto accepted = w.Must(Accept(f.number, 1), "mak_sz");
  CHECK(testing::Kinds(accepted) == std::vector<std::string>{"handoff_accepted", "deadline_met"});
  CHECK(accepted.case_state().leg_holder().at("port_escort") == "SZ");
  CHECK(accepted.case_state().responsible_centre() == "FJ");  // the case is still in planning
  CHECK(w.Inbox("centre:FJ", f.number) ==
        std::vector<std::string>{"SZ accepted Escort at the port of " + f.number + " (LI CHAN Shuk Fan)"});
  CHECK(w.Inbox("user:wong_fj", f.number).size() == 1);

  // When the case reaches the leg, its tasks are created at Shenzhen, for Shenzhen's officers.
  f.ConfirmPlan();
  const model::CaseState c = w.Case(f.number);
  CHECK(c.responsible_centre() == "SZ");
  for (const auto& t : c.task()) {
    if (t.status() != model::TASK_OPEN) continue;
    CHECK(t.centre() == "SZ");
    CHECK((t.assignee() == "chan_sz" || t.assignee() == "lee_sz"));
  }
  CHECK(w.dispatcher->Execute(testing::DoneCommand(f.number, "health_declaration"), "lin_fj")
            .status().code() == model::Code::kPermissionDenied);
  DoAll(w, f.number, {"health_declaration", "coordinate_customs"}, "chan_sz");
  w.Must(Fire(f.number, "arrived_at_port"), "chan_sz");
  DoAll(w, f.number, {"hand_over"}, "lee_sz");
  auto done = w.Must(Fire(f.number, "handed_over", {{"received_by", "her daughter"}}), "lee_sz");
  // The leg is over: Fujian is responsible again and closes the case.
  CHECK(done.case_state().responsible_centre() == "FJ");
  model::Command close;
  close.mutable_close_case()->set_case_number(f.number);
  close.mutable_close_case()->set_reason("home");
  CHECK(w.dispatcher->Execute(close, "chan_sz").status().code() == model::Code::kPermissionDenied);
  w.Must(close, "wong_fj");

  // Fujian read the whole timeline throughout; the case deadline never moved.
  const Actor lin = *w.dispatcher->ResolveActor("lin_fj");
  CHECK(w.dispatcher->Timeline(lin, f.number)->size() > 20);
  CHECK(w.dispatcher->Timeline(mak, f.number).ok());
  CHECK(testing::Kinds(w.Timeline(f.number)).back() == "case_closed");
  int case_timer_events = 0;
  for (const auto& e : w.Timeline(f.number)) {
    if (e.has_deadline_set() && e.deadline_set().timer().key() == "case") ++case_timer_events;
  }
  CHECK(case_timer_events == 1);
  CHECK(case_timer.generation() == 1);
}

TEST_CASE("a declined handoff goes back to the requesting centre, which decides again") {
  FujianCase f;
  World& w = f.w;
  w.Must(Request(f.number, "SZ"), "wong_fj");
  CHECK(w.dispatcher->Execute(Decline(f.number, 1, " "), "mak_sz").status().message() ==
        "declining a handoff needs a reason");
  auto declined = w.Must(Decline(f.number, 1, "no staff free on the 18th"), "mak_sz");
  CHECK(testing::Kinds(declined) == std::vector<std::string>{"handoff_declined", "deadline_met"});
  CHECK(declined.case_state().handoff(0).status() == model::HANDOFF_DECLINED);
  CHECK(declined.case_state().leg_holder().empty());
  CHECK(w.Inbox("centre:FJ", f.number) ==
        std::vector<std::string>{"SZ declined Escort at the port of " + f.number +
                                 " (LI CHAN Shuk Fan): no staff free on the 18th. FJ decides again"});
  // Shenzhen no longer sees the case; Fujian asks Guangzhou instead.
  CHECK(w.dispatcher->GetCase(*w.dispatcher->ResolveActor("mak_sz"), f.number).status().code() ==
        model::Code::kNotFound);
  auto again = w.Must(Request(f.number, "GZ"), "wong_fj");
  CHECK(again.event(0).handoff_requested().handoff().id() == 2);
  CHECK(w.dispatcher->Execute(Accept(f.number, 1), "mak_sz").status().code() == model::Code::kNotFound);
}

TEST_CASE("an unanswered handoff escalates to the requesting centre's supervisor, then the network") {
  FujianCase f;
  World& w = f.w;
  w.Must(Request(f.number, "SZ"), "wong_fj");  // 4 hours to accept, then every 2 hours
  CHECK(w.Advance(hours(3) + minutes(59)) == 0);
  CHECK(w.Advance(minutes(1)) == 1);
  const auto fj_supervisor = w.Inbox("user:kwok_fj", f.number);
  REQUIRE(fj_supervisor.size() == 1);
  CHECK(fj_supervisor[0].rfind("Deadline missed on " + f.number +
                                   " (LI CHAN Shuk Fan): handoff 1 (port_escort to SZ) was due",
                               0) == 0);
  CHECK(w.Inbox("user:mak_sz", f.number).empty());
  w.Advance(hours(2));  // nobody on duty as network coordinator: every coordinator
  for (const char* u : {"user:wong_fj", "user:mak_sz", "user:choi_dg", "user:sit_zs"}) {
    CAPTURE(u);
    CHECK(w.Inbox(u, f.number).size() == 1);
  }
  auto accepted = w.Must(Accept(f.number, 1), "mak_sz");
  CHECK(accepted.event(1).deadline_met().late());
  CHECK(w.Advance(hours(4)) == 0);
}

TEST_CASE("accepting a leg the case is already in moves its open tasks") {
  FujianCase f;
  World& w = f.w;
  f.ConfirmPlan();
  model::CaseState c = w.Case(f.number);
  CHECK(c.responsible_centre() == "FJ");
  for (const auto& t : c.task()) {
    if (t.status() == model::TASK_OPEN) CHECK(t.assignee() == "lin_fj");
  }
  w.Must(Request(f.number, "SZ"), "wong_fj");
  auto accepted = w.Must(Accept(f.number, 1), "mak_sz");
  CHECK(accepted.case_state().responsible_centre() == "SZ");
  int moved = 0;
  for (const auto& e : accepted.event()) {
    if (!e.has_task_assigned()) continue;
    ++moved;
    CHECK(e.task_assigned().centre() == "SZ");
    CHECK(e.task_assigned().automatic());
    CHECK(e.task_assigned().previous_assignee() == "lin_fj");
  }
  CHECK(moved == 2);
  DoAll(w, f.number, {"health_declaration"}, "chan_sz");
}

TEST_CASE("only a coordinator of the holding centre hands a leg over, with a message") {
  FujianCase f;
  World& w = f.w;
  CHECK(w.dispatcher->Execute(Request(f.number, "SZ"), "lin_fj").status().code() ==
        model::Code::kPermissionDenied);
  CHECK(w.dispatcher->Execute(Request(f.number, "FJ"), "wong_fj").status().message() ==
        "FJ already holds leg 'port_escort'");
  CHECK(w.dispatcher->Execute(Request(f.number, "SZ", "boat"), "wong_fj").status().message() ==
        "an escort_to_port case has no leg 'boat'; its legs are: port_escort");
  model::Command silent = Request(f.number, "SZ");
  silent.mutable_request_handoff()->set_message("");
  CHECK(w.dispatcher->Execute(silent, "wong_fj").status().message() ==
        "say what SZ must do");
}

TEST_CASE("a case can pass through several centres, one leg each") {
  World w;
  for (const char* u : {"yu_zs", "lam_dg", "chan_sz"}) w.OnDuty(u);
  const std::string n =
      w.Must(testing::OpenCaseCommand("cross_border_ambulance", "ZS"), "yu_zs").case_state().number();
  w.Must(Request(n, "DG", "transfer"), "sit_zs");
  w.Must(Request(n, "SZ", "port_handover"), "sit_zs");
  w.Must(Accept(n, 1), "choi_dg");
  w.Must(Accept(n, 2), "mak_sz");

  DoAll(w, n, {"visit_patient", "confirm_fitness_to_travel"}, "yu_zs");
  w.Must(Fire(n, "fit_to_travel"), "yu_zs");
  DoAll(w, n, {"settle_discharge", "book_mainland_vehicle", "book_hk_ambulance"}, "yu_zs");
  auto departed = w.Must(
      Fire(n, "depart", {{"port", "hzmb"}, {"transfer_date", "2026-03-04"}, {"hk_hospital", "Queen Mary"}}),
      "yu_zs");
  CHECK(departed.case_state().responsible_centre() == "DG");
  CHECK(departed.case_state().task(departed.case_state().task_size() - 1).assignee() == "lam_dg");
  CHECK(w.dispatcher->Execute(Fire(n, "arrived_at_port"), "yu_zs").status().code() ==
        model::Code::kPermissionDenied);
  DoAll(w, n, {"escort_patient"}, "lam_dg");
  auto at_port = w.Must(Fire(n, "arrived_at_port"), "lam_dg");
  CHECK(at_port.case_state().responsible_centre() == "SZ");
  DoAll(w, n, {"hand_over_to_hk_ambulance"}, "chan_sz");
  auto done = w.Must(Fire(n, "transferred", {{"received_by", "HK ambulance crew"}}), "chan_sz");
  CHECK(done.case_state().responsible_centre() == "ZS");
  // Every centre that held a leg still reads the whole story.
  for (const char* u : {"yu_zs", "lam_dg", "chan_sz"}) {
    CHECK(w.dispatcher->Timeline(*w.dispatcher->ResolveActor(u), n).ok());
  }
  CHECK(w.dispatcher->GetCase(*w.dispatcher->ResolveActor("lin_fj"), n).status().code() ==
        model::Code::kNotFound);
}

}  // namespace dispatch
