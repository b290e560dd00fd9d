#include "dispatch/engine.h"

#include <algorithm>
#include <map>

#include "model/duration.h"
#include "model/person_validation.h"
#include "model/roles.h"

namespace dispatch {

using model::CaseState;
using model::Command;
using model::Event;
using model::Result;
using model::Status;
using model::Task;

namespace {

using Fields = std::map<std::string, std::string>;

Fields Sorted(const google::protobuf::Map<std::string, std::string>& m) {
  return Fields(m.begin(), m.end());
}

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string JoinedList(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (const auto& i : items) {
    if (!out.empty()) out += sep;
    out += i;
  }
  return out;
}

Status UnknownCentre(std::string_view code, const std::set<std::string>& centres) {
  return Status::InvalidArgument("unknown centre " + Quoted(code) + "; centres are " +
                                 JoinedList({centres.begin(), centres.end()}));
}

// Builds events for one command: numbering, time and actor come from here.
class EventSink {
 public:
  EventSink(std::string case_number, int64_t last_seq, const DecideContext& ctx)
      : number_(std::move(case_number)), next_seq_(last_seq + 1), ctx_(ctx) {}

  // The reference is valid until the next Add.
  Event& Add() {
    Event& e = events_.emplace_back();
    e.set_case_number(number_);
    e.set_seq(next_seq_++);
    *e.mutable_at() = model::ToProto(ctx_.now);
    e.set_actor(ctx_.actor.user);
    return e;
  }
  int64_t next_seq() const { return next_seq_; }
  std::vector<Event> Take() { return std::move(events_); }

