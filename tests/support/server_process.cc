#include "support/server_process.h"

#include <signal.h>

#include <chrono>
#include <thread>

#include "support/cli.h"

namespace testing {

ServerProcess::ServerProcess(const std::string& db, const std::string& workflows,
                             const std::vector<std::string>& extra) {
  std::vector<std::string> argv{DispatchBinary(), "--db",  db,         "--workflows",
                                workflows,        "serve", "--listen", "127.0.0.1:0"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  process_ = std::make_unique<KillableProcess>(argv, io_.Path("stdout"), io_.Path("stderr"));
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < until) {
    const std::string out = FileBytes(io_.Path("stdout"));
    const auto at = out.find("://127.0.0.1:");
    if (at != std::string::npos) {
      const auto start = at + std::string("://127.0.0.1:").size();
      port_ = static_cast<unsigned short>(std::stoi(out.substr(start)));
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

ServerProcess::~ServerProcess() { Kill(); }

int ServerProcess::Stop() {
  port_ = 0;
  return process_->Stop(SIGTERM);
}

void ServerProcess::Kill() {
  port_ = 0;
  process_->Kill();
}

std::string ServerProcess::Log() const { return FileBytes(io_.Path("stderr")); }

}  // namespace testing
