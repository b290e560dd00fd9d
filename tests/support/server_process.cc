#include "support/server_process.h"

#include <signal.h>

#include <chrono>
#include <thread>

#include "support/cli.h"

namespace testing {

ServerProcess::ServerProcess(const std::string& db, const std::string& workflows,
                             const std::vector<std::string>& extra, const std::string& host,
                             unsigned short port) {
  // An IPv6 address is written in brackets, in --listen as in a URL.
  const std::string in_url = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  std::vector<std::string> argv{DispatchBinary(), "--db",  db,         "--workflows",
                                workflows,        "serve", "--listen", in_url + ":" + std::to_string(port)};
  argv.insert(argv.end(), extra.begin(), extra.end());
  process_ = std::make_unique<KillableProcess>(argv, io_.Path("stdout"), io_.Path("stderr"));
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < until) {
    const std::string out = FileBytes(io_.Path("stdout"));
    const std::string said = "://" + in_url + ":";
    const auto at = out.find(said);
    if (at != std::string::npos) {
      const auto start = at + said.size();
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
