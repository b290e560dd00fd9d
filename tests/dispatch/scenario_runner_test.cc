#include "dispatch/scenario_runner.h"

#include <doctest/doctest.h>

#include "dispatch/sqlite_store.h"
#include "model/text_proto.h"
#include "support/temp_dir.h"
#include "support/world.h"

namespace dispatch {
namespace {

// A scenario with a known shape; line numbers matter below.
const std::string kScenario = R"pb(# Reproduces nothing real: a test of the runner.
name: "runner"
start_at: "2026-03-02T09:00:00+08:00"
user { name: "chan_sz" centre: "SZ" role: "duty_officer" }
step {
  as: "chan_sz"
  ref: "c"
  command { open_case { type: "escort_to_port" centre: "SZ" person { name_en: "Test Person" } } }
  expect { state: "planning" }
}
step {
  advance: "2h"
  command { complete_task { case_number: "@c" task { name: "arrange_departure" } } }
  expect { state: "planning" task { name: "arrange_departure" status: TASK_DONE } }
}
)pb";

struct Run {
  model::Result<ScenarioOutcome> outcome;
  std::unique_ptr<SqliteStore> store;
};

Run RunText(const std::string& text) {
  testing::TempDir dir;
  const std::string path = dir.Write("s.textproto", text);
  auto loaded = LoadScenarioFile(path);
  REQUIRE_MESSAGE(loaded.ok(), loaded.status().ToString());
  loaded->path = "s.textproto";  // stable names in messages
  auto store = SqliteStore::Open(":memory:", SqliteStore::Mode::kCreate);
  REQUIRE(store.ok());
  auto catalog = testing::ShippedCatalog();
  model::FakeClock clock(testing::StartTime());
  REQUIRE(Dispatcher(**store, catalog, clock).Initialize("admin", DatabasePurpose::kScenarios).ok());
  auto outcome = RunScenario(*loaded, **store, catalog);
  return {std::move(outcome), std::move(store).value()};
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("a scenario whose expectations hold passes, in virtual time") {
  Run r = RunText(kScenario);
  REQUIRE_MESSAGE(r.outcome.ok(), r.outcome.status().ToString());
  CHECK(r.outcome->passed());
  CHECK(r.outcome->steps_run == 2);
  REQUIRE(r.outcome->cases.size() == 1);
  CHECK(r.outcome->cases[0] == std::make_pair(std::string("c"), std::string("SZ-2026-0001")));
  const auto timeline = *r.store->Read().Timeline("SZ-2026-0001");
  CHECK(model::FromProto(timeline.back().at()) - testing::StartTime() == std::chrono::hours(2));
}

TEST_CASE("a failed expectation names the file, the line and the step") {
  Run r = RunText(Replace(kScenario, "expect { state: \"planning\" task", "expect { state: \"at_port\" task"));
  REQUIRE(r.outcome.ok());
  CHECK(r.outcome->failure ==
        "s.textproto:14: step 2: expected state 'at_port' but case SZ-2026-0001 is at 'planning'");
}

TEST_CASE("a refused command fails the step unless an error was expected") {
  const std::string refused = Replace(kScenario, "name: \"arrange_departure\" } } }",
                                      "name: \"no_such_task\" } } }");
  Run r = RunText(refused);
  REQUIRE(r.outcome.ok());
  CHECK(r.outcome->failure.rfind("s.textproto:13: step 2: the command was refused: NOT_FOUND: ", 0) == 0);

  Run expected = RunText(Replace(refused, "expect { state: \"planning\" task { name: \"arrange_departure\" status: TASK_DONE } }",
                                 "expect { error { code: \"NOT_FOUND\" message_contains: \"no open task\" } state: \"planning\" }"));
  REQUIRE(expected.outcome.ok());
  CHECK_MESSAGE(expected.outcome->passed(), expected.outcome->failure);

  Run wrong_code = RunText(Replace(refused, "expect { state: \"planning\" task { name: \"arrange_departure\" status: TASK_DONE } }",
                                   "expect { error { code: \"PERMISSION_DENIED\" } }"));
  REQUIRE(wrong_code.outcome.ok());
  CHECK(wrong_code.outcome->failure.rfind("s.textproto:14: step 2: expected PERMISSION_DENIED but got NOT_FOUND", 0) == 0);
}

TEST_CASE("an expected error that does not happen fails the step") {
  Run r = RunText(Replace(kScenario, "expect { state: \"planning\" task { name: \"arrange_departure\" status: TASK_DONE } }",
                          "expect { error { code: \"FAILED_PRECONDITION\" } }"));
  REQUIRE(r.outcome.ok());
  CHECK(r.outcome->failure ==
        "s.textproto:14: step 2: expected the command to fail with FAILED_PRECONDITION but it succeeded");
}

TEST_CASE("expectations on the caller, the people, outside parties, paused time and the timeline") {
  const std::string text = R"pb(name: "parts"
start_at: "2026-03-02T09:00:00+08:00"
user { name: "chan_sz" centre: "SZ" role: "duty_officer" }
step {
  as: "chan_sz"
  ref: "c"
  command { open_case { type: "escort_to_port" centre: "SZ" person { name_en: "Test Person" }
                        caller { organisation: "Futian police" } } }
}
step { command { add_person { case_number: "@c" person { name_zh: "何志強" } relationship: "husband" } } }
step { command { record_contact { case_number: "@c" party: "Zhangmutou Hospital" channel: "phone" said: "fit" } } }
step { command { pause_case { case_number: "@c" reason: "port_booking" } } }
step { advance: "90m" command { resume_case { case_number: "@c" } } }
step {
  ref: "c"
  expect { caller: "Futian police" people: "何志強" contacts: "Zhangmutou Hospital"
           paused { key: "port_booking" value: "90m" } timeline: "contact_recorded" timeline: "person_added" }
}
)pb";
  Run r = RunText(text);
  REQUIRE_MESSAGE(r.outcome.ok(), r.outcome.status().ToString());
  CHECK_MESSAGE(r.outcome->passed(), r.outcome->failure);

  const auto fails = [&](const std::string& from, const std::string& to) {
    Run wrong = RunText(Replace(text, from, to));
    REQUIRE(wrong.outcome.ok());
    return wrong.outcome->failure;
  };
  CHECK(fails("caller: \"Futian police\"", "caller: \"Mr Lau\"").find(
            "expected the caller Mr Lau but it is 'Futian police'") != std::string::npos);
  CHECK(fails("people: \"何志強\"", "people: \"何麗華\"").find(
            "expected 何麗華 on the case but nobody of that name is") != std::string::npos);
  CHECK(fails("contacts: \"Zhangmutou Hospital\"", "contacts: \"Futian police\"").find(
            "expected a contact with Futian police but none is recorded") != std::string::npos);
  CHECK(fails("value: \"90m\"", "value: \"2h\"").find(
            "expected 2h paused for port_booking but it is 1h 30m") != std::string::npos);
  CHECK(fails("timeline: \"person_added\"", "timeline: \"fields_set\"").find(
            "expected a 'fields_set' entry in the timeline") != std::string::npos);
}

TEST_CASE("an unknown case name or a bad start time is the scenario's own error") {
  Run r = RunText(Replace(kScenario, "\"@c\"", "\"@d\""));
  REQUIRE_FALSE(r.outcome.ok());
  CHECK(r.outcome.status().message() ==
        "s.textproto:13: no earlier step opened a case named 'd' (set ref: on the step that opens it)");
  Run bad_time = RunText(Replace(kScenario, "2026-03-02T09:00:00+08:00", "soon"));
  REQUIRE_FALSE(bad_time.outcome.ok());
  CHECK(bad_time.outcome.status().message().rfind("s.textproto:3: ", 0) == 0);
}

TEST_CASE("every shipped scenario passes") {
  for (const auto& entry : std::filesystem::directory_iterator(DISPATCH_SOURCE_DIR "/scenarios")) {
    if (entry.path().extension() != ".textproto") continue;
    CAPTURE(entry.path().string());
    auto loaded = LoadScenarioFile(entry.path().string());
    REQUIRE_MESSAGE(loaded.ok(), loaded.status().ToString());
    // Each opens with one line naming the case it reproduces.
    auto text = model::ReadFile(entry.path().string());
    CHECK(text->rfind("# Reproduces docs/cases.md case ", 0) == 0);
    testing::World w(":memory:", DatabasePurpose::kScenarios);
    auto outcome = RunScenario(*loaded, *w.store, w.catalog);
    REQUIRE_MESSAGE(outcome.ok(), outcome.status().ToString());
    CHECK_MESSAGE(outcome->passed(), outcome->failure);
  }
}

TEST_CASE("a scenario never runs in a database that holds live work") {
  testing::TempDir dir;
  const std::string path = dir.Path("live.db");
  testing::World w(path);  // made for live work
  w.OnDuty("chan_sz");
  const std::string number = w.OpenEscort();
  const auto journal = w.Timeline(number).size();
  auto loaded =
      LoadScenarioFile(DISPATCH_SOURCE_DIR "/scenarios/case3_elder_alone_after_demolition.textproto");
  REQUIRE(loaded.ok());
  auto outcome = RunScenario(*loaded, *w.store, w.catalog);
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.status().code() == model::Code::kFailedPrecondition);
  CHECK(outcome.status().message().find("holds live work") != std::string::npos);
  CHECK(w.Timeline(number).size() == journal);
  CHECK(w.store->Read().ListCases({})->size() == 1);
  CHECK(w.store->Read().ListUsers()->size() == 12);
}

}  // namespace dispatch
