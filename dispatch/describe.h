// How a case and its journal read to people, in Traditional Chinese or
// English: the labels of its type, states, events and fields from the
// definition it is pinned to, and one line per event of its timeline. The
// command line prints these; the server sends the timeline's lines to the
// console, so that both say the same thing.
#ifndef DISPATCH_DESCRIBE_H_
#define DISPATCH_DESCRIBE_H_

#include <functional>
#include <string>
#include <string_view>

#include "model/labels.h"
#include "model/proto/case.pb.h"
#include "model/proto/event.pb.h"
#include "model/proto/workflow.pb.h"
#include "model/time.h"

namespace dispatch {

// The English or the Chinese text, by `lang`.
inline const char* Pick(model::Lang lang, const char* en, const char* zh) {
  return lang == model::Lang::kZhHant ? zh : en;
}

std::string PersonName(const model::Person& p);
std::string RoleName(std::string_view role, model::Lang lang);
// "2026-11-27 09:05" in Hong Kong time, or "-" when unset.
std::string When(const google::protobuf::Timestamp& ts);
// "Mr Lau (landlord), Longgang police station, 138 0000 0000 — after 6pm".
std::string CallerLine(const model::Caller& k);
std::string ContactLine(const model::PartyContact& k, model::Lang lang);
// "Task #3", "State deadline", "Case deadline", "Handoff H1".
std::string TimerName(const std::string& key, model::Lang lang);

// Labels from a definition in `lang`; the bare name when `def` is null or has
// no such thing. The engine's refusals and the timeline both use these.
std::string StateLabel(const model::WorkflowDefinition* def, std::string_view state, model::Lang lang);
// The label of the transition on `event` from `from_state` (to `to_state`
// when known: two transitions on one event have labels of their own), else
// of `event` in any state.
std::string EventLabel(const model::WorkflowDefinition* def, std::string_view from_state,
                       std::string_view event, std::string_view to_state, model::Lang lang);
std::string FieldLabel(const model::WorkflowDefinition* def, std::string_view field, model::Lang lang);
std::string PauseReasonLabel(const model::WorkflowDefinition* def, std::string_view reason,
                             model::Lang lang);
std::string LegLabel(const model::WorkflowDefinition* def, std::string_view leg, model::Lang lang);

// The definition a case is pinned to, or null when it cannot be had.
using DefinitionSource =
    std::function<const model::WorkflowDefinition*(const model::DefinitionRef& ref)>;

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

// Whether the human timeline shows `e` after `previous`: a new task's due
// time is on the task's own line already.
bool ShownInTimeline(const model::Event* previous, const model::Event& e);

// One line of the timeline: what `e` did to case `c`, in `l`'s language.
std::string DescribeEvent(const model::CaseState& c, const model::Event& e, Labels& l);

}  // namespace dispatch

#endif  // DISPATCH_DESCRIBE_H_
