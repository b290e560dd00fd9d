// The service figures: deadlines met and missed (each counted once, in the
// year it was met or missed, for the centre working the case then), time to
// accept a handoff, time paused by reason, cases past their whole-case
// deadline; from hand-made journals, and from the engine's own.
#include <doctest/doctest.h>

#include <functional>

#include "dispatch/service_figures.h"
#include "support/world.h"

namespace dispatch {
namespace {

using model::Event;

model::Instant At(const std::string& rfc3339) {
  auto t = model::ParseTimestamp(rfc3339);
  REQUIRE_MESSAGE(t.ok(), t.status().ToString());
  return *t;
}

// A journal written by hand, one event at a time.
struct Journal {
  std::string number = "SZ-2026-0001";
  std::vector<Event> events;

  Journal& Add(const std::string& at, const std::function<void(Event&)>& body) {
    Event e;
    e.set_case_number(number);
    e.set_seq(static_cast<int64_t>(events.size()) + 1);
    *e.mutable_at() = model::ToProto(At(at));
    body(e);
    events.push_back(std::move(e));
    return *this;
  }
  Journal& Opened(const std::string& at, const std::string& centre = "SZ") {
    return Add(at, [&](Event& e) {
      e.mutable_case_opened()->set_type("escort_to_port");
      e.mutable_case_opened()->set_centre(centre);
      e.mutable_case_opened()->set_initial_state("planning");
    });
  }
  Journal& Moved(const std::string& at, const std::string& to, const std::string& centre = "") {
    return Add(at, [&](Event& e) {
      e.mutable_transitioned()->set_to_state(to);
      e.mutable_transitioned()->set_responsible_centre(centre);
    });
  }
  Journal& Set(const std::string& at, const std::string& key, bool breached = false) {
    return Add(at, [&](Event& e) {
      e.mutable_deadline_set()->mutable_timer()->set_key(key);
      e.mutable_deadline_set()->mutable_timer()->set_breached(breached);
    });
  }
  Journal& Met(const std::string& at, const std::string& key, bool late = false) {
    return Add(at, [&](Event& e) {
      e.mutable_deadline_met()->set_key(key);
      e.mutable_deadline_met()->set_late(late);
    });
  }
  Journal& Breached(const std::string& at, const std::string& key) {
    return Add(at, [&](Event& e) { e.mutable_deadline_breached()->set_key(key); });
  }
};

ServiceTally Year2026() {
  return ServiceTally(At("2026-01-01T00:00:00+08:00"), At("2027-01-01T00:00:00+08:00"));
}

// "SZ escort_to_port planning 1/0": a deadline row as centre, type, stage, met/missed.
std::vector<std::string> Rows(const model::ServiceFigures& f) {
  std::vector<std::string> out;
  for (const auto& d : f.deadline()) {
    out.push_back(d.centre() + " " + d.type() + " " + (d.stage().empty() ? "(case)" : d.stage()) +
                  " " + std::to_string(d.met()) + "/" + std::to_string(d.missed()));
  }
  return out;
}

TEST_CASE("a deadline is counted once: met in time, or missed however late it was then done") {
  ServiceTally tally = Year2026();
  Journal j;
  j.Opened("2026-03-02T09:00:00+08:00")
      .Set("2026-03-02T09:00:00+08:00", "state")
      .Set("2026-03-02T09:00:00+08:00", "task/1")
      .Set("2026-03-02T09:00:00+08:00", "task/2")
      .Set("2026-03-02T09:00:00+08:00", "task/3")
      .Set("2026-03-02T09:00:00+08:00", "wake")  // a booked day, not a deadline
      .Met("2026-03-03T09:00:00+08:00", "task/1")
      .Breached("2026-03-04T09:00:00+08:00", "task/2")
      .Met("2026-03-05T09:00:00+08:00", "task/2", /*late=*/true)  // counted at the breach
      .Met("2026-03-05T09:00:00+08:00", "task/3", /*late=*/true)  // fell due while nothing ran
      .Met("2026-03-06T09:00:00+08:00", "state")
      .Moved("2026-03-06T09:00:00+08:00", "crossing_booked")
      .Set("2026-03-06T09:00:00+08:00", "state")
      .Breached("2026-03-07T09:00:00+08:00", "state")
      // A pause moved the breached timer on: still the one missed deadline.
      .Set("2026-03-08T09:00:00+08:00", "state", /*breached=*/true)
      .Met("2026-03-09T09:00:00+08:00", "state", /*late=*/true)
      .Met("2026-03-09T09:00:00+08:00", "wake");
  tally.TakeCase(j.events);
  const model::ServiceFigures f = tally.Figures(2026, "");
  CHECK(Rows(f) == std::vector<std::string>{"SZ escort_to_port crossing_booked 0/1",
                                            "SZ escort_to_port planning 2/2"});
  REQUIRE(f.deadline(1).missed_case_size() == 1);  // two missed, one case behind them
  CHECK(f.deadline(1).missed_case(0) == "SZ-2026-0001");
}

TEST_CASE("a deadline is its working centre's, a handoff's answer the centre asked") {
  ServiceTally tally = Year2026();
  Journal j;
  j.Opened("2026-05-01T09:00:00+08:00")
      .Add("2026-05-01T10:00:00+08:00",
           [](Event& e) {
             model::Handoff& h = *e.mutable_handoff_requested()->mutable_handoff();
             h.set_id(1);
             h.set_to_centre("FJ");
             *h.mutable_requested_at() = model::ToProto(At("2026-05-01T10:00:00+08:00"));
           })
      .Set("2026-05-01T10:00:00+08:00", "handoff/1")
      .Met("2026-05-01T13:30:00+08:00", "handoff/1")
      .Add("2026-05-01T13:30:00+08:00",
           [](Event& e) {
             e.mutable_handoff_accepted()->set_id(1);
             e.mutable_handoff_accepted()->set_responsible_centre("FJ");
           })
      .Moved("2026-05-02T09:00:00+08:00", "at_port")
      .Set("2026-05-02T09:00:00+08:00", "state")
      .Breached("2026-05-04T09:00:00+08:00", "state");
  tally.TakeCase(j.events);
  model::ServiceFigures f = tally.Figures(2026, "");
  CHECK(Rows(f) == std::vector<std::string>{"FJ escort_to_port at_port 0/1",
                                            "FJ escort_to_port handoff:answer 1/0"});
}

TEST_CASE("figures fall in the Hong Kong year of their outcome") {
  ServiceTally tally = Year2026();
  Journal j;
  j.Opened("2025-12-20T09:00:00+08:00")
      .Set("2025-12-20T09:00:00+08:00", "case")
      .Set("2025-12-20T09:00:00+08:00", "task/1")
      .Set("2025-12-20T09:00:00+08:00", "task/2")
      .Met("2025-12-31T23:59:00+08:00", "task/1")  // 2025
      .Met("2026-01-01T00:01:00+08:00", "task/2")  // 2026
      .Breached("2026-01-03T09:00:00+08:00", "case");
  tally.TakeCase(j.events);
  Journal unseen;  // its whole-case deadline fell due while nothing ran
  unseen.number = "SZ-2026-0003";
  unseen.Opened("2026-02-01T09:00:00+08:00")
      .Set("2026-02-01T09:00:00+08:00", "case")
      .Met("2026-03-01T09:00:00+08:00", "case", /*late=*/true);
  tally.TakeCase(unseen.events);
  Journal late;
  late.number = "SZ-2026-0002";
  late.Opened("2026-12-20T09:00:00+08:00")
      .Set("2026-12-20T09:00:00+08:00", "case")
      .Breached("2027-01-03T09:00:00+08:00", "case");  // 2027
  tally.TakeCase(late.events);
  model::ServiceFigures f = tally.Figures(2026, "");
  CHECK(Rows(f) == std::vector<std::string>{"SZ escort_to_port (case) 0/2",
                                            "SZ escort_to_port planning 1/0"});
  REQUIRE(f.past_case_deadline_size() == 1);
  CHECK(f.past_case_deadline(0).centre() == "SZ");
  CHECK(f.past_case_deadline(0).cases() == 2);
  // The cases behind each number, for the console's links.
  const std::vector<std::string> behind = {"SZ-2026-0001", "SZ-2026-0003"};
  CHECK(std::vector<std::string>(f.past_case_deadline(0).case_number().begin(),
                                 f.past_case_deadline(0).case_number().end()) == behind);
  CHECK(std::vector<std::string>(f.deadline(0).missed_case().begin(),
                                 f.deadline(0).missed_case().end()) == behind);
  CHECK(f.deadline(1).missed_case_size() == 0);
}

TEST_CASE("time to accept a handoff: median and 90th percentile, nearest rank") {
  ServiceTally tally = Year2026();
  for (int hours = 1; hours <= 10; ++hours) {
    Journal j;
    j.number = "SZ-2026-00" + std::to_string(10 + hours);
    j.Opened("2026-06-01T08:00:00+08:00")
        .Add("2026-06-01T08:00:00+08:00",
             [](Event& e) {
               model::Handoff& h = *e.mutable_handoff_requested()->mutable_handoff();
               h.set_id(1);
               h.set_to_centre(e.case_number().back() == '1' ? "DG" : "FJ");  // SZ-2026-0011 to DG
               *h.mutable_requested_at() = model::ToProto(At("2026-06-01T08:00:00+08:00"));
             })
        .Add("2026-06-01T" + std::string(hours + 8 < 10 ? "0" : "") + std::to_string(hours + 8) +
                 ":00:00+08:00",
             [](Event& e) { e.mutable_handoff_accepted()->set_id(1); });
    tally.TakeCase(j.events);
  }
  model::ServiceFigures f = tally.Figures(2026, "");
  REQUIRE(f.handoff_size() == 2);
  CHECK(f.handoff(0).centre() == "DG");  // the 1-hour one
  CHECK(f.handoff(0).accepted() == 1);
  CHECK(f.handoff(0).median_ms() == 3600000);
  const model::HandoffFigure& fj = f.handoff(1);  // 2 to 10 hours: nine
  CHECK(fj.accepted() == 9);
  CHECK(fj.median_ms() == 6 * 3600000);  // the 5th of 9
  CHECK(fj.p90_ms() == 10 * 3600000);    // the 9th of 9 (ceil(8.1))
  REQUIRE(fj.case_number_size() == 9);  // the cases behind the count, in number order
  CHECK(fj.case_number(0) == "SZ-2026-0012");
  CHECK(fj.case_number(8) == "SZ-2026-0020");
  // One centre's figures hold only its own rows.
  model::ServiceFigures dg = tally.Figures(2026, "DG");
  REQUIRE(dg.handoff_size() == 1);
  CHECK(dg.handoff(0).centre() == "DG");
}

TEST_CASE("time paused adds up by reason for the centre working the case") {
  ServiceTally tally = Year2026();
  Journal j;
  j.Opened("2026-04-01T09:00:00+08:00");
  for (const auto& [reason, ms] : std::vector<std::pair<std::string, int64_t>>{
           {"family_to_confirm", 3600000}, {"family_to_confirm", 7200000}, {"port_booking", 60000}}) {
    j.Add("2026-04-02T09:00:00+08:00", [&](Event& e) {
      e.mutable_case_resumed()->set_reason(reason);
      e.mutable_case_resumed()->set_paused_ms(ms);
    });
  }
  tally.TakeCase(j.events);
  model::ServiceFigures f = tally.Figures(2026, "");
  REQUIRE(f.paused_size() == 2);
  CHECK(f.paused(0).reason() == "family_to_confirm");
  CHECK(f.paused(0).pauses() == 2);
  CHECK(f.paused(0).paused_ms() == 10800000);
  CHECK(std::vector<std::string>(f.paused(0).case_number().begin(), f.paused(0).case_number().end()) ==
        std::vector<std::string>{"SZ-2026-0001"});  // two pauses, one case
  CHECK(f.paused(1).reason() == "port_booking");
  CHECK(f.paused(1).paused_ms() == 60000);
}

TEST_CASE("the engine's own journal: a planning deadline missed, with its stage's label") {
  testing::World w;
  w.OnDuty("chan_sz");
  const std::string number = w.OpenEscort();
  model::Command pause;
  pause.mutable_pause_case()->set_case_number(number);
  pause.mutable_pause_case()->set_reason("family_to_confirm");
  w.Must(pause, "chan_sz");
  w.Advance(std::chrono::hours(3));
  model::Command resume;
  resume.mutable_resume_case()->set_case_number(number);
  w.Must(resume, "chan_sz");
  w.Advance(std::chrono::days(6));  // past planning's five days
  const int year = model::HongKongYear(w.clock.Now());
  auto f = w.dispatcher->ServiceFigures(*w.dispatcher->ResolveActor("chan_sz"), year, "");
  REQUIRE_MESSAGE(f.ok(), f.status().ToString());
  CHECK(f->centre() == "SZ");  // an officer's own centre
  const model::DeadlineFigure* planning = nullptr;
  for (const auto& d : f->deadline()) {
    if (d.stage() == "planning") planning = &d;
  }
  REQUIRE(planning != nullptr);
  CHECK(planning->missed() >= 1);
  CHECK(planning->stage_label().en() == "Planning the escort");
  CHECK(planning->stage_label().zh_hant() == "安排護送");
  REQUIRE(f->paused_size() == 1);
  CHECK(f->paused(0).reason_label().zh_hant() == "等候家屬確認");
  CHECK(f->paused(0).paused_ms() == 3 * 3600000);

  auto refused = w.dispatcher->ServiceFigures(*w.dispatcher->ResolveActor("lin_fj"), year, "SZ");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == model::Code::kPermissionDenied);
  auto unknown = w.dispatcher->ServiceFigures(*w.dispatcher->ResolveActor("kwok_fj"), year, "XX");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().code() == model::Code::kInvalidArgument);
}

}  // namespace
}  // namespace dispatch
