#include "dispatch/describe.h"

#include <map>

#include "dispatch/engine.h"
#include "dispatch/timer_keys.h"
#include "model/duration.h"
#include "model/field_values.h"
#include "model/person_validation.h"
#include "model/roles.h"
#include "model/workflow_loader.h"

namespace dispatch {

using model::Lang;

namespace {

std::string Or(std::string s, std::string_view fallback) {
  return s.empty() ? std::string(fallback) : s;
}

}  // namespace

// "Mr Lau (landlord), Longgang police station, 138 0000 0000 — after 6pm".
std::string CallerLine(const model::Caller& k) {
  std::string s = k.name();
  if (!k.relationship().empty()) s += (s.empty() ? "" : " ") + ("(" + k.relationship() + ")");
  for (const std::string& part : {k.organisation(), k.phone()}) {
    if (!part.empty()) s += (s.empty() ? "" : ", ") + part;
  }
  if (!k.note().empty()) s += " — " + k.note();
  return s;
}

std::string ContactLine(const model::PartyContact& k, Lang lang) {
  std::string s = k.party();
  if (!k.person().empty()) s += " (" + k.person() + ")";
  s += ", " + model::FieldValueText(model::ContactChannelField(), k.channel(), lang) + ": " + k.said();
  return s;
}

std::string When(const google::protobuf::Timestamp& ts) {
  return model::IsSet(ts) ? model::FormatHongKong(model::FromProto(ts)) : "-";
}

// "task #3", "the state deadline", "the case deadline", "handoff H1".
std::string TimerName(const std::string& key, Lang lang) {
  if (const int seq = dispatch::TaskOfTimer(key)) {
    return std::string(Pick(lang, "Task #", "工作 #")) + std::to_string(seq);
  }
  if (const int id = dispatch::HandoffOfTimer(key)) {
    return std::string(Pick(lang, "Handoff H", "交接 H")) + std::to_string(id);
  }
  if (key == dispatch::kStateTimer) return Pick(lang, "State deadline", "階段限期");
  if (key == dispatch::kCaseTimer) return Pick(lang, "Case deadline", "個案限期");
  if (key == dispatch::kWakeTimer) return Pick(lang, "Waiting for the day", "等候日期");
  return key;
}

std::string PersonName(const model::Person& p) {
  if (!p.name_zh().empty() && !p.name_en().empty()) return p.name_zh() + " " + p.name_en();
  return p.name_zh().empty() ? p.name_en() : p.name_zh();
}

std::string RoleName(std::string_view role, Lang lang) {
  if (role == model::kNetworkCoordinator) return Pick(lang, "network coordinator", "網絡協調主任");
  if (role == model::kDutyOfficer) return Pick(lang, "duty officer", "當值主任");
  if (role == model::kCoordinator) return Pick(lang, "coordinator", "協調主任");
  if (role == model::kSupervisor) return Pick(lang, "supervisor", "主管");
  if (role == model::kAdmin) return Pick(lang, "admin", "系統管理員");
  return std::string(role);
}

const model::WorkflowDefinition* Labels::Def(const model::CaseState& c) {
  return source_(c.definition());
}

std::string Labels::Type(const model::CaseState& c) {
  const auto* def = Def(c);
  return def ? model::Localize(def->label(), lang_, c.type()) : c.type();
}

std::string StateLabel(const model::WorkflowDefinition* def, std::string_view state, Lang lang) {
  const model::StateDef* s = def ? model::FindState(*def, state) : nullptr;
  return s ? model::Localize(s->label(), lang, state) : std::string(state);
}

std::string EventLabel(const model::WorkflowDefinition* def, std::string_view from_state,
                       std::string_view event, std::string_view to_state, Lang lang) {
  if (def == nullptr) return std::string(event);
  if (const model::StateDef* s = model::FindState(*def, from_state)) {
    // The transition taken, when it is known: a fallback has its own label.
    for (const auto& tr : s->transition()) {
      if (tr.on() == event && (to_state.empty() || tr.to() == to_state)) {
        return model::Localize(tr.label(), lang, event);
      }
    }
  }
  // An event this state does not have (a refusal names it): as another state offers it.
  for (const auto& s : def->state()) {
    for (const auto& tr : s.transition()) {
      if (tr.on() == event) return model::Localize(tr.label(), lang, event);
    }
  }
  return std::string(event);
}

std::string FieldLabel(const model::WorkflowDefinition* def, std::string_view field, Lang lang) {
  const model::FieldDef* f = def ? model::FindField(*def, field) : nullptr;
  return f ? model::Localize(f->label(), lang, field) : std::string(field);
}

std::string PauseReasonLabel(const model::WorkflowDefinition* def, std::string_view reason,
                             Lang lang) {
  if (def != nullptr) {
    for (const auto& r : def->pause_reason()) {
      if (r.name() == reason) return model::Localize(r.label(), lang, reason);
    }
  }
  return std::string(reason);
}

std::string LegLabel(const model::WorkflowDefinition* def, std::string_view leg, Lang lang) {
  const model::Leg* l = def ? model::FindLeg(*def, leg) : nullptr;
  return l ? model::Localize(l->label(), lang, leg) : std::string(leg);
}

std::string Labels::State(const model::CaseState& c, std::string_view state) {
  return StateLabel(Def(c), state, lang_);
}

std::string Labels::Event(const model::CaseState& c, std::string_view from_state,
                          std::string_view event, std::string_view to_state) {
  return EventLabel(Def(c), from_state, event, to_state, lang_);
}

std::string Labels::Field(const model::CaseState& c, std::string_view field) {
  return FieldLabel(Def(c), field, lang_);
}

std::string Labels::Value(const model::CaseState& c, std::string_view field,
                          std::string_view value) {
  const auto* def = Def(c);
  const model::FieldDef* f = def ? model::FindField(*def, field) : nullptr;
  return f ? model::FieldValueText(*f, value, lang_) : std::string(value);
}

std::string Labels::PauseReason(const model::CaseState& c, std::string_view reason) {
  return PauseReasonLabel(Def(c), reason, lang_);
}

std::string Labels::Leg(const model::CaseState& c, std::string_view leg) {
  return LegLabel(Def(c), leg, lang_);
}

std::string Labels::Status(model::CaseStatus s) const {
  switch (s) {
    case model::CASE_OPEN: return Pick(lang_, "open", "進行中");
    case model::CASE_CLOSED: return Pick(lang_, "closed", "已結案");
    case model::CASE_CANCELLED: return Pick(lang_, "cancelled", "已取消");
    case model::CASE_STATUS_UNSPECIFIED:
    case model::CaseStatus_INT_MIN_SENTINEL_DO_NOT_USE_:
    case model::CaseStatus_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return "?";
}

std::string Labels::TaskStatus(model::TaskStatus s) const {
  switch (s) {
    case model::TASK_OPEN: return Pick(lang_, "open", "待辦");
    case model::TASK_DONE: return Pick(lang_, "done", "已完成");
    case model::TASK_CANCELLED: return Pick(lang_, "cancelled", "已取消");
    case model::TASK_NOT_APPLICABLE: return Pick(lang_, "not applicable", "不適用");
    case model::TASK_STATUS_UNSPECIFIED:
    case model::TaskStatus_INT_MIN_SENTINEL_DO_NOT_USE_:
    case model::TaskStatus_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return "?";
}

// Whether the human timeline shows `e` after `previous`: a new task's due time
// is on the task's own line already.
bool ShownInTimeline(const model::Event* previous, const model::Event& e) {
  if (previous == nullptr || !previous->has_task_created() || !e.has_deadline_set()) return true;
  return e.deadline_set().timer().key() != dispatch::TaskTimer(previous->task_created().task().seq());
}

std::string DescribeEvent(const model::CaseState& c, const model::Event& e, Labels& l) {
  const Lang lang = l.lang();
  auto task_label = [&](int seq) {
    for (const auto& t : c.task()) {
      if (t.seq() == seq) {
        return "#" + std::to_string(seq) + " " + model::Localize(t.label(), lang, t.name());
      }
    }
    return "#" + std::to_string(seq);
  };
  switch (e.body_case()) {
    case model::Event::kCaseOpened: {
      const auto& o = e.case_opened();
      return std::string(Pick(lang, "Opened at ", "開案：")) + o.centre() + ", " + l.Type(c) +
             " v" + std::to_string(o.definition().version()) + " — " + PersonName(o.person()) +
             (o.summary().empty() ? "" : ": " + o.summary());
    }
    case model::Event::kCaseRecorded: {
      const auto& o = e.case_recorded();
      std::string line = std::string(Pick(lang, "Entered from an earlier record", "由過往紀錄輸入")) +
                         (o.reference().empty() ? "" : " " + o.reference()) +
                         (o.source().empty() ? "" : " (" + o.source() + ")") + ": " + o.centre() +
                         ", " + l.Type(c) + Pick(lang, ", opened ", "，開案 ") +
                         model::FormatHongKong(model::FromProto(o.opened_at())) +
                         (o.cancelled() ? Pick(lang, ", cancelled ", "，取消 ")
                                        : Pick(lang, ", closed ", "，結案 ")) +
                         model::FormatHongKong(model::FromProto(o.ended_at())) +
                         Pick(lang, "; counted under ", "；類別：") +
                         model::Localize(o.category_label(), lang, o.category()) +
                         (o.legal_advice() ? std::string(Pick(lang, " (legal advice)", "（法律諮詢）"))
                                           : "");
      return line + (o.summary().empty() ? "" : " — " + o.summary());
    }
    case model::Event::kTransitioned: {
      const auto& t = e.transitioned();
      std::string s = l.Event(c, t.from_state(), t.event(), t.to_state()) + ": " +
                      l.State(c, t.from_state()) + " → " + l.State(c, t.to_state());
      std::map<std::string, std::string> fields(t.fields().begin(), t.fields().end());
      for (const auto& [k, v] : fields) {
        s += "; " + l.Field(c, k) + " = " + l.Value(c, k, v);
        if (auto was = t.previous().find(k); was != t.previous().end()) {
          s += Pick(lang, " (was ", "（原為 ") + l.Value(c, k, was->second) + Pick(lang, ")", "）");
        }
      }
      if (!t.note().empty()) s += " — " + t.note();
      if (t.passed_over_size() > 0) {
        s += Pick(lang, " (not taken: ", "（未採用：");
        for (int i = 0; i < t.passed_over_size(); ++i) s += (i ? " | " : "") + t.passed_over(i);
        s += Pick(lang, ")", "）");
      }
      return s;
    }
    case model::Event::kTaskCreated: {
      const auto& t = e.task_created().task();
      std::string s = std::string(Pick(lang, "New task ", "新工作 ")) + "#" +
                      std::to_string(t.seq()) + " " + model::Localize(t.label(), lang, t.name()) +
                      " (" + RoleName(t.role(), lang) + ", " + t.centre();
      if (model::IsSet(t.due_at())) s += std::string(Pick(lang, ", due ", "，限期 ")) + When(t.due_at());
      s += ")";
      if (!t.assignee().empty()) s += std::string(Pick(lang, " → ", " → ")) + t.assignee();
      return s;
    }
    case model::Event::kTaskUnheld: {
      const auto& u = e.task_unheld();
      std::string who;
      for (const auto& r : u.recipients()) who += (who.empty() ? "" : ", ") + r;
      return std::string(Pick(lang, "Nobody on duty at ", "沒有當值人員可接手 ")) + u.centre() +
             Pick(lang, " can take task ", " 的工作 ") + task_label(u.seq()) +
             Pick(lang, "; told ", "；已通知 ") + who;
    }
    case model::Event::kDeadlineSet: {
      const auto& t = e.deadline_set().timer();
      if (t.key() == dispatch::kWakeTimer) {
        return std::string(Pick(lang, "Waits for the day: moves on by itself at ",
                                "等候日期：屆時自動推進，時間 ")) + When(t.due_at());
      }
      return std::string(Pick(lang, "Due by ", "限期 ")) + When(t.due_at()) + ": " +
             TimerName(t.key(), lang);
    }
    case model::Event::kDeadlineMet: {
      const auto& m = e.deadline_met();
      return TimerName(m.key(), lang) +
             (m.late() ? Pick(lang, ": met late", "：逾期後完成") : Pick(lang, ": met in time", "：如期完成"));
    }
    case model::Event::kDeadlineCleared:
      if (e.deadline_cleared().key() == dispatch::kWakeTimer) {
        return std::string(Pick(lang, "No longer waiting for the day (", "不再等候日期（")) +
               e.deadline_cleared().reason() + Pick(lang, ")", "）");
      }
      return TimerName(e.deadline_cleared().key(), lang) + Pick(lang, ": no longer due (", "：不再計時（") +
             e.deadline_cleared().reason() + Pick(lang, ")", "）");
    case model::Event::kDeadlineBreached:
      return std::string(Pick(lang, "DEADLINE MISSED: ", "逾期：")) + e.deadline_breached().what() +
             Pick(lang, " was due ", "，限期 ") + When(e.deadline_breached().due_at());
    case model::Event::kEscalated: {
      const auto& x = e.escalated();
      std::string who;
      for (const auto& r : x.recipients()) who += (who.empty() ? "" : ", ") + r;
      std::string s = std::string(Pick(lang, "Escalation ", "上報 ")) + std::to_string(x.level()) +
                      " (" + x.what() + Pick(lang, "): told ", ")：已通知 ") + who;
      if (model::IsSet(x.next_at())) s += std::string(Pick(lang, "; next ", "；下次 ")) + When(x.next_at());
      return s;
    }
    case model::Event::kEscalationReset: {
      const auto& r = e.escalation_reset();
      std::string s = std::string(Pick(lang, "Someone acted: escalation of ", "已有人跟進：")) + r.key() +
                      Pick(lang, " starts again", " 的上報重新開始");
      if (model::IsSet(r.next_at())) s += std::string(Pick(lang, " at ", "，於 ")) + When(r.next_at());
      return s;
    }
    case model::Event::kCasePaused: {
      const auto& p = e.case_paused();
      std::string s = std::string(Pick(lang, "Paused: ", "暫停：")) + l.PauseReason(c, p.reason());
      if (p.task() > 0) s += std::string(Pick(lang, " (task ", "（工作 ")) + task_label(p.task()) + ")";
      return s;
    }
    case model::Event::kCaseResumed:
      return std::string(Pick(lang, "Resumed after ", "恢復，暫停了 ")) +
             model::FormatDuration(model::Millis(e.case_resumed().paused_ms())) + " (" +
             l.PauseReason(c, e.case_resumed().reason()) + ")";
    case model::Event::kHandoffRequested: {
      const auto& h = e.handoff_requested().handoff();
      return std::string(Pick(lang, "Handoff H", "交接 H")) + std::to_string(h.id()) +
             Pick(lang, " requested: ", " 請求：") + l.Leg(c, h.leg()) + ", " + h.from_centre() +
             " → " + h.to_centre() + " — " + h.message();
    }
    case model::Event::kHandoffAccepted: {
      std::string by;
      for (const auto& h : c.handoff()) {
        if (h.id() == e.handoff_accepted().id()) by = h.to_centre();
      }
      return std::string(Pick(lang, "Handoff H", "交接 H")) + std::to_string(e.handoff_accepted().id()) +
             Pick(lang, " accepted by ", " 已由 ") + by + Pick(lang, "", " 接受") +
             (e.handoff_accepted().responsible_centre() == by
                  ? std::string(Pick(lang, "; ", "；")) + by + Pick(lang, " works the case now", " 現負責此個案")
                  : "");
    }
    case model::Event::kHandoffDeclined:
      return std::string(Pick(lang, "Handoff H", "交接 H")) + std::to_string(e.handoff_declined().id()) +
             Pick(lang, " declined: ", " 被拒絕：") + e.handoff_declined().reason();
    case model::Event::kHandoffWithdrawn:
      return std::string(Pick(lang, "Handoff H", "交接 H")) + std::to_string(e.handoff_withdrawn().id()) +
             Pick(lang, " withdrawn: ", " 已撤回：") + e.handoff_withdrawn().reason();
    case model::Event::kTaskAssigned: {
      const auto& a = e.task_assigned();
      return std::string(Pick(lang, "Task ", "工作 ")) + task_label(a.seq()) +
             (a.centre().empty() ? "" : std::string(Pick(lang, " moved to ", " 移交 ")) + a.centre()) +
             Pick(lang, " assigned to ", " 交由 ") + Or(a.assignee(), Pick(lang, "nobody", "無人")) +
             (a.automatic() ? Pick(lang, " (automatic)", "（自動）") : "") +
             (a.previous_assignee().empty()
                  ? ""
                  : std::string(Pick(lang, " (was ", "（原為 ")) + a.previous_assignee() +
                        Pick(lang, ")", "）"));
    }
    case model::Event::kTaskCompleted: {
      const auto& d = e.task_completed();
      return std::string(Pick(lang, "Task ", "工作 ")) + task_label(d.seq()) +
             Pick(lang, " done", " 已完成") + (d.note().empty() ? "" : " — " + d.note());
    }
    case model::Event::kPersonAdded: {
      const auto& p = e.person_added().person();
      return std::string(Pick(lang, "Person added: ", "新增當事人：")) + PersonName(p.person()) +
             " (" + p.relationship() + ")";
    }
    case model::Event::kPersonCorrected: {
      const auto& x = e.person_corrected();
      // Each part that changed, with what it was.
      std::vector<std::string> changes;
      const auto diff = [&](const google::protobuf::Message& now, const google::protobuf::Message& was,
                            const std::string& prefix) {
        const auto* desc = now.GetDescriptor();
        const auto* refl = now.GetReflection();
        for (int i = 0; i < desc->field_count(); ++i) {
          const auto* f = desc->field(i);
          if (f->type() != google::protobuf::FieldDescriptor::TYPE_STRING) continue;
          const std::string a = refl->GetString(now, f), b = refl->GetString(was, f);
          if (a == b) continue;
          changes.push_back(prefix + f->name() + " = " + Or(a, "-") + Pick(lang, " (was ", "（原為 ") +
                            Or(b, "-") + Pick(lang, ")", "）"));
        }
      };
      diff(x.person(), x.previous(), "");
      diff(x.person().next_of_kin(), x.previous().next_of_kin(), "next_of_kin.");
      if (x.relationship() != x.previous_relationship()) {
        changes.push_back("relationship = " + x.relationship() + Pick(lang, " (was ", "（原為 ") +
                          x.previous_relationship() + Pick(lang, ")", "）"));
      }
      std::string list;
      for (const auto& change : changes) list += (list.empty() ? "" : "; ") + change;
      return std::string(Pick(lang, "Person ", "當事人 ")) + std::to_string(x.id()) + " (" +
             PersonName(x.person()) + Pick(lang, ") corrected: ", ") 更正：") + list + " — " + x.reason();
    }
    case model::Event::kCategorySet: {
      const auto& x = e.category_set();
      const auto named = [&](const model::Label& label, const std::string& code, bool legal) {
        return model::Localize(label, lang, code) +
               (legal ? std::string(Pick(lang, " (legal advice)", "（法律諮詢）")) : "");
      };
      std::string line = std::string(Pick(lang, "Counted under: ", "個案類別：")) +
                         named(x.label(), x.category(), x.legal_advice());
      if (!x.previous().empty()) {
        line += std::string(Pick(lang, " (was ", "（原為 ")) +
                named(x.previous_label(), x.previous(), x.previous_legal_advice()) +
                Pick(lang, ")", "）");
      }
      return line + (x.reason().empty() ? "" : " — " + x.reason());
    }
    case model::Event::kCallerSet: {
      const auto& x = e.caller_set();
      std::string line = std::string(Pick(lang, "Called by: ", "來電者：")) + CallerLine(x.caller());
      if (x.has_previous() && x.previous().ByteSizeLong() > 0) {
        line += std::string(Pick(lang, " (was ", "（原為 ")) + CallerLine(x.previous()) + Pick(lang, ")", "）");
      }
      return line + (x.reason().empty() ? "" : " — " + x.reason());
    }
    case model::Event::kContactRecorded: {
      const auto& k = e.contact_recorded().contact();
      // Recorded after the fact: say when it happened.
      const bool later = model::IsSet(k.at()) &&
                         model::FromProto(e.at()) - model::FromProto(k.at()) > std::chrono::minutes(5);
      return std::string(Pick(lang, "Contact: ", "聯絡：")) + ContactLine(k, lang) +
             (later ? std::string(Pick(lang, " (at ", "（時間 ")) + When(k.at()) + Pick(lang, ")", "）") : "");
    }
    case model::Event::kTaskNotApplicable: {
      const auto& x = e.task_not_applicable();
      return std::string(Pick(lang, "Task ", "工作 ")) + task_label(x.seq()) +
             Pick(lang, " not applicable: ", " 不適用：") + x.reason();
    }
    case model::Event::kTaskCancelled: {
      const auto& x = e.task_cancelled();
      return std::string(Pick(lang, "Task ", "工作 ")) + task_label(x.seq()) +
             Pick(lang, " cancelled: ", " 已取消：") + x.reason();
    }
    case model::Event::kFieldsSet: {
      const auto& f = e.fields_set();
      std::string s = Pick(lang, "Fields: ", "欄位：");
      std::string sep;
      // One field: what it is now, and what it was when it had a value.
      const auto one = [&](const std::string& k, const std::string& now) {
        s += sep + l.Field(c, k) + now;
        if (auto was = f.previous().find(k); was != f.previous().end()) {
          s += Pick(lang, " (was ", "（原為 ") + l.Value(c, k, was->second) + Pick(lang, ")", "）");
        }
        sep = "; ";
      };
      std::map<std::string, std::string> fields(f.fields().begin(), f.fields().end());
      for (const auto& [k, v] : fields) one(k, " = " + l.Value(c, k, v));
      for (const std::string& k : f.cleared()) one(k, Pick(lang, " cleared", " 已清除"));
      if (!f.reason().empty()) s += " — " + f.reason();
      return s;
    }
    case model::Event::kNoteAdded:
      return std::string(Pick(lang, "Note: ", "備註：")) + e.note_added().text();
    case model::Event::kCaseClosed:
      return std::string(Pick(lang, "Case closed: ", "結案：")) + e.case_closed().reason();
    case model::Event::kCaseCancelled:
      return std::string(Pick(lang, "Case cancelled: ", "取消個案：")) + e.case_cancelled().reason();
    case model::Event::BODY_NOT_SET:
      break;
  }
  return "?";
}

}  // namespace dispatch
