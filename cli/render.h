// How cases, tasks, timelines and workflows read on a terminal, in
// Traditional Chinese or English, and as JSON (protobuf's JSON mapping).
#ifndef CLI_RENDER_H_
#define CLI_RENDER_H_

#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <google/protobuf/message.h>

#include "dispatch/dispatcher.h"
#include "model/labels.h"
#include "model/proto/case.pb.h"
#include "model/proto/directory.pb.h"
#include "model/proto/event.pb.h"
#include "model/proto/notification.pb.h"
#include "model/time.h"

namespace cli {

// The English or the Chinese text, by `lang`.
inline const char* Pick(model::Lang lang, const char* en, const char* zh) {
  return lang == model::Lang::kZhHant ? zh : en;
}

// Writes protobuf JSON, field names as in the .proto files, indented. A
// message JSON cannot carry (a time past year 9999) is an error, not "{}".
model::Status WriteJson(std::ostream& out, const google::protobuf::Message& m);

std::string PersonName(const model::Person& p);
std::string RoleName(std::string_view role, model::Lang lang);

// The definition a case is pinned to, or null when it cannot be had.
using DefinitionSource =
    std::function<const model::WorkflowDefinition*(const model::DefinitionRef& ref)>;

// Protobuf's repeated field as a vector, for the printers.
template <class T>
std::vector<T> Vec(const google::protobuf::RepeatedPtrField<T>& r) {
  return {r.begin(), r.end()};
}

// Labels of a case's type, states, events and fields, from the definition
// the case is pinned to; falls back to the bare names.
class Labels {
 public:
  Labels(DefinitionSource source, model::Lang lang, model::Instant now)
      : source_(std::move(source)), lang_(lang), now_(now) {}
  model::Instant now() const { return now_; }

  std::string Type(const model::CaseState& c);
  std::string State(const model::CaseState& c, std::string_view state);
  // The label of the transition on `event` from `from_state` (to `to_state`,
  // when known: two transitions on one event have labels of their own).
  std::string Event(const model::CaseState& c, std::string_view from_state, std::string_view event,
                    std::string_view to_state = "");
  std::string Field(const model::CaseState& c, std::string_view field);
  // How a field's kept value reads: a choice's label, yes or no in words.
  std::string Value(const model::CaseState& c, std::string_view field, std::string_view value);
  std::string PauseReason(const model::CaseState& c, std::string_view reason);
  std::string Leg(const model::CaseState& c, std::string_view leg);
  std::string Status(model::CaseStatus s) const;
  std::string TaskStatus(model::TaskStatus s) const;
  model::Lang lang() const { return lang_; }
  // The definition `c` is pinned to, or nullptr when it cannot be had.
  const model::WorkflowDefinition* Def(const model::CaseState& c);

 private:
  DefinitionSource source_;
  model::Lang lang_;
  model::Instant now_;
};

// `waiting`: the cases waiting for a booked day, with the time each moves on.
void PrintCaseList(std::ostream& out, const std::vector<model::CaseState>& cases, Labels& labels,
                   bool waiting = false);
// `related_here`: the cases opened as related to this one.
void PrintCase(std::ostream& out, const model::CaseState& c, Labels& labels, model::Instant now,
               const std::vector<std::string>& related_here = {});
// Tasks across cases, most urgent first; overdue ones marked against `now`.
void PrintTaskList(std::ostream& out, const std::vector<model::TaskView>& tasks, Labels& labels,
                   model::Instant now);
void PrintTimeline(std::ostream& out, const model::CaseState& c,
                   const std::vector<model::Event>& events, Labels& labels);
void PrintUsers(std::ostream& out, const std::vector<model::User>& users, model::Lang lang);
void PrintCentres(std::ostream& out, const std::vector<model::Centre>& centres, model::Lang lang);
void PrintWorkflowList(std::ostream& out, const model::WorkflowList& list, model::Lang lang);
void PrintWorkflow(std::ostream& out, const model::WorkflowDefinition& def, model::Lang lang);
// One line on what a command did: state change, tasks created, assignment.
void PrintReply(std::ostream& out, const model::CommandReply& reply, Labels& labels);
void PrintHandoffs(std::ostream& out, const std::vector<model::HandoffView>& handoffs,
                   model::Lang lang);
void PrintInbox(std::ostream& out, const std::vector<model::InboxItem>& items, model::Lang lang);
void PrintOutbox(std::ostream& out, const std::vector<model::Notification>& items,
                 model::Lang lang);
void PrintShifts(std::ostream& out, const std::vector<model::Shift>& shifts, model::Lang lang);
void PrintKeys(std::ostream& out, const std::vector<model::AccessKey>& keys, model::Lang lang);

}  // namespace cli

#endif  // CLI_RENDER_H_
