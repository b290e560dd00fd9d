// The delivery worker's claims and its time budget, with a fake clock and a
// channel that records what it was given.
#include "notify/deliverer.h"

#include <doctest/doctest.h>

#include "support/world.h"

namespace notify {
namespace {

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
                                         w.clock.Now() + std::chrono::minutes(1));
  REQUIRE(claimed.ok());
  CHECK(claimed->size() == 3);
  SlowChannel other(w.clock, std::chrono::milliseconds(0));
  Deliverer d(w.store->outbox(), w.clock, RetryPolicy(), [] { return 0.5; });
  d.AddChannel(kInbox, &other);
  CHECK(d.DeliverDue()->delivered == 0);
  w.clock.Advance(std::chrono::seconds(61));
  CHECK(d.DeliverDue()->delivered == 3);  // at least once
  CHECK(d.DeliverDue()->delivered == 0);
}

}  // namespace notify
