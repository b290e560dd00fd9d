#include "cli/system_clock.h"

#include <chrono>

namespace cli {

model::Instant SystemClock::Now() const {
  return std::chrono::time_point_cast<model::Millis>(std::chrono::system_clock::now());
}

}  // namespace cli
