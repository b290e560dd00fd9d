#include "server/delivery_worker.h"

#include <random>

#include <spdlog/spdlog.h>

#include "dispatch/tick.h"

namespace server {

DeliveryWorker::DeliveryWorker(std::unique_ptr<dispatch::SqliteStore> store,
                               const model::Clock& clock, model::Millis webhook_timeout,
                               std::string webhook_ca, std::function<void()> delivered,
                               model::Millis poll)
    : delivered_(std::move(delivered)),
      store_(std::move(store)),
      inbox_(store_->inbox(), clock),
      webhook_(dispatch::WebhookUrls(*store_), webhook_timeout, std::move(webhook_ca)),
      deliverer_(store_->outbox(), clock, notify::RetryPolicy(),
                 [rng = std::mt19937_64(std::random_device()())]() mutable {
                   return std::uniform_real_distribution<double>(0, 1)(rng);
                 }),
      poll_(poll) {
  deliverer_.AddChannel(notify::kInbox, &inbox_);
  deliverer_.AddChannel(notify::kWebhook, &webhook_, /*batch=*/1);
}

DeliveryWorker::~DeliveryWorker() { Stop(); }

void DeliveryWorker::Start() { thread_ = std::thread([this] { Loop(); }); }

void DeliveryWorker::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DeliveryWorker::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    woken_ = true;
  }
  cv_.notify_one();
}

void DeliveryWorker::Loop() {
  for (;;) {
    // A batch of inbox messages (one transaction) or of webhooks, starting
    // no send after half a second, so that Stop waits for half a second and
    // one send at most.
    auto r = deliverer_.DeliverDue({20, std::chrono::milliseconds(500)});
    const bool busy = r.ok() && (r->delivered + r->retrying + r->dead) > 0;
    if (!r.ok()) spdlog::warn("notifications could not go out now: {}", r.status().message());
    if (r.ok() && r->delivered > 0) delivered_();
    std::unique_lock<std::mutex> lock(mu_);
    if (stopping_) return;
    if (busy) continue;
    cv_.wait_for(lock, poll_, [&] { return stopping_ || woken_; });
    woken_ = false;
    if (stopping_) return;
  }
}

}  // namespace server
