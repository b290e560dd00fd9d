// The Store on one SQLite file (see store.h for the contract).
#ifndef DISPATCH_SQLITE_STORE_H_
#define DISPATCH_SQLITE_STORE_H_

#include <memory>
#include <string>

#include "dispatch/sqlite_db.h"
#include "dispatch/store.h"

namespace dispatch {

// Not thread-safe: one SqliteStore per thread (SQLite serialises writers
// across connections and processes).
class SqliteStore : public Store {
 public:
  // The schema version this code writes. Opening a newer database fails.
  static constexpr int kSchemaVersion = 2;

  // Opens `path` and brings its schema up to date. kOpenExisting refuses to
  // create a missing file, so a mistyped --db is reported, not created.
  static model::Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                          SqliteDb::Mode mode);
  ~SqliteStore() override;

  StoreReader& Read() override;
  model::Status Write(const std::function<model::Status(StoreWriter&)>& body) override;
  model::Result<RebuildReport> RebuildProjections() override;
  notify::Outbox& outbox() override;
  notify::InboxStore& inbox() override;

 private:
  class Access;
  class Delivery;
  explicit SqliteStore(std::unique_ptr<SqliteDb> db);
  model::Status Migrate();

  std::unique_ptr<SqliteDb> db_;
  std::unique_ptr<Access> access_;
  std::unique_ptr<Delivery> delivery_;
};

}  // namespace dispatch

#endif  // DISPATCH_SQLITE_STORE_H_
