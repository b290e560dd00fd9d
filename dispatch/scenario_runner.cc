#include "dispatch/scenario_runner.h"

#include <algorithm>
#include <set>

#include "dispatch/dispatcher.h"
#include "dispatch/tick.h"
#include "notify/deliverer.h"
#include "notify/inbox_channel.h"
#include "notify/notifications.h"
#include "model/duration.h"
#include "model/roles.h"
#include "model/text_proto.h"

namespace dispatch {

using model::Result;
using model::Status;

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Replaces every "@ref" string in `m` (outside maps) with the case number it names.
Status SubstituteRefs(Message& m, const std::map<std::string, std::string>& refs) {
  const Reflection* r = m.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    if (f->is_map()) continue;
    if (f->type() == FieldDescriptor::TYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(m, f); ++i) {
          RETURN_IF_ERROR(SubstituteRefs(*r->MutableRepeatedMessage(&m, f, i), refs));
        }
      } else {
        RETURN_IF_ERROR(SubstituteRefs(*r->MutableMessage(&m, f), refs));
      }
      continue;
    }
    if (f->type() != FieldDescriptor::TYPE_STRING || f->is_repeated()) continue;
    const std::string value = r->GetString(m, f);
    if (value.empty() || value[0] != '@') continue;
    auto it = refs.find(value.substr(1));
    if (it == refs.end()) {
      return Status::InvalidArgument("no earlier step opened a case named '" + value.substr(1) +
                                     "' (set ref: on the step that opens it)");
    }
    r->SetString(&m, f, it->second);
  }
  return Status::Ok();
}

std::string SortedJoin(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? "none" : out;
}