 private:
  std::string number_;
  int64_t next_seq_;
  const DecideContext& ctx_;
  std::vector<Event> events_;
};

Status CheckFields(const model::WorkflowDefinition& def, const Fields& fields) {
  for (const auto& [name, value] : fields) {
    const model::FieldDef* f = model::FindField(def, name);
    if (f == nullptr) {
      std::vector<std::string> known;
      for (const auto& fd : def.field()) known.push_back(fd.name());
      return Status::InvalidArgument("unknown field " + Quoted(name) + " for a " + def.name() +
                                     " case; its fields are: " + JoinedList(known));
    }
    if (value.empty()) return Status::InvalidArgument("field " + Quoted(name) + " is empty");
    if (f->one_of_size() > 0 &&
        std::find(f->one_of().begin(), f->one_of().end(), value) == f->one_of().end()) {
      return Status::InvalidArgument(
          "field " + Quoted(name) + " cannot be " + Quoted(value) + "; use one of: " +
          JoinedList(std::vector<std::string>(f->one_of().begin(), f->one_of().end())));
    }
  }
  return Status::Ok();
}

// Creates the tasks `state` starts with, as entered by the event numbered `entry`.
void CreateTasks(const model::StateDef& state, const CaseState* current, int64_t entry,
                 const DecideContext& ctx, EventSink& sink) {
  int next = 1;
  if (current != nullptr) {
    for (const Task& t : current->task()) next = std::max(next, t.seq() + 1);
  }
  for (const model::TaskTemplate& tmpl : state.task()) {
    Task* t = sink.Add().mutable_task_created()->mutable_task();
    t->set_seq(next++);
    t->set_name(tmpl.name());
    *t->mutable_label() = tmpl.label();
    t->set_role(tmpl.role());
    t->set_state(state.name());
    t->set_status(model::TASK_OPEN);
    *t->mutable_created_at() = model::ToProto(ctx.now);
    if (!tmpl.due_within().empty()) {
      auto within = model::ParseDuration(tmpl.due_within());  // validated at load
      if (within.ok()) *t->mutable_due_at() = model::ToProto(ctx.now + *within);
    }
    t->set_entry(entry);
  }
}

Status CheckOpen(const CaseState& c) {
  if (c.status() == model::CASE_OPEN) return Status::Ok();
  return Status::FailedPrecondition(
      "case " + c.number() + " is " + (c.status() == model::CASE_CLOSED ? "closed" : "cancelled") +
      "; nothing more can be done on it except notes");
}

// What keeps `guard` from holding, in words; empty when it holds.
std::vector<std::string> GuardFailures(const model::Guard& guard, const CaseState& c,
                                       const Fields& fields, const model::WorkflowDefinition& def,
                                       const Actor& actor) {
  std::vector<std::string> out;
  const auto& roles = guard.roles();
  if (!roles.empty() && actor.role != model::kSupervisor &&
      std::find(roles.begin(), roles.end(), actor.role) == roles.end()) {
    out.push_back("only a " + JoinedList({roles.begin(), roles.end()}, " or ") + " may do this");
  }
  for (const std::string& name : guard.tasks_done()) {
    const bool done = std::any_of(c.task().begin(), c.task().end(), [&](const Task& t) {
      return t.name() == name && t.entry() == c.state_entry_seq() &&
             t.status() == model::TASK_DONE;
    });
    if (done) continue;
    std::string label;
    if (const auto* s = model::FindState(def, c.state())) {
      for (const auto& t : s->task()) {
        if (t.name() == name) label = " (" + t.label().en() + ")";
      }
    }
    out.push_back("task " + Quoted(name) + label + " is not done");
  }
  for (const std::string& name : guard.fields_required()) {
    if (fields.count(name) == 0) out.push_back("field " + Quoted(name) + " is not set");
  }
  for (const model::FieldEquals& fe : guard.field_equals()) {
    auto it = fields.find(fe.field());
    if (it == fields.end() || it->second != fe.value()) {
      out.push_back("field " + Quoted(fe.field()) + " is not " + Quoted(fe.value()));
    }
  }
  return out;
}

Result<std::vector<Event>> DecideOpen(const model::OpenCase& cmd, const DecideContext& ctx) {
  const model::LoadedDefinition& def = *ctx.definition;
  if (ctx.centres.count(cmd.centre()) == 0) {
    return UnknownCentre(cmd.centre(), ctx.centres);
  }
  RETURN_IF_ERROR(CheckCanOpen(ctx.actor, cmd.centre()));
  model::Person person = cmd.person();
  RETURN_IF_ERROR(model::NormalizePerson(person));
  const Fields fields = Sorted(cmd.fields());
  RETURN_IF_ERROR(CheckFields(def.definition, fields));
  for (const std::string& name : def.definition.required_on_open()) {
    if (fields.count(name) == 0) {
      const auto* f = model::FindField(def.definition, name);
      return Status::InvalidArgument("a " + def.definition.name() + " case needs field " +
                                     Quoted(name) + " (" + f->label().en() + ") when it is opened");
    }
  }
  const model::StateDef* initial = model::FindState(def.definition, def.definition.initial_state());

  EventSink sink(ctx.new_case_number, 0, ctx);
  Event& opened = sink.Add();
  auto* o = opened.mutable_case_opened();
  o->set_type(def.definition.name());
  *o->mutable_definition() = def.Ref();
  o->set_centre(cmd.centre());
  *o->mutable_person() = person;
  o->mutable_fields()->insert(cmd.fields().begin(), cmd.fields().end());
  o->set_summary(cmd.summary());
  o->set_related_case(cmd.related_case());
  o->set_initial_state(initial->name());
  CreateTasks(*initial, nullptr, opened.seq(), ctx, sink);
  return sink.Take();
}

Result<std::vector<Event>> DecideFire(const CaseState& c, const model::FireEvent& cmd,
                                      const DecideContext& ctx) {
  RETURN_IF_ERROR(CheckOpen(c));
  RETURN_IF_ERROR(CheckCanWork(ctx.actor, c));
  const model::WorkflowDefinition& def = ctx.definition->definition;
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
    return Status::FailedPrecondition(
        "event " + Quoted(cmd.event()) + " is not possible while case " + c.number() + " is at " +
        Quoted(c.state()) + " (" + state->label().en() + "); possible here: " +
        (possible.empty() ? "none" : JoinedList(possible)));
  }
  const Fields given = Sorted(cmd.fields());
  RETURN_IF_ERROR(CheckFields(def, given));
  Fields merged = Sorted(c.fields());
  for (const auto& [k, v] : given) merged[k] = v;

