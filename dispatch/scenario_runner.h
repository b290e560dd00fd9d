// Runs a scenario (scenarios/*.textproto): a real case scripted as commands
// in virtual time, with what must be true after each step.
#ifndef DISPATCH_SCENARIO_RUNNER_H_
#define DISPATCH_SCENARIO_RUNNER_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/text_format.h>

#include "dispatch/store.h"
#include "model/proto/scenario.pb.h"
#include "model/status.h"
#include "model/workflow_catalog.h"

namespace dispatch {

struct LoadedScenario {
  std::string path;
  model::Scenario scenario;
  std::unique_ptr<google::protobuf::TextFormat::ParseInfoTree> locations;
};

// Parses a scenario file; syntax errors name path:line:column.
model::Result<LoadedScenario> LoadScenarioFile(const std::string& path);

struct ScenarioOutcome {
  // Cases the scenario opened, in order, with the name each step bound.
  std::vector<std::pair<std::string, std::string>> cases;  // (ref, case number)
  int steps_run = 0;
  // Empty when every expectation held; otherwise "path:line: what failed".
  std::string failure;

  bool passed() const { return failure.empty(); }
};

// Runs `scenario` against `store` on a fake clock starting at its start_at.
// The store must be initialised for scenarios (DatabasePurpose::kScenarios):
// one holding live work is refused untouched. The scenario's users are added
// if missing. Returns an error only when the scenario itself is
// unusable (bad start time, unknown ref); a failed expectation is reported
// in the outcome.
model::Result<ScenarioOutcome> RunScenario(const LoadedScenario& scenario, Store& store,
                                           model::WorkflowCatalog& catalog);

}  // namespace dispatch

#endif  // DISPATCH_SCENARIO_RUNNER_H_
