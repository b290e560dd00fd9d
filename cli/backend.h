// Where the command line's commands and reads go: the engine on a local
// database file (embedded), or a dispatch server over HTTP (--server). Both
// take the same Command messages and answer reads through dispatch/reads.h,
// so what the command line prints is the same either way.
#ifndef CLI_BACKEND_H_
#define CLI_BACKEND_H_

#include <map>
#include <memory>
#include <string>

#include <google/protobuf/message.h>

#include "dispatch/access.h"
#include "dispatch/reads.h"
#include "dispatch/sqlite_store.h"
#include "dispatch/tick.h"
#include "model/proto/command.pb.h"
#include "model/proto/workflow.pb.h"
#include "model/status.h"
#include "model/time.h"
#include "model/workflow_catalog.h"

namespace cli {

class Backend {
 public:
  virtual ~Backend() = default;

  // Who is asking: --as on a local file; whoever the token is for on a server.
  virtual model::Result<dispatch::Actor> Me() = 0;
  // Runs a command; the reply is durable when returned.
  virtual model::Result<model::CommandReply> Execute(const model::Command& command) = 0;
  // Fills `answer`, of the message type dispatch/reads.h names for the path.
  virtual model::Status Read(const dispatch::ReadRequest& request,
                             google::protobuf::Message& answer) = 0;
  // The definition a case is pinned to; null when it cannot be had.
  virtual const model::WorkflowDefinition* Definition(const model::DefinitionRef& ref) = 0;
  // After a command changed something: what a server does by itself
  // (deadlines, delivery) done briefly here. Never fails the command.
  virtual void AfterCommand() {}
  // A command or read only a local file can answer (init, tick, rebuild).
  virtual bool local() const = 0;

  template <class Message>
  model::Result<Message> Get(const dispatch::ReadRequest& request) {
    Message m;
    RETURN_IF_ERROR(Read(request, m));
    return m;
  }
};

// The engine on a database file, in this process. Opening writes nothing:
// reads and refused commands leave the file as it was.
class LocalBackend : public Backend {
 public:
  // REQUIRES: catalog and clock outlive it.
  static model::Result<std::unique_ptr<LocalBackend>> Open(const std::string& db,
                                                           dispatch::SqliteStore::Mode mode,
                                                           model::WorkflowCatalog& catalog,
                                                           const model::Clock& clock,
                                                           std::string as,
                                                           std::string webhook_ca = "");
  ~LocalBackend() override;

  model::Result<dispatch::Actor> Me() override;
  model::Result<model::CommandReply> Execute(const model::Command& command) override;
  model::Status Read(const dispatch::ReadRequest& request,
                     google::protobuf::Message& answer) override;
  const model::WorkflowDefinition* Definition(const model::DefinitionRef& ref) override;
  // Fires the deadlines that fell due and delivers what is due, webhooks
  // for a few seconds at most; `dispatch tick` (from cron) or a server does
  // the rest. Failures are warnings: the command is committed already.
  void AfterCommand() override;
  bool local() const override { return true; }

  // Fires due deadlines and delivers for at most `budget` (`dispatch tick`).
  model::Result<dispatch::TickReport> Tick(model::Millis budget);
  dispatch::Dispatcher& dispatcher() { return *dispatcher_; }

 private:
  LocalBackend() = default;
  struct Parts;
  std::unique_ptr<Parts> parts_;
  dispatch::Dispatcher* dispatcher_ = nullptr;
  std::string db_;
  std::string as_;
};

struct RemoteOptions {
  std::string url;      // http[s]://host:port of `dispatch serve`
  std::string token;    // a bearer token (`dispatch token create`)
  std::string ca_file;  // https: trust this PEM file instead of the system's CAs
  std::string as;       // --as, when given: must be the token's user
};

// A client of `dispatch serve`: commands are POSTed as JSON to /v1/commands,
// reads are GETs of /v1/PATH; the server's {code, message} errors come back
// as the same Status the engine would have given.
std::unique_ptr<Backend> RemoteBackend(RemoteOptions options);

}  // namespace cli

#endif  // CLI_BACKEND_H_
