#include "dispatch/sqlite_store.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <unordered_map>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <spdlog/spdlog.h>

#include "dispatch/engine.h"
#include "dispatch/journal_chain.h"
#include "model/crypto.h"
#include "model/proto_salvage.h"

namespace dispatch {

using model::Result;
using model::Status;

namespace {

// Each entry moves the schema from version i to i+1. Never edit a shipped
// entry; append a new one.
constexpr const char* kMigrations[] = {
    // 0 -> 1
    R"sql(
CREATE TABLE centres (
  code TEXT PRIMARY KEY,
  body BLOB NOT NULL
);
CREATE TABLE users (
  name TEXT PRIMARY KEY,
  centre TEXT NOT NULL REFERENCES centres(code),
  role TEXT NOT NULL,
  body BLOB NOT NULL
);
CREATE TABLE definitions (
  content_hash TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  version INTEGER NOT NULL,
  text TEXT NOT NULL,
  pinned_at INTEGER NOT NULL
);
-- The journal is the truth; cases and tasks are projections of it.
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
  centre TEXT NOT NULL REFERENCES centres(code),
  type TEXT NOT NULL,
  definition_hash TEXT NOT NULL REFERENCES definitions(content_hash),
  state TEXT NOT NULL,
  status INTEGER NOT NULL,
  person_name TEXT NOT NULL,
  opened_at INTEGER NOT NULL,
  version INTEGER NOT NULL,
  body BLOB NOT NULL
);
CREATE INDEX cases_by_centre ON cases (centre, status, opened_at);
CREATE TABLE tasks (
  case_number TEXT NOT NULL REFERENCES cases(number),
  seq INTEGER NOT NULL,
  centre TEXT NOT NULL,
  status INTEGER NOT NULL,
  assignee TEXT,
  due_at INTEGER,
  body BLOB NOT NULL,
  PRIMARY KEY (case_number, seq)
);
CREATE INDEX tasks_open ON tasks (status, centre, due_at);
CREATE TABLE case_sequences (
  centre TEXT NOT NULL,
  year INTEGER NOT NULL,
  last INTEGER NOT NULL,
  PRIMARY KEY (centre, year)
);
CREATE TABLE command_replies (
  idempotency_key TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  reply BLOB NOT NULL,
  at INTEGER NOT NULL
);
)sql",
    // 1 -> 2: deadlines, handoffs, duty roster, notifications.
    R"sql(
CREATE TABLE timers (
  case_number TEXT NOT NULL REFERENCES cases(number),
  key TEXT NOT NULL,
  generation INTEGER NOT NULL,
  next_at INTEGER,  -- NULL while paused or when nothing more is to fire
  PRIMARY KEY (case_number, key)
);
CREATE INDEX timers_due ON timers (next_at) WHERE next_at IS NOT NULL;
CREATE TABLE handoffs (
  case_number TEXT NOT NULL REFERENCES cases(number),
  id INTEGER NOT NULL,
  from_centre TEXT NOT NULL,
  to_centre TEXT NOT NULL,
  status INTEGER NOT NULL,
  requested_at INTEGER NOT NULL,
  body BLOB NOT NULL,
  PRIMARY KEY (case_number, id)
);
CREATE TABLE shifts (
  id INTEGER PRIMARY KEY,
  user TEXT NOT NULL REFERENCES users(name),
  centre TEXT NOT NULL,
  role TEXT NOT NULL,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER,
  body BLOB NOT NULL
);
CREATE INDEX shifts_by_user ON shifts (user, ends_at);
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,
  channel TEXT NOT NULL,
  status INTEGER NOT NULL,
  next_attempt_at INTEGER,
  created_at INTEGER NOT NULL,
  body BLOB NOT NULL
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE TABLE inbox (
  id INTEGER PRIMARY KEY,
  notification_id INTEGER NOT NULL UNIQUE REFERENCES outbox(id),
  recipient TEXT NOT NULL,
  at INTEGER NOT NULL,
  read_at INTEGER,
  body BLOB NOT NULL
);
CREATE INDEX inbox_by_recipient ON inbox (recipient, read_at);
)sql",
    // 2 -> 3: settings of the database as a whole (what it was made for).
    R"sql(
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
-- The deliverer holding a notification's claim; NULL when none does.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
-- Accounts: a slow salted hash of each password, and the keys (sessions,
-- tokens) known only by the digest of their secret.
CREATE TABLE credentials (
  user TEXT PRIMARY KEY REFERENCES users(name),
  hash TEXT NOT NULL,
  must_change INTEGER NOT NULL,
  changed_at INTEGER NOT NULL
);
CREATE TABLE access_keys (
  digest TEXT PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  user TEXT NOT NULL REFERENCES users(name),
  kind TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER,
  body BLOB NOT NULL
);
CREATE INDEX access_keys_by_user ON access_keys (user);
)sql",
    // 3 -> 4: what each command and list reads is found by index, so that
    // its cost does not grow with the number of cases and tasks.
    R"sql(
CREATE INDEX tasks_by_assignee ON tasks (assignee, status);
CREATE INDEX cases_newest ON cases (opened_at, number);
-- Open tasks held per user (status 1 is TASK_OPEN), kept by triggers as the
-- tasks projection changes, rebuilds included: giving out work reads one row
-- a person, however many tasks there are.
CREATE TABLE task_load (
  user TEXT PRIMARY KEY,
  open INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO task_load (user, open)
  SELECT assignee, COUNT(*) FROM tasks WHERE status = 1 AND assignee IS NOT NULL GROUP BY assignee;
CREATE TRIGGER task_load_insert AFTER INSERT ON tasks
  WHEN NEW.status = 1 AND NEW.assignee IS NOT NULL
BEGIN
  INSERT INTO task_load (user, open) VALUES (NEW.assignee, 1)
    ON CONFLICT (user) DO UPDATE SET open = open + 1;
END;
CREATE TRIGGER task_load_delete AFTER DELETE ON tasks
  WHEN OLD.status = 1 AND OLD.assignee IS NOT NULL
BEGIN
  UPDATE task_load SET open = open - 1 WHERE user = OLD.assignee;
END;
CREATE TRIGGER task_load_update AFTER UPDATE OF status, assignee ON tasks
  WHEN (OLD.status = 1 AND OLD.assignee IS NOT NULL) OR (NEW.status = 1 AND NEW.assignee IS NOT NULL)
BEGIN
  UPDATE task_load SET open = open - 1
    WHERE OLD.status = 1 AND OLD.assignee IS NOT NULL AND user = OLD.assignee;
  INSERT INTO task_load (user, open) SELECT NEW.assignee, 1
    WHERE NEW.status = 1 AND NEW.assignee IS NOT NULL
    ON CONFLICT (user) DO UPDATE SET open = open + 1;
END;
CREATE INDEX handoffs_from ON handoffs (from_centre);
CREATE INDEX handoffs_to ON handoffs (to_centre);
)sql",
    // 4 -> 5: due timers are taken in (due time, case, key) order, a batch at
    // a time; with the index on the due time alone, every batch sorted all the
    // timers due at one instant (10,000 due at once: 100 sorts of 10,000).
    R"sql(
DROP INDEX timers_due;
CREATE INDEX timers_due ON timers (next_at, case_number, key) WHERE next_at IS NOT NULL;
)sql",
    // 5 -> 6: a case shows the cases opened as related to it (the link was
    // one way). The column of cases already stored is filled from their
    // bodies by FillRelatedCases.
    R"sql(
ALTER TABLE cases ADD COLUMN related_case TEXT;
CREATE INDEX cases_related ON cases (related_case) WHERE related_case IS NOT NULL;
)sql",
    // 6 -> 7: a message to a centre is read by each of its people for
    // themselves (one officer reading it left it read for all). Messages
    // marked read for the whole centre before stay read.
    R"sql(
CREATE TABLE inbox_reads (
  item INTEGER NOT NULL REFERENCES inbox(id),
  user TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (item, user)
) WITHOUT ROWID;
-- Each officer's unread list walks a recipient's messages newest first.
CREATE INDEX inbox_by_recipient_id ON inbox (recipient, id);
)sql",
    // 7 -> 8: the yearly report counts contacts (calls and visits) and cases
    // by centre, category and service; each count reads one index alone.
    // Cases opened before carry no category ('') until one is set.
    R"sql(
ALTER TABLE cases ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN legal_advice INTEGER NOT NULL DEFAULT 0;
CREATE INDEX cases_counted ON cases (opened_at, centre, category, legal_advice);
CREATE TABLE contacts (
  id INTEGER PRIMARY KEY,
  centre TEXT NOT NULL REFERENCES centres(code),
  at INTEGER NOT NULL,
  category TEXT NOT NULL,
  legal_advice INTEGER NOT NULL,
  case_number TEXT,
  body BLOB NOT NULL
);
CREATE INDEX contacts_counted ON contacts (at, centre, category, legal_advice);
CREATE INDEX contacts_by_centre ON contacts (centre, id);
)sql",
    // 8 -> 9: the journal's hash chain (dispatch/journal_chain.h): each row
    // keeps the link before it, its own and its salt. The rows stored before
    // are linked by FillJournalLinks as they are when upgraded.
    R"sql(
ALTER TABLE journal ADD COLUMN prev BLOB;
ALTER TABLE journal ADD COLUMN link BLOB;
ALTER TABLE journal ADD COLUMN salt BLOB;
-- The service figures read the journals of the cases with events in a year.
CREATE INDEX journal_by_at ON journal (at, case_number);
)sql",
    // 9 -> 10: the files earlier records were imported from, by SHA-256,
    // so that one is not imported (and counted) twice.
    R"sql(
