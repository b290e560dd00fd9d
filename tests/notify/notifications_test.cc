#include "notify/notifications.h"

#include <doctest/doctest.h>
#include <google/protobuf/util/json_util.h>

#include "support/world.h"

namespace notify {

TEST_CASE("a handoff request tells the asked centre's inbox and its webhook, with masked identity") {
  testing::World w;
  w.OnDuty("lin_fj");
  const std::string number =
      w.Must(testing::OpenCaseCommand("escort_to_port", "FJ"), "wong_fj").case_state().number();
  model::Command request;
  request.mutable_request_handoff()->set_case_number(number);
  request.mutable_request_handoff()->set_to_centre("SZ");
  request.mutable_request_handoff()->set_message("Escort at Shenzhen Bay; her card is C668668(9)");
  const auto reply = w.Must(request, "wong_fj");
  const model::Event& requested = reply.event(0);
  const auto& def = w.catalog.Latest("escort_to_port")->definition;

  const auto none = NotificationsFor(reply.case_state(), requested, def, {});
  REQUIRE(none.size() == 1);
  CHECK(none[0].channel() == "inbox");
  CHECK(none[0].address() == "centre:SZ");
  CHECK(none[0].idempotency_key() == number + ":" + std::to_string(requested.seq()) + ":centre:SZ");
  CHECK(none[0].title().zh_hant().find("請接受或拒絕") != std::string::npos);

  const auto both = NotificationsFor(reply.case_state(), requested, def,
                                     {{"SZ", "http://127.0.0.1:9/sz"}, {"FJ", "http://127.0.0.1:9/fj"}});
  REQUIRE(both.size() == 2);
  const model::Notification& hook = both[1];
  CHECK(hook.channel() == "webhook");
  // The URL is looked up when it is sent: a bot token is not copied into the outbox.
  CHECK(hook.address() == "centre:SZ");
  CHECK(hook.SerializeAsString().find("127.0.0.1") == std::string::npos);
  CHECK(hook.idempotency_key() == number + ":" + std::to_string(requested.seq()) + ":webhook:SZ");
  model::WebhookPayload payload;
  REQUIRE(google::protobuf::util::JsonStringToMessage(hook.body(), &payload).ok());
  CHECK(payload.kind() == "handoff_requested");
  CHECK(payload.case_number() == number);
  CHECK(payload.person().hkid() == "A123***(*)");
  CHECK(hook.body().find("A123456") == std::string::npos);
  // What an officer typed into the message leaves masked too.
  CHECK(hook.body().find("C668668") == std::string::npos);
  CHECK(payload.title().en().find("her card is C668***(*)") != std::string::npos);
  CHECK(payload.person().name_en() == "LI CHAN Shuk Fan");
}

TEST_CASE("events that concern nobody outside the case notify nobody") {
  testing::World w;
  const auto reply = w.Must(testing::OpenCaseCommand("escort_to_port", "SZ"), "chan_sz");
  const auto& def = w.catalog.Latest("escort_to_port")->definition;
  int notices = 0;
  for (const auto& e : reply.event()) {
    notices += static_cast<int>(NotificationsFor(reply.case_state(), e, def, {}).size());
  }
  CHECK(notices == 3);  // only the three tasks nobody on duty can take
}

}  // namespace notify
