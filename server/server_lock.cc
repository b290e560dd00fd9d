#include "server/server_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace server {

namespace {
std::string LockPath(const std::string& db) { return db + "-server.lock"; }
}  // namespace

model::Result<ServerLock> ServerLock::Take(const std::string& db) {
  const int fd = ::open(LockPath(db).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return model::Status::Unavailable("cannot make the server's lock file " + LockPath(db));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return model::Status::FailedPrecondition("another dispatch server runs on " + db);
  }
  return ServerLock(fd);
}

bool ServerLock::Held(const std::string& db) {
  const int fd = ::open(LockPath(db).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;  // no lock file: no server ever ran here
  const bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0;
  ::close(fd);
  return held;
}

ServerLock::~ServerLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace server
