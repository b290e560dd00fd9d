// Webhook delivery against a real HTTP server on 127.0.0.1, with a fake clock
// for the backoff.
#include <doctest/doctest.h>

#include <set>

#include "dispatch/tick.h"
#include "notify/deliverer.h"
#include "notify/http_client.h"
#include "notify/inbox_channel.h"
#include "notify/webhook_channel.h"
#include "support/hooked_world.h"
#include "support/http_receiver.h"
#include "support/world.h"

namespace notify {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;

using testing::HookedWorld;

// A worker for `hw` with both channels, giving up after `attempts`.
struct Worker {
  WebhookChannel webhook;
  InboxChannel inbox;
  Deliverer deliverer;
  Worker(testing::World& w, int attempts)
      : webhook(dispatch::WebhookUrls(*w.store), seconds(2)),
        inbox(w.store->inbox(), w.clock),
        deliverer(w.store->outbox(), w.clock, Policy(attempts), [] { return 0.5; }) {
    deliverer.AddChannel(kWebhook, &webhook, /*batch=*/1);
    deliverer.AddChannel(kInbox, &inbox);
  }
  static RetryPolicy Policy(int attempts) {
    RetryPolicy p;
    p.max_attempts = attempts;
    p.first_delay = seconds(30);
    p.max_delay = seconds(240);
    return p;
  }
};

// Runs the worker `passes` times, an hour apart.
DeliveryReport Drive(testing::World& w, Deliverer& d, int passes) {
  DeliveryReport total;
  for (int i = 0; i < passes; ++i) {
    auto r = d.DeliverDue();
    REQUIRE_MESSAGE(r.ok(), r.status().ToString());
    total.delivered += r->delivered;
    total.retrying += r->retrying;
    total.dead += r->dead;
    w.clock.Advance(hours(1));
  }
  return total;
}

}  // namespace

TEST_CASE("a receiver that fails at first gets every notification, each under one key") {
  testing::HttpReceiver receiver(/*failures=*/3);
  HookedWorld hw(receiver);
  Worker worker(hw.w, 8);
  const DeliveryReport report = Drive(hw.w, worker.deliverer, 6);
  CHECK(report.dead == 0);
  const auto got = receiver.received();
  REQUIRE(got.size() == 5);  // three failures, then both notifications
  std::map<std::string, std::vector<int>> by_key;
  for (const auto& r : got) by_key[r.idempotency_key].push_back(r.answered);
  REQUIRE(by_key.size() == 2);
  for (const auto& [key, answers] : by_key) {
    CAPTURE(key);
    CHECK(key.rfind(hw.number + ":", 0) == 0);
    CHECK(answers.back() == 200);
    CHECK(std::count(answers.begin(), answers.end(), 200) == 1);
  }
  CHECK(got.back().body.find("\"kind\":\"handoff_") != std::string::npos);
  CHECK(got.back().body.find("A123456") == std::string::npos);
  std::set<std::string> targets;
  for (const auto& r : got) targets.insert(r.target);
  CHECK(targets == std::set<std::string>{"/SZ", "/FJ"});

  auto pending = hw.w.store->Read().ListOutbox({model::DELIVERY_PENDING, 0, 100});
  CHECK(pending->empty());
  auto done = hw.w.store->Read().ListOutbox({model::DELIVERY_DONE, 0, 100});
  int webhook_attempts = 0;
  for (const auto& n : *done) {
    if (n.channel() == kWebhook) webhook_attempts += n.attempts();
  }
  CHECK(webhook_attempts == 5);
}

TEST_CASE("a receiver that never answers well ends in the dead-letter list") {
  testing::HttpReceiver receiver(/*failures=*/-1);
  HookedWorld hw(receiver);
  Worker worker(hw.w, 4);
  const DeliveryReport report = Drive(hw.w, worker.deliverer, 8);
  CHECK(report.dead == 2);
  CHECK(receiver.received().size() == 8);  // four attempts each, no more
  auto dead = hw.w.store->Read().ListOutbox({model::DELIVERY_DEAD, 0, 100});
  REQUIRE(dead->size() == 2);
  for (const auto& n : *dead) {
    CHECK(n.attempts() == 4);
    CHECK(n.last_error() == "webhook answered HTTP 500");
    CHECK_FALSE(model::IsSet(n.next_attempt_at()));
  }
  // The inbox copies were delivered regardless.
  CHECK(hw.w.Inbox("centre:FJ", hw.number).size() == 1);
}

