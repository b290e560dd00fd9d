#include "dispatch/service_figures.h"

#include <algorithm>

#include "dispatch/timer_keys.h"

namespace dispatch {

namespace {

// The nearest-rank `q` quantile of sorted `v` (not empty).
int64_t Quantile(const std::vector<int64_t>& v, int percent) {
  const size_t rank = (v.size() * static_cast<size_t>(percent) + 99) / 100;
  return v[std::max<size_t>(rank, 1) - 1];
}

}  // namespace

bool ServiceTally::InYear(const model::Event& e) const {
  const model::Instant at = model::FromProto(e.at());
  return at >= from_ && at < until_;
}

void ServiceTally::TakeCase(const std::vector<model::Event>& events) {
  std::string type, owner, responsible, state;
  struct Deadline {
    std::string centre, stage;
    bool missed = false;  // counted missed already
  };
  std::map<std::string, Deadline> timers;  // by key
  struct Asked {
    std::string to_centre;
    model::Instant at{};
  };
  std::map<int, Asked> handoffs;  // by id
  auto count = [&](const Deadline& d, bool met, const std::string& number) {
    Counts& c = deadlines_[{d.centre, type, d.stage}];
    if (met) {
      ++c.met;
    } else {
      ++c.missed;
      c.missed_cases.insert(number);
    }
  };
  // Only the events the figures are made of are looked at.
  for (const model::Event& e : events) {
    if (e.has_case_opened()) {
      type = e.case_opened().type();
      owner = responsible = e.case_opened().centre();
      state = e.case_opened().initial_state();
    } else if (e.has_transitioned()) {
      state = e.transitioned().to_state();
      if (!e.transitioned().responsible_centre().empty()) {
        responsible = e.transitioned().responsible_centre();
      }
    } else if (e.has_handoff_requested()) {
      const model::Handoff& h = e.handoff_requested().handoff();
      handoffs[h.id()] = {h.to_centre(), model::IsSet(h.requested_at())
                                             ? model::FromProto(h.requested_at())
                                             : model::FromProto(e.at())};
    } else if (e.has_handoff_accepted()) {
      const auto it = handoffs.find(e.handoff_accepted().id());
      if (it != handoffs.end() && InYear(e)) {
        Accepted& a = accepted_[it->second.to_centre];
        a.ms.push_back((model::FromProto(e.at()) - it->second.at).count());
        a.cases.insert(e.case_number());
      }
      if (!e.handoff_accepted().responsible_centre().empty()) {
        responsible = e.handoff_accepted().responsible_centre();
      }
    } else if (e.has_deadline_set()) {
      const model::Timer& t = e.deadline_set().timer();
      if (t.key() == kWakeTimer) continue;  // a booked day coming, not a deadline
      Deadline& d = timers[t.key()];
      const int handoff = HandoffOfTimer(t.key());
      const auto asked = handoffs.find(handoff);
      d.centre = handoff != 0 && asked != handoffs.end() ? asked->second.to_centre : responsible;
      // A timer moved on (a pause ended) stays in its stage; a new one takes
      // the case's.
      if (t.key() == kCaseTimer) {
        d.stage = kWholeCaseStage;
      } else if (handoff != 0) {
        d.stage = kHandoffStage;
      } else if (!t.breached() && (d.stage.empty() || t.key() == kStateTimer)) {
        d.stage = state;
      }
      if (!t.breached()) d.missed = false;
    } else if (e.has_deadline_breached()) {
      const auto it = timers.find(e.deadline_breached().key());
      if (it == timers.end() || it->second.missed) continue;
      it->second.missed = true;
      if (!InYear(e)) continue;
      count(it->second, /*met=*/false, e.case_number());
      if (it->first == kCaseTimer) past_deadline_[owner].insert(e.case_number());
    } else if (e.has_deadline_met()) {
      const auto it = timers.find(e.deadline_met().key());
      if (it == timers.end() || it->second.missed) continue;
      // Done late with no breach recorded (it fell due while nothing ran).
      const bool late = e.deadline_met().late();
      it->second.missed = late;
      if (!InYear(e)) continue;
      count(it->second, /*met=*/!late, e.case_number());
      if (late && it->first == kCaseTimer) past_deadline_[owner].insert(e.case_number());
    } else if (e.has_case_resumed()) {
      if (!InYear(e)) continue;
      Paused& p = paused_[{responsible, e.case_resumed().reason()}];
      ++p.pauses;
      p.ms += e.case_resumed().paused_ms();
      p.cases.insert(e.case_number());
    }
  }
}

model::ServiceFigures ServiceTally::Figures(int year, const std::string& centre) const {
  model::ServiceFigures out;
  out.set_year(year);
  out.set_centre(centre);
  const auto wanted = [&](const std::string& c) { return centre.empty() || c == centre; };
  for (const auto& [key, counts] : deadlines_) {
    const auto& [c, type, stage] = key;
    if (!wanted(c)) continue;
    model::DeadlineFigure& f = *out.add_deadline();
    f.set_centre(c);
    f.set_type(type);
    f.set_stage(stage);
    f.set_met(counts.met);
    f.set_missed(counts.missed);
    for (const std::string& number : counts.missed_cases) f.add_missed_case(number);
  }
  for (const auto& [c, accepted] : accepted_) {
    if (!wanted(c) || accepted.ms.empty()) continue;
    std::vector<int64_t> sorted = accepted.ms;
    std::sort(sorted.begin(), sorted.end());
    model::HandoffFigure& f = *out.add_handoff();
    f.set_centre(c);
    f.set_accepted(static_cast<int64_t>(sorted.size()));
    f.set_median_ms(Quantile(sorted, 50));
    f.set_p90_ms(Quantile(sorted, 90));
    for (const std::string& number : accepted.cases) f.add_case_number(number);
  }
  for (const auto& [key, p] : paused_) {
    if (!wanted(key.first)) continue;
    model::PauseFigure& f = *out.add_paused();
    f.set_centre(key.first);
    f.set_reason(key.second);
    f.set_pauses(p.pauses);
    f.set_paused_ms(p.ms);
    for (const std::string& number : p.cases) f.add_case_number(number);
  }
  for (const auto& [c, cases] : past_deadline_) {
    if (!wanted(c)) continue;
    model::CentreCases& f = *out.add_past_case_deadline();
    f.set_centre(c);
    f.set_cases(static_cast<int64_t>(cases.size()));
    for (const std::string& number : cases) f.add_case_number(number);
  }
  return out;
}

}  // namespace dispatch
