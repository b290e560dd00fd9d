#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>
#include <google/protobuf/stubs/logging.h>
#include <spdlog/spdlog.h>

#include <cstring>
#include <iostream>

namespace {

int test_cases_started = 0;

// Counts the test cases that ran, so that a filter matching none fails the
// run: CTest runs each case by name, and a name CMake mangled (a ';' in it
// splits the list) would otherwise pass by running nothing.
struct CountingListener : doctest::IReporter {
  explicit CountingListener(const doctest::ContextOptions&) {}
  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats&) override {}
  void test_case_start(const doctest::TestCaseData&) override { ++test_cases_started; }
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_end(const doctest::CurrentTestCaseStats&) override {}
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}
};

REGISTER_LISTENER("counting", 1, CountingListener);

bool NamesTestCases(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--test-case=", 12) == 0 || std::strncmp(argv[i], "-tc=", 4) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  // The engine logs each command at info; tests want only warnings.
  spdlog::set_level(spdlog::level::warn);
  // Tests read back damaged rows on purpose; the store names them itself.
  google::protobuf::SetLogHandler(nullptr);
  doctest::Context context(argc, argv);
  const int result = context.run();
  if (context.shouldExit()) return result;
  if (result == 0 && NamesTestCases(argc, argv) && test_cases_started == 0) {
    std::cerr << "no test case matched the filter: a test registered by that name runs nothing\n";
    return 1;
  }
  return result;
}
