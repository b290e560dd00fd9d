// dispatch_bench: measures `dispatch serve` and the engine in one run and
// writes the figures as JSON (scripts/bench turns them into BENCHMARKS.md).
// Not a test: scripts/test never runs it. Every loop is bounded in count and
// time; all traffic is to 127.0.0.1.
//
//   dispatch_bench --dispatch build/cli/dispatch --workflows DIR --work DIR --out FILE
//                  [--scale 0.1] [--phases throughput,ceiling,burst,million]
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "filler.h"
#include "http_get.h"
#include "journal_watch.h"
#include "json_writer.h"
#include "load.h"
#include "probe.h"
#include "model/command_codec.h"
#include "raw_ceiling.h"
#include "server_child.h"
#include "stats.h"

namespace bench {
namespace {

namespace fs = std::filesystem;
using model::Result;
using model::Status;
using std::chrono::milliseconds;
using std::chrono::seconds;

struct Config {
  double scale = 1;
  std::string dispatch;
  std::string workflows;
  std::string work;
  std::string out;
  std::set<std::string> phases;
};

const Clock::time_point kStarted = Clock::now();

template <typename... Args>
void Say(fmt::format_string<Args...> format, Args&&... args) {
  const double t = Seconds(Clock::now() - kStarted).count();
  std::fprintf(stderr, "[bench %7.1fs] %s\n", t, fmt::format(format, std::forward<Args>(args)...).c_str());
}

// The machine's load average (1, 5, 15 minutes): others' work on a shared machine shows here.
std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

model::Instant WallNow() { return model::Instant(model::Millis(WallMillis())); }

int64_t Scaled(const Config& c, int64_t n) {
  return std::max<int64_t>(1, static_cast<int64_t>(static_cast<double>(n) * c.scale + 0.5));
}

void RemoveDb(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", ".lock"}) fs::remove(path + suffix);
}

Status CopyDb(const std::string& from, const std::string& to) {
  RemoveDb(to);
  if (fs::exists(from + "-wal") && fs::file_size(from + "-wal") > 0) {
    return Status::Internal(from + " has a WAL not copied back; close it first");
  }
  std::error_code ec;
  fs::copy_file(from, to, ec);
  if (ec) return Status::Internal("copy " + from + ": " + ec.message());
  return Status::Ok();
}

std::string NoteBody(const std::vector<std::string>& targets, int64_t i) {
  return "{\"add_note\":{\"case_number\":\"" + targets[static_cast<size_t>(i) % targets.size()] +
         "\",\"text\":\"benchmark note " + std::to_string(i) + "\"}}";
}

std::string OpenBody() {
  static const std::string body = *model::EncodeJson(OpenCommand("escort_to_port"));
  return body;
}

// What a load run gives, as JSON: commands/s acknowledged, latencies, and the
// server's CPU time per acknowledged command.
Json Report(LoadResult& r, double cpu_seconds) {
  Json j = Json::Object();
  j.Set("scheduled", r.scheduled);
  j.Set("sent", r.sent);
  j.Set("ok", r.ok);
  j.Set("refused", r.refused);
  j.Set("unanswered", r.unanswered);
  j.Set("seconds", r.seconds);
  j.Set("per_second", r.seconds > 0 ? static_cast<double>(r.ok) / r.seconds : 0.0);
  j.Set("latency_ms", Json(Summarize(r.latency_ms)));
  j.Set("server_cpu_ms_per_command",
        r.ok > 0 ? cpu_seconds * 1000 / static_cast<double>(r.ok) : 0.0);
  if (!r.first_refusal.empty()) j.Set("first_refusal", r.first_refusal.substr(0, 300));
  if (r.worst_send_lag_ms > 0) j.Set("worst_send_lag_ms", r.worst_send_lag_ms);
  return j;
}

class Bench {
 public:
  explicit Bench(Config c) : c_(std::move(c)) {}

