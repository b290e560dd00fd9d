// The scenario parser on any text, and the runner on what parses: a short
// scenario runs on a fresh in-memory database without crashing, and whatever
// it did reads back.
#include <spdlog/spdlog.h>

#include "dispatch/dispatcher.h"
#include "dispatch/scenario_runner.h"
#include "dispatch/sqlite_store.h"
#include "fuzz_input.h"
#include "model/text_check.h"
#include "model/text_proto.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  model::WorkflowCatalog& catalog = fuzz::ShippedCatalog();
  const std::string text(reinterpret_cast<const char*>(data), size);
  dispatch::LoadedScenario loaded;
  loaded.path = "fuzz.textproto";
  loaded.locations = std::make_unique<google::protobuf::TextFormat::ParseInfoTree>();
  model::Status parsed = model::ParseTextProto(loaded.path, text, &loaded.scenario, loaded.locations.get());
  if (!parsed.ok()) {
    FUZZ_ASSERT(parsed.message().rfind("fuzz.textproto", 0) == 0, parsed.message());
    return 0;
  }
  FUZZ_ASSERT(model::CheckUtf8(loaded.scenario).ok(), "a parsed scenario holds non-UTF-8 text");
  if (loaded.scenario.step_size() > 30) return 0;  // bounded work per input
  auto store = dispatch::SqliteStore::Open(":memory:", dispatch::SqliteStore::Mode::kCreate);
  FUZZ_ASSERT(store.ok(), store.status().ToString());
  model::FakeClock clock(*model::ParseTimestamp("2026-03-02T09:00+08:00"));
  dispatch::Dispatcher d(**store, catalog, clock);
  FUZZ_ASSERT(d.Initialize("admin", dispatch::DatabasePurpose::kScenarios).ok(), "init");
  auto outcome = dispatch::RunScenario(loaded, **store, catalog);
  if (outcome.ok()) {
    for (const auto& [ref, number] : outcome->cases) {
      auto c = (*store)->Read().GetCase(number);
      FUZZ_ASSERT(c.ok() && c->has_value(), "case " + number + " opened but not readable");
    }
  }
  return 0;
}