CREATE TABLE imports (
  sha256 TEXT PRIMARY KEY,
  at INTEGER NOT NULL,
  body BLOB NOT NULL
) WITHOUT ROWID;
-- A finished case entered from an earlier record keeps its number there:
-- the same record is not entered twice, from any file.
ALTER TABLE cases ADD COLUMN earlier_reference TEXT;
CREATE INDEX cases_by_earlier_reference ON cases (centre, earlier_reference)
  WHERE earlier_reference IS NOT NULL;
)sql",
};
constexpr int kMigrationCount = sizeof(kMigrations) / sizeof(kMigrations[0]);
static_assert(kMigrationCount == SqliteStore::kSchemaVersion);

// Deterministic bytes, so that a projection rebuilt from the journal is
// byte-for-byte the live one.
std::string Serialize(const google::protobuf::Message& m) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    m.SerializeToCodedStream(&coded);
  }
  return out;
}

// Parses a stored row's blob; `what` names the row ("case SZ-2026-0001").
// Text an older build stored without checking UTF-8 reads with U+FFFD in
// place of each bad byte (the log says so); a blob that is no message at all
// is DataLoss naming the row.
template <typename T>
Result<T> Parse(const std::string& bytes, const std::string& what) {
  T m;
  switch (model::ParseSalvaging(bytes, m)) {
    case model::ParseOutcome::kParsed:
      return m;
    case model::ParseOutcome::kSalvaged:
      spdlog::warn("{} holds text that is not UTF-8; it reads with U+FFFD in place of each bad "
                   "byte", what);
      return m;
    case model::ParseOutcome::kDamaged:
      break;
  }
  return Status::DataLoss(what + " cannot be read: the database is damaged there; restore it "
                                 "from a backup");
}

int64_t Millis(const google::protobuf::Timestamp& ts) {
  return model::FromProto(ts).time_since_epoch().count();
}

int64_t Millis(model::Instant t) { return t.time_since_epoch().count(); }

// The rowid SQLite would give the next row of `table` (one of ours, whose
// rows are never deleted), for a body that carries its own id. Only while
// this connection holds the write lock.
Result<int64_t> NextId(SqliteDb& db, std::string_view table) {
  ASSIGN_OR_RETURN(Statement st, db.Prepare("SELECT COALESCE(MAX(id), 0) + 1 FROM " +
                                            std::string(table)));
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::Internal("no next id in " + std::string(table));
  return st.ColumnInt(0);
}

// Appends `m` to `out`; a row that cannot be read is left out and named in
// the log, so that one damaged row never hides every other one.
template <typename T>
Status Keep(Result<T> m, std::vector<T>& out) {
  if (m.ok()) {
    out.push_back(std::move(m).value());
  } else if (m.status().code() == model::Code::kDataLoss) {
    spdlog::error("{}; it is left out", m.status().message());
  } else {
    return m.status();
  }
  return Status::Ok();
}

// Every row's blob in column 0 as a T, the row named by `kind` and column 1.
template <typename T>
Result<std::vector<T>> ReadAll(Statement& st, std::string_view kind) {
  std::vector<T> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    RETURN_IF_ERROR(Keep(Parse<T>(st.ColumnBlob(0), std::string(kind) + " " + st.ColumnText(1)), out));
  }
  return out;
}

// Every row's three text columns as who, where and in what role.
Result<std::vector<RoleHolder>> RoleHolders(Statement& st) {
  std::vector<RoleHolder> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back({st.ColumnText(0), st.ColumnText(1), st.ColumnText(2)});
  }
  return out;
}

// The link the next journal row follows: the last row's (ChainStart() when
// there is none). Only while this connection holds the write lock.
Result<std::string> LastLink(SqliteDb& db) {
  ASSIGN_OR_RETURN(Statement st, db.Prepare("SELECT link FROM journal ORDER BY id DESC LIMIT 1"));
  ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.ColumnBlob(0) : ChainStart();
}

// Rows of "SELECT id, case_number, seq, at, actor, body, prev, link, salt".
Result<std::vector<JournalRow>> JournalRowsOf(Statement& st) {
  std::vector<JournalRow> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    out.push_back({st.ColumnInt(0), st.ColumnText(1), st.ColumnInt(2), st.ColumnInt(3),
                   st.ColumnText(4), st.ColumnBlob(5), st.ColumnBlob(6), st.ColumnBlob(7),
                   st.ColumnBlob(8)});
  }
}

constexpr const char* kJournalColumns =
    "SELECT id, case_number, seq, at, actor, body, prev, link, salt FROM journal";

std::string PersonName(const model::Person& p) {
  if (!p.name_zh().empty() && !p.name_en().empty()) return p.name_zh() + " " + p.name_en();
  return p.name_zh().empty() ? p.name_en() : p.name_zh();
}

// The category and the legal-advice flag a report's row counts by, at
// `index` and the one after it (NULL: any).
void BindCounted(Statement& st, int index, const std::optional<std::string>& category,
                 const std::optional<bool>& legal_advice) {
  if (category) {
    st.Bind(index, *category);
  } else {
    st.BindNull(index);
  }
  if (legal_advice) {
    st.Bind(index + 1, int64_t{*legal_advice ? 1 : 0});
  } else {
    st.BindNull(index + 1);
  }
}

}  // namespace

// Reads and writes on the one connection. Writes are only reached through
// SqliteStore::Write, inside its transaction.
class SqliteStore::Access : public StoreWriter {
 public:
  explicit Access(SqliteDb& db) : db_(db) {}