  const model::Transition* chosen = nullptr;
  std::vector<std::string> reasons;
  for (const model::Transition* tr : candidates) {
    std::vector<std::string> failures = GuardFailures(tr->guard(), c, merged, def, ctx.actor);
    if (failures.empty()) {
      chosen = tr;
      break;
    }
    std::string why = JoinedList(failures, "; ");
    reasons.push_back(candidates.size() == 1 ? why : "to reach " + Quoted(tr->to()) + ": " + why);
  }
  if (chosen == nullptr) {
    const bool denied = candidates.size() == 1 && reasons[0].rfind("only a ", 0) == 0;
    std::string msg = "cannot " + Quoted(cmd.event()) + " on case " + c.number() + " yet: " +
                      JoinedList(reasons, " | ");
    return denied ? Status::PermissionDenied(msg) : Status::FailedPrecondition(msg);
  }

  EventSink sink(c.number(), c.version(), ctx);
  Event& moved = sink.Add();
  auto* t = moved.mutable_transitioned();
  t->set_event(cmd.event());
  t->set_from_state(c.state());
  t->set_to_state(chosen->to());
  t->mutable_fields()->insert(cmd.fields().begin(), cmd.fields().end());
  t->set_note(cmd.note());
  const int64_t entry = moved.seq();  // `moved` dangles once more events are added
  for (const Task& task : c.task()) {
    if (task.status() != model::TASK_OPEN) continue;
    auto* cancelled = sink.Add().mutable_task_cancelled();
    cancelled->set_seq(task.seq());
    cancelled->set_reason("the case left " + Quoted(c.state()));
  }
  CreateTasks(*model::FindState(def, chosen->to()), &c, entry, ctx, sink);
  return sink.Take();
}

Result<std::vector<Event>> DecideAssign(const CaseState& c, const model::AssignTask& cmd,
                                        const DecideContext& ctx) {
  RETURN_IF_ERROR(CheckOpen(c));
  RETURN_IF_ERROR(CheckCanAssign(ctx.actor, c));
  ASSIGN_OR_RETURN(const Task* task, FindOpenTask(c, cmd.task()));
  const std::string id = TaskId(c.number(), task->seq());
  if (ctx.assignee == nullptr) {
    return Status::NotFound("no user named " + Quoted(cmd.assignee()) +
                            "; `dispatch user list` shows who exists");
  }
  const model::User& who = *ctx.assignee;
  if (who.centre() != c.centre()) {
    return Status::FailedPrecondition("task " + id + " belongs to centre " + c.centre() +
                                      ", but " + who.name() + " works at " + who.centre() +
                                      "; give it to someone at " + c.centre());
  }
  if (who.role() != task->role() && who.role() != model::kSupervisor) {
    return Status::FailedPrecondition("task " + id + " is for a " + task->role() + ", and " +
                                      who.name() + " is a " + who.role());
  }
  if (task->assignee() == who.name()) {
    return Status::FailedPrecondition("task " + id + " is already assigned to " + who.name());
  }
  EventSink sink(c.number(), c.version(), ctx);
  auto* a = sink.Add().mutable_task_assigned();
  a->set_seq(task->seq());
  a->set_assignee(who.name());
  a->set_previous_assignee(task->assignee());
  return sink.Take();
}

Result<std::vector<Event>> DecideComplete(const CaseState& c, const model::CompleteTask& cmd,
                                          const DecideContext& ctx) {
  RETURN_IF_ERROR(CheckOpen(c));
  RETURN_IF_ERROR(CheckCanWork(ctx.actor, c));
  ASSIGN_OR_RETURN(const Task* task, FindOpenTask(c, cmd.task()));
  RETURN_IF_ERROR(CheckHoldsRole(ctx.actor, task->role(), "task " + TaskId(c.number(), task->seq())));
  EventSink sink(c.number(), c.version(), ctx);
  auto* done = sink.Add().mutable_task_completed();
  done->set_seq(task->seq());
  done->set_note(cmd.note());
  return sink.Take();
}

Result<std::vector<Event>> DecideNote(const CaseState& c, const model::AddNote& cmd,
                                      const DecideContext& ctx) {
  if (!CanRead(ctx.actor, c)) {
    return Status::PermissionDenied(ctx.actor.Describe() + " cannot see case " + c.number());
  }
  if (cmd.text().find_first_not_of(" \t\n") == std::string::npos) {
    return Status::InvalidArgument("the note is empty");
  }
  EventSink sink(c.number(), c.version(), ctx);
  sink.Add().mutable_note_added()->set_text(cmd.text());
  return sink.Take();
}

Status CheckReason(std::string_view reason, std::string_view what) {
  if (reason.find_first_not_of(" \t\n") == std::string_view::npos) {
    return Status::InvalidArgument(std::string(what) + " needs a reason (--reason)");
  }
  return Status::Ok();
}

Result<std::vector<Event>> DecideClose(const CaseState& c, const model::CloseCase& cmd,
                                       const DecideContext& ctx) {
  RETURN_IF_ERROR(CheckOpen(c));
  RETURN_IF_ERROR(CheckCanWork(ctx.actor, c));
  RETURN_IF_ERROR(CheckReason(cmd.reason(), "closing a case"));
  const model::WorkflowDefinition& def = ctx.definition->definition;
  const model::StateDef* state = model::FindState(def, c.state());
  if (state == nullptr || !state->terminal()) {
    std::vector<std::string> ends;
    for (const auto& s : def.state()) {
      if (s.terminal()) ends.push_back(s.name());
    }
    return Status::FailedPrecondition(
        "case " + c.number() + " is at " + Quoted(c.state()) +
        " and can be closed only when its work is finished (" + JoinedList(ends, " or ") +
        "); to stop work on it, cancel it with a reason");
  }
  EventSink sink(c.number(), c.version(), ctx);
  sink.Add().mutable_case_closed()->set_reason(cmd.reason());
  return sink.Take();
}

Result<std::vector<Event>> DecideCancel(const CaseState& c, const model::CancelCase& cmd,
                                        const DecideContext& ctx) {
  RETURN_IF_ERROR(CheckOpen(c));
  RETURN_IF_ERROR(CheckCanWork(ctx.actor, c));
  RETURN_IF_ERROR(CheckReason(cmd.reason(), "cancelling a case"));
  EventSink sink(c.number(), c.version(), ctx);
  for (const Task& task : c.task()) {
    if (task.status() != model::TASK_OPEN) continue;
    auto* cancelled = sink.Add().mutable_task_cancelled();
    cancelled->set_seq(task.seq());
    cancelled->set_reason("the case was cancelled");
  }
  sink.Add().mutable_case_cancelled()->set_reason(cmd.reason());
  return sink.Take();
}

Task* MutableTask(CaseState& c, int seq) {
  for (Task& t : *c.mutable_task()) {
    if (t.seq() == seq) return &t;
  }
  return nullptr;
}

}  // namespace

