// The Dispatcher is the one door every surface (CLI, HTTP, scenarios) uses:
// it authenticates nothing, but looks up the actor, runs Decide on the
// command inside one store transaction, appends the events with the
// notifications they cause, and answers.
//
// Also the read side, with the same access rules, and the firing of due
// deadlines.
#ifndef DISPATCH_DISPATCHER_H_
#define DISPATCH_DISPATCHER_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dispatch/access.h"
#include "dispatch/roster.h"
#include "dispatch/store.h"
#include "model/proto/command.pb.h"
#include "model/status.h"
#include "model/time.h"
#include "model/workflow_catalog.h"

namespace dispatch {

// What a database holds. Scenarios run in virtual time: their clock would
// fire a real database's deadlines and move its timers, so they run only in
// databases made for them.
enum class DatabasePurpose { kLiveWork, kScenarios };

// What firing the due deadlines did.
struct FiringReport {
  int fired = 0;                      // firings that did something
  std::vector<model::Millis> late;    // for each timer taken: from its time to now
  bool more = false;                  // `limit` timers were due: there may be others
};

// Not thread-safe. REQUIRES: store, catalog and clock outlive it.
class Dispatcher {
 public:
  Dispatcher(Store& store, model::WorkflowCatalog& catalog, const model::Clock& clock)
      : store_(store), catalog_(catalog), clock_(clock) {}

  // Creates the six centres and the first admin user in an empty database,
  // made for `purpose`. AlreadyExists when it has centres already.
  // FailedPrecondition when cases in the database already run on other
  // content under the name and version of `def` (`workflow validate --pinned`).
  model::Status CheckPinnable(const model::LoadedDefinition& def) {
    return store_.Read().CheckPinnable(def);
  }

  model::Status Initialize(std::string_view admin_name,
                           DatabasePurpose purpose = DatabasePurpose::kLiveWork);
  // What the database was made for; those made before it was recorded hold
  // live work.
  model::Result<DatabasePurpose> Purpose();
  // Records that live work (a command on the real clock) was done in the
  // database: from then on scenarios refuse it. Writes only the first time.
  model::Status NoteLiveWork();

  // Runs one command as `actor_name`. The reply is durable when returned; a
  // refused command has written nothing. A retry with the same idempotency
  // key returns the first reply (replayed = true) and writes nothing.
  model::Result<model::CommandReply> Execute(const model::Command& command,
                                             std::string_view actor_name);
  // The same, as an actor already authenticated (the server's sessions).
  model::Result<model::CommandReply> ExecuteAs(const model::Command& command, const Actor& actor);

  // Group commit: runs `batch` in one transaction, a savepoint each. A
  // refused command writes nothing and does not sink the others; every reply
  // is durable when this returns. Replies in the order of `batch`.
  // REQUIRES: what the submissions point to outlives the call.
  struct Submission {
    const model::Command* command;
    const Actor* actor;
  };
  std::vector<model::Result<model::CommandReply>> ExecuteGroup(
      const std::vector<Submission>& batch);

  // Fires up to `limit` timers whose time has come (in one transaction, a
  // savepoint each) and returns how many did something. Stale firings do nothing; a case
  // that cannot be read is named in the log and skipped.
  model::Result<FiringReport> FireDueDeadlines(int limit = 500);

  // Rebuilds the projections from the journal (admins only).
  model::Result<RebuildReport> Rebuild(const Actor& actor);

  // Accounts. Signing in with a user name and password makes a session key
  // (its secret comes back once); a wrong name or password answers the same
  // PermissionDenied. Slow on purpose (scrypt), and outside any transaction.
  model::Result<model::AccessKey> Login(std::string_view user, std::string_view password);
  // Login's two halves, for a server that checks passwords on one thread
  // (reading only, slowly) and writes on another: whether the password is
  // right (answering whether it must be changed), and the session's making.
  model::Result<bool> CheckPassword(std::string_view user, std::string_view password);
  model::Result<model::AccessKey> StartSession(std::string_view user, bool must_change);
  // The actor a session's or token's secret stands for: PermissionDenied,
  // the same words for all, when it is unknown, revoked or expired.
  model::Result<Actor> Authenticate(std::string_view secret);
  // Ends the session or token whose secret this is.
  model::Status Logout(std::string_view secret);
  // The actor's keys (an admin's: `user`'s, or everyone's when empty).
  model::Result<std::vector<model::AccessKey>> ListKeys(const Actor& actor, std::string_view user);

