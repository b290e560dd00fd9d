#include "counted_tasks_store.h"

namespace bench {

namespace {

using dispatch::StoreWriter;
using model::Result;
using model::Status;

void Count(const model::CaseState& c, int sign, std::map<std::string, int>& counts) {
  for (const model::Task& t : c.task()) {
    if (t.status() != model::TASK_OPEN || t.assignee().empty()) continue;
    if ((counts[t.assignee()] += sign) == 0) counts.erase(t.assignee());
  }
}

// Every call goes to the writer of the wrapped store's transaction, but two:
// OpenTaskCounts is answered from `counts`, and Append keeps `counts` up to date.
class Writer : public StoreWriter {
 public:
  Writer(StoreWriter& w, std::map<std::string, int>& counts) : w_(w), counts_(counts) {}

  Result<std::map<std::string, int>> OpenTaskCounts(const std::vector<std::string>& users) override {
    std::map<std::string, int> out;
    for (const auto& u : users) {
      auto it = counts_.find(u);
      out[u] = it == counts_.end() ? 0 : it->second;
    }
    return out;
  }
  Status Append(const model::CaseState* before, const model::CaseState& after,
                const std::vector<model::Event>& events) override {
    RETURN_IF_ERROR(w_.Append(before, after, events));
    if (before) Count(*before, -1, counts_);
    Count(after, +1, counts_);
    return Status::Ok();
  }

  Result<std::optional<model::CaseState>> GetCase(std::string_view number) override {
    return w_.GetCase(number);
  }
  Result<std::optional<std::string>> CaseOwner(std::string_view number) override {
    return w_.CaseOwner(number);
  }
  Result<std::vector<model::CaseState>> ListCases(const dispatch::CaseFilter& f) override {
    return w_.ListCases(f);
  }
  Result<std::vector<model::TaskView>> ListTasks(const dispatch::TaskFilter& f) override {
    return w_.ListTasks(f);
  }
  Result<std::vector<model::Event>> Timeline(std::string_view number) override {
    return w_.Timeline(number);
  }
  Result<std::optional<model::User>> GetUser(std::string_view name) override {
    return w_.GetUser(name);
  }
  Result<std::vector<model::User>> ListUsers() override { return w_.ListUsers(); }
  Result<std::vector<model::Centre>> ListCentres() override { return w_.ListCentres(); }
  Result<std::optional<std::string>> DefinitionText(std::string_view hash) override {
    return w_.DefinitionText(hash);
  }
  Status CheckPinnable(const model::LoadedDefinition& def) override { return w_.CheckPinnable(def); }
  Result<std::optional<std::string>> GetSetting(std::string_view key) override {
    return w_.GetSetting(key);
  }
  Result<std::optional<dispatch::Credential>> GetCredential(std::string_view user) override {
    return w_.GetCredential(user);
  }
  Result<std::optional<dispatch::StoredKey>> FindKey(std::string_view digest) override {
    return w_.FindKey(digest);
  }
  Result<std::vector<model::AccessKey>> ListKeys(std::string_view user) override {
    return w_.ListKeys(user);
  }
  Result<std::vector<model::Shift>> ActiveShifts(model::Instant now) override {
    return w_.ActiveShifts(now);
  }
  Result<std::vector<dispatch::RoleHolder>> OnDutyAt(model::Instant now) override {
    return w_.OnDutyAt(now);
  }
  Result<std::vector<dispatch::RoleHolder>> UserRoles() override { return w_.UserRoles(); }
  Result<std::vector<dispatch::DueTimer>> DueTimers(model::Instant now, int limit) override {
    return w_.DueTimers(now, limit);
  }
  Result<std::optional<model::Instant>> NextFiring() override { return w_.NextFiring(); }
  Result<dispatch::Backlog> CountBacklog() override { return w_.CountBacklog(); }
  Result<std::vector<model::HandoffView>> ListHandoffs(const dispatch::HandoffFilter& f) override {
    return w_.ListHandoffs(f);
  }
  Result<std::vector<model::InboxItem>> ListInbox(const std::vector<std::string>& recipients,
                                                  std::string_view reader, bool unread_only,
                                                  int limit) override {
    return w_.ListInbox(recipients, reader, unread_only, limit);
  }
  Result<std::vector<std::pair<int64_t, model::Event>>> JournalAfter(int64_t after,
                                                                     int limit) override {
    return w_.JournalAfter(after, limit);
  }
  Result<std::vector<model::InboxItem>> InboxAfter(const std::vector<std::string>& recipients,
                                                   int64_t after, int limit) override {
    return w_.InboxAfter(recipients, after, limit);
  }
  Result<std::pair<int64_t, int64_t>> LastJournalAndInbox() override {
    return w_.LastJournalAndInbox();
  }
  Status ForEachCaseJournal(
      model::Instant from, model::Instant until,
      const std::function<Status(const std::vector<model::Event>&)>& fn) override {
    return w_.ForEachCaseJournal(from, until, fn);
  }
  Result<std::vector<dispatch::JournalRow>> JournalRows(int64_t after, int limit) override {
    return w_.JournalRows(after, limit);
  }
  Result<std::vector<dispatch::JournalRow>> CaseJournalRows(std::string_view number) override {
    return w_.CaseJournalRows(number);
  }
  Result<std::optional<dispatch::JournalGap>> FirstJournalGap() override {
    return w_.FirstJournalGap();
  }
  Result<std::vector<dispatch::CaseUnlikeJournal>> CasesUnlikeJournal(int limit) override {
    return w_.CasesUnlikeJournal(limit);
  }
  Result<std::optional<model::InboxItem>> GetInboxItem(int64_t id) override {
    return w_.GetInboxItem(id);
  }
  Result<std::vector<model::Contact>> ListContacts(const dispatch::ContactFilter& f) override {
    return w_.ListContacts(f);
  }
  Result<std::map<std::string, int64_t>> CategoriesInUse() override { return w_.CategoriesInUse(); }
  Result<std::vector<dispatch::Tallied>> TallyWork(int from_year, int to_year) override {
    return w_.TallyWork(from_year, to_year);
  }
  Result<int64_t> AddContact(const model::Contact& contact) override {
    return w_.AddContact(contact);
  }
  Status AddImport(const model::ImportSummary& summary) override { return w_.AddImport(summary); }
  Result<std::optional<model::CaseState>> CaseOfEarlierRecord(std::string_view centre,
                                                              std::string_view reference) override {
    return w_.CaseOfEarlierRecord(centre, reference);
  }
  Result<std::optional<model::ImportSummary>> FindImport(std::string_view sha256) override {
    return w_.FindImport(sha256);
  }
  Result<std::vector<model::Notification>> ListOutbox(const dispatch::OutboxFilter& f) override {
    return w_.ListOutbox(f);
  }