  Status Run() {
    spdlog::set_level(spdlog::level::warn);
    fs::create_directories(c_.work);
    ASSIGN_OR_RETURN(catalog_, model::WorkflowCatalog::LoadDirectory(c_.workflows));
    results_.Set("scale", c_.scale);
    results_.Set("started_at", model::FormatRfc3339HongKong(WallNow()));
    for (const std::string phase : {"ceiling", "throughput", "burst", "million"}) {
      if (!c_.phases.empty() && c_.phases.count(phase) == 0) continue;
      Say("== {}", phase);
      results_.At("load_average").Set(phase, LoadAverage());
      const auto began = Clock::now();
      Status s = phase == "ceiling"      ? Ceiling()
                 : phase == "throughput" ? Throughput()
                 : phase == "burst"      ? Burst()
                                         : Million();
      results_.At("phase_seconds").Set(phase, Seconds(Clock::now() - began).count());
      if (!s.ok()) {
        Say("{} failed: {}", phase, s.ToString());
        results_.At("errors").Set(phase, s.ToString());
      }
      RETURN_IF_ERROR(Save());
    }
    results_.Set("total_seconds", Seconds(Clock::now() - kStarted).count());
    return Save();
  }

 private:
  std::string Path(const std::string& name) const { return (fs::path(c_.work) / name).string(); }

  Status Save() {
    std::ofstream out(c_.out);
    out << results_.Text() << "\n";
    return out ? Status::Ok() : Status::Internal("cannot write " + c_.out);
  }

  Result<ServerChild> Serve(const std::string& db, const std::string& log_name) {
    ASSIGN_OR_RETURN(ServerChild s, ServerChild::Start(c_.dispatch, db, c_.workflows, Path(log_name)));
    RETURN_IF_ERROR(s.WaitListening(seconds(120)));
    RETURN_IF_ERROR(s.WaitReady(seconds(60)));
    return s;
  }

  // A small database: the cast on duty, and 64 open cases to note on.
  Status MakeTemplate() {
    if (!template_.empty()) return Status::Ok();
    const std::string path = Path("template.db");
    RemoveDb(path);
    const model::Instant setup = WallNow() - std::chrono::hours(2);
    ASSIGN_OR_RETURN(auto filler, Filler::Create(path, *catalog_, setup));
    ASSIGN_OR_RETURN(targets_, filler->Open("bench_open", 64, setup + std::chrono::minutes(1)));
    RETURN_IF_ERROR(filler->Verify());
    token_ = filler->token();
    template_ = path;
    return Status::Ok();
  }

  // Runs `options` against a fresh server on a copy of the template.
  Result<Json> LoadOnFreshServer(const std::string& name, LoadOptions options) {
    const std::string db = Path("run.db");
    RETURN_IF_ERROR(CopyDb(template_, db));
    ASSIGN_OR_RETURN(ServerChild server, Serve(db, name + ".log"));
    options.port = server.port();
    options.token = token_;
    // Warm-up, not counted: connections, page cache, the first statements.
    LoadOptions warm = options;
    warm.rate = 0;
    warm.connections = 1;
    warm.max_requests = 50;
    RunLoad(warm);
    const double cpu = server.CpuSeconds();
    LoadResult r = RunLoad(options);
    const double used = server.CpuSeconds() - cpu;
    server.Stop(seconds(20));
    Json j = Report(r, used);
    Say("{}: {} ok ({:.0f}/s), p50 {:.2f} ms, p99 {:.2f} ms, {} refused, {} unanswered", name, r.ok,
        r.seconds > 0 ? r.ok / r.seconds : 0.0, Quantile(r.latency_ms, 0.5),
        Quantile(r.latency_ms, 0.99), r.refused, r.unanswered);
    return j;
  }

  // Cost of one command at a time, as a lone officer would see it: latency
  // and the server's CPU time, for an open and for a note.
  Json PerCommand(ServerChild& server, const std::string& token,
                  const std::vector<std::string>& targets, int64_t count, milliseconds limit) {
    Json j = Json::Object();
    for (const std::string kind : {"open_case", "add_note"}) {
      LoadOptions o;
      o.port = server.port();
      o.token = token;
      o.connections = 1;
      o.max_requests = count;
      o.max_duration = limit;
      o.drain = seconds(120);
      if (kind == "open_case") {
        o.body = [](int64_t) { return OpenBody(); };
      } else {
        o.body = [&targets](int64_t i) { return NoteBody(targets, i); };
      }
      const double cpu = server.CpuSeconds();
      LoadResult r = RunLoad(o);
      const double used = server.CpuSeconds() - cpu;
      Json k = Report(r, used);  // sorts the latencies
      Say("  one at a time, {}: {} ok, p50 {:.2f} ms, p99 {:.2f} ms, CPU {:.2f} ms/command", kind,
          r.ok, Quantile(r.latency_ms, 0.5), Quantile(r.latency_ms, 0.99),
          r.ok ? used * 1000 / static_cast<double>(r.ok) : 0.0);
      j.Set(kind, std::move(k));
    }
    return j;
  }

