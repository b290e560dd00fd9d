// The store: the append-only journal of case events, the projections built
// from it (cases, tasks), and the reference data (centres, users, pinned
// definitions). One interface, so that the SQLite file behind it can become a
// replicated database without the engine noticing.
#ifndef DISPATCH_STORE_H_
#define DISPATCH_STORE_H_

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "dispatch/journal_chain.h"
#include "dispatch/report.h"
#include "model/proto/case.pb.h"
#include "model/proto/contact.pb.h"
#include "model/proto/command.pb.h"
#include "model/proto/directory.pb.h"
#include "model/proto/event.pb.h"
#include "model/proto/notification.pb.h"
#include "model/status.h"
#include "model/time.h"
#include "model/workflow_loader.h"
#include "notify/outbox.h"

namespace dispatch {

struct CaseFilter {
  std::string centre;                 // empty: every centre
  std::optional<model::CaseStatus> status;  // empty: any status
  std::string type;                   // empty: any type
  // Only cases this centre may take part in: its own, and those with a
  // handoff from or to it (the store's narrowing; access.h decides).
  std::string involving;
  std::string after;  // newest first, from the one after this case number
  int limit = 0;      // 0: all
  std::string related_to;  // only cases opened as related to this one
  // Only cases waiting for a booked day (model::WaitForDay), soonest first;
  // not paged by `after`.
  bool waiting = false;
  // What the yearly report counts a case by: opened in [opened_from,
  // opened_until) (zero: no bound), its category ("" is counted as none
  // said), the legal-advice service's.
  model::Instant opened_from{};
  model::Instant opened_until{};
  std::optional<std::string> category;
  std::optional<bool> legal_advice;
};

struct TaskFilter {
  std::string centre;       // of the case; empty: every centre
  std::string assignee;     // empty: anyone (or no one)
  std::string case_number;  // empty: every case
  bool open_only = true;
  std::string involving;    // only tasks worked at this centre or of its cases
  int limit = 0;            // the most urgent this many; 0: all
};

// Every task of every case, open or not.
inline TaskFilter AnyTask() {
  TaskFilter f;
  f.open_only = false;
  return f;
}

struct OutboxFilter {
  std::optional<model::DeliveryStatus> status;  // empty: any status
  int64_t before_id = 0;                        // only older ones than this; 0: from the newest
  int limit = 50;
};

// Contacts logged at a centre in a span of time, newest first.
struct ContactFilter {
  std::string centre;          // empty: every centre
  model::Instant from{};       // at or after
  model::Instant until{};      // before; zero: no end
  int64_t before_id = 0;       // only older ones than this; 0: from the newest
  int limit = 50;
  std::optional<std::string> category;  // as CaseFilter's
  std::optional<bool> legal_advice;
};

struct HandoffFilter {
  std::string centre;  // handoffs from or to this centre; empty: all
  bool pending_only = true;
};

// A timer whose time has come, as the store knows it.
struct DueTimer {
  std::string case_number;
  std::string key;
  int64_t generation = 0;
  model::Instant next_at{};  // when it was to fire
};

// How much is waiting, for a server's metrics.
struct Backlog {
  int64_t timers = 0;  // armed and not paused
  std::map<model::DeliveryStatus, int64_t> outbox;
};

// Where a case's event numbers first jump: the event `missing_from` is not in
// the journal, the one after the gap is `seq` at journal row `row`.
struct JournalGap {
  std::string case_number;
  int64_t missing_from = 0;
  int64_t seq = 0;
  int64_t row = 0;
};

// A case whose stored state and journal disagree on how many events it has.
struct CaseUnlikeJournal {
  std::string case_number;
  int64_t events_stored = 0;      // the stored case's last event number (0: no case row)
  int64_t events_in_journal = 0;  // its journal's last
  int64_t first_unstored_row = 0; // the journal row of the first event the stored case lacks
};

struct RebuildReport {
  int cases = 0;                     // rebuilt
  std::vector<std::string> damaged;  // case numbers whose journal cannot be read
};

// A user's password, as stored.
struct Credential {
  std::string hash;  // model::HashPassword's
  bool must_change = false;
};

// An access key as stored: found by the digest of its secret.
struct StoredKey {
  model::AccessKey key;  // without its secret
  bool revoked = false;
};

// A reply stored under an idempotency key.
struct StoredReply {
  std::string fingerprint;  // what the command was; a different command reusing the key is refused
  model::CommandReply reply;
};

// A person in a role at a centre: on duty (the duty role) or as a user.
struct RoleHolder {
  std::string user;
  std::string centre;
  std::string role;
};

class StoreReader {
 public:
  virtual ~StoreReader() = default;

  // The codes of the centres, for checking one a command names.
  model::Result<std::set<std::string>> CentreCodes() {
    ASSIGN_OR_RETURN(auto centres, ListCentres());
    std::set<std::string> out;
    for (const auto& c : centres) out.insert(c.code());
    return out;
  }

