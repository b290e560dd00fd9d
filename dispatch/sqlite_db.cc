#include "dispatch/sqlite_db.h"

#include <filesystem>

#include <sqlite3.h>

namespace dispatch {

using model::Result;
using model::Status;

namespace {

constexpr int kBusyTimeoutMs = 5000;
// Idle statements kept per connection: every fixed statement of the store
// several times over; filtered lists beyond that are compiled each time.
constexpr size_t kMaxIdleStatements = 256;

Status FromCode(int rc, std::string_view what, std::string_view detail) {
  std::string msg = std::string(what) + ": " + std::string(detail);
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Unavailable(msg + " (the database is busy; try again)");
    case SQLITE_FULL:
      return Status::Unavailable(msg + " (free some disk space, then try again)");
    case SQLITE_IOERR:
      return Status::Unavailable(msg + " (the disk could not be read or written; try again, and "
                                       "if it persists, check the disk)");
    case SQLITE_CANTOPEN:
      return Status::InvalidArgument(msg + " (check the path and its permissions)");
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return Status::InvalidArgument(msg + " (the file cannot be written; check its permissions)");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::DataLoss(msg + " (the database file is damaged; restore it from a backup)");
    case SQLITE_CONSTRAINT:
      // A key taken already; any other broken constraint is a bug of ours.
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return Status::AlreadyExists(msg);
      }
      return Status::Internal(msg);
    default:
      return Status::Internal(msg);
  }
}

}  // namespace

Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path, Mode mode) {
  const bool memory = path == ":memory:";
  if (!memory && mode != Mode::kCreate && !std::filesystem::exists(path)) {
    return Status::NotFound("no database at " + path + "; create one with: dispatch --db " + path +
                            " init");
  }
  int flags = SQLITE_OPEN_NOMUTEX;
  std::string name = path;
  if (mode == Mode::kInspect) {
    flags |= SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
    name = "file:";
    for (char c : path) {
      if (c == '%' || c == '?' || c == '#') {
        static const char kHex[] = "0123456789ABCDEF";
        name += '%';
        name += kHex[(c >> 4) & 0xF];
        name += kHex[c & 0xF];
      } else {
        name += c;
      }
    }
    name += "?immutable=1";
  } else if (mode == Mode::kReadOnly) {
    flags |= SQLITE_OPEN_READONLY;
  } else {
    flags |= SQLITE_OPEN_READWRITE;
    if (mode == Mode::kCreate) flags |= SQLITE_OPEN_CREATE;
  }
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(name.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string detail = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    sqlite3_close(raw);
    return FromCode(rc, "cannot open database " + path, detail);
  }
  std::unique_ptr<SqliteDb> db(new SqliteDb(raw, path));
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);
  sqlite3_extended_result_codes(raw, 1);
  if (mode == Mode::kInspect) return db;
  // Closing the last connection copies the WAL into the file. A WAL that
  // holds commits already (a copy, a crash) is left as it is unless this
  // connection writes too (see ~SqliteDb).
  std::error_code ec;
  const auto wal_size = memory ? 0 : std::filesystem::file_size(path + "-wal", ec);
  if (mode == Mode::kReadOnly || (!ec && wal_size > 0)) {
    sqlite3_db_config(raw, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  }
  if (mode == Mode::kReadOnly) return db;
  // Durable before acknowledged: WAL with a full sync on every commit.
  RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;"));
  if (!memory) {
    auto mode_stmt = db->Prepare("PRAGMA journal_mode = WAL");
    if (!mode_stmt.ok()) return mode_stmt.status();
    auto row = mode_stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row || mode_stmt->ColumnText(0) != "wal") {
      return Status::Unavailable("database " + path + " cannot be put in WAL mode");
    }
  }
  return db;
}

SqliteDb::~SqliteDb() {
  for (auto& [sql, stmts] : idle_) {
    for (sqlite3_stmt* stmt : stmts) sqlite3_finalize(stmt);
  }
  if (wrote_) sqlite3_db_config(db_, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, nullptr);
  sqlite3_close_v2(db_);
}

Status SqliteDb::Error(std::string_view what) const {
  return FromCode(sqlite3_extended_errcode(db_), what, sqlite3_errmsg(db_));
}

Status SqliteDb::Exec(std::string_view sql) {
  char* err = nullptr;
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string detail = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return FromCode(rc, "database error on " + path_, detail);
  }
  return Status::Ok();
}