// What is wrong with `c` (and the inboxes in `store`) against `expect`;
// empty when nothing.
std::string CheckCase(const model::Expect& expect, const model::CaseState& c, Store& store) {
  std::vector<std::string> problems;
  if (!expect.responsible_centre().empty() && expect.responsible_centre() != c.responsible_centre()) {
    problems.push_back("expected the case worked by " + expect.responsible_centre() + " but it is " +
                       c.responsible_centre());
  }
  if (!expect.pause().empty()) {
    std::string actual;
    for (const model::Pause& p : c.pauses()) actual += (actual.empty() ? "" : ",") + p.reason();
    if (actual.empty()) actual = "none";
    if (actual != expect.pause()) {
      problems.push_back("expected pause '" + expect.pause() + "' but it is '" + actual + "'");
    }
  }
  for (const model::ExpectedHandoff& eh : expect.handoff()) {
    const model::Handoff* found = nullptr;
    for (const auto& h : c.handoff()) {
      if (h.id() == eh.id()) found = &h;
    }
    if (found == nullptr) {
      problems.push_back("expected handoff H" + std::to_string(eh.id()) + " but there is none");
    } else if (eh.status() != model::HANDOFF_STATUS_UNSPECIFIED && eh.status() != found->status()) {
      problems.push_back("expected handoff H" + std::to_string(eh.id()) + " " +
                         model::HandoffStatus_Name(eh.status()) + " but it is " +
                         model::HandoffStatus_Name(found->status()));
    }
  }
  for (const model::ExpectedDeadline& ed : expect.deadline()) {
    const model::Timer* found = nullptr;
    for (const auto& t : c.timer()) {
      if (t.key() == ed.key()) found = &t;
    }
    const std::string actual = found == nullptr ? "gone" : found->breached() ? "missed" : "running";
    if (ed.status() != actual) {
      problems.push_back("expected deadline '" + ed.key() + "' " + ed.status() + " but it is " + actual);
    }
  }
  for (const model::ExpectedInbox& ei : expect.inbox()) {
    auto items = store.Read().ListInbox({ei.recipient()}, "", false, 1000);
    bool found = false;
    if (items.ok()) {
      for (const auto& item : *items) {
        if (item.case_number() != c.number()) continue;
        found = found || item.title().en().find(ei.contains()) != std::string::npos ||
                item.title().zh_hant().find(ei.contains()) != std::string::npos;
      }
    }
    if (!found) {
      problems.push_back("expected a message for " + ei.recipient() + " on " + c.number() +
                         " containing '" + ei.contains() + "'");
    }
  }
  if (!expect.state().empty() && expect.state() != c.state()) {
    problems.push_back("expected state '" + expect.state() + "' but case " + c.number() +
                       " is at '" + c.state() + "'");
  }
  if (expect.status() != model::CASE_STATUS_UNSPECIFIED && expect.status() != c.status()) {
    problems.push_back("expected status " + model::CaseStatus_Name(expect.status()) + " but it is " +
                       model::CaseStatus_Name(c.status()));
  }
  std::vector<std::string> open;
  for (const auto& t : c.task()) {
    if (t.status() == model::TASK_OPEN) open.push_back(t.name());
  }
  if (expect.open_tasks_size() > 0 || expect.no_open_tasks()) {
    std::vector<std::string> want(expect.open_tasks().begin(), expect.open_tasks().end());
    if (SortedJoin(want) != SortedJoin(open)) {
      problems.push_back("expected open tasks [" + SortedJoin(want) + "] but they are [" +
                         SortedJoin(open) + "]");
    }
  }
  for (const auto& [k, v] : expect.fields()) {
    auto it = c.fields().find(k);
    if (it == c.fields().end() || it->second != v) {
      problems.push_back("expected field " + k + "='" + v + "' but it is '" +
                         (it == c.fields().end() ? std::string("(unset)") : it->second) + "'");
    }
  }
  for (const model::ExpectedTask& et : expect.task()) {
    const model::Task* latest = nullptr;
    for (const auto& t : c.task()) {
      if (t.name() == et.name()) latest = &t;
    }
    if (latest == nullptr) {
      problems.push_back("expected a task '" + et.name() + "' but the case has none");
      continue;
    }
    if (et.status() != model::TASK_STATUS_UNSPECIFIED && et.status() != latest->status()) {
      problems.push_back("expected task '" + et.name() + "' " + model::TaskStatus_Name(et.status()) +
                         " but it is " + model::TaskStatus_Name(latest->status()));
    }
    if (!et.centre().empty() && et.centre() != latest->centre()) {
      problems.push_back("expected task '" + et.name() + "' worked at " + et.centre() +
                         " but it is at " + latest->centre());
    }
    if (!et.assignee().empty() && et.assignee() != latest->assignee()) {
      problems.push_back("expected task '" + et.name() + "' assigned to " + et.assignee() +
                         " but it is " +
                         (latest->assignee().empty() ? "unassigned" : "with " + latest->assignee()));
    }
  }
  for (const std::string& name : expect.people()) {
    const bool found = std::any_of(c.people().begin(), c.people().end(), [&](const auto& p) {
      return p.person().name_zh() == name || p.person().name_en() == name;
    });
    if (!found) problems.push_back("expected " + name + " on the case but nobody of that name is");
  }
  for (const std::string& party : expect.contacts()) {
    const bool found = std::any_of(c.contact().begin(), c.contact().end(),
                                   [&](const auto& k) { return k.party() == party; });
    if (!found) problems.push_back("expected a contact with " + party + " but none is recorded");
  }
  if (!expect.caller().empty() && expect.caller() != c.caller().name() &&
      expect.caller() != c.caller().organisation()) {
    problems.push_back("expected the caller " + expect.caller() + " but it is '" +
                       (c.caller().name().empty() ? c.caller().organisation() : c.caller().name()) + "'");
  }
  for (const auto& [reason, text] : expect.paused()) {
    auto want = model::ParseDuration(text);
    auto it = c.paused_ms().find(reason);
    const int64_t have = it == c.paused_ms().end() ? 0 : it->second;
    if (!want.ok()) {
      problems.push_back("paused time for " + reason + ": " + want.status().message());
    } else if (want->count() != have) {
      problems.push_back("expected " + text + " paused for " + reason + " but it is " +
                         model::FormatDuration(model::Millis(have)));
    }
  }
  if (expect.timeline_size() > 0) {
    auto events = store.Read().Timeline(c.number());
    std::set<std::string> kinds;
    if (events.ok()) {
      for (const model::Event& e : *events) {
        const auto* body = model::Event::descriptor()->FindFieldByNumber(e.body_case());
        if (body != nullptr) kinds.insert(body->name());
      }
    }
    for (const std::string& kind : expect.timeline()) {
      if (kinds.count(kind) == 0) problems.push_back("expected a '" + kind + "' entry in the timeline");
    }
  }
  std::string out;
  for (const auto& p : problems) out += (out.empty() ? "" : "; ") + p;
  return out;
}

Status EnsureUsers(const model::Scenario& s, Store& store, Dispatcher& d, const model::TextLocation& loc) {
  ASSIGN_OR_RETURN(auto users, store.Read().ListUsers());
  std::string admin;
  for (const auto& u : users) {
    if (u.role() == model::kAdmin) admin = u.name();
  }
  if (admin.empty()) return Status::FailedPrecondition("the database has no admin; run init first");
  for (int i = 0; i < s.user_size(); ++i) {
    const model::User& want = s.user(i);
    ASSIGN_OR_RETURN(auto have, store.Read().GetUser(want.name()));
    if (have) {
      if (have->centre() != want.centre() || have->role() != want.role()) {
        return Status::AlreadyExists(loc.At("user", i) + ": user " + want.name() +
                                     " exists already as " + have->role() + " at " +
                                     have->centre());
      }
      continue;
    }
    model::Command add;
    add.mutable_add_user()->set_name(want.name());
    add.mutable_add_user()->set_centre(want.centre());
    add.mutable_add_user()->set_role(want.role());
    auto r = d.Execute(add, admin);
    if (!r.ok()) return Status(r.status().code(), loc.At("user", i) + ": " + r.status().message());
  }
  return Status::Ok();
}

}  // namespace

Result<LoadedScenario> LoadScenarioFile(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, model::ReadFile(path));
  LoadedScenario out;
  out.path = path;
  out.locations = std::make_unique<google::protobuf::TextFormat::ParseInfoTree>();
  RETURN_IF_ERROR(model::ParseTextProto(path, text, &out.scenario, out.locations.get()));
  return out;
}

