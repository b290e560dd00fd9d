#include "server_child.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "http_get.h"

namespace bench {

using model::Result;
using model::Status;

Result<ServerChild> ServerChild::Start(const std::string& dispatch, const std::string& db,
                                       const std::string& workflows, const std::string& log) {
  int out[2];
  if (pipe(out) != 0) return Status::Internal("pipe failed");
  const int err = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (err < 0) return Status::Internal("cannot write " + log);
  std::vector<std::string> args = {dispatch, "--db", db, "--workflows", workflows,
                                   "serve", "--listen", "127.0.0.1:0"};
  const pid_t pid = fork();
  if (pid < 0) return Status::Internal("fork failed");
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    close(out[0]);
    close(out[1]);
    const int null = open("/dev/null", O_RDONLY);
    dup2(null, STDIN_FILENO);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  close(err);
  fcntl(out[0], F_SETFL, fcntl(out[0], F_GETFL) | O_NONBLOCK);
  return ServerChild(pid, out[0]);
}

ServerChild::ServerChild(ServerChild&& o) noexcept
    : pid_(o.pid_),
      out_fd_(o.out_fd_),
      out_(std::move(o.out_)),
      port_(o.port_),
      started_(o.started_),
      reaped_(o.reaped_),
      wait_status_(o.wait_status_) {
  o.pid_ = -1;
  o.out_fd_ = -1;
}

ServerChild::~ServerChild() {
  if (pid_ > 0 && !reaped_) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (out_fd_ >= 0) close(out_fd_);
}

bool ServerChild::Running() {
  if (reaped_) return false;
  const pid_t r = waitpid(pid_, &wait_status_, WNOHANG);
  if (r == pid_) reaped_ = true;
  return !reaped_;
}

Status ServerChild::WaitListening(Seconds limit) {
  const auto until = Clock::now() + std::chrono::duration_cast<Clock::duration>(limit);
  constexpr std::string_view kSays = "listening on http://127.0.0.1:";
  while (Clock::now() < until) {
    char buf[512];
    for (;;) {
      const ssize_t n = read(out_fd_, buf, sizeof buf);
      if (n <= 0) break;
      out_.append(buf, static_cast<size_t>(n));
    }
    const auto at = out_.find(kSays);
    if (at != std::string::npos) {
      port_ = static_cast<unsigned short>(std::stoi(out_.substr(at + kSays.size())));
      return Status::Ok();
    }
    if (!Running()) return Status::Internal("dispatch serve exited before it listened");
    pollfd p{out_fd_, POLLIN, 0};
    poll(&p, 1, 10);
  }
  return Status::Unavailable("dispatch serve did not listen within the limit");
}

Status ServerChild::WaitReady(Seconds limit) {
  const auto until = Clock::now() + std::chrono::duration_cast<Clock::duration>(limit);
  while (Clock::now() < until) {
    if (!Running()) return Status::Internal("dispatch serve exited");
    if (HttpGet(port_, "/readyz", std::chrono::seconds(5)).status == 200) return Status::Ok();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return Status::Unavailable("/readyz did not answer 200 within the limit");
}

double ServerChild::CpuSeconds() const {
  std::ifstream in("/proc/" + std::to_string(pid_) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(text.substr(close + 2));
  std::string f;
  long long utime = 0, stime = 0;
  // Fields from the state (3rd); utime and stime are the 14th and 15th.
  for (int i = 3; i <= 15 && fields >> f; ++i) {
    if (i == 14) utime = std::stoll(f);
    if (i == 15) stime = std::stoll(f);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::string ServerChild::Stop(Seconds grace) {
  if (!Running()) return "had exited";
  kill(pid_, SIGTERM);
  const auto until = Clock::now() + std::chrono::duration_cast<Clock::duration>(grace);
  while (Clock::now() < until) {
    if (!Running()) {
      if (WIFEXITED(wait_status_)) return "exit " + std::to_string(WEXITSTATUS(wait_status_));
      return "signal " + std::to_string(WTERMSIG(wait_status_));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &wait_status_, 0);
  reaped_ = true;
  char buf[96];
  std::snprintf(buf, sizeof buf, "killed: SIGTERM had not ended it after %.0f s", grace.count());
  return buf;
}

}  // namespace bench
