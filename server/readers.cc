#include "server/readers.h"

namespace server {

model::Result<dispatch::Dispatcher*> Readers::ForThisThread() {
  std::lock_guard<std::mutex> lock(mu_);
  Reader& r = readers_[std::this_thread::get_id()];
  if (!r.dispatcher) {
    ASSIGN_OR_RETURN(r.store,
                     dispatch::SqliteStore::Open(db_path_, dispatch::SqliteStore::Mode::kOpenExisting));
    r.dispatcher = std::make_unique<dispatch::Dispatcher>(*r.store, catalog_, clock_);
  }
  return r.dispatcher.get();
}

}  // namespace server
