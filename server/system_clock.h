// The one real Clock: everything else is handed the time.
#ifndef SERVER_SYSTEM_CLOCK_H_
#define SERVER_SYSTEM_CLOCK_H_

#include "model/time.h"

namespace server {

class SystemClock : public model::Clock {
 public:
  model::Instant Now() const override;
};

}  // namespace server

#endif  // SERVER_SYSTEM_CLOCK_H_