  // 1 (acknowledged commands/s and latency at 1, 8 and 64 clients), 3 (p99
  // at a steady 1,000 commands/s, open loop) and 6 (per-command cost) on a
  // database holding only the 64 cases noted on.
  Status Throughput() {
    RETURN_IF_ERROR(MakeTemplate());
    Json& t = results_.At("throughput");
    for (const std::string kind : {"open_case", "add_note"}) {
      for (int clients : {1, 8, 64}) {
        LoadOptions o;
        o.connections = clients;
        o.max_requests = 200000;
        o.max_duration = seconds(5);
        if (kind == "open_case") {
          o.body = [](int64_t) { return OpenBody(); };
        } else {
          o.body = [this](int64_t i) { return NoteBody(targets_, i); };
        }
        ASSIGN_OR_RETURN(Json j, LoadOnFreshServer(kind + "-" + std::to_string(clients), o));
        t.At(kind).Set(std::to_string(clients), std::move(j));
        RETURN_IF_ERROR(Save());
      }
    }
    Json& open = results_.At("open_loop");
    for (const std::string kind : {"add_note", "open_case"}) {
      LoadOptions o;
      o.connections = 64;
      o.rate = 1000;
      o.max_requests = 10000;
      o.drain = seconds(30);
      if (kind == "open_case") {
        o.body = [](int64_t) { return OpenBody(); };
      } else {
        o.body = [this](int64_t i) { return NoteBody(targets_, i); };
      }
      ASSIGN_OR_RETURN(Json j, LoadOnFreshServer("steady-" + kind, o));
      j.Set("rate", 1000);
      open.Set(kind, std::move(j));
      RETURN_IF_ERROR(Save());
    }
    const std::string db = Path("run.db");
    RETURN_IF_ERROR(CopyDb(template_, db));
    ASSIGN_OR_RETURN(ServerChild server, Serve(db, "per-command-empty.log"));
    Say("per-command cost, 64 open cases:");
    Json j = PerCommand(server, token_, targets_, 300, seconds(30));
    j.Set("open_cases", 64);
    j.Set("reads", TimeReads(server.port(), token_));
    results_.At("per_command").Set("empty", std::move(j));
    server.Stop(seconds(20));
    return Status::Ok();
  }

  // 2: the raw SQLite ceiling, blobs the size of a real open's.
  Status Ceiling() {
    // The sizes of what the store writes for one escort_to_port open.
    size_t event_bytes = 0, state_bytes = 0, events = 0;
    {
      const std::string path = Path("sizes.db");
      RemoveDb(path);
      ASSIGN_OR_RETURN(auto filler, Filler::Create(path, *catalog_, WallNow() - std::chrono::hours(2)));
      RETURN_IF_ERROR(filler->Open("escort_to_port", 1, WallNow() - std::chrono::hours(1)).status());
      auto db = dispatch::SqliteDb::Open(path, dispatch::SqliteDb::Mode::kReadOnly);
      if (!db.ok()) return db.status();
      ASSIGN_OR_RETURN(auto st, (*db)->Prepare(
          "SELECT (SELECT length(body) FROM journal WHERE seq = 1 AND case_number ="
          " (SELECT number FROM cases)), (SELECT length(body) FROM cases),"
          " (SELECT count(*) FROM journal)"));
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return Status::Internal("no case was opened");
      event_bytes = static_cast<size_t>(st.ColumnInt(0));
      state_bytes = static_cast<size_t>(st.ColumnInt(1));
      events = static_cast<size_t>(st.ColumnInt(2));
    }
    RemoveDb(Path("sizes.db"));
    Json& j = results_.At("ceiling");
    j.Set("journal_bytes", event_bytes);
    j.Set("projection_bytes", state_bytes);
    j.Set("events_per_open", events);
    for (int batch : {1, 8, 64, 256}) {
      CeilingOptions o;
      o.path = Path("ceiling.db");
      o.batch = batch;
      o.max_commands = 500000;
      o.max_duration = seconds(3);
      o.journal_bytes = event_bytes;
      o.projection_bytes = state_bytes;
      ASSIGN_OR_RETURN(CeilingResult r, RawCeiling(o));
      const double per_second = static_cast<double>(r.commands) / r.seconds;
      Say("raw SQLite, batches of {}: {:.0f} commands/s", batch, per_second);
      Json b = Json::Object();
      b.Set("commands", r.commands);
      b.Set("seconds", r.seconds);
      b.Set("per_second", per_second);
      j.At("batches").Set(std::to_string(batch), std::move(b));
      RemoveDb(o.path);
    }
    return Status::Ok();
  }

