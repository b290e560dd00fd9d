// `dispatch serve` as a child process of the bench, on 127.0.0.1 and a port
// the system picks, with its log in a file.
#ifndef TESTS_BENCH_SERVER_CHILD_H_
#define TESTS_BENCH_SERVER_CHILD_H_

#include <sys/types.h>

#include <chrono>
#include <string>

#include "model/status.h"

namespace bench {

using Clock = std::chrono::steady_clock;
using Seconds = std::chrono::duration<double>;

class ServerChild {
 public:
  // Starts `dispatch --db DB --workflows DIR serve --listen 127.0.0.1:0`,
  // its standard error going to `log`. Returns at once.
  static model::Result<ServerChild> Start(const std::string& dispatch, const std::string& db,
                                          const std::string& workflows, const std::string& log);
  ServerChild(ServerChild&& other) noexcept;
  ServerChild& operator=(ServerChild&&) = delete;
  // Kills it if it still runs.
  ~ServerChild();

  Clock::time_point started() const { return started_; }
  // Waits until it says where it listens (at most `limit`); Unavailable when
  // it did not in time, Internal when it exited.
  model::Status WaitListening(Seconds limit);
  // Waits until GET /readyz answers 200 (at most `limit`), polling.
  model::Status WaitReady(Seconds limit);
  // Whether the process is still running.
  bool Running();
  unsigned short port() const { return port_; }
  pid_t pid() const { return pid_; }
  // CPU time (user + system) it has used so far, in seconds.
  double CpuSeconds() const;

  // SIGTERM; SIGKILL if it has not exited after `grace`. Returns "exit N",
  // "killed after SIGTERM did not end it in G s", or "signal N".
  std::string Stop(Seconds grace);

 private:
  ServerChild(pid_t pid, int out_fd) : pid_(pid), out_fd_(out_fd), started_(Clock::now()) {}
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string out_;  // what it printed on standard output so far
  unsigned short port_ = 0;
  Clock::time_point started_;
  bool reaped_ = false;
  int wait_status_ = 0;
};

}  // namespace bench

#endif  // TESTS_BENCH_SERVER_CHILD_H_
