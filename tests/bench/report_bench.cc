// How long the yearly report takes over a network's three years of work.
//
//   ./build/tests/bench/report_bench --work DIR [--cases 1000000] [--contacts 1000000] [--runs 7]
//
// Makes a database of `--cases` cases and `--contacts` contacts spread over
// three years (synthetic: centres, categories and the legal-advice service
// drawn from a fixed seed), then times the report for the last year compared
// with the two before, for the network and for one centre, through the real
// Dispatcher and store. The baseline, measured in the same run, is the least
// any report could cost: counting the year's rows (SELECT COUNT(*) over the
// same ranges, three years). Figures: BENCHMARKS.md, "The yearly report".
//
// The cases are written straight into the cases table (one real case opened
// through the engine first, for its definition and shape): the report reads
// only the columns the engine keeps there, and a million cases opened one by
// one would take the bench most of an hour for nothing the report reads.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "dispatch/dispatcher.h"
#include "dispatch/sqlite_db.h"
#include "dispatch/sqlite_store.h"
#include "model/workflow_catalog.h"

namespace {

using model::Result;
using model::Status;
using Clock = std::chrono::steady_clock;

constexpr const char* kCentres[] = {"GZ", "SZ", "DG", "HZ", "ZS", "FJ"};
// The four centres with the free legal-advice service.
constexpr const char* kLegalCentres[] = {"GZ", "SZ", "DG", "FJ"};

struct Options {
  std::string work;
  std::string workflows = DISPATCH_WORKFLOW_DIR;
  int64_t cases = 1'000'000;
  int64_t contacts = 1'000'000;
  int runs = 7;
  int year = 2026;
};

int64_t Ms(model::Instant t) { return t.time_since_epoch().count(); }

model::Instant YearStart(int year) {
  return model::HongKongMidnight(std::chrono::sys_days(std::chrono::year(year) / 1 / 1));
}

// Categories drawn as a busy centre sees them: a few often, many rarely.
class Draw {
 public:
  Draw(const model::Categories& categories, int first_year, int last_year)
      : rng_(20261128), from_(Ms(YearStart(first_year))), until_(Ms(YearStart(last_year + 1))) {
    for (const auto& c : categories.list().category()) {
      if (!c.retired()) codes_.push_back(c.code());
    }
    std::vector<double> weights;
    for (size_t i = 0; i < codes_.size(); ++i) weights.push_back(1.0 / static_cast<double>(i + 1));
    category_ = std::discrete_distribution<size_t>(weights.begin(), weights.end());
  }
  int64_t At() { return std::uniform_int_distribution<int64_t>(from_, until_ - 1)(rng_); }
  std::string Centre() { return kCentres[std::uniform_int_distribution<int>(0, 5)(rng_)]; }
  const std::string& Category() { return codes_[category_(rng_)]; }
  bool Legal(const std::string& centre) {
    const bool offered = std::any_of(std::begin(kLegalCentres), std::end(kLegalCentres),
                                     [&](const char* c) { return centre == c; });
    return offered && std::uniform_int_distribution<int>(0, 9)(rng_) == 0;
  }

