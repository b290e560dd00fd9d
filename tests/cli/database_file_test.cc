// What --db may name, and what happens to a file that is not a dispatch
// database of this version: it is refused as it is, byte for byte.
#include <doctest/doctest.h>

#include <filesystem>

#include "dispatch/sqlite_db.h"
#include "dispatch/sqlite_store.h"
#include "support/cli.h"
#include "support/world.h"

namespace {

using testing::Cli;
using testing::FileBytes;
using testing::ProcessResult;

// Every file in `dir` with its bytes.
std::map<std::string, std::string> Files(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    out[e.path().filename().string()] = FileBytes(e.path().string());
  }
  return out;
}

// Runs a command and an init on `db`: both must fail with `exit_code` and an
// error containing `says`, and leave the directory as it was.
void RefusedUntouched(const std::string& db, int exit_code, const std::string& says) {
  const std::string dir = std::filesystem::path(db).parent_path().string();
  const auto before = Files(dir);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--as", "chan_sz", "case", "list"},
        std::vector<std::string>{"--as", "admin", "user", "add", "x", "--centre", "SZ", "--role",
                                 "duty_officer"},
        std::vector<std::string>{"init"}}) {
    std::vector<std::string> argv = {testing::DispatchBinary(), "--db", db};
    argv.insert(argv.end(), args.begin(), args.end());
    ProcessResult r = testing::RunProcess(argv);
    CAPTURE(args.back());
    CHECK(r.exit_code == exit_code);
    CHECK_MESSAGE(r.err.find(says) != std::string::npos, r.err);
    CHECK(Files(dir) == before);
  }
}

// A dispatch database at `path` whose header says schema `version`.
void DatabaseAtVersion(const std::string& path, int version) {
  Cli cli;
  cli.Setup();
  std::filesystem::copy_file(cli.db(), path);
  auto db = dispatch::SqliteDb::Open(path, dispatch::SqliteDb::Mode::kOpenExisting);
  REQUIRE(db.ok());
  REQUIRE((*db)->Exec("PRAGMA user_version = " + std::to_string(version)).ok());
}

}  // namespace

TEST_CASE("a mistyped database path is not created") {
  testing::TempDir dir;
  ProcessResult r = testing::RunProcess({testing::DispatchBinary(), "--db", dir.Path("typo.db"),
                                         "--as", "chan_sz", "case", "list"});
  CHECK(r.exit_code == 3);
  CHECK(r.err == "error: no database at " + dir.Path("typo.db") +
                     "; create one with: dispatch --db " + dir.Path("typo.db") + " init\n");
  CHECK_FALSE(std::filesystem::exists(dir.Path("typo.db")));
}

TEST_CASE("a directory, a device or an empty file is bad input, not 'try again'") {
  testing::TempDir dir;
  std::filesystem::create_directory(dir.Path("folder"));
  RefusedUntouched(dir.Path("folder"), 2, "is a directory, not a database file");
  ProcessResult r = testing::RunProcess(
      {testing::DispatchBinary(), "--db", "/dev/null", "--as", "chan_sz", "case", "list"});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "error: /dev/null is not a regular file; name a database file\n");

  testing::TempDir empty_dir;
  const std::string empty = empty_dir.Write("empty.db", "");
  const auto before = Files(empty_dir.Path(""));
  r = testing::RunProcess({testing::DispatchBinary(), "--db", empty, "--as", "chan_sz", "case",
                           "list"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("is empty, not a dispatch database") != std::string::npos);
  CHECK(Files(empty_dir.Path("")) == before);
  // init makes a database in an empty file.
  r = testing::RunProcess({testing::DispatchBinary(), "--db", empty, "init"});
  CHECK(r.exit_code == 0);
}