  virtual model::Result<std::optional<model::CaseState>> GetCase(std::string_view number) = 0;
  // The centre that opened a case, read without reading the case itself
  // (which may be damaged); nullopt when there is no such case.
  virtual model::Result<std::optional<std::string>> CaseOwner(std::string_view number) = 0;
  // Newest first.
  virtual model::Result<std::vector<model::CaseState>> ListCases(const CaseFilter& filter) = 0;
  // Ordered by due time (tasks without one last), then case and task number.
  virtual model::Result<std::vector<model::TaskView>> ListTasks(const TaskFilter& filter) = 0;
  // The case's journal in order.
  virtual model::Result<std::vector<model::Event>> Timeline(std::string_view number) = 0;
  virtual model::Result<std::optional<model::User>> GetUser(std::string_view name) = 0;
  // The case entered from `centre`'s earlier record `reference`, if one was.
  virtual model::Result<std::optional<model::CaseState>> CaseOfEarlierRecord(
      std::string_view centre, std::string_view reference) = 0;
  // The import of the file with this SHA-256 (hex), if one was made.
  virtual model::Result<std::optional<model::ImportSummary>> FindImport(
      std::string_view sha256) = 0;
  virtual model::Result<std::vector<model::User>> ListUsers() = 0;
  virtual model::Result<std::vector<model::Centre>> ListCentres() = 0;
  // The text of a pinned definition.
  virtual model::Result<std::optional<std::string>> DefinitionText(std::string_view hash) = 0;
  // FailedPrecondition when cases already run on other content under the
  // name and version of `def` (a file changed without raising its version).
  virtual model::Status CheckPinnable(const model::LoadedDefinition& def) = 0;
  // A setting of the database as a whole (see Dispatcher::Initialize).
  virtual model::Result<std::optional<std::string>> GetSetting(std::string_view key) = 0;
  virtual model::Result<std::optional<Credential>> GetCredential(std::string_view user) = 0;
  // The key whose secret has SHA-256 `digest`.
  virtual model::Result<std::optional<StoredKey>> FindKey(std::string_view digest) = 0;
  // Keys of `user` (every user's when empty), newest first; revoked ones left out.
  virtual model::Result<std::vector<model::AccessKey>> ListKeys(std::string_view user) = 0;

  // Shifts running at `now`, by centre and user.
  virtual model::Result<std::vector<model::Shift>> ActiveShifts(model::Instant now) = 0;
  // The same as who holds which duty role where, and every user with their
  // own centre and role (by centre and name): read from the tables'
  // columns, no record parsed, for giving out work and escalating.
  virtual model::Result<std::vector<RoleHolder>> OnDutyAt(model::Instant now) = 0;
  virtual model::Result<std::vector<RoleHolder>> UserRoles() = 0;
  // Open tasks held by each of `users`, across all cases.
  virtual model::Result<std::map<std::string, int>> OpenTaskCounts(
      const std::vector<std::string>& users) = 0;
  // Timers (not paused) whose next firing is at or before `now`, earliest first.
  virtual model::Result<std::vector<DueTimer>> DueTimers(model::Instant now, int limit) = 0;
  // When the earliest timer fires next; nullopt when none is to.
  virtual model::Result<std::optional<model::Instant>> NextFiring() = 0;
  virtual model::Result<Backlog> CountBacklog() = 0;
  // Newest first.
  virtual model::Result<std::vector<model::HandoffView>> ListHandoffs(const HandoffFilter& f) = 0;
  // Newest first. A message to a centre is read or unread for each of its
  // people: `reader` is whose marks count (empty: nobody's, only a message
  // to one person is then read).
  virtual model::Result<std::vector<model::InboxItem>> ListInbox(
      const std::vector<std::string>& recipients, std::string_view reader, bool unread_only,
      int limit) = 0;
  virtual model::Result<std::optional<model::InboxItem>> GetInboxItem(int64_t id) = 0;
  // Newest first.
  virtual model::Result<std::vector<model::Notification>> ListOutbox(const OutboxFilter& f) = 0;
  virtual model::Result<std::vector<model::Contact>> ListContacts(const ContactFilter& f) = 0;
  // Contacts logged and cases opened in the Hong Kong years `from_year`
  // through `to_year`, counted by month, centre, category and service.
  virtual model::Result<std::vector<Tallied>> TallyWork(int from_year, int to_year) = 0;
  // How many contacts and cases carry each category code (empty: none), for
  // checking that a category in use is not deleted from the file.
  virtual model::Result<std::map<std::string, int64_t>> CategoriesInUse() = 0;

  // For a server's stream of changes. Journal rows after row `after`,
  // oldest first, with their row ids; a row that cannot be read is named in
  // the log and comes as an event of no case.
  virtual model::Result<std::vector<std::pair<int64_t, model::Event>>> JournalAfter(int64_t after,
                                                                                    int limit) = 0;
  // Inbox messages to `recipients` after message `after`, oldest first.
  virtual model::Result<std::vector<model::InboxItem>> InboxAfter(
      const std::vector<std::string>& recipients, int64_t after, int limit) = 0;
  // The newest journal row and inbox message (0 when there are none).
  virtual model::Result<std::pair<int64_t, int64_t>> LastJournalAndInbox() = 0;