  Result<std::optional<model::CaseState>> GetCase(std::string_view number) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT body FROM cases WHERE number = ?"));
    st.Bind(1, number);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return std::optional<model::CaseState>();
    ASSIGN_OR_RETURN(auto c, Parse<model::CaseState>(st.ColumnBlob(0), "case " + std::string(number)));
    return std::optional<model::CaseState>(std::move(c));
  }

  Result<std::optional<std::string>> CaseOwner(std::string_view number) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT centre FROM cases WHERE number = ?"));
    st.Bind(1, number);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return std::optional<std::string>();
    return std::optional<std::string>(st.ColumnText(0));
  }

  Result<std::vector<model::CaseState>> ListCases(const CaseFilter& f) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "SELECT body, number FROM cases WHERE (?1 IS NULL OR centre = ?1) AND (?2 IS NULL OR status = ?2)"
        " AND (?3 IS NULL OR type = ?3)"
        " AND (?4 IS NULL OR centre = ?4 OR number IN (SELECT case_number FROM handoffs"
        "      WHERE from_centre = ?4 UNION SELECT case_number FROM handoffs WHERE to_centre = ?4))"
        " AND (?5 IS NULL OR (opened_at, number) <"
        "      (SELECT opened_at, number FROM cases WHERE number = ?5))"
        " AND (?7 IS NULL OR related_case = ?7)"
        " AND (?8 = 0 OR number IN (SELECT case_number FROM timers WHERE key = 'wake'))"
        " AND (?9 = 0 OR opened_at >= ?9) AND (?10 = 0 OR opened_at < ?10)"
        " AND (?11 IS NULL OR category = ?11) AND (?12 IS NULL OR legal_advice = ?12)"
        " ORDER BY CASE WHEN ?8 = 1 THEN (SELECT next_at FROM timers"
        "      WHERE case_number = number AND key = 'wake') END,"
        " opened_at DESC, number DESC LIMIT ?6"));
    st.BindOptional(1, f.centre);
    if (f.status) st.Bind(2, int64_t{*f.status});
    st.BindOptional(3, f.type);
    st.BindOptional(4, f.involving);
    st.BindOptional(5, f.after);
    st.Bind(6, int64_t{f.limit > 0 ? f.limit : -1});
    st.BindOptional(7, f.related_to);
    st.Bind(8, int64_t{f.waiting ? 1 : 0});
    st.Bind(9, Millis(f.opened_from)).Bind(10, Millis(f.opened_until));
    BindCounted(st, 11, f.category, f.legal_advice);
    return ReadAll<model::CaseState>(st, "case");
  }

  Result<std::vector<model::TaskView>> ListTasks(const TaskFilter& f) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "SELECT t.body, c.number, c.type, c.state, c.centre, c.person_name, t.seq"
        " FROM tasks t JOIN cases c ON c.number = t.case_number"
        " WHERE (?1 IS NULL OR t.centre = ?1) AND (?2 IS NULL OR t.assignee = ?2)"
        " AND (?3 IS NULL OR t.case_number = ?3) AND (?4 = 0 OR t.status = ?5)"
        " AND (?6 IS NULL OR c.centre = ?6 OR t.case_number IN (SELECT case_number FROM handoffs"
        "      WHERE from_centre = ?6 UNION SELECT case_number FROM handoffs WHERE to_centre = ?6))"
        " ORDER BY t.due_at IS NULL, t.due_at, t.case_number, t.seq LIMIT ?7"));
    st.BindOptional(1, f.centre);
    st.BindOptional(2, f.assignee);
    st.BindOptional(3, f.case_number);
    st.Bind(4, int64_t{f.open_only ? 1 : 0});
    st.Bind(5, int64_t{model::TASK_OPEN});
    st.BindOptional(6, f.involving);
    st.Bind(7, int64_t{f.limit > 0 ? f.limit : -1});
    std::vector<model::TaskView> out;
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      auto task = Parse<model::Task>(st.ColumnBlob(0), "task " + st.ColumnText(1) + "/" +
                                                           std::to_string(st.ColumnInt(6)));
      if (!task.ok()) {
        std::vector<model::Task> none;
        RETURN_IF_ERROR(Keep(std::move(task), none));
        continue;
      }
      model::TaskView v;
      *v.mutable_task() = std::move(task).value();
      v.set_case_number(st.ColumnText(1));
      v.set_case_type(st.ColumnText(2));
      v.set_case_state(st.ColumnText(3));
      v.set_centre(st.ColumnText(4));
      v.set_person_name(st.ColumnText(5));
      out.push_back(std::move(v));
    }
    return out;
  }

  Result<std::vector<model::Event>> Timeline(std::string_view number) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "SELECT body, case_number || ' event ' || seq FROM journal WHERE case_number = ?"
        " ORDER BY seq"));
    st.Bind(1, number);
    return ReadAll<model::Event>(st, "case");
  }

  Result<std::optional<model::User>> GetUser(std::string_view name) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT body FROM users WHERE name = ?"));
    st.Bind(1, name);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return std::optional<model::User>();
    ASSIGN_OR_RETURN(auto u, Parse<model::User>(st.ColumnBlob(0), "user " + std::string(name)));
    return std::optional<model::User>(std::move(u));
  }

  Result<std::vector<model::User>> ListUsers() override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT body, name FROM users ORDER BY centre, name"));
    return ReadAll<model::User>(st, "user");
  }

  Result<std::vector<model::Centre>> ListCentres() override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT body, code FROM centres ORDER BY rowid"));
    return ReadAll<model::Centre>(st, "centre");
  }

  Result<std::optional<std::string>> DefinitionText(std::string_view hash) override {
    ASSIGN_OR_RETURN(Statement st,
                     db_.Prepare("SELECT text FROM definitions WHERE content_hash = ?"));
    st.Bind(1, hash);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return std::optional<std::string>();
    return std::optional<std::string>(st.ColumnText(0));
  }

  Result<std::optional<std::string>> GetSetting(std::string_view key) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT value FROM settings WHERE key = ?"));
    st.Bind(1, key);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return std::optional<std::string>();
    return std::optional<std::string>(st.ColumnText(0));
  }

  Result<std::optional<model::CaseState>> CaseOfEarlierRecord(std::string_view centre,
                                                              std::string_view reference) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "SELECT body, number FROM cases WHERE centre = ? AND earlier_reference = ?"));
    st.Bind(1, centre).Bind(2, reference);
    ASSIGN_OR_RETURN(std::vector<model::CaseState> found, ReadAll<model::CaseState>(st, "case"));
    if (found.empty()) return std::optional<model::CaseState>();
    return std::optional<model::CaseState>(std::move(found.front()));
  }

  Result<std::optional<model::ImportSummary>> FindImport(std::string_view sha256) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT body FROM imports WHERE sha256 = ?"));
    st.Bind(1, sha256);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return std::optional<model::ImportSummary>();
    ASSIGN_OR_RETURN(auto summary, Parse<model::ImportSummary>(st.ColumnBlob(0), "import"));
    return std::optional<model::ImportSummary>(std::move(summary));
  }

  Status AddImport(const model::ImportSummary& summary) override {
    ASSIGN_OR_RETURN(Statement st,
                     db_.Prepare("INSERT INTO imports (sha256, at, body) VALUES (?, ?, ?)"));
    st.Bind(1, summary.sha256()).Bind(2, Millis(summary.at())).BindBlob(3, Serialize(summary));
    return st.Run();
  }

  Status PutSetting(std::string_view key, std::string_view value) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)"
        " ON CONFLICT (key) DO UPDATE SET value = ?2"));
    st.Bind(1, key).Bind(2, value);
    return st.Run();
  }

  Result<std::optional<Credential>> GetCredential(std::string_view user) override {
    ASSIGN_OR_RETURN(Statement st,
                     db_.Prepare("SELECT hash, must_change FROM credentials WHERE user = ?"));
    st.Bind(1, user);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return std::optional<Credential>();
    return std::optional<Credential>(Credential{st.ColumnText(0), st.ColumnInt(1) != 0});
  }

  Result<std::optional<StoredKey>> FindKey(std::string_view digest) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "SELECT body, revoked_at IS NOT NULL FROM access_keys WHERE digest = ?"));
    st.Bind(1, digest);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return std::optional<StoredKey>();
    ASSIGN_OR_RETURN(auto key, Parse<model::AccessKey>(st.ColumnBlob(0), "an access key"));
    return std::optional<StoredKey>(StoredKey{std::move(key), st.ColumnInt(1) != 0});
  }

  Result<std::vector<model::AccessKey>> ListKeys(std::string_view user) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "SELECT body, id FROM access_keys WHERE revoked_at IS NULL AND (?1 IS NULL OR user = ?1)"
        " ORDER BY rowid DESC"));
    st.BindOptional(1, user);
    return ReadAll<model::AccessKey>(st, "access key");
  }

  Status PutCredential(std::string_view user, const Credential& credential,
                       model::Instant now) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "INSERT INTO credentials (user, hash, must_change, changed_at) VALUES (?1, ?2, ?3, ?4)"
        " ON CONFLICT (user) DO UPDATE SET hash = ?2, must_change = ?3, changed_at = ?4"));
    st.Bind(1, user).Bind(2, credential.hash).Bind(3, int64_t{credential.must_change ? 1 : 0});
    st.Bind(4, Millis(now));
    return st.Run();
  }

  Status AddKey(std::string_view digest, const model::AccessKey& key) override {
    model::AccessKey stored = key;
    stored.clear_secret();
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "INSERT INTO access_keys (digest, id, user, kind, expires_at, body)"
        " VALUES (?, ?, ?, ?, ?, ?)"));
    st.Bind(1, digest).Bind(2, key.id()).Bind(3, key.user()).Bind(4, key.kind());
    st.Bind(5, Millis(key.expires_at())).BindBlob(6, Serialize(stored));
    return st.Run();
  }

  Status RevokeKey(std::string_view id, model::Instant at) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "UPDATE access_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING id"));
    st.Bind(1, Millis(at)).Bind(2, id);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) {
      return Status::NotFound("no key " + std::string(id),
                              "找不到編號為 " + std::string(id) + " 的存取權杖或登入");
    }
    return st.Run();
  }

  Status DeferTimer(std::string_view case_number, std::string_view key,
                    model::Instant until) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "UPDATE timers SET next_at = ? WHERE case_number = ? AND key = ?"));
    st.Bind(1, Millis(until)).Bind(2, case_number).Bind(3, key);
    return st.Run();
  }

  Result<std::string> NextCaseNumber(std::string_view centre, int year) override {
    // Not RETURNING: SQLite gathers a RETURNING's rows in a temporary table,
    // which costs more than the read after.
    ASSIGN_OR_RETURN(Statement up, db_.Prepare(
        "INSERT INTO case_sequences (centre, year, last) VALUES (?1, ?2, 1)"
        " ON CONFLICT (centre, year) DO UPDATE SET last = last + 1"));
    up.Bind(1, centre).Bind(2, int64_t{year});
    RETURN_IF_ERROR(up.Run());
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "SELECT last FROM case_sequences WHERE centre = ? AND year = ?"));
    st.Bind(1, centre).Bind(2, int64_t{year});
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return Status::Internal("no case number was reserved");
    const int64_t n = st.ColumnInt(0);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s-%04d-%04lld", std::string(centre).c_str(), year,
                  static_cast<long long>(n));
    return std::string(buf);
  }

  Status Append(const model::CaseState* before, const model::CaseState& after,
                const std::vector<model::Event>& events) override {
    ASSIGN_OR_RETURN(std::string prev, LastLink(db_));
    ASSIGN_OR_RETURN(Statement journal, db_.Prepare(
        "INSERT INTO journal (case_number, seq, at, actor, body, prev, link, salt)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const model::Event& e : events) {
      const std::string body = Serialize(e);
      const std::string salt = model::RandomBytes(kSaltBytes);
      std::string link = ChainLink(prev, salt, body);
      journal.Reset();
      journal.Bind(1, e.case_number()).Bind(2, e.seq()).Bind(3, Millis(e.at())).Bind(4, e.actor());
      journal.BindBlob(5, body).BindBlob(6, prev).BindBlob(7, link).BindBlob(8, salt);
      prev = std::move(link);
      Status s = journal.Run();
      // The write lock is held from reading the case to here, so an event
      // number already taken means the stored case is behind its journal,
      // not that someone else wrote meanwhile.
      if (s.code() == model::Code::kAlreadyExists) {
        return Status::DataLoss("case " + e.case_number() + " already has event " +
                                std::to_string(e.seq()) +
                                " in its journal: its stored state is behind the journal; an "
                                "admin should run `dispatch rebuild`");
      }
      RETURN_IF_ERROR(s);
    }
    return Project(before, after);
  }

  Result<std::vector<model::Shift>> ActiveShifts(model::Instant now) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "SELECT body, id FROM shifts WHERE starts_at <= ?1 AND (ends_at IS NULL OR ends_at > ?1)"
        " ORDER BY centre, user, role"));
    st.Bind(1, Millis(now));
    std::vector<model::Shift> out;
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      auto s = Parse<model::Shift>(st.ColumnBlob(0), "shift " + std::to_string(st.ColumnInt(1)));
      if (s.ok()) s->set_id(st.ColumnInt(1));
      RETURN_IF_ERROR(Keep(std::move(s), out));
    }
    return out;
  }

  Result<std::vector<RoleHolder>> OnDutyAt(model::Instant now) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "SELECT user, centre, role FROM shifts"
        " WHERE starts_at <= ?1 AND (ends_at IS NULL OR ends_at > ?1) ORDER BY centre, user, role"));
    st.Bind(1, Millis(now));
    return RoleHolders(st);
  }

  Result<std::vector<RoleHolder>> UserRoles() override {
    ASSIGN_OR_RETURN(Statement st,
                     db_.Prepare("SELECT name, centre, role FROM users ORDER BY centre, name"));
    return RoleHolders(st);
  }

  Result<std::map<std::string, int>> OpenTaskCounts(const std::vector<std::string>& users) override {
    static_assert(model::TASK_OPEN == 1, "task_load's triggers count status 1");
    ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT open FROM task_load WHERE user = ?"));
    std::map<std::string, int> out;
    for (const std::string& user : users) {
      if (out.count(user) != 0) continue;
      st.Reset();
      st.Bind(1, user);
      ASSIGN_OR_RETURN(bool row, st.Step());
      out[user] = row ? static_cast<int>(st.ColumnInt(0)) : 0;
    }
    return out;
  }

  Result<std::vector<DueTimer>> DueTimers(model::Instant now, int limit) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "SELECT case_number, key, generation, next_at FROM timers WHERE next_at IS NOT NULL"
        " AND next_at <= ? ORDER BY next_at, case_number, key LIMIT ?"));
    st.Bind(1, Millis(now)).Bind(2, int64_t{limit});
    std::vector<DueTimer> out;
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      out.push_back({st.ColumnText(0), st.ColumnText(1), st.ColumnInt(2),
                     model::Instant(model::Millis(st.ColumnInt(3)))});
    }
    return out;
  }

  Result<std::vector<std::pair<int64_t, model::Event>>> JournalAfter(int64_t after,
                                                                     int limit) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "SELECT body, case_number || ' event ' || seq, id FROM journal WHERE id > ?"
        " ORDER BY id LIMIT ?"));
    st.Bind(1, after).Bind(2, int64_t{limit});
    std::vector<std::pair<int64_t, model::Event>> out;
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      std::vector<model::Event> one;
      RETURN_IF_ERROR(Keep(Parse<model::Event>(st.ColumnBlob(0), "case " + st.ColumnText(1)), one));
      // An unreadable row keeps its place, as an event of no case.
      out.emplace_back(st.ColumnInt(2), one.empty() ? model::Event() : std::move(one.front()));
    }
    return out;
  }

  Result<std::vector<model::InboxItem>> InboxAfter(const std::vector<std::string>& recipients,
                                                   int64_t after, int limit) override {
    std::vector<model::InboxItem> out;
    for (const std::string& r : recipients) {
      ASSIGN_OR_RETURN(Statement st, db_.Prepare(
          "SELECT body, id FROM inbox WHERE recipient = ? AND id > ? ORDER BY id LIMIT ?"));
      st.Bind(1, r).Bind(2, after).Bind(3, int64_t{limit});
      ASSIGN_OR_RETURN(auto items, ReadAll<model::InboxItem>(st, "inbox message"));
      for (auto& item : items) out.push_back(std::move(item));
    }
    std::sort(out.begin(), out.end(), [](const model::InboxItem& a, const model::InboxItem& b) {
      return a.id() < b.id();
    });
    if (static_cast<int>(out.size()) > limit) out.resize(limit);
    return out;
  }

  Status ForEachCaseJournal(
      model::Instant from, model::Instant until,
      const std::function<Status(const std::vector<model::Event>&)>& fn) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "SELECT case_number, body, seq FROM journal WHERE case_number IN"
        " (SELECT DISTINCT case_number FROM journal WHERE at >= ?1 AND at < ?2)"
        " ORDER BY case_number, seq"));
    st.Bind(1, Millis(from)).Bind(2, Millis(until));
    std::string number;
    std::vector<model::Event> events;
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row || st.ColumnText(0) != number) {
        if (!events.empty()) RETURN_IF_ERROR(fn(events));
        if (!row) return Status::Ok();
        number = st.ColumnText(0);
        events.clear();
      }
      RETURN_IF_ERROR(Keep(Parse<model::Event>(st.ColumnBlob(1), "case " + number + " event " +
                                                                     std::to_string(st.ColumnInt(2))),
                           events));
    }
  }

  Result<std::vector<JournalRow>> JournalRows(int64_t after, int limit) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(std::string(kJournalColumns) +
                                               " WHERE id > ? ORDER BY id LIMIT ?"));
    st.Bind(1, after).Bind(2, int64_t{limit});
    return JournalRowsOf(st);
  }

  Result<std::vector<JournalRow>> CaseJournalRows(std::string_view number) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(std::string(kJournalColumns) +
                                               " WHERE case_number = ? ORDER BY seq"));
    st.Bind(1, number);
    return JournalRowsOf(st);
  }

  Result<std::optional<JournalGap>> FirstJournalGap() override {
    ASSIGN_OR_RETURN(Statement find, db_.Prepare(
        "SELECT case_number FROM journal GROUP BY case_number"
        " HAVING COUNT(*) <> MAX(seq) OR MIN(seq) <> 1 ORDER BY case_number LIMIT 1"));
    ASSIGN_OR_RETURN(bool found, find.Step());
    if (!found) return std::optional<JournalGap>();
    JournalGap gap;
    gap.case_number = find.ColumnText(0);
    ASSIGN_OR_RETURN(Statement rows, db_.Prepare(
        "SELECT id, seq FROM journal WHERE case_number = ? ORDER BY seq"));
    rows.Bind(1, gap.case_number);
    for (int64_t expected = 1;; ++expected) {
      ASSIGN_OR_RETURN(bool row, rows.Step());
      if (!row) return std::optional<JournalGap>();  // written meanwhile; nothing to say
      if (rows.ColumnInt(1) != expected) {
        gap.missing_from = expected;
        gap.seq = rows.ColumnInt(1);
        gap.row = rows.ColumnInt(0);
        return std::optional<JournalGap>(std::move(gap));
      }
    }
  }

  Result<std::vector<CaseUnlikeJournal>> CasesUnlikeJournal(int limit) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "SELECT number, version, last, (SELECT id FROM journal WHERE case_number = number"
        "   AND seq = version + 1) FROM (SELECT number, version, (SELECT IFNULL(MAX(seq), 0)"
        "   FROM journal WHERE case_number = number) AS last FROM cases) WHERE last <> version"
        " UNION ALL SELECT case_number, 0, MAX(seq), MIN(id) FROM journal"
        "   WHERE case_number NOT IN (SELECT number FROM cases) GROUP BY case_number"
        " ORDER BY 1 LIMIT ?"));
    st.Bind(1, int64_t{limit});
    std::vector<CaseUnlikeJournal> out;
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return out;
      out.push_back({st.ColumnText(0), st.ColumnInt(1), st.ColumnInt(2), st.ColumnInt(3)});
    }
  }

  Result<std::pair<int64_t, int64_t>> LastJournalAndInbox() override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "SELECT (SELECT IFNULL(MAX(id), 0) FROM journal), (SELECT IFNULL(MAX(id), 0) FROM inbox)"));
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return std::pair<int64_t, int64_t>(0, 0);
    return std::pair<int64_t, int64_t>(st.ColumnInt(0), st.ColumnInt(1));
  }

  Result<Backlog> CountBacklog() override {
    Backlog b;
    ASSIGN_OR_RETURN(Statement timers,
                     db_.Prepare("SELECT count(*) FROM timers WHERE next_at IS NOT NULL"));
    ASSIGN_OR_RETURN(bool row, timers.Step());
    if (row) b.timers = timers.ColumnInt(0);
    ASSIGN_OR_RETURN(Statement outbox,
                     db_.Prepare("SELECT status, count(*) FROM outbox GROUP BY status"));
    for (;;) {
      ASSIGN_OR_RETURN(bool more, outbox.Step());
      if (!more) break;
      b.outbox[static_cast<model::DeliveryStatus>(outbox.ColumnInt(0))] = outbox.ColumnInt(1);
    }
    return b;
  }

  Result<std::optional<model::Instant>> NextFiring() override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "SELECT MIN(next_at) FROM timers WHERE next_at IS NOT NULL"));
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row || st.ColumnIsNull(0)) return std::optional<model::Instant>();
    return std::optional<model::Instant>(model::Instant(model::Millis(st.ColumnInt(0))));
  }

  Result<std::vector<model::HandoffView>> ListHandoffs(const HandoffFilter& f) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "SELECT h.body, c.number, c.type, c.person_name, h.id FROM handoffs h"
        " JOIN cases c ON c.number = h.case_number"
        " WHERE (?1 IS NULL OR h.from_centre = ?1 OR h.to_centre = ?1) AND (?2 = 0 OR h.status = ?3)"
        " ORDER BY h.requested_at DESC, h.case_number, h.id"));
    st.BindOptional(1, f.centre);
    st.Bind(2, int64_t{f.pending_only ? 1 : 0});
    st.Bind(3, int64_t{model::HANDOFF_PENDING});
    std::vector<model::HandoffView> out;
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      auto h = Parse<model::Handoff>(st.ColumnBlob(0), "handoff " + st.ColumnText(1) + "/H" +
                                                           std::to_string(st.ColumnInt(4)));
      if (!h.ok()) {
        std::vector<model::Handoff> none;
        RETURN_IF_ERROR(Keep(std::move(h), none));
        continue;
      }
      model::HandoffView v;
      *v.mutable_handoff() = std::move(h).value();
      v.set_case_number(st.ColumnText(1));
      v.set_case_type(st.ColumnText(2));
      v.set_person_name(st.ColumnText(3));
      out.push_back(std::move(v));
    }
    return out;
  }

  Result<std::vector<model::InboxItem>> ListInbox(const std::vector<std::string>& recipients,
                                                  std::string_view reader, bool unread_only,
                                                  int limit) override {
    std::vector<model::InboxItem> out;
    for (const std::string& r : recipients) {
      // A centre's message is read for `reader` when they marked it (or when
      // it was marked for the whole centre, as before schema 7).
      ASSIGN_OR_RETURN(Statement st, db_.Prepare(
          "SELECT i.body, i.id, m.at FROM inbox i"
          " LEFT JOIN inbox_reads m ON m.item = i.id AND m.user = ?4"
          " WHERE i.recipient = ?1 AND (?2 = 0 OR (i.read_at IS NULL AND m.at IS NULL))"
          " ORDER BY i.id DESC LIMIT ?3"));
      st.Bind(1, r).Bind(2, int64_t{unread_only ? 1 : 0}).Bind(3, int64_t{limit});
      st.Bind(4, std::string(reader));
      for (;;) {
        ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) break;
        auto item = Parse<model::InboxItem>(st.ColumnBlob(0), "inbox message " + st.ColumnText(1));
        if (!item.ok()) {
          RETURN_IF_ERROR(Keep(std::move(item), out));
          continue;
        }
        if (!st.ColumnIsNull(2)) {
          item->set_read_by(std::string(reader));
          *item->mutable_read_at() = model::ToProto(model::Instant(model::Millis(st.ColumnInt(2))));
        }
        out.push_back(std::move(item).value());
      }
    }
    std::sort(out.begin(), out.end(), [](const model::InboxItem& a, const model::InboxItem& b) {
      return a.id() > b.id();
    });
    if (static_cast<int>(out.size()) > limit) out.resize(limit);
    return out;
  }

  Result<std::optional<model::InboxItem>> GetInboxItem(int64_t id) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT body FROM inbox WHERE id = ?"));
    st.Bind(1, id);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return std::optional<model::InboxItem>();
    ASSIGN_OR_RETURN(auto item, Parse<model::InboxItem>(st.ColumnBlob(0), "inbox message " +
                                                                              std::to_string(id)));
    return std::optional<model::InboxItem>(std::move(item));
  }

  Result<std::vector<model::Contact>> ListContacts(const ContactFilter& f) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "SELECT body, id FROM contacts WHERE (?1 = '' OR centre = ?1) AND at >= ?2"
        " AND (?3 = 0 OR at < ?3) AND (?4 = 0 OR id < ?4)"
        " AND (?6 IS NULL OR category = ?6) AND (?7 IS NULL OR legal_advice = ?7)"
        " ORDER BY id DESC LIMIT ?5"));
    st.Bind(1, f.centre).Bind(2, Millis(f.from)).Bind(3, Millis(f.until));
    st.Bind(4, f.before_id).Bind(5, int64_t{f.limit});
    BindCounted(st, 6, f.category, f.legal_advice);
    std::vector<model::Contact> out;
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return out;
      auto contact = Parse<model::Contact>(st.ColumnBlob(0), "contact " + st.ColumnText(1));
      if (contact.ok()) contact->set_id(st.ColumnInt(1));
      RETURN_IF_ERROR(Keep(std::move(contact), out));
    }
  }

  Result<std::vector<Tallied>> TallyWork(int from_year, int to_year) override {
    // The month each row falls in is found by walking month starts as the
    // rows come in time order (one index, read in order; no sort, no date
    // arithmetic per row).
    std::vector<std::pair<int64_t, std::pair<int, int>>> starts;  // (start ms, (year, month))
    for (int y = from_year; y <= to_year; ++y) {
      for (unsigned m = 1; m <= 12; ++m) {
        const auto day = std::chrono::sys_days(std::chrono::year(y) / std::chrono::month(m) / 1);
        starts.push_back({Millis(model::HongKongMidnight(day)), {y, static_cast<int>(m)}});
      }
    }
    const int64_t end = Millis(model::HongKongMidnight(
        std::chrono::sys_days(std::chrono::year(to_year + 1) / 1 / 1)));
    // Centres and categories are few: each is numbered as first seen, so a
    // row costs a short search and one hash-table count, and no allocation.
    std::vector<std::string> centres, categories;
    const auto number = [](std::vector<std::string>& seen, std::string_view s) -> uint64_t {
      for (size_t i = 0; i < seen.size(); ++i) {
        if (seen[i] == s) return i;
      }
      seen.emplace_back(s);
      return seen.size() - 1;
    };
    std::vector<Tallied> out;
    for (const auto& [kind, sql] : {
             std::pair{Tallied::Kind::kContact,
                       "SELECT at, centre, category, legal_advice FROM contacts"
                       " WHERE at >= ?1 AND at < ?2 ORDER BY at"},
             std::pair{Tallied::Kind::kCase,
                       "SELECT opened_at, centre, category, legal_advice FROM cases"
                       " WHERE opened_at >= ?1 AND opened_at < ?2 ORDER BY opened_at"}}) {
      ASSIGN_OR_RETURN(Statement st, db_.Prepare(sql));
      st.Bind(1, starts.front().first).Bind(2, end);
      // Key: month index, centre, category, service, 16 bits each.
      std::unordered_map<uint64_t, int64_t> counts;
      uint64_t month = 0;
      for (;;) {
        ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) break;
        const int64_t at = st.ColumnInt(0);
        while (month + 1 < starts.size() && at >= starts[month + 1].first) ++month;
        const uint64_t key = month << 48 | number(centres, st.ColumnView(1)) << 32 |
                             number(categories, st.ColumnView(2)) << 16 |
                             static_cast<uint64_t>(st.ColumnInt(3) != 0);
        ++counts[key];
      }
      for (const auto& [key, n] : counts) {
        const auto [y, m] = starts[key >> 48].second;
        out.push_back(Tallied{kind, y, m, centres[(key >> 32) & 0xFFFF],
                              categories[(key >> 16) & 0xFFFF], (key & 1) != 0, n});
      }
    }
    return out;
  }

  Result<std::map<std::string, int64_t>> CategoriesInUse() override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "SELECT category, COUNT(*) FROM cases GROUP BY category"
        " UNION ALL SELECT category, COUNT(*) FROM contacts GROUP BY category"));
    std::map<std::string, int64_t> out;
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return out;
      out[st.ColumnText(0)] += st.ColumnInt(1);
    }
  }

  Result<int64_t> AddContact(const model::Contact& contact) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "INSERT INTO contacts (centre, at, category, legal_advice, case_number, body)"
        " VALUES (?, ?, ?, ?, ?, ?) RETURNING id"));
    // The id is the row's, not kept in the body: ListContacts puts it back.
    model::Contact stored = contact;
    stored.clear_id();
    st.Bind(1, contact.centre()).Bind(2, Millis(contact.at())).Bind(3, contact.category());
    st.Bind(4, int64_t{contact.legal_advice() ? 1 : 0}).BindOptional(5, contact.case_number());
    st.BindBlob(6, Serialize(stored));
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return Status::Internal("no contact was stored");
    const int64_t id = st.ColumnInt(0);
    RETURN_IF_ERROR(st.Run());
    return id;
  }

  Result<std::vector<model::Notification>> ListOutbox(const OutboxFilter& f) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "SELECT body, id FROM outbox WHERE (?1 IS NULL OR status = ?1) AND (?2 = 0 OR id < ?2)"
        " ORDER BY id DESC LIMIT ?3"));
    if (f.status) st.Bind(1, int64_t{*f.status});
    st.Bind(2, f.before_id).Bind(3, int64_t{f.limit});
    return ReadAll<model::Notification>(st, "notification");
  }

  Status Enqueue(const model::Notification& n) override {
    // The body carries its own id, so readers need not join: the id is
    // chosen first (as SQLite would choose it; this connection holds the
    // write lock) and the row written once.
    ASSIGN_OR_RETURN(const int64_t id, NextId(db_, "outbox"));
    model::Notification stored = n;
    stored.set_id(id);
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "INSERT INTO outbox (id, idempotency_key, channel, status, next_attempt_at, created_at,"
        " body) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    st.Bind(1, id).Bind(2, n.idempotency_key()).Bind(3, n.channel()).Bind(4, int64_t{n.status()});
    st.Bind(5, Millis(n.next_attempt_at())).Bind(6, Millis(n.created_at()));
    st.BindBlob(7, Serialize(stored));
    return st.Run();
  }

  Result<int64_t> AddShift(const model::Shift& shift) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "INSERT INTO shifts (user, centre, role, starts_at, ends_at, body) VALUES (?, ?, ?, ?, ?, ?)"
        " RETURNING id"));
    st.Bind(1, shift.user()).Bind(2, shift.centre()).Bind(3, shift.role());
    st.Bind(4, Millis(shift.starts_at()));
    if (model::IsSet(shift.ends_at())) st.Bind(5, Millis(shift.ends_at()));
    st.BindBlob(6, Serialize(shift));
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return Status::Internal("no shift was stored");
    const int64_t id = st.ColumnInt(0);
    RETURN_IF_ERROR(st.Run());
    return id;
  }

  Status EndShifts(std::string_view user, model::Instant at) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "SELECT id, body FROM shifts WHERE user = ?1 AND starts_at <= ?2"
        " AND (ends_at IS NULL OR ends_at > ?2)"));
    st.Bind(1, user).Bind(2, Millis(at));
    std::vector<std::pair<int64_t, model::Shift>> running;
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      ASSIGN_OR_RETURN(model::Shift s, Parse<model::Shift>(st.ColumnBlob(1), "shift " +
                                                                   std::to_string(st.ColumnInt(0))));
      running.emplace_back(st.ColumnInt(0), std::move(s));
    }
    ASSIGN_OR_RETURN(Statement up, db_.Prepare("UPDATE shifts SET ends_at = ?, body = ? WHERE id = ?"));
    for (auto& [id, s] : running) {
      *s.mutable_ends_at() = model::ToProto(at);
      up.Reset();
      up.Bind(1, Millis(at)).BindBlob(2, Serialize(s)).Bind(3, id);
      RETURN_IF_ERROR(up.Run());
    }
    return Status::Ok();
  }

  Status MarkRead(int64_t id, std::string_view by, model::Instant at) override {
    ASSIGN_OR_RETURN(auto item, GetInboxItem(id));
    if (!item) {
      return Status::NotFound("no inbox message " + std::to_string(id),
                              "收件匣內沒有編號 " + std::to_string(id) + " 的訊息");
    }
    if (item->recipient().rfind("centre:", 0) == 0) {
      ASSIGN_OR_RETURN(Statement mark, db_.Prepare(
          "INSERT INTO inbox_reads (item, user, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"));
      mark.Bind(1, id).Bind(2, std::string(by)).Bind(3, Millis(at));
      return mark.Run();
    }
    item->set_read_by(std::string(by));
    *item->mutable_read_at() = model::ToProto(at);
    ASSIGN_OR_RETURN(Statement st, db_.Prepare("UPDATE inbox SET read_at = ?, body = ? WHERE id = ?"));
    st.Bind(1, Millis(at)).BindBlob(2, Serialize(*item)).Bind(3, id);
    return st.Run();
  }

  // Writes the projection rows of case `c`: its row, its timers', and those
  // of its tasks and handoffs that are not as in `before` (every one when
  // null).
  // An event touches one or two of a case's rows; rewriting them all would
  // also run task_load's triggers for every open task.
  Status Project(const model::CaseState* before, const model::CaseState& c) {
    if (before != nullptr && before->number() != c.number()) {
      return Status::Internal("projecting case " + c.number() + " over " + before->number());
    }
    // Most commands change only the case's state, version and body: those
    // alone are set, so that no index and no foreign key is touched.
    const bool same_columns =
        before != nullptr && before->centre() == c.centre() && before->type() == c.type() &&
        before->definition().content_hash() == c.definition().content_hash() &&
        before->status() == c.status() && Millis(before->opened_at()) == Millis(c.opened_at()) &&
        PersonName(before->person()) == PersonName(c.person()) &&
        before->category() == c.category() && before->legal_advice() == c.legal_advice();
    if (same_columns) {
      ASSIGN_OR_RETURN(Statement st, db_.Prepare(
          "UPDATE cases SET state = ?2, version = ?3, body = ?4 WHERE number = ?1"));
      st.Bind(1, c.number()).Bind(2, c.state()).Bind(3, c.version()).BindBlob(4, Serialize(c));
      RETURN_IF_ERROR(st.Run());
    } else {
      ASSIGN_OR_RETURN(Statement st, db_.Prepare(
          "INSERT INTO cases (number, centre, type, definition_hash, state, status, person_name,"
          " opened_at, version, body, related_case, category, legal_advice, earlier_reference)"
          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
          " ON CONFLICT (number) DO UPDATE SET centre = ?2, type = ?3, definition_hash = ?4,"
          " state = ?5, status = ?6, person_name = ?7, opened_at = ?8, version = ?9, body = ?10,"
          " related_case = ?11, category = ?12, legal_advice = ?13, earlier_reference = ?14"));
      st.Bind(1, c.number()).Bind(2, c.centre()).Bind(3, c.type());
      st.Bind(4, c.definition().content_hash()).Bind(5, c.state()).Bind(6, int64_t{c.status()});
      st.Bind(7, PersonName(c.person())).Bind(8, Millis(c.opened_at())).Bind(9, c.version());
      st.BindBlob(10, Serialize(c)).BindOptional(11, c.related_case());
      st.Bind(12, c.category()).Bind(13, int64_t{c.legal_advice() ? 1 : 0});
      st.BindOptional(14, c.earlier_reference());
      RETURN_IF_ERROR(st.Run());
    }
    ASSIGN_OR_RETURN(Statement task, db_.Prepare(
        "INSERT INTO tasks (case_number, seq, centre, status, assignee, due_at, body)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (case_number, seq) DO UPDATE SET"
        " centre = ?3, status = ?4, assignee = ?5, due_at = ?6, body = ?7"));
    std::map<int, std::string> tasks_before;
    if (before != nullptr) {
      for (const model::Task& t : before->task()) tasks_before[t.seq()] = Serialize(t);
    }
    for (const model::Task& t : c.task()) {
      std::string body = Serialize(t);
      if (auto it = tasks_before.find(t.seq()); it != tasks_before.end() && it->second == body) {
        continue;
      }
      task.Reset();
      task.Bind(1, c.number()).Bind(2, int64_t{t.seq()}).Bind(3, c.centre());
      task.Bind(4, int64_t{t.status()}).BindOptional(5, t.assignee());
      if (model::IsSet(t.due_at())) task.Bind(6, Millis(t.due_at()));
      task.BindBlob(7, body);
      RETURN_IF_ERROR(task.Run());
    }
    // Every timer row is checked against the case, changed or not: a firing
    // that failed moved its row an hour on (DeferTimer) without changing the
    // case, and the next command on the case puts it back. A row that is as
    // the case says is read, not written.
    std::set<std::string> timers_before;
    if (before != nullptr) {
      for (const model::Timer& t : before->timer()) timers_before.insert(t.key());
    }
    ASSIGN_OR_RETURN(Statement timer, db_.Prepare(
        "INSERT INTO timers (case_number, key, generation, next_at) VALUES (?1, ?2, ?3, ?4)"
        " ON CONFLICT (case_number, key) DO UPDATE SET generation = ?3, next_at = ?4"
        " WHERE generation IS NOT ?3 OR next_at IS NOT ?4"));
    for (const model::Timer& t : c.timer()) {
      timers_before.erase(t.key());
      timer.Reset();
      timer.Bind(1, c.number()).Bind(2, t.key()).Bind(3, t.generation());
      if (model::IsSet(t.next_at()) && !model::IsSet(t.paused_at())) timer.Bind(4, Millis(t.next_at()));
      RETURN_IF_ERROR(timer.Run());
    }
    // Left in timers_before: timers the case no longer has.
    ASSIGN_OR_RETURN(Statement gone,
                     db_.Prepare("DELETE FROM timers WHERE case_number = ? AND key = ?"));
    for (const std::string& key : timers_before) {
      gone.Reset();
      gone.Bind(1, c.number()).Bind(2, key);
      RETURN_IF_ERROR(gone.Run());
    }
    ASSIGN_OR_RETURN(Statement handoff, db_.Prepare(
        "INSERT INTO handoffs (case_number, id, from_centre, to_centre, status, requested_at, body)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (case_number, id) DO UPDATE SET"
        " from_centre = ?3, to_centre = ?4, status = ?5, requested_at = ?6, body = ?7"));
    std::map<int64_t, std::string> handoffs_before;
    if (before != nullptr) {
      for (const model::Handoff& h : before->handoff()) handoffs_before[h.id()] = Serialize(h);
    }
    for (const model::Handoff& h : c.handoff()) {
      std::string body = Serialize(h);
      if (auto it = handoffs_before.find(h.id()); it != handoffs_before.end() && it->second == body) {
        continue;
      }
      handoff.Reset();
      handoff.Bind(1, c.number()).Bind(2, int64_t{h.id()}).Bind(3, h.from_centre());
      handoff.Bind(4, h.to_centre()).Bind(5, int64_t{h.status()}).Bind(6, Millis(h.requested_at()));
      handoff.BindBlob(7, body);
      RETURN_IF_ERROR(handoff.Run());
    }
    return Status::Ok();
  }

  Status PutUser(const model::User& user) override {
    ASSIGN_OR_RETURN(Statement st,
                     db_.Prepare("INSERT INTO users (name, centre, role, body) VALUES (?, ?, ?, ?)"));
    st.Bind(1, user.name()).Bind(2, user.centre()).Bind(3, user.role()).BindBlob(4, Serialize(user));
    Status s = st.Run();
    if (!s.ok()) {
      ASSIGN_OR_RETURN(auto existing, GetUser(user.name()));
      if (existing) {
        return Status::AlreadyExists("there is already a user named " + user.name(),
                                     "已有名為「" + user.name() + "」的用戶");
      }
    }
    return s;
  }

  Status PutCentre(const model::Centre& centre) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "INSERT INTO centres (code, body) VALUES (?1, ?2)"
        " ON CONFLICT (code) DO UPDATE SET body = ?2"));
    st.Bind(1, centre.code()).BindBlob(2, Serialize(centre));
    return st.Run();
  }

  Status CheckPinnable(const model::LoadedDefinition& def) override {
    // One name and version is one content: a file changed without raising
    // its version would run new cases on rules the old ones do not share.
    ASSIGN_OR_RETURN(Statement same, db_.Prepare(
        "SELECT content_hash FROM definitions WHERE name = ? AND version = ? AND content_hash != ?"));
    same.Bind(1, def.definition.name()).Bind(2, int64_t{def.definition.version()});
    same.Bind(3, def.content_hash);
    ASSIGN_OR_RETURN(bool clash, same.Step());
    if (clash) {
      const std::string version = std::to_string(def.definition.version());
      return Status::FailedPrecondition(
          def.path + " is " + def.definition.name() + " version " + version +
              ", but cases already run on a different version " + version +
              "; a changed definition needs a higher version",
          "個案類別 " + def.definition.name() + " 第 " + version +
              " 版的流程定義已被更改，但版本號碼未有提高，現時未能以此開案；請通知系統管理員");
    }
    return Status::Ok();
  }

  Status PinDefinition(const model::LoadedDefinition& def, model::Instant now) override {
    RETURN_IF_ERROR(CheckPinnable(def));
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "INSERT INTO definitions (content_hash, name, version, text, pinned_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (content_hash) DO NOTHING"));
    st.Bind(1, def.content_hash).Bind(2, def.definition.name());
    st.Bind(3, int64_t{def.definition.version()}).Bind(4, def.text);
    st.Bind(5, now.time_since_epoch().count());
    return st.Run();
  }

  Result<std::optional<StoredReply>> FindReply(std::string_view key) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "SELECT fingerprint, reply FROM command_replies WHERE idempotency_key = ?"));
    st.Bind(1, key);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return std::optional<StoredReply>();
    StoredReply r;
    r.fingerprint = st.ColumnText(0);
    ASSIGN_OR_RETURN(r.reply, Parse<model::CommandReply>(
                                  st.ColumnBlob(1), "the reply kept under key " + std::string(key)));
    return std::optional<StoredReply>(std::move(r));
  }

  Status SaveReply(std::string_view key, const StoredReply& reply, model::Instant now) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "INSERT INTO command_replies (idempotency_key, fingerprint, reply, at) VALUES (?, ?, ?, ?)"));
    st.Bind(1, key).Bind(2, reply.fingerprint).BindBlob(3, Serialize(reply.reply));
    st.Bind(4, now.time_since_epoch().count());
    return st.Run();
  }

 private:
  SqliteDb& db_;
};

