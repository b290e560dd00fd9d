#include "dispatch/reads.h"

#include <algorithm>
#include <cctype>

#include "dispatch/audit.h"
#include "dispatch/describe.h"
#include "dispatch/engine.h"
#include "model/proto/case.pb.h"
#include "model/proto/directory.pb.h"
#include "model/proto/event.pb.h"
#include "model/proto/notification.pb.h"
#include "model/proto/workflow.pb.h"

namespace dispatch {

using model::Result;
using model::Status;
using Answer = std::unique_ptr<google::protobuf::Message>;

std::string ReadRequest::Get(const std::string& name) const {
  auto it = query.find(name);
  return it == query.end() ? "" : it->second;
}

bool ReadRequest::Flag(const std::string& name) const {
  const std::string v = Get(name);
  return v == "1" || v == "true" || v == "yes";
}

namespace {

std::string Encoded(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

Result<std::optional<model::CaseStatus>> ParseCaseStatus(const std::string& s) {
  if (s.empty() || s == "open") return std::optional<model::CaseStatus>(model::CASE_OPEN);
  if (s == "closed") return std::optional<model::CaseStatus>(model::CASE_CLOSED);
  if (s == "cancelled") return std::optional<model::CaseStatus>(model::CASE_CANCELLED);
  if (s == "all") return std::optional<model::CaseStatus>();
  return Status::InvalidArgument("status takes open, closed, cancelled or all",
                                 "status 只可為 open、closed、cancelled 或 all")
      .WithField("status");
}

Result<std::optional<model::DeliveryStatus>> ParseDeliveryStatus(const std::string& s) {
  if (s.empty() || s == "all") return std::optional<model::DeliveryStatus>();
  if (s == "pending") return std::optional<model::DeliveryStatus>(model::DELIVERY_PENDING);
  if (s == "done") return std::optional<model::DeliveryStatus>(model::DELIVERY_DONE);
  if (s == "dead") return std::optional<model::DeliveryStatus>(model::DELIVERY_DEAD);
  return Status::InvalidArgument("status takes pending, done, dead or all",
                                 "status 只可為 pending、done、dead 或 all")
      .WithField("status");
}

Result<int> ParseLimit(const std::string& s, int fallback) {
  if (s.empty()) return fallback;
  if (s.size() > 6 || s.find_first_not_of("0123456789") != std::string::npos || std::stoi(s) < 1) {
    return Status::InvalidArgument("limit takes a number from 1 to 1000",
                                   "limit 須為 1 至 1000 之間的數字")
        .WithField("limit");
  }
  return std::min(std::stoi(s), 1000);
}

// `?before=ID`: a row id; 0 when not given.
Result<int64_t> ParseId(const std::string& s, const std::string& name) {
  if (s.empty()) return int64_t{0};
  if (s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos) {
    return Status::InvalidArgument(name + " takes a number", name + " 須為數字").WithField(name);
  }
  return static_cast<int64_t>(std::stoll(s));
}

// "2026": a year the work can be in.
Result<int> ParseYear(const std::string& s, const std::string& name) {
  if (s.size() != 4 || s.find_first_not_of("0123456789") != std::string::npos || s < "1900") {
    return Status::InvalidArgument(name + " takes a year such as 2026, not '" + s + "'",
                                   name + " 須為年份，例如 2026")
        .WithField(name);
  }
  return std::stoi(s);
}

// Non-empty parts of `s` between `sep`s.
std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  for (size_t start = 0; start <= s.size();) {
    const size_t end = std::min(s.find(sep, start), s.size());
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// `?year=2026`: the year in Hong Kong time, as [from, until).
Result<std::pair<model::Instant, model::Instant>> YearSpan(const std::string& s) {
  ASSIGN_OR_RETURN(const int year, ParseYear(s, "year"));
  return model::HongKongYearSpan(year);
}

// What a number of the yearly report counted, to list the rows behind it:
// `?year=2026[&month=3]` (Hong Kong time), `category=CODE` or `uncounted=1`
// (none said), `legal=1`.
struct Counted {
  model::Instant from{};
  model::Instant until{};
  std::optional<std::string> category;
  std::optional<bool> legal_advice;
};

Result<Counted> ParseCounted(const ReadRequest& r) {
  Counted c;
  const std::string year = r.Get("year");
  const std::string month = r.Get("month");
  if (!year.empty()) {
    ASSIGN_OR_RETURN(std::tie(c.from, c.until), YearSpan(year));
  }
  if (!month.empty()) {
    const int m = month.size() <= 2 && month.find_first_not_of("0123456789") == std::string::npos
                      ? std::stoi(month)
                      : 0;
    if (year.empty() || m < 1 || m > 12) {
      return Status::InvalidArgument("month takes 1 to 12, with a year",
                                     "month 須為 1 至 12，並須註明年份")
          .WithField("month");
    }
    using std::chrono::months;
    const auto first = std::chrono::year(std::stoi(year)) / std::chrono::month(m) / 1;
    c.from = model::HongKongMidnight(std::chrono::sys_days(first));
    c.until = model::HongKongMidnight(std::chrono::sys_days(first + months(1)));
  }
  if (r.Flag("uncounted")) {
    c.category = "";
  } else if (const std::string code = r.Get("category"); !code.empty()) {
    c.category = code;
  }
  if (r.Flag("legal")) c.legal_advice = true;
  return c;
}

Result<Answer> Cases(Dispatcher& d, const Actor& actor, const ReadRequest& r) {
  ASSIGN_OR_RETURN(auto status, ParseCaseStatus(r.Get("status")));
  ASSIGN_OR_RETURN(int limit, ParseLimit(r.Get("limit"), 100));
  // Newest first; a page starts after the case number `after`. One more
  // than the page is read to know whether there is a next one.
  CaseFilter filter;
  filter.centre = r.Get("centre");
  filter.status = status;
  filter.type = r.Get("type");
  filter.after = r.Get("after");
  filter.limit = limit + 1;
  filter.related_to = r.Get("related");
  filter.waiting = r.Flag("waiting");
  ASSIGN_OR_RETURN(const Counted counted, ParseCounted(r));
  filter.opened_from = counted.from;
  filter.opened_until = counted.until;
  filter.category = counted.category;
  filter.legal_advice = counted.legal_advice;
  if (filter.waiting && !filter.after.empty()) {
    return Status::InvalidArgument("the cases waiting for a day come in one list, soonest first; "
                                   "ask without after",
                                   "等候某日的個案會一次列出，最早的排在最前；請不要加上 after")
        .WithField("after");
  }
  ASSIGN_OR_RETURN(auto cases, d.ListCases(actor, filter));
  auto list = std::make_unique<model::CaseList>();
  for (auto& c : cases) {
    if (list->case_state_size() == limit && !filter.waiting) {  // the waiting come in one list
      list->set_next_after(list->case_state(limit - 1).number());
      break;
    }
    *list->add_case_state() = std::move(c);
  }
  return Answer(std::move(list));
}

template <class List, class Item>
Answer ListOf(std::vector<Item> items, Item* (List::*add)()) {
  auto list = std::make_unique<List>();
  for (auto& i : items) *((*list).*add)() = std::move(i);
  return Answer(std::move(list));
}

Status NothingAt(const ReadRequest& r) {
  return Status::NotFound("nothing to read at " + r.Target(), "找不到 " + r.Target() + " 的內容");
}

bool IsHex(std::string_view s) {
  return !s.empty() && s.size() <= 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

std::string ReadRequest::Target() const {
  std::string out = "/v1";
  for (const auto& p : path) out += "/" + Encoded(p);
  char sep = '?';
  for (const auto& [name, value] : query) {
    out += sep + Encoded(name) + "=" + Encoded(value);
    sep = '&';
  }
  return out;
}

std::string PercentDecoded(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() &&
               std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

bool NeedsActor(const ReadRequest& request) {
  return request.path.empty() || (request.path[0] != "workflows" &&
                                  request.path[0] != "definitions" && request.path[0] != "categories");
}

bool IsCatalogRead(const ReadRequest& r) {
  if (r.path.size() == 1 && r.path[0] == "categories") return true;
  return !r.path.empty() && r.path[0] == "workflows" && r.path.size() <= 2;
}

Result<Answer> ReadCatalog(const model::WorkflowCatalog& catalog, const ReadRequest& r) {
  if (r.path.size() == 1 && r.path[0] == "categories") {
    if (catalog.categories().empty()) {
      // The server's files, not the request, are at fault.
      return Status::Unavailable(
          "no categories are loaded: " + catalog.CategoriesProblem(),
          "系統未載入類別清單（categories.textproto 缺失或有錯）；請通知系統管理員");
    }
    return Answer(std::make_unique<model::CategoryList>(catalog.categories().list()));
  }
  if (r.path.size() == 1 && r.path[0] == "workflows") {
    return Answer(std::make_unique<model::WorkflowList>(catalog.Summaries()));
  }
  if (r.path.size() == 2 && r.path[0] == "workflows") {
    const auto* def = catalog.Latest(r.path[1]);
    if (def == nullptr) {
      const Status why = catalog.NotInUse(r.path[1]);
      return Status(why.code() == model::Code::kInvalidArgument ? model::Code::kNotFound : why.code(),
                    why.message(), why.message_zh());
    }
    return Answer(std::make_unique<model::WorkflowDefinition>(def->definition));
  }
  return NothingAt(r);
}

// The case's journal, with the lines people read in both languages.
model::Timeline TimelineOf(Dispatcher& d, const model::CaseState& c, std::vector<model::Event> events) {
  const model::LoadedDefinition* def = nullptr;
  if (auto found = d.DefinitionOf(c); found.ok()) def = *found;
  const DefinitionSource source = [def](const model::DefinitionRef&) {
    return def != nullptr ? &def->definition : nullptr;
  };
  Labels en(source, model::Lang::kEn, d.clock().Now());
  Labels zh(source, model::Lang::kZhHant, d.clock().Now());
  model::Timeline out;
  const model::Event* previous = nullptr;
  for (const model::Event& e : events) {
    if (ShownInTimeline(previous, e)) {
      model::TimelineLine& line = *out.add_line();
      line.set_seq(e.seq());
      *line.mutable_at() = e.at();
      line.set_actor(e.actor());
      line.mutable_what()->set_en(DescribeEvent(c, e, en));
      line.mutable_what()->set_zh_hant(DescribeEvent(c, e, zh));
    }
    previous = &e;
  }
  for (model::Event& e : events) *out.add_event() = std::move(e);
  return out;
}

// The network at a glance: per centre, from the same lists the console
// links each number to.
Result<Answer> Network(Dispatcher& d, const Actor& actor) {
  if (!SeesEverything(actor)) {
    return Status::PermissionDenied(
        "the network's figures are for supervisors; " + actor.Describe() +
            " sees their centre's board",
        "網絡概覽只供主管查看；" + actor.DescribeZh() + "可查看所屬中心的工作板");
  }
  const model::Instant now = d.clock().Now();
  auto out = std::make_unique<model::NetworkFigures>();
  *out->mutable_at() = model::ToProto(now);
  std::map<std::string, model::CentreFigures> by;
  ASSIGN_OR_RETURN(auto centres, d.ListCentres(actor));
  for (const auto& c : centres) by[c.code()].set_centre(c.code());
  CaseFilter open;
  open.status = model::CASE_OPEN;
  ASSIGN_OR_RETURN(auto cases, d.ListCases(actor, open));
  for (const auto& c : cases) {
    model::CentreFigures& f = by[c.centre()];
    f.set_open_cases(f.open_cases() + 1);
    const bool missed = std::any_of(c.timer().begin(), c.timer().end(),
                                    [](const model::Timer& t) { return t.breached(); });
    if (missed) f.set_missed_deadlines(f.missed_deadlines() + 1);
  }
  TaskFilter tasks_open;
  ASSIGN_OR_RETURN(auto tasks, d.ListTasks(actor, tasks_open));
  for (const auto& v : tasks) {
    model::CentreFigures& f = by[v.task().centre()];
    f.set_open_tasks(f.open_tasks() + 1);
    if (!v.task().paused() && model::IsSet(v.task().due_at()) &&
        model::FromProto(v.task().due_at()) < now) {
      f.set_overdue_tasks(f.overdue_tasks() + 1);
    }
  }
  ASSIGN_OR_RETURN(auto handoffs, d.ListHandoffs(actor, /*pending_only=*/true));
  for (const auto& h : handoffs) {
    model::CentreFigures& f = by[h.handoff().to_centre()];
    f.set_handoffs_waiting(f.handoffs_waiting() + 1);
    if (!f.has_oldest_handoff_since() ||
        model::FromProto(h.handoff().requested_at()) < model::FromProto(f.oldest_handoff_since())) {
      *f.mutable_oldest_handoff_since() = h.handoff().requested_at();
    }
  }
  ASSIGN_OR_RETURN(auto shifts, d.OnDuty(actor));
  for (const auto& s : shifts) by[s.centre()].add_on_duty(s.user());
  ASSIGN_OR_RETURN(const Backlog backlog, d.store().Read().CountBacklog());
  if (auto dead = backlog.outbox.find(model::DELIVERY_DEAD); dead != backlog.outbox.end()) {
    out->set_dead_letters(dead->second);
  }
  for (auto& [code, f] : by) *out->add_centre() = std::move(f);
  return Answer(std::move(out));
}

Result<Answer> Read(Dispatcher& d, const Actor& actor, const ReadRequest& r) {
  const auto& p = r.path;
  const std::string resource = p.empty() ? "" : p[0];
  if (resource == "cases" && p.size() == 1) return Cases(d, actor, r);
  if (resource == "cases" && p.size() == 2) {
    ASSIGN_OR_RETURN(auto c, d.GetCase(actor, p[1]));
    return Answer(std::make_unique<model::CaseState>(std::move(c)));
  }
  if (resource == "cases" && p.size() == 3 && p[2] == "timeline") {
    ASSIGN_OR_RETURN(auto c, d.GetCase(actor, p[1]));
    ASSIGN_OR_RETURN(auto events, d.Timeline(actor, p[1]));
    return Answer(std::make_unique<model::Timeline>(TimelineOf(d, c, std::move(events))));
  }
  if (resource == "cases" && p.size() == 3 && p[2] == "journal") {
    ASSIGN_OR_RETURN(auto journal, ExportCaseJournal(d, actor, p[1]));
    return Answer(std::make_unique<model::CaseJournal>(std::move(journal)));
  }
  if (resource == "cases" && p.size() == 3 && p[2] == "next") {
    ASSIGN_OR_RETURN(auto c, d.GetCase(actor, p[1]));
    ASSIGN_OR_RETURN(const model::LoadedDefinition* def, d.DefinitionOf(c));
    return Answer(std::make_unique<model::PossibleEvents>(
        PossibleEvents(c, def->definition, actor, d.clock().Now())));
  }
  if (resource == "reports" && p.size() == 3 && p[1] == "year") {
    YearReportRequest req;
    ASSIGN_OR_RETURN(req.year, ParseYear(p[2], "the year"));
    req.centre = r.Get("centre");
    req.legal_only = r.Flag("legal");
    for (const std::string& y : Split(r.Get("compare"), ',')) {
      ASSIGN_OR_RETURN(const int compared, ParseYear(y, "compare"));
      req.compared.push_back(compared);
    }
    ASSIGN_OR_RETURN(auto report, d.YearReport(actor, std::move(req)));
    return Answer(std::make_unique<model::YearReport>(std::move(report)));
  }
  if (resource == "reports" && p.size() == 3 && p[1] == "service") {
    ASSIGN_OR_RETURN(const int year, ParseYear(p[2], "the year"));
    ASSIGN_OR_RETURN(auto figures, d.ServiceFigures(actor, year, r.Get("centre")));
    return Answer(std::make_unique<model::ServiceFigures>(std::move(figures)));
  }
  if (p.size() != 1 && resource != "workflows" && resource != "definitions") {
    return NothingAt(r);
  }
  if (resource == "tasks") {
    TaskFilter f;
    f.centre = r.Get("centre");
    f.assignee = r.Flag("mine") ? actor.user : "";
    f.case_number = r.Get("case");
    f.open_only = !r.Flag("all");
    ASSIGN_OR_RETURN(f.limit, ParseLimit(r.Get("limit"), 500));
    ASSIGN_OR_RETURN(auto tasks, d.ListTasks(actor, f));
    return ListOf(std::move(tasks), &model::TaskList::add_task);
  }
  if (resource == "handoffs") {
    ASSIGN_OR_RETURN(auto handoffs, d.ListHandoffs(actor, !r.Flag("all")));
    return ListOf(std::move(handoffs), &model::HandoffList::add_handoff);
  }
  if (resource == "inbox") {
    ASSIGN_OR_RETURN(int limit, ParseLimit(r.Get("limit"), 100));
    ASSIGN_OR_RETURN(auto items, d.ListInbox(actor, r.Flag("unread"), limit));
    return ListOf(std::move(items), &model::InboxList::add_item);
  }
  if (resource == "outbox") {
    ASSIGN_OR_RETURN(auto status, ParseDeliveryStatus(r.Get("status")));
    ASSIGN_OR_RETURN(int limit, ParseLimit(r.Get("limit"), 50));
    ASSIGN_OR_RETURN(auto items, d.ListOutbox(actor, status, limit));
    return ListOf(std::move(items), &model::NotificationList::add_notification);
  }
  if (resource == "network") return Network(d, actor);
  if (resource == "audit") {
    std::optional<KeptHead> head;
    if (const std::string kept = r.Get("head"); !kept.empty()) {
      ASSIGN_OR_RETURN(head, ParseKeptHead(kept));
    }
    ASSIGN_OR_RETURN(auto audit, AuditJournal(d, actor, head));
    return Answer(std::make_unique<model::JournalAudit>(std::move(audit)));
  }
  if (resource == "contacts") {
    ContactFilter f;
    f.centre = r.Get("centre");
    ASSIGN_OR_RETURN(const Counted counted, ParseCounted(r));
    f.from = counted.from;
    f.until = counted.until;
    f.category = counted.category;
    f.legal_advice = counted.legal_advice;
    ASSIGN_OR_RETURN(f.limit, ParseLimit(r.Get("limit"), 500));
    ASSIGN_OR_RETURN(f.before_id, ParseId(r.Get("before"), "before"));
    ASSIGN_OR_RETURN(auto contacts, d.ListContacts(actor, f));
    return ListOf(std::move(contacts), &model::ContactList::add_contact);
  }
  if (resource == "duty") {
    ASSIGN_OR_RETURN(auto shifts, d.OnDuty(actor));
    return ListOf(std::move(shifts), &model::ShiftList::add_shift);
  }
  if (resource == "users") {
    ASSIGN_OR_RETURN(auto users, d.ListUsers(actor));
    return ListOf(std::move(users), &model::UserList::add_user);
  }
  if (resource == "centres") {
    ASSIGN_OR_RETURN(auto centres, d.ListCentres(actor));
    return ListOf(std::move(centres), &model::CentreList::add_centre);
  }
  if (resource == "keys") {
    ASSIGN_OR_RETURN(auto keys, d.ListKeys(actor, r.Get("user")));
    return ListOf(std::move(keys), &model::AccessKeyList::add_key);
  }
  if (IsCatalogRead(r)) return ReadCatalog(d.catalog(), r);
  if (resource == "definitions" && p.size() == 2) {
    if (!IsHex(p[1])) return Status::NotFound("no definition with that hash", "找不到該流程定義");
    ASSIGN_OR_RETURN(const auto* def, d.DefinitionByHash(p[1]));
    return Answer(std::make_unique<model::WorkflowDefinition>(def->definition));
  }
  return NothingAt(r);
}

}  // namespace dispatch
