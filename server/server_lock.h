// One server per database. While `dispatch serve` runs on a database file it
// holds a lock beside it; the embedded CLI refuses to write to a file a
// server holds, and says to send commands with --server instead.
#ifndef SERVER_SERVER_LOCK_H_
#define SERVER_SERVER_LOCK_H_

#include <string>

#include "model/status.h"

namespace server {

class ServerLock {
 public:
  // Takes the lock of database `db` for this process's life (or this
  // object's). FailedPrecondition when another server holds it.
  static model::Result<ServerLock> Take(const std::string& db);
  // Whether a server holds the lock of `db` now.
  static bool Held(const std::string& db);

  ServerLock(ServerLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  ServerLock& operator=(ServerLock&&) = delete;
  ~ServerLock();

 private:
  explicit ServerLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace server

#endif  // SERVER_SERVER_LOCK_H_
