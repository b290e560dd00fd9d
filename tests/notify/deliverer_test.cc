// The delivery worker's claims and its time budget, with a fake clock and a
// channel that records what it was given.
#include "notify/deliverer.h"

#include <doctest/doctest.h>

#include "support/world.h"

namespace notify {
namespace {

using model::Status;

// Records each notification sent and takes `takes` of the fake clock to do it.
class SlowChannel : public Channel {
 public:
  SlowChannel(model::FakeClock& clock, model::Millis takes) : clock_(clock), takes_(takes) {}
  model::Status Send(const model::Notification& n) override {
    sent_.push_back(n.idempotency_key());
    clock_.Advance(takes_);
    return model::Status::Ok();
  }
  const std::vector<std::string>& sent() const { return sent_; }

 private:
  model::FakeClock& clock_;
  model::Millis takes_;
  std::vector<std::string> sent_;
};

// A world with `n` inbox notifications pending: tasks nobody on duty can take.
void Pending(testing::World& w, int cases) {
  for (int i = 0; i < cases; ++i) w.OpenEscort();  // three unheld tasks each
}

}  // namespace

TEST_CASE("a pass with a budget stops sending when it is spent and gives the rest back") {
  testing::World w;
  Pending(w, 2);
  SlowChannel slow(w.clock, std::chrono::seconds(2));
  Deliverer d(w.store->outbox(), w.clock, RetryPolicy(), [] { return 0.5; });
  d.AddChannel(kInbox, &slow);
  auto r = d.DeliverDue({200, std::chrono::seconds(3)});
  REQUIRE(r.ok());
  CHECK(r->delivered == 2);  // 0 s and 2 s in; at 4 s the budget is spent
  CHECK(slow.sent().size() == 2);
  // What was claimed but not sent is due at once again, not held for the lease.
  auto pending = w.store->Read().ListOutbox({model::DELIVERY_PENDING, 0, 100});
  REQUIRE(pending.ok());
  CHECK(pending->size() == 4);
  for (const auto& n : *pending) CHECK(model::FromProto(n.next_attempt_at()) <= w.clock.Now());
  r = d.DeliverDue();
  REQUIRE(r.ok());
  CHECK(r->delivered == 4);
  CHECK(slow.sent().size() == 6);
}

TEST_CASE("a claimed notification is not taken by another deliverer until its lease runs out") {
  testing::World w;
  Pending(w, 1);
  // One deliverer claims everything and dies before sending.
  auto claimed = w.store->outbox().Claim(kInbox, w.clock.Now(), 100,
                                         w.clock.Now() + std::chrono::minutes(1), "dead-one");
  REQUIRE(claimed.ok());
  CHECK(claimed->size() == 3);
  CHECK((*claimed)[0].attempts() == 1);
  SlowChannel other(w.clock, std::chrono::milliseconds(0));
  Deliverer d(w.store->outbox(), w.clock, RetryPolicy(), [] { return 0.5; });
  d.AddChannel(kInbox, &other);
  CHECK(d.DeliverDue()->delivered == 0);
  w.clock.Advance(std::chrono::seconds(61));
  CHECK(d.DeliverDue()->delivered == 3);  // at least once
  CHECK(d.DeliverDue()->delivered == 0);
  // The one that died comes back to finish: its claim is gone, and it says so.
  const Status late = w.store->outbox().MarkDelivered((*claimed)[0].id(), "dead-one", w.clock.Now());
  CHECK(late.code() == model::Code::kFailedPrecondition);
}

TEST_CASE("a notification whose deliverers keep dying mid-send is dead-lettered, not sent forever") {
  testing::World w;
  Pending(w, 1);
  RetryPolicy policy;
  policy.max_attempts = 3;
  for (int i = 0; i < policy.max_attempts; ++i) {
    auto claimed = w.store->outbox().Claim(kInbox, w.clock.Now(), 100,
                                           w.clock.Now() + std::chrono::minutes(1), "crashing");
    REQUIRE(claimed.ok());
    REQUIRE(claimed->size() == 3);
    w.clock.Advance(std::chrono::minutes(2));  // it died; the lease runs out
  }
  SlowChannel channel(w.clock, std::chrono::milliseconds(0));
  Deliverer d(w.store->outbox(), w.clock, policy, [] { return 0.5; });
  d.AddChannel(kInbox, &channel);
  auto r = d.DeliverDue();
  REQUIRE(r.ok());
  CHECK(r->dead == 3);
  CHECK(channel.sent().empty());
  auto dead = w.store->Read().ListOutbox({model::DELIVERY_DEAD, 0, 10});
  REQUIRE(dead.ok());
  REQUIRE(dead->size() == 3);
  CHECK((*dead)[0].last_error() == "its deliverer stopped during the last attempt");
  CHECK((*dead)[0].attempts() == 4);
}

}  // namespace notify
