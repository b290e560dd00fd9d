#include "model/workflow_loader.h"

#include <doctest/doctest.h>

#include "model/crypto.h"
#include "support/temp_dir.h"

namespace model {
namespace {

// Line numbers matter: the tests below name them.
const std::string kMini = R"pb(name: "mini"
version: 1
label { zh_hant: "測試" en: "Mini" }
initial_state: "start"
field { name: "port" label { zh_hant: "口岸" en: "Port" } one_of: "shenzhen_bay" }
pause_reason { name: "waiting" label { zh_hant: "等候" en: "Waiting" } }
state {
  name: "start"
  label { zh_hant: "開始" en: "Start" }
  task { name: "call" label { zh_hant: "致電" en: "Call" } role: "duty_officer" due_within: "2h" }
  deadline { within: "1d" escalate_to: "assignee" }
  pause_reasons: "waiting"
  transition { on: "go" to: "end" label { zh_hant: "去" en: "Go" } guard { tasks_done: "call" fields_required: "port" } }
}
state {
  name: "end"
  label { zh_hant: "完" en: "End" }
  terminal: true
}
task_escalation { escalate_to: "assignee" }
)pb";

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  return text.replace(at, from.size(), to);
}

// The problems of loading `text` as "mini.textproto", one per line.
std::string Problems(const std::string& text) {
  auto r = LoadDefinition("mini.textproto", text);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kInvalidArgument);
  return r.status().message();
}

const std::string kOrphan = R"pb(state {
  name: "orphan"
  label { zh_hant: "孤" en: "Orphan" }
  terminal: true
}
)pb";

}  // namespace

TEST_CASE("a valid definition loads with the hash of its text") {
  auto r = LoadDefinition("mini.textproto", kMini);
  REQUIRE_MESSAGE(r.ok(), r.status().ToString());
  CHECK(r->definition.name() == "mini");
  CHECK(r->content_hash == Sha256Hex(kMini));
  CHECK(r->Ref().version() == 1);
  CHECK(FindState(r->definition, "end")->terminal());
  CHECK(FindField(r->definition, "port") != nullptr);
  CHECK(FindField(r->definition, "nope") == nullptr);
}

TEST_CASE("a syntax error names file, line and column") {
  const std::string p = Problems(Replace(kMini, "version: 1", "version: 1\nbogus: 2"));
  CHECK(p.rfind("mini.textproto:3:6: Message type \"model.WorkflowDefinition\" has no field named \"bogus\"", 0) == 0);
  CHECK(p.find("bogus") != std::string::npos);
}

TEST_CASE("an unknown target state names the transition's line") {
  CHECK(Problems(Replace(kMini, "to: \"end\"", "to: \"ennd\"")) ==
        "mini.textproto:13: transition on 'go' from state 'start' goes to unknown state 'ennd'");
}

TEST_CASE("an unreachable state names its line and the state") {
  CHECK(Problems(kMini + kOrphan) ==
        "mini.textproto:21: state 'orphan' is unreachable: no transition from 'start' leads to it");
}

TEST_CASE("a state that cannot reach a terminal state is refused") {
  const std::string text =
      Replace(kMini, "  pause_reasons: \"waiting\"\n",
              "  pause_reasons: \"waiting\"\n  transition { on: \"stall\" to: \"limbo\" label { zh_hant: \"停\" en: \"Stall\" } }\n") +
      R"pb(state {
  name: "limbo"
  label { zh_hant: "困" en: "Limbo" }
  transition { on: "again" to: "limbo" label { zh_hant: "再" en: "Again" } }
}
)pb";
  CHECK(Problems(text) ==
        "mini.textproto:22: state 'limbo' cannot reach a terminal state; a case there could never end");
}

TEST_CASE("two unguarded transitions on one event are refused at the second") {
  const std::string text = Replace(
      kMini, "  pause_reasons: \"waiting\"\n",
      "  pause_reasons: \"waiting\"\n"
      "  transition { on: \"skip\" to: \"end\" label { zh_hant: \"略\" en: \"Skip\" } }\n"
      "  transition { on: \"skip\" to: \"start\" label { zh_hant: \"略\" en: \"Skip\" } }\n");
  CHECK(Problems(text) ==
        "mini.textproto:14: state 'start' has two unguarded transitions on event 'skip'; the "
        "second could never fire");
}

