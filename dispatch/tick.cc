#include "dispatch/tick.h"

namespace dispatch {

model::Result<TickReport> Tick(Dispatcher& dispatcher, notify::Deliverer& deliverer,
                               const notify::DeliveryLimits& limits) {
  TickReport report;
  ASSIGN_OR_RETURN(auto fired, dispatcher.FireDueDeadlines());
  report.deadlines_fired = fired.fired;
  ASSIGN_OR_RETURN(report.delivery, deliverer.DeliverDue(limits));
  return report;
}

notify::WebhookChannel::Lookup WebhookUrls(Store& store) {
  return [&store](std::string_view centre) -> model::Result<std::string> {
    ASSIGN_OR_RETURN(auto centres, store.Read().ListCentres());
    for (const auto& c : centres) {
      if (c.code() == centre) return c.webhook_url();
    }
    return std::string();
  };
}

}  // namespace dispatch