 private:
  std::mt19937_64 rng_;
  int64_t from_, until_;
  std::vector<std::string> codes_;
  std::discrete_distribution<size_t> category_;
};

Status Fill(const Options& o, const std::string& path, model::WorkflowCatalog& catalog) {
  model::FakeClock clock(YearStart(o.year - 2));
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
    RETURN_IF_ERROR(d.Execute(open, "bench_sup").status());
  }
  ASSIGN_OR_RETURN(auto db, dispatch::SqliteDb::Open(path, dispatch::SqliteDb::Mode::kOpenExisting));
  ASSIGN_OR_RETURN(dispatch::Statement shape, db->Prepare("SELECT definition_hash, state, body FROM cases"));
  ASSIGN_OR_RETURN(bool found, shape.Step());
  if (!found) return Status::Internal("the first case was not stored");
  const std::string hash = shape.ColumnText(0), state = shape.ColumnText(1);
  model::CaseState body;
  body.ParseFromString(shape.ColumnBlob(2));
  Draw draw(catalog.categories(), o.year - 2, o.year);
  RETURN_IF_ERROR(db->Exec("BEGIN"));
  {
    ASSIGN_OR_RETURN(dispatch::Statement st, db->Prepare(
        "INSERT INTO cases (number, centre, type, definition_hash, state, status, person_name,"
        " opened_at, version, body, category, legal_advice)"
        " VALUES (?1, ?2, 'escort_to_port', ?3, ?4, 1, 'BENCH Case', ?5, 1, ?6, ?7, ?8)"));
    for (int64_t i = 0; i < o.cases; ++i) {
      const std::string centre = draw.Centre();
      const int64_t at = draw.At();
      body.set_number("B-" + std::to_string(i));
      body.set_centre(centre);
      body.set_category(draw.Category());
      body.set_legal_advice(draw.Legal(centre));
      *body.mutable_opened_at() = model::ToProto(model::Instant(model::Millis(at)));
      st.Reset();
      st.Bind(1, body.number()).Bind(2, centre).Bind(3, hash).Bind(4, state).Bind(5, at);
      st.BindBlob(6, body.SerializeAsString()).Bind(7, body.category());
      st.Bind(8, int64_t{body.legal_advice() ? 1 : 0});
      RETURN_IF_ERROR(st.Run());
    }
    ASSIGN_OR_RETURN(dispatch::Statement k, db->Prepare(
        "INSERT INTO contacts (centre, at, category, legal_advice, body) VALUES (?, ?, ?, ?, ?)"));
    model::Contact contact;
    contact.set_channel(model::CHANNEL_PHONE);
    contact.set_logged_by("bench_sup");
    for (int64_t i = 0; i < o.contacts; ++i) {
      const std::string centre = draw.Centre();
      const int64_t at = draw.At();
      contact.set_centre(centre);
      contact.set_category(draw.Category());
      contact.set_legal_advice(draw.Legal(centre));
      *contact.mutable_at() = model::ToProto(model::Instant(model::Millis(at)));
      k.Reset();
      k.Bind(1, centre).Bind(2, at).Bind(3, contact.category());
      k.Bind(4, int64_t{contact.legal_advice() ? 1 : 0}).BindBlob(5, contact.SerializeAsString());
      RETURN_IF_ERROR(k.Run());
    }
  }
  RETURN_IF_ERROR(db->Exec("COMMIT"));
  return db->Exec("ANALYZE");
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// The least any report could cost: the three years' rows counted.
Result<double> CountRows(const Options& o, const std::string& path) {
  ASSIGN_OR_RETURN(auto db, dispatch::SqliteDb::Open(path, dispatch::SqliteDb::Mode::kOpenExisting));
  const auto start = Clock::now();
  int64_t rows = 0;
  for (const char* sql : {"SELECT COUNT(*) FROM contacts WHERE at >= ?1 AND at < ?2",
                          "SELECT COUNT(*) FROM cases WHERE opened_at >= ?1 AND opened_at < ?2"}) {
    ASSIGN_OR_RETURN(dispatch::Statement st, db->Prepare(sql));
    st.Bind(1, Ms(YearStart(o.year - 2))).Bind(2, Ms(YearStart(o.year + 1)));
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) rows += st.ColumnInt(0);
  }
  if (rows != o.cases + o.contacts + 1) return Status::Internal("the rows counted are not the rows made");
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

Status Run(const Options& o) {
  ASSIGN_OR_RETURN(auto catalog, model::WorkflowCatalog::LoadDirectory(o.workflows));
  if (catalog.categories().empty()) return Status::FailedPrecondition(catalog.CategoriesProblem());
  std::filesystem::create_directories(o.work);
  const std::string path = o.work + "/report-bench.db";
  std::filesystem::remove(path);
  const auto fill_start = Clock::now();
  RETURN_IF_ERROR(Fill(o, path, catalog));
  const double fill_s = std::chrono::duration<double>(Clock::now() - fill_start).count();

  ASSIGN_OR_RETURN(auto store, dispatch::SqliteStore::Open(path, dispatch::SqliteStore::Mode::kOpenExisting));
  model::FakeClock clock(YearStart(o.year + 1));
  dispatch::Dispatcher d(*store, catalog, clock);
  ASSIGN_OR_RETURN(const dispatch::Actor sup, d.ResolveActor("bench_sup"));
  std::printf("| what | median of %d | fastest | slowest | rows read |\n| --- | --- | --- | --- | --- |\n",
              o.runs);
  std::vector<double> baseline;
  for (int i = 0; i < o.runs; ++i) {
    ASSIGN_OR_RETURN(double ms, CountRows(o, path));
    baseline.push_back(ms);
  }
  const auto row = [&](const char* what, const std::vector<double>& ms) {
    std::printf("| %s | %.0f ms | %.0f ms | %.0f ms | %lld |\n", what, Median(ms),
                *std::min_element(ms.begin(), ms.end()), *std::max_element(ms.begin(), ms.end()),
                static_cast<long long>(o.cases + o.contacts));
  };
  row("baseline: COUNT(*) of the three years' rows", baseline);
  for (const std::string centre : {"", "SZ"}) {
    std::vector<double> ms;
    int64_t total = 0;
    for (int i = 0; i < o.runs; ++i) {
      dispatch::YearReportRequest req;
      req.year = o.year;
      req.centre = centre;
      req.compared = {o.year - 2, o.year - 1};
      const auto start = Clock::now();
      ASSIGN_OR_RETURN(model::YearReport report, d.YearReport(sup, req));
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
      RETURN_IF_ERROR(dispatch::CheckYearReport(report));
      total = report.contacts().total() + report.cases().total();
    }
    row(centre.empty() ? "report year, the network, compared with two years"
                       : "report year --centre SZ, compared with two years",
        ms);
    std::fprintf(stderr, "%s: %lld contacts and cases in the year\n",
                 centre.empty() ? "network" : centre.c_str(), static_cast<long long>(total));
  }
  std::fprintf(stderr, "made %lld cases and %lld contacts in %.1f s\n",
               static_cast<long long>(o.cases), static_cast<long long>(o.contacts), fill_s);
  return Status::Ok();
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app("the yearly report over a network's three years of work");
  app.add_option("--work", o.work, "a scratch directory for the database")->required();
  app.add_option("--workflows", o.workflows, "case types (categories.textproto beside them)");
  app.add_option("--cases", o.cases, "cases over the three years (default 1,000,000)");
  app.add_option("--contacts", o.contacts, "contacts over the three years (default 1,000,000)");
  app.add_option("--runs", o.runs, "times each report is made (default 7)");
  CLI11_PARSE(app, argc, argv);
  spdlog::set_level(spdlog::level::warn);
  const Status s = Run(o);
  if (!s.ok()) {
    std::fprintf(stderr, "report_bench: %s\n", s.ToString().c_str());
    return 1;
  }
  return 0;
}
