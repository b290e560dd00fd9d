#include "dispatch/timer_keys.h"

#include <doctest/doctest.h>

namespace dispatch {

TEST_CASE("timer names are built and read back, and odd ones read as none") {
  CHECK(TaskTimer(3) == "task/3");
  CHECK(HandoffTimer(12) == "handoff/12");
  CHECK(TaskOfTimer(TaskTimer(41)) == 41);
  CHECK(HandoffOfTimer(HandoffTimer(2)) == 2);
  CHECK(TaskOfTimer("handoff/2") == 0);
  CHECK(HandoffOfTimer("task/2") == 0);
  for (const char* odd : {"task/", "task/x", "task/-1", "task/99999999999", "state", "case", ""}) {
    CAPTURE(odd);
    CHECK(TaskOfTimer(odd) == 0);
  }
}

}  // namespace dispatch