TEST_CASE("webhook URLs are checked, and a silent or absent receiver is reported") {
  CHECK(ParseHttpUrl("http://127.0.0.1:8080/bot?x=1")->target == "/bot?x=1");
  CHECK(ParseHttpUrl("http://example.org")->port == "80");
  CHECK(ParseHttpUrl("https://example.org/")->tls);
  CHECK(ParseHttpUrl("https://example.org/")->port == "443");
  CHECK_FALSE(ParseHttpUrl("http://example.org/")->tls);
  CHECK(ParseHttpUrl("https://[::1]:8443/v1")->host == "::1");
  CHECK(ParseHttpUrl("https://[::1]:8443/v1")->port == "8443");
  CHECK(ParseHttpUrl("http://[::1]/")->port == "80");
  CHECK_FALSE(ParseHttpUrl("http://[::1]x/").ok());
  CHECK(ParseHttpUrl("ftp://example.org/").status().message() ==
        "URL 'ftp://example.org/' must start with http:// or https://");
  CHECK_FALSE(ParseHttpUrl("http://:80/").ok());
  CHECK_FALSE(ParseHttpUrl("http://host:99999999/").ok());
  CHECK(ParseHttpUrl("http://host:99999/").status().message() ==
        "URL 'http://host:99999/' has no usable host and port (ports are 1 to 65535)");
  CHECK_FALSE(ParseHttpUrl("http://host:0/").ok());
  CHECK(ParseHttpUrl("http://host:65535/").ok());

  testing::HttpReceiver silent(0, /*silent=*/true);
  notify::HttpRequest req;
  req.url = silent.Url();
  req.body = "{}";
  req.timeout = milliseconds(300);
  auto r = Fetch(req);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == model::Code::kUnavailable);
  CHECK(r.status().message().find("read the reply") != std::string::npos);

  std::string closed;
  {
    testing::HttpReceiver gone(0);
    closed = gone.Url();
  }
  req.url = closed;
  req.timeout = milliseconds(500);
  auto refused = Fetch(req);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == model::Code::kUnavailable);
}

TEST_CASE("only admins set webhooks, and only http:// or https:// ones") {
  testing::World w;
  model::Command hook;
  hook.mutable_set_webhook()->set_centre("SZ");
  hook.mutable_set_webhook()->set_url("https://chat.example/bot");
  CHECK(w.dispatcher->Execute(hook, "ho_sz").status().code() == model::Code::kPermissionDenied);
  CHECK(w.dispatcher->Execute(hook, "admin").ok());
  hook.mutable_set_webhook()->set_url("ftp://chat.example/bot");
  CHECK(w.dispatcher->Execute(hook, "admin").status().code() == model::Code::kInvalidArgument);
  hook.mutable_set_webhook()->set_centre("XX");
  hook.mutable_set_webhook()->set_url("http://127.0.0.1:1/");
  CHECK(w.dispatcher->Execute(hook, "admin").status().message() ==
        "unknown centre 'XX'; centres are DG, FJ, GZ, HZ, SZ, ZS");
}

TEST_CASE("a webhook an admin changes or removes is never used again, even for what is pending") {
  testing::HttpReceiver old_hook(0), new_hook(0);
  HookedWorld hw(old_hook);  // two notifications pending for the old URL
  model::Command moved;
  moved.mutable_set_webhook()->set_centre("SZ");
  moved.mutable_set_webhook()->set_url(new_hook.Url("/SZ"));
  hw.w.Must(moved, "admin");
  model::Command removed;
  removed.mutable_set_webhook()->set_centre("FJ");
  hw.w.Must(removed, "admin");  // a leaked token: FJ's bot is cut off
  Worker worker(hw.w, 8);
  const DeliveryReport r = Drive(hw.w, worker.deliverer, 1);
  CHECK(old_hook.connections() == 0);
  REQUIRE(new_hook.received().size() == 1);
  CHECK(new_hook.received()[0].target == "/SZ");
  CHECK(r.dead == 1);  // FJ's: nowhere to send it, not tried again
  auto dead = hw.w.store->Read().ListOutbox({model::DELIVERY_DEAD, 0, 10});
  REQUIRE(dead.ok());
  REQUIRE(dead->size() == 1);
  CHECK((*dead)[0].last_error() == "centre FJ has no webhook now");
}

}  // namespace notify
