// How long checking the journal's hash chain takes over a million events:
// what `dispatch audit verify` and the server's check at start cost.
//
//   ./build/tests/bench/audit_bench --work DIR [--events 1000000] [--runs 5]
//
// Makes a database whose journal holds about `--events` rows: one real case
// opened and noted through the engine, its events copied to further cases
// (their numbers changed) with every link made as the store makes it, and
// each case row saying how many events it has. Then times VerifyJournal
// through the real store. The baseline, measured in the same run, is reading
// every row's event and link (SELECT over the whole journal), the least any
// check of every row could cost. Figures: BENCHMARKS.md, "Checking the journal".
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "dispatch/audit.h"
#include "dispatch/dispatcher.h"
#include "dispatch/journal_chain.h"
#include "dispatch/sqlite_db.h"
#include "dispatch/sqlite_store.h"
#include "model/crypto.h"
#include "model/workflow_catalog.h"

namespace {

using model::Result;
using model::Status;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string work;
  std::string workflows = DISPATCH_WORKFLOW_DIR;
  int64_t events = 1'000'000;
  int runs = 5;
};

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// One case through the engine, then copies of its events; answers the rows made.
Result<int64_t> Fill(const Options& o, const std::string& path, model::WorkflowCatalog& catalog) {
  model::FakeClock clock(model::Instant(model::Millis(1'767'225'600'000)));  // 2026-01-01
  {
    ASSIGN_OR_RETURN(auto store, dispatch::SqliteStore::Open(path, dispatch::SqliteStore::Mode::kCreate));
    dispatch::Dispatcher d(*store, catalog, clock);
    RETURN_IF_ERROR(d.Initialize("admin"));
    model::Command add;
    add.mutable_add_user()->set_name("bench_sup");
    add.mutable_add_user()->set_centre("SZ");
    add.mutable_add_user()->set_role("supervisor");
    RETURN_IF_ERROR(d.Execute(add, "admin").status());
    model::Command open;
    open.mutable_open_case()->set_type("escort_to_port");
    open.mutable_open_case()->set_centre("SZ");
    open.mutable_open_case()->mutable_person()->set_name_en("BENCH Case");
    ASSIGN_OR_RETURN(auto opened, d.Execute(open, "bench_sup"));
    for (const char* text : {"called the family", "the ward says Thursday"}) {
      model::Command note;
      note.mutable_add_note()->set_case_number(opened.case_state().number());
      note.mutable_add_note()->set_text(text);
      RETURN_IF_ERROR(d.Execute(note, "bench_sup").status());
    }
  }
  ASSIGN_OR_RETURN(auto db, dispatch::SqliteDb::Open(path, dispatch::SqliteDb::Mode::kOpenExisting));
  ASSIGN_OR_RETURN(dispatch::Statement read, db->Prepare(
      "SELECT body, link FROM journal ORDER BY id"));
  std::vector<model::Event> events;
  std::string prev;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, read.Step());
    if (!row) break;
    model::Event e;
    if (!e.ParseFromString(read.ColumnBlob(0))) return Status::Internal("an event does not parse");
    events.push_back(std::move(e));
    prev = read.ColumnBlob(1);
  }
  ASSIGN_OR_RETURN(dispatch::Statement shape, db->Prepare(
      "SELECT centre, type, definition_hash, state, status, person_name, opened_at, body FROM cases"));
  ASSIGN_OR_RETURN(bool found, shape.Step());
  if (!found || events.empty()) return Status::Internal("the first case was not stored");
  const int64_t per_case = static_cast<int64_t>(events.size());
  const int64_t copies = std::max<int64_t>(0, o.events / per_case - 1);
  RETURN_IF_ERROR(db->Exec("BEGIN"));
  ASSIGN_OR_RETURN(dispatch::Statement journal, db->Prepare(
      "INSERT INTO journal (case_number, seq, at, actor, body, prev, link, salt)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  ASSIGN_OR_RETURN(dispatch::Statement cases, db->Prepare(
      "INSERT INTO cases (number, centre, type, definition_hash, state, status, person_name,"
      " opened_at, version, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  for (int64_t i = 0; i < copies; ++i) {
    const std::string number = "B-" + std::to_string(i);
    for (model::Event e : events) {
      e.set_case_number(number);
      const std::string body = e.SerializeAsString();
      const std::string salt = model::RandomBytes(dispatch::kSaltBytes);
      std::string link = dispatch::ChainLink(prev, salt, body);
      journal.Reset();
      journal.Bind(1, number).Bind(2, e.seq()).Bind(3, model::FromProto(e.at()).time_since_epoch().count());
      journal.Bind(4, e.actor()).BindBlob(5, body).BindBlob(6, prev).BindBlob(7, link);
      journal.BindBlob(8, salt);
      RETURN_IF_ERROR(journal.Run());
      prev = std::move(link);
    }
    cases.Reset();
    cases.Bind(1, number).Bind(2, shape.ColumnText(0)).Bind(3, shape.ColumnText(1));
    cases.Bind(4, shape.ColumnText(2)).Bind(5, shape.ColumnText(3)).Bind(6, shape.ColumnInt(4));
    cases.Bind(7, shape.ColumnText(5)).Bind(8, shape.ColumnInt(6)).Bind(9, per_case);
    cases.BindBlob(10, shape.ColumnBlob(7));
    RETURN_IF_ERROR(cases.Run());
  }
  RETURN_IF_ERROR(db->Exec("COMMIT"));
  RETURN_IF_ERROR(db->Exec("ANALYZE"));
  return per_case * (copies + 1);
}