// The delivery worker's view: every call is its own write transaction.
class SqliteStore::Delivery : public notify::Outbox, public notify::InboxStore {
 public:
  explicit Delivery(SqliteDb& db) : db_(db) {}

  Result<std::vector<model::Notification>> Claim(std::string_view channel, model::Instant now,
                                                 int limit, model::Instant lease_until,
                                                 std::string_view claimant) override {
    WriteTransaction tx(db_);
    RETURN_IF_ERROR(tx.status());
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "SELECT body, id FROM outbox WHERE status = ? AND channel = ? AND next_attempt_at <= ?"
        " ORDER BY next_attempt_at, id LIMIT ?"));
    st.Bind(1, int64_t{model::DELIVERY_PENDING}).Bind(2, channel).Bind(3, Millis(now));
    st.Bind(4, int64_t{limit});
    std::vector<model::Notification> claimed;
    std::vector<int64_t> damaged;
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      const int64_t id = st.ColumnInt(1);
      auto n = Parse<model::Notification>(st.ColumnBlob(0), "notification " + std::to_string(id));
      if (!n.ok() && n.status().code() == model::Code::kDataLoss) damaged.push_back(id);
      RETURN_IF_ERROR(Keep(std::move(n), claimed));
    }
    ASSIGN_OR_RETURN(Statement up, db_.Prepare(
        "UPDATE outbox SET next_attempt_at = ?, claimed_by = ?, body = ? WHERE id = ?"));
    for (model::Notification& n : claimed) {
      n.set_attempts(n.attempts() + 1);
      *n.mutable_next_attempt_at() = model::ToProto(lease_until);
      up.Reset();
      up.Bind(1, Millis(lease_until)).Bind(2, claimant).BindBlob(3, Serialize(n)).Bind(4, n.id());
      RETURN_IF_ERROR(up.Run());
    }
    // A row that cannot be read is never tried again: it would be claimed
    // first on every pass.
    ASSIGN_OR_RETURN(Statement dead, db_.Prepare(
        "UPDATE outbox SET status = ?, next_attempt_at = NULL WHERE id = ?"));
    for (int64_t id : damaged) {
      dead.Reset();
      dead.Bind(1, int64_t{model::DELIVERY_DEAD}).Bind(2, id);
      RETURN_IF_ERROR(dead.Run());
    }
    RETURN_IF_ERROR(tx.Commit());
    return claimed;
  }

  Status Release(int64_t id, std::string_view claimant, model::Instant at) override {
    return EndClaim(id, claimant, [&](model::Notification& n) {
      n.set_attempts(n.attempts() - 1);  // not sent: no attempt
      *n.mutable_next_attempt_at() = model::ToProto(at);
    });
  }

  Status MarkDelivered(int64_t id, std::string_view claimant, model::Instant at) override {
    return EndClaim(id, claimant, [&](model::Notification& n) {
      n.set_status(model::DELIVERY_DONE);
      *n.mutable_delivered_at() = model::ToProto(at);
      n.clear_next_attempt_at();
    });
  }

  Status MarkFailed(int64_t id, std::string_view claimant, std::optional<model::Instant> retry_at,
                    const std::string& error) override {
    return EndClaim(id, claimant, [&](model::Notification& n) {
      n.set_last_error(error);
      if (retry_at) {
        *n.mutable_next_attempt_at() = model::ToProto(*retry_at);
      } else {
        n.set_status(model::DELIVERY_DEAD);
        n.clear_next_attempt_at();
      }
    });
  }

  Status InOneTransaction(const std::function<Status()>& body) override {
    WriteTransaction tx(db_);
    RETURN_IF_ERROR(tx.status());
    RETURN_IF_ERROR(body());
    return tx.Commit();
  }

  Status AddToInbox(const model::Notification& n, model::Instant at) override {
    WriteTransaction tx(db_);
    RETURN_IF_ERROR(tx.status());
    model::InboxItem item;
    item.set_recipient(n.address());
    *item.mutable_at() = model::ToProto(at);
    item.set_kind(n.kind());
    item.set_case_number(n.case_number());
    *item.mutable_title() = n.title();
    // Once per notification, however often it is delivered.
    ASSIGN_OR_RETURN(const int64_t id, NextId(db_, "inbox"));
    item.set_id(id);
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "INSERT INTO inbox (id, notification_id, recipient, at, body) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (notification_id) DO NOTHING"));
    st.Bind(1, id).Bind(2, n.id()).Bind(3, n.address()).Bind(4, Millis(at));
    st.BindBlob(5, Serialize(item));
    RETURN_IF_ERROR(st.Run());
    return tx.Commit();
  }

 private:
  // Applies `change` to notification `id` and ends `claimant`'s claim on it,
  // if `claimant` still holds it.
  Status EndClaim(int64_t id, std::string_view claimant,
                  const std::function<void(model::Notification&)>& change) {
    WriteTransaction tx(db_);
    RETURN_IF_ERROR(tx.status());
    ASSIGN_OR_RETURN(Statement st,
                     db_.Prepare("SELECT body, claimed_by FROM outbox WHERE id = ?"));
    st.Bind(1, id);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return Status::NotFound("no notification " + std::to_string(id));
    if (st.ColumnText(1) != claimant) {
      return Status::FailedPrecondition(
          "its claim ran out while it was being sent, and another deliverer took it over");
    }
    ASSIGN_OR_RETURN(model::Notification n, Parse<model::Notification>(
                                                st.ColumnBlob(0), "notification " + std::to_string(id)));
    change(n);
    ASSIGN_OR_RETURN(Statement up, db_.Prepare(
        "UPDATE outbox SET status = ?, next_attempt_at = ?, claimed_by = NULL, body = ?"
        " WHERE id = ?"));
    up.Bind(1, int64_t{n.status()});
    if (model::IsSet(n.next_attempt_at())) {
      up.Bind(2, Millis(n.next_attempt_at()));
    } else {
      up.BindNull(2);
    }
    up.BindBlob(3, Serialize(n)).Bind(4, id);
    RETURN_IF_ERROR(up.Run());
    return tx.Commit();
  }

  SqliteDb& db_;
};

