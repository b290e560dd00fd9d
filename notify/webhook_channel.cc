#include "notify/webhook_channel.h"

#include "notify/http_client.h"

namespace notify {

model::Status WebhookChannel::Send(const model::Notification& n) {
  auto res = PostJson(n.address(), n.body(), {{"Idempotency-Key", n.idempotency_key()}}, timeout_);
  if (!res.ok()) return res.status();
  if (res->status < 200 || res->status > 299) {
    return model::Status::Unavailable("webhook answered HTTP " + std::to_string(res->status));
  }
  return model::Status::Ok();
}

}  // namespace notify
