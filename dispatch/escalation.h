// What a firing timer does, and who is told: pure functions.
#ifndef DISPATCH_ESCALATION_H_
#define DISPATCH_ESCALATION_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dispatch/roster.h"
#include "model/proto/case.pb.h"
#include "model/time.h"

namespace dispatch {

struct EscalationStep {
  bool breach = false;               // the first firing: the deadline is missed now
  int level = 0;                     // the timer's level after this firing
  std::vector<std::string> targets;  // chain entries told now
  std::optional<model::Instant> next_at;  // when it fires again, if ever
};

// Firing `timer` at `now`. When firings were missed (nothing ran for a
// while) it catches up in one step: the level jumps to where it would be, and
// everyone up the chain to that level is told once.
// REQUIRES: timer.next_at <= now, timer not paused, a non-empty chain.
EscalationStep NextEscalation(const model::Timer& timer, model::Instant now);

// The addresses ("user:NAME", "centre:CODE") `targets` stand for on case `c`,
// for a timer worked by `centre`:
//   assignee             the task's assignee (a state's or the case's: those of
//                        its open tasks; a handoff's: who asked for it)
//   centre_supervisor    supervisors on duty at `centre`, else all its supervisors
//   network_coordinator  whoever is on duty as network coordinator, else every
//                        coordinator
// A target that stands for nobody goes to the centre's inbox, so nothing is
// told to no one. No address appears twice.
std::vector<std::string> Recipients(const std::vector<std::string>& targets,
                                    const model::CaseState& c, const model::Timer& timer,
                                    std::string_view centre, const Roster& roster);

// The centre whose people a timer concerns: a task's centre, a handoff's
// requesting centre, otherwise the centre working the case.
std::string CentreOfTimer(const model::CaseState& c, const model::Timer& timer);

}  // namespace dispatch

#endif  // DISPATCH_ESCALATION_H_