SqliteStore::SqliteStore(std::unique_ptr<SqliteDb> db)
    : db_(std::move(db)),
      access_(std::make_unique<Access>(*db_)),
      delivery_(std::make_unique<Delivery>(*db_)) {}

notify::Outbox& SqliteStore::outbox() { return *delivery_; }
notify::InboxStore& SqliteStore::inbox() { return *delivery_; }

SqliteStore::~SqliteStore() = default;

namespace {

// What a file says about itself: whether it is SQLite at all, and the
// fields of its header that tell a dispatch database and its version.
struct Identity {
  bool sqlite = false;
  int schema_version = 0;  // PRAGMA user_version
  int application_id = 0;  // PRAGMA application_id
  std::optional<std::set<std::string>> tables;  // nullopt when they cannot be read
};

// Reads the identity of an existing file without changing it or leaving any
// file beside it. The 100-byte header is read with plain file I/O. A WAL file
// with commits not yet copied back may have a stale header; then, and for the
// table names, SQLite reads it: through a read-only connection where the
// -wal file is there already (only its shared-memory index is touched), else
// as an immutable file (no lock, no -wal or -shm made).
Identity ReadIdentity(const std::string& path) {
  Identity id;
  std::ifstream in(path, std::ios::binary);
  unsigned char b[100] = {};
  if (!in.read(reinterpret_cast<char*>(b), sizeof b)) return id;
  id.sqlite = std::memcmp(b, "SQLite format 3", 16) == 0;
  if (!id.sqlite) return id;
  auto be32 = [&](int at) {
    return static_cast<int>((uint32_t{b[at]} << 24) | (uint32_t{b[at + 1]} << 16) |
                            (uint32_t{b[at + 2]} << 8) | uint32_t{b[at + 3]});
  };
  id.schema_version = be32(60);
  id.application_id = be32(68);
  std::error_code ec;
  const bool wal_mode = b[18] == 2 && b[19] == 2;
  const bool wal_pending = wal_mode && std::filesystem::file_size(path + "-wal", ec) > 0 && !ec;
  auto db = SqliteDb::Open(path, wal_pending ? SqliteDb::Mode::kReadOnly : SqliteDb::Mode::kInspect);
  if (!db.ok()) return id;
  auto one = [&](std::string_view sql) -> std::optional<int> {
    auto st = (*db)->Prepare(sql);
    if (!st.ok()) return std::nullopt;
    auto row = st->Step();
    if (!row.ok() || !*row) return std::nullopt;
    return static_cast<int>(st->ColumnInt(0));
  };
  if (wal_pending) {
    const auto version = one("PRAGMA user_version");
    const auto app = one("PRAGMA application_id");
    if (version && app) {
      id.schema_version = *version;
      id.application_id = *app;
    }
  }
  auto st = (*db)->Prepare("SELECT name FROM sqlite_master WHERE type = 'table'");
  if (!st.ok()) return id;
  std::set<std::string> tables;
  for (;;) {
    auto row = st->Step();
    if (!row.ok()) return id;
    if (!*row) break;
    tables.insert(st->ColumnText(0));
  }
  id.tables = std::move(tables);
  return id;
}

Status NewerThanUs(const std::string& path, int version) {
  return Status::FailedPrecondition(
      "database " + path + " has schema version " + std::to_string(version) +
      ", newer than this dispatch (" + std::to_string(SqliteStore::kSchemaVersion) +
      "); use a newer dispatch");
}

Status OlderThanUs(const std::string& path, int version) {
  return Status::FailedPrecondition(
      "database " + path + " has schema version " + std::to_string(version) +
      ", older than this dispatch (" + std::to_string(SqliteStore::kSchemaVersion) +
      "); back the file up, then upgrade it with: dispatch --db " + path + " migrate");
}

// Looks at an existing `path`, read-only, and says whether `mode` may open it.
Status CheckFile(const std::string& path, SqliteStore::Mode mode) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (!fs::exists(st)) {
    if (mode == SqliteStore::Mode::kCreate) return Status::Ok();
    return Status::NotFound("no database at " + path + "; create one with: dispatch --db " + path +
                            " init");
  }
  if (fs::is_directory(st)) {
    return Status::InvalidArgument(path + " is a directory, not a database file");
  }
  if (!fs::is_regular_file(st)) {
    return Status::InvalidArgument(path + " is not a regular file; name a database file");
  }
  const auto size = fs::file_size(path, ec);
  if (!ec && size == 0) {
    if (mode == SqliteStore::Mode::kCreate) return Status::Ok();
    return Status::InvalidArgument(path + " is empty, not a dispatch database; create one with: "
                                   "dispatch --db " + path + " init");
  }
  auto not_ours = [&] {
    return Status::InvalidArgument(path + " is not a dispatch database; nothing in it was changed");
  };
  const Identity h = ReadIdentity(path);
  if (!h.sqlite) return not_ours();  // a text file, an image, a file cut short in its header
  bool ours = h.application_id == SqliteStore::kApplicationId;
  if (!ours && h.application_id == 0 && h.tables) {
    if (h.schema_version >= 1 && h.schema_version <= 2) {
      // Made before the application id was written: known by its tables.
      ours = h.tables->count("centres") && h.tables->count("cases") && h.tables->count("journal");
    } else if (mode == SqliteStore::Mode::kCreate && h.schema_version == 0 && h.tables->empty()) {
      return Status::Ok();  // an SQLite file with nothing in it belongs to no one yet
    }
  }
  if (!ours) return not_ours();
  // Migrate checks the version again, under the write lock, before it
  // writes anything.
  if (h.schema_version > SqliteStore::kSchemaVersion) return NewerThanUs(path, h.schema_version);
  if (h.schema_version < SqliteStore::kSchemaVersion && mode != SqliteStore::Mode::kMigrate) {
    return OlderThanUs(path, h.schema_version);
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path, Mode mode) {
  const bool memory = path == ":memory:";
  if (!memory) RETURN_IF_ERROR(CheckFile(path, mode));
  ASSIGN_OR_RETURN(auto db, SqliteDb::Open(path, memory || mode == Mode::kCreate
                                                     ? SqliteDb::Mode::kCreate
                                                     : SqliteDb::Mode::kOpenExisting));
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(db)));
  RETURN_IF_ERROR(store->Migrate(memory ? Mode::kCreate : mode));
  return store;
}

