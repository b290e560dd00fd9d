#include "dispatch/engine.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "dispatch/commands.h"
#include "dispatch/decision.h"
#include "dispatch/describe.h"
#include "dispatch/escalation.h"
#include "dispatch/timer_keys.h"
#include "model/duration.h"
#include "model/field_values.h"
#include "model/person_validation.h"
#include "model/hkid.h"
#include "model/roles.h"
#include "model/text_proto.h"

namespace dispatch {

using model::CaseState;
using model::Command;
using model::Event;
using model::Result;
using model::Status;
using model::Task;
using model::Timer;

namespace {

using Fields = std::map<std::string, std::string>;


Fields Sorted(const google::protobuf::Map<std::string, std::string>& m) {
  return Fields(m.begin(), m.end());
}

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// "an escort_to_port case", "a stranded_resident case".
std::string ACase(std::string_view type) {
  const bool vowel = !type.empty() && std::string_view("aeiou").find(type[0]) != std::string_view::npos;
  return (vowel ? "an " : "a ") + std::string(type) + " case";
}

std::string JoinedList(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (const auto& i : items) {
    if (!out.empty()) out += sep;
    out += i;
  }
  return out;
}

constexpr model::Lang kZh = model::Lang::kZhHant;

// 「SZ-2026-0001/3」: a code, a name or a label as a Chinese message quotes it.
std::string Corner(std::string_view s) { return "「" + std::string(s) + "」"; }

// 「護送至口岸」個案: a case of the type `def` defines, in Chinese.
std::string CaseZh(const model::WorkflowDefinition& def) {
  return Corner(model::Localize(def.label(), kZh, def.name())) + "個案";
}

// The Chinese labels of a definition's states, legs and pause reasons (see
// describe.h), or the bare name when there is none.
std::string StateZh(const model::WorkflowDefinition& def, std::string_view name) {
  return StateLabel(&def, name, kZh);
}
std::string LegZh(const model::WorkflowDefinition& def, std::string_view name) {
  return LegLabel(&def, name, kZh);
}
std::string PauseReasonZh(const model::WorkflowDefinition& def, std::string_view name) {
  return PauseReasonLabel(&def, name, kZh);
}
std::string EventZh(const model::WorkflowDefinition& def, std::string_view state,
                    std::string_view event) {
  return EventLabel(&def, state, event, "", kZh);
}

std::string TaskZh(const Task& t) { return model::Localize(t.label(), kZh, t.name()); }

Status UnknownCentre(std::string_view code, const std::set<std::string>& centres) {
  const std::vector<std::string> codes(centres.begin(), centres.end());
  return Status::InvalidArgument(
      "unknown centre " + Quoted(code) + "; centres are " + JoinedList(codes),
      "沒有代號為" + Corner(code) + "的中心；中心代號有：" + JoinedList(codes, "、"));
}

std::string ResponsibleCentre(const CaseState& c) {
  return c.responsible_centre().empty() ? c.centre() : c.responsible_centre();
}

Status UnknownField(const model::WorkflowDefinition& def, std::string_view name) {
  std::vector<std::string> known;
  std::vector<std::string> known_zh;
  for (const auto& fd : def.field()) {
    known.push_back(fd.name());
    known_zh.push_back(model::Localize(fd.label(), kZh, fd.name()));
  }
  return Status::InvalidArgument("unknown field " + Quoted(name) + " for " + ACase(def.name()) +
                                     "; its fields are: " + JoinedList(known),
                                 CaseZh(def) + "沒有" + Corner(name) +
                                     "這個資料項目；其資料項目有：" + JoinedList(known_zh, "、"));
}

// `fields` checked against their types, in the form they are kept. An error
// names the field in Status::field() ("fire_event.fields.crossing_date").
Result<Fields> KeptFields(const model::WorkflowDefinition& def,
                          const google::protobuf::Map<std::string, std::string>& fields,
                          std::string_view command) {
  Fields out;
  for (const auto& [name, value] : Sorted(fields)) {
    const model::FieldDef* f = model::FindField(def, name);
    // An unknown name is what was typed, perhaps an identity number: it is
    // not repeated in the field path, which surfaces show unmasked.
    if (f == nullptr) return UnknownField(def, name).WithField(std::string(command) + ".fields");
    const std::string path = std::string(command) + ".fields." + name;
    auto kept = model::NormalizeFieldValue(*f, value);
    if (!kept.ok()) return kept.status().WithField(path);
    out.emplace(name, *std::move(kept));
  }
  return out;
}

// --- Timers ---------------------------------------------------------------

void ArmTimer(Decision& d, const std::string& key, model::Instant due,
              const model::Deadline& deadline, const std::string& what) {
  Timer t;
  t.set_key(key);
  t.set_generation(d.state().last_generation() + 1);
  *t.mutable_due_at() = model::ToProto(due);
  *t.mutable_next_at() = model::ToProto(due);
  *t.mutable_escalate_to() = deadline.escalate_to();
  if (!deadline.repeat_every().empty()) {
    auto every = model::ParseDuration(deadline.repeat_every());  // validated at load
    if (every.ok()) t.set_repeat_every_ms(every->count());
  }
  t.set_what(what);
  d.Emit([&](Event& e) { *e.mutable_deadline_set()->mutable_timer() = t; });
}

void ArmFromDefinition(Decision& d, const std::string& key, const model::Deadline& deadline,
                       const std::string& what) {
  auto within = model::ParseDuration(deadline.within());  // validated at load
  if (within.ok()) ArmTimer(d, key, d.now() + *within, deadline, what);
}

// Stops timer `key` if there is one: met (in time or late), or cleared.
void EndTimer(Decision& d, const std::string& key, bool met, const std::string& reason = "") {
  const Timer* t = d.FindTimer(key);
  if (t == nullptr) return;
  if (met) {
    const bool late = t->breached() || model::FromProto(t->due_at()) < d.now();
    const int64_t generation = t->generation();
    d.Emit([&](Event& e) {
      auto* m = e.mutable_deadline_met();
      m->set_key(key);
      m->set_generation(generation);
      m->set_late(late);
    });
  } else {
    d.Emit([&](Event& e) {
      e.mutable_deadline_cleared()->set_key(key);
      e.mutable_deadline_cleared()->set_reason(reason);
    });
  }
}


// --- Tasks and states -----------------------------------------------------

// What keeps a guard from holding (defined with the commands below).
// `given`: the fields the event itself carries (fields_given); none when
// no event is being fired.
std::vector<model::Label> GuardFailures(const model::Guard& guard, const CaseState& c,
                                        const Fields& fields, const model::WorkflowDefinition& def,
                                        const Actor& actor, model::Instant now,
                                        const Fields* given = nullptr);

// The English of each reason, for the engine's messages.
std::vector<std::string> English(const std::vector<model::Label>& reasons) {
  std::vector<std::string> out;
  for (const model::Label& r : reasons) out.push_back(r.en());
  return out;
}

// Nobody on duty can take task `seq` at `centre`: its supervisors are told now.
void ReportUnheld(Decision& d, int seq, const std::string& centre) {
  model::Timer none;
  const auto recipients = Recipients({std::string(model::kEscalateCentreSupervisor)}, d.state(),
                                     none, centre, d.roster());
  d.Emit([&](Event& e) {
    e.mutable_task_unheld()->set_seq(seq);
    *e.mutable_task_unheld()->mutable_recipients() = {recipients.begin(), recipients.end()};
    e.mutable_task_unheld()->set_centre(centre);
  });
}

// `due_in`, when given, overrides the template's due_within (the next round
// of a recurring task).
void CreateTask(Decision& d, const model::TaskTemplate& tmpl, const std::string& state,
                int64_t entry, const std::string& centre,
                std::optional<model::Millis> due_in = std::nullopt) {
  int seq = 1;
  for (const Task& t : d.state().task()) seq = std::max(seq, t.seq() + 1);
  const auto assignee = d.PickAssignee(centre, tmpl.role());
  d.Emit([&](Event& e) {
    Task* t = e.mutable_task_created()->mutable_task();
    t->set_seq(seq);
    t->set_name(tmpl.name());
    *t->mutable_label() = tmpl.label();
    t->set_role(tmpl.role());
    t->set_state(state);
    t->set_status(model::TASK_OPEN);
    *t->mutable_created_at() = model::ToProto(d.now());
    if (due_in) {
      *t->mutable_due_at() = model::ToProto(d.now() + *due_in);
    } else if (!tmpl.due_within().empty()) {
      auto within = model::ParseDuration(tmpl.due_within());  // validated at load
      if (within.ok()) *t->mutable_due_at() = model::ToProto(d.now() + *within);
    }
    t->set_entry(entry);
    t->set_centre(centre);
    if (assignee) t->set_assignee(*assignee);
  });
  // Work the case type says this case does not need is marked so at once
  // (deliveries to someone who no longer needs supplies, on a new state).
  if (tmpl.has_not_applicable_when() &&
      GuardFailures(tmpl.not_applicable_when(), d.state(), Sorted(d.state().fields()), d.def(),
                    d.ctx().actor, d.now())
          .empty()) {
    d.Emit([&](Event& e) {
      e.mutable_task_not_applicable()->set_seq(seq);
      e.mutable_task_not_applicable()->set_reason("not needed for this case, by its case type's rule");
    });
    return;
  }
  const Task& task = d.state().task(d.state().task_size() - 1);
  if (model::IsSet(task.due_at()) && d.def().has_task_escalation()) {
    ArmTimer(d, TaskTimer(seq), model::FromProto(task.due_at()), d.def().task_escalation(),
             "task " + std::to_string(seq) + " (" + tmpl.name() + ")");
  }
  if (!assignee) ReportUnheld(d, seq, centre);
}

// When a state that waits for a day moves on by itself, at the date the
// case holds; nothing without a date to wait for.
std::optional<model::Instant> WakeAt(const Decision& d, const model::StateDef& state) {
  if (!state.has_wait()) return std::nullopt;
  const model::WaitForDay& wait = state.wait();
  const model::FieldDef* field = model::FindField(d.def(), wait.field());
  const auto it = d.state().fields().find(wait.field());
  if (field == nullptr || it == d.state().fields().end()) return std::nullopt;
  auto day = model::FieldInstant(*field, it->second);  // kept in its written form
  const auto ahead = wait.ahead().empty() ? model::Result<model::Millis>(model::Millis(0))
                                          : model::ParseDuration(wait.ahead());  // validated at load
  if (!day.ok() || !ahead.ok()) return std::nullopt;
  return *day - *ahead;
}

// Arms (or moves) the wake of a state that waits for a day.
void ArmWake(Decision& d, const model::StateDef& state) {
  if (!state.has_wait()) return;
  const std::optional<model::Instant> at = WakeAt(d, state);
  if (!at) {
    EndTimer(d, std::string(kWakeTimer), /*met=*/false, "no date to wait for");
    return;
  }
  const model::FieldDef* field = model::FindField(d.def(), state.wait().field());
  ArmTimer(d, std::string(kWakeTimer), *at, model::Deadline(),
           "the wait for " + field->label().en() + " " + d.state().fields().at(state.wait().field()));
}

void TakeTransition(Decision& d, const model::Transition& chosen, const std::string& event,
                    const Fields& given, const Fields& previous, const std::string& note,
                    const std::vector<std::string>& passed_over);
const model::Transition* ChooseTransition(Decision& d,
                                          const std::vector<const model::Transition*>& candidates,
                                          const Fields& merged, const Fields& given,
                                          const Actor& actor, std::vector<std::string>& reasons,
                                          std::vector<std::string>* reasons_zh = nullptr);

// The day a case in `state` waits for has come: it moves on by the state's
// wait event, as the system, when a way on holds. False, with what held each
// way back in `reasons`, when none does.
bool MoveOnForTheDay(Decision& d, const model::StateDef& state, std::vector<std::string>& reasons) {
  const model::WaitForDay& wait = state.wait();
  std::vector<const model::Transition*> candidates;
  for (const model::Transition& tr : state.transition()) {
    if (tr.on() == wait.event()) candidates.push_back(&tr);
  }
  const model::Transition* chosen =
      ChooseTransition(d, candidates, Sorted(d.state().fields()), {}, SystemActor(), reasons);
  if (chosen == nullptr) return false;
  const model::FieldDef* field = model::FindField(d.def(), wait.field());
  const auto day = d.state().fields().find(wait.field());
  const std::string note = "the day has come: " + (field ? field->label().en() : wait.field()) +
                           (day == d.state().fields().end() ? "" : " " + day->second);
  TakeTransition(d, *chosen, wait.event(), {}, {}, note, reasons);
  return true;
}

// Arms the state's deadline and creates its tasks at `centre`. A state that
// waits for a day already come is passed straight through.
void EnterState(Decision& d, const model::StateDef& state, int64_t entry, const std::string& centre) {
  if (const auto at = WakeAt(d, state); at && *at <= d.now()) {
    std::vector<std::string> reasons;
    if (MoveOnForTheDay(d, state, reasons)) return;
  }
  if (state.has_deadline()) {
    ArmFromDefinition(d, std::string(kStateTimer), state.deadline(), "state '" + state.name() + "'");
  }
  ArmWake(d, state);
  for (const model::TaskTemplate& tmpl : state.task()) CreateTask(d, tmpl, state.name(), entry, centre);
}

void CancelOpenTasks(Decision& d, const std::string& reason) {
  std::vector<int> open;
  for (const Task& t : d.state().task()) {
    if (t.status() == model::TASK_OPEN) open.push_back(t.seq());
  }
  for (int seq : open) {
    d.Emit([&](Event& e) {
      e.mutable_task_cancelled()->set_seq(seq);
      e.mutable_task_cancelled()->set_reason(reason);
    });
    EndTimer(d, TaskTimer(seq), /*met=*/false, "task cancelled");
  }
}

void ResumeIfPaused(Decision& d);
void EndTaskPauses(Decision& d, int seq);

void WithdrawPendingHandoffs(Decision& d, const std::string& reason) {
  std::vector<int> pending;
  for (const auto& h : d.state().handoff()) {
    if (h.status() == model::HANDOFF_PENDING) pending.push_back(h.id());
  }
  for (int id : pending) {
    d.Emit([&](Event& e) {
      e.mutable_handoff_withdrawn()->set_id(id);
      e.mutable_handoff_withdrawn()->set_reason(reason);
    });
    EndTimer(d, HandoffTimer(id), /*met=*/false, "handoff withdrawn");
  }
}

// The centre that works `state`: the holder of its leg, else the owner.
std::string CentreForState(const CaseState& c, const model::WorkflowDefinition& def,
                           std::string_view state) {
  if (const model::Leg* leg = model::LegOfState(def, state)) {
    auto it = c.leg_holder().find(leg->name());
    if (it != c.leg_holder().end()) return it->second;
  }
  return c.centre();
}

// After a person acts on a case, escalations still running start again from
// the first target, one interval from now.
void ResetEscalations(Decision& d) {
  std::vector<std::pair<std::string, int64_t>> running;
  for (const Timer& t : d.state().timer()) {
    if (t.level() > 0 && !model::IsSet(t.paused_at())) running.emplace_back(t.key(), t.repeat_every_ms());
  }
  for (const auto& timer : running) {
    const std::string& key = timer.first;
    const int64_t every = timer.second;
    d.Emit([&](Event& e) {
      auto* r = e.mutable_escalation_reset();
      r->set_key(key);
      if (every > 0) *r->mutable_next_at() = model::ToProto(d.now() + model::Millis(every));
    });
  }
}

// OK when work may be counted under `code` now; `field` is where it came.
// `retired_ok` for work done before (an earlier record): a retired code was current then.
Status CheckCategory(const DecideContext& ctx, std::string_view code, std::string_view field,
                     bool retired_ok = false) {
  static const model::Categories kNone;
  const model::Categories& categories = ctx.categories != nullptr ? *ctx.categories : kNone;
  return retired_ok ? categories.CheckRecorded(code, field) : categories.CheckUsable(code, field);
}

Status CheckOpen(const CaseState& c) {
  if (c.status() == model::CASE_OPEN) return Status::Ok();
  const bool closed = c.status() == model::CASE_CLOSED;
  return Status::FailedPrecondition(
      "case " + c.number() + " is " + (closed ? "closed" : "cancelled") +
          "; nothing more can be done on it except notes",
      "個案 " + c.number() + (closed ? " 已結案" : " 已取消") + "；除加入備註外，不能再作其他處理");
}

// A reason in both languages.
model::Label Why(std::string en, std::string zh) {
  model::Label l;
  l.set_en(std::move(en));
  l.set_zh_hant(std::move(zh));
  return l;
}

// 「過境日期」: a field as a Chinese reason names it.
std::string FieldZh(const model::WorkflowDefinition& def, std::string_view name) {
  if (name == model::kToday) return "今日";
  return Corner(FieldLabel(&def, name, kZh));
}

// What keeps date condition `dc` from holding, in words; empty when it holds.
std::optional<model::Label> DateFailure(const model::DateCondition& dc, const Fields& fields,
                                        const model::WorkflowDefinition& def, model::Instant now) {
  // The instant a side names, or nullopt when its field is unset. A date
  // alone is the start of its day as the field, the end of it as the reference.
  auto instant = [&](const std::string& name, bool reference) -> std::optional<model::Instant> {
    if (name == model::kToday) return now;
    auto it = fields.find(name);
    const model::FieldDef* f = model::FindField(def, name);
    if (it == fields.end() || f == nullptr) return std::nullopt;
    auto at = model::FieldInstant(*f, it->second);
    if (!at.ok()) return std::nullopt;
    if (reference && f->type() == model::FieldDef::DATE) {
      return *at + std::chrono::days(1) - model::Millis(1);
    }
    return *at;
  };
  const auto unset = [&](const std::string& name) {
    return Why("field " + Quoted(name) + " is not set", FieldZh(def, name) + "尚未填寫");
  };
  const auto at = instant(dc.field(), false);
  if (!at) return unset(dc.field());
  const auto ref = instant(dc.reference(), true);
  if (!ref) return unset(dc.reference());
  const auto side = [](const std::string& name) {
    return name == model::kToday ? std::string("today") : Quoted(name);
  };
  const std::string what = dc.field() == model::kToday ? "today is" : "field " + Quoted(dc.field()) + " is";
  const std::string what_zh = FieldZh(def, dc.field());
  const std::string ref_zh = FieldZh(def, dc.reference());
  if (dc.same_day()) {
    if (model::HongKongDay(*at) == model::HongKongDay(*ref)) return std::nullopt;
    return Why(what + " not on the same day as " + side(dc.reference()),
               what_zh + "與" + ref_zh + "不是同一日");
  }
  if (dc.not_after()) {
    if (*at <= *ref) return std::nullopt;
    return Why(what + " after " + side(dc.reference()), what_zh + "已在" + ref_zh + "之後");
  }
  const auto within = model::ParseDuration(dc.within_before());  // validated at load
  if (within.ok() && *at <= *ref && *ref - *at <= *within) return std::nullopt;
  return Why(what + " not within " + dc.within_before() + " before " + side(dc.reference()),
             what_zh + "不在" + ref_zh + "之前 " + dc.within_before() + " 內");
}

// What keeps `guard` from holding, in words; empty when it holds.
std::vector<model::Label> GuardFailures(const model::Guard& guard, const CaseState& c,
                                        const Fields& fields, const model::WorkflowDefinition& def,
                                        const Actor& actor, model::Instant now,
                                        const Fields* given) {
  std::vector<model::Label> out;
  const auto& roles = guard.roles();
  if (!roles.empty() && actor.role != model::kSupervisor &&
      std::find(roles.begin(), roles.end(), actor.role) == roles.end()) {
    std::string zh;
    for (const std::string& r : roles) zh += (zh.empty() ? "" : "或") + RoleName(r, model::Lang::kZhHant);
    out.push_back(Why("only a " + JoinedList({roles.begin(), roles.end()}, " or ") + " may do this",
                      "只有" + zh + "可以進行此事"));
  }
  for (const std::string& name : guard.tasks_done()) {
    // "task": done since the case entered this state; "state.task": done in
    // that state, on any visit.
    const size_t dot = name.find('.');
    const bool earlier = dot != std::string::npos;
    const std::string in_state = earlier ? name.substr(0, dot) : c.state();
    const std::string task = earlier ? name.substr(dot + 1) : name;
    const bool done = std::any_of(c.task().begin(), c.task().end(), [&](const Task& t) {
      return t.name() == task &&
             (earlier ? t.state() == in_state : t.entry() == c.state_entry_seq()) &&
             (t.status() == model::TASK_DONE || t.status() == model::TASK_NOT_APPLICABLE);
    });
    if (done) continue;
    const model::TaskTemplate* tmpl = model::FindTaskTemplate(def, in_state, task);
    out.push_back(Why("task " + Quoted(name) + (tmpl ? " (" + tmpl->label().en() + ")" : "") + " is not done",
                      "工作「" + (tmpl && !tmpl->label().zh_hant().empty() ? tmpl->label().zh_hant() : name) +
                          "」尚未完成"));
  }
  for (const std::string& name : guard.fields_given()) {
    if (given == nullptr || given->count(name) == 0) {
      out.push_back(Why("field " + Quoted(name) + " must be given with this event",
                        "進行此事時須填寫" + FieldZh(def, name)));
    }
  }
  for (const std::string& name : guard.fields_required()) {
    if (fields.count(name) == 0) {
      out.push_back(Why("field " + Quoted(name) + " is not set", FieldZh(def, name) + "尚未填寫"));
    }
  }
  for (const model::FieldEquals& fe : guard.field_equals()) {
    auto it = fields.find(fe.field());
    if (it == fields.end() || it->second != fe.value()) {
      const model::FieldDef* f = model::FindField(def, fe.field());
      const std::string value = f ? model::FieldValueText(*f, fe.value(), model::Lang::kZhHant) : fe.value();
      out.push_back(Why("field " + Quoted(fe.field()) + " is not " + Quoted(fe.value()),
                        FieldZh(def, fe.field()) + "不是「" + value + "」"));
    }
  }
  for (const model::DateCondition& dc : guard.dates()) {
    if (auto why = DateFailure(dc, fields, def, now)) out.push_back(*std::move(why));
  }
  for (const model::AnyOf& any : guard.any_of()) {
    std::vector<std::string> each;
    std::vector<std::string> each_zh;
    for (const model::Guard& g : any.guard()) {
      std::vector<model::Label> failures = GuardFailures(g, c, fields, def, actor, now, given);
      if (failures.empty()) {
        each.clear();
        break;
      }
      each.push_back(JoinedList(English(failures), " and "));
      std::vector<std::string> zh;
      for (const model::Label& f : failures) zh.push_back(f.zh_hant());
      each_zh.push_back(JoinedList(zh, "及"));
    }
    if (!each.empty()) {
      out.push_back(Why("none of these holds: " + JoinedList(each, "; or "),
                        "以下各項均未符合：" + JoinedList(each_zh, "；或 ")));
    }
  }
  // One field can be wanted by two conditions: say so once.
  std::vector<model::Label> once;
  for (model::Label& why : out) {
    const bool seen = std::any_of(once.begin(), once.end(),
                                  [&](const model::Label& l) { return l.en() == why.en(); });
    if (!seen) once.push_back(std::move(why));
  }
  return once;
}


// --- Commands -------------------------------------------------------------

Status DecideOpen(Decision& d, const model::OpenCase& cmd) {
  const DecideContext& ctx = d.ctx();
  const model::LoadedDefinition& def = *ctx.definition;
  if (ctx.centres.count(cmd.centre()) == 0) return UnknownCentre(cmd.centre(), ctx.centres);
  RETURN_IF_ERROR(CheckCanOpen(ctx.actor, cmd.centre()));
  model::Person person = cmd.person();
  if (Status s = model::NormalizePerson(person, ctx.now); !s.ok()) {
    return s.WithField("open_case.person." + s.field());
  }
  ASSIGN_OR_RETURN(const Fields fields, KeptFields(def.definition, cmd.fields(), "open_case"));
  model::Caller caller = cmd.caller();
  if (Status s = model::NormalizeCaller(caller); !s.ok()) {
    return s.WithField("open_case.caller." + s.field());
  }
  if (def.definition.caller_required() && model::IsEmptyCaller(caller)) {
    return Status::InvalidArgument(
               ACase(def.definition.name()) +
                   " needs who called or referred it: their name or "
                   "organisation (and a phone to call them back)",
               CaseZh(def.definition) + "須記下來電或轉介者：請填寫其姓名或機構（及回電號碼）")
        .WithField("open_case.caller.name");
  }
  for (const std::string& name : def.definition.required_on_open()) {
    if (fields.count(name) == 0) {
      const auto* f = model::FindField(def.definition, name);
      return Status::InvalidArgument(
                 ACase(def.definition.name()) + " needs field " + Quoted(name) + " (" +
                     f->label().en() + ") when it is opened",
                 "開立" + CaseZh(def.definition) + "時須填寫" + FieldZh(def.definition, name))
          .WithField("open_case.fields." + name);
    }
  }
  std::string category = cmd.category();
  if (category.empty() && ctx.categories != nullptr) {
    category = ctx.categories->DefaultFor(def.definition.name());
  }
  if (!category.empty() && (ctx.categories == nullptr || ctx.categories->empty())) {
    // Nothing to check it against: an urgent case is not held up by the
    // admin's file. A code as said is kept (the reply warns; the report
    // shows an unknown code as it is, and set_category corrects it).
    if (!model::IsIdentifier(category) || category.size() > 64) {
      return Status::InvalidArgument("'" + model::MaskHkidsIn(category) +
                                         "' is not a category code (lower_snake_case)",
                                     "「" + model::MaskHkidsIn(category) + "」不是類別代碼")
          .WithField("open_case.category");
    }
  } else if (!category.empty()) {
    RETURN_IF_ERROR(CheckCategory(ctx, category, "open_case.category"));
  }
  const model::StateDef* initial = model::FindState(def.definition, def.definition.initial_state());

  d.Emit([&](Event& e) {
    auto* o = e.mutable_case_opened();
    o->set_category(category);
    o->set_legal_advice(cmd.legal_advice());
    o->set_type(def.definition.name());
    *o->mutable_definition() = def.Ref();
    o->set_centre(cmd.centre());
    *o->mutable_person() = person;
    o->mutable_fields()->insert(fields.begin(), fields.end());
    o->set_summary(cmd.summary());
    o->set_related_case(cmd.related_case());
    o->set_initial_state(initial->name());
    *o->mutable_caller() = caller;
  });
  if (def.definition.has_case_deadline()) {
    ArmFromDefinition(d, std::string(kCaseTimer), def.definition.case_deadline(), "the case");
  }
  EnterState(d, *initial, /*entry=*/1, cmd.centre());
  return Status::Ok();
}

// Where a case from an earlier record ended: a closed one at one of its
// type's ends (said, unless the type has only one), a cancelled one where it
// was stopped (said, or where cases start).
Result<std::string> PastEndState(const model::WorkflowDefinition& def,
                                 const model::RecordPastCase& cmd) {
  const std::string& said = cmd.end_state();
  std::vector<std::string> allowed;  // a closed case's ends; any state a cancelled one's
  for (const auto& st : def.state()) {
    if (cmd.cancelled() || st.terminal()) allowed.push_back(st.name());
  }
  if (said.empty() && cmd.cancelled()) return def.initial_state();
  if (said.empty() && allowed.size() == 1) return allowed.front();
  if (std::find(allowed.begin(), allowed.end(), said) != allowed.end()) return said;
  const std::string what = cmd.cancelled() ? "states" : "ends";
  return Status::InvalidArgument(
             (said.empty() ? "say how " + ACase(def.name()) + " ended: "
                           : Quoted(said) + " is not one of the " + what + " of " +
                                 ACase(def.name()) + ": ") +
                 JoinedList(allowed),
             (said.empty() ? "請填寫" + CaseZh(def) + "的結果："
                           : "「" + said + "」不是" + CaseZh(def) + "的" +
                                 (cmd.cancelled() ? "階段" : "結果") + "：") +
                 JoinedList(allowed, "、"))
      .WithField("record_past_case.end_state");
}

// A finished case from an earlier record: one event that makes it as it
// ended, with no tasks, timers or notifications (it is counted, not worked).
Status DecideRecordPast(Decision& d, const model::RecordPastCase& cmd) {
  const DecideContext& ctx = d.ctx();
  const model::LoadedDefinition& def = *ctx.definition;
  RETURN_IF_ERROR(CheckCanEnterRecords(ctx.actor));
  if (ctx.centres.count(cmd.centre()) == 0) {
    return UnknownCentre(cmd.centre(), ctx.centres).WithField("record_past_case.centre");
  }
  RETURN_IF_ERROR(CheckCategory(ctx, cmd.category(), "record_past_case.category",
                                /*retired_ok=*/true));
  if (!cmd.has_opened_at()) {
    return Status::InvalidArgument("say when the case was opened", "請填寫開案日期")
        .WithField("record_past_case.opened_at");
  }
  if (!cmd.has_ended_at()) {
    return Status::InvalidArgument("say when the case was closed or cancelled; a case still open "
                                   "is opened here as a new case",
                                   "請填寫結案或取消日期；仍在處理的個案請在本系統開案")
        .WithField("record_past_case.ended_at");
  }
  const model::Instant opened = model::FromProto(cmd.opened_at());
  const model::Instant ended = model::FromProto(cmd.ended_at());
  if (ended < opened) {
    return Status::InvalidArgument("the case ends (" + model::FormatHongKong(ended) +
                                       ") before it was opened (" + model::FormatHongKong(opened) +
                                       ")",
                                   "結束日期（" + model::FormatHongKong(ended) + "）早於開案日期（" +
                                       model::FormatHongKong(opened) + "）")
        .WithField("record_past_case.ended_at");
  }
  if (ended > ctx.now) {
    return Status::InvalidArgument(
               "the case ends in the future (" + model::FormatHongKong(ended) +
                   "); an earlier record is of work already done",
               "結束日期（" + model::FormatHongKong(ended) + "）在將來；過往紀錄只可記錄已完成的工作")
        .WithField("record_past_case.ended_at");
  }
  ASSIGN_OR_RETURN(const std::string state, PastEndState(def.definition, cmd));
  d.Emit([&](Event& e) {
    auto* x = e.mutable_case_recorded();
    x->set_type(def.definition.name());
    *x->mutable_definition() = def.Ref();
    x->set_centre(cmd.centre());
    x->set_category(cmd.category());
    *x->mutable_category_label() = ctx.categories->Find(cmd.category())->label();
    x->set_legal_advice(cmd.legal_advice());
    *x->mutable_opened_at() = cmd.opened_at();
    *x->mutable_ended_at() = cmd.ended_at();
    x->set_cancelled(cmd.cancelled());
    x->set_state(state);
    x->set_reference(model::TrimSpaces(cmd.reference()));
    x->set_summary(model::TrimSpaces(cmd.summary()));
    x->set_source(cmd.source());
  });
  return Status::Ok();
}

// The first of `candidates` whose guard holds, or nullptr; `reasons` says
// what held back each one tried before it (or every one), and
// `reasons_zh`, when given, the same in Chinese.
const model::Transition* ChooseTransition(Decision& d,
                                          const std::vector<const model::Transition*>& candidates,
                                          const Fields& merged, const Fields& given,
                                          const Actor& actor, std::vector<std::string>& reasons,
                                          std::vector<std::string>* reasons_zh) {
  for (const model::Transition* tr : candidates) {
    const std::vector<model::Label> failures =
        GuardFailures(tr->guard(), d.state(), merged, d.def(), actor, d.now(), &given);
    if (failures.empty()) return tr;
    std::string why = JoinedList(English(failures), "; ");
    reasons.push_back(candidates.size() == 1 ? why : "to reach " + Quoted(tr->to()) + ": " + why);
    if (reasons_zh != nullptr) {
      std::vector<std::string> zh;
      for (const model::Label& f : failures) zh.push_back(f.zh_hant());
      const std::string why_zh = JoinedList(zh, "；");
      reasons_zh->push_back(candidates.size() == 1
                                ? why_zh
                                : "往" + Corner(StateZh(d.def(), tr->to())) + "：" + why_zh);
    }
  }
  return nullptr;
}

// Moves the case along `chosen` on `event`: pauses end, the facts the
// transition says no longer hold are cleared, the state's clock stops, its
// open tasks are cancelled and the next state is entered.
void TakeTransition(Decision& d, const model::Transition& chosen, const std::string& event,
                    const Fields& given, const Fields& previous, const std::string& note,
                    const std::vector<std::string>& passed_over) {
  const model::WorkflowDefinition& def = d.def();
  ResumeIfPaused(d);
  const std::string from = d.state().state();
  const std::string centre = CentreForState(d.state(), def, chosen.to());
  d.Emit([&](Event& e) {
    auto* t = e.mutable_transitioned();
    t->set_event(event);
    t->set_from_state(from);
    t->set_to_state(chosen.to());
    t->mutable_fields()->insert(given.begin(), given.end());
    t->mutable_previous()->insert(previous.begin(), previous.end());
    t->set_note(note);
    t->set_responsible_centre(centre);
    for (const std::string& why : passed_over) t->add_passed_over(why);
  });
  const int64_t entry = d.state().version();
  Fields stale;
  for (const std::string& name : chosen.clears()) {
    auto it = d.state().fields().find(name);
    if (it != d.state().fields().end() && given.count(name) == 0) stale[name] = it->second;
  }
  if (!stale.empty()) {
    d.Emit([&](Event& e) {
      auto* f = e.mutable_fields_set();
      f->mutable_previous()->insert(stale.begin(), stale.end());
      for (const auto& [name, value] : stale) f->add_cleared(name);
      f->set_reason("no longer holds after " + Quoted(event) + " (" + chosen.label().en() + ")");
    });
  }
  EndTimer(d, std::string(kStateTimer), /*met=*/true);
  EndTimer(d, std::string(kWakeTimer), /*met=*/false, "the case moved on");
  CancelOpenTasks(d, "the case left " + Quoted(from));
  EnterState(d, *model::FindState(def, chosen.to()), entry, centre);
}

Status DecideFire(Decision& d, const model::FireEvent& cmd) {
  const CaseState& c = d.state();
  const DecideContext& ctx = d.ctx();
  RETURN_IF_ERROR(CheckOpen(c));
  RETURN_IF_ERROR(CheckCanWork(ctx.actor, c));
  const model::WorkflowDefinition& def = d.def();
  const model::StateDef* state = model::FindState(def, c.state());
  if (state == nullptr) {
    return Status::Internal("case " + c.number() + " is in state " + Quoted(c.state()) +
                            ", which its definition does not have");
  }
  std::vector<const model::Transition*> candidates;
  std::vector<std::string> possible;
  for (const model::Transition& tr : state->transition()) {
    if (tr.on() == cmd.event()) candidates.push_back(&tr);
    if (std::find(possible.begin(), possible.end(), tr.on()) == possible.end()) {
      possible.push_back(tr.on());
    }
  }
  if (candidates.empty()) {
    std::vector<std::string> possible_zh;
    for (const std::string& on : possible) possible_zh.push_back(EventZh(def, c.state(), on));
    return Status::FailedPrecondition(
        "event " + Quoted(cmd.event()) + " is not possible while case " + c.number() + " is at " +
            Quoted(c.state()) + " (" + state->label().en() +
            "); possible here: " + (possible.empty() ? "none" : JoinedList(possible)),
        "個案 " + c.number() + " 現處於" + Corner(model::Localize(state->label(), kZh, c.state())) +
            "階段，不能進行" + Corner(EventZh(def, c.state(), cmd.event())) + "；" +
            (possible.empty() ? std::string("此階段沒有可進行的事項")
                              : "此階段可進行：" + JoinedList(possible_zh, "、")));
  }
  ASSIGN_OR_RETURN(const Fields given, KeptFields(def, cmd.fields(), "fire_event"));
  // Replacing a value on the way is a correction, as with `case set`: the
  // timeline keeps what it was, and the note says why.
  Fields previous;
  for (const auto& [name, value] : given) {
    auto it = c.fields().find(name);
    if (it != c.fields().end() && it->second != value) previous[name] = it->second;
  }
  if (!previous.empty() && model::TrimSpaces(cmd.note()).empty()) {
    return Status::InvalidArgument(
               "field " + Quoted(previous.begin()->first) + " has a value already; " +
                   "say in the note why it changes",
               FieldZh(def, previous.begin()->first) + "已有內容；如要更改，請在備註說明原因")
        .WithField("fire_event.note");
  }
  Fields merged = Sorted(c.fields());
  for (const auto& [k, v] : given) merged[k] = v;

  std::vector<std::string> reasons;
  std::vector<std::string> reasons_zh;
  const model::Transition* chosen =
      ChooseTransition(d, candidates, merged, given, ctx.actor, reasons, &reasons_zh);
  if (chosen == nullptr) {
    const bool denied = candidates.size() == 1 && reasons[0].rfind("only a ", 0) == 0;
    return Status(denied ? model::Code::kPermissionDenied : model::Code::kFailedPrecondition,
                  "cannot " + Quoted(cmd.event()) + " on case " + c.number() +
                      " yet: " + JoinedList(reasons, " | "),
                  "個案 " + c.number() + " 尚未可以進行" +
                      Corner(EventZh(def, c.state(), cmd.event())) + "：" +
                      JoinedList(reasons_zh, "；"));
  }
  TakeTransition(d, *chosen, cmd.event(), given, previous, cmd.note(), reasons);
  return Status::Ok();
}

Status DecideAssign(Decision& d, const model::AssignTask& cmd) {
  const CaseState& c = d.state();
  const DecideContext& ctx = d.ctx();
  RETURN_IF_ERROR(CheckOpen(c));
  RETURN_IF_ERROR(CheckCanAssign(ctx.actor, c));
  ASSIGN_OR_RETURN(const Task* task, FindOpenTask(c, cmd.task()));
  const std::string id = TaskId(c.number(), task->seq());
  if (ctx.assignee == nullptr) {
    return Status::NotFound(
        "no user named " + Quoted(cmd.assignee()) + "; `dispatch user list` shows who exists",
        "沒有名為" + Corner(cmd.assignee()) + "的使用者；請檢查名稱是否正確");
  }
  const model::User& who = *ctx.assignee;
  if (who.centre() != task->centre()) {
    return Status::FailedPrecondition(
        "task " + id + " is worked at centre " + task->centre() + ", but " + who.name() +
            " works at " + who.centre() + "; give it to someone at " + task->centre(),
        "工作 " + id + " 由中心 " + task->centre() + " 處理，但 " + who.name() + " 屬中心 " +
            who.centre() + "；請指派給 " + task->centre() + " 的同事");
  }
  if (who.role() != task->role() && who.role() != model::kSupervisor) {
    return Status::FailedPrecondition(
        "task " + id + " is for a " + task->role() + ", and " + who.name() + " is a " + who.role(),
        "工作 " + id + " 須由" + RoleName(task->role(), kZh) + "處理，但 " + who.name() + " 是" +
            RoleName(who.role(), kZh));
  }
  if (task->assignee() == who.name()) {
    return Status::FailedPrecondition("task " + id + " is already assigned to " + who.name(),
                                      "工作 " + id + " 已指派給 " + who.name());
  }
  const int seq = task->seq();
  const std::string previous = task->assignee();
  d.Emit([&](Event& e) {
    auto* a = e.mutable_task_assigned();
    a->set_seq(seq);
    a->set_assignee(who.name());
    a->set_previous_assignee(previous);
  });
  return Status::Ok();
}

Status DecideComplete(Decision& d, const model::CompleteTask& cmd) {
  const CaseState& c = d.state();
  RETURN_IF_ERROR(CheckOpen(c));
  RETURN_IF_ERROR(CheckCanWork(d.ctx().actor, c));
  ASSIGN_OR_RETURN(const Task* task, FindOpenTask(c, cmd.task()));
  RETURN_IF_ERROR(
      CheckHoldsRole(d.ctx().actor, task->role(), "task " + TaskId(c.number(), task->seq()),
                     "工作 " + TaskId(c.number(), task->seq()) + Corner(TaskZh(*task))));
  const model::TaskTemplate* tmpl = model::FindTaskTemplate(d.def(), task->state(), task->name());
  // Work that follows other work (the health code after the test result)
  // waits for it.
  for (int i = 0; tmpl != nullptr && i < tmpl->after_size(); ++i) {
    const std::string& before = tmpl->after(i);
    const bool done = std::any_of(c.task().begin(), c.task().end(), [&](const Task& t) {
      return t.name() == before && t.entry() == task->entry() &&
             (t.status() == model::TASK_DONE || t.status() == model::TASK_NOT_APPLICABLE);
    });
    if (done) continue;
    const model::TaskTemplate* first = model::FindTaskTemplate(d.def(), task->state(), before);
    return Status::FailedPrecondition(
        "task " + TaskId(c.number(), task->seq()) + " (" + task->label().en() + ") comes after " +
            Quoted(before) + (first ? " (" + first->label().en() + ")" : "") +
            ", which is not done yet",
        "請先完成工作" + Corner(first ? model::Localize(first->label(), kZh, before) : before) +
            "，才可完成工作 " + TaskId(c.number(), task->seq()) + Corner(TaskZh(*task)));
  }
  const int seq = task->seq();
  const Task done = *task;
  d.Emit([&](Event& e) {
    e.mutable_task_completed()->set_seq(seq);
    e.mutable_task_completed()->set_note(cmd.note());
  });
  EndTimer(d, TaskTimer(seq), /*met=*/true);
  EndTaskPauses(d, seq);
  // An ongoing duty comes round again while the case stays where it is.
  if (done.entry() == c.state_entry_seq() && tmpl != nullptr && !tmpl->repeat_every().empty()) {
    auto every = model::ParseDuration(tmpl->repeat_every());  // validated at load
    if (every.ok()) CreateTask(d, *tmpl, done.state(), done.entry(), done.centre(), *every);
  }
  return Status::Ok();
}

// OK when `reason` has words in it; `field` is where it is given
// ("close_case.reason").
Status CheckReason(std::string_view reason, std::string_view what, std::string_view what_zh,
                   std::string_view field);

Status DecideNotApplicable(Decision& d, const model::MarkNotApplicable& cmd) {
  const CaseState& c = d.state();
  RETURN_IF_ERROR(CheckOpen(c));
  RETURN_IF_ERROR(CheckCanWork(d.ctx().actor, c));
  ASSIGN_OR_RETURN(const Task* task, FindOpenTask(c, cmd.task()));
  const std::string id = "task " + TaskId(c.number(), task->seq());
  const std::string id_zh = "工作 " + TaskId(c.number(), task->seq()) + Corner(TaskZh(*task));
  RETURN_IF_ERROR(CheckHoldsRole(d.ctx().actor, task->role(), id, id_zh));
  const model::TaskTemplate* tmpl = model::FindTaskTemplate(d.def(), task->state(), task->name());
  if (tmpl == nullptr || (!tmpl->may_not_apply() && !tmpl->has_not_applicable_when())) {
    return Status::FailedPrecondition(
        id + " (" + task->label().en() + ") must be done; " + c.type() + " version " +
            std::to_string(c.definition().version()) + " does not let it be marked not applicable",
        id_zh + "必須完成：" + CaseZh(d.def()) + "（第 " +
            std::to_string(c.definition().version()) + " 版）不容許將此工作標示為不適用");
  }
  if (tmpl->has_not_applicable_when()) {
    const std::vector<model::Label> failures = GuardFailures(
        tmpl->not_applicable_when(), c, Sorted(c.fields()), d.def(), d.ctx().actor, d.now());
    if (!failures.empty()) {
      std::vector<std::string> zh;
      for (const model::Label& f : failures) zh.push_back(f.zh_hant());
      return Status::FailedPrecondition(
          id + " (" + task->label().en() +
              ") applies to this case: " + JoinedList(English(failures), "; "),
          id_zh + "仍適用於此個案，不能標示為不適用：" + JoinedList(zh, "；"));
    }
  }
  RETURN_IF_ERROR(CheckReason(cmd.reason(), "marking a task not applicable", "將工作標示為不適用",
                              "mark_not_applicable.reason"));
  const int seq = task->seq();
  d.Emit([&](Event& e) {
    e.mutable_task_not_applicable()->set_seq(seq);
    e.mutable_task_not_applicable()->set_reason(cmd.reason());
  });
  EndTimer(d, TaskTimer(seq), /*met=*/false, "not applicable");
  EndTaskPauses(d, seq);
  return Status::Ok();
}

// The name of `p`, for saying who is meant.
std::string NameOf(const model::Person& p) {
  return p.name_zh().empty() ? p.name_en() : p.name_zh();
}

Status DecideAddPerson(Decision& d, const model::AddPerson& cmd) {
  const CaseState& c = d.state();
  RETURN_IF_ERROR(CheckOpen(c));
  RETURN_IF_ERROR(CheckCanWork(d.ctx().actor, c));
  model::Person person = cmd.person();
  if (Status s = model::NormalizePerson(person, d.now()); !s.ok()) {
    return s.WithField("add_person.person." + s.field());
  }
  const std::string relationship = model::TrimSpaces(cmd.relationship());
  if (relationship.empty()) {
    return Status::InvalidArgument(
               "say how they are related to " + NameOf(c.person()) +
                   " (husband, son, neighbour travelling with them)",
               "請說明此人與" + NameOf(c.person()) + "的關係（例如丈夫、兒子、同行的鄰居）")
        .WithField("add_person.relationship");
  }
  // One person, one place on the case: the same identity card twice is a slip.
  if (!person.hkid().empty()) {
    std::vector<const model::Person*> on_case{&c.person()};
    for (const auto& p : c.people()) on_case.push_back(&p.person());
    for (const model::Person* p : on_case) {
      if (p->hkid() == person.hkid()) {
        return Status::AlreadyExists(
                   "that identity card number is already on case " + c.number() + ", as " +
                       NameOf(*p),
                   "此身份證號碼已記錄在個案 " + c.number() + "，屬於" + NameOf(*p))
            .WithField("add_person.person.hkid");
      }
    }
  }
  const int id = c.people_size() + 2;
  d.Emit([&](Event& e) {
    auto* p = e.mutable_person_added()->mutable_person();
    p->set_id(id);
    *p->mutable_person() = person;
    p->set_relationship(relationship);
  });
  return Status::Ok();
}

Status DecideCorrectPerson(Decision& d, const model::CorrectPerson& cmd) {
  const CaseState& c = d.state();
  RETURN_IF_ERROR(CheckOpen(c));
  RETURN_IF_ERROR(CheckCanWork(d.ctx().actor, c));
  const model::Person* kept = cmd.id() == 1 ? &c.person() : nullptr;
  std::string relationship;
  for (const auto& p : c.people()) {
    if (p.id() == cmd.id()) {
      kept = &p.person();
      relationship = p.relationship();
    }
  }
  if (kept == nullptr) {
    const std::string last = std::to_string(c.people_size() + 1);
    const std::string added = c.people_size() == 0   ? "nobody else was added"
                              : c.people_size() == 1 ? "the one added is 2"
                                                     : "those added are 2 to " + last;
    const std::string added_zh = c.people_size() == 0   ? "沒有加入其他人士"
                                 : c.people_size() == 1 ? "另加入的是第 2 位"
                                                        : "另加入的是第 2 至 " + last + " 位";
    return Status::NotFound("case " + c.number() + " has no person " + std::to_string(cmd.id()) +
                                "; 1 is the case's person, and " + added,
                            "個案 " + c.number() + " 沒有第 " + std::to_string(cmd.id()) +
                                " 位人士；第 1 位是個案當事人，" + added_zh)
        .WithField("correct_person.id");
  }
  const model::Person previous = *kept;
  model::Person person = previous;
  person.MergeFrom(cmd.person());
  if (Status s = model::NormalizePerson(person, d.now()); !s.ok()) {
    return s.WithField("correct_person.person." + s.field());
  }
  const std::string new_relationship = model::TrimSpaces(cmd.relationship());
  if (!new_relationship.empty() && cmd.id() == 1) {
    return Status::InvalidArgument("the case's own person has no relationship to correct",
                                   "個案當事人本身沒有「關係」可以更正")
        .WithField("correct_person.relationship");
  }
  if (!person.hkid().empty()) {
    std::vector<const model::Person*> others;
    if (cmd.id() != 1) others.push_back(&c.person());
    for (const auto& p : c.people()) {
      if (p.id() != cmd.id()) others.push_back(&p.person());
    }
    for (const model::Person* p : others) {
      if (p->hkid() == person.hkid()) {
        return Status::AlreadyExists(
                   "that identity card number is already on case " + c.number() + ", as " +
                       NameOf(*p),
                   "此身份證號碼已記錄在個案 " + c.number() + "，屬於" + NameOf(*p))
            .WithField("correct_person.person.hkid");
      }
    }
  }
  const std::string after = new_relationship.empty() ? relationship : new_relationship;
  if (person.SerializeAsString() == previous.SerializeAsString() && after == relationship) {
    return Status::InvalidArgument("nothing to correct: person " + std::to_string(cmd.id()) +
                                       " of case " + c.number() + " already reads so",
                                   "無需更正：個案 " + c.number() + " 第 " +
                                       std::to_string(cmd.id()) + " 位人士的資料已是如此");
  }
  RETURN_IF_ERROR(
      CheckReason(cmd.reason(), "correcting a person", "更正人士資料", "correct_person.reason"));
  d.Emit([&](Event& e) {
    auto* x = e.mutable_person_corrected();
    x->set_id(cmd.id());
    *x->mutable_person() = person;
    *x->mutable_previous() = previous;
    x->set_relationship(after);
    x->set_previous_relationship(relationship);
    x->set_reason(cmd.reason());
  });
  return Status::Ok();
}

Status DecideSetCaller(Decision& d, const model::SetCaller& cmd) {
  const CaseState& c = d.state();
  RETURN_IF_ERROR(CheckCanNote(d.ctx().actor, c));  // a caller is known, or corrected, late too
  const model::Caller previous = c.caller();
  model::Caller caller = previous;
  caller.MergeFrom(cmd.caller());
  if (Status s = model::NormalizeCaller(caller); !s.ok()) {
    return s.WithField("set_caller.caller." + s.field());
  }
  if (cmd.caller().ByteSizeLong() == 0) {
    return Status::InvalidArgument(
               "nothing given: say who called (their name or organisation) "
               "or how to reach them",
               "未有填寫任何資料：請填寫來電者的姓名或機構，或聯絡方法")
        .WithField("set_caller.caller.name");
  }
  if (caller.SerializeAsString() == previous.SerializeAsString()) {
    return Status::InvalidArgument(
        "nothing to change: case " + c.number() + " already has this caller",
        "無需更改：個案 " + c.number() + " 已記錄此來電者");
  }
  // Adding what was not known needs no reason; replacing what was kept does.
  const auto* desc = model::Caller::descriptor();
  const auto* refl = model::Caller::GetReflection();
  for (int i = 0; i < desc->field_count(); ++i) {
    const std::string was = refl->GetString(previous, desc->field(i));
    if (!was.empty() && was != refl->GetString(caller, desc->field(i))) {
      RETURN_IF_ERROR(CheckReason(cmd.reason(), "correcting who called", "更正來電者資料",
                                  "set_caller.reason"));
      break;
    }
  }
  d.Emit([&](Event& e) {
    auto* x = e.mutable_caller_set();
    *x->mutable_caller() = caller;
    *x->mutable_previous() = previous;
    x->set_reason(cmd.reason());
  });
  return Status::Ok();
}

Status DecideSetCategory(Decision& d, const model::SetCategory& cmd) {
  const CaseState& c = d.state();
  RETURN_IF_ERROR(CheckCanCategorise(d.ctx().actor, c));  // counted right late too, closed or not
  RETURN_IF_ERROR(CheckCategory(d.ctx(), cmd.category(), "set_category.category"));
  const bool legal = cmd.has_legal_advice() ? cmd.legal_advice() : c.legal_advice();
  if (cmd.category() == c.category() && legal == c.legal_advice()) {
    return Status::InvalidArgument(
        "nothing to change: case " + c.number() + " is already counted so",
        "無需更改：個案 " + c.number() + " 已如此分類");
  }
  // Saying it the first time needs no reason; changing what was said does.
  if (!c.category().empty()) {
    RETURN_IF_ERROR(CheckReason(cmd.reason(), "changing a case's category", "更改個案類別",
                                "set_category.reason"));
  }
  const model::Categories& categories = *d.ctx().categories;
  d.Emit([&](Event& e) {
    auto* x = e.mutable_category_set();
    x->set_category(cmd.category());
    x->set_legal_advice(legal);
    x->set_previous(c.category());
    x->set_previous_legal_advice(c.legal_advice());
    x->set_reason(cmd.reason());
    *x->mutable_label() = categories.Find(cmd.category())->label();
    if (const model::Category* was = categories.Find(c.category())) {
      *x->mutable_previous_label() = was->label();
    }
  });
  return Status::Ok();
}

Status DecideRecordContact(Decision& d, const model::RecordContact& cmd) {
  const CaseState& c = d.state();
  RETURN_IF_ERROR(CheckCanNote(d.ctx().actor, c));
  const std::string party = model::TrimSpaces(cmd.party());
  if (party.empty()) {
    return Status::InvalidArgument("say which party: the hospital, office or association spoken to",
                                   "請說明聯絡了哪一方：醫院、辦事處或團體")
        .WithField("record_contact.party");
  }
  const auto channel = model::NormalizeFieldValue(model::ContactChannelField(), cmd.channel());
  if (!channel.ok()) return channel.status().WithField("record_contact.channel");
  if (model::TrimSpaces(cmd.said()).empty()) {
    return Status::InvalidArgument("say what was said or agreed", "請記下談及或協定的內容")
        .WithField("record_contact.said");
  }
  const model::Instant at = cmd.has_at() ? model::FromProto(cmd.at()) : d.now();
  // A clock a few minutes fast on a phone is not a contact in the future.
  if (at > d.now() + std::chrono::minutes(5)) {
    return Status::InvalidArgument("the contact is in the future; say when it happened",
                                   "聯絡時間尚未到來；請填寫實際聯絡的時間")
        .WithField("record_contact.at");
  }
  const int id = c.contact_size() + 1;
  d.Emit([&](Event& e) {
    auto* k = e.mutable_contact_recorded()->mutable_contact();
    k->set_id(id);
    k->set_party(party);
    k->set_person(model::TrimSpaces(cmd.person()));
    k->set_channel(*channel);
    *k->mutable_at() = model::ToProto(at);
    k->set_said(cmd.said());
  });
  return Status::Ok();
}

Status DecideNote(Decision& d, const model::AddNote& cmd) {
  RETURN_IF_ERROR(CheckCanNote(d.ctx().actor, d.state()));
  if (cmd.text().find_first_not_of(" \t\n") == std::string::npos) {
    return Status::InvalidArgument("the note is empty", "備註沒有內容；請填寫備註");
  }
  d.Emit([&](Event& e) { e.mutable_note_added()->set_text(cmd.text()); });
  return Status::Ok();
}


// Facts arrive between transitions: set them, correct them (with a reason),
// or clear them (with a reason). Each is checked as an event's fields are; a
// field a case of its type must have cannot be cleared; a command that would
// change nothing is refused.
Status DecideSetFields(Decision& d, const model::SetFields& cmd) {
  const CaseState& c = d.state();
  RETURN_IF_ERROR(CheckOpen(c));
  RETURN_IF_ERROR(CheckCanWork(d.ctx().actor, c));
  const model::WorkflowDefinition& def = d.def();
  ASSIGN_OR_RETURN(const Fields given, KeptFields(def, cmd.fields(), "set_fields"));
  if (given.empty() && cmd.clear().empty()) {
    return Status::InvalidArgument("say which fields to set or clear",
                                   "請指明要填寫或清除的資料項目")
        .WithField("set_fields.fields");
  }
  // The fields a guard into the state the case is in asked for: the case
  // stands on them.
  // A state a waiting one moved on to stands on what the waiting one did:
  // the date it waited for, and the fields that led into it.
  std::set<std::string> stood_on;
  const auto read_into = [&](const std::string& state) {
    for (const model::StateDef& s : def.state()) {
      for (const model::Transition& tr : s.transition()) {
        if (tr.to() == state) model::FieldsReadBy(tr.guard(), stood_on);
      }
    }
  };
  read_into(c.state());
  for (const model::StateDef& s : def.state()) {
    for (const model::Transition& tr : s.transition()) {
      if (tr.to() == c.state() && s.has_wait() && tr.on() == s.wait().event()) {
        stood_on.insert(s.wait().field());
        read_into(s.name());
      }
    }
  }
  const model::StateDef* here = model::FindState(def, c.state());
  if (here != nullptr && here->has_wait()) stood_on.insert(here->wait().field());
  std::set<std::string> cleared;
  Fields previous;
  for (const std::string& name : cmd.clear()) {
    if (model::FindField(def, name) == nullptr) return UnknownField(def, name);
    if (given.count(name) != 0) {
      return Status::InvalidArgument("field " + Quoted(name) + " is both set and cleared",
                                     FieldZh(def, name) + "不能同時填寫及清除");
    }
    const auto& required = def.required_on_open();
    if (std::find(required.begin(), required.end(), name) != required.end()) {
      return Status::InvalidArgument(
          "field " + Quoted(name) + " cannot be cleared: every " + def.name() +
              " case has one; set the right value instead",
          FieldZh(def, name) + "不能清除：每宗" + CaseZh(def) + "都須有此資料；請改為填寫正確內容");
    }
    if (stood_on.count(name) != 0) {
      return Status::InvalidArgument(
          "field " + Quoted(name) + " cannot be cleared: the case reached " + Quoted(c.state()) +
              " on it; set the right value instead",
          FieldZh(def, name) + "不能清除：個案是憑此資料進入" + Corner(StateZh(def, c.state())) +
              "階段的；請改為填寫正確內容");
    }
    auto it = c.fields().find(name);
    if (it == c.fields().end()) {
      return Status::InvalidArgument(
          "field " + Quoted(name) + " is not set on case " + c.number() +
              "; there is nothing to clear",
          "個案 " + c.number() + " 未有填寫" + FieldZh(def, name) + "，無需清除");
    }
    cleared.insert(name);
    previous[name] = it->second;
  }
  Fields changed;
  for (const auto& [name, value] : given) {
    auto it = c.fields().find(name);
    if (it != c.fields().end() && it->second == value) continue;
    changed[name] = value;
    if (it != c.fields().end()) previous[name] = it->second;
  }
  if (changed.empty() && cleared.empty()) {
    return Status::InvalidArgument(
        "nothing to change: case " + c.number() + " already has these values",
        "無需更改：個案 " + c.number() + " 的資料已是這些內容");
  }
  // The day a waiting case waits for cannot be moved to one gone by: a
  // crossing that will not happen is postponed.
  if (here != nullptr && here->has_wait()) {
    const auto it = changed.find(here->wait().field());
    const model::FieldDef* f = model::FindField(def, here->wait().field());
    if (it != changed.end() && f != nullptr) {
      auto day = model::FieldInstant(*f, it->second);
      if (day.ok() && model::HongKongDay(*day) < model::HongKongDay(d.now())) {
        const std::string today = model::FormatDate(model::HongKongDay(d.now()));
        return Status::InvalidArgument(
                   "field " + Quoted(it->first) + " cannot move to a day gone by (today is " +
                       today + " in Hong Kong); if it will not happen, postpone it",
                   FieldZh(def, it->first) + "不能改為已過去的日子（香港今日是 " + today +
                       "）；如未能如期進行，請辦理延後")
            .WithField("set_fields.fields");
      }
    }
  }
  if (!previous.empty() || !cleared.empty()) {
    RETURN_IF_ERROR(CheckReason(cmd.reason(), "correcting or clearing a field", "更正或清除資料",
                                "set_fields.reason"));
  }
  d.Emit([&](Event& e) {
    auto* f = e.mutable_fields_set();
    f->mutable_fields()->insert(changed.begin(), changed.end());
    f->mutable_previous()->insert(previous.begin(), previous.end());
    for (const std::string& name : cleared) f->add_cleared(name);
    f->set_reason(cmd.reason());
  });
  // A date the case waits for moved: the wake moves with it, or, when the
  // day is already that near, the case moves on now, in this answer.
  if (here != nullptr && here->has_wait() && changed.count(here->wait().field()) != 0) {
    const auto at = WakeAt(d, *here);
    std::vector<std::string> reasons;
    if (!at || *at > d.now() || !MoveOnForTheDay(d, *here, reasons)) ArmWake(d, *here);
  }
  return Status::Ok();
}

Status CheckReason(std::string_view reason, std::string_view what, std::string_view what_zh,
                   std::string_view field) {
  if (reason.find_first_not_of(" \t\n") == std::string_view::npos) {
    return Status::InvalidArgument(std::string(what) + " needs a reason",
                                   std::string(what_zh) + "時，請填寫原因")
        .WithField(std::string(field));
  }
  return Status::Ok();
}

// The clocks a finished or abandoned case no longer needs.
void EndCase(Decision& d, bool finished) {
  WithdrawPendingHandoffs(d, finished ? "the case was closed" : "the case was cancelled");
  std::vector<std::string> keys;
  for (const Timer& t : d.state().timer()) keys.push_back(t.key());
  for (const std::string& key : keys) {
    if (key == kCaseTimer && finished) {
      EndTimer(d, key, /*met=*/true);
    } else {
      EndTimer(d, key, /*met=*/false, finished ? "the case was closed" : "the case was cancelled");
    }
  }
}

Status DecideClose(Decision& d, const model::CloseCase& cmd) {
  const CaseState& c = d.state();
  RETURN_IF_ERROR(CheckOpen(c));
  RETURN_IF_ERROR(CheckCanWork(d.ctx().actor, c));
  RETURN_IF_ERROR(CheckReason(cmd.reason(), "closing a case", "結案", "close_case.reason"));
  const model::StateDef* state = model::FindState(d.def(), c.state());
  if (state == nullptr || !state->terminal()) {
    std::vector<std::string> ends;
    std::vector<std::string> ends_zh;
    for (const auto& s : d.def().state()) {
      if (!s.terminal()) continue;
      ends.push_back(s.name());
      ends_zh.push_back(Corner(model::Localize(s.label(), kZh, s.name())));
    }
    return Status::FailedPrecondition(
        "case " + c.number() + " is at " + Quoted(c.state()) +
            " and can be closed only when its work is finished (" + JoinedList(ends, " or ") +
            "); to stop work on it, cancel it with a reason",
        "個案 " + c.number() + " 現處於" + Corner(StateZh(d.def(), c.state())) +
            "階段，須待工作完成（到達" + JoinedList(ends_zh, "或") +
            "）才可結案；如要停止處理，請填寫原因並取消個案");
  }
  ResumeIfPaused(d);
  EndCase(d, /*finished=*/true);
  d.Emit([&](Event& e) { e.mutable_case_closed()->set_reason(cmd.reason()); });
  return Status::Ok();
}

Status DecideCancel(Decision& d, const model::CancelCase& cmd) {
  RETURN_IF_ERROR(CheckOpen(d.state()));
  RETURN_IF_ERROR(CheckCanWork(d.ctx().actor, d.state()));
  RETURN_IF_ERROR(CheckReason(cmd.reason(), "cancelling a case", "取消個案", "cancel_case.reason"));
  ResumeIfPaused(d);
  CancelOpenTasks(d, "the case was cancelled");
  EndCase(d, /*finished=*/false);
  d.Emit([&](Event& e) { e.mutable_case_cancelled()->set_reason(cmd.reason()); });
  return Status::Ok();
}

// --- Pauses ---------------------------------------------------------------

// True when task `seq` is an ongoing duty (its template has repeat_every).
bool IsOngoingDuty(const Decision& d, int seq) {
  if (seq == 0) return false;
  for (const Task& t : d.state().task()) {
    if (t.seq() != seq) continue;
    const model::TaskTemplate* tmpl = model::FindTaskTemplate(d.def(), t.state(), t.name());
    return tmpl != nullptr && !tmpl->repeat_every().empty();
  }
  return false;
}

// Ends the pause for `reason`: its clocks that no other pause holds run
// again, moved on by as long as each was stopped.
void EndPause(Decision& d, const std::string& reason) {
  const CaseState& c = d.state();
  const auto it = std::find_if(c.pauses().begin(), c.pauses().end(),
                               [&](const model::Pause& p) { return p.reason() == reason; });
  if (it == c.pauses().end()) return;
  const model::Pause pause = *it;
  std::set<std::string> still_held;
  for (const model::Pause& other : c.pauses()) {
    if (other.reason() != reason) still_held.insert(other.keys().begin(), other.keys().end());
  }
  d.Emit([&](Event& e) {
    e.mutable_case_resumed()->set_reason(pause.reason());
    e.mutable_case_resumed()->set_paused_ms((d.now() - model::FromProto(pause.since())).count());
  });
  for (const std::string& key : pause.keys()) {
    const Timer* t = d.FindTimer(key);
    if (t == nullptr || still_held.count(key) != 0 || !model::IsSet(t->paused_at())) continue;
    const model::Millis stopped = d.now() - model::FromProto(t->paused_at());
    Timer moved = *t;
    moved.set_generation(d.state().last_generation() + 1);
    moved.clear_paused_at();
    *moved.mutable_due_at() = model::ToProto(model::FromProto(t->due_at()) + stopped);
    if (model::IsSet(t->next_at())) {
      *moved.mutable_next_at() = model::ToProto(model::FromProto(t->next_at()) + stopped);
    }
    d.Emit([&](Event& e) { *e.mutable_deadline_set()->mutable_timer() = moved; });
  }
}

// Ends every pause for which `which` holds.
void EndPauses(Decision& d, const std::function<bool(const model::Pause&)>& which) {
  std::vector<std::string> reasons;
  for (const model::Pause& p : d.state().pauses()) {
    if (which(p)) reasons.push_back(p.reason());
  }
  for (const std::string& reason : reasons) EndPause(d, reason);
}

// A pause of one task's clock ends with the task.
void EndTaskPauses(Decision& d, int seq) {
  EndPauses(d, [seq](const model::Pause& p) { return p.task() == seq; });
}

void ResumeIfPaused(Decision& d) {
  EndPauses(d, [](const model::Pause&) { return true; });
}

Status DecidePause(Decision& d, const model::PauseCase& cmd) {
  const CaseState& c = d.state();
  RETURN_IF_ERROR(CheckOpen(c));
  RETURN_IF_ERROR(CheckCanWork(d.ctx().actor, c));
  for (const model::Pause& p : c.pauses()) {
    if (p.reason() == cmd.reason()) {
      const std::string since = model::FormatHongKong(model::FromProto(p.since()));
      return Status::FailedPrecondition(
          "case " + c.number() + " is already paused for " + Quoted(p.reason()) + " since " + since,
          "個案 " + c.number() + " 自 " + since + " 起已因" +
              Corner(PauseReasonZh(d.def(), p.reason())) + "暫停");
    }
  }
  const model::StateDef* state = model::FindState(d.def(), c.state());
  const auto& allowed = state->pause_reasons();
  if (std::find(allowed.begin(), allowed.end(), cmd.reason()) == allowed.end()) {
    std::vector<std::string> allowed_zh;
    for (const std::string& r : allowed) allowed_zh.push_back(Corner(PauseReasonZh(d.def(), r)));
    return Status::InvalidArgument(
        "case " + c.number() + " at " + Quoted(c.state()) + " cannot be paused for " +
            Quoted(cmd.reason()) + "; " +
            (allowed.empty()
                 ? std::string("this state allows no pauses")
                 : "reasons allowed here: " + JoinedList({allowed.begin(), allowed.end()})),
        "個案 " + c.number() + " 現處於" + Corner(StateZh(d.def(), c.state())) + "階段，不能因" +
            Corner(PauseReasonZh(d.def(), cmd.reason())) + "暫停；" +
            (allowed.empty() ? std::string("此階段不可暫停")
                             : "此階段可暫停的原因：" + JoinedList(allowed_zh, "、")));
  }
  if (cmd.task() < 0) {
    return Status::InvalidArgument(
               "task numbers start at 1; to stop the whole case's clocks, "
               "name no task",
               "工作編號由 1 開始；如要暫停整宗個案的計時，請不要指明工作")
        .WithField("pause_case.task");
  }
  std::vector<std::string> keys;
  if (cmd.task() > 0) {
    model::TaskRef ref;
    ref.set_seq(cmd.task());
    ASSIGN_OR_RETURN(const Task* task, FindOpenTask(c, ref));
    if (d.FindTimer(TaskTimer(task->seq())) == nullptr) {
      return Status::FailedPrecondition(
          "task " + TaskId(c.number(), task->seq()) + " has no due time to stop",
          "工作 " + TaskId(c.number(), task->seq()) + Corner(TaskZh(*task)) +
              "沒有限期，無需暫停計時");
    }
    keys.push_back(TaskTimer(task->seq()));
  } else {
    const model::PauseReason* why = nullptr;
    for (const auto& r : d.def().pause_reason()) {
      if (r.name() == cmd.reason()) why = &r;
    }
    for (const Timer& t : c.timer()) {
      if (HandoffOfTimer(t.key()) != 0) continue;  // another centre's clock
      if (t.key() == kWakeTimer) continue;          // the booked day does not move
      if (t.key() == kCaseTimer && why != nullptr && why->case_clock_runs()) continue;
      if (IsOngoingDuty(d, TaskOfTimer(t.key()))) continue;  // supplies go on while the case waits
      keys.push_back(t.key());
    }
  }
  d.Emit([&](Event& e) {
    auto* p = e.mutable_case_paused();
    p->set_reason(cmd.reason());
    p->set_task(cmd.task());
    *p->mutable_keys() = {keys.begin(), keys.end()};
  });
  return Status::Ok();
}

Status DecideResume(Decision& d, const model::ResumeCase& cmd) {
  const CaseState& c = d.state();
  RETURN_IF_ERROR(CheckOpen(c));
  RETURN_IF_ERROR(CheckCanWork(d.ctx().actor, c));
  if (c.pauses().empty()) {
    return Status::FailedPrecondition("case " + c.number() + " is not paused",
                                      "個案 " + c.number() + " 並未暫停");
  }
  std::vector<std::string> reasons;
  std::vector<std::string> reasons_zh;
  for (const model::Pause& p : c.pauses()) {
    reasons.push_back(p.reason());
    reasons_zh.push_back(Corner(PauseReasonZh(d.def(), p.reason())));
  }
  std::string reason = cmd.reason();
  if (reason.empty() && reasons.size() > 1) {
    return Status::InvalidArgument("case " + c.number() + " waits for " +
                                       JoinedList(reasons, " and ") + "; say which has ended",
                                   "個案 " + c.number() + " 現因" + JoinedList(reasons_zh, "及") +
                                       "暫停；請指明哪一項已經完結")
        .WithField("resume_case.reason");
  }
  if (reason.empty()) reason = reasons.front();
  if (std::find(reasons.begin(), reasons.end(), reason) == reasons.end()) {
    return Status::InvalidArgument("case " + c.number() + " is not paused for " + Quoted(reason) +
                                       "; it waits for " + JoinedList(reasons, " and "),
                                   "個案 " + c.number() + " 並非因" +
                                       Corner(PauseReasonZh(d.def(), reason)) +
                                       "暫停；現時的暫停原因是" + JoinedList(reasons_zh, "及"))
        .WithField("resume_case.reason");
  }
  EndPause(d, reason);
  return Status::Ok();
}

// --- Handoffs -------------------------------------------------------------

Result<const model::Handoff*> FindHandoff(const CaseState& c, int id) {
  for (const auto& h : c.handoff()) {
    if (h.id() == id) return &h;
  }
  return Status::NotFound("case " + c.number() + " has no handoff H" + std::to_string(id),
                          "個案 " + c.number() + " 沒有交接 H" + std::to_string(id));
}

// Gives task `seq` to the least-loaded officer on duty with `role` at
// `centre`, or to nobody (telling the centre's supervisors). `move` records
// that the task now belongs to `centre`.
void PassTask(Decision& d, int seq, const std::string& role, const std::string& centre, bool move) {
  std::string previous;
  for (const Task& t : d.state().task()) {
    if (t.seq() == seq) previous = t.assignee();
  }
  const auto assignee = d.PickAssignee(centre, role, /*except=*/previous);
  d.Emit([&](Event& e) {
    auto* a = e.mutable_task_assigned();
    a->set_seq(seq);
    a->set_assignee(assignee.value_or(""));
    a->set_previous_assignee(previous);
    a->set_automatic(true);
    if (move) a->set_centre(centre);
  });
  if (!assignee) ReportUnheld(d, seq, centre);
}

Status DecideRelease(Decision& d, const model::ReleaseTasks& cmd) {
  const CaseState& c = d.state();
  RETURN_IF_ERROR(CheckOpen(c));
  const Actor& actor = d.ctx().actor;
  if (actor.user != cmd.user()) RETURN_IF_ERROR(CheckCanAssign(actor, c));
  std::vector<std::tuple<int, std::string, std::string>> held;  // seq, role, centre
  for (const Task& t : c.task()) {
    if (t.status() == model::TASK_OPEN && t.assignee() == cmd.user()) {
      held.emplace_back(t.seq(), t.role(), t.centre());
    }
  }
  if (held.empty()) {
    return Status::FailedPrecondition(cmd.user() + " holds no open task on case " + c.number(),
                                      cmd.user() + " 在個案 " + c.number() + " 沒有待辦工作");
  }
  for (const auto& [seq, role, centre] : held) PassTask(d, seq, role, centre, /*move=*/false);
  return Status::Ok();
}

Status DecideRequestHandoff(Decision& d, const model::RequestHandoff& cmd) {
  const CaseState& c = d.state();
  const DecideContext& ctx = d.ctx();
  RETURN_IF_ERROR(CheckOpen(c));
  const model::WorkflowDefinition& def = d.def();
  const model::Leg* leg = nullptr;
  if (!cmd.leg().empty()) {
    leg = model::FindLeg(def, cmd.leg());
    if (leg == nullptr) {
      std::vector<std::string> names;
      std::vector<std::string> names_zh;
      for (const auto& l : def.leg()) {
        names.push_back(l.name());
        names_zh.push_back(Corner(model::Localize(l.label(), kZh, l.name())));
      }
      return Status::InvalidArgument(
          ACase(def.name()) + " has no leg " + Quoted(cmd.leg()) +
              "; its legs are: " + (names.empty() ? "none" : JoinedList(names)),
          CaseZh(def) + "沒有名為" + Corner(cmd.leg()) + "的部分；" +
              (names.empty() ? std::string("此類個案沒有可交接的部分")
                             : "可交接的部分有：" + JoinedList(names_zh, "、")));
    }
  } else if (def.leg_size() == 1) {
    leg = &def.leg(0);
  } else if ((leg = model::LegOfState(def, c.state())) == nullptr) {
    std::vector<std::string> names;
    std::vector<std::string> names_zh;
    for (const auto& l : def.leg()) {
      names.push_back(l.name());
      names_zh.push_back(Corner(model::Localize(l.label(), kZh, l.name())));
    }
    if (names.empty()) {
      return Status::InvalidArgument(ACase(def.name()) + " has no legs another centre can take",
                                     CaseZh(def) + "沒有可交由其他中心接手的部分");
    }
    return Status::InvalidArgument("say which leg to hand over: " + JoinedList(names),
                                   "請指明要交接哪一部分：" + JoinedList(names_zh, "、"))
        .WithField("request_handoff.leg");
  }
  auto held = c.leg_holder().find(leg->name());
  const std::string holder = held == c.leg_holder().end() ? c.centre() : held->second;
  if (ctx.actor.centre != holder ||
      (ctx.actor.role != model::kCoordinator && ctx.actor.role != model::kSupervisor)) {
    return Status::PermissionDenied(
        "leg " + Quoted(leg->name()) + " of " + c.number() + " is held by " + holder +
            "; only a coordinator or supervisor there can hand it over, not " +
            ctx.actor.Describe(),
        "個案 " + c.number() + " 的" + Corner(LegZh(def, leg->name())) + "部分現由 " + holder +
            " 負責；只有該中心的協調主任或主管可以交接，" + ctx.actor.DescribeZh() + "不能交接");
  }
  if (ctx.centres.count(cmd.to_centre()) == 0) return UnknownCentre(cmd.to_centre(), ctx.centres);
  if (cmd.to_centre() == holder) {
    return Status::InvalidArgument(
        holder + " already holds leg " + Quoted(leg->name()),
        Corner(LegZh(def, leg->name())) + "部分已由 " + holder + " 負責");
  }
  if (cmd.message().find_first_not_of(" \t\n") == std::string::npos) {
    return Status::InvalidArgument("say what " + cmd.to_centre() + " must do",
                                   "請說明要 " + cmd.to_centre() + " 跟進的事項")
        .WithField("request_handoff.message");
  }
  int id = 1;
  for (const auto& h : c.handoff()) {
    id = std::max(id, h.id() + 1);
    if (h.leg() == leg->name() && h.status() == model::HANDOFF_PENDING) {
      return Status::FailedPrecondition(
          "a handoff of leg " + Quoted(leg->name()) + " to " + h.to_centre() +
              " is already pending (" + HandoffId(c.number(), h.id()) + "); wait for " +
              h.to_centre() + " to accept or decline it",
          Corner(LegZh(def, leg->name())) + "部分交予 " + h.to_centre() + " 的交接（" +
              HandoffId(c.number(), h.id()) + "）正等候回覆；請等待 " + h.to_centre() +
              " 接受或拒絕");
    }
  }
  model::Handoff h;
  h.set_id(id);
  h.set_leg(leg->name());
  h.set_from_centre(holder);
  h.set_to_centre(cmd.to_centre());
  h.set_message(cmd.message());
  h.set_status(model::HANDOFF_PENDING);
  h.set_requested_by(ctx.actor.user);
  *h.mutable_requested_at() = model::ToProto(d.now());
  d.Emit([&](Event& e) { *e.mutable_handoff_requested()->mutable_handoff() = h; });
  ArmFromDefinition(d, HandoffTimer(id), leg->acceptance(),
                    "handoff " + std::to_string(id) + " (" + leg->name() + " to " +
                        cmd.to_centre() + ")");
  return Status::Ok();
}

Result<const model::Handoff*> PendingHandoffFor(const Decision& d, int id) {
  const CaseState& c = d.state();
  ASSIGN_OR_RETURN(const model::Handoff* h, FindHandoff(c, id));
  if (h->status() != model::HANDOFF_PENDING) {
    const char* now_zh = h->status() == model::HANDOFF_ACCEPTED    ? "已接受"
                         : h->status() == model::HANDOFF_DECLINED  ? "已拒絕"
                         : h->status() == model::HANDOFF_WITHDRAWN ? "已撤回"
                                                                   : "已完結";
    return Status::FailedPrecondition(
        "handoff " + HandoffId(c.number(), id) + " is no longer pending (" +
            model::HandoffStatus_Name(h->status()) + ")",
        "交接 " + HandoffId(c.number(), id) + " 已不再等候回覆（" + now_zh + "）");
  }
  const Actor& actor = d.ctx().actor;
  if (actor.centre != h->to_centre() ||
      (actor.role != model::kCoordinator && actor.role != model::kSupervisor)) {
    return Status::PermissionDenied(
        "handoff " + HandoffId(c.number(), id) + " is for a coordinator or supervisor at " +
            h->to_centre() + ", not " + actor.Describe(),
        "交接 " + HandoffId(c.number(), id) + " 須由 " + h->to_centre() +
            " 的協調主任或主管處理；" + actor.DescribeZh() + "不能處理");
  }
  return h;
}

Status DecideAcceptHandoff(Decision& d, const model::AcceptHandoff& cmd) {
  RETURN_IF_ERROR(CheckOpen(d.state()));
  ASSIGN_OR_RETURN(const model::Handoff* h, PendingHandoffFor(d, cmd.handoff()));
  const model::Handoff handoff = *h;
  const model::Leg* current_leg = model::LegOfState(d.def(), d.state().state());
  const bool in_leg = current_leg != nullptr && current_leg->name() == handoff.leg();
  d.Emit([&](Event& e) {
    e.mutable_handoff_accepted()->set_id(handoff.id());
    e.mutable_handoff_accepted()->set_responsible_centre(
        in_leg ? handoff.to_centre() : ResponsibleCentre(d.state()));
  });
  EndTimer(d, HandoffTimer(handoff.id()), /*met=*/true);
  if (in_leg) {
    // The leg is running: its open tasks move to the accepting centre.
    std::vector<std::pair<int, std::string>> open;
    for (const Task& t : d.state().task()) {
      if (t.status() == model::TASK_OPEN) open.emplace_back(t.seq(), t.role());
    }
    for (const auto& [seq, role] : open) PassTask(d, seq, role, handoff.to_centre(), /*move=*/true);
  }
  return Status::Ok();
}

Status DecideDeclineHandoff(Decision& d, const model::DeclineHandoff& cmd) {
  RETURN_IF_ERROR(CheckOpen(d.state()));
  ASSIGN_OR_RETURN(const model::Handoff* h, PendingHandoffFor(d, cmd.handoff()));
  RETURN_IF_ERROR(
      CheckReason(cmd.reason(), "declining a handoff", "拒絕交接", "decline_handoff.reason"));
  const int id = h->id();
  d.Emit([&](Event& e) {
    e.mutable_handoff_declined()->set_id(id);
    e.mutable_handoff_declined()->set_reason(cmd.reason());
  });
  EndTimer(d, HandoffTimer(id), /*met=*/true);
  return Status::Ok();
}

// --- Deadlines firing -----------------------------------------------------

// The day a waiting case waits for has come: the system fires the state's
// wait event. When no way on holds, the case stays, and the timeline says
// what is missing; the state's deadline (required at load when a way on has
// a guard) goes on chasing it.
Status Wake(Decision& d) {
  const model::StateDef* state = model::FindState(d.def(), d.state().state());
  if (state == nullptr || !state->has_wait()) {
    EndTimer(d, std::string(kWakeTimer), /*met=*/false, "nothing to wait for");
    return Status::Ok();
  }
  std::vector<std::string> reasons;
  if (!MoveOnForTheDay(d, *state, reasons)) {
    EndTimer(d, std::string(kWakeTimer), /*met=*/false,
             "the day has come, but the case cannot move on by itself: " +
                 JoinedList(reasons, " | ") + "; fire '" + state->wait().event() + "' when it can");
  }
  return Status::Ok();
}

Status DecideFireDeadline(Decision& d, const model::FireDeadline& cmd) {
  if (d.ctx().actor.role != kSystem) {
    return Status::PermissionDenied("deadlines fire by themselves; use `dispatch tick`",
                                    "限期由系統自動處理，毋須人手觸發");
  }
  const Timer* t = d.FindTimer(cmd.key());
  // Stale (re-armed since), early, paused or spent firings do nothing.
  if (d.state().status() != model::CASE_OPEN || t == nullptr ||
      t->generation() != cmd.generation() || model::IsSet(t->paused_at()) ||
      !model::IsSet(t->next_at()) || model::FromProto(t->next_at()) > d.now()) {
    return Status::Ok();
  }
  if (t->key() == kWakeTimer) return Wake(d);
  if (t->escalate_to().empty()) return Status::Ok();
  const Timer timer = *t;
  const EscalationStep step = NextEscalation(timer, d.now());
  const auto recipients =
      Recipients(step.targets, d.state(), timer, CentreOfTimer(d.state(), timer), d.roster());
  if (step.breach) {
    d.Emit([&](Event& e) {
      auto* b = e.mutable_deadline_breached();
      b->set_key(timer.key());
      b->set_generation(timer.generation());
      *b->mutable_due_at() = timer.due_at();
      b->set_what(timer.what());
    });
  }
  d.Emit([&](Event& e) {
    auto* x = e.mutable_escalated();
    x->set_key(timer.key());
    x->set_level(step.level);
    *x->mutable_targets() = {step.targets.begin(), step.targets.end()};
    *x->mutable_recipients() = {recipients.begin(), recipients.end()};
    if (step.next_at) *x->mutable_next_at() = model::ToProto(*step.next_at);
    x->set_what(timer.what());
    x->set_centre(CentreOfTimer(d.state(), timer));
    *x->mutable_due_at() = timer.due_at();
  });
  return Status::Ok();
}

Task* MutableTask(CaseState& c, int seq) {
  for (Task& t : *c.mutable_task()) {
    if (t.seq() == seq) return &t;
  }
  return nullptr;
}

Timer* MutableTimer(CaseState& c, std::string_view key) {
  for (Timer& t : *c.mutable_timer()) {
    if (t.key() == key) return &t;
  }
  return nullptr;
}

void RemoveTimer(CaseState& c, std::string_view key) {
  auto* timers = c.mutable_timer();
  for (int i = 0; i < timers->size(); ++i) {
    if (timers->Get(i).key() == key) {
      timers->DeleteSubrange(i, 1);
      return;
    }
  }
}

model::Handoff* MutableHandoff(CaseState& c, int id) {
  for (auto& h : *c.mutable_handoff()) {
    if (h.id() == id) return &h;
  }
  return nullptr;
}

}  // namespace

Actor SystemActor() { return Actor{std::string(kSystem), "", std::string(kSystem)}; }

std::string TaskId(std::string_view case_number, int seq) {
  return std::string(case_number) + "/" + std::to_string(seq);
}

std::string HandoffId(std::string_view case_number, int id) {
  return std::string(case_number) + "/H" + std::to_string(id);
}

std::string TaskStatusWord(model::TaskStatus s) {
  if (s == model::TASK_DONE) return "done";
  if (s == model::TASK_NOT_APPLICABLE) return "marked not applicable";
  return "cancelled";
}

Result<const Task*> FindOpenTask(const CaseState& c, const model::TaskRef& ref) {
  if (ref.seq() > 0) {
    for (const Task& t : c.task()) {
      if (t.seq() != ref.seq()) continue;
      if (t.status() != model::TASK_OPEN) {
        const char* word_zh = t.status() == model::TASK_DONE             ? "已完成"
                              : t.status() == model::TASK_NOT_APPLICABLE ? "已標示為不適用"
                                                                         : "已取消";
        return Status::FailedPrecondition(
            "task " + TaskId(c.number(), t.seq()) + " (" + t.name() + ") is already " +
                TaskStatusWord(t.status()),
            "工作 " + TaskId(c.number(), t.seq()) + Corner(TaskZh(t)) + word_zh);
      }
      return &t;
    }
    return Status::NotFound(
        "case " + c.number() + " has no task " + std::to_string(ref.seq()),
        "個案 " + c.number() + " 沒有編號 " + std::to_string(ref.seq()) + " 的工作");
  }
  const Task* found = nullptr;
  std::vector<std::string> open;
  std::vector<std::string> open_zh;
  for (const Task& t : c.task()) {
    if (t.status() != model::TASK_OPEN) continue;
    open.push_back(TaskId(c.number(), t.seq()) + " " + t.name());
    open_zh.push_back(TaskId(c.number(), t.seq()) + Corner(TaskZh(t)));
    if (t.name() == ref.name()) {
      if (found != nullptr) {
        return Status::InvalidArgument(
            "case " + c.number() + " has more than one open task " + Quoted(ref.name()) +
                "; name it by number",
            "個案 " + c.number() + " 有多於一項待辦工作" + Corner(TaskZh(t)) + "；請以編號指明");
      }
      found = &t;
    }
  }
  if (found == nullptr) {
    return Status::NotFound("case " + c.number() + " has no open task " + Quoted(ref.name()) +
                                "; open tasks: " + (open.empty() ? "none" : JoinedList(open)),
                            "個案 " + c.number() + " 沒有待辦工作" + Corner(ref.name()) + "；" +
                                (open.empty() ? std::string("此個案現時沒有待辦工作")
                                              : "待辦工作有：" + JoinedList(open_zh, "、")));
  }
  return found;
}

Result<std::vector<Event>> Decide(const CaseState* current, const Command& command,
                                  const DecideContext& ctx) {
  const CommandSpec& spec = SpecOf(command.body_case());
  if (spec.decide_case == nullptr) {
    return Status::Internal(std::string(spec.name) + " is not a case command");
  }
  if ((spec.scope == CommandScope::kNewCase) != (current == nullptr)) {
    return Status::Internal(std::string(spec.name) + (current ? " given an existing case"
                                                              : " given no case"));
  }
  Decision d(current, current ? current->number() : ctx.new_case_number, ctx);
  RETURN_IF_ERROR(spec.decide_case(d, command));
  RETURN_IF_ERROR(d.roster_error());
  // A person acted on the case: escalations still running start again.
  if (ctx.actor.role != kSystem && d.state().status() == model::CASE_OPEN) ResetEscalations(d);
  return d.Take();
}

namespace decide {

Status OpenCase(Decision& d, const Command& c) { return DecideOpen(d, c.open_case()); }
Status RecordPastCase(Decision& d, const Command& c) {
  return DecideRecordPast(d, c.record_past_case());
}
Status FireEvent(Decision& d, const Command& c) { return DecideFire(d, c.fire_event()); }
Status AssignTask(Decision& d, const Command& c) { return DecideAssign(d, c.assign_task()); }
Status CompleteTask(Decision& d, const Command& c) { return DecideComplete(d, c.complete_task()); }
Status AddNote(Decision& d, const Command& c) { return DecideNote(d, c.add_note()); }
Status SetFields(Decision& d, const Command& c) { return DecideSetFields(d, c.set_fields()); }
Status AddPerson(Decision& d, const Command& c) { return DecideAddPerson(d, c.add_person()); }
Status CorrectPerson(Decision& d, const Command& c) {
  return DecideCorrectPerson(d, c.correct_person());
}
Status SetCaller(Decision& d, const Command& c) { return DecideSetCaller(d, c.set_caller()); }
Status SetCategory(Decision& d, const Command& c) {
  return DecideSetCategory(d, c.set_category());
}
Status RecordContact(Decision& d, const Command& c) {
  return DecideRecordContact(d, c.record_contact());
}
Status MarkNotApplicable(Decision& d, const Command& c) {
  return DecideNotApplicable(d, c.mark_not_applicable());
}
Status CloseCase(Decision& d, const Command& c) { return DecideClose(d, c.close_case()); }
Status CancelCase(Decision& d, const Command& c) { return DecideCancel(d, c.cancel_case()); }
Status PauseCase(Decision& d, const Command& c) { return DecidePause(d, c.pause_case()); }
Status ResumeCase(Decision& d, const Command& c) { return DecideResume(d, c.resume_case()); }
Status RequestHandoff(Decision& d, const Command& c) {
  return DecideRequestHandoff(d, c.request_handoff());
}
Status AcceptHandoff(Decision& d, const Command& c) {
  return DecideAcceptHandoff(d, c.accept_handoff());
}
Status DeclineHandoff(Decision& d, const Command& c) {
  return DecideDeclineHandoff(d, c.decline_handoff());
}
Status FireDeadline(Decision& d, const Command& c) {
  return DecideFireDeadline(d, c.fire_deadline());
}
Status ReleaseTasks(Decision& d, const Command& c) { return DecideRelease(d, c.release_tasks()); }

}  // namespace decide

namespace {

// Marks the open tasks the case's pauses hold: all of them while the whole
// case waits, else those paused one by one.
void MarkPausedTasks(CaseState& c) {
  for (Task& t : *c.mutable_task()) {
    const bool held = t.status() == model::TASK_OPEN &&
                      std::any_of(c.pauses().begin(), c.pauses().end(), [&](const model::Pause& p) {
                        return p.task() == 0 || p.task() == t.seq();
                      });
    t.set_paused(held);
  }
}

}  // namespace

void Evolve(CaseState& c, const Event& e) {
  c.set_version(e.seq());
  *c.mutable_updated_at() = e.at();
  switch (e.body_case()) {
    case Event::kCaseOpened: {
      const auto& o = e.case_opened();
      c.set_number(e.case_number());
      c.set_type(o.type());
      *c.mutable_definition() = o.definition();
      c.set_centre(o.centre());
      c.set_responsible_centre(o.centre());
      c.set_state(o.initial_state());
      c.set_status(model::CASE_OPEN);
      *c.mutable_person() = o.person();
      c.mutable_fields()->insert(o.fields().begin(), o.fields().end());
      c.set_summary(o.summary());
      c.set_related_case(o.related_case());
      *c.mutable_caller() = o.caller();
      c.set_category(o.category());
      c.set_legal_advice(o.legal_advice());
      c.set_opened_by(e.actor());
      *c.mutable_opened_at() = e.at();
      *c.mutable_state_entered_at() = e.at();
      c.set_state_entry_seq(e.seq());
      break;
    }
    case Event::kCaseRecorded: {
      const auto& o = e.case_recorded();
      c.set_number(e.case_number());
      c.set_type(o.type());
      *c.mutable_definition() = o.definition();
      c.set_centre(o.centre());
      c.set_responsible_centre(o.centre());
      c.set_state(o.state());
      c.set_status(o.cancelled() ? model::CASE_CANCELLED : model::CASE_CLOSED);
      c.set_summary(o.summary());
      c.set_category(o.category());
      c.set_legal_advice(o.legal_advice());
      c.set_opened_by(e.actor());
      *c.mutable_opened_at() = o.opened_at();
      *c.mutable_state_entered_at() = o.cancelled() ? o.opened_at() : o.ended_at();
      c.set_state_entry_seq(e.seq());
      *c.mutable_ended_at() = o.ended_at();
      c.set_earlier_reference(o.reference());
      c.set_recorded_from(o.source());
      c.set_recorded(true);
      *c.mutable_recorded_at() = e.at();
      break;
    }
    case Event::kTransitioned: {
      const auto& t = e.transitioned();
      for (const auto& [k, v] : t.fields()) (*c.mutable_fields())[k] = v;
      c.set_state(t.to_state());
      if (!t.responsible_centre().empty()) c.set_responsible_centre(t.responsible_centre());
      *c.mutable_state_entered_at() = e.at();
      c.set_state_entry_seq(e.seq());
      break;
    }
    case Event::kTaskCreated:
      *c.add_task() = e.task_created().task();
      if (!c.pauses().empty()) MarkPausedTasks(c);
      break;
    case Event::kTaskAssigned:
      if (Task* t = MutableTask(c, e.task_assigned().seq())) {
        t->set_assignee(e.task_assigned().assignee());
        if (!e.task_assigned().centre().empty()) t->set_centre(e.task_assigned().centre());
      }
      break;
    case Event::kTaskCompleted:
      if (Task* t = MutableTask(c, e.task_completed().seq())) {
        t->set_status(model::TASK_DONE);
        t->set_paused(false);
        *t->mutable_done_at() = e.at();
        t->set_done_by(e.actor());
        t->set_note(e.task_completed().note());
      }
      break;
    case Event::kPersonAdded:
      *c.add_people() = e.person_added().person();
      break;
    case Event::kPersonCorrected: {
      const auto& x = e.person_corrected();
      if (x.id() == 1) *c.mutable_person() = x.person();
      for (auto& p : *c.mutable_people()) {
        if (p.id() != x.id()) continue;
        *p.mutable_person() = x.person();
        p.set_relationship(x.relationship());
      }
      break;
    }
    case Event::kCallerSet:
      *c.mutable_caller() = e.caller_set().caller();
      break;
    case Event::kCategorySet:
      c.set_category(e.category_set().category());
      c.set_legal_advice(e.category_set().legal_advice());
      break;
    case Event::kContactRecorded: {
      model::PartyContact* k = c.add_contact();
      *k = e.contact_recorded().contact();
      k->set_recorded_by(e.actor());
      *k->mutable_recorded_at() = e.at();
      break;
    }
    case Event::kTaskNotApplicable:
      if (Task* t = MutableTask(c, e.task_not_applicable().seq())) {
        t->set_status(model::TASK_NOT_APPLICABLE);
        t->set_paused(false);
        *t->mutable_done_at() = e.at();
        t->set_done_by(e.actor());
        t->set_note(e.task_not_applicable().reason());
      }
      break;
    case Event::kTaskCancelled:
      if (Task* t = MutableTask(c, e.task_cancelled().seq())) {
        t->set_status(model::TASK_CANCELLED);
        t->set_paused(false);
        *t->mutable_done_at() = e.at();
        t->set_note(e.task_cancelled().reason());
      }
      break;
    case Event::kCaseClosed:
      c.set_status(model::CASE_CLOSED);
      *c.mutable_ended_at() = e.at();
      c.set_end_reason(e.case_closed().reason());
      break;
    case Event::kCaseCancelled:
      c.set_status(model::CASE_CANCELLED);
      *c.mutable_ended_at() = e.at();
      c.set_end_reason(e.case_cancelled().reason());
      break;
    case Event::kDeadlineSet: {
      const Timer& t = e.deadline_set().timer();
      if (Timer* existing = MutableTimer(c, t.key())) {
        *existing = t;
      } else {
        *c.add_timer() = t;
      }
      c.set_last_generation(std::max(c.last_generation(), t.generation()));
      // A task's due time moves with its clock.
      if (Task* task = MutableTask(c, TaskOfTimer(t.key()))) *task->mutable_due_at() = t.due_at();
      break;
    }
    case Event::kDeadlineMet:
      RemoveTimer(c, e.deadline_met().key());
      break;
    case Event::kDeadlineCleared:
      RemoveTimer(c, e.deadline_cleared().key());
      break;
    case Event::kDeadlineBreached:
      if (Timer* t = MutableTimer(c, e.deadline_breached().key())) t->set_breached(true);
      break;
    case Event::kEscalated:
      if (Timer* t = MutableTimer(c, e.escalated().key())) {
        t->set_level(e.escalated().level());
        if (model::IsSet(e.escalated().next_at())) {
          *t->mutable_next_at() = e.escalated().next_at();
        } else {
          t->clear_next_at();
        }
      }
      break;
    case Event::kEscalationReset:
      if (Timer* t = MutableTimer(c, e.escalation_reset().key())) {
        t->set_level(0);
        if (model::IsSet(e.escalation_reset().next_at())) {
          *t->mutable_next_at() = e.escalation_reset().next_at();
        } else {
          t->clear_next_at();
        }
      }
      break;
    case Event::kCasePaused: {
      const auto& p = e.case_paused();
      auto* pause = c.add_pauses();
      pause->set_reason(p.reason());
      pause->set_task(p.task());
      *pause->mutable_since() = e.at();
      *pause->mutable_keys() = p.keys();
      for (const std::string& key : p.keys()) {
        Timer* t = MutableTimer(c, key);
        // Held by an earlier pause already: it stopped then.
        if (t != nullptr && !model::IsSet(t->paused_at())) *t->mutable_paused_at() = e.at();
      }
      MarkPausedTasks(c);
      break;
    }
    case Event::kCaseResumed: {
      const std::string& reason = e.case_resumed().reason();
      (*c.mutable_paused_ms())[reason] += e.case_resumed().paused_ms();
      auto* pauses = c.mutable_pauses();
      const auto it = std::find_if(pauses->begin(), pauses->end(),
                                   [&](const model::Pause& p) { return p.reason() == reason; });
      if (it != pauses->end()) pauses->erase(it);
      MarkPausedTasks(c);
      break;
    }
    case Event::kHandoffRequested:
      *c.add_handoff() = e.handoff_requested().handoff();
      break;
    case Event::kHandoffAccepted:
      if (model::Handoff* h = MutableHandoff(c, e.handoff_accepted().id())) {
        h->set_status(model::HANDOFF_ACCEPTED);
        h->set_decided_by(e.actor());
        *h->mutable_decided_at() = e.at();
        (*c.mutable_leg_holder())[h->leg()] = h->to_centre();
      }
      if (!e.handoff_accepted().responsible_centre().empty()) {
        c.set_responsible_centre(e.handoff_accepted().responsible_centre());
      }
      break;
    case Event::kHandoffDeclined:
      if (model::Handoff* h = MutableHandoff(c, e.handoff_declined().id())) {
        h->set_status(model::HANDOFF_DECLINED);
        h->set_decided_by(e.actor());
        *h->mutable_decided_at() = e.at();
        h->set_reason(e.handoff_declined().reason());
      }
      break;
    case Event::kHandoffWithdrawn:
      if (model::Handoff* h = MutableHandoff(c, e.handoff_withdrawn().id())) {
        h->set_status(model::HANDOFF_WITHDRAWN);
        h->set_decided_by(e.actor());
        *h->mutable_decided_at() = e.at();
        h->set_reason(e.handoff_withdrawn().reason());
      }
      break;
    case Event::kFieldsSet: {
      const auto& f = e.fields_set();
      for (const auto& [k, v] : f.fields()) (*c.mutable_fields())[k] = v;
      for (const std::string& k : f.cleared()) c.mutable_fields()->erase(k);
      break;
    }
    case Event::kNoteAdded:
    case Event::kTaskUnheld:
    case Event::BODY_NOT_SET:
      break;
  }
}

CaseState Fold(const std::vector<Event>& events) {
  CaseState c;
  for (const Event& e : events) Evolve(c, e);
  return c;
}

Result<model::User> DecideAddUser(const Actor& actor, const model::AddUser& cmd,
                                  const std::set<std::string>& centres, model::Instant now) {
  RETURN_IF_ERROR(CheckIsAdmin(actor, "add users", "新增使用者"));
  const std::string& name = cmd.name();
  const bool name_ok =
      !name.empty() && name.size() <= 40 && std::all_of(name.begin(), name.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' ||
               ch == '-';
      });
  if (!name_ok || name == kSystem) {
    return Status::InvalidArgument("user name " + Quoted(name) +
                                       " must be 1-40 lower-case letters, digits, '.', '_' or '-' "
                                       "(and not 'system')",
                                   "使用者名稱" + Corner(name) +
                                       "須由 1 至 40 個小寫英文字母、數字、「.」、「_」或「-」組成"
                                       "（且不可為「system」）");
  }
  if (centres.count(cmd.centre()) == 0) return UnknownCentre(cmd.centre(), centres);
  if (!model::IsKnownRole(cmd.role())) {
    return Status::InvalidArgument(
        "unknown role " + Quoted(cmd.role()) + "; roles are " + model::CaseRoleList() + ", admin",
        "沒有" + Corner(cmd.role()) + "這個職位；職位代號有：" + model::CaseRoleList() + ", admin");
  }
  model::User user;
  user.set_name(name);
  user.set_centre(cmd.centre());
  user.set_role(cmd.role());
  *user.mutable_created_at() = model::ToProto(now);
  user.set_created_by(actor.user);
  return user;
}

