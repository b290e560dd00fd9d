#include "server/system_clock.h"

#include <chrono>

namespace server {

model::Instant SystemClock::Now() const {
  return std::chrono::time_point_cast<model::Millis>(std::chrono::system_clock::now());
}

}  // namespace server
