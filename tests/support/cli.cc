#include "support/cli.h"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

namespace testing {

std::string FileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Cli::Cli() : db_(dir_.Path("centre.db")) {}

ProcessResult Cli::Run(std::vector<std::string> args, const std::string& as) {
  std::vector<std::string> argv = {DispatchBinary(), "--db", db_, "--workflows", workflows_};
  if (!as.empty()) {
    argv.push_back("--as");
    argv.push_back(as);
  }
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess(argv);
}

ProcessResult Cli::Must(std::vector<std::string> args, const std::string& as) {
  ProcessResult r = Run(std::move(args), as);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  return r;
}

void Cli::Setup() {
  Must({"init"});
  Must({"user", "add", "chan_sz", "--centre", "SZ", "--role", "duty_officer"}, "admin");
  Must({"user", "add", "lam_dg", "--centre", "DG", "--role", "duty_officer"}, "admin");
}

std::string Cli::OpenEscort() {
  ProcessResult r = Must({"case", "open", "--type", "escort_to_port", "--name-zh", "陳大文",
                          "--name-en", "CHAN Tai Man", "--hkid", "A123456(3)"},
                         "chan_sz");
  return r.out.substr(0, r.out.find('\n'));
}

}  // namespace testing
