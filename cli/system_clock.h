// The one real Clock: everything else is handed the time.
#ifndef CLI_SYSTEM_CLOCK_H_
#define CLI_SYSTEM_CLOCK_H_

#include "model/time.h"

namespace cli {

class SystemClock : public model::Clock {
 public:
  model::Instant Now() const override;
};

}  // namespace cli

#endif  // CLI_SYSTEM_CLOCK_H_
