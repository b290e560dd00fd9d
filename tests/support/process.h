// Runs a real child process and captures what it printed.
#ifndef TESTS_SUPPORT_PROCESS_H_
#define TESTS_SUPPORT_PROCESS_H_

#include <string>
#include <vector>

namespace testing {

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal
  std::string out;
  std::string err;
};

// Runs `argv` (argv[0] is a path) with `env` ("NAME=value") added to a
// minimal environment, in `cwd` when not empty. Blocks until it exits.
ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const std::vector<std::string>& env = {}, const std::string& cwd = "");

// A child started in its own process group, to be killed without warning.
class KillableProcess {
 public:
  // Runs `argv` with stdout to `stdout_path` (and stderr to `stderr_path`).
  KillableProcess(const std::vector<std::string>& argv, const std::string& stdout_path,
                  const std::string& stderr_path = "/dev/null");
  ~KillableProcess();
  // SIGKILL to the whole group, then waits for the child.
  void Kill();
  // Sends `signal` to the child, waits for it, and returns its exit code
  // (-1 when a signal ended it).
  int Stop(int signal);

 private:
  int pid_ = -1;
};

// The dispatch binary built beside the tests.
std::string DispatchBinary();

}  // namespace testing

#endif  // TESTS_SUPPORT_PROCESS_H_