  // The actor a user name stands for; NotFound for an unknown name.
  model::Result<Actor> ResolveActor(std::string_view user_name);

  // Reads, as `actor`: NotFound for a case that does not exist or that the
  // actor may not see, in the same words; lists hold only what the actor may
  // see.
  model::Result<model::CaseState> GetCase(const Actor& actor, std::string_view number);
  model::Result<std::vector<model::CaseState>> ListCases(const Actor& actor,
                                                         const CaseFilter& filter);
  model::Result<std::vector<model::TaskView>> ListTasks(const Actor& actor,
                                                        const TaskFilter& filter);
  model::Result<std::vector<model::Event>> Timeline(const Actor& actor, std::string_view number);
  // Handoffs from or to the actor's centre (supervisors: all).
  model::Result<std::vector<model::HandoffView>> ListHandoffs(const Actor& actor, bool pending_only);
  // The actor's own inbox and their centre's, newest first, `limit` at most.
  model::Result<std::vector<model::InboxItem>> ListInbox(const Actor& actor, bool unread_only,
                                                         int limit = 100);
  // What the outbox holds that the actor may see (see access.h), newest first.
  model::Result<std::vector<model::Notification>> ListOutbox(
      const Actor& actor, std::optional<model::DeliveryStatus> status, int limit);
  // Contacts logged, newest first: supervisors and admins any centre's (all
  // when `f.centre` is empty), others their own centre's only.
  model::Result<std::vector<model::Contact>> ListContacts(const Actor& actor, ContactFilter f);
  // The yearly report (dispatch/report.h): supervisors and admins for any
  // centre or the network; others for their own centre only.
  model::Result<model::YearReport> YearReport(const Actor& actor, YearReportRequest req);
  // The service figures of a Hong Kong year (dispatch/service_figures.h),
  // for `centre` (empty: the network), with the same access as YearReport.
  model::Result<model::ServiceFigures> ServiceFigures(const Actor& actor, int year,
                                                      std::string centre);
  // The centres, with webhook URLs for admins only.
  model::Result<std::vector<model::Centre>> ListCentres(const Actor& actor);
  // Who is on duty now, at every centre.
  model::Result<std::vector<model::Shift>> OnDuty(const Actor& actor);
  model::Result<std::vector<model::User>> ListUsers(const Actor& actor);

  // The definition a case runs on (its pinned version).
  model::Result<const model::LoadedDefinition*> DefinitionOf(const model::CaseState& c);
  // A definition by its content hash, one a case may have pinned since it
  // changed on disk; NotFound when no case or file has it.
  model::Result<const model::LoadedDefinition*> DefinitionByHash(std::string_view hash);

  Store& store() { return store_; }
  model::WorkflowCatalog& catalog() { return catalog_; }
  const model::Clock& clock() const { return clock_; }

 private:
  model::Status Apply(StoreWriter& w, const model::Command& command, const Actor& actor,
                      model::Instant now, const std::string& prepared, model::CommandReply& reply);
  model::Result<model::CommandReply> ExecuteIn(StoreWriter& w, const model::Command& command,
                                               const Actor& actor, model::Instant now,
                                               const std::string& prepared);
  model::Result<model::CommandReply> ExecuteCaseCommand(StoreWriter& w,
                                                        const model::Command& command,
                                                        const Actor& actor, model::Instant now);
  model::Result<const model::LoadedDefinition*> PinnedDefinition(StoreReader& r,
                                                                 const model::DefinitionRef& ref);
  model::Status CheckFilter(std::string_view centre, std::string_view type);

  Store& store_;
  model::WorkflowCatalog& catalog_;
  const model::Clock& clock_;
  // What the commands of the group being written read as the group has left
  // it: taken once, and again only after a command that may have changed it.
  // Empty outside ExecuteGroup. A burst of firings reads each once per group,
  // not once each.
  struct GroupReads {
    // Its loads moved by each command that moves a task; taken again after a
    // directory command (duty may have changed) or one that failed (its
    // writes undone).
    std::optional<Roster> roster;
    // Each centre's webhook, by centre code: again after a directory command
    // or one that failed.
    std::optional<std::map<std::string, std::string>> webhooks;
  };
  GroupReads group_;
};

// The case number a command is about ("" for commands about no case).
std::string CaseNumberOf(const model::Command& command);

}  // namespace dispatch

#endif  // DISPATCH_DISPATCHER_H_