namespace {

// Migration 5 -> 6: the related_case column of the cases stored before it,
// from their bodies (SQL cannot read a body).
Status FillRelatedCases(SqliteDb& db) {
  ASSIGN_OR_RETURN(Statement read, db.Prepare("SELECT number, body FROM cases"));
  ASSIGN_OR_RETURN(Statement write,
                   db.Prepare("UPDATE cases SET related_case = ?2 WHERE number = ?1"));
  for (;;) {
    ASSIGN_OR_RETURN(bool row, read.Step());
    if (!row) return Status::Ok();
    auto c = Parse<model::CaseState>(read.ColumnBlob(1), "case " + read.ColumnText(0));
    if (!c.ok() || c->related_case().empty()) continue;  // `rebuild` mends a body that cannot be read
    write.Reset();
    write.Bind(1, read.ColumnText(0)).Bind(2, c->related_case());
    RETURN_IF_ERROR(write.Run());
  }
}

// Migration 8 -> 9: links for the journal rows stored before it, in row
// order, as the rows are when upgraded.
Status FillJournalLinks(SqliteDb& db) {
  ASSIGN_OR_RETURN(Statement read, db.Prepare("SELECT id, body FROM journal ORDER BY id"));
  ASSIGN_OR_RETURN(Statement write,
                   db.Prepare("UPDATE journal SET prev = ?2, link = ?3, salt = ?4 WHERE id = ?1"));
  std::string prev = ChainStart();
  for (;;) {
    ASSIGN_OR_RETURN(bool row, read.Step());
    if (!row) return Status::Ok();
    const std::string salt = model::RandomBytes(kSaltBytes);
    std::string link = ChainLink(prev, salt, read.ColumnBlob(1));
    write.Reset();
    write.Bind(1, read.ColumnInt(0)).BindBlob(2, prev).BindBlob(3, link).BindBlob(4, salt);
    RETURN_IF_ERROR(write.Run());
    prev = std::move(link);
  }
}

}  // namespace

