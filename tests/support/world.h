// A small world for engine and store tests: a real SQLite store (in memory
// or on disk), the shipped workflow definitions, a fake clock and a cast of
// synthetic users.
#ifndef TESTS_SUPPORT_WORLD_H_
#define TESTS_SUPPORT_WORLD_H_

#include <memory>
#include <string>

#include "dispatch/dispatcher.h"
#include "dispatch/sqlite_store.h"
#include "model/workflow_catalog.h"

namespace testing {

// 2026-03-02 09:00 in Hong Kong.
model::Instant StartTime();

model::WorkflowCatalog ShippedCatalog();

// Users: admin; chan_sz, lee_sz (duty officers, SZ); ho_sz (supervisor, SZ);
// mak_sz (coordinator, SZ); lam_dg (duty officer, DG); wong_fj (coordinator, FJ).
class World {
 public:
  explicit World(const std::string& db_path = ":memory:");

  model::FakeClock clock;
  model::WorkflowCatalog catalog;
  std::unique_ptr<dispatch::SqliteStore> store;
  std::unique_ptr<dispatch::Dispatcher> dispatcher;

  // Runs `command` as `actor`; REQUIRES it to succeed (fails the test otherwise).
  model::CommandReply Must(const model::Command& command, const std::string& actor);
  // Opens an escort_to_port case at SZ as chan_sz and returns its number.
  std::string OpenEscort();
};

model::Command OpenCaseCommand(const std::string& type, const std::string& centre);
model::Command FireCommand(const std::string& number, const std::string& event);
model::Command DoneCommand(const std::string& number, const std::string& task_name);
model::Command AssignCommand(const std::string& number, int seq, const std::string& user);

}  // namespace testing

#endif  // TESTS_SUPPORT_WORLD_H_
