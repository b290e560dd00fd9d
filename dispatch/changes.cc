#include "dispatch/changes.h"

#include <map>

namespace dispatch {

using model::Result;
using model::Status;

std::string StreamPosition::ToId() const {
  return std::to_string(journal) + "-" + std::to_string(inbox);
}

std::optional<StreamPosition> StreamPosition::FromId(std::string_view id) {
  const auto dash = id.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const auto number = [](std::string_view s) -> std::optional<int64_t> {
    if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string_view::npos) {
      return std::nullopt;
    }
    return std::stoll(std::string(s));
  };
  const auto journal = number(id.substr(0, dash));
  const auto inbox = number(id.substr(dash + 1));
  if (!journal || !inbox) return std::nullopt;
  return StreamPosition{*journal, *inbox};
}

Result<StreamPosition> Now(Dispatcher& d) {
  ASSIGN_OR_RETURN(auto last, d.store().Read().LastJournalAndInbox());
  return StreamPosition{last.first, last.second};
}

namespace {

// The event's kind as its field is called: "transitioned", "task_created".
std::string KindOf(const model::Event& e) {
  const auto* field = e.GetReflection()->GetOneofFieldDescriptor(
      e, e.GetDescriptor()->FindOneofByName("body"));
  return field ? field->name() : "";
}

}  // namespace

Result<ChangeBatch> ChangesSince(Dispatcher& d, const Actor& actor, StreamPosition from,
                                 int limit) {
  ChangeBatch batch;
  batch.next = from;
  // Journal rows and inbox messages are two sequences; each is said in its
  // own order, and the position moves past both.
  ASSIGN_OR_RETURN(auto rows, d.store().Read().JournalAfter(from.journal, limit));
  std::map<std::string, bool> visible;  // per case, for this batch
  StreamPosition at = from;
  for (const auto& [id, event] : rows) {
    at.journal = id;
    batch.next.journal = id;
    if (event.case_number().empty()) continue;  // unreadable: the case's page says so
    auto seen = visible.find(event.case_number());
    if (seen == visible.end()) {
      auto c = d.GetCase(actor, event.case_number());
      // A case that cannot be read now is left out of the stream, not the
      // stream's end: the case's own page says what is wrong.
      seen = visible.emplace(event.case_number(), c.ok()).first;
    }
    if (!seen->second) continue;
    // One change a row, so that each id names one change: a task given to
    // the reader (made with them as its assignee, or assigned to them
    // later) is said as "task", a change of its case as well.
    model::Change change;
    change.set_kind("case");
    change.set_case_number(event.case_number());
    change.set_seq(event.seq());
    change.set_event(KindOf(event));
    *change.mutable_at() = event.at();
    if (event.has_task_assigned() && event.task_assigned().assignee() == actor.user) {
      change.set_kind("task");
      change.set_task(event.task_assigned().seq());
    } else if (event.has_task_created() && event.task_created().task().assignee() == actor.user) {
      change.set_kind("task");
      change.set_task(event.task_created().task().seq());
    }
    batch.changes.push_back(std::move(change));
    batch.positions.push_back(at);
  }
  ASSIGN_OR_RETURN(auto items, d.store().Read().InboxAfter(
                                   {"user:" + actor.user, "centre:" + actor.centre}, from.inbox,
                                   limit));
  for (auto& item : items) {
    at.inbox = item.id();
    batch.next.inbox = item.id();
    model::Change change;
    change.set_kind("inbox");
    change.set_case_number(item.case_number());
    *change.mutable_at() = item.at();
    *change.mutable_inbox() = std::move(item);
    batch.changes.push_back(std::move(change));
    batch.positions.push_back(at);
  }
  batch.more = static_cast<int>(rows.size()) == limit || static_cast<int>(items.size()) == limit;
  return batch;
}

}  // namespace dispatch
