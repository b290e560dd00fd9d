#include "cli/render.h"

#include <map>
#include <sstream>

#include <google/protobuf/util/json_util.h>

#include "cli/text_table.h"
#include "dispatch/engine.h"
#include "model/roles.h"
#include "model/workflow_loader.h"

namespace cli {

using model::Lang;

namespace {

std::string When(const google::protobuf::Timestamp& ts) {
  return model::IsSet(ts) ? model::FormatHongKong(model::FromProto(ts)) : "-";
}

std::string Or(std::string s, std::string_view fallback) {
  return s.empty() ? std::string(fallback) : s;
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

std::string ToJson(const google::protobuf::Message& m) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string out;
  if (!google::protobuf::util::MessageToJsonString(m, &out, options).ok()) return "{}\n";
  return out;
}

std::string PersonName(const model::Person& p) {
  if (!p.name_zh().empty() && !p.name_en().empty()) return p.name_zh() + " " + p.name_en();
  return p.name_zh().empty() ? p.name_en() : p.name_zh();
}

std::string RoleName(std::string_view role, Lang lang) {
  if (role == model::kDutyOfficer) return Pick(lang, "duty officer", "當值主任");
  if (role == model::kCoordinator) return Pick(lang, "coordinator", "協調主任");
  if (role == model::kSupervisor) return Pick(lang, "supervisor", "主管");
  if (role == model::kAdmin) return Pick(lang, "admin", "系統管理員");
  return std::string(role);
}

const model::WorkflowDefinition* Labels::Def(const model::CaseState& c) {
  auto def = d_.DefinitionOf(c);
  return def.ok() ? &(*def)->definition : nullptr;
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
                          std::string_view event) {
  const auto* def = Def(c);
  const model::StateDef* s = def ? model::FindState(*def, from_state) : nullptr;
  if (s != nullptr) {
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
    case model::TASK_STATUS_UNSPECIFIED:
    case model::TaskStatus_INT_MIN_SENTINEL_DO_NOT_USE_:
    case model::TaskStatus_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return "?";
}

void PrintCaseList(std::ostream& out, const std::vector<model::CaseState>& cases, Labels& l) {
  const Lang lang = l.lang();
  if (cases.empty()) {
    out << Pick(lang, "No cases.\n", "沒有個案。\n");
    return;
  }
  TextTable t({Pick(lang, "Case", "個案編號"), Pick(lang, "Type", "類別"),
               Pick(lang, "State", "階段"), Pick(lang, "Status", "狀態"),
               Pick(lang, "Person", "當事人"), Pick(lang, "Opened", "開案時間"),
               Pick(lang, "Open tasks", "待辦")});
  for (const auto& c : cases) {
    int open = 0;
    for (const auto& task : c.task()) open += task.status() == model::TASK_OPEN;
    t.AddRow({c.number(), l.Type(c), l.State(c, c.state()), l.Status(c.status()),
              Truncate(PersonName(c.person()), 28), When(c.opened_at()), std::to_string(open)});
  }
  t.Print(out);
}

void PrintCase(std::ostream& out, const model::CaseState& c, Labels& l, model::Instant now) {
  const Lang lang = l.lang();
  TextTable head({"", ""});
  auto row = [&](const char* en, const char* zh, std::string value) {
    head.AddRow({std::string(Pick(lang, en, zh)), std::move(value)});
  };
  row("Case", "個案編號", c.number());
  row("Type", "類別",
      l.Type(c) + " (" + c.type() + " v" + std::to_string(c.definition().version()) + ")");
  row("Centre", "負責中心", c.centre());
  row("Status", "狀態",
      l.Status(c.status()) + (c.end_reason().empty() ? "" : " — " + c.end_reason()));
  row("State", "階段",
      l.State(c, c.state()) + " (" + c.state() + "), " + Pick(lang, "since ", "始於 ") +
          When(c.state_entered_at()));
  row("Opened", "開案", When(c.opened_at()) + " " + Pick(lang, "by ", "由 ") + c.opened_by());
  if (!c.summary().empty()) row("Summary", "摘要", c.summary());
  if (!c.related_case().empty()) row("Related case", "相關個案", c.related_case());
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
  std::map<std::string, std::string> fields(c.fields().begin(), c.fields().end());
  for (const auto& [k, v] : fields) head.AddRow({l.Field(c, k), v});
  // The header row of this table is empty; print rows only.
  std::ostringstream body;
  head.Print(body);
  std::string text = body.str();
  out << text.substr(text.find('\n') + 1);

  out << '\n' << Pick(lang, "Tasks", "工作") << '\n';
  TextTable tasks({"#", Pick(lang, "Task", "工作"), Pick(lang, "Role", "職位"),
                   Pick(lang, "Assignee", "負責人"), Pick(lang, "Due", "限期"),
                   Pick(lang, "Status", "狀態")});
  for (const auto& t : c.task()) {
    tasks.AddRow({std::to_string(t.seq()), model::Localize(t.label(), lang, t.name()),
                  RoleName(t.role(), lang), Or(t.assignee(), "-"), Due(t, now, lang),
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
               Pick(lang, "What", "內容"), Pick(lang, "Role", "職位"),
               Pick(lang, "Assignee", "負責人"), Pick(lang, "Person", "當事人"),
               Pick(lang, "Status", "狀態")});
  for (const auto& v : tasks) {
    const model::Task& task = v.task();
    t.AddRow({dispatch::TaskId(v.case_number(), task.seq()), Due(task, now, lang),
              model::Localize(task.label(), lang, task.name()), RoleName(task.role(), lang),
              Or(task.assignee(), "-"), Truncate(v.person_name(), 24),
              l.TaskStatus(task.status())});
  }
  t.Print(out);
}

namespace {

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
      std::string s = l.Event(c, t.from_state(), t.event()) + ": " +
                      l.State(c, t.from_state()) + " → " + l.State(c, t.to_state());
      std::map<std::string, std::string> fields(t.fields().begin(), t.fields().end());
      for (const auto& [k, v] : fields) s += "; " + l.Field(c, k) + " = " + v;
      if (!t.note().empty()) s += " — " + t.note();
      return s;
    }
    case model::Event::kTaskCreated: {
      const auto& t = e.task_created().task();
      std::string s = std::string(Pick(lang, "New task ", "新工作 ")) + "#" +
                      std::to_string(t.seq()) + " " + model::Localize(t.label(), lang, t.name()) +
                      " (" + RoleName(t.role(), lang);
      if (model::IsSet(t.due_at())) s += std::string(Pick(lang, ", due ", "，限期 ")) + When(t.due_at());
      return s + ")";
    }
    case model::Event::kTaskAssigned: {
      const auto& a = e.task_assigned();
      return std::string(Pick(lang, "Task ", "工作 ")) + task_label(a.seq()) +
             Pick(lang, " assigned to ", " 交由 ") + a.assignee() +
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
    case model::Event::kTaskCancelled: {
      const auto& x = e.task_cancelled();
      return std::string(Pick(lang, "Task ", "工作 ")) + task_label(x.seq()) +
             Pick(lang, " cancelled: ", " 已取消：") + x.reason();
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
  for (const auto& e : events) t.AddRow({When(e.at()), e.actor(), Describe(c, e, l)});
  t.Print(out);
}

void PrintUsers(std::ostream& out, const std::vector<model::User>& users, Lang lang) {
  TextTable t({Pick(lang, "User", "用戶"), Pick(lang, "Centre", "中心"), Pick(lang, "Role", "職位")});
  for (const auto& u : users) t.AddRow({u.name(), u.centre(), RoleName(u.role(), lang)});
  t.Print(out);
}

void PrintCentres(std::ostream& out, const std::vector<model::Centre>& centres, Lang lang) {
  TextTable t({Pick(lang, "Code", "代號"), Pick(lang, "Centre", "中心")});
  for (const auto& c : centres) t.AddRow({c.code(), model::Localize(c.label(), lang)});
  t.Print(out);
}

void PrintWorkflowList(std::ostream& out, const std::vector<const model::LoadedDefinition*>& defs,
                       Lang lang) {
  TextTable t({Pick(lang, "Type", "類別"), Pick(lang, "Name", "名稱"),
               Pick(lang, "Version", "版本"), Pick(lang, "States", "階段數"),
               Pick(lang, "Hash", "雜湊"), Pick(lang, "File", "檔案")});
  for (const auto* d : defs) {
    t.AddRow({d->definition.name(), model::Localize(d->definition.label(), lang),
              std::to_string(d->definition.version()),
              std::to_string(d->definition.state_size()), d->content_hash.substr(0, 12), d->path});
  }
  t.Print(out);
}

void PrintWorkflow(std::ostream& out, const model::LoadedDefinition& d, Lang lang) {
  const auto& def = d.definition;
  out << def.name() << " v" << def.version() << "  " << model::Localize(def.label(), lang) << '\n';
  if (!def.description().empty()) out << def.description() << '\n';
  for (const auto& s : def.state()) {
    out << '\n' << (s.name() == def.initial_state() ? "▶ " : "  ") << s.name() << "  "
        << model::Localize(s.label(), lang) << (s.terminal() ? Pick(lang, "  [end]", "  ［完結］") : "")
        << '\n';
    for (const auto& t : s.task()) {
      out << "      " << Pick(lang, "task ", "工作 ") << t.name() << "  "
          << model::Localize(t.label(), lang) << " (" << RoleName(t.role(), lang)
          << (t.due_within().empty() ? "" : ", " + t.due_within()) << ")\n";
    }
    for (const auto& tr : s.transition()) {
      std::string guard;
      for (const auto& n : tr.guard().tasks_done()) guard += " task:" + n;
      for (const auto& n : tr.guard().fields_required()) guard += " field:" + n;
      for (const auto& fe : tr.guard().field_equals()) guard += " " + fe.field() + "=" + fe.value();
      for (const auto& r : tr.guard().roles()) guard += " role:" + r;
      out << "      " << tr.on() << " → " << tr.to()
          << (guard.empty() ? "" : std::string(Pick(lang, "  needs", "  需要")) + guard) << '\n';
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
  const model::CaseState& c = reply.case_state();
  if (reply.replayed()) out << Pick(lang, "(already done earlier; nothing changed)\n", "（之前已完成，沒有更改）\n");
  for (const auto& e : reply.event()) {
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