TEST_CASE("a fallback after a guarded transition must say otherwise") {
  // The go transition (line 13) is guarded; an unguarded one on go after it
  // would be taken silently whenever the guard fails.
  const std::string fallback =
      "  transition { on: \"go\" to: \"start\" label { zh_hant: \"再\" en: \"Again\" } }\n";
  const std::string silent = kMini.substr(0, kMini.find("}\nstate {\n  name: \"end\"")) +
                             fallback + kMini.substr(kMini.find("}\nstate {\n  name: \"end\""));
  CHECK(Problems(silent) ==
        "mini.textproto:14: transition on 'go' from state 'start' has no guard and follows a "
        "guarded one on the same event: when that guard fails, the case would take this path with "
        "no word of what was missing; write `otherwise: true` if that is meant, or give it a guard");
  // A case that pinned such a definition before the rule runs on as it began.
  CHECK(LoadDefinition("pinned", silent, DefinitionRules::kWhenPinned).ok());
  const std::string said = Replace(silent, "en: \"Again\" } }", "en: \"Again\" } otherwise: true }");
  auto r = LoadDefinition("mini.textproto", said);
  CHECK_MESSAGE(r.ok(), r.status().ToString());
  // Otherwise is for a fallback: not on a guarded transition, not on the first.
  CHECK(Problems(Replace(kMini, "fields_required: \"port\" }", "fields_required: \"port\" } otherwise: true")) ==
        "mini.textproto:13: transition on 'go' from state 'start' is marked otherwise but has a "
        "guard; a fallback has none");
  CHECK(Problems(Replace(said, "on: \"go\" to: \"end\"", "on: \"leave\" to: \"end\"")) ==
        "mini.textproto:14: transition on 'go' from state 'start' is marked otherwise, but no "
        "guarded transition on 'go' comes before it");
}

TEST_CASE("an unknown role is refused with the known ones") {
  CHECK(Problems(Replace(kMini, "role: \"duty_officer\"", "role: \"driver\"")) ==
        "mini.textproto:10: task 'call' in state 'start' has unknown role 'driver' (known: "
        "duty_officer, coordinator, supervisor)");
  const std::string guarded = Replace(kMini, "fields_required: \"port\" }", "roles: \"boss\" }");
  CHECK(Problems(guarded).find("mini.textproto:13: transition on 'go' from state 'start' names "
                               "unknown role 'boss'") == 0);
}

TEST_CASE("a bad duration is refused with the reason") {
  CHECK(Problems(Replace(kMini, "due_within: \"2h\"", "due_within: \"2 hours\"")) ==
        "mini.textproto:10: task 'call' in state 'start': bad duration '2 hours': unknown unit ' ' "
        "(write e.g. 90m, 12h, 2d, 1d12h)");
  CHECK(Problems(Replace(kMini, "within: \"1d\"", "within: \"soon\"")).find("mini.textproto:11: ") == 0);
}

TEST_CASE("a deadline needs an escalation target, and a known one") {
  CHECK(Problems(Replace(kMini, " escalate_to: \"assignee\"", "")) ==
        "mini.textproto:11: deadline of state 'start' has no escalation target; add escalate_to: "
        "assignee, centre_supervisor or network_coordinator");
  CHECK(Problems(Replace(kMini, "escalate_to: \"assignee\"", "escalate_to: \"mayor\"")) ==
        "mini.textproto:11: deadline of state 'start' escalates to unknown target 'mayor' (known: "
        "assignee, centre_supervisor, network_coordinator)");
}