std::string TaskId(std::string_view case_number, int seq) {
  return std::string(case_number) + "/" + std::to_string(seq);
}

Result<const Task*> FindOpenTask(const CaseState& c, const model::TaskRef& ref) {
  if (ref.seq() > 0) {
    for (const Task& t : c.task()) {
      if (t.seq() != ref.seq()) continue;
      if (t.status() != model::TASK_OPEN) {
        return Status::FailedPrecondition("task " + TaskId(c.number(), t.seq()) + " (" + t.name() +
                                          ") is already " +
                                          (t.status() == model::TASK_DONE ? "done" : "cancelled"));
      }
      return &t;
    }
    return Status::NotFound("case " + c.number() + " has no task " + std::to_string(ref.seq()));
  }
  const Task* found = nullptr;
  std::vector<std::string> open;
  for (const Task& t : c.task()) {
    if (t.status() != model::TASK_OPEN) continue;
    open.push_back(TaskId(c.number(), t.seq()) + " " + t.name());
    if (t.name() == ref.name()) {
      if (found != nullptr) {
        return Status::InvalidArgument("case " + c.number() + " has more than one open task " +
                                       Quoted(ref.name()) + "; name it by number");
      }
      found = &t;
    }
  }
  if (found == nullptr) {
    return Status::NotFound("case " + c.number() + " has no open task " + Quoted(ref.name()) +
                            "; open tasks: " + (open.empty() ? "none" : JoinedList(open)));
  }
  return found;
}