  // The whole journal of each case with an event in [from, until), a case
  // at a time, in order; a row that cannot be read is named in the log and
  // left out. For the service figures.
  virtual model::Status ForEachCaseJournal(
      model::Instant from, model::Instant until,
      const std::function<model::Status(const std::vector<model::Event>&)>& fn) = 0;

  // For checking the journal's hash chain (journal_chain.h): rows after row
  // `after`, oldest first, every column, nothing parsed.
  virtual model::Result<std::vector<JournalRow>> JournalRows(int64_t after, int limit) = 0;
  // One case's rows, by event number.
  virtual model::Result<std::vector<JournalRow>> CaseJournalRows(std::string_view number) = 0;
  // The first case (by number) whose journal does not number its events 1,
  // 2, 3... without a gap, and where; nullopt when none.
  virtual model::Result<std::optional<JournalGap>> FirstJournalGap() = 0;
  // Up to `limit` cases whose stored state and journal disagree on their
  // last event, by case number. The engine writes both in one transaction:
  // a journal short of its case lost its last rows; one beyond it (or a
  // journal with no case) had rows put in behind the engine's back.
  virtual model::Result<std::vector<CaseUnlikeJournal>> CasesUnlikeJournal(int limit) = 0;
};

// Writes, valid only inside Store::Write.
class StoreWriter : public StoreReader {
 public:
  // Reserves the next case number of `centre` for `year`: "SZ-2026-0007".
  virtual model::Result<std::string> NextCaseNumber(std::string_view centre, int year) = 0;
  // Appends `events` to the journal and stores `after`, the case with them
  // applied to `before` (null for a new case): only the task and handoff
  // rows that differ from `before`'s are written.
  virtual model::Status Append(const model::CaseState* before, const model::CaseState& after,
                               const std::vector<model::Event>& events) = 0;
  virtual model::Status PutUser(const model::User& user) = 0;
  virtual model::Status PutCentre(const model::Centre& centre) = 0;
  virtual model::Status PutSetting(std::string_view key, std::string_view value) = 0;
  virtual model::Status PutCredential(std::string_view user, const Credential& credential,
                                      model::Instant now) = 0;
  // Stores `key` (its secret cleared) under the digest of its secret.
  virtual model::Status AddKey(std::string_view digest, const model::AccessKey& key) = 0;
  // NotFound when there is no such key.
  virtual model::Status RevokeKey(std::string_view id, model::Instant at) = 0;
  // Moves a timer's next firing to `until` in the timers table alone (a
  // rebuild restores it): for a case that cannot be read now, so that its
  // timers do not take every firing's turn.
  virtual model::Status DeferTimer(std::string_view case_number, std::string_view key,
                                   model::Instant until) = 0;
  // Keeps the text of a definition a case is pinned to (no-op when kept already).
  virtual model::Status PinDefinition(const model::LoadedDefinition& def, model::Instant now) = 0;
  virtual model::Result<std::optional<StoredReply>> FindReply(std::string_view key) = 0;
  virtual model::Status SaveReply(std::string_view key, const StoredReply& reply,
                                  model::Instant now) = 0;
  // Adds a notification to the outbox (in this transaction, with its event).
  virtual model::Status Enqueue(const model::Notification& n) = 0;
  virtual model::Result<int64_t> AddShift(const model::Shift& shift) = 0;
  // Ends every shift of `user` running at `at`.
  virtual model::Status EndShifts(std::string_view user, model::Instant at) = 0;
  // Marks a message read: for its one recipient, or, sent to a centre, for
  // `by` alone (the centre's others still have it to read).
  virtual model::Status MarkRead(int64_t inbox_item, std::string_view by, model::Instant at) = 0;
  // Stores a contact and answers its id.
  virtual model::Result<int64_t> AddContact(const model::Contact& contact) = 0;
  // Keeps what an import entered, by its file's SHA-256 (one import a file).
  virtual model::Status AddImport(const model::ImportSummary& summary) = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Reads outside any write (each call sees committed data).
  virtual StoreReader& Read() = 0;

  // Runs `body` in one write transaction. Everything it wrote is durable when
  // Write returns OK; nothing it wrote remains when `body` returns an error,
  // which Write then returns.
  virtual model::Status Write(const std::function<model::Status(StoreWriter&)>& body) = 0;

  // Group commit: runs each body in one write transaction, each inside its
  // own savepoint. A body that fails is undone alone and its error is its
  // result; the others commit together, durable when this returns. If the
  // commit itself fails, every result is that failure.
  virtual std::vector<model::Status> WriteGroup(
      const std::vector<std::function<model::Status(StoreWriter&)>>& bodies) = 0;

  // Rebuilds the case, task, timer and handoff projections from the journal
  // alone. A case whose journal cannot be read back keeps the rows it had and
  // is named in the report; the others are rebuilt all the same.
  virtual model::Result<RebuildReport> RebuildProjections() = 0;

  // For the delivery worker: each call its own transaction.
  virtual notify::Outbox& outbox() = 0;
  virtual notify::InboxStore& inbox() = 0;
};

}  // namespace dispatch

#endif  // DISPATCH_STORE_H_