TEST_CASE("a text file or another program's SQLite file is refused untouched") {
  testing::TempDir dir;
  RefusedUntouched(dir.Write("notes.txt", "shopping list\nrice, tea\n"), 2,
                   "is not a dispatch database; nothing in it was changed");

  testing::TempDir other_dir;
  const std::string other = other_dir.Path("photos.sqlite");
  {
    // Another program's file, in the rollback-journal mode most programs use.
    auto db = dispatch::SqliteDb::Open(other, dispatch::SqliteDb::Mode::kCreate);
    REQUIRE(db.ok());
    REQUIRE((*db)->Exec("PRAGMA journal_mode = DELETE; CREATE TABLE photo (id INTEGER, name TEXT);"
                        "INSERT INTO photo VALUES (1, 'harbour.jpg');").ok());
  }
  RefusedUntouched(other, 2, "is not a dispatch database; nothing in it was changed");
}

TEST_CASE("a database of a newer build is refused before anything in it changes") {
  testing::TempDir dir;
  const std::string path = dir.Path("newer.db");
  DatabaseAtVersion(path, 99);
  {
    auto db = dispatch::SqliteDb::Open(path, dispatch::SqliteDb::Mode::kOpenExisting);
    REQUIRE((*db)->Exec("PRAGMA journal_mode = DELETE").ok());  // so a switch to WAL would show
  }
  RefusedUntouched(path, 5, "has schema version 99, newer than this dispatch");
}

