#include "dispatch/sqlite_store.h"

#include <cstdio>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "dispatch/engine.h"

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

template <typename T>
Result<T> Parse(const std::string& bytes, std::string_view what) {
  T m;
  if (!m.ParseFromString(bytes)) {
    return Status::Internal("stored " + std::string(what) + " cannot be read; the database is damaged");
  }
  return m;
}

int64_t Millis(const google::protobuf::Timestamp& ts) {
  return model::FromProto(ts).time_since_epoch().count();
}

std::string PersonName(const model::Person& p) {
  if (!p.name_zh().empty() && !p.name_en().empty()) return p.name_zh() + " " + p.name_en();
  return p.name_zh().empty() ? p.name_en() : p.name_zh();
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
    ASSIGN_OR_RETURN(auto c, Parse<model::CaseState>(st.ColumnBlob(0), "case"));
    return std::optional<model::CaseState>(std::move(c));
  }

  Result<std::vector<model::CaseState>> ListCases(const CaseFilter& f) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "SELECT body FROM cases WHERE (?1 IS NULL OR centre = ?1) AND (?2 IS NULL OR status = ?2)"
        " AND (?3 IS NULL OR type = ?3) ORDER BY opened_at DESC, number DESC"));
    st.BindOptional(1, f.centre);
    if (f.status) st.Bind(2, int64_t{*f.status});
    st.BindOptional(3, f.type);
    std::vector<model::CaseState> out;
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      ASSIGN_OR_RETURN(auto c, Parse<model::CaseState>(st.ColumnBlob(0), "case"));
      out.push_back(std::move(c));
    }
    return out;
  }

  Result<std::vector<model::TaskView>> ListTasks(const TaskFilter& f) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "SELECT t.body, c.number, c.type, c.state, c.centre, c.person_name"
        " FROM tasks t JOIN cases c ON c.number = t.case_number"
        " WHERE (?1 IS NULL OR t.centre = ?1) AND (?2 IS NULL OR t.assignee = ?2)"
        " AND (?3 IS NULL OR t.case_number = ?3) AND (?4 = 0 OR t.status = ?5)"
        " ORDER BY t.due_at IS NULL, t.due_at, t.case_number, t.seq"));
    st.BindOptional(1, f.centre);
    st.BindOptional(2, f.assignee);
    st.BindOptional(3, f.case_number);
    st.Bind(4, int64_t{f.open_only ? 1 : 0});
    st.Bind(5, int64_t{model::TASK_OPEN});
    std::vector<model::TaskView> out;
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      model::TaskView v;
      ASSIGN_OR_RETURN(*v.mutable_task(), Parse<model::Task>(st.ColumnBlob(0), "task"));
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
    ASSIGN_OR_RETURN(Statement st,
                     db_.Prepare("SELECT body FROM journal WHERE case_number = ? ORDER BY seq"));
    st.Bind(1, number);
    std::vector<model::Event> out;
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      ASSIGN_OR_RETURN(auto e, Parse<model::Event>(st.ColumnBlob(0), "event"));
      out.push_back(std::move(e));
    }
    return out;
  }

  Result<std::optional<model::User>> GetUser(std::string_view name) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT body FROM users WHERE name = ?"));
    st.Bind(1, name);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return std::optional<model::User>();
    ASSIGN_OR_RETURN(auto u, Parse<model::User>(st.ColumnBlob(0), "user"));
    return std::optional<model::User>(std::move(u));
  }

  Result<std::vector<model::User>> ListUsers() override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT body FROM users ORDER BY centre, name"));
    std::vector<model::User> out;
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      ASSIGN_OR_RETURN(auto u, Parse<model::User>(st.ColumnBlob(0), "user"));
      out.push_back(std::move(u));
    }
    return out;
  }

  Result<std::vector<model::Centre>> ListCentres() override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT body FROM centres ORDER BY rowid"));
    std::vector<model::Centre> out;
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      ASSIGN_OR_RETURN(auto c, Parse<model::Centre>(st.ColumnBlob(0), "centre"));
      out.push_back(std::move(c));
    }
    return out;
  }

  Result<std::optional<std::string>> DefinitionText(std::string_view hash) override {
    ASSIGN_OR_RETURN(Statement st,
                     db_.Prepare("SELECT text FROM definitions WHERE content_hash = ?"));
    st.Bind(1, hash);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return std::optional<std::string>();
    return std::optional<std::string>(st.ColumnText(0));
  }

  Result<std::string> NextCaseNumber(std::string_view centre, int year) override {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "INSERT INTO case_sequences (centre, year, last) VALUES (?1, ?2, 1)"
        " ON CONFLICT (centre, year) DO UPDATE SET last = last + 1 RETURNING last"));
    st.Bind(1, centre).Bind(2, int64_t{year});
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return Status::Internal("no case number was reserved");
    const int64_t n = st.ColumnInt(0);
    RETURN_IF_ERROR(st.Run());
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s-%04d-%04lld", std::string(centre).c_str(), year,
                  static_cast<long long>(n));
    return std::string(buf);
  }

  Status Append(const model::CaseState& after, const std::vector<model::Event>& events) override {
    ASSIGN_OR_RETURN(Statement journal, db_.Prepare(
        "INSERT INTO journal (case_number, seq, at, actor, body) VALUES (?, ?, ?, ?, ?)"));
    for (const model::Event& e : events) {
      journal.Reset();
      journal.Bind(1, e.case_number()).Bind(2, e.seq()).Bind(3, Millis(e.at())).Bind(4, e.actor());
      journal.BindBlob(5, Serialize(e));
      Status s = journal.Run();
      if (!s.ok()) {
        return Status::Unavailable("case " + e.case_number() + " changed while this command ran; " +
                                   "try again (" + s.message() + ")");
      }
    }
    return Project(after);
  }

  // Writes the projection rows of one case.
  Status Project(const model::CaseState& c) {
    ASSIGN_OR_RETURN(Statement st, db_.Prepare(
        "INSERT INTO cases (number, centre, type, definition_hash, state, status, person_name,"
        " opened_at, version, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
        " ON CONFLICT (number) DO UPDATE SET centre = ?2, type = ?3, definition_hash = ?4,"
        " state = ?5, status = ?6, person_name = ?7, opened_at = ?8, version = ?9, body = ?10"));
    st.Bind(1, c.number()).Bind(2, c.centre()).Bind(3, c.type());
    st.Bind(4, c.definition().content_hash()).Bind(5, c.state()).Bind(6, int64_t{c.status()});
    st.Bind(7, PersonName(c.person())).Bind(8, Millis(c.opened_at())).Bind(9, c.version());
    st.BindBlob(10, Serialize(c));
    RETURN_IF_ERROR(st.Run());
    ASSIGN_OR_RETURN(Statement task, db_.Prepare(
        "INSERT INTO tasks (case_number, seq, centre, status, assignee, due_at, body)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (case_number, seq) DO UPDATE SET"
        " centre = ?3, status = ?4, assignee = ?5, due_at = ?6, body = ?7"));
    for (const model::Task& t : c.task()) {
      task.Reset();
      task.Bind(1, c.number()).Bind(2, int64_t{t.seq()}).Bind(3, c.centre());
      task.Bind(4, int64_t{t.status()}).BindOptional(5, t.assignee());
      if (model::IsSet(t.due_at())) task.Bind(6, Millis(t.due_at()));
      task.BindBlob(7, Serialize(t));
      RETURN_IF_ERROR(task.Run());
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
      if (existing) return Status::AlreadyExists("there is already a user named " + user.name());
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

  Status PinDefinition(const model::LoadedDefinition& def, model::Instant now) override {
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
    ASSIGN_OR_RETURN(r.reply, Parse<model::CommandReply>(st.ColumnBlob(1), "reply"));
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

SqliteStore::SqliteStore(std::unique_ptr<SqliteDb> db)
    : db_(std::move(db)), access_(std::make_unique<Access>(*db_)) {}

SqliteStore::~SqliteStore() = default;

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       SqliteDb::Mode mode) {
  ASSIGN_OR_RETURN(auto db, SqliteDb::Open(path, mode));
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(db)));
  RETURN_IF_ERROR(store->Migrate());
  return store;
}

