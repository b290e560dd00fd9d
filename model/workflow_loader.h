// Loading and validating workflow definitions (model/workflows/*.textproto).
//
// A definition is data: the states of one case type, the transitions between
// them on named events with guards, the tasks each state creates, deadlines
// and pause reasons. Everything a running case relies on is checked here, at
// load, and every error names path:line.
#ifndef MODEL_WORKFLOW_LOADER_H_
#define MODEL_WORKFLOW_LOADER_H_

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/proto/case.pb.h"
#include "model/proto/workflow.pb.h"
#include "model/status.h"

namespace model {

// Who a breached deadline is escalated to, in the order a definition lists.
inline constexpr std::string_view kEscalateAssignee = "assignee";
inline constexpr std::string_view kEscalateCentreSupervisor = "centre_supervisor";
inline constexpr std::string_view kEscalateNetworkCoordinator = "network_coordinator";

struct LoadedDefinition {
  WorkflowDefinition definition;
  std::string path;  // where it was read from, for messages
  std::string text;  // the file as read; what the hash covers
  std::string content_hash;

  DefinitionRef Ref() const;
};

// Which rules a definition is held to. A definition a running case pinned
// was valid when it was pinned: it is not held to rules added since (a
// fallback must say `otherwise`), so that its cases run on as they began.
enum class DefinitionRules { kCurrent, kWhenPinned };

// Parses and validates one definition. On failure the Status is
// InvalidArgument and its message holds one "path:line: problem" line per
// problem found (a syntax error stops at the first).
Result<LoadedDefinition> LoadDefinition(std::string_view path, std::string text,
                                        DefinitionRules rules = DefinitionRules::kCurrent);

// Reads the file, then LoadDefinition.
Result<LoadedDefinition> LoadDefinitionFile(const std::string& path);

// What a date condition's reference names for the day the event happens.
inline constexpr std::string_view kToday = "today";

// True when `g` has no condition at all: it always holds.
bool IsEmptyGuard(const Guard& g);

// Adds to `out` the fields `guard` reads, nested ones included ("today" is
// not a field).
void FieldsReadBy(const Guard& guard, std::set<std::string>& out);

// The state named `name`, or nullptr.
const StateDef* FindState(const WorkflowDefinition& def, std::string_view name);
// The template of task `task` in state `state`, or nullptr.
const TaskTemplate* FindTaskTemplate(const WorkflowDefinition& def, std::string_view state,
                                     std::string_view task);
// The field definition named `name`, or nullptr.
const FieldDef* FindField(const WorkflowDefinition& def, std::string_view name);
// The leg named `name`, or nullptr.
const Leg* FindLeg(const WorkflowDefinition& def, std::string_view name);
// The leg `state` belongs to, or nullptr.
const Leg* LegOfState(const WorkflowDefinition& def, std::string_view state);

}  // namespace model

#endif  // MODEL_WORKFLOW_LOADER_H_
