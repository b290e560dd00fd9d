#include "raw_ceiling.h"

#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <random>

namespace bench {

using model::Result;
using model::Status;

namespace {

// The journal and cases tables and their indexes as the store makes them
// (dispatch/sqlite_store.cc), without the references to tables not here.
constexpr char kSchema[] = R"sql(
CREATE TABLE journal (
  id INTEGER PRIMARY KEY,
  case_number TEXT NOT NULL,
  seq INTEGER NOT NULL,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  body BLOB NOT NULL,
  UNIQUE (case_number, seq)
);
CREATE TABLE cases (
  number TEXT PRIMARY KEY,
  centre TEXT NOT NULL,
  type TEXT NOT NULL,
  definition_hash TEXT NOT NULL,
  state TEXT NOT NULL,
  status INTEGER NOT NULL,
  person_name TEXT NOT NULL,
  opened_at INTEGER NOT NULL,
  version INTEGER NOT NULL,
  body BLOB NOT NULL
);
CREATE INDEX cases_by_centre ON cases (centre, status, opened_at);
)sql";

struct Closer {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct Finalizer {
  void operator()(sqlite3_stmt* st) const { sqlite3_finalize(st); }
};
using Db = std::unique_ptr<sqlite3, Closer>;
using Stmt = std::unique_ptr<sqlite3_stmt, Finalizer>;

Status Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    Status s = Status::Internal(std::string(sql).substr(0, 40) + ": " + (err ? err : "?"));
    sqlite3_free(err);
    return s;
  }
  return Status::Ok();
}

Result<Stmt> Prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) {
    return Status::Internal(std::string("prepare: ") + sqlite3_errmsg(db));
  }
  return Stmt(st);
}

std::string RandomBytes(size_t n, std::mt19937_64& rng) {
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

}  // namespace

Result<CeilingResult> RawCeiling(const CeilingOptions& o) {
  std::filesystem::remove(o.path);
  std::filesystem::remove(o.path + "-wal");
  std::filesystem::remove(o.path + "-shm");
  sqlite3* raw = nullptr;
  if (sqlite3_open(o.path.c_str(), &raw) != SQLITE_OK) {
    sqlite3_close(raw);
    return Status::Internal("cannot open " + o.path);
  }
  Db db(raw);
  // The store's settings: WAL, a full sync on every commit.
  RETURN_IF_ERROR(Exec(db.get(), "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"));
  RETURN_IF_ERROR(Exec(db.get(), kSchema));
  ASSIGN_OR_RETURN(Stmt journal, Prepare(db.get(),
      "INSERT INTO journal (case_number, seq, at, actor, body) VALUES (?, ?, ?, ?, ?)"));
  ASSIGN_OR_RETURN(Stmt project, Prepare(db.get(),
      "INSERT INTO cases (number, centre, type, definition_hash, state, status, person_name,"
      " opened_at, version, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
      " ON CONFLICT (number) DO UPDATE SET centre = ?2, type = ?3, definition_hash = ?4,"
      " state = ?5, status = ?6, person_name = ?7, opened_at = ?8, version = ?9, body = ?10"));
  std::mt19937_64 rng(7);
  const std::string event = RandomBytes(o.journal_bytes, rng);
  const std::string state = RandomBytes(o.projection_bytes, rng);
  const std::string hash(64, 'a');
  CeilingResult r;
  const auto start = std::chrono::steady_clock::now();
  const auto until = start + o.max_duration;
  while (r.commands < o.max_commands && std::chrono::steady_clock::now() < until) {
    RETURN_IF_ERROR(Exec(db.get(), "BEGIN IMMEDIATE"));
    for (int i = 0; i < o.batch && r.commands < o.max_commands; ++i, ++r.commands) {
      char number[32];
      std::snprintf(number, sizeof number, "SZ-2026-%07lld", static_cast<long long>(r.commands + 1));
      sqlite3_reset(journal.get());
      sqlite3_bind_text(journal.get(), 1, number, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(journal.get(), 2, 1);
      sqlite3_bind_int64(journal.get(), 3, 1780000000000 + r.commands);
      sqlite3_bind_text(journal.get(), 4, "bench_do01", -1, SQLITE_STATIC);
      sqlite3_bind_blob(journal.get(), 5, event.data(), static_cast<int>(event.size()), SQLITE_STATIC);
      if (sqlite3_step(journal.get()) != SQLITE_DONE) {
        return Status::Internal(std::string("journal insert: ") + sqlite3_errmsg(db.get()));
      }
      sqlite3_reset(project.get());
      sqlite3_bind_text(project.get(), 1, number, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(project.get(), 2, "SZ", -1, SQLITE_STATIC);
      sqlite3_bind_text(project.get(), 3, "escort_to_port", -1, SQLITE_STATIC);
      sqlite3_bind_text(project.get(), 4, hash.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(project.get(), 5, "planning", -1, SQLITE_STATIC);
      sqlite3_bind_int64(project.get(), 6, 1);
      sqlite3_bind_text(project.get(), 7, "陳大文 CHAN Tai Man", -1, SQLITE_STATIC);
      sqlite3_bind_int64(project.get(), 8, 1780000000000 + r.commands);
      sqlite3_bind_int64(project.get(), 9, 1);
      sqlite3_bind_blob(project.get(), 10, state.data(), static_cast<int>(state.size()), SQLITE_STATIC);
      if (sqlite3_step(project.get()) != SQLITE_DONE) {
        return Status::Internal(std::string("projection upsert: ") + sqlite3_errmsg(db.get()));
      }
    }
    RETURN_IF_ERROR(Exec(db.get(), "COMMIT"));
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace bench
