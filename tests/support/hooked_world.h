// A world whose centres' chat groups are a real HTTP receiver on 127.0.0.1,
// with webhook notifications waiting in the outbox.
#ifndef TESTS_SUPPORT_HOOKED_WORLD_H_
#define TESTS_SUPPORT_HOOKED_WORLD_H_

#include <string>

#include "support/http_receiver.h"
#include "support/world.h"

namespace testing {

// SZ's and FJ's webhooks point at `receiver` ("/SZ", "/FJ"). A Fujian case's
// port escort is offered to Shenzhen and declined `cycles` times: two webhook
// notifications each (to SZ, then to FJ), pending, as the world delivers to
// inboxes only.
struct HookedWorld {
  HookedWorld(const HttpReceiver& receiver, int cycles = 1,
              const std::string& db_path = ":memory:");

  World w;
  std::string number;  // the Fujian case
};

}  // namespace testing

#endif  // TESTS_SUPPORT_HOOKED_WORLD_H_
