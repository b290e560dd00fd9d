// A thin RAII layer over SQLite: one connection, prepared statements (kept and
// reused by their SQL text), and a write transaction that rolls back unless
// committed. <sqlite3.h> stays out of this header.
#ifndef DISPATCH_SQLITE_DB_H_
#define DISPATCH_SQLITE_DB_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace dispatch {

class Statement;

// One connection. Not thread-safe: use one SqliteDb per thread.
class SqliteDb {
 public:
  // kInspect opens an existing file read-only as immutable: no lock taken,
  // no -wal or -shm file made, nothing in it changed, not even its journal
  // mode. For looking at a file before deciding it is ours.
  // kReadOnly opens an existing file read-only, with no checkpoint on close.
  enum class Mode { kInspect, kReadOnly, kOpenExisting, kCreate };

  // Opens `path` (":memory:" for a private in-memory database). Unless
  // inspecting or read-only: in WAL mode with synchronous=FULL and foreign keys on. Always a
  // busy timeout. All but kCreate fail with NotFound when there is
  // no file yet.
  static model::Result<std::unique_ptr<SqliteDb>> Open(const std::string& path, Mode mode);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // Runs one or more statements that return no rows.
  model::Status Exec(std::string_view sql);
  // One statement. Compiled once per connection and SQL text: a Statement
  // goes back to this connection's cache, reset, when it is destroyed, and
  // the next Prepare of the same text takes it again.
  model::Result<Statement> Prepare(std::string_view sql);
  // Runs one statement that returns no rows, through the cache (BEGIN,
  // COMMIT, SAVEPOINT: the statements run on every write).
  model::Status Run(std::string_view sql);
  // Whether a transaction is open on this connection.
  bool InTransaction() const;
  // Statements and transactions made here must not outlive it.

  const std::string& path() const { return path_; }

 private:
  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  model::Status Error(std::string_view what) const;
  // Takes back a statement that is done with; finalizes it when the cache is full.
  void Release(const std::string* sql, sqlite3_stmt* stmt);

  sqlite3* db_;
  std::string path_;
  // Whether this connection committed anything. One that did not leaves the
  // file as it found it when it closes: no checkpoint of another's WAL.
  bool wrote_ = false;
  // WriteTransactions open on this connection, the outermost included.
  int transactions_ = 0;
  // Idle compiled statements by SQL text. Several of one text when they were
  // in use at once. Bounded: lists built from filters make many texts.
  std::unordered_map<std::string, std::vector<sqlite3_stmt*>> idle_;
  size_t idle_count_ = 0;
  friend class Statement;
  friend class WriteTransaction;
};

// A prepared statement. Bind parameters are 1-based, columns 0-based.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, std::string_view text);
  Statement& BindBlob(int index, std::string_view bytes);
  Statement& BindNull(int index);
  // Binds text, or NULL when `text` is empty.
  Statement& BindOptional(int index, std::string_view text);

  // Advances to the next row: true with a row, false when done.
  model::Result<bool> Step();
  // Steps to completion of a statement that returns no rows.
  model::Status Run();
  // Ready to bind and run again.
  void Reset();

  int64_t ColumnInt(int column) const;
  std::string ColumnText(int column) const;
  // The same without a copy: valid until the next Step, Reset or Bind.
  std::string_view ColumnView(int column) const;
  std::string ColumnBlob(int column) const;
  bool ColumnIsNull(int column) const;

 private:
  friend class SqliteDb;
  Statement(SqliteDb* db, const std::string* sql, sqlite3_stmt* stmt)
      : db_(db), sql_(sql), stmt_(stmt) {}

  SqliteDb* db_;
  // The cache's key for this statement's text; it outlives the statement.
  const std::string* sql_;
  sqlite3_stmt* stmt_;
  model::Status bind_error_;
};

// BEGIN IMMEDIATE on construction (so the write lock is taken up front and a
// busy database is reported at once); ROLLBACK on destruction unless Commit()
// succeeded. Inside another transaction on the same connection it is a
// SAVEPOINT instead: Commit releases it into the outer one (durable when
// that commits), destruction rolls back only its own writes; when SQLite
// has rolled the outer one back after an error, it fails (Unavailable)
// rather than commit on its own. Destruction never throws.
class WriteTransaction {
 public:
  explicit WriteTransaction(SqliteDb& db);
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;

  // Whether BEGIN succeeded; REQUIRES: checked before using the transaction.
  const model::Status& status() const { return begin_; }
  model::Status Commit();

 private:
  SqliteDb& db_;
  model::Status begin_;
  bool open_ = false;
  bool nested_ = false;
};

}  // namespace dispatch

#endif  // DISPATCH_SQLITE_DB_H_
