// Reads on their own connections: each thread that serves requests gets its
// own read-only Dispatcher on its own SQLite connection, opened on first use.
// In WAL mode readers never wait on the writer.
#ifndef SERVER_READERS_H_
#define SERVER_READERS_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "dispatch/dispatcher.h"
#include "dispatch/sqlite_store.h"
#include "model/workflow_catalog.h"

namespace server {

// Thread-safe. REQUIRES: catalog and clock outlive it.
class Readers {
 public:
  Readers(std::string db_path, model::WorkflowCatalog& catalog, const model::Clock& clock)
      : db_path_(std::move(db_path)), catalog_(catalog), clock_(clock) {}

  // The calling thread's Dispatcher: used only for reading (and checking
  // passwords), only from this thread.
  model::Result<dispatch::Dispatcher*> ForThisThread();

 private:
  struct Reader {
    std::unique_ptr<dispatch::SqliteStore> store;
    std::unique_ptr<dispatch::Dispatcher> dispatcher;
  };
  std::string db_path_;
  model::WorkflowCatalog& catalog_;
  const model::Clock& clock_;
  std::mutex mu_;
  std::map<std::thread::id, Reader> readers_;
};

}  // namespace server

#endif  // SERVER_READERS_H_
