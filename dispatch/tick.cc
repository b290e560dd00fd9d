#include "dispatch/tick.h"

namespace dispatch {

model::Result<TickReport> Tick(Dispatcher& dispatcher, notify::Deliverer& deliverer) {
  TickReport report;
  ASSIGN_OR_RETURN(report.deadlines_fired, dispatcher.FireDueDeadlines());
  ASSIGN_OR_RETURN(report.delivery, deliverer.DeliverDue());
  return report;
}

}  // namespace dispatch
