#include "support/hooked_world.h"

namespace testing {

HookedWorld::HookedWorld(const HttpReceiver& receiver, int cycles, const std::string& db_path)
    : w(db_path) {
  for (const char* centre : {"SZ", "FJ"}) {
    model::Command hook;
    hook.mutable_set_webhook()->set_centre(centre);
    hook.mutable_set_webhook()->set_url(receiver.Url(std::string("/") + centre));
    w.Must(hook, "admin");
  }
  w.OnDuty("lin_fj");
  number = w.Must(OpenCaseCommand("escort_to_port", "FJ"), "wong_fj").case_state().number();
  for (int i = 1; i <= cycles; ++i) {
    model::Command request;
    request.mutable_request_handoff()->set_case_number(number);
    request.mutable_request_handoff()->set_to_centre("SZ");
    request.mutable_request_handoff()->set_message("Escort at Shenzhen Bay");
    w.Must(request, "wong_fj");
    model::Command decline;
    decline.mutable_decline_handoff()->set_case_number(number);
    decline.mutable_decline_handoff()->set_handoff(i);
    decline.mutable_decline_handoff()->set_reason("no staff that day");
    w.Must(decline, "mak_sz");
  }
}

}  // namespace testing