  // How fast the engine fills a database here (cases/s), from a small fill.
  Result<double> FillRate(const std::string& type) {
    const std::string path = Path("calibrate.db");
    RemoveDb(path);
    const model::Instant setup = WallNow() - std::chrono::hours(2);
    ASSIGN_OR_RETURN(auto filler, Filler::Create(path, *catalog_, setup));
    const auto began = Clock::now();
    RETURN_IF_ERROR(filler->Open(type, 3000, setup).status());
    const double rate = 3000 / Seconds(Clock::now() - began).count();
    filler.reset();
    RemoveDb(path);
    return rate;
  }

  // How long some reads take: the first page of the case list, and the
  // health and metrics pages (which count every pending timer).
  Json TimeReads(unsigned short port, const std::string& token) {
    Json j = Json::Object();
    for (const std::string target : {"/v1/cases?limit=50", "/readyz", "/metrics"}) {
      std::vector<double> ms;
      int status = 0;
      size_t bytes = 0;
      for (int i = 0; i < 3; ++i) {
        const auto began = Clock::now();
        const HttpAnswer a = HttpGet(port, target, seconds(120), token);
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - began).count());
        status = a.status;
        bytes = a.body.size();
        // One slow answer says enough: the time is the run's to keep.
        if (a.status != 200 || ms.back() > 5000) break;
      }
      Summary s = Summarize(ms);
      Say("  GET {}: {} in {:.1f} ms (median of {})", target, status, s.p50, s.count);
      Json r = Json::Object();
      r.Set("status", status);
      r.Set("bytes", bytes);
      r.Set("median_ms", s.p50);
      j.Set(target, std::move(r));
    }
    return j;
  }

  static Json ProbeReport(Probe& probe) {
    std::vector<double> ms = probe.latencies_ms();
    Json j = Json::Object();
    j.Set("answered", ms.size());
    j.Set("unanswered", probe.unanswered());
    j.Set("latency_ms", Json(Summarize(ms)));
    Say("  a note while the deadlines fired: {} answered, {} not, worst {:.0f} ms", ms.size(),
        probe.unanswered(), ms.empty() ? 0.0 : *std::max_element(ms.begin(), ms.end()));
    return j;
  }

  // What the journal says about deadlines that were due at `due_ms`.
  Json Firings(const std::vector<Breach>& all, int64_t due_ms, int64_t expected) {
    std::vector<double> committed, decided;
    int64_t last_seen = due_ms, first_seen = 0;
    for (const Breach& b : all) {
      if (b.due_ms != due_ms) continue;
      committed.push_back(static_cast<double>(b.seen_ms - b.due_ms));
      decided.push_back(static_cast<double>(b.stamped_ms - b.due_ms));
      last_seen = std::max(last_seen, b.seen_ms);
      if (first_seen == 0 || b.seen_ms < first_seen) first_seen = b.seen_ms;
    }
    Json j = Json::Object();
    const auto fired = static_cast<int64_t>(committed.size());
    j.Set("expected", expected);
    j.Set("fired", fired);
    j.Set("all_fired", fired >= expected);
    const double span = static_cast<double>(last_seen - due_ms) / 1000.0;
    j.Set("due_to_last_seconds", span);
    // Due instant to the last one committed: the rate the issue asks for.
    j.Set("per_second", span > 0 ? static_cast<double>(fired) / span : 0.0);
    j.Set("lateness_committed_ms", Json(Summarize(committed)));
    j.Set("lateness_decided_ms", Json(Summarize(decided)));
    if (first_seen > 0) j.Set("first_seen_after_due_ms", first_seen - due_ms);
    return j;
  }

