// One decision in the making: the events a command appends to one case.
#ifndef DISPATCH_DECISION_H_
#define DISPATCH_DECISION_H_

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dispatch/engine.h"
#include "dispatch/roster.h"
#include "model/proto/case.pb.h"
#include "model/proto/event.pb.h"
#include "model/time.h"

namespace dispatch {

// The actor deadlines fire as; the only one whose decisions are not a person's.
inline constexpr std::string_view kSystem = "system";

// Events are stamped, applied to a working copy of the case at once (so later
// steps see earlier ones), and collected. A command's decision (see
// commands.h) emits into one; Decide takes what it emitted.
class Decision {
 public:
  // Time never runs backwards within a case: when the clock has stepped back
  // since the case's last event, the decision happens at that event's time,
  // so that no duration it computes (time paused, lateness) is negative and
  // the timeline stays in order.
  Decision(const model::CaseState* current, std::string number, const DecideContext& ctx)
      : ctx_(ctx),
        working_(current ? *current : model::CaseState()),
        number_(std::move(number)),
        now_(current ? std::max(ctx.now, model::FromProto(current->updated_at())) : ctx.now) {}

  template <typename Fill>
  void Emit(Fill fill) {
    model::Event e;
    e.set_case_number(number_);
    e.set_seq(working_.version() + 1);
    *e.mutable_at() = model::ToProto(now_);
    e.set_actor(ctx_.actor.user);
    fill(e);
    Evolve(working_, e);
    events_.push_back(std::move(e));
  }

  const model::CaseState& state() const { return working_; }
  const DecideContext& ctx() const { return ctx_; }
  const model::WorkflowDefinition& def() const { return ctx_.definition->definition; }
  model::Instant now() const { return now_; }
  std::vector<model::Event> Take() { return std::move(events_); }

  const model::Timer* FindTimer(std::string_view key) const {
    for (const model::Timer& t : working_.timer()) {
      if (t.key() == key) return &t;
    }
    return nullptr;
  }

  // The least-loaded on-duty holder of `role` at `centre`, counting tasks
  // given out by this decision too.
  std::optional<std::string> PickAssignee(std::string_view centre, std::string_view role,
                                          std::string_view except = "") {
    auto who = dispatch::PickAssignee(roster(), centre, role, given_, except);
    if (who) ++given_[*who];
    return who;
  }

  // Who is on duty, taken on first use. When it cannot be taken the decision
  // goes on with nobody on duty and Decide returns roster_error().
  const Roster& roster() {
    if (!roster_) {
      auto taken = ctx_.take_roster ? ctx_.take_roster()
                                    : model::Result<Roster>(model::Status::Internal(
                                          "a decision that needs the roster was given none"));
      if (taken.ok()) {
        roster_ = std::move(*taken);
      } else {
        roster_error_ = taken.status();
        roster_.emplace();
      }
    }
    return *roster_;
  }
  const model::Status& roster_error() const { return roster_error_; }

 private:
  const DecideContext& ctx_;
  model::CaseState working_;
  std::string number_;
  std::vector<model::Event> events_;
  std::map<std::string, int> given_;
  std::optional<Roster> roster_;
  model::Status roster_error_;
  model::Instant now_;
};

}  // namespace dispatch

#endif  // DISPATCH_DECISION_H_