Result<ScenarioOutcome> RunScenario(const LoadedScenario& loaded, Store& store,
                                    model::WorkflowCatalog& catalog) {
  const model::Scenario& s = loaded.scenario;
  const model::TextLocation root(loaded.path, loaded.locations.get(),
                                 model::Scenario::descriptor(), 1);
  auto start = model::ParseTimestamp(s.start_at());
  if (!start.ok()) return Status::InvalidArgument(root.At("start_at") + ": " + start.status().message());
  model::FakeClock clock(*start);
  Dispatcher dispatcher(store, catalog, clock);
  ASSIGN_OR_RETURN(DatabasePurpose purpose, dispatcher.Purpose());
  if (purpose != DatabasePurpose::kScenarios) {
    return Status::FailedPrecondition(
        "this database holds live work: a scenario's virtual clock would fire its deadlines and "
        "move its timers; run scenarios into a new database instead");
  }
  RETURN_IF_ERROR(EnsureUsers(s, store, dispatcher, root));
  notify::InboxChannel inbox(store.inbox(), clock);
  notify::Deliverer deliverer(store.outbox(), clock, notify::RetryPolicy(), [] { return 0.5; });
  deliverer.AddChannel(notify::kInbox, &inbox);
  auto tick = [&](const model::TextLocation& at) -> Status {
    auto r = Tick(dispatcher, deliverer);
    if (!r.ok()) return Status(r.status().code(), at.At() + ": " + r.status().message());
    return Status::Ok();
  };

  ScenarioOutcome out;
  std::map<std::string, std::string> refs;
  std::string actor;
  for (int i = 0; i < s.step_size(); ++i) {
    const model::Step& step = s.step(i);
    const model::TextLocation loc = root.Child("step", i);
    const std::string title = step.title().empty() ? "" : " (" + step.title() + ")";
    if (!step.advance().empty()) {
      auto d = model::ParseDuration(step.advance());
      if (!d.ok()) return Status::InvalidArgument(loc.At("advance") + ": " + d.status().message());
      clock.Advance(*d);
      RETURN_IF_ERROR(tick(loc));
    }
    if (!step.as().empty()) actor = step.as();

    std::optional<model::CaseState> subject;
    model::Command command = step.command();
    if (step.has_command()) {
      Status sub = SubstituteRefs(command, refs);
      if (!sub.ok()) return Status::InvalidArgument(loc.At("command") + ": " + sub.message());
      if (actor.empty()) return Status::InvalidArgument(loc.At() + ": the step says no actor (as:)");
      auto reply = dispatcher.Execute(command, actor);
      ++out.steps_run;
      RETURN_IF_ERROR(tick(loc));
      if (step.expect().has_error()) {
        const model::ExpectedError& want = step.expect().error();
        std::string problem;
        if (reply.ok()) {
          problem = "expected the command to fail with " + want.code() + " but it succeeded";
        } else if (model::CodeName(reply.status().code()) != want.code()) {
          problem = "expected " + want.code() + " but got " + reply.status().ToString();
        } else if (reply.status().message().find(want.message_contains()) == std::string::npos) {
          problem = "expected the error to mention '" + want.message_contains() + "' but it was: " +
                    reply.status().message();
        }
        if (!problem.empty()) {
          out.failure = loc.At("expect") + ": step " + std::to_string(i + 1) + title + ": " + problem;
          return out;
        }
      } else if (!reply.ok()) {
        out.failure = loc.At("command") + ": step " + std::to_string(i + 1) + title +
                      ": the command was refused: " + reply.status().ToString();
        return out;
      }
      if (reply.ok() && reply->has_case_state()) {
        subject = reply->case_state();
        if (command.has_open_case()) {
          const std::string ref = step.ref().empty() ? subject->number() : step.ref();
          if (!refs.emplace(ref, subject->number()).second) {
            return Status::InvalidArgument(loc.At("ref") + ": ref '" + ref + "' is used twice");
          }
          out.cases.emplace_back(ref, subject->number());
        }
      }
    }
    if (!subject && !step.ref().empty()) {
      auto it = refs.find(step.ref());
      if (it == refs.end()) {
        return Status::InvalidArgument(loc.At("ref") + ": no earlier step opened '" + step.ref() + "'");
      }
      ASSIGN_OR_RETURN(subject, store.Read().GetCase(it->second));
    }
    if (!subject && step.has_expect()) {
      // After a refused command, expectations are about the case it named.
      const std::string number = CaseNumberOf(command);
      if (!number.empty()) {
        ASSIGN_OR_RETURN(subject, store.Read().GetCase(number));
      }
    }
    if (step.has_expect() && subject) {
      ASSIGN_OR_RETURN(subject, store.Read().GetCase(subject->number()));  // after the tick
      const std::string problem = CheckCase(step.expect(), *subject, store);
      if (!problem.empty()) {
        out.failure = loc.At("expect") + ": step " + std::to_string(i + 1) + title + ": " + problem;
        return out;
      }
    }
  }
  return out;
}

}  // namespace dispatch
