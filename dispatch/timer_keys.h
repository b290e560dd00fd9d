// The names of a case's timers: "case", "state", "wake", "task/3", "handoff/1".
// Built and read only here.
#ifndef DISPATCH_TIMER_KEYS_H_
#define DISPATCH_TIMER_KEYS_H_

#include <string>
#include <string_view>

namespace dispatch {

inline constexpr std::string_view kCaseTimer = "case";
inline constexpr std::string_view kStateTimer = "state";
// When a state that waits for a day (model::WaitForDay) moves on by itself.
inline constexpr std::string_view kWakeTimer = "wake";

std::string TaskTimer(int seq);
std::string HandoffTimer(int id);

// The task number in "task/3", or 0 when `key` is not a task's timer.
int TaskOfTimer(std::string_view key);
// The handoff number in "handoff/1", or 0 when `key` is not a handoff's timer.
int HandoffOfTimer(std::string_view key);

}  // namespace dispatch

#endif  // DISPATCH_TIMER_KEYS_H_
