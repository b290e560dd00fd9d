// The workflow engine: pure functions, no database, no clock, no I/O.
//
//   Decide(state, command, context) -> events | error
//   Evolve(state, event)            -> state
//
// A case's state is the fold of its events; the journal of events is the
// timeline a supervisor reads. Decide checks everything (access, guards,
// fields) so that a command it refuses writes nothing.
#ifndef DISPATCH_ENGINE_H_
#define DISPATCH_ENGINE_H_

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "dispatch/access.h"
#include "dispatch/roster.h"
#include "model/categories.h"
#include "model/proto/case.pb.h"
#include "model/proto/command.pb.h"
#include "model/proto/directory.pb.h"
#include "model/proto/event.pb.h"
#include "model/categories.h"
#include "model/status.h"
#include "model/time.h"
#include "model/workflow_loader.h"

namespace dispatch {

// What Decide needs besides the case and the command, looked up beforehand.
struct DecideContext {
  Actor actor;
  model::Instant now{};
  // The definition the case is pinned to; for open_case, the newest version
  // of the requested type. REQUIRES: not null for case commands.
  const model::LoadedDefinition* definition = nullptr;
  // open_case: the number the new case gets, and the centres that exist.
  std::string new_case_number;
  std::set<std::string> centres;
  // What work is counted under; none when the file is missing or broken.
  const model::Categories* categories = nullptr;
  // assign_task: the user named as assignee, when one exists.
  const model::User* assignee = nullptr;
  // Who is on duty now: new tasks go to them, escalations reach them. Called
  // at most once per decision, and only by one that gives out work or
  // escalates: a note or a pause reads no roster. REQUIRES: set.
  std::function<model::Result<Roster>()> take_roster;
};

// The actor deadlines fire as.
Actor SystemActor();

// The events `command` appends to the case `current` (null for open_case),
// stamped with seq, time and actor; or why it is refused. No events (and no
// error) means there was nothing to do: a stale or early deadline firing.
// REQUIRES: command holds a case command (not add_user, duty or webhooks).
model::Result<std::vector<model::Event>> Decide(const model::CaseState* current,
                                                const model::Command& command,
                                                const DecideContext& context);

// Applies one event. Events are facts: Evolve never fails.
void Evolve(model::CaseState& state, const model::Event& event);

// The state after `events`, from nothing.
model::CaseState Fold(const std::vector<model::Event>& events);

// The user add_user creates, or why not (only admins add users).
model::Result<model::User> DecideAddUser(const Actor& actor, const model::AddUser& command,
                                         const std::set<std::string>& centres, model::Instant now);

// The open task `ref` names in `c`: by number, or by name when exactly one
// open task has it.
model::Result<const model::Task*> FindOpenTask(const model::CaseState& c, const model::TaskRef& ref);

// The events `c`'s current state has, each with what keeps it back for
// `actor` at `now`: what fire_event would answer, asked before firing.
model::PossibleEvents PossibleEvents(const model::CaseState& c,
                                     const model::WorkflowDefinition& def, const Actor& actor,
                                     model::Instant now);

// "SZ-2026-0007/3": how a person names a task.
std::string TaskId(std::string_view case_number, int seq);
// "FJ-2026-0003/H1": how a person names a handoff.
std::string HandoffId(std::string_view case_number, int id);

}  // namespace dispatch

#endif  // DISPATCH_ENGINE_H_
