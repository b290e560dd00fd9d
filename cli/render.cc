#include "cli/render.h"

#include <map>
#include <set>
#include <sstream>

#include "cli/text_table.h"
#include "dispatch/describe.h"
#include "dispatch/report.h"
#include "dispatch/report_format.h"
#include "model/categories.h"
#include "model/command_codec.h"
#include "model/duration.h"
#include "model/field_values.h"
#include "model/person_validation.h"
#include "dispatch/engine.h"
#include "dispatch/timer_keys.h"
#include "model/roles.h"
#include "model/workflow_loader.h"

namespace cli {

using dispatch::CallerLine;
using dispatch::ContactLine;
using dispatch::DescribeEvent;
using dispatch::ShownInTimeline;
using dispatch::TimerName;
using dispatch::When;
using model::Lang;

namespace {


std::string Or(std::string s, std::string_view fallback) {
  return s.empty() ? std::string(fallback) : s;
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
  if (c.recorded()) {
    // Opened by someone before this system; entered into it by a supervisor.
    row("Opened", "開案", When(c.opened_at()));
  } else {
    row("Opened", "開案", When(c.opened_at()) + " " + Pick(lang, "by ", "由 ") + c.opened_by());
  }
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
  if (c.recorded()) {
    std::string v = c.earlier_reference().empty() ? "" : c.earlier_reference() + " ";
    if (!c.recorded_from().empty()) v += "(" + c.recorded_from() + ") ";
    row("Earlier record", "過往紀錄",
        v + Pick(lang, "entered by ", "由 ") + c.opened_by() + Pick(lang, " on ", " 於 ") +
            When(c.recorded_at()) +
            Pick(lang, "; counted, not worked here", " 輸入；只作統計，未經本系統處理"));
  }
  if (!c.summary().empty()) row("Summary", "摘要", c.summary());
  if (!c.related_case().empty()) row("Related case", "相關個案", c.related_case());
  for (const std::string& other : related_here) row("Related case", "相關個案", other + Pick(lang, " (names this one)", "（關連本案）"));
  const model::Person& p = c.person();
  if (!c.recorded() || p.ByteSizeLong() > 0) row("Person", "當事人", PersonName(p));
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

  if (c.task_size() == 0 && c.recorded()) return;  // an earlier record has none
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


void PrintTimeline(std::ostream& out, const model::CaseState& c,
                   const std::vector<model::Event>& events, Labels& l) {
  const Lang lang = l.lang();
  out << c.number() << "  " << l.Type(c) << "  " << PersonName(c.person()) << "  ["
      << l.State(c, c.state()) << ", " << l.Status(c.status()) << "]\n";
  TextTable t({Pick(lang, "Time (UTC+8)", "時間（UTC+8）"), Pick(lang, "By", "經辦"),
               Pick(lang, "What", "事項")});
  const model::Event* previous = nullptr;
  for (const auto& e : events) {
    if (ShownInTimeline(previous, e)) t.AddRow({When(e.at()), e.actor(), DescribeEvent(c, e, l)});
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
  if (reply.has_imported()) {
    const auto& i = reply.imported();
    const bool cases = i.kind() == model::IMPORT_CASES;
    out << Pick(lang, "Imported ", "已輸入 ") << i.rows()
        << (cases ? Pick(lang, " finished case(s)", " 宗已完結個案") : Pick(lang, " contact(s)", " 人次來電及到訪"))
        << Pick(lang, " from ", "，來自 ") << i.file_name();
    if (cases) {
      out << Pick(lang, " (first ", "（首宗 ") << i.first_case() << Pick(lang, ", last ", "，末宗 ")
          << i.last_case() << Pick(lang, ")", "）");
    }
    out << Pick(lang, ".\nThey are counted in `dispatch report year`; the file (its cells' SHA-256 ",
                "。\n已計入 `dispatch report year`；此檔案（內容 SHA-256 ")
        << i.sha256().substr(0, 16)
        << Pick(lang, "…) will not be imported again.\n", "…）不會再次輸入。\n");
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
  if (reply.has_contact()) {
    const model::Contact& k = reply.contact();
    out << Pick(lang, "Contact ", "來電／到訪紀錄 ") << k.id() << Pick(lang, " logged: ", " 已記錄：")
        << k.centre() << ", " << model::ChannelName(k.channel(), lang) << ", " << k.category()
        << (k.legal_advice() ? Pick(lang, ", legal advice", "，法律諮詢") : "")
        << (k.case_number().empty() ? "" : " → " + k.case_number()) << '\n';
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
    const bool shown = ShownInTimeline(previous, e);
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
      out << c.number() << ": " << DescribeEvent(c, e, l) << '\n';
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

void PrintCategories(std::ostream& out, const model::CategoryList& list, Lang lang) {
  TextTable t({Pick(lang, "Group", "組別"), Pick(lang, "Code", "代號"), Pick(lang, "Category", "類別"), ""});
  for (const model::CategoryGroup& g : list.group()) {
    for (const model::Category& c : list.category()) {
      if (c.group() != g.code()) continue;
      t.AddRow({model::Localize(g.label(), lang, g.code()), c.code(),
                model::Localize(c.label(), lang, c.code()),
                c.retired() ? Pick(lang, "retired", "已停用") : ""});
    }
  }
  t.Print(out);
}

void PrintContacts(std::ostream& out, const std::vector<model::Contact>& contacts,
                   const model::CategoryList& categories, Lang lang) {
  if (contacts.empty()) {
    out << Pick(lang, "No contacts.\n", "沒有來電或到訪紀錄。\n");
    return;
  }
  std::map<std::string, std::string> label;
  for (const model::Category& c : categories.category()) {
    label[c.code()] = model::Localize(c.label(), lang, c.code());
  }
  TextTable t({"#", Pick(lang, "When", "時間"), Pick(lang, "Centre", "中心"), Pick(lang, "How", "方式"),
               Pick(lang, "Category", "類別"), Pick(lang, "Legal", "法律諮詢"), Pick(lang, "Case", "個案"),
               Pick(lang, "By", "記錄人"), Pick(lang, "Note", "備註")});
  for (const model::Contact& k : contacts) {
    const auto it = label.find(k.category());
    t.AddRow({std::to_string(k.id()), When(k.at()), k.centre(), model::ChannelName(k.channel(), lang),
              it == label.end() ? k.category() : it->second,
              k.legal_advice() ? Pick(lang, "yes", "是") : "", k.case_number(), k.logged_by(),
              Truncate(k.note(), 40)});
  }
  t.Print(out);
}

void PrintJournalAudit(std::ostream& out, const model::JournalAudit& a, Lang lang) {
  const bool zh = lang == Lang::kZhHant;
  const std::string rows = std::to_string(a.events());
  if (!a.intact()) {
    if (zh) {
      out << "日誌與本系統寫入的不符：首個問題之前的 " << rows << " 行核對無誤。\n"
          << a.fault().what().zh_hant() << "\n";
    } else {
      out << "Journal NOT as dispatch wrote it: " << rows
          << " row(s) checked out before the first fault.\n"
          << a.fault().what().en() << "\n";
    }
    return;
  }
  const std::string head = std::to_string(a.head_row()) + ":" + a.head_link();
  if (zh) {
    out << "日誌完整：共 " << rows << " 行，每行均與前一行鏈結相符。\n";
  } else {
    out << "Journal intact: " << rows << " row(s), each linked to the one before it.\n";
  }
  if (a.head_row() == 0) return;
  if (zh) {
    out << "鏈首：" << head << "\n請把鏈首連同今日日期保存在資料庫以外；日後以 "
        << "`dispatch audit verify --head " << head << "` 可查證截至該行的紀錄有否被改寫。\n";
  } else {
    out << "Head: " << head << "\nKeep the head, with today's date, outside the database: "
        << "`dispatch audit verify --head " << head
        << "` later shows whether anything up to it was rewritten.\n";
  }
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

namespace {

// How many categories the terminal lists before summing the rest.
constexpr int kTopCategories = 10;

// The headers of a year's count and of each compared year's count and change.
std::vector<std::string> YearHeaders(const model::YearReport& r, std::vector<std::string> first,
                                     Lang lang) {
  first.push_back(std::to_string(r.year()));
  for (const int y : r.compared()) {
    first.push_back(std::to_string(y));
    first.push_back(Pick(lang, "Change %", "變幅 %"));
  }
  return first;
}

void AddEarlier(std::vector<std::string>& row,
                const google::protobuf::RepeatedPtrField<model::YearCount>& earlier) {
  for (const auto& e : earlier) {
    row.push_back(std::to_string(e.count()));
    row.push_back(Or(e.change(), "-"));
  }
}

void PrintTotals(std::ostream& out, const model::YearReport& r, Lang lang) {
  TextTable t(YearHeaders(r, {""}, lang));
  auto row = [&](const char* name, const model::Tally& tally) {
    std::vector<std::string> cells = {name, std::to_string(tally.total())};
    AddEarlier(cells, tally.earlier());
    t.AddRow(std::move(cells));
  };
  row(Pick(lang, "Contacts", "人次"), r.contacts());
  row(Pick(lang, "Cases", "個案"), r.cases());
  if (!r.legal_only()) {
    row(Pick(lang, "Legal-advice contacts", "法律諮詢人次"), r.legal_contacts());
    row(Pick(lang, "Legal-advice cases", "法律諮詢個案"), r.legal_cases());
  }
  t.Print(out);
}

// The top categories with share and year-on-year; the rest on one line.
void PrintCategories(std::ostream& out, const model::YearReport& r, const model::Tally& tally,
                     const char* title, Lang lang) {
  out << '\n' << title << '\n';
  if (tally.category_size() == 0) {
    out << Pick(lang, "None counted.\n", "沒有紀錄。\n");
    return;
  }
  std::vector<std::string> headers = YearHeaders(r, {Pick(lang, "Category", "類別")}, lang);
  headers.insert(headers.begin() + 2, Pick(lang, "Share %", "佔比 %"));
  TextTable t(headers);
  int64_t rest = 0;
  for (int i = 0; i < tally.category_size(); ++i) {
    const model::CategoryCount& c = tally.category(i);
    if (i >= kTopCategories) {
      rest += c.count();
      continue;
    }
    std::vector<std::string> cells = {model::Localize(c.label(), lang, c.category()),
                                      std::to_string(c.count()), c.share()};
    AddEarlier(cells, c.earlier());
    t.AddRow(std::move(cells));
  }
  t.Print(out);
  if (tally.category_size() > kTopCategories) {
    out << Pick(lang, "Other categories: ", "其他類別：") << tally.category_size() - kTopCategories
        << Pick(lang, ", counting ", " 項，合計 ") << rest << '\n';
  }
  out << Pick(lang, "Total ", "合計 ") << tally.total()
      << Pick(lang, "; shares add up to ", "；佔比合計 ") << tally.shares_sum() << '\n';
}

void PrintByCentre(std::ostream& out, const model::YearReport& r, Lang lang) {
  out << '\n' << Pick(lang, "By centre", "按中心") << '\n';
  TextTable t({Pick(lang, "Centre", "中心"), Pick(lang, "Contacts", "人次"),
               Pick(lang, "Cases", "個案"), Pick(lang, "Legal-advice contacts", "法律諮詢人次"),
               Pick(lang, "Legal-advice cases", "法律諮詢個案")});
  for (const auto& c : r.by_centre()) {
    t.AddRow({c.centre(), std::to_string(c.contacts()), std::to_string(c.cases()),
              std::to_string(c.legal_contacts()), std::to_string(c.legal_cases())});
  }
  t.Print(out);
}

void PrintByMonth(std::ostream& out, const model::YearReport& r, Lang lang) {
  out << '\n' << Pick(lang, "By month", "按月份") << '\n';
  TextTable t(
      {Pick(lang, "Month", "月份"), Pick(lang, "Contacts", "人次"), Pick(lang, "Cases", "個案")});
  for (const auto& m : r.by_month()) {
    t.AddRow({std::to_string(m.month()), std::to_string(m.contacts()), std::to_string(m.cases())});
  }
  t.Print(out);
}

}  // namespace

void PrintYearReport(std::ostream& out, const model::YearReport& r, Lang lang) {
  out << dispatch::YearReportTitle(r, lang) << '\n';
  if (model::IsSet(r.made_at())) out << Pick(lang, "Made ", "製作於 ") << When(r.made_at()) << '\n';
  out << '\n';
  PrintTotals(out, r, lang);
  PrintCategories(out, r, r.contacts(), Pick(lang, "Contacts by category", "人次（按類別）"), lang);
  PrintCategories(out, r, r.cases(), Pick(lang, "Cases by category", "個案（按類別）"), lang);
  PrintByCentre(out, r, lang);
  PrintByMonth(out, r, lang);
  if (!r.legal_only()) {
    PrintCategories(out, r, r.legal_contacts(),
                    Pick(lang, "Legal-advice contacts by category", "法律諮詢人次（按類別）"),
                    lang);
    PrintCategories(out, r, r.legal_cases(),
                    Pick(lang, "Legal-advice cases by category", "法律諮詢個案（按類別）"), lang);
  }
  out << '\n' << model::Localize(r.rounding(), lang) << '\n';
}

void PrintServiceFigures(std::ostream& out, const model::ServiceFigures& f, Lang lang) {
  const std::string year = std::to_string(f.year());
  const std::string where = f.centre().empty() ? Pick(lang, "the network", "整個網絡") : f.centre();
  out << Pick(lang, "Service in ", "") << year << Pick(lang, " — ", " 年服務 — ") << where << '\n';
  if (model::IsSet(f.made_at())) out << Pick(lang, "Made ", "製作於 ") << When(f.made_at()) << '\n';

  out << '\n' << Pick(lang, "Deadlines, by the centre working the case", "時限（按負責中心）") << '\n';
  if (f.deadline_size() == 0) {
    out << Pick(lang, "None met or missed.\n", "沒有達成或逾期的時限。\n");
  } else {
    TextTable t({Pick(lang, "Centre", "中心"), Pick(lang, "Case type", "個案類型"),
                 Pick(lang, "Stage", "階段"), Pick(lang, "Met", "達成"),
                 Pick(lang, "Missed", "逾期"), Pick(lang, "Missed %", "逾期 %")});
    for (const model::DeadlineFigure& d : f.deadline()) {
      t.AddRow({d.centre(), d.type(), model::Localize(d.stage_label(), lang, d.stage()),
                std::to_string(d.met()), std::to_string(d.missed()),
                dispatch::FormatTenths(dispatch::ShareTenths(d.missed(), d.met() + d.missed()))});
    }
    t.Print(out);
  }

  out << '\n' << Pick(lang, "Time to accept a handoff, by the centre asked", "接受轉介所需時間（按受託中心）")
      << '\n';
  if (f.handoff_size() == 0) {
    out << Pick(lang, "None accepted.\n", "沒有接受的轉介。\n");
  } else {
    TextTable t({Pick(lang, "Centre", "中心"), Pick(lang, "Accepted", "已接受"),
                 Pick(lang, "Median", "中位數"), Pick(lang, "90th percentile", "第 90 百分位")});
    for (const model::HandoffFigure& h : f.handoff()) {
      t.AddRow({h.centre(), std::to_string(h.accepted()),
                model::FormatDuration(model::Millis(h.median_ms())),
                model::FormatDuration(model::Millis(h.p90_ms()))});
    }
    t.Print(out);
  }

  out << '\n' << Pick(lang, "Time paused, by reason", "暫停時間（按原因）") << '\n';
  if (f.paused_size() == 0) {
    out << Pick(lang, "No pause ended.\n", "沒有已結束的暫停。\n");
  } else {
    TextTable t({Pick(lang, "Centre", "中心"), Pick(lang, "Reason", "原因"),
                 Pick(lang, "Pauses", "次數"), Pick(lang, "In all", "合計")});
    for (const model::PauseFigure& p : f.paused()) {
      t.AddRow({p.centre(), model::Localize(p.reason_label(), lang, p.reason()),
                std::to_string(p.pauses()), model::FormatDuration(model::Millis(p.paused_ms()))});
    }
    t.Print(out);
  }

  out << '\n' << Pick(lang, "Cases past their whole-case deadline", "超過整體時限的個案") << '\n';
  if (f.past_case_deadline_size() == 0) {
    out << Pick(lang, "None.\n", "沒有。\n");
  } else {
    TextTable t({Pick(lang, "Centre", "中心"), Pick(lang, "Cases", "個案")});
    for (const model::CentreCases& c : f.past_case_deadline()) {
      t.AddRow({c.centre(), std::to_string(c.cases())});
    }
    t.Print(out);
  }
  out << '\n'
      << Pick(lang,
              "Each figure is counted in the year its outcome fell in (Hong Kong time): a deadline "
              "when met or missed, a handoff when accepted, a pause when it ended.\n",
              "各項數字按結果發生的年份（香港時間）計算：時限按達成或逾期之時，轉介按接受之時，暫停按結束之時。\n");
}

}  // namespace cli
