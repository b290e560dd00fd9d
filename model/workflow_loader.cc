#include "model/workflow_loader.h"

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <set>

#include "model/duration.h"
#include "model/field_values.h"
#include "model/roles.h"
#include "model/crypto.h"
#include "model/text_proto.h"

namespace model {
namespace {

bool IsEscalationTarget(std::string_view s) {
  return s == kEscalateAssignee || s == kEscalateCentreSupervisor ||
         s == kEscalateNetworkCoordinator;
}

void CheckDuration(const std::string& text, const TextLocation& loc, std::string_view field,
                   const std::string& what, Problems& p) {
  auto d = ParseDuration(text);
  if (!d.ok()) p.Add(loc, field, -1, what + ": " + d.status().message());
}

// `needs_within`: false for task_escalation, whose tasks say when they are due.
void CheckDeadline(const Deadline& d, const TextLocation& loc, const std::string& what,
                   Problems& p, bool needs_within = true) {
  if (!needs_within) {
    if (!d.within().empty()) {
      p.Add(loc, "within", -1, what + " takes no 'within'; tasks say when they are due");
    }
  } else if (d.within().empty()) {
    p.Add(loc, "", -1, what + " has no 'within'");
  } else {
    CheckDuration(d.within(), loc, "within", what, p);
  }
  if (d.escalate_to().empty()) {
    p.Add(loc, "", -1,
          what + " has no escalation target; add escalate_to: assignee, centre_supervisor or "
                 "network_coordinator");
  }
  for (int i = 0; i < d.escalate_to_size(); ++i) {
    if (!IsEscalationTarget(d.escalate_to(i))) {
      p.Add(loc, "escalate_to", i,
            what + " escalates to unknown target '" + d.escalate_to(i) +
                "' (known: assignee, centre_supervisor, network_coordinator)");
    }
  }
  if (!d.repeat_every().empty()) {
    CheckDuration(d.repeat_every(), loc, "repeat_every", what, p);
  } else if (d.escalate_to_size() > 1) {
    p.Add(loc, "escalate_to", 1,
          what + " escalates to " + std::to_string(d.escalate_to_size()) +
              " targets but has no repeat_every to say when to go on to the next");
  }
}

void CheckFieldType(const FieldDef& f, const TextLocation& loc, Problems& p) {
  const std::string what = "field '" + f.name() + "'";
  if (f.type() == FieldDef::CHOICE && f.choice_size() == 0) {
    p.Add(loc, "type", -1, what + " is a choice but lists no choice { value label }");
  }
  if (f.type() != FieldDef::CHOICE && f.choice_size() > 0) {
    p.Add(loc, "choice", 0, what + " lists choices; give it type: CHOICE");
  }
  if (f.one_of_size() > 0 && (f.type() != FieldDef::TEXT || f.choice_size() > 0)) {
    p.Add(loc, "one_of", 0, what + " mixes one_of with a type; list its values as choice { value label }");
  }
  std::set<std::string> values;
  for (int i = 0; i < f.one_of_size(); ++i) {
    if (!values.insert(f.one_of(i)).second) {
      p.Add(loc, "one_of", i, what + ": value '" + f.one_of(i) + "' is listed twice");
    }
  }
  for (int i = 0; i < f.choice_size(); ++i) {
    const Choice& c = f.choice(i);
    const TextLocation cl = loc.Child("choice", i);
    if (!IsIdentifier(c.value())) {
      p.Add(cl, "value", -1, what + ": choice '" + c.value() + "' must be lower_case_with_underscores");
    } else if (!values.insert(c.value()).second) {
      p.Add(cl, "value", -1, what + ": choice '" + c.value() + "' is listed twice");
    }
    CheckLabel(c.label(), cl, "label", what + ": choice '" + c.value() + "'", p);
  }
}

void CheckLegs(const WorkflowDefinition& def, const TextLocation& root, Problems& p) {
  std::set<std::string> names;
  std::map<std::string, std::string> leg_of_state;
  for (int i = 0; i < def.leg_size(); ++i) {
    const Leg& leg = def.leg(i);
    const TextLocation ll = root.Child("leg", i);
    const std::string what = "leg '" + leg.name() + "'";
    if (!IsIdentifier(leg.name())) {
      p.Add(ll, "name", -1, "leg name '" + leg.name() + "' must be lower_case_with_underscores");
    } else if (!names.insert(leg.name()).second) {
      p.Add(ll, "name", -1, what + " is declared twice");
    }
    CheckLabel(leg.label(), ll, "label", what, p);
    if (leg.states().empty()) p.Add(ll, "", -1, what + " has no states");
    for (int j = 0; j < leg.states_size(); ++j) {
      const std::string& s = leg.states(j);
      const StateDef* state = FindState(def, s);
      if (state == nullptr) {
        p.Add(ll, "states", j, what + " names unknown state '" + s + "'");
      } else if (state->terminal()) {
        p.Add(ll, "states", j, what + " names terminal state '" + s + "'; nobody works there");
      } else if (auto [it, fresh] = leg_of_state.emplace(s, leg.name()); !fresh) {
        p.Add(ll, "states", j, "state '" + s + "' is in both leg '" + it->second + "' and " + what);
      }
    }
    if (!leg.has_acceptance()) {
      p.Add(ll, "", -1,
            what + " has no acceptance deadline; say how long the other centre has to accept");
    } else {
      CheckDeadline(leg.acceptance(), ll.Child("acceptance"), "acceptance deadline of " + what, p);
    }
  }
}

// Where a guard stands: what it may hold depends on it.
enum class GuardAt {
  kTransition,  // a transition's own guard: everything
  kCondition,   // not_applicable_when: no fields_given (no event carries them)
  kAnyOf,       // inside any_of: no roles, no further any_of, no fields_given
};

void CheckGuard(const WorkflowDefinition& def, const StateDef& state, const Guard& g,
                const TextLocation& loc, const std::string& what, Problems& p, GuardAt at) {
  const bool nested = at == GuardAt::kAnyOf;
  for (int i = 0; i < g.fields_given_size(); ++i) {
    if (FindField(def, g.fields_given(i)) == nullptr) {
      p.Add(loc, "fields_given", i, what + " requires undeclared field '" + g.fields_given(i) + "'");
    } else if (at != GuardAt::kTransition) {
      p.Add(loc, "fields_given", i,
            what + ": fields_given belongs on a transition's own guard, where an event carries "
                   "fields; here use fields_required");
    }
  }
  for (int i = 0; i < g.fields_required_size(); ++i) {
    if (FindField(def, g.fields_required(i)) == nullptr) {
      p.Add(loc, "fields_required", i,
            what + " requires undeclared field '" + g.fields_required(i) + "'");
    }
  }
  for (int i = 0; i < g.field_equals_size(); ++i) {
    const auto& fe = g.field_equals(i);
    const FieldDef* f = FindField(def, fe.field());
    if (f == nullptr) {
      p.Add(loc, "field_equals", i, what + " tests undeclared field '" + fe.field() + "'");
      continue;
    }
    // The value must be one the field can hold, written as it is kept, or
    // the condition could never hold.
    auto kept = NormalizeFieldValue(*f, fe.value());
    if (!kept.ok() || *kept != fe.value()) {
      p.Add(loc, "field_equals", i,
            what + " tests field '" + fe.field() + "' for '" + fe.value() + "', which it can never hold" +
                (kept.ok() ? "; write it as '" + *kept + "'" : ": " + kept.status().message()));
    }
  }
  for (int i = 0; i < g.dates_size(); ++i) {
    const DateCondition& dc = g.dates(i);
    const TextLocation dl = loc.Child("dates", i);
    for (const auto& [key, name] : {std::pair<std::string_view, std::string>{"field", dc.field()},
                                    {"reference", dc.reference()}}) {
      if (name == kToday) continue;
      const FieldDef* f = FindField(def, name);
      if (f == nullptr) {
        p.Add(dl, key, -1, what + " compares undeclared field '" + name + "'");
      } else if (!IsDateField(*f)) {
        p.Add(dl, key, -1,
              what + " compares field '" + name + "', which is not a date; give it type: DATE or "
                     "DATE_TIME");
      }
    }
    if (int(!dc.within_before().empty()) + int(dc.same_day()) + int(dc.not_after()) != 1) {
      p.Add(dl, "", -1,
            what + ": a date condition says one of within_before, same_day: true and not_after: true");
    } else if (!dc.within_before().empty()) {
      CheckDuration(dc.within_before(), dl, "within_before", what, p);
    }
  }
  for (int i = 0; i < g.tasks_done_size(); ++i) {
    // "task" is one of this state's; "state.task" one done in an earlier state.
    const std::string& name = g.tasks_done(i);
    const size_t dot = name.find('.');
    const std::string in_state = dot == std::string::npos ? state.name() : name.substr(0, dot);
    const std::string task = dot == std::string::npos ? name : name.substr(dot + 1);
    if (FindState(def, in_state) == nullptr) {
      p.Add(loc, "tasks_done", i,
            what + " needs task '" + name + "' done, but there is no state '" + in_state +
                "'; write an earlier state's task as state.task");
    } else if (FindTaskTemplate(def, in_state, task) == nullptr) {
      p.Add(loc, "tasks_done", i,
            what + " needs task '" + name + "' done, but state '" + in_state +
                "' creates no such task");
    }
  }
  for (int i = 0; i < g.roles_size(); ++i) {
    if (nested) {
      p.Add(loc, "roles", i, what + " names roles inside any_of; say who may do it on the outer guard");
    } else if (!IsCaseRole(g.roles(i))) {
      p.Add(loc, "roles", i,
            what + " names unknown role '" + g.roles(i) + "' (known: " + CaseRoleList() + ")");
    }
  }
  for (int i = 0; i < g.any_of_size(); ++i) {
    const AnyOf& any = g.any_of(i);
    const TextLocation al = loc.Child("any_of", i);
    if (nested) {
      p.Add(loc, "any_of", i, what + " nests any_of inside any_of; write the choices as one any_of");
      continue;
    }
    if (any.guard_size() < 2) {
      p.Add(al, "", -1, what + ": an any_of needs two guards or more, one for each way it may hold");
    }
    for (int j = 0; j < any.guard_size(); ++j) {
      if (IsEmptyGuard(any.guard(j))) {
        p.Add(al, "guard", j, what + ": an empty guard inside any_of would always hold");
      }
      CheckGuard(def, state, any.guard(j), al.Child("guard", j), what, p, GuardAt::kAnyOf);
    }
  }
}

void CheckWait(const WorkflowDefinition& def, const StateDef& s, const TextLocation& loc,
               const std::string& what, Problems& p) {
  const WaitForDay& w = s.wait();
  if (s.terminal()) p.Add(loc, "", -1, "terminal " + what + " waits for a day; nothing follows it");
  const FieldDef* f = FindField(def, w.field());
  if (f == nullptr) {
    p.Add(loc, "field", -1, what + " waits for undeclared field '" + w.field() + "'");
  } else if (!IsDateField(*f)) {
    p.Add(loc, "field", -1,
          what + " waits for field '" + w.field() + "', which is not a date; give it type: DATE or "
                 "DATE_TIME");
  }
  if (!w.ahead().empty()) CheckDuration(w.ahead(), loc, "ahead", what, p);
  bool any = false;
  bool guarded = false;
  for (const Transition& tr : s.transition()) {
    if (tr.on() != w.event()) continue;
    any = true;
    guarded = guarded || !IsEmptyGuard(tr.guard());
    if (!tr.guard().roles().empty()) {
      p.Add(loc, "event", -1,
            what + " waits to fire '" + w.event() + "', but a transition on it needs a role; the "
                   "system fires it, and holds none");
    }
    if (const StateDef* to = FindState(def, tr.to()); to != nullptr && to->has_wait()) {
      p.Add(loc, "event", -1,
            what + " waits to fire '" + w.event() + "', which leads to state '" + tr.to() +
                "', itself waiting for a day; wait once, for the later day");
    }
    if (!tr.guard().fields_given().empty()) {
      p.Add(loc, "event", -1,
            what + " waits to fire '" + w.event() + "', but a transition on it needs fields given; "
                   "the system gives none");
    }
  }
  if (!any) {
    p.Add(loc, "event", -1,
          what + " waits to fire '" + w.event() + "', but has no transition on that event");
  }
  if (guarded && !s.has_deadline()) {
    p.Add(loc, "", -1,
          what + " may be unable to move on when its day comes (a way on has a guard), and has "
                 "no deadline to chase it; give it one");
  }
}

void CheckState(const WorkflowDefinition& def, const StateDef& s, const TextLocation& loc,
                DefinitionRules rules, Problems& p) {
  const std::string what = "state '" + s.name() + "'";
  if (!IsIdentifier(s.name())) {
    p.Add(loc, "name", -1, "state name '" + s.name() + "' must be lower_case_with_underscores");
  }
  CheckLabel(s.label(), loc, "label", what, p);
  if (s.terminal()) {
    if (s.transition_size() > 0) {
      p.Add(loc, "transition", 0, "terminal " + what + " has transitions; a terminal state ends the workflow");
    }
    if (s.task_size() > 0) p.Add(loc, "task", 0, "terminal " + what + " creates tasks nobody could finish");
    if (s.has_deadline()) p.Add(loc, "deadline", -1, "terminal " + what + " has a deadline");
  }
  std::set<std::string> task_names;
  for (int i = 0; i < s.task_size(); ++i) {
    const TaskTemplate& t = s.task(i);
    const TextLocation tl = loc.Child("task", i);
    const std::string twhat = "task '" + t.name() + "' in " + what;
    if (!IsIdentifier(t.name())) {
      p.Add(tl, "name", -1, "task name '" + t.name() + "' must be lower_case_with_underscores");
    } else if (!task_names.insert(t.name()).second) {
      p.Add(tl, "name", -1, what + " creates task '" + t.name() + "' twice");
    }
    CheckLabel(t.label(), tl, "label", twhat, p);
    if (!IsCaseRole(t.role())) {
      p.Add(tl, "role", -1,
            twhat + " has unknown role '" + t.role() + "' (known: " + CaseRoleList() + ")");
    }
    if (!t.due_within().empty()) CheckDuration(t.due_within(), tl, "due_within", twhat, p);
    if (!t.repeat_every().empty()) CheckDuration(t.repeat_every(), tl, "repeat_every", twhat, p);
    for (int j = 0; j < t.after_size(); ++j) {
      // Only a task listed before it: the order can then never go round in a circle.
      if (task_names.count(t.after(j)) == 0 || t.after(j) == t.name()) {
        p.Add(tl, "after", j,
              twhat + " comes after '" + t.after(j) + "', which is not a task listed before it in " +
                  what);
      }
    }
    if (t.has_not_applicable_when()) {
      if (IsEmptyGuard(t.not_applicable_when())) {
        p.Add(tl, "not_applicable_when", -1,
              twhat + ": an empty not_applicable_when always holds; write may_not_apply: true");
      }
      CheckGuard(def, s, t.not_applicable_when(), tl.Child("not_applicable_when"), twhat, p,
                 GuardAt::kCondition);
    }
  }
  std::set<std::string> unguarded_events;
  std::set<std::string> guarded_events;
  for (int i = 0; i < s.transition_size(); ++i) {
    const Transition& tr = s.transition(i);
    const TextLocation tl = loc.Child("transition", i);
    const std::string twhat = "transition on '" + tr.on() + "' from " + what;
    if (!IsIdentifier(tr.on())) {
      p.Add(tl, "on", -1, "event name '" + tr.on() + "' must be lower_case_with_underscores");
    }
    if (FindState(def, tr.to()) == nullptr) {
      p.Add(tl, "to", -1, twhat + " goes to unknown state '" + tr.to() + "'");
    }
    CheckLabel(tr.label(), tl, "label", twhat, p);
    CheckGuard(def, s, tr.guard(), tl.Child("guard"), twhat, p, GuardAt::kTransition);
    std::set<std::string> cleared;
    for (int j = 0; j < tr.clears_size(); ++j) {
      if (FindField(def, tr.clears(j)) == nullptr) {
        p.Add(tl, "clears", j, twhat + " clears undeclared field '" + tr.clears(j) + "'");
      } else if (std::find(def.required_on_open().begin(), def.required_on_open().end(),
                           tr.clears(j)) != def.required_on_open().end()) {
        p.Add(tl, "clears", j,
              twhat + " clears field '" + tr.clears(j) + "', which every case has from opening");
      } else if (!cleared.insert(tr.clears(j)).second) {
        p.Add(tl, "clears", j, twhat + " clears field '" + tr.clears(j) + "' twice");
      }
    }
    const bool unguarded = IsEmptyGuard(tr.guard());
    const bool after_guarded = guarded_events.count(tr.on()) != 0;
    if (unguarded && !unguarded_events.insert(tr.on()).second) {
      p.Add(tl, "on", -1,
            what + " has two unguarded transitions on event '" + tr.on() +
                "'; the second could never fire");
    } else if (unguarded && after_guarded && !tr.otherwise() &&
               rules == DefinitionRules::kCurrent) {
      p.Add(tl, "on", -1,
            twhat + " has no guard and follows a guarded one on the same event: when that guard "
                    "fails, the case would take this path with no word of what was missing; write "
                    "`otherwise: true` if that is meant, or give it a guard");
    }
    if (tr.otherwise() && !unguarded) {
      p.Add(tl, "otherwise", -1, twhat + " is marked otherwise but has a guard; a fallback has none");
    } else if (tr.otherwise() && !after_guarded) {
      p.Add(tl, "otherwise", -1,
            twhat + " is marked otherwise, but no guarded transition on '" + tr.on() +
                "' comes before it");
    }
    if (!unguarded) guarded_events.insert(tr.on());
  }
  if (s.has_deadline()) CheckDeadline(s.deadline(), loc.Child("deadline"), "deadline of " + what, p);
  if (s.has_wait()) CheckWait(def, s, loc.Child("wait"), what, p);
  for (int i = 0; i < s.pause_reasons_size(); ++i) {
    const auto& reasons = def.pause_reason();
    if (std::none_of(reasons.begin(), reasons.end(),
                     [&](const PauseReason& r) { return r.name() == s.pause_reasons(i); })) {
      p.Add(loc, "pause_reasons", i,
            what + " allows undeclared pause reason '" + s.pause_reasons(i) + "'");
    }
  }
}

// Reachability from the initial state, and from every state to a terminal one.
void CheckGraph(const WorkflowDefinition& def, const TextLocation& root, Problems& p) {
  std::map<std::string, int> index;
  for (int i = 0; i < def.state_size(); ++i) index.emplace(def.state(i).name(), i);
  if (index.find(def.initial_state()) == index.end()) return;  // reported already

  std::vector<std::vector<int>> next(def.state_size()), prev(def.state_size());
  for (int i = 0; i < def.state_size(); ++i) {
    for (const Transition& tr : def.state(i).transition()) {
      auto it = index.find(tr.to());
      if (it == index.end()) continue;
      next[i].push_back(it->second);
      prev[it->second].push_back(i);
    }
  }
  auto flood = [&](std::deque<int> todo, const std::vector<std::vector<int>>& edges) {
    std::vector<bool> seen(def.state_size(), false);
    for (int i : todo) seen[i] = true;
    while (!todo.empty()) {
      const int at = todo.front();
      todo.pop_front();
      for (int n : edges[at]) {
        if (!seen[n]) {
          seen[n] = true;
          todo.push_back(n);
        }
      }
    }
    return seen;
  };
  const std::vector<bool> reachable = flood({index[def.initial_state()]}, next);
  std::deque<int> terminals;
  for (int i = 0; i < def.state_size(); ++i) {
    if (def.state(i).terminal()) terminals.push_back(i);
  }
  if (terminals.empty()) {
    p.Add(root, "state", 0, "no state is terminal; mark the states that end a case with terminal: true");
    return;
  }
  const std::vector<bool> finishes = flood(terminals, prev);
  for (int i = 0; i < def.state_size(); ++i) {
    const std::string& name = def.state(i).name();
    if (!reachable[i]) {
      p.Add(root, "state", i,
            "state '" + name + "' is unreachable: no transition from '" + def.initial_state() +
                "' leads to it");
    } else if (!finishes[i]) {
      p.Add(root, "state", i,
            "state '" + name + "' cannot reach a terminal state; a case there could never end");
    }
  }
}

// (state index, task index) of the first task with a due time.
std::optional<std::pair<int, int>> FirstTaskWithDueTime(const WorkflowDefinition& def) {
  for (int i = 0; i < def.state_size(); ++i) {
    for (int j = 0; j < def.state(i).task_size(); ++j) {
      const TaskTemplate& t = def.state(i).task(j);
      if (!t.due_within().empty() || !t.repeat_every().empty()) return std::make_pair(i, j);
    }
  }
  return std::nullopt;
}

void CheckDefinition(const WorkflowDefinition& def, const TextLocation& root,
                     DefinitionRules rules, Problems& p) {
  if (!IsIdentifier(def.name())) {
    p.Add(root, "name", -1,
          def.name().empty() ? "the definition has no name"
                             : "name '" + def.name() + "' must be lower_case_with_underscores");
  }
  if (def.version() < 1) p.Add(root, "version", -1, "version must be 1 or more");
  CheckLabel(def.label(), root, "label", "the definition", p);

  std::set<std::string> names;
  for (int i = 0; i < def.field_size(); ++i) {
    const FieldDef& f = def.field(i);
    const TextLocation fl = root.Child("field", i);
    if (!IsIdentifier(f.name())) {
      p.Add(fl, "name", -1, "field name '" + f.name() + "' must be lower_case_with_underscores");
    } else if (f.name() == kToday) {
      p.Add(fl, "name", -1, "field name 'today' is kept for date conditions; call it something else");
    } else if (!names.insert(f.name()).second) {
      p.Add(fl, "name", -1, "field '" + f.name() + "' is declared twice");
    }
    CheckLabel(f.label(), fl, "label", "field '" + f.name() + "'", p);
    CheckFieldType(f, fl, p);
  }
  for (int i = 0; i < def.required_on_open_size(); ++i) {
    if (FindField(def, def.required_on_open(i)) == nullptr) {
      p.Add(root, "required_on_open", i,
            "required_on_open names undeclared field '" + def.required_on_open(i) + "'");
    }
  }
  names.clear();
  for (int i = 0; i < def.pause_reason_size(); ++i) {
    const PauseReason& r = def.pause_reason(i);
    const TextLocation rl = root.Child("pause_reason", i);
    if (!IsIdentifier(r.name())) {
      p.Add(rl, "name", -1, "pause reason '" + r.name() + "' must be lower_case_with_underscores");
    } else if (!names.insert(r.name()).second) {
      p.Add(rl, "name", -1, "pause reason '" + r.name() + "' is declared twice");
    }
    CheckLabel(r.label(), rl, "label", "pause reason '" + r.name() + "'", p);
  }

  if (def.state_size() == 0) {
    p.Add(root, "", -1, "the definition has no states");
    return;
  }
  names.clear();
  for (int i = 0; i < def.state_size(); ++i) {
    if (!names.insert(def.state(i).name()).second) {
      p.Add(root, "state", i, "state '" + def.state(i).name() + "' is declared twice");
    }
  }
  if (def.initial_state().empty()) {
    p.Add(root, "", -1, "initial_state is missing");
  } else if (FindState(def, def.initial_state()) == nullptr) {
    p.Add(root, "initial_state", -1, "initial_state '" + def.initial_state() + "' is not a state");
  }
  for (int i = 0; i < def.state_size(); ++i) CheckState(def, def.state(i), root.Child("state", i), rules, p);
  if (def.has_case_deadline()) {
    CheckDeadline(def.case_deadline(), root.Child("case_deadline"), "case_deadline", p);
  }
  if (def.has_task_escalation()) {
    CheckDeadline(def.task_escalation(), root.Child("task_escalation"), "task_escalation", p,
                  /*needs_within=*/false);
  } else if (const auto first = FirstTaskWithDueTime(def)) {
    const auto [i, j] = *first;
    p.Add(root.Child("state", i).Child("task", j), "due_within", -1,
          "task '" + def.state(i).task(j).name() +
              "' is due within a time, but the definition has no task_escalation to say who is "
              "told when it is late");
  }
  CheckLegs(def, root, p);
  // Reachability is only meaningful once every transition names a real state.
  if (p.empty()) CheckGraph(def, root, p);
}

}  // namespace

DefinitionRef LoadedDefinition::Ref() const {
  DefinitionRef ref;
  ref.set_name(definition.name());
  ref.set_version(definition.version());
  ref.set_content_hash(content_hash);
  return ref;
}

const StateDef* FindState(const WorkflowDefinition& def, std::string_view name) {
  for (const StateDef& s : def.state()) {
    if (s.name() == name) return &s;
  }
  return nullptr;
}

const TaskTemplate* FindTaskTemplate(const WorkflowDefinition& def, std::string_view state,
                                     std::string_view task) {
  const StateDef* s = FindState(def, state);
  if (s == nullptr) return nullptr;
  for (const TaskTemplate& t : s->task()) {
    if (t.name() == task) return &t;
  }
  return nullptr;
}

void FieldsReadBy(const Guard& guard, std::set<std::string>& out) {
  out.insert(guard.fields_required().begin(), guard.fields_required().end());
  for (const auto& fe : guard.field_equals()) out.insert(fe.field());
  for (const auto& dc : guard.dates()) {
    for (const std::string& side : {dc.field(), dc.reference()}) {
      if (side != kToday) out.insert(side);
    }
  }
  for (const auto& any : guard.any_of()) {
    for (const auto& g : any.guard()) FieldsReadBy(g, out);
  }
}

bool IsEmptyGuard(const Guard& g) {
  return g.fields_required().empty() && g.field_equals().empty() && g.tasks_done().empty() &&
         g.roles().empty() && g.dates().empty() && g.any_of().empty() && g.fields_given().empty();
}

const FieldDef* FindField(const WorkflowDefinition& def, std::string_view name) {
  for (const FieldDef& f : def.field()) {
    if (f.name() == name) return &f;
  }
  return nullptr;
}

const Leg* FindLeg(const WorkflowDefinition& def, std::string_view name) {
  for (const Leg& l : def.leg()) {
    if (l.name() == name) return &l;
  }
  return nullptr;
}

const Leg* LegOfState(const WorkflowDefinition& def, std::string_view state) {
  for (const Leg& l : def.leg()) {
    if (std::find(l.states().begin(), l.states().end(), state) != l.states().end()) return &l;
  }
  return nullptr;
}

Result<LoadedDefinition> LoadDefinition(std::string_view path, std::string text,
                                        DefinitionRules rules) {
  LoadedDefinition out;
  google::protobuf::TextFormat::ParseInfoTree tree;
  RETURN_IF_ERROR(ParseTextProto(path, text, &out.definition, &tree));
  Problems problems;
  CheckDefinition(out.definition,
                  TextLocation(std::string(path), &tree, WorkflowDefinition::descriptor(), 1),
                  rules, problems);
  if (!problems.empty()) return Status::InvalidArgument(problems.Joined());
  out.path = std::string(path);
  out.content_hash = Sha256Hex(text);
  out.text = std::move(text);
  return out;
}

Result<LoadedDefinition> LoadDefinitionFile(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return LoadDefinition(path, std::move(text));
}

}  // namespace model