TEST_CASE("guards may only name declared fields and the state's own tasks") {
  CHECK(Problems(Replace(kMini, "fields_required: \"port\"", "fields_required: \"prot\"")) ==
        "mini.textproto:13: transition on 'go' from state 'start' requires undeclared field 'prot'");
  CHECK(Problems(Replace(kMini, "tasks_done: \"call\"", "tasks_done: \"visit\"")) ==
        "mini.textproto:13: transition on 'go' from state 'start' needs task 'visit' done, but "
        "state 'start' creates no such task");
  CHECK(Problems(Replace(kMini, "fields_required: \"port\"",
                         "field_equals { field: \"port\" value: \"lo_wu\" }")) ==
        "mini.textproto:13: transition on 'go' from state 'start' tests field 'port' for 'lo_wu', "
        "which it can never hold: field 'port' (Port) cannot be 'lo_wu'; use one of: shenzhen_bay");
}

TEST_CASE("typed fields: choices need labels, and one_of is for untyped fields only") {
  const std::string field_line =
      "field { name: \"port\" label { zh_hant: \"口岸\" en: \"Port\" } one_of: \"shenzhen_bay\" }";
  const auto with_field = [&](const std::string& f) { return Replace(kMini, field_line, f); };
  // A typed definition loads.
  auto typed = LoadDefinition(
      "mini.textproto",
      with_field("field { name: \"port\" label { zh_hant: \"口岸\" en: \"Port\" } type: CHOICE\n"
                 "  choice { value: \"shenzhen_bay\" label { zh_hant: \"深圳灣\" en: \"Shenzhen Bay\" } } }\n"
                 "field { name: \"on\" label { zh_hant: \"日\" en: \"On\" } type: DATE }"));
  REQUIRE_MESSAGE(typed.ok(), typed.status().ToString());
  CHECK(typed->definition.field(1).type() == FieldDef::DATE);

  CHECK(Problems(with_field("field { name: \"port\" label { zh_hant: \"口岸\" en: \"Port\" } type: CHOICE }")) ==
        "mini.textproto:5: field 'port' is a choice but lists no choice { value label }");
  CHECK(Problems(with_field("field { name: \"port\" label { zh_hant: \"口岸\" en: \"Port\" }\n"
                            "  choice { value: \"hzmb\" label { zh_hant: \"港珠澳\" en: \"HZMB\" } } }")) ==
        "mini.textproto:6: field 'port' lists choices; give it type: CHOICE");
  CHECK(Problems(with_field("field { name: \"port\" label { zh_hant: \"口岸\" en: \"Port\" } type: DATE "
                            "one_of: \"hzmb\" }")) ==
        "mini.textproto:5: field 'port' mixes one_of with a type; list its values as choice { value label }");
  CHECK(Problems(with_field("field { name: \"port\" label { zh_hant: \"口岸\" en: \"Port\" } type: CHOICE\n"
                            "  choice { value: \"hzmb\" label { en: \"HZMB\" } }\n"
                            "  choice { value: \"hzmb\" label { zh_hant: \"港珠澳\" en: \"HZMB\" } } }")) ==
        "mini.textproto:6: field 'port': choice 'hzmb' has no zh_hant label\n"
        "mini.textproto:7: field 'port': choice 'hzmb' is listed twice");
  // A misspelt type is the parser's error, with its line.
  CHECK(Problems(with_field("field { name: \"port\" label { zh_hant: \"口岸\" en: \"Port\" } type: DATUM }"))
            .rfind("mini.textproto:5:", 0) == 0);
}

TEST_CASE("a guard's value must be one its field can hold, written as it is kept") {
  const std::string typed = Replace(
      kMini, "one_of: \"shenzhen_bay\" }",
      "one_of: \"shenzhen_bay\" }\nfield { name: \"seen\" label { zh_hant: \"見\" en: \"Seen\" } type: YES_NO }");
  CHECK(Problems(Replace(typed, "fields_required: \"port\"",
                         "field_equals { field: \"seen\" value: \"true\" }")) ==
        "mini.textproto:14: transition on 'go' from state 'start' tests field 'seen' for 'true', "
        "which it can never hold; write it as 'yes'");
  CHECK(LoadDefinition("mini.textproto", Replace(typed, "fields_required: \"port\"",
                                                 "field_equals { field: \"seen\" value: \"yes\" }"))
            .ok());
}

