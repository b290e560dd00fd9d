// The dispatch binary run as a real child process on a real database file in
// a fresh temp directory.
#ifndef TESTS_SUPPORT_CLI_H_
#define TESTS_SUPPORT_CLI_H_

#include <string>
#include <vector>

#include "support/process.h"
#include "support/temp_dir.h"

namespace testing {

// The whole content of a file ("" when it cannot be read).
std::string FileBytes(const std::string& path);

class Cli {
 public:
  Cli();

  // dispatch --db DB --workflows SHIPPED [--as AS] ARGS...
  ProcessResult Run(std::vector<std::string> args, const std::string& as = "");
  // The same; REQUIRES exit code 0 (fails the test otherwise).
  ProcessResult Must(std::vector<std::string> args, const std::string& as = "");

  // init, and users chan_sz (SZ) and lam_dg (DG), duty officers.
  void Setup();
  // Opens an escort_to_port case as chan_sz; returns its number.
  std::string OpenEscort();

  // The definitions directory every Run passes (default: the shipped one).
  void set_workflows(std::string dir) { workflows_ = std::move(dir); }

  const std::string& db() const { return db_; }
  const TempDir& dir() const { return dir_; }

 private:
  TempDir dir_;
  std::string db_;
  std::string workflows_ = DISPATCH_WORKFLOW_DIR;
};

}  // namespace testing

#endif  // TESTS_SUPPORT_CLI_H_
