// Fills a database for the benchmark through the real Dispatcher, at a
// virtual time of the bench's choosing: the centres, officers on duty at SZ,
// a token for the officer the load acts as, and any number of open cases.
// Opening cases at `due - within` is how the bench makes their deadlines fall
// due at a chosen real instant.
#ifndef TESTS_BENCH_FILLER_H_
#define TESTS_BENCH_FILLER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "counted_tasks_store.h"
#include "dispatch/dispatcher.h"
#include "dispatch/sqlite_store.h"
#include "model/time.h"
#include "model/workflow_catalog.h"

namespace bench {

// The officer the HTTP load acts as (a duty officer at SZ).
inline constexpr char kOfficer[] = "bench_do01";
// How many duty officers are on duty at SZ (tasks are spread over them).
inline constexpr int kOfficers = 16;

// Not thread-safe. REQUIRES: `catalog` outlives it.
class Filler {
 public:
  // Creates a new database at `path` (which must not exist) and sets it up at
  // virtual time `setup_at`: the six centres, an admin, kOfficers duty
  // officers and a supervisor at SZ, all on duty from then on, and a token
  // for kOfficer (valid 90 days from `setup_at`).
  static model::Result<std::unique_ptr<Filler>> Create(const std::string& path,
                                                       model::WorkflowCatalog& catalog,
                                                       model::Instant setup_at);

  // Opens `count` cases of `type` at SZ as kOfficer, every one at virtual
  // time `at`, `group` to a transaction (group commit, as the server does).
  // Calls `progress(opened)` after each group. Returns the case numbers.
  model::Result<std::vector<std::string>> Open(const std::string& type, int64_t count,
                                               model::Instant at, int group = 500,
                                               const std::function<void(int64_t)>& progress = {});

  // Checks that the open-task count kept in memory is the one the database
  // holds (the scan the Dispatcher normally does); Internal when not.
  model::Status Verify();

  const std::string& token() const { return token_; }

 private:
  Filler(std::unique_ptr<dispatch::SqliteStore> store, model::WorkflowCatalog& catalog,
         model::Instant at);
  model::Status Must(const model::Command& command, const std::string& actor,
                     model::CommandReply* reply = nullptr);

  std::unique_ptr<dispatch::SqliteStore> sqlite_;
  CountedTasksStore store_;
  model::FakeClock clock_;
  dispatch::Dispatcher dispatcher_;
  std::string token_;
};

// The open_case command the bench sends (over HTTP as JSON, or to a Filler).
model::Command OpenCommand(const std::string& type);

}  // namespace bench

#endif  // TESTS_BENCH_FILLER_H_