model::PossibleEvents PossibleEvents(const CaseState& c, const model::WorkflowDefinition& def,
                                     const Actor& actor, model::Instant now) {
  model::PossibleEvents out;
  const model::StateDef* state = model::FindState(def, c.state());
  if (state == nullptr || c.status() != model::CASE_OPEN) return out;
  const Status can_work = CheckCanWork(actor, c);
  const Fields fields = Sorted(c.fields());
  for (const model::Transition& first : state->transition()) {
    const bool seen = std::any_of(out.event().begin(), out.event().end(),
                                  [&](const model::PossibleEvent& p) { return p.event() == first.on(); });
    if (seen) continue;
    model::PossibleEvent& p = *out.add_event();
    p.set_event(first.on());
    p.set_on_the_day(state->has_wait() && state->wait().event() == first.on());
    std::vector<const model::Transition*> candidates;
    for (const model::Transition& tr : state->transition()) {
      if (tr.on() == first.on()) candidates.push_back(&tr);
    }
    // Ready means it would fire now with nothing more given; the fields that
    // would change that are asked for: the ones it must carry, and the ones
    // its conditions read that the case lacks.
    std::set<std::string> read;
    std::set<std::string> carried;
    for (const model::Transition* tr : candidates) {
      model::FieldsReadBy(tr->guard(), read);
      carried.insert(tr->guard().fields_given().begin(), tr->guard().fields_given().end());
    }
    read.insert(carried.begin(), carried.end());
    std::vector<std::string> ask;
    for (const std::string& name : read) {
      if (carried.count(name) > 0 || fields.count(name) == 0) ask.push_back(name);
    }
    const Fields given;
    const model::Transition* chosen = nullptr;
    std::vector<model::Label> missing;
    for (const model::Transition* tr : candidates) {
      std::vector<model::Label> failures = GuardFailures(tr->guard(), c, fields, def, actor, now, &given);
      if (failures.empty()) {
        chosen = tr;
        break;
      }
      for (model::Label& why : failures) {
        if (candidates.size() > 1) {
          const model::StateDef* to = model::FindState(def, tr->to());
          why.set_en("to reach " + Quoted(tr->to()) + ": " + why.en());
          why.set_zh_hant("往「" + (to ? to->label().zh_hant() : tr->to()) + "」：" + why.zh_hant());
        }
        missing.push_back(std::move(why));
      }
    }
    // A refusal written in English only reads the same in both.
    if (!can_work.ok()) {
      const std::string& zh = can_work.message_zh();
      missing.insert(missing.begin(),
                     Why(can_work.message(), zh.empty() ? can_work.message() : zh));
    }
    const model::Transition& shown = chosen != nullptr ? *chosen : *candidates.front();
    *p.mutable_label() = shown.label();
    p.set_to_state(shown.to());
    if (const model::StateDef* to = model::FindState(def, shown.to())) *p.mutable_to_label() = to->label();
    p.set_ready(chosen != nullptr && can_work.ok());
    for (model::Label& why : missing) {
      if (chosen == nullptr || !can_work.ok()) *p.add_missing() = std::move(why);
    }
    for (std::string& name : ask) p.add_ask(std::move(name));
  }
  return out;
}

}  // namespace dispatch