TEST_CASE("date conditions compare two date fields, or one with today") {
  const std::string dated = Replace(
      kMini, "one_of: \"shenzhen_bay\" }",
      "one_of: \"shenzhen_bay\" }\n"
      "field { name: \"test_at\" label { zh_hant: \"檢測\" en: \"Test\" } type: DATE_TIME }\n"
      "field { name: \"cross_on\" label { zh_hant: \"過境\" en: \"Crossing\" } type: DATE }");
  const auto with_guard = [&](const std::string& g) {
    return Replace(dated, "fields_required: \"port\"", g);
  };
  CHECK(LoadDefinition("mini.textproto",
                       with_guard("dates { field: \"test_at\" reference: \"cross_on\" within_before: \"48h\" } "
                                  "dates { field: \"cross_on\" reference: \"today\" same_day: true }"))
            .ok());
  CHECK(Problems(with_guard("dates { field: \"port\" reference: \"cross_on\" same_day: true }")) ==
        "mini.textproto:15: transition on 'go' from state 'start' compares field 'port', which is "
        "not a date; give it type: DATE or DATE_TIME");
  CHECK(Problems(with_guard("dates { field: \"test_at\" reference: \"crossing\" same_day: true }")) ==
        "mini.textproto:15: transition on 'go' from state 'start' compares undeclared field 'crossing'");
  CHECK(Problems(with_guard("dates { field: \"test_at\" reference: \"cross_on\" }")) ==
        "mini.textproto:15: transition on 'go' from state 'start': a date condition says one of "
        "within_before, same_day: true and not_after: true");
  CHECK(LoadDefinition("mini.textproto",
                       with_guard("dates { field: \"today\" reference: \"cross_on\" not_after: true }"))
            .ok());
  CHECK(Problems(Replace(dated, "name: \"cross_on\"", "name: \"today\"")).find(
            "mini.textproto:7: field name 'today' is kept for date conditions") != std::string::npos);
  CHECK(Problems(with_guard("dates { field: \"test_at\" reference: \"cross_on\" within_before: \"two days\" }"))
            .rfind("mini.textproto:15: transition on 'go' from state 'start': ", 0) == 0);
}

TEST_CASE("any_of holds when one of its guards does and counts as a guard for the fallback rule") {
  const auto with_guard = [&](const std::string& g) {
    return Replace(kMini, "guard { tasks_done: \"call\" fields_required: \"port\" }", "guard { " + g + " }");
  };
  CHECK(LoadDefinition("mini.textproto",
                       with_guard("any_of { guard { tasks_done: \"call\" } guard { fields_required: \"port\" } }"))
            .ok());
  CHECK(Problems(with_guard("any_of { guard { tasks_done: \"call\" } }")) ==
        "mini.textproto:13: transition on 'go' from state 'start': an any_of needs two guards or "
        "more, one for each way it may hold");
  CHECK(Problems(with_guard("any_of { guard { tasks_done: \"call\" } guard { } }")) ==
        "mini.textproto:13: transition on 'go' from state 'start': an empty guard inside any_of "
        "would always hold");
  CHECK(Problems(with_guard("any_of { guard { tasks_done: \"call\" } guard { roles: \"supervisor\" } }")) ==
        "mini.textproto:13: transition on 'go' from state 'start' names roles inside any_of; say "
        "who may do it on the outer guard");
  CHECK(Problems(with_guard("any_of { guard { tasks_done: \"call\" } guard { any_of { } } }")) ==
        "mini.textproto:13: transition on 'go' from state 'start' nests any_of inside any_of; write "
        "the choices as one any_of");
  CHECK(Problems(with_guard("any_of { guard { tasks_done: \"visit\" } guard { fields_required: \"port\" } }")) ==
        "mini.textproto:13: transition on 'go' from state 'start' needs task 'visit' done, but "
        "state 'start' creates no such task");
  // An any_of guards its transition: a fallback after it must say otherwise.
  const std::string fallback =
      with_guard("any_of { guard { tasks_done: \"call\" } guard { fields_required: \"port\" } }");
  CHECK(Problems(Replace(fallback, "} } }\n}", "} } }\n  transition { on: \"go\" to: \"end\" label { zh_hant: \"再\" en: \"Again\" } }\n}"))
            .find("follows a guarded one on the same event") != std::string::npos);
}