TEST_CASE("a database of an older build is upgraded only by an explicit migrate") {
  testing::TempDir dir;
  const std::string path = dir.Path("older.db");
  DatabaseAtVersion(path, 2);
  {
    // As the previous build made it: no settings table, no application id.
    auto db = dispatch::SqliteDb::Open(path, dispatch::SqliteDb::Mode::kOpenExisting);
    // (Everything migrations 3 to 10 add or change is taken back here.)
    REQUIRE((*db)->Exec("DROP TABLE imports; DROP INDEX cases_by_earlier_reference;"
                        "ALTER TABLE cases DROP COLUMN earlier_reference;"
                        "DROP INDEX journal_by_at; ALTER TABLE journal DROP COLUMN prev;"
                        "ALTER TABLE journal DROP COLUMN link; ALTER TABLE journal DROP COLUMN salt;"
                        "DROP TABLE contacts; DROP INDEX cases_counted;"
                        "ALTER TABLE cases DROP COLUMN category;"
                        "ALTER TABLE cases DROP COLUMN legal_advice;"
                        "DROP TABLE inbox_reads; DROP INDEX inbox_by_recipient_id;"
                        "DROP INDEX cases_related; ALTER TABLE cases DROP COLUMN related_case;"
                        "DROP INDEX timers_due;"
                        "CREATE INDEX timers_due ON timers (next_at) WHERE next_at IS NOT NULL;"
                        "DROP TABLE settings; ALTER TABLE outbox DROP COLUMN claimed_by;"
                        "DROP TABLE credentials; DROP TABLE access_keys;"
                        "DROP INDEX tasks_by_assignee; DROP INDEX cases_newest;"
                        "DROP INDEX handoffs_from; DROP INDEX handoffs_to;"
                        "DROP TABLE task_load; DROP TRIGGER task_load_insert;"
                        "DROP TRIGGER task_load_delete; DROP TRIGGER task_load_update;"
                        "PRAGMA application_id = 0;").ok());
  }
  RefusedUntouched(path, 5, "back the file up, then upgrade it with: dispatch --db " + path +
                                " migrate");
  ProcessResult r = testing::RunProcess({testing::DispatchBinary(), "--db", path, "migrate"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == path + " is at schema version " +
                     std::to_string(dispatch::SqliteStore::kSchemaVersion) + ".\n");
  r = testing::RunProcess({testing::DispatchBinary(), "--db", path, "--workflows",
                           DISPATCH_WORKFLOW_DIR, "--as", "chan_sz", "case", "list"});
  CHECK(r.exit_code == 0);
  // Due timers are found in firing order (schema 5).
  auto db = dispatch::SqliteDb::Open(path, dispatch::SqliteDb::Mode::kReadOnly);
  REQUIRE(db.ok());
  auto columns = (*db)->Prepare("SELECT name FROM pragma_index_info('timers_due') ORDER BY seqno");
  REQUIRE(columns.ok());
  std::string names;
  while (*columns->Step()) names += columns->ColumnText(0) + " ";
  CHECK(names == "next_at case_number key ");
}

TEST_CASE("migrating to schema 6 links the related cases already stored both ways") {
  Cli cli;
  cli.Setup();
  const std::string first = cli.OpenEscort();
  ProcessResult r = cli.Must({"case", "open", "--type", "escort_to_port", "--name-zh", "陳太",
                              "--related", first},
                             "chan_sz");
  const std::string second = r.out.substr(0, r.out.find('\n'));
  const std::string unrelated = cli.OpenEscort();
  {
    // As schema 5 stored them: the link only in the second case's body.
    auto db = dispatch::SqliteDb::Open(cli.db(), dispatch::SqliteDb::Mode::kOpenExisting);
    REQUIRE(db.ok());
    REQUIRE((*db)->Exec("DROP TABLE imports; DROP INDEX cases_by_earlier_reference;"
                        "ALTER TABLE cases DROP COLUMN earlier_reference;"
                        "DROP INDEX journal_by_at; ALTER TABLE journal DROP COLUMN prev;"
                        "ALTER TABLE journal DROP COLUMN link; ALTER TABLE journal DROP COLUMN salt;"
                        "DROP TABLE contacts; DROP INDEX cases_counted;"
                        "ALTER TABLE cases DROP COLUMN category;"
                        "ALTER TABLE cases DROP COLUMN legal_advice;"
                        "DROP TABLE inbox_reads; DROP INDEX inbox_by_recipient_id;"
                        "DROP INDEX cases_related; ALTER TABLE cases DROP COLUMN related_case;"
                        "PRAGMA user_version = 5;").ok());
  }
  CHECK(cli.Run({"case", "list", "--related", first}, "chan_sz").exit_code == 5);  // too old
  cli.Must({"migrate"}, "chan_sz");
  r = cli.Must({"case", "list", "--related", first}, "chan_sz");
  CHECK(r.out.find(second) != std::string::npos);
  CHECK(r.out.find(unrelated) == std::string::npos);
  CHECK(r.out.find(first + " ") == std::string::npos);
  r = cli.Must({"case", "show", first}, "chan_sz");
  CHECK(r.out.find(second + " (names this one)") != std::string::npos);
  // Cases stored before schema 8 carry no category: the report counts them
  // as such, so its totals still hold; one corrected is counted under it.
  const std::string year = first.substr(3, 4);
  r = cli.Must({"report", "year", year}, "chan_sz");
  CHECK(r.out.find("Uncategorised  3") != std::string::npos);
  // (This test's cases were opened by this build, so their bodies name a
  // category the dropped column lost: the change is a correction.)
  cli.Must({"case", "category", first, "medical", "--reason", "sorted after the upgrade"}, "chan_sz");
  r = cli.Must({"report", "year", year}, "chan_sz");
  CHECK(r.out.find("Uncategorised  2") != std::string::npos);
  CHECK(r.out.find("Medical        1") != std::string::npos);
  // The journal stored before schema 9 is linked as it was when upgraded,
  // and what was written since follows it.
  r = cli.Must({"audit", "verify"}, "admin");
  CHECK(r.out.find("Journal intact: ") == 0);
}

TEST_CASE("a damaged database says so, and that retrying will not help") {
  Cli cli;
  cli.Setup();
  for (int i = 0; i < 30; ++i) cli.OpenEscort();
  // The main file cut after its first pages, as a failed copy leaves it.
  {
    auto db = dispatch::SqliteDb::Open(cli.db(), dispatch::SqliteDb::Mode::kOpenExisting);
    REQUIRE((*db)->Exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
  }
  const std::string whole = FileBytes(cli.db());
  REQUIRE(whole.size() > 4 * 4096);
  testing::TempDir cut_dir;
  const std::string cut = cut_dir.Write("cut.db", whole.substr(0, 3 * 4096));
  ProcessResult r = testing::RunProcess({testing::DispatchBinary(), "--db", cut, "--workflows",
                                         DISPATCH_WORKFLOW_DIR, "--as", "chan_sz", "case", "list"});
  CHECK(r.exit_code == 8);
  CHECK(r.err.find("the database file is damaged; restore it from a backup") != std::string::npos);
}

TEST_CASE("a refused command writes nothing even when deadlines are due") {
  // A database whose clock stopped months ago: every deadline is overdue now.
  testing::TempDir dir;
  const std::string path = dir.Path("centre.db");
  std::string number;
  {
    testing::World w(path);
    w.OnDuty("chan_sz");
    number = w.OpenEscort();
  }
  const auto before = Files(dir.Path(""));
  ProcessResult r = testing::RunProcess({testing::DispatchBinary(), "--db", path, "--workflows",
                                         DISPATCH_WORKFLOW_DIR, "--as", "chan_sz", "case", "event",
                                         number, "plan_confirmed"});
  CHECK(r.exit_code == 5);
  CHECK(Files(dir.Path("")) == before);
  // Reads write nothing either.
  r = testing::RunProcess({testing::DispatchBinary(), "--db", path, "--workflows",
                           DISPATCH_WORKFLOW_DIR, "--as", "chan_sz", "task", "list"});
  CHECK(r.exit_code == 0);
  CHECK(Files(dir.Path("")) == before);
  // A command that is done catches up: the overdue deadlines fire after it.
  r = testing::RunProcess({testing::DispatchBinary(), "--db", path, "--workflows",
                           DISPATCH_WORKFLOW_DIR, "--as", "chan_sz", "case", "note", number,
                           "called the ward"});
  CHECK(r.exit_code == 0);
  r = testing::RunProcess({testing::DispatchBinary(), "--db", path, "--workflows",
                           DISPATCH_WORKFLOW_DIR, "--as", "chan_sz", "case", "timeline", number});
  CHECK(r.out.find("DEADLINE MISSED") != std::string::npos);
}

TEST_CASE("a refused command leaves a database whose WAL holds commits as it found it") {
  // A copy taken while another process had the database open (or after it
  // crashed): the last commits are in the -wal file only.
  testing::TempDir live_dir, copy_dir;
  const std::string live = live_dir.Path("centre.db");
  const std::string copy = copy_dir.Path("centre.db");
  std::string number;
  {
    testing::World w(live);
    number = w.OpenEscort();
    std::filesystem::copy_file(live, copy);
    std::filesystem::copy_file(live + "-wal", copy + "-wal");
  }
  REQUIRE(std::filesystem::file_size(copy + "-wal") > 0);
  const std::string db = FileBytes(copy), wal = FileBytes(copy + "-wal");
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"case", "event", number, "plan_confirmed"}, {"case", "show", number}}) {
    std::vector<std::string> argv = {testing::DispatchBinary(), "--db", copy, "--workflows",
                                     DISPATCH_WORKFLOW_DIR, "--as", "chan_sz"};
    argv.insert(argv.end(), args.begin(), args.end());
    testing::RunProcess(argv);
    CHECK(FileBytes(copy) == db);
    CHECK(FileBytes(copy + "-wal") == wal);
  }
}

TEST_CASE("scenarios refuse a database that holds live work, and leave it as it was") {
  Cli cli;
  cli.Setup();
  cli.OpenEscort();
  const auto before = Files(cli.dir().Path(""));
  ProcessResult r = cli.Run({"scenario", "run", "--keep-in", cli.db(),
                             std::string(DISPATCH_SOURCE_DIR) +
                                 "/scenarios/case1_identity_unknown_escort_home.textproto"});
  CHECK(r.exit_code == 5);
  CHECK(r.err.find("holds live work") != std::string::npos);
  CHECK(Files(cli.dir().Path("")) == before);
}
