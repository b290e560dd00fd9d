#include "notify/webhook_channel.h"

#include "notify/http_client.h"
#include "notify/notifications.h"

namespace notify {

model::Status WebhookChannel::Send(const model::Notification& n) {
  const std::string centre = CentreOf(n);
  ASSIGN_OR_RETURN(const std::string url, lookup_(centre));
  if (url.empty()) {
    return model::Status::FailedPrecondition("centre " + centre + " has no webhook now");
  }
  HttpRequest req;
  req.url = url;
  req.body = n.body();
  req.headers = {{"Idempotency-Key", n.idempotency_key()}};
  req.timeout = timeout_;
  req.ca_file = ca_file_;
  auto res = Fetch(req);
  if (!res.ok()) return model::Status(res.status().code(), "webhook " + res.status().message());
  if (res->status < 200 || res->status > 299) {
    return model::Status::Unavailable("webhook answered HTTP " + std::to_string(res->status));
  }
  return model::Status::Ok();
}

}  // namespace notify