TEST_CASE("a task's not_applicable_when is a guard like any other") {
  const std::string task_line =
      "task { name: \"call\" label { zh_hant: \"致電\" en: \"Call\" } role: \"duty_officer\" due_within: \"2h\" }";
  const auto with = [&](const std::string& extra) {
    return Replace(kMini, task_line,
                   "task { name: \"call\" label { zh_hant: \"致電\" en: \"Call\" } role: \"duty_officer\" "
                   "due_within: \"2h\" " + extra + " }");
  };
  CHECK(LoadDefinition("mini.textproto", with("not_applicable_when { fields_required: \"port\" }")).ok());
  CHECK(Problems(with("not_applicable_when { }")) ==
        "mini.textproto:10: task 'call' in state 'start': an empty not_applicable_when always "
        "holds; write may_not_apply: true");
  CHECK(Problems(with("not_applicable_when { fields_required: \"prot\" }")) ==
        "mini.textproto:10: task 'call' in state 'start' requires undeclared field 'prot'");
}

TEST_CASE("pause reasons must be declared") {
  CHECK(Problems(Replace(kMini, "pause_reasons: \"waiting\"", "pause_reasons: \"lunch\"")) ==
        "mini.textproto:12: state 'start' allows undeclared pause reason 'lunch'");
}

TEST_CASE("every label needs both languages") {
  CHECK(Problems(Replace(kMini, "label { zh_hant: \"完\" en: \"End\" }", "label { en: \"End\" }")) ==
        "mini.textproto:17: state 'end' has no zh_hant label");
}

TEST_CASE("the initial state must exist, and some state must be terminal") {
  CHECK(Problems(Replace(kMini, "initial_state: \"start\"", "initial_state: \"begin\"")) ==
        "mini.textproto:4: initial_state 'begin' is not a state");
  CHECK(Problems(Replace(kMini, "  terminal: true\n", "")) ==
        "mini.textproto:7: no state is terminal; mark the states that end a case with terminal: "
        "true");
}

TEST_CASE("a terminal state may not have work left in it") {
  const std::string p = Problems(Replace(
      kMini, "  terminal: true\n",
      "  terminal: true\n  transition { on: \"reopen\" to: \"start\" label { zh_hant: \"重\" en: \"Reopen\" } }\n"));
  CHECK(p == "mini.textproto:19: terminal state 'end' has transitions; a terminal state ends the workflow");
}

TEST_CASE("duplicate names are refused") {
  CHECK(Problems(kMini + Replace(kOrphan, "\"orphan\"", "\"end\"")).find(
            "mini.textproto:21: state 'end' is declared twice") == 0);
}

TEST_CASE("all problems of a file are reported together, in file order") {
  const std::string p = Problems(Replace(Replace(kMini, "role: \"duty_officer\"", "role: \"x\""),
                                         "to: \"end\"", "to: \"y\""));
  CHECK(p.find("mini.textproto:10: ") == 0);
  CHECK(p.find("\nmini.textproto:13: ") != std::string::npos);
}

TEST_CASE("loading a file names the file in its errors") {
  testing::TempDir dir;
  const std::string path = dir.Write("broken.textproto", Replace(kMini, "to: \"end\"", "to: \"y\""));
  auto r = LoadDefinitionFile(path);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().rfind(path + ":13: ", 0) == 0);
  CHECK(LoadDefinitionFile(dir.Path("missing.textproto")).status().code() == Code::kNotFound);
}

TEST_CASE("a definition saved in Big5 is refused at the line of the first bad byte") {
  auto r = LoadDefinition("big5.textproto",
                          "name: \"escort\"\nversion: 1\nlabel { zh_hant: \"\xc5\x40\" }\n");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() ==
        "big5.textproto:3: the file is not valid UTF-8 text; save it as UTF-8");
}

}  // namespace model