Result<std::vector<Event>> Decide(const CaseState* current, const Command& command,
                                  const DecideContext& ctx) {
  if (command.has_open_case()) {
    if (current != nullptr) return Status::Internal("open_case given an existing case");
    return DecideOpen(command.open_case(), ctx);
  }
  if (current == nullptr) return Status::Internal("case command without a case");
  switch (command.body_case()) {
    case Command::kFireEvent: return DecideFire(*current, command.fire_event(), ctx);
    case Command::kAssignTask: return DecideAssign(*current, command.assign_task(), ctx);
    case Command::kCompleteTask: return DecideComplete(*current, command.complete_task(), ctx);
    case Command::kAddNote: return DecideNote(*current, command.add_note(), ctx);
    case Command::kCloseCase: return DecideClose(*current, command.close_case(), ctx);
    case Command::kCancelCase: return DecideCancel(*current, command.cancel_case(), ctx);
    case Command::kOpenCase:
    case Command::kAddUser:
    case Command::BODY_NOT_SET:
      break;
  }
  return Status::InvalidArgument("the command is empty or not a case command");
}

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
      c.set_state(o.initial_state());
      c.set_status(model::CASE_OPEN);
      *c.mutable_person() = o.person();
      c.mutable_fields()->insert(o.fields().begin(), o.fields().end());
      c.set_summary(o.summary());
      c.set_related_case(o.related_case());
      c.set_opened_by(e.actor());
      *c.mutable_opened_at() = e.at();
      *c.mutable_state_entered_at() = e.at();
      c.set_state_entry_seq(e.seq());
      break;
    }
    case Event::kTransitioned: {
      const auto& t = e.transitioned();
      for (const auto& [k, v] : t.fields()) (*c.mutable_fields())[k] = v;
      c.set_state(t.to_state());
      *c.mutable_state_entered_at() = e.at();
      c.set_state_entry_seq(e.seq());
      break;
    }
    case Event::kTaskCreated:
      *c.add_task() = e.task_created().task();
      break;
    case Event::kTaskAssigned:
      if (Task* t = MutableTask(c, e.task_assigned().seq())) {
        t->set_assignee(e.task_assigned().assignee());
      }
      break;
    case Event::kTaskCompleted:
      if (Task* t = MutableTask(c, e.task_completed().seq())) {
        t->set_status(model::TASK_DONE);
        *t->mutable_done_at() = e.at();
        t->set_done_by(e.actor());
        t->set_note(e.task_completed().note());
      }
      break;
    case Event::kTaskCancelled:
      if (Task* t = MutableTask(c, e.task_cancelled().seq())) {
        t->set_status(model::TASK_CANCELLED);
        *t->mutable_done_at() = e.at();
        t->set_note(e.task_cancelled().reason());
      }
      break;
    case Event::kNoteAdded:
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
  if (actor.role != model::kAdmin) {
    return Status::PermissionDenied(actor.Describe() + " cannot add users; ask an admin");
  }
  const std::string& name = cmd.name();
  const bool name_ok =
      !name.empty() && name.size() <= 40 && std::all_of(name.begin(), name.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' ||
               ch == '-';
      });
  if (!name_ok) {
    return Status::InvalidArgument("user name " + Quoted(name) +
                                   " must be 1-40 lower-case letters, digits, '.', '_' or '-'");
  }
  if (centres.count(cmd.centre()) == 0) {
    return UnknownCentre(cmd.centre(), centres);
  }
  if (!model::IsKnownRole(cmd.role())) {
    return Status::InvalidArgument("unknown role " + Quoted(cmd.role()) +
                                   "; roles are " + model::CaseRoleList() + ", admin");
  }
  model::User user;
  user.set_name(name);
  user.set_centre(cmd.centre());
  user.set_role(cmd.role());
  *user.mutable_created_at() = model::ToProto(now);
  user.set_created_by(actor.user);
  return user;
}

}  // namespace dispatch