Status SqliteStore::Migrate(Mode mode) {
  auto read_version = [&]() -> Result<int> {
    ASSIGN_OR_RETURN(Statement st, db_->Prepare("PRAGMA user_version"));
    ASSIGN_OR_RETURN(bool row, st.Step());
    return row ? static_cast<int>(st.ColumnInt(0)) : 0;
  };
  ASSIGN_OR_RETURN(int version, read_version());
  if (version == kSchemaVersion) return Status::Ok();  // the common case writes nothing
  WriteTransaction tx(*db_);
  RETURN_IF_ERROR(tx.status());
  // Checked again under the write lock: another process may have moved it.
  ASSIGN_OR_RETURN(version, read_version());
  if (version > kSchemaVersion) return NewerThanUs(db_->path(), version);
  if (version == 0 && mode != Mode::kCreate) {
    return Status::InvalidArgument(db_->path() + " is not a dispatch database");
  }
  if (version > 0 && version < kSchemaVersion && mode != Mode::kMigrate) {
    return OlderThanUs(db_->path(), version);
  }
  for (; version < kSchemaVersion; ++version) {
    RETURN_IF_ERROR(db_->Exec(kMigrations[version]));
    if (version == 5) RETURN_IF_ERROR(FillRelatedCases(*db_));
    if (version == 8) RETURN_IF_ERROR(FillJournalLinks(*db_));
    RETURN_IF_ERROR(db_->Exec("PRAGMA user_version = " + std::to_string(version + 1)));
  }
  RETURN_IF_ERROR(db_->Exec("PRAGMA application_id = " + std::to_string(kApplicationId)));
  return tx.Commit();
}

