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
  // Runs `argv` with stdout to `stdout_path`.
  KillableProcess(const std::vector<std::string>& argv, const std::string& stdout_path);
  ~KillableProcess();
  // SIGKILL to the whole group, then waits for the child.
  void Kill();

 private:
  int pid_ = -1;
};

// The dispatch binary built beside the tests.
std::string DispatchBinary();

}  // namespace testing

#endif  // TESTS_SUPPORT_PROCESS_H_
