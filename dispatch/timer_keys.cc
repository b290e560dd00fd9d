#include "dispatch/timer_keys.h"

namespace dispatch {

namespace {

constexpr std::string_view kTask = "task/";
constexpr std::string_view kHandoff = "handoff/";

// The positive number after `prefix`, or 0 for anything else (never throws).
int NumberAfter(std::string_view key, std::string_view prefix) {
  if (key.substr(0, prefix.size()) != prefix || key.size() == prefix.size() ||
      key.size() > prefix.size() + 9) {
    return 0;
  }
  int n = 0;
  for (char ch : key.substr(prefix.size())) {
    if (ch < '0' || ch > '9') return 0;
    n = n * 10 + (ch - '0');
  }
  return n;
}

}  // namespace

std::string TaskTimer(int seq) { return std::string(kTask) + std::to_string(seq); }
std::string HandoffTimer(int id) { return std::string(kHandoff) + std::to_string(id); }
int TaskOfTimer(std::string_view key) { return NumberAfter(key, kTask); }
int HandoffOfTimer(std::string_view key) { return NumberAfter(key, kHandoff); }

}  // namespace dispatch