StoreReader& SqliteStore::Read() { return *access_; }

Status SqliteStore::Write(const std::function<Status(StoreWriter&)>& body) {
  WriteTransaction tx(*db_);
  RETURN_IF_ERROR(tx.status());
  RETURN_IF_ERROR(body(*access_));
  return tx.Commit();
}

std::vector<Status> SqliteStore::WriteGroup(
    const std::vector<std::function<Status(StoreWriter&)>>& bodies) {
  std::vector<Status> results(bodies.size());
  WriteTransaction tx(*db_);
  if (!tx.status().ok()) return std::vector<Status>(bodies.size(), tx.status());
  for (size_t i = 0; i < bodies.size(); ++i) {
    Status s = db_->Run("SAVEPOINT command");
    if (s.ok()) {
      s = bodies[i](*access_);
      // Undo what a refused body wrote; keep the rest of the group.
      Status end = s.ok() ? Status::Ok() : db_->Run("ROLLBACK TO command");
      if (end.ok()) end = db_->Run("RELEASE command");
      if (!end.ok()) return std::vector<Status>(bodies.size(), end);
    }
    results[i] = s;
  }
  // Nothing to keep: roll back, so that a refused command writes nothing.
  if (std::none_of(results.begin(), results.end(), [](const Status& r) { return r.ok(); })) {
    return results;
  }
  const Status committed = tx.Commit();
  if (!committed.ok()) return std::vector<Status>(bodies.size(), committed);
  return results;
}

Result<RebuildReport> SqliteStore::RebuildProjections() {
  RebuildReport report;
  Status s = Write([&](StoreWriter&) -> Status {
    report = RebuildReport();
    ASSIGN_OR_RETURN(Statement st,
                     db_->Prepare("SELECT case_number, seq, body FROM journal ORDER BY case_number, seq"));
    std::string number;
    model::CaseState current;
    bool damaged = false;
    // Replaces the projection of the case just read, unless its journal is
    // damaged: then its rows stay as they were, and it is named.
    auto finish = [&]() -> Status {
      if (number.empty()) return Status::Ok();
      if (damaged) {
        report.damaged.push_back(number);
        return Status::Ok();
      }
      for (const char* table : {"timers", "handoffs", "tasks"}) {
        ASSIGN_OR_RETURN(Statement del, db_->Prepare(std::string("DELETE FROM ") + table +
                                                     " WHERE case_number = ?"));
        del.Bind(1, number);
        RETURN_IF_ERROR(del.Run());
      }
      RETURN_IF_ERROR(access_->Project(nullptr, current));
      ++report.cases;
      return Status::Ok();
    };
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row || st.ColumnText(0) != number) {
        RETURN_IF_ERROR(finish());
        if (!row) break;
        number = st.ColumnText(0);
        current.Clear();
        damaged = false;
      }
      if (damaged) continue;
      const std::string what = "case " + number + " event " + std::to_string(st.ColumnInt(1));
      auto e = Parse<model::Event>(st.ColumnBlob(2), what);
      if (e.ok() && (e->case_number() != number || e->seq() != st.ColumnInt(1))) {
        e = Status::DataLoss(what + " says it is " + e->case_number() + " event " +
                             std::to_string(e->seq()) + ": the journal was changed");
      }
      if (!e.ok()) {
        if (e.status().code() != model::Code::kDataLoss) return e.status();
        spdlog::error("{}; the case is left as it was", e.status().message());
        damaged = true;
        continue;
      }
      Evolve(current, *e);
    }
    // Projections of cases the journal does not have at all.
    return db_->Exec(
        "DELETE FROM timers WHERE case_number NOT IN (SELECT case_number FROM journal);"
        "DELETE FROM handoffs WHERE case_number NOT IN (SELECT case_number FROM journal);"
        "DELETE FROM tasks WHERE case_number NOT IN (SELECT case_number FROM journal);"
        "DELETE FROM cases WHERE number NOT IN (SELECT case_number FROM journal);");
  });
  if (!s.ok()) return s;
  return report;
}

}  // namespace dispatch
