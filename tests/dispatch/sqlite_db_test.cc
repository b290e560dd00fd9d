#include "dispatch/sqlite_db.h"

#include <doctest/doctest.h>

#include "support/temp_dir.h"

namespace dispatch {
namespace {

std::unique_ptr<SqliteDb> OpenWithRows(const std::string& path, int rows) {
  auto db = SqliteDb::Open(path, SqliteDb::Mode::kCreate);
  REQUIRE(db.ok());
  REQUIRE((*db)->Exec("CREATE TABLE t (n INTEGER)").ok());
  for (int i = 1; i <= rows; ++i) {
    REQUIRE((*db)->Exec("INSERT INTO t VALUES (" + std::to_string(i) + ")").ok());
  }
  return std::move(*db);
}

std::vector<int64_t> All(SqliteDb& db) {
  auto st = db.Prepare("SELECT n FROM t ORDER BY n");
  REQUIRE(st.ok());
  std::vector<int64_t> out;
  while (*st->Step()) out.push_back(st->ColumnInt(0));
  return out;
}

TEST_CASE("a statement taken again from the cache starts from the beginning, with no bindings") {
  testing::TempDir dir;
  auto db = OpenWithRows(dir.Path("t.db"), 3);
  {
    auto st = db->Prepare("SELECT n FROM t WHERE n >= ? ORDER BY n");
    REQUIRE(st.ok());
    st->Bind(1, int64_t{2});
    REQUIRE(*st->Step());
    CHECK(st->ColumnInt(0) == 2);
    // Dropped in the middle of its rows.
  }
  auto again = db->Prepare("SELECT n FROM t WHERE n >= ? ORDER BY n");
  REQUIRE(again.ok());
  // Unbound: NULL, so no row (n >= NULL is never true), not the 3 left over.
  CHECK_FALSE(*again->Step());
}

TEST_CASE("one SQL text in use twice at once gives two independent statements") {
  testing::TempDir dir;
  auto db = OpenWithRows(dir.Path("t.db"), 3);
  auto outer = db->Prepare("SELECT n FROM t ORDER BY n");
  REQUIRE(outer.ok());
  std::vector<std::pair<int64_t, size_t>> seen;
  while (*outer->Step()) seen.emplace_back(outer->ColumnInt(0), All(*db).size());
  CHECK(seen == std::vector<std::pair<int64_t, size_t>>{{1, 3}, {2, 3}, {3, 3}});
  CHECK(All(*db) == std::vector<int64_t>{1, 2, 3});
}

TEST_CASE("a cached statement holds no snapshot: another connection's writes are seen and checkpointed") {
  testing::TempDir dir;
  const std::string path = dir.Path("t.db");
  auto db = OpenWithRows(path, 2);
  {
    auto st = db->Prepare("SELECT n FROM t ORDER BY n");
    REQUIRE(*st->Step());  // a read transaction open on the first row, then dropped
  }
  auto other = SqliteDb::Open(path, SqliteDb::Mode::kOpenExisting);
  REQUIRE(other.ok());
  REQUIRE((*other)->Exec("INSERT INTO t VALUES (3)").ok());
  auto checkpoint = (*other)->Prepare("PRAGMA wal_checkpoint(TRUNCATE)");
  REQUIRE(checkpoint.ok());
  REQUIRE(*checkpoint->Step());
  CHECK(checkpoint->ColumnInt(0) == 0);  // not blocked by a reader
  CHECK(All(*db) == std::vector<int64_t>{1, 2, 3});
}

TEST_CASE("a statement that cannot be prepared is an error naming it, and the next one works") {
  testing::TempDir dir;
  auto db = OpenWithRows(dir.Path("t.db"), 1);
  auto bad = db->Prepare("SELECT x FROM nowhere");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("SELECT x FROM nowhere") != std::string::npos);
  const auto created = db->Run("CREATE TABLE nowhere (x)");
  INFO(created.ToString());
  CHECK(created.ok());
  CHECK(db->Prepare("SELECT x FROM nowhere").ok());
}

TEST_CASE("BEGIN, COMMIT and ROLLBACK run through the cache many times over") {
  testing::TempDir dir;
  auto db = OpenWithRows(dir.Path("t.db"), 0);
  for (int i = 0; i < 300; ++i) {
    WriteTransaction tx(*db);
    REQUIRE(tx.status().ok());
    REQUIRE(db->Run("INSERT INTO t VALUES (" + std::to_string(i % 2) + ")").ok());
    if (i % 2 == 0) REQUIRE(tx.Commit().ok());  // odd ones roll back
  }
  CHECK(All(*db) == std::vector<int64_t>(150, 0));
}

TEST_CASE("a transaction inside another is a savepoint: its own writes undone alone, or kept with the outer") {
  testing::TempDir dir;
  const std::string path = dir.Path("t.db");
  auto db = OpenWithRows(path, 0);
  {
    WriteTransaction outer(*db);
    REQUIRE(outer.status().ok());
    REQUIRE(db->Run("INSERT INTO t VALUES (1)").ok());
    {
      WriteTransaction kept(*db);
      REQUIRE(kept.status().ok());
      REQUIRE(db->Run("INSERT INTO t VALUES (2)").ok());
      REQUIRE(kept.Commit().ok());
    }
    {
      WriteTransaction dropped(*db);
      REQUIRE(dropped.status().ok());
      REQUIRE(db->Run("INSERT INTO t VALUES (3)").ok());
    }  // not committed: only 3 goes
    // Nothing is visible to another connection before the outer commit.
    auto other = SqliteDb::Open(path, SqliteDb::Mode::kReadOnly);
    REQUIRE(other.ok());
    CHECK(All(**other).empty());
    REQUIRE(outer.Commit().ok());
  }
  CHECK(All(*db) == std::vector<int64_t>{1, 2});
  {
    WriteTransaction outer(*db);
    REQUIRE(outer.status().ok());
    WriteTransaction inner(*db);
    REQUIRE(db->Run("INSERT INTO t VALUES (4)").ok());
    REQUIRE(inner.Commit().ok());
  }  // the outer one rolls back, and takes the inner one's write with it
  CHECK(All(*db) == std::vector<int64_t>{1, 2});
  CHECK_FALSE(db->InTransaction());
}

}  // namespace
}  // namespace dispatch
