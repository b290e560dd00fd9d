// Notifications leave through the outbox: several dispatch processes deliver
// at once without sending anything twice, and reads never wait on delivery.
#include <doctest/doctest.h>

#include <set>
#include <thread>

#include "support/hooked_world.h"
#include "support/http_receiver.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/world.h"

namespace {

// A database file whose webhooks point at `receiver`, with `cycles` handoffs
// offered and declined: their webhook notifications wait in the outbox.
struct PendingWebhooks {
  testing::TempDir dir;
  testing::HookedWorld hooked;
  testing::World& w = hooked.w;
  std::string& number = hooked.number;

  PendingWebhooks(const testing::HttpReceiver& receiver, int cycles)
      : hooked(receiver, cycles, dir.Path("centre.db")) {}

  testing::ProcessResult Run(std::vector<std::string> args) {
    std::vector<std::string> argv = {testing::DispatchBinary(), "--db", dir.Path("centre.db"),
                                     "--workflows", DISPATCH_WORKFLOW_DIR};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::RunProcess(argv);
  }
};

}  // namespace

TEST_CASE("eight processes delivering at once send each notification exactly once") {
  testing::HttpReceiver receiver(0);
  PendingWebhooks p(receiver, 12);
  std::set<std::string> pending_keys;
  auto outbox = p.w.store->Read().ListOutbox({model::DELIVERY_PENDING, 0, 100});
  REQUIRE(outbox.ok());
  for (const auto& n : outbox.value()) {
    if (n.channel() == "webhook") pending_keys.insert(n.idempotency_key());
  }
  REQUIRE(pending_keys.size() == 24);
  std::vector<std::thread> ticks;
  std::vector<testing::ProcessResult> results(8);
  for (size_t i = 0; i < results.size(); ++i) {
    ticks.emplace_back([&, i] { results[i] = p.Run({"tick"}); });
  }
  for (auto& t : ticks) t.join();
  for (const auto& r : results) CHECK_MESSAGE(r.exit_code == 0, r.err);
  const auto received = receiver.received();
  std::multiset<std::string> keys;
  for (const auto& r : received) keys.insert(r.idempotency_key);
  // The processes run on the real clock, long after the world's: they also
  // fire its overdue deadlines, whose escalations reach the webhooks too.
  CHECK(std::set<std::string>(keys.begin(), keys.end()).size() == received.size());
  for (const auto& key : pending_keys) CHECK(keys.count(key) == 1);
  auto pending = p.w.store->Read().ListOutbox({model::DELIVERY_PENDING, 0, 100});
  REQUIRE(pending.ok());
  for (const auto& n : *pending) CHECK(n.channel() != "webhook");
}

TEST_CASE("reading, and a refused command, never wait on a webhook") {
  testing::HttpReceiver silent(0, /*silent=*/true);
  PendingWebhooks p(silent, 3);
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--as", "wong_fj", "case", "list"},
           {"--as", "wong_fj", "case", "show", p.number},
           {"--as", "wong_fj", "case", "timeline", p.number},
           {"--as", "lin_fj", "task", "list"},
           {"--as", "wong_fj", "inbox"},
           {"--as", "wong_fj", "handoff", "list"},
           {"--as", "wong_fj", "duty", "list"},
       }) {
    CHECK_MESSAGE(p.Run(args).exit_code == 0, args.back());
  }
  CHECK(p.Run({"--as", "wong_fj", "case", "event", p.number, "plan_confirmed"}).exit_code == 5);
  CHECK(silent.connections() == 0);
}
