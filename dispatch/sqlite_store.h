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
  static constexpr int kSchemaVersion = 10;
  // Written into the file's header (PRAGMA application_id): "DSP1".
  static constexpr int kApplicationId = 0x44535031;

  enum class Mode {
    kOpenExisting,  // a dispatch database at this schema version
    kCreate,        // that, or a new one where there is no file (or an empty one)
    kMigrate,       // a dispatch database at this or an older version, upgraded
  };

  // Opens `path` (":memory:" for a new private database). Before anything is
  // written, the file is looked at read-only: a directory, a device, an empty
  // file, another program's SQLite file or a database of another schema
  // version is refused as it is, untouched (no journal mode switched, no
  // migration run). A missing file is created only by kCreate.
  static model::Result<std::unique_ptr<SqliteStore>> Open(const std::string& path, Mode mode);
  ~SqliteStore() override;

  StoreReader& Read() override;
  model::Status Write(const std::function<model::Status(StoreWriter&)>& body) override;
  std::vector<model::Status> WriteGroup(
      const std::vector<std::function<model::Status(StoreWriter&)>>& bodies) override;
  model::Result<RebuildReport> RebuildProjections() override;
  notify::Outbox& outbox() override;
  notify::InboxStore& inbox() override;

 private:
  class Access;
  class Delivery;
  explicit SqliteStore(std::unique_ptr<SqliteDb> db);
  model::Status Migrate(Mode mode);

  std::unique_ptr<SqliteDb> db_;
  std::unique_ptr<Access> access_;
  std::unique_ptr<Delivery> delivery_;
};

}  // namespace dispatch

#endif  // DISPATCH_SQLITE_STORE_H_
