// Durable before acknowledged: dispatch processes killed without warning in
// the middle of their work leave a consistent database that holds every case
// whose number was printed.
#include <doctest/doctest.h>
#include <google/protobuf/util/message_differencer.h>

#include <chrono>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "dispatch/sqlite_store.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace {

std::vector<std::string> Lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("processes killed mid-command lose nothing they acknowledged") {
  testing::TempDir dir;
  const std::string db = dir.Path("crash.db");
  const std::string bin = testing::DispatchBinary();
  const std::vector<std::string> base = {bin, "--db", db, "--workflows", DISPATCH_WORKFLOW_DIR};
  auto run = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = base;
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = testing::RunProcess(argv);
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  };
  run({"init"});
  run({"--as", "admin", "user", "add", "chan_sz", "--centre", "SZ", "--role", "duty_officer"});
  run({"--as", "chan_sz", "duty", "on"});

  // Each round: a shell opens cases one after another, printing each number
  // only once dispatch has answered; it is killed at a random moment.
  std::string loop = "for i in $(seq 1 200); do";
  for (const auto& a : base) loop += " '" + a + "'";
  loop += " --as chan_sz case open --type escort_to_port --name-en 'Crash Test' || exit 1; done";
  std::mt19937 rng(20261126);
  std::set<std::string> acknowledged;
  constexpr int kRounds = 6;
  for (int round = 0; round < kRounds; ++round) {
    const std::string out = dir.Path("out" + std::to_string(round));
    {
      testing::KillableProcess child({"/bin/sh", "-c", loop}, out);
      // Let it get going (slow builds take longer), then kill it at a random moment.
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
      while (Lines(out).empty() && std::chrono::steady_clock::now() < give_up) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 300));
      child.Kill();
    }
    for (const auto& line : Lines(out)) {
      if (!line.empty()) acknowledged.insert(line);
    }
  }
  REQUIRE(acknowledged.size() >= kRounds);  // every round did real work

  auto store = dispatch::SqliteStore::Open(db, dispatch::SqliteStore::Mode::kOpenExisting);
  REQUIRE_MESSAGE(store.ok(), store.status().ToString());
  {
    auto check = dispatch::SqliteDb::Open(db, dispatch::SqliteDb::Mode::kOpenExisting);
    auto st = (*check)->Prepare("PRAGMA integrity_check");
    REQUIRE(*st->Step());
    CHECK(st->ColumnText(0) == "ok");
  }
  const auto cases = (*store)->Read().ListCases({});
  REQUIRE(cases.ok());
  std::set<std::string> stored;
  for (const auto& c : *cases) {
    stored.insert(c.number());
    CHECK(c.task_size() == 3);  // no half-written case
  }
  for (const auto& number : acknowledged) {
    CAPTURE(number);
    CHECK(stored.count(number) == 1);
  }
  // At most one case per round was committed but not yet printed when killed.
  CHECK(stored.size() <= acknowledged.size() + kRounds);
  // Numbers have no gaps: refused or interrupted opens used none.
  const std::string prefix = stored.begin()->substr(0, 8);  // "SZ-YYYY-", the current year
  CHECK(*stored.begin() == prefix + "0001");
  CHECK(*stored.rbegin() == prefix + std::string(4 - std::to_string(stored.size()).size(), '0') +
                                std::to_string(stored.size()));

  // The projections are still exactly the journal's.
  std::vector<model::CaseState> live = *cases;
  REQUIRE((*store)->RebuildProjections().ok());
  const auto rebuilt = (*store)->Read().ListCases({});
  REQUIRE(rebuilt->size() == live.size());
  for (size_t i = 0; i < live.size(); ++i) {
    CHECK(google::protobuf::util::MessageDifferencer::Equals(live[i], (*rebuilt)[i]));
  }
}
