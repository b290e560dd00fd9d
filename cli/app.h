// The `dispatch` command line: parses arguments into Command messages (or
// reads), hands them to the Dispatcher and prints the result.
#ifndef CLI_APP_H_
#define CLI_APP_H_

#include <ostream>

#include "model/status.h"

namespace cli {

// Exit codes, so scripts can tell a refusal from a typo.
enum ExitCode {
  kExitOk = 0,
  kExitFailure = 1,             // internal error, or a scenario expectation failed
  kExitInvalidArgument = 2,     // bad input, including bad command-line usage
  kExitNotFound = 3,
  kExitPermissionDenied = 4,
  kExitFailedPrecondition = 5,  // not possible in the case's current state
  kExitAlreadyExists = 6,
  kExitUnavailable = 7,         // database busy: try again
  kExitDataLoss = 8,            // the database is damaged: retrying does not help
};

int ExitCodeFor(model::Code code);

// Runs the command line; returns the process exit code.
int Run(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace cli

#endif  // CLI_APP_H_