  // Seconds from the server's start until /metrics says the journal was
  // checked; -1 when not within `limit`.
  static double WaitJournalChecked(ServerChild& server, seconds limit) {
    const auto until = Clock::now() + limit;
    while (Clock::now() < until) {
      const HttpAnswer m = HttpGet(server.port(), "/metrics", seconds(10));
      if (m.body.find("\ndispatch_journal_intact ") != std::string::npos) {
        return Seconds(Clock::now() - server.started()).count();
      }
      std::this_thread::sleep_for(milliseconds(200));
    }
    return -1;
  }

  // The deadline-firing lateness histogram and counters of /metrics.
  static Json Metrics(unsigned short port) {
    const HttpAnswer m = HttpGet(port, "/metrics", seconds(10));
    Json j = Json::Object();
    std::istringstream lines(m.body);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.rfind("dispatch_deadline_firing_lateness_seconds", 0) == 0 ||
          line.rfind("dispatch_pending_timers", 0) == 0 ||
          line.rfind("dispatch_outbox_notifications", 0) == 0) {
        const auto space = line.rfind(' ');
        j.Set(line.substr(0, space), std::stod(line.substr(space + 1)));
      }
    }
    return j;
  }

  static int64_t DueTimers(const std::string& db, int64_t at_ms) {
    auto conn = dispatch::SqliteDb::Open(db, dispatch::SqliteDb::Mode::kReadOnly);
    if (!conn.ok()) return -1;
    auto st = (*conn)->Prepare("SELECT count(*) FROM timers WHERE next_at IS NOT NULL AND next_at <= ?");
    if (!st.ok()) return -1;
    st->Bind(1, at_ms);
    auto row = st->Step();
    return row.ok() && *row ? st->ColumnInt(0) : -1;
  }

  static void SleepUntilWall(int64_t ms) {
    const int64_t wait = ms - WallMillis();
    if (wait > 0) std::this_thread::sleep_for(milliseconds(wait));
  }

  // 4, first half: N deadlines due at one instant, nothing else in the database.
  Status Burst() {
    const int64_t n = Scaled(c_, 100000);
    Json& j = results_.At("burst");
    j.Set("deadlines", n);
    ASSIGN_OR_RETURN(double rate, FillRate("bench_deadline"));
    const std::string db = Path("burst.db");
    RemoveDb(db);
    const model::Instant setup = WallNow() - std::chrono::hours(2);
    ASSIGN_OR_RETURN(auto filler, Filler::Create(db, *catalog_, setup));
    // A case to note on while the deadlines fire.
    ASSIGN_OR_RETURN(auto probe_case, filler->Open("bench_open", 1, setup + std::chrono::minutes(1)));
    const std::string token = filler->token();
    // Due once the fill is done and the server is up, with room to spare.
    const int64_t fill_ms = static_cast<int64_t>(1000.0 * static_cast<double>(n) / rate * 1.4);
    const int64_t due = (WallMillis() + fill_ms + 20000) / 1000 * 1000;
    Say("filling {} bench_deadline cases (about {:.0f}/s), due at +{:.0f} s", n, rate,
        (due - WallMillis()) / 1000.0);
    const auto began = Clock::now();
    RETURN_IF_ERROR(filler->Open("bench_deadline", n, model::Instant(model::Millis(due)) - std::chrono::hours(1),
                                 500, [&](int64_t k) {
                                   if (k % 20000 == 0) Say("  {} opened", k);
                                 }).status());
    const double fill_s = Seconds(Clock::now() - began).count();
    j.Set("fill_seconds", fill_s);
    j.Set("fill_per_second", static_cast<double>(n) / fill_s);
    filler.reset();
    if (WallMillis() > due - 3000) {
      j.Set("warning", "the fill overran the due instant; the deadlines fired at start");
    }
    JournalWatch watch(db, JournalWatch::LastId(db), milliseconds(20));
    ASSIGN_OR_RETURN(ServerChild server, Serve(db, "burst.log"));
    Say("serving; {:.1f} s until due", (due - WallMillis()) / 1000.0);
    SleepUntilWall(due);
    const auto limit = milliseconds(60000 + n * 2);
    Probe probe(server.port(), token, [&probe_case](int i) { return NoteBody(probe_case, i); },
                Clock::now() + limit, milliseconds(250));
    const bool all = watch.WaitFor(static_cast<size_t>(n), limit);
    watch.Stop();
    probe.Stop();
    j.Set("note_while_firing", ProbeReport(probe));
    j.Set("wait_limit_seconds", static_cast<double>(limit.count()) / 1000.0);
    Json f = Firings(watch.breaches(), due, n);
    Say("fired {} of {} in {:.1f} s{}", watch.breaches().size(), n,
        (WallMillis() - due) / 1000.0, all ? "" : " (limit reached)");
    j.Set("firings", std::move(f));
    j.Set("metrics", Metrics(server.port()));
    j.Set("stopped", server.Stop(seconds(20)));
    if (!watch.error().empty()) j.Set("watch_error", watch.error());
    RemoveDb(db);
    return Status::Ok();
  }

  // 4 (second half), 5 and 6 at a million open cases: 10,000 deadlines due at
  // one instant among a million pending; the time to serve, with and without
  // deadlines overdue at start; one command's cost.
  Status Million() {
    RETURN_IF_ERROR(MakeTemplate());
    const int64_t total = Scaled(c_, 1000000);
    const int64_t due1 = Scaled(c_, 10000);
    const int64_t due2 = Scaled(c_, 10000);
    const int64_t background = total - due1 - due2;
    Json& j = results_.At("million");
    j.Set("open_cases", total);
    j.Set("due_at_once", due1);
    j.Set("overdue_at_restart", due2);
    const std::string db = Path("million.db");
    RemoveDb(db);
    const model::Instant setup = WallNow() - std::chrono::hours(2);
    ASSIGN_OR_RETURN(auto filler, Filler::Create(db, *catalog_, setup));
    Say("filling {} bench_open cases", background);
    auto began = Clock::now();
    ASSIGN_OR_RETURN(auto numbers, filler->Open("bench_open", background, setup + std::chrono::minutes(1), 500,
                                                [&](int64_t k) {
                                                  if (k % 100000 == 0) Say("  {} opened", k);
                                                }));
    const double fill_s = Seconds(Clock::now() - began).count();
    const double rate = static_cast<double>(background) / fill_s;
    j.Set("fill_seconds", fill_s);
    j.Set("fill_per_second", rate);
    const std::vector<std::string> targets(numbers.begin(), numbers.begin() + std::min<size_t>(64, numbers.size()));
    numbers.clear();
    numbers.shrink_to_fit();
    // The first group falls due after the server is up and the per-command
    // costs are measured; the second while the server is down, so that it is
    // overdue at the restart.
    // Long enough at a million for at least one group of firings (500 to a
    // transaction) to commit when each costs a scan of every open task.
    const int64_t window_ms = 30000 + due1 * 27;
    // Before the first group falls due: the reads, then one command at a time.
    const int64_t per_command_ms = 20000 + static_cast<int64_t>(100000 * std::min(1.0, c_.scale));
    const int64_t fill_due_ms =
        static_cast<int64_t>(1000.0 * static_cast<double>(due1 + due2) / rate * 1.5) + 10000;
    const int64_t d1 = (WallMillis() + fill_due_ms + 20000 + per_command_ms) / 1000 * 1000;
    const int64_t d2 = d1 + window_ms;
    RETURN_IF_ERROR(filler->Open("bench_deadline", due1, model::Instant(model::Millis(d1)) - std::chrono::hours(1)).status());
    RETURN_IF_ERROR(filler->Open("bench_deadline", due2, model::Instant(model::Millis(d2)) - std::chrono::hours(1)).status());
    RETURN_IF_ERROR(filler->Verify());
    const std::string token = filler->token();
    filler.reset();
    j.Set("db_bytes", static_cast<int64_t>(fs::file_size(db)));
    RETURN_IF_ERROR(TimeOpenTaskScan(db, j));

    // 5: from start to serving, a million open cases, nothing overdue.
    JournalWatch watch(db, JournalWatch::LastId(db), milliseconds(20));
    ASSIGN_OR_RETURN(ServerChild server, ServerChild::Start(c_.dispatch, db, c_.workflows, Path("million-1.log")));
    RETURN_IF_ERROR(server.WaitListening(seconds(120)));
    const double listening = Seconds(Clock::now() - server.started()).count();
    RETURN_IF_ERROR(server.WaitReady(seconds(60)));
    const double ready = Seconds(Clock::now() - server.started()).count();
    Say("1M: listening after {:.2f} s, ready after {:.2f} s", listening, ready);
    Json& start = j.At("start_nothing_overdue");
    start.Set("listening_seconds", listening);
    start.Set("ready_seconds", ready);
    // The server checks the journal's hash chain as it starts, beside the
    // serving (dispatch/audit.h): the per-command costs are measured once it
    // is done, and how long it took is a figure of its own.
    const double checked = WaitJournalChecked(server, seconds(600));
    if (checked >= 0) start.Set("journal_checked_seconds", checked);
    Say("1M: journal checked after {:.1f} s", checked);

    // 6 at a million open cases.
    Say("reads and per-command cost, {} open cases:", total);
    Json reads = TimeReads(server.port(), token);
    const int64_t budget_ms = std::clamp<int64_t>(d1 - WallMillis() - 5000, 10000, per_command_ms);
    Json pc = PerCommand(server, token, targets, 300, milliseconds(budget_ms / 2));
    pc.Set("open_cases", total);
    pc.Set("reads", std::move(reads));
    results_.At("per_command").Set("million", std::move(pc));
    RETURN_IF_ERROR(Save());

    // 4: the first group falls due.
    if (WallMillis() > d1) j.Set("warning", "the first group fell due before the per-command runs ended");
    Say("waiting {:.1f} s for {} deadlines to fall due", (d1 - WallMillis()) / 1000.0, due1);
    SleepUntilWall(d1);
    const auto window = milliseconds(std::max<int64_t>(0, d2 - 15000 - WallMillis()));
    Probe probe(server.port(), token, [&targets](int i) { return NoteBody(targets, i); },
                Clock::now() + window, milliseconds(250));
    const bool all = watch.WaitFor(static_cast<size_t>(due1), window);
    watch.Stop();
    probe.Stop();
    j.Set("note_while_firing", ProbeReport(probe));
    Json f = Firings(watch.breaches(), d1, due1);
    Say("fired {} of {} in {:.1f} s{}", watch.breaches().size(), due1, (WallMillis() - d1) / 1000.0,
        all ? "" : " (limit reached)");
    f.Set("wait_limit_seconds", static_cast<double>(d2 - 15000 - d1) / 1000.0);
    j.Set("due_at_once_firings", std::move(f));
    j.Set("metrics", Metrics(server.port()));
    j.Set("stopped", server.Stop(seconds(10)));
    RETURN_IF_ERROR(Save());

    // 5 again: the server comes back after the second group fell due.
    SleepUntilWall(d2 + 1000);
    const int64_t overdue = DueTimers(db, WallMillis());
    JournalWatch again(db, JournalWatch::LastId(db), milliseconds(20));
    Json& restart = j.At("start_with_overdue");
    restart.Set("overdue_timers", overdue);
    ASSIGN_OR_RETURN(ServerChild second, ServerChild::Start(c_.dispatch, db, c_.workflows, Path("million-2.log")));
    const auto limit = seconds(30 + due2 * 3 / 1000);
    restart.Set("limit_seconds", static_cast<double>(limit.count()));
    const Status listened = second.WaitListening(limit);
    if (listened.ok()) {
      restart.Set("listening_seconds", Seconds(Clock::now() - second.started()).count());
      const Status readied = second.WaitReady(seconds(60));
      if (readied.ok()) restart.Set("ready_seconds", Seconds(Clock::now() - second.started()).count());
    }
    const auto left = limit - std::chrono::duration_cast<seconds>(Clock::now() - second.started());
    const bool fired_all = again.WaitFor(static_cast<size_t>(overdue), std::max(milliseconds(0), milliseconds(left)));
    const double fired_at = Seconds(Clock::now() - second.started()).count();
    again.Stop();
    const auto breaches = again.breaches();
    restart.Set("fired", breaches.size());
    restart.Set("all_fired", fired_all);
    if (fired_all) {
      int64_t last = 0;
      for (const Breach& b : breaches) last = std::max(last, b.seen_ms);
      restart.Set("all_fired_seconds",
                  fired_at - static_cast<double>(WallMillis() - last) / 1000.0);
    }
    Say("restart with {} overdue: {} fired; {}", overdue, breaches.size(),
        listened.ok() ? "serving" : "not serving within the limit");
    restart.Set("stopped", second.Stop(seconds(10)));
    RETURN_IF_ERROR(Save());
    RETURN_IF_ERROR(TimeFiringInProcess(db, j));
    RemoveDb(db);
    return Status::Ok();
  }

  // One group of firings, in this process, through the function the server's
  // writer calls (Dispatcher::FireDueDeadlines), on the database as the
  // server left it: what one firing costs at this size when the server has
  // not committed a group within the wait.
  Status TimeFiringInProcess(const std::string& db, Json& j) {
    ASSIGN_OR_RETURN(auto store, dispatch::SqliteStore::Open(db, dispatch::SqliteStore::Mode::kOpenExisting));
    model::FakeClock clock(WallNow());
    dispatch::Dispatcher dispatcher(*store, *catalog_, clock);
    const int limit = 20;
    const auto began = Clock::now();
    ASSIGN_OR_RETURN(dispatch::FiringReport report, dispatcher.FireDueDeadlines(limit));
    const double took = Seconds(Clock::now() - began).count();
    Json f = Json::Object();
    f.Set("fired", report.fired);
    f.Set("seconds", took);
    f.Set("ms_per_firing", report.fired > 0 ? 1000 * took / report.fired : 0.0);
    Say("in process: {} firings in {:.1f} s ({:.0f} ms each)", report.fired, took,
        report.fired > 0 ? 1000 * took / report.fired : 0.0);
    j.Set("firing_in_process", std::move(f));
    return Status::Ok();
  }

  // What the scan behind every case command costs on this database.
  Status TimeOpenTaskScan(const std::string& db, Json& j) {
    ASSIGN_OR_RETURN(auto store, dispatch::SqliteStore::Open(db, dispatch::SqliteStore::Mode::kOpenExisting));
    std::vector<double> ms;
    size_t holders = 0;
    // The load of every user, as the busiest command would count it.
    ASSIGN_OR_RETURN(auto users, store->Read().ListUsers());
    std::vector<std::string> names;
    for (const auto& u : users) names.push_back(u.name());
    for (int i = 0; i < 5; ++i) {
      const auto began = Clock::now();
      ASSIGN_OR_RETURN(auto counts, store->Read().OpenTaskCounts(names));
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - began).count());
      holders = counts.size();
    }
    Summary s = Summarize(ms);
    Say("OpenTaskCounts on this database: {:.1f} ms (median of 5)", s.p50);
    j.Set("open_task_counts_ms", s.p50);
    j.Set("open_task_holders", holders);
    return Status::Ok();
  }

  Config c_;
  std::optional<model::WorkflowCatalog> catalog_;
  Json results_ = Json::Object();
  std::string template_;
  std::string token_;
  std::vector<std::string> targets_;
};

}  // namespace
}  // namespace bench

int main(int argc, char** argv) {
  bench::Config c;
  std::string phases;
  CLI::App app{"dispatch_bench: measures dispatch serve and the engine (see scripts/bench)"};
  app.add_option("--dispatch", c.dispatch, "the dispatch binary")->required();
  app.add_option("--workflows", c.workflows, "case type definitions (the shipped ones and the bench's)")->required();
  app.add_option("--work", c.work, "a scratch directory for databases and logs")->required();
  app.add_option("--out", c.out, "where to write the figures (JSON)")->required();
  app.add_option("--scale", c.scale, "counts times this (1: the issue's counts)");
  app.add_option("--phases", phases, "comma-separated: ceiling,throughput,burst,million (default all)");
  CLI11_PARSE(app, argc, argv);
  std::stringstream list(phases);
  for (std::string p; std::getline(list, p, ',');) {
    if (!p.empty()) c.phases.insert(p);
  }
  const model::Status s = bench::Bench(c).Run();
  if (!s.ok()) {
    std::fprintf(stderr, "dispatch_bench: %s\n", s.ToString().c_str());
    return 1;
  }
  return 0;
}