// The least a check of every row costs: every row's event and link read.
Result<double> ReadRows(const std::string& path, int64_t rows) {
  ASSIGN_OR_RETURN(auto db, dispatch::SqliteDb::Open(path, dispatch::SqliteDb::Mode::kOpenExisting));
  const auto start = Clock::now();
  ASSIGN_OR_RETURN(dispatch::Statement st, db->Prepare("SELECT body, link FROM journal ORDER BY id"));
  int64_t n = 0, bytes = 0;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    bytes += static_cast<int64_t>(st.ColumnBlob(0).size() + st.ColumnBlob(1).size());
    ++n;
  }
  if (n != rows || bytes == 0) return Status::Internal("the rows read are not the rows made");
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

Status Run(const Options& o) {
  ASSIGN_OR_RETURN(auto catalog, model::WorkflowCatalog::LoadDirectory(o.workflows));
  std::filesystem::create_directories(o.work);
  const std::string path = o.work + "/audit-bench.db";
  std::filesystem::remove(path);
  const auto fill_start = Clock::now();
  ASSIGN_OR_RETURN(const int64_t rows, Fill(o, path, catalog));
  const double fill_s = std::chrono::duration<double>(Clock::now() - fill_start).count();

  ASSIGN_OR_RETURN(auto store, dispatch::SqliteStore::Open(path, dispatch::SqliteStore::Mode::kOpenExisting));
  std::printf("| what | median of %d | fastest | slowest | journal rows |\n| --- | --- | --- | --- | --- |\n",
              o.runs);
  const auto line = [&](const char* what, const std::vector<double>& ms) {
    std::printf("| %s | %.0f ms | %.0f ms | %.0f ms | %lld |\n", what, Median(ms),
                *std::min_element(ms.begin(), ms.end()), *std::max_element(ms.begin(), ms.end()),
                static_cast<long long>(rows));
  };
  std::vector<double> baseline, verify;
  for (int i = 0; i < o.runs; ++i) {
    ASSIGN_OR_RETURN(double ms, ReadRows(path, rows));
    baseline.push_back(ms);
  }
  line("baseline: every row's event and link read", baseline);
  for (int i = 0; i < o.runs; ++i) {
    const auto start = Clock::now();
    ASSIGN_OR_RETURN(model::JournalAudit a,
                     dispatch::VerifyJournal(store->Read(), model::Instant(model::Millis(0))));
    verify.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    if (!a.intact() || a.events() != rows) {
      return Status::Internal("the bench's journal did not check out: " + a.fault().what().en());
    }
  }
  line("audit verify: every link, column and case checked", verify);
  std::fprintf(stderr, "made %lld journal rows in %.1f s\n", static_cast<long long>(rows), fill_s);
  return Status::Ok();
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app("checking the journal's hash chain over a million events");
  app.add_option("--work", o.work, "a scratch directory for the database")->required();
  app.add_option("--workflows", o.workflows, "case types");
  app.add_option("--events", o.events, "journal rows, about (default 1,000,000)");
  app.add_option("--runs", o.runs, "times the journal is checked (default 5)");
  CLI11_PARSE(app, argc, argv);
  spdlog::set_level(spdlog::level::warn);
  const Status s = Run(o);
  if (!s.ok()) {
    std::fprintf(stderr, "audit_bench: %s\n", s.ToString().c_str());
    return 1;
  }
  return 0;
}
