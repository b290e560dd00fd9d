// Delivers notifications off the request path: a thread of its own with its
// own database connection, so that a slow or dead webhook never delays a
// command or a read. Woken after each commit, and every few seconds for
// retries that have come due.
#ifndef SERVER_DELIVERY_WORKER_H_
#define SERVER_DELIVERY_WORKER_H_

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "dispatch/sqlite_store.h"
#include "model/time.h"
#include "notify/deliverer.h"
#include "notify/inbox_channel.h"
#include "notify/webhook_channel.h"

namespace server {

class DeliveryWorker {
 public:
  // REQUIRES: clock outlives it. `webhook_timeout` bounds one POST;
  // `webhook_ca`: see WebhookChannel;
  // `delivered` is called on the worker's thread after something went out
  // (an inbox message may be there to show).
  DeliveryWorker(std::unique_ptr<dispatch::SqliteStore> store, const model::Clock& clock,
                 model::Millis webhook_timeout, std::string webhook_ca = "",
                 std::function<void()> delivered = [] {},
                 model::Millis poll = std::chrono::seconds(2));
  ~DeliveryWorker();

  void Start();
  // Stops after the send under way, if any.
  void Stop();
  // Something may wait: look now.
  void Wake();

 private:
  void Loop();
  std::function<void()> delivered_;

  std::unique_ptr<dispatch::SqliteStore> store_;
  notify::InboxChannel inbox_;
  notify::WebhookChannel webhook_;
  notify::Deliverer deliverer_;
  model::Millis poll_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace server

#endif  // SERVER_DELIVERY_WORKER_H_