Status SqliteStore::Migrate() {
  auto read_version = [&]() -> Result<int> {
    ASSIGN_OR_RETURN(Statement st, db_->Prepare("PRAGMA user_version"));
    ASSIGN_OR_RETURN(bool row, st.Step());
    return row ? static_cast<int>(st.ColumnInt(0)) : 0;
  };
  ASSIGN_OR_RETURN(int version, read_version());
  if (version == kSchemaVersion) return Status::Ok();  // the common case writes nothing
  if (version > kSchemaVersion) {
    return Status::FailedPrecondition("database " + db_->path() + " has schema version " +
                                      std::to_string(version) + ", newer than this dispatch (" +
                                      std::to_string(kSchemaVersion) + "); use a newer dispatch");
  }
  WriteTransaction tx(*db_);
  RETURN_IF_ERROR(tx.status());
  ASSIGN_OR_RETURN(version, read_version());  // another process may have migrated meanwhile
  for (; version < kSchemaVersion; ++version) {
    RETURN_IF_ERROR(db_->Exec(kMigrations[version]));
    RETURN_IF_ERROR(db_->Exec("PRAGMA user_version = " + std::to_string(version + 1)));
  }
  return tx.Commit();
}

StoreReader& SqliteStore::Read() { return *access_; }

Status SqliteStore::Write(const std::function<Status(StoreWriter&)>& body) {
  WriteTransaction tx(*db_);
  RETURN_IF_ERROR(tx.status());
  RETURN_IF_ERROR(body(*access_));
  return tx.Commit();
}

Status SqliteStore::RebuildProjections() {
  return Write([&](StoreWriter&) -> Status {
    RETURN_IF_ERROR(db_->Exec("DELETE FROM tasks; DELETE FROM cases;"));
    ASSIGN_OR_RETURN(Statement st,
                     db_->Prepare("SELECT body FROM journal ORDER BY case_number, seq"));
    model::CaseState current;
    for (;;) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      model::Event e;
      if (row) {
        ASSIGN_OR_RETURN(e, Parse<model::Event>(st.ColumnBlob(0), "event"));
      }
      if (!current.number().empty() && (!row || e.case_number() != current.number())) {
        RETURN_IF_ERROR(access_->Project(current));
        current.Clear();
      }
      if (!row) break;
      Evolve(current, e);
    }
    return Status::Ok();
  });
}

}  // namespace dispatch
