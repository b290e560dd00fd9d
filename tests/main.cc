#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>
#include <spdlog/spdlog.h>

int main(int argc, char** argv) {
  // The engine logs each command at info; tests want only warnings.
  spdlog::set_level(spdlog::level::warn);
  return doctest::Context(argc, argv).run();
}
