#include "cli/render.h"

#include <map>
#include <set>
#include <sstream>

#include "cli/text_table.h"
#include "model/command_codec.h"
#include "model/duration.h"
#include "model/field_values.h"
#include "model/person_validation.h"
#include "dispatch/engine.h"
#include "dispatch/timer_keys.h"
#include "model/roles.h"
#include "model/workflow_loader.h"

namespace cli {

using model::Lang;

namespace {

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

std::string Or(std::string s, std::string_view fallback) {
  return s.empty() ? std::string(fallback) : s;
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

std::string HandoffStatusName(model::HandoffStatus s, Lang lang) {
  switch (s) {
    case model::HANDOFF_PENDING: return Pick(lang, "waiting for an answer", "待回覆");
    case model::HANDOFF_ACCEPTED: return Pick(lang, "accepted", "已接受");
    case model::HANDOFF_DECLINED: return Pick(lang, "declined", "已拒絕");
    case model::HANDOFF_WITHDRAWN: return Pick(lang, "withdrawn", "已撤回");
    case model::HANDOFF_STATUS_UNSPECIFIED:
    case model::HandoffStatus_INT_MIN_SENTINEL_DO_NOT_USE_:
    case model::HandoffStatus_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return "?";
}

std::string Due(const model::Task& t, model::Instant now, Lang lang) {
  if (!model::IsSet(t.due_at())) return "-";
  std::string s = When(t.due_at());
  if (t.status() == model::TASK_OPEN && model::FromProto(t.due_at()) < now) {
    s += Pick(lang, " OVERDUE", " 已逾期");
  }
  return s;
}

}  // namespace

model::Status WriteJson(std::ostream& out, const google::protobuf::Message& m) {
  ASSIGN_OR_RETURN(const std::string json, model::EncodeJson(m, /*pretty=*/true));
  out << json;
  return model::Status::Ok();
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

std::string Labels::State(const model::CaseState& c, std::string_view state) {
  const auto* def = Def(c);
  const model::StateDef* s = def ? model::FindState(*def, state) : nullptr;
  return s ? model::Localize(s->label(), lang_, state) : std::string(state);
}

std::string Labels::Event(const model::CaseState& c, std::string_view from_state,
                          std::string_view event, std::string_view to_state) {
  const auto* def = Def(c);
  const model::StateDef* s = def ? model::FindState(*def, from_state) : nullptr;
  if (s != nullptr) {
    // The transition taken, when it is known: a fallback has its own label.
    for (const auto& tr : s->transition()) {
      if (tr.on() == event && (to_state.empty() || tr.to() == to_state)) {
        return model::Localize(tr.label(), lang_, event);
      }
    }
    for (const auto& tr : s->transition()) {
      if (tr.on() == event) return model::Localize(tr.label(), lang_, event);
    }
  }
  return std::string(event);
}

std::string Labels::Field(const model::CaseState& c, std::string_view field) {
  const auto* def = Def(c);
  const model::FieldDef* f = def ? model::FindField(*def, field) : nullptr;
  return f ? model::Localize(f->label(), lang_, field) : std::string(field);
}

std::string Labels::Value(const model::CaseState& c, std::string_view field,
                          std::string_view value) {
  const auto* def = Def(c);
  const model::FieldDef* f = def ? model::FindField(*def, field) : nullptr;
  return f ? model::FieldValueText(*f, value, lang_) : std::string(value);
}

std::string Labels::PauseReason(const model::CaseState& c, std::string_view reason) {
  const auto* def = Def(c);
  if (def != nullptr) {
    for (const auto& r : def->pause_reason()) {
      if (r.name() == reason) return model::Localize(r.label(), lang_, reason);
    }
  }
  return std::string(reason);
}

std::string Labels::Leg(const model::CaseState& c, std::string_view leg) {
  const auto* def = Def(c);
  const model::Leg* l = def ? model::FindLeg(*def, leg) : nullptr;
  return l ? model::Localize(l->label(), lang_, leg) : std::string(leg);
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

void PrintCaseList(std::ostream& out, const std::vector<model::CaseState>& cases, Labels& l,
                   bool waiting) {
  const Lang lang = l.lang();
  if (cases.empty()) {
    out << (waiting ? Pick(lang, "No case is waiting for a booked day.\n", "沒有個案等候預定日期。\n")
                    : Pick(lang, "No cases.\n", "沒有個案。\n"));
    return;
  }
  TextTable t({Pick(lang, "Case", "個案編號"), Pick(lang, "Type", "類別"),
               Pick(lang, "State", "階段"), Pick(lang, "Status", "狀態"),
               Pick(lang, "Person", "當事人"),
               waiting ? Pick(lang, "Moves on", "自動推進") : Pick(lang, "Opened", "開案時間"),
               Pick(lang, "Open tasks", "待辦")});
  for (const auto& c : cases) {
    int open = 0;
    for (const auto& task : c.task()) open += task.status() == model::TASK_OPEN;
    std::string when = When(c.opened_at());
    if (waiting) {
      when = "-";
      for (const auto& timer : c.timer()) {
        if (timer.key() == dispatch::kWakeTimer) when = When(timer.due_at());
      }
    }
    t.AddRow({c.number(), l.Type(c), l.State(c, c.state()), l.Status(c.status()),
              Truncate(PersonName(c.person()), 28), when, std::to_string(open)});
  }
  t.Print(out);
}

void PrintCase(std::ostream& out, const model::CaseState& c, Labels& l, model::Instant now,
               const std::vector<std::string>& related_here) {
  const Lang lang = l.lang();
  TextTable head({"", ""});
  auto row = [&](const char* en, const char* zh, std::string value) {
    head.AddRow({std::string(Pick(lang, en, zh)), std::move(value)});
  };
  row("Case", "個案編號", c.number());
  row("Type", "類別",
      l.Type(c) + " (" + c.type() + " v" + std::to_string(c.definition().version()) + ")");
  row("Centre", "開案中心", c.centre());
  if (!c.responsible_centre().empty() && c.responsible_centre() != c.centre()) {
    row("Worked by", "現由", c.responsible_centre());
  }
  row("Status", "狀態",
      l.Status(c.status()) + (c.end_reason().empty() ? "" : " — " + c.end_reason()));
  row("State", "階段",
      l.State(c, c.state()) + " (" + c.state() + "), " + Pick(lang, "since ", "始於 ") +
          When(c.state_entered_at()));
  row("Opened", "開案", When(c.opened_at()) + " " + Pick(lang, "by ", "由 ") + c.opened_by());
  for (const model::Pause& p : c.pauses()) {
    row("Paused", "暫停", l.PauseReason(c, p.reason()) + ", " + Pick(lang, "since ", "始於 ") +
                              When(p.since()));
  }
  for (const auto& t : c.timer()) {
    if (t.key() == dispatch::kWakeTimer) {
      row("Moves on", "自動推進", When(t.due_at()) + Pick(lang, " (waiting for the day)", "（等候日期）"));
      continue;
    }
    std::string v = TimerName(t.key(), lang);
    if (t.key() == dispatch::kStateTimer) v += " (" + l.State(c, c.state()) + ")";
    v += ": " + When(t.due_at());
    if (t.breached()) v += Pick(lang, "  MISSED", "  已逾期");
    if (model::IsSet(t.paused_at())) v += Pick(lang, "  (clock stopped)", "（暫停計時）");
    row("Deadline", "限期", v);
  }
  for (const auto& h : c.handoff()) {
    row("Handoff", "交接",
        "H" + std::to_string(h.id()) + " " + l.Leg(c, h.leg()) + ": " + h.from_centre() + " → " +
            h.to_centre() + ", " + HandoffStatusName(h.status(), lang));
  }
  if (!c.summary().empty()) row("Summary", "摘要", c.summary());
  if (!c.related_case().empty()) row("Related case", "相關個案", c.related_case());
  for (const std::string& other : related_here) row("Related case", "相關個案", other + Pick(lang, " (names this one)", "（關連本案）"));
  const model::Person& p = c.person();
  row("Person", "當事人", PersonName(p));
  if (!p.hkid().empty()) row("HKID", "香港身份證", p.hkid());
  if (!p.home_return_permit().empty()) row("Home Return Permit", "回鄉證", p.home_return_permit());
  if (!p.date_of_birth().empty()) row("Born", "出生日期", p.date_of_birth());
  if (!p.phone().empty()) row("Phone", "電話", p.phone());
  if (!p.current_location().empty()) row("Location", "現時位置", p.current_location());
  if (p.has_next_of_kin()) {
    const auto& k = p.next_of_kin();
    std::string kin = k.name();
    if (!k.relationship().empty()) kin += " (" + k.relationship() + ")";
    if (!k.phone().empty()) kin += " " + k.phone();
    row("Next of kin", "香港親屬", kin);
  }
  for (const auto& other : c.people()) {
    const model::Person& o = other.person();
    std::string line = PersonName(o) + " (" + other.relationship() + ")";
    for (const std::string& part : {o.hkid(), o.home_return_permit(), o.date_of_birth(), o.phone(),
                                    o.current_location()}) {
      if (!part.empty()) line += ", " + part;
    }
    row("Also", "同行人士", line + Pick(lang, " [person ", "〔當事人 ") + std::to_string(other.id()) +
                                Pick(lang, "]", "〕"));
  }
  if (c.has_caller()) row("Called by", "來電者", CallerLine(c.caller()));
  // Fields in the order the definition lists them, then what the ways on
  // from here still need.
  std::map<std::string, std::string> fields(c.fields().begin(), c.fields().end());
  std::vector<std::string> unknown;
  if (const model::WorkflowDefinition* def = l.Def(c)) {
    std::set<std::string> wanted;
    if (const model::StateDef* s = model::FindState(*def, c.state());
        s != nullptr && c.status() == model::CASE_OPEN) {
      for (const auto& tr : s->transition()) model::FieldsReadBy(tr.guard(), wanted);
      if (s->has_wait()) wanted.insert(s->wait().field());
    }
    for (const model::FieldDef& f : def->field()) {
      auto it = fields.find(f.name());
      if (it == fields.end()) {
        if (wanted.count(f.name()) != 0) unknown.push_back(l.Field(c, f.name()));
        continue;
      }
      head.AddRow({l.Field(c, f.name()), l.Value(c, f.name(), it->second)});
      fields.erase(it);
    }
  }
  for (const auto& [k, v] : fields) head.AddRow({k, v});
  if (!unknown.empty()) {
    std::string list;
    for (const auto& u : unknown) list += (list.empty() ? "" : Pick(lang, ", ", "、")) + u;
    row("Still needed", "尚欠資料", list);
  }
  // The header row of this table is empty; print rows only.
  std::ostringstream body;
  head.Print(body);
  std::string text = body.str();
  out << text.substr(text.find('\n') + 1);

  if (c.contact_size() > 0) {
    out << '\n' << Pick(lang, "Outside parties", "外間聯絡") << '\n';
    for (const auto& k : c.contact()) out << "  " << When(k.at()) << "  " << ContactLine(k, lang) << '\n';
  }

  out << '\n' << Pick(lang, "Tasks", "工作") << '\n';
  TextTable tasks({"#", Pick(lang, "Task", "工作"), Pick(lang, "Role", "職位"),
                   Pick(lang, "Centre", "中心"), Pick(lang, "Assignee", "負責人"),
                   Pick(lang, "Due", "限期"), Pick(lang, "Status", "狀態")});
  for (const auto& t : c.task()) {
    tasks.AddRow({std::to_string(t.seq()), model::Localize(t.label(), lang, t.name()),
                  RoleName(t.role(), lang), t.centre(), Or(t.assignee(), "-"), Due(t, now, lang),
                  l.TaskStatus(t.status())});
  }
  tasks.Print(out);
}

void PrintTaskList(std::ostream& out, const std::vector<model::TaskView>& tasks, Labels& l,
                   model::Instant now) {
  const Lang lang = l.lang();
  if (tasks.empty()) {
    out << Pick(lang, "No tasks.\n", "沒有工作。\n");
    return;
  }
  TextTable t({Pick(lang, "Task", "工作編號"), Pick(lang, "Due", "限期"),
               Pick(lang, "What", "內容"), Pick(lang, "Role", "職位"), Pick(lang, "Centre", "中心"),
               Pick(lang, "Assignee", "負責人"), Pick(lang, "Person", "當事人"),
               Pick(lang, "Status", "狀態")});
  for (const auto& v : tasks) {
    const model::Task& task = v.task();
    t.AddRow({dispatch::TaskId(v.case_number(), task.seq()), Due(task, now, lang),
              model::Localize(task.label(), lang, task.name()), RoleName(task.role(), lang),
              task.centre(), Or(task.assignee(), "-"), Truncate(v.person_name(), 24),
              l.TaskStatus(task.status())});
  }
  t.Print(out);
}

namespace {

// Whether the human timeline shows `e` after `previous`: a new task's due time
// is on the task's own line already.
bool Shown(const model::Event* previous, const model::Event& e) {
  if (previous == nullptr || !previous->has_task_created() || !e.has_deadline_set()) return true;
  return e.deadline_set().timer().key() != dispatch::TaskTimer(previous->task_created().task().seq());
}

std::string Describe(const model::CaseState& c, const model::Event& e, Labels& l) {
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

}  // namespace

void PrintTimeline(std::ostream& out, const model::CaseState& c,
                   const std::vector<model::Event>& events, Labels& l) {
  const Lang lang = l.lang();
  out << c.number() << "  " << l.Type(c) << "  " << PersonName(c.person()) << "  ["
      << l.State(c, c.state()) << ", " << l.Status(c.status()) << "]\n";
  TextTable t({Pick(lang, "Time (UTC+8)", "時間（UTC+8）"), Pick(lang, "By", "經辦"),
               Pick(lang, "What", "事項")});
  const model::Event* previous = nullptr;
  for (const auto& e : events) {
    if (Shown(previous, e)) t.AddRow({When(e.at()), e.actor(), Describe(c, e, l)});
    previous = &e;
  }
  t.Print(out);
}

void PrintUsers(std::ostream& out, const std::vector<model::User>& users, Lang lang) {
  TextTable t({Pick(lang, "User", "用戶"), Pick(lang, "Centre", "中心"), Pick(lang, "Role", "職位")});
  for (const auto& u : users) t.AddRow({u.name(), u.centre(), RoleName(u.role(), lang)});
  t.Print(out);
}

void PrintCentres(std::ostream& out, const std::vector<model::Centre>& centres, Lang lang) {
  TextTable t({Pick(lang, "Code", "代號"), Pick(lang, "Centre", "中心"),
               Pick(lang, "Chat-group webhook", "群組通知")});
  for (const auto& c : centres) {
    t.AddRow({c.code(), model::Localize(c.label(), lang),
              !c.webhook_url().empty() ? c.webhook_url()
              : c.has_webhook()        ? Pick(lang, "set", "已設定")
                                       : "-"});
  }
  t.Print(out);
}

void PrintWorkflowList(std::ostream& out, const model::WorkflowList& list, Lang lang) {
  TextTable t({Pick(lang, "Type", "類別"), Pick(lang, "Name", "名稱"),
               Pick(lang, "Version", "版本"), Pick(lang, "States", "階段數"),
               Pick(lang, "Hash", "雜湊"), Pick(lang, "File", "檔案")});
  for (const auto& w : list.workflow()) {
    t.AddRow({w.name(), model::Localize(w.label(), lang), std::to_string(w.version()),
              std::to_string(w.states()), w.content_hash().substr(0, 12), w.path()});
  }
  t.Print(out);
  for (const auto& b : list.broken()) {
    out << '\n'
        << Pick(lang, "Not in use until fixed: ", "修正前不會使用：") << b.path()
        << (b.name().empty() ? "" : " (" + b.name() + ")") << '\n'
        << b.problem() << '\n';
  }
}

namespace {

// " task:call field:port test_at within 48h before crossing_on (a | b)".
std::string GuardText(const model::Guard& g, Lang lang) {
  std::string out;
  for (const auto& n : g.tasks_done()) out += " task:" + n;
  for (const auto& n : g.fields_required()) out += " field:" + n;
  for (const auto& fe : g.field_equals()) out += " " + fe.field() + "=" + fe.value();
  for (const auto& dc : g.dates()) {
    std::string how;
    if (dc.same_day()) {
      how = Pick(lang, " same day as ", " 同日 ");
    } else if (dc.not_after()) {
      how = Pick(lang, " not after ", " 不遲於 ");
    } else {
      how = std::string(Pick(lang, " within ", " 於 ")) + dc.within_before() + Pick(lang, " before ", " 之前 ");
    }
    out += " " + dc.field() + how + dc.reference();
  }
  for (const auto& r : g.roles()) out += " role:" + r;
  for (const auto& any : g.any_of()) {
    std::string each;
    for (const auto& inner : any.guard()) each += (each.empty() ? "" : " |") + GuardText(inner, lang);
    out += " (" + each.substr(1) + ")";
  }
  return out;
}

std::string FieldTypeName(const model::FieldDef& f) {
  if (f.one_of_size() > 0) return "choice";  // a version 1 list
  const auto* value = model::FieldDef::Type_descriptor()->FindValueByNumber(f.type());
  std::string name = value ? value->name() : "TEXT";
  for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return name;
}

}  // namespace

void PrintWorkflow(std::ostream& out, const model::WorkflowDefinition& def, Lang lang) {
  out << def.name() << " v" << def.version() << "  " << model::Localize(def.label(), lang) << '\n';
  if (!def.description().empty()) out << def.description() << '\n';
  if (def.field_size() > 0) out << '\n' << Pick(lang, "Fields", "欄位") << '\n';
  for (const auto& f : def.field()) {
    out << "  " << f.name() << "  " << model::Localize(f.label(), lang) << " (" << FieldTypeName(f);
    std::string values;
    for (const auto& v : model::ChoiceValues(f)) {
      values += (values.empty() ? ": " : ", ") + v;
      const std::string label = model::FieldValueText(f, v, lang);
      if (label != v) values += " " + label;
    }
    out << values << ")\n";
  }
  for (const auto& s : def.state()) {
    out << '\n' << (s.name() == def.initial_state() ? "▶ " : "  ") << s.name() << "  "
        << model::Localize(s.label(), lang) << (s.terminal() ? Pick(lang, "  [end]", "  ［完結］") : "")
        << '\n';
    for (const auto& t : s.task()) {
      out << "      " << Pick(lang, "task ", "工作 ") << t.name() << "  "
          << model::Localize(t.label(), lang) << " (" << RoleName(t.role(), lang)
          << (t.due_within().empty() ? "" : ", " + t.due_within())
          << (t.repeat_every().empty() ? "" : std::string(Pick(lang, ", every ", "，每 ")) + t.repeat_every())
          << (t.may_not_apply() ? Pick(lang, ", may not apply", "，可不適用") : "")
          << (t.has_not_applicable_when()
                  ? std::string(Pick(lang, ", not applicable when", "，不適用於")) +
                        GuardText(t.not_applicable_when(), lang)
                  : "")
          << ")\n";
    }
    for (const auto& tr : s.transition()) {
      const std::string guard = GuardText(tr.guard(), lang);
      out << "      " << tr.on() << " → " << tr.to()
          << (guard.empty() ? "" : std::string(Pick(lang, "  needs", "  需要")) + guard)
          << (tr.otherwise() ? Pick(lang, "  otherwise", "  否則") : "") << '\n';
    }
  }
}

void PrintReply(std::ostream& out, const model::CommandReply& reply, Labels& l) {
  const Lang lang = l.lang();
  if (reply.has_user()) {
    out << Pick(lang, "Added user ", "已新增用戶 ") << reply.user().name() << " ("
        << RoleName(reply.user().role(), lang) << ", " << reply.user().centre() << ")\n";
    return;
  }
  if (reply.has_shift()) {
    const auto& s = reply.shift();
    if (model::IsSet(s.ends_at()) && model::FromProto(s.ends_at()) <= l.now()) {
      out << s.user() << Pick(lang, " is off duty.\n", " 已下班。\n");
      for (const auto& e : reply.event()) {
        if (e.has_task_assigned() && !e.task_assigned().assignee().empty()) {
          out << "  " << dispatch::TaskId(e.case_number(), e.task_assigned().seq()) << " → "
              << e.task_assigned().assignee() << '\n';
        } else if (e.has_task_unheld()) {
          out << "  " << dispatch::TaskId(e.case_number(), e.task_unheld().seq())
              << Pick(lang, " → nobody on duty; supervisors told\n", " → 沒有當值人員；已通知主管\n");
        }
      }
    } else {
      out << s.user() << Pick(lang, " is on duty at ", " 在 ") << s.centre()
          << Pick(lang, " as ", " 當值：") << RoleName(s.role(), lang) << ", "
          << When(s.starts_at()) << " – "
          << (model::IsSet(s.ends_at()) ? When(s.ends_at()) : Pick(lang, "duty off", "下班為止")) << "\n";
    }
    return;
  }
  if (reply.has_centre()) {
    const auto& c = reply.centre();
    out << c.code() << ": "
        << (c.webhook_url().empty() ? Pick(lang, "no webhook", "沒有 webhook") : c.webhook_url()) << "\n";
    return;
  }
  if (reply.has_key()) {
    const auto& k = reply.key();
    if (k.secret().empty()) {
      out << (k.kind() == "token" ? Pick(lang, "Token ", "存取權杖 ") : Pick(lang, "Session ", "登入 "))
          << k.id() << Pick(lang, " of ", "（") << k.user()
          << Pick(lang, " is revoked, or was made earlier (its secret is shown only once).\n",
                  "）已撤銷，或之前已建立（密鑰只顯示一次）。\n");
    } else {
      out << Pick(lang, "Token ", "存取權杖 ") << k.id() << Pick(lang, " for ", "，給 ") << k.user()
          << (k.label().empty() ? "" : " (" + k.label() + ")") << Pick(lang, ", until ", "，有效至 ")
          << When(k.expires_at()) << ":\n  " << k.secret() << '\n'
          << Pick(lang, "Keep it now: it is not shown again. Scripts send it as\n"
                        "  Authorization: Bearer <token>\n",
                  "請即保存：不會再顯示。程式以下列標頭傳送：\n  Authorization: Bearer <token>\n");
    }
    return;
  }
  if (!reply.has_case_state()) {
    out << Pick(lang, "Done.\n", "完成。\n");
    return;
  }
  const model::CaseState& c = reply.case_state();
  if (reply.replayed()) out << Pick(lang, "(already done earlier; nothing changed)\n", "（之前已完成，沒有更改）\n");
  const model::Event* previous = nullptr;
  for (const auto& e : reply.event()) {
    const bool shown = Shown(previous, e);
    previous = &e;
    if (!shown) continue;
    if (e.has_task_created()) {
      const auto& t = e.task_created().task();
      out << "  + " << dispatch::TaskId(c.number(), t.seq()) << "  "
          << model::Localize(t.label(), lang, t.name()) << "  (" << RoleName(t.role(), lang)
          << (model::IsSet(t.due_at()) ? std::string(Pick(lang, ", due ", "，限期 ")) + When(t.due_at())
                                       : "")
          << ")\n";
    } else {
      out << c.number() << ": " << Describe(c, e, l) << '\n';
    }
  }
}

}  // namespace cli

namespace cli {

void PrintHandoffs(std::ostream& out, const std::vector<model::HandoffView>& handoffs, Lang lang) {
  if (handoffs.empty()) {
    out << Pick(lang, "No handoffs.\n", "沒有交接。\n");
    return;
  }
  TextTable t({Pick(lang, "Handoff", "交接編號"), Pick(lang, "Leg", "部分"),
               Pick(lang, "From", "由"), Pick(lang, "To", "交予"), Pick(lang, "Status", "狀態"),
               Pick(lang, "Requested", "請求時間"), Pick(lang, "Person", "當事人"),
               Pick(lang, "Message", "內容")});
  for (const auto& v : handoffs) {
    const auto& h = v.handoff();
    t.AddRow({dispatch::HandoffId(v.case_number(), h.id()), h.leg(), h.from_centre(), h.to_centre(),
              HandoffStatusName(h.status(), lang), When(h.requested_at()),
              Truncate(v.person_name(), 20), Truncate(h.message(), 48)});
  }
  t.Print(out);
}

void PrintInbox(std::ostream& out, const std::vector<model::InboxItem>& items, Lang lang) {
  if (items.empty()) {
    out << Pick(lang, "Inbox empty.\n", "收件匣沒有訊息。\n");
    return;
  }
  TextTable t({"#", Pick(lang, "Time", "時間"), Pick(lang, "To", "收件人"), Pick(lang, "Case", "個案"),
               Pick(lang, "Message", "訊息"), ""});
  for (const auto& i : items) {
    t.AddRow({std::to_string(i.id()), When(i.at()), i.recipient(), i.case_number(),
              model::Localize(i.title(), lang),
              model::IsSet(i.read_at()) ? "" : Pick(lang, "unread", "未讀")});
  }
  t.Print(out);
}

void PrintOutbox(std::ostream& out, const std::vector<model::Notification>& items, Lang lang) {
  if (items.empty()) {
    out << Pick(lang, "Outbox empty.\n", "外寄匣沒有訊息。\n");
    return;
  }
  TextTable t({"#", Pick(lang, "Created", "建立"), Pick(lang, "Kind", "類別"),
               Pick(lang, "Case", "個案"), Pick(lang, "Channel", "途徑"), Pick(lang, "To", "收件"),
               Pick(lang, "Status", "狀態"), Pick(lang, "Tries", "次數"), Pick(lang, "Next", "下次"),
               Pick(lang, "Last error", "最近錯誤")});
  for (const auto& n : items) {
    t.AddRow({std::to_string(n.id()), When(n.created_at()), n.kind(), n.case_number(), n.channel(),
              Truncate(n.address(), 36), model::DeliveryStatus_Name(n.status()).substr(9),
              std::to_string(n.attempts()),
              model::IsSet(n.next_attempt_at()) ? When(n.next_attempt_at()) : "-",
              Truncate(n.last_error(), 40)});
  }
  t.Print(out);
}

void PrintShifts(std::ostream& out, const std::vector<model::Shift>& shifts, Lang lang) {
  if (shifts.empty()) {
    out << Pick(lang, "Nobody is on duty.\n", "現時沒有人當值。\n");
    return;
  }
  TextTable t({Pick(lang, "Centre", "中心"), Pick(lang, "User", "用戶"), Pick(lang, "On duty as", "當值職位"),
               Pick(lang, "Since", "開始"), Pick(lang, "Until", "至")});
  for (const auto& s : shifts) {
    t.AddRow({s.centre(), s.user(), RoleName(s.role(), lang), When(s.starts_at()),
              model::IsSet(s.ends_at()) ? When(s.ends_at()) : Pick(lang, "duty off", "下班為止")});
  }
  t.Print(out);
}

void PrintKeys(std::ostream& out, const std::vector<model::AccessKey>& keys, Lang lang) {
  if (keys.empty()) {
    out << Pick(lang, "No tokens or sessions.\n", "沒有存取權杖或登入。\n");
    return;
  }
  TextTable t({"Id", Pick(lang, "User", "用戶"), Pick(lang, "Kind", "類別"),
               Pick(lang, "For", "用途"), Pick(lang, "Made", "建立"), Pick(lang, "Until", "有效至")});
  for (const auto& k : keys) {
    t.AddRow({k.id(), k.user(), k.kind() == "token" ? Pick(lang, "token", "權杖") : Pick(lang, "session", "登入"),
              k.label().empty() ? "-" : k.label(), When(k.created_at()), When(k.expires_at())});
  }
  t.Print(out);
}

}  // namespace cli