  Result<std::string> NextCaseNumber(std::string_view centre, int year) override {
    return w_.NextCaseNumber(centre, year);
  }
  Status PutUser(const model::User& user) override { return w_.PutUser(user); }
  Status PutCentre(const model::Centre& centre) override { return w_.PutCentre(centre); }
  Status PutSetting(std::string_view key, std::string_view value) override {
    return w_.PutSetting(key, value);
  }
  Status PutCredential(std::string_view user, const dispatch::Credential& credential,
                       model::Instant now) override {
    return w_.PutCredential(user, credential, now);
  }
  Status AddKey(std::string_view digest, const model::AccessKey& key) override {
    return w_.AddKey(digest, key);
  }
  Status RevokeKey(std::string_view id, model::Instant at) override { return w_.RevokeKey(id, at); }
  Status DeferTimer(std::string_view case_number, std::string_view key,
                    model::Instant until) override {
    return w_.DeferTimer(case_number, key, until);
  }
  Status PinDefinition(const model::LoadedDefinition& def, model::Instant now) override {
    return w_.PinDefinition(def, now);
  }
  Result<std::optional<dispatch::StoredReply>> FindReply(std::string_view key) override {
    return w_.FindReply(key);
  }
  Status SaveReply(std::string_view key, const dispatch::StoredReply& reply,
                   model::Instant now) override {
    return w_.SaveReply(key, reply, now);
  }
  Status Enqueue(const model::Notification& n) override { return w_.Enqueue(n); }
  Result<int64_t> AddShift(const model::Shift& shift) override { return w_.AddShift(shift); }
  Status EndShifts(std::string_view user, model::Instant at) override {
    return w_.EndShifts(user, at);
  }
  Status MarkRead(int64_t inbox_item, std::string_view by, model::Instant at) override {
    return w_.MarkRead(inbox_item, by, at);
  }

 private:
  StoreWriter& w_;
  std::map<std::string, int>& counts_;
};

}  // namespace

Status CountedTasksStore::Write(const std::function<Status(StoreWriter&)>& body) {
  return inner_.Write([&](StoreWriter& w) {
    Writer counted(w, open_tasks_);
    return body(counted);
  });
}

std::vector<Status> CountedTasksStore::WriteGroup(
    const std::vector<std::function<Status(StoreWriter&)>>& bodies) {
  std::vector<std::function<Status(StoreWriter&)>> wrapped;
  wrapped.reserve(bodies.size());
  for (const auto& body : bodies) {
    wrapped.push_back([this, &body](StoreWriter& w) {
      Writer counted(w, open_tasks_);
      return body(counted);
    });
  }
  return inner_.WriteGroup(wrapped);
}

}  // namespace bench