Result<Statement> SqliteDb::Prepare(std::string_view sql) {
  auto [it, inserted] = idle_.try_emplace(std::string(sql));
  if (!it->second.empty()) {
    sqlite3_stmt* stmt = it->second.back();
    it->second.pop_back();
    --idle_count_;
    return Statement(this, &it->first, stmt);
  }
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    if (inserted) idle_.erase(it);
    return Error("cannot prepare '" + std::string(sql.substr(0, 60)) + "'");
  }
  return Statement(this, &it->first, stmt);
}

Status SqliteDb::Run(std::string_view sql) {
  auto stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  return stmt->Run();
}

bool SqliteDb::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

void SqliteDb::Release(const std::string* sql, sqlite3_stmt* stmt) {
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  auto it = idle_.find(*sql);
  if (idle_count_ >= kMaxIdleStatements || it == idle_.end()) {
    sqlite3_finalize(stmt);
    return;
  }
  it->second.push_back(stmt);
  ++idle_count_;
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_),
      sql_(other.sql_),
      stmt_(other.stmt_),
      bind_error_(std::move(other.bind_error_)) {
  other.stmt_ = nullptr;
}

Statement::~Statement() {
  if (stmt_ != nullptr) db_->Release(sql_, stmt_);
}

Statement& Statement::Bind(int index, int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK && bind_error_.ok()) {
    bind_error_ = db_->Error("bind");
  }
  return *this;
}

Statement& Statement::Bind(int index, std::string_view text) {
  if (sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK &&
      bind_error_.ok()) {
    bind_error_ = db_->Error("bind");
  }
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view bytes) {
  if (sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK &&
      bind_error_.ok()) {
    bind_error_ = db_->Error("bind");
  }
  return *this;
}

Statement& Statement::BindNull(int index) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK && bind_error_.ok()) {
    bind_error_ = db_->Error("bind");
  }
  return *this;
}

Statement& Statement::BindOptional(int index, std::string_view text) {
  return text.empty() ? BindNull(index) : Bind(index, text);
}

Result<bool> Statement::Step() {
  if (!bind_error_.ok()) return bind_error_;
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return db_->Error("database error");
}

Status Statement::Run() {
  for (;;) {
    auto row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
  }
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = Status::Ok();
}

int64_t Statement::ColumnInt(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::ColumnText(int column) const { return std::string(ColumnView(column)); }

std::string_view Statement::ColumnView(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  return p ? std::string_view(reinterpret_cast<const char*>(p),
                              static_cast<size_t>(sqlite3_column_bytes(stmt_, column)))
           : std::string_view();
}

std::string Statement::ColumnBlob(int column) const {
  const void* p = sqlite3_column_blob(stmt_, column);
  return p ? std::string(static_cast<const char*>(p),
                         static_cast<size_t>(sqlite3_column_bytes(stmt_, column)))
           : std::string();
}

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

namespace {

// SQLite ends a transaction by itself after some errors (a full disk, an
// I/O error): a savepoint is then no longer inside anything, and must not
// go on as a transaction of its own.
Status OuterGone() {
  return Status::Unavailable(
      "the transaction this was part of was rolled back after an error; try again");
}

}  // namespace

WriteTransaction::WriteTransaction(SqliteDb& db) : db_(db), nested_(db.transactions_ > 0) {
  if (nested_ && !db_.InTransaction()) {
    begin_ = OuterGone();
  } else {
    begin_ = db_.Run(nested_ ? "SAVEPOINT nested" : "BEGIN IMMEDIATE");
  }
  open_ = begin_.ok();
  if (open_) ++db_.transactions_;
}

WriteTransaction::~WriteTransaction() {
  if (!open_) return;
  --db_.transactions_;
  if (!db_.InTransaction()) return;  // rolled back by SQLite already
  if (!nested_) {
    (void)db_.Run("ROLLBACK");
  } else if (db_.Run("ROLLBACK TO nested").ok()) {
    (void)db_.Run("RELEASE nested");
  }
}

Status WriteTransaction::Commit() {
  if (!open_) return Status::Internal("commit without an open transaction");
  if (!db_.InTransaction()) return OuterGone();
  Status s = db_.Run(nested_ ? "RELEASE nested" : "COMMIT");
  if (s.ok()) {
    open_ = false;
    --db_.transactions_;
    db_.wrote_ = true;
  }
  return s;
}

}  // namespace dispatch
