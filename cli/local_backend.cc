#include <random>

#include <spdlog/spdlog.h>

#include "cli/backend.h"
#include "dispatch/dispatcher.h"
#include "notify/deliverer.h"
#include "notify/inbox_channel.h"
#include "notify/notifications.h"
#include "notify/webhook_channel.h"
#include "server/server_lock.h"

namespace cli {

using model::Result;
using model::Status;

namespace {
// How long a command waits on webhooks after it is done.
constexpr model::Millis kDeliveryBudget = std::chrono::seconds(3);
}  // namespace

struct LocalBackend::Parts {
  Parts(std::unique_ptr<dispatch::SqliteStore> s, model::WorkflowCatalog& catalog,
        const model::Clock& c, std::string webhook_ca)
      : store(std::move(s)),
        clock(c),
        dispatcher(*store, catalog, clock),
        inbox(store->inbox(), clock),
        deliverer(store->outbox(), clock, notify::RetryPolicy(),
                  [rng = std::mt19937_64(std::random_device()())]() mutable {
                    return std::uniform_real_distribution<double>(0, 1)(rng);
                  }),
        webhook(dispatch::WebhookUrls(*store), std::chrono::seconds(3), std::move(webhook_ca)) {
    deliverer.AddChannel(notify::kInbox, &inbox);
    deliverer.AddChannel(notify::kWebhook, &webhook, /*batch=*/1);
  }
  std::unique_ptr<dispatch::SqliteStore> store;
  const model::Clock& clock;
  dispatch::Dispatcher dispatcher;
  notify::InboxChannel inbox;
  notify::Deliverer deliverer;
  notify::WebhookChannel webhook;
};

Result<std::unique_ptr<LocalBackend>> LocalBackend::Open(const std::string& db,
                                                         dispatch::SqliteStore::Mode mode,
                                                         model::WorkflowCatalog& catalog,
                                                         const model::Clock& clock,
                                                         std::string as, std::string webhook_ca) {
  ASSIGN_OR_RETURN(auto store, dispatch::SqliteStore::Open(db, mode));
  std::unique_ptr<LocalBackend> b(new LocalBackend());
  b->parts_ = std::make_unique<Parts>(std::move(store), catalog, clock, std::move(webhook_ca));
  b->dispatcher_ = &b->parts_->dispatcher;
  b->db_ = db;
  b->as_ = std::move(as);
  return b;
}

LocalBackend::~LocalBackend() = default;

Result<dispatch::Actor> LocalBackend::Me() { return dispatcher_->ResolveActor(as_); }

Result<model::CommandReply> LocalBackend::Execute(const model::Command& command) {
  // A server holding the database does every write to it (and fires its
  // deadlines and delivers its notifications): an embedded write is refused.
  if (server::ServerLock::Held(db_)) {
    return Status::FailedPrecondition("a dispatch server is running on " + db_ +
                                      "; send commands to the server (--server URL), not to "
                                      "its file");
  }
  return dispatcher_->Execute(command, as_);
}

Status LocalBackend::Read(const dispatch::ReadRequest& request,
                          google::protobuf::Message& answer) {
  dispatch::Actor actor;
  if (dispatch::NeedsActor(request)) {
    ASSIGN_OR_RETURN(actor, Me());
  }
  ASSIGN_OR_RETURN(auto got, dispatch::Read(*dispatcher_, actor, request));
  if (got->GetDescriptor() != answer.GetDescriptor()) {
    return Status::Internal(request.Target() + " answers " + got->GetDescriptor()->name() +
                            ", not " + answer.GetDescriptor()->name());
  }
  answer.CopyFrom(*got);
  return Status::Ok();
}

const model::WorkflowDefinition* LocalBackend::Definition(const model::DefinitionRef& ref) {
  auto def = dispatcher_->DefinitionByHash(ref.content_hash());
  return def.ok() ? &(*def)->definition : nullptr;
}

void LocalBackend::AfterCommand() {
  // Scenarios run on a virtual clock; once real work is done here they
  // must not run here again.
  if (Status s = dispatcher_->NoteLiveWork(); !s.ok()) {
    spdlog::warn("could not note live work in the database: {}", s.message());
  }
  auto fired = dispatcher_->FireDueDeadlines();
  if (!fired.ok()) spdlog::warn("deadlines could not fire now: {}", fired.status().message());
  auto sent = parts_->deliverer.DeliverDue({200, kDeliveryBudget});
  if (!sent.ok()) spdlog::warn("notifications could not go out now: {}", sent.status().message());
}

Result<dispatch::TickReport> LocalBackend::Tick(model::Millis budget) {
  if (server::ServerLock::Held(db_)) {
    return Status::FailedPrecondition("a dispatch server is running on " + db_ +
                                      ": it fires deadlines and delivers by itself");
  }
  return dispatch::Tick(*dispatcher_, parts_->deliverer, {200, budget});
}

}  // namespace cli
