// `dispatch serve` as a real child process on loopback (127.0.0.1, or ::1),
// on a port the system picks.
#ifndef TESTS_SUPPORT_SERVER_PROCESS_H_
#define TESTS_SUPPORT_SERVER_PROCESS_H_

#include <memory>
#include <string>
#include <vector>

#include "support/process.h"
#include "support/temp_dir.h"

namespace testing {

class ServerProcess {
 public:
  // Starts the server on `db` and waits (10 s at most) until it listens.
  // `extra`: more arguments for `serve` (--tls-cert ...); `host`: the
  // loopback address to listen on; `port`: 0 for one the system picks, or
  // the one an earlier server had (a restart).
  explicit ServerProcess(const std::string& db,
                         const std::string& workflows = DISPATCH_WORKFLOW_DIR,
                         const std::vector<std::string>& extra = {},
                         const std::string& host = "127.0.0.1", unsigned short port = 0);
  ~ServerProcess();

  bool running() const { return port_ != 0; }
  unsigned short port() const { return port_; }
  // SIGTERM; waits for it to finish what is in flight; its exit code.
  int Stop();
  // SIGKILL: no warning, nothing finished.
  void Kill();
  // What it logged (stderr) so far.
  std::string Log() const;

 private:
  TempDir io_;
  std::unique_ptr<KillableProcess> process_;
  unsigned short port_ = 0;
};

}  // namespace testing

#endif  // TESTS_SUPPORT_SERVER_PROCESS_H_
