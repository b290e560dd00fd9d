#include "filler.h"

#include <cstdio>
#include <filesystem>

namespace bench {

using model::Result;
using model::Status;

namespace {

std::string Officer(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "bench_do%02d", i);
  return buf;
}

constexpr char kSupervisor[] = "bench_sup";

}  // namespace

model::Command OpenCommand(const std::string& type) {
  model::Command c;
  auto* o = c.mutable_open_case();
  o->set_type(type);
  o->set_centre("SZ");
  // Synthetic person; the HKID is the README's example.
  o->mutable_person()->set_name_zh("陳大文");
  o->mutable_person()->set_name_en("CHAN Tai Man");
  o->mutable_person()->set_hkid("A123456(3)");
  o->set_summary("benchmark case");
  return c;
}

Filler::Filler(std::unique_ptr<dispatch::SqliteStore> store, model::WorkflowCatalog& catalog,
               model::Instant at)
    : sqlite_(std::move(store)),
      store_(*sqlite_),
      clock_(at),
      dispatcher_(store_, catalog, clock_) {}

Result<std::unique_ptr<Filler>> Filler::Create(const std::string& path,
                                               model::WorkflowCatalog& catalog,
                                               model::Instant setup_at) {
  if (std::filesystem::exists(path)) {
    return Status::AlreadyExists(path + " exists already; the bench fills new databases only");
  }
  ASSIGN_OR_RETURN(auto sqlite, dispatch::SqliteStore::Open(path, dispatch::SqliteStore::Mode::kCreate));
  std::unique_ptr<Filler> f(new Filler(std::move(sqlite), catalog, setup_at));
  RETURN_IF_ERROR(f->dispatcher_.Initialize("admin"));
  std::vector<std::pair<std::string, std::string>> users;  // name, role
  for (int i = 1; i <= kOfficers; ++i) users.emplace_back(Officer(i), "duty_officer");
  users.emplace_back(kSupervisor, "supervisor");
  for (const auto& [name, role] : users) {
    model::Command add;
    add.mutable_add_user()->set_name(name);
    add.mutable_add_user()->set_centre("SZ");
    add.mutable_add_user()->set_role(role);
    RETURN_IF_ERROR(f->Must(add, "admin"));
    model::Command duty;
    duty.mutable_duty_on();
    RETURN_IF_ERROR(f->Must(duty, name));
  }
  model::Command token;
  token.mutable_create_token()->set_label("benchmark load");
  model::CommandReply reply;
  RETURN_IF_ERROR(f->Must(token, kOfficer, &reply));
  f->token_ = reply.key().secret();
  if (f->token_.empty()) return Status::Internal("create_token answered no secret");
  return f;
}

Status Filler::Must(const model::Command& command, const std::string& actor,
                    model::CommandReply* reply) {
  auto r = dispatcher_.Execute(command, actor);
  if (!r.ok()) return r.status();
  if (reply != nullptr) *reply = std::move(r).value();
  return Status::Ok();
}

Result<std::vector<std::string>> Filler::Open(const std::string& type, int64_t count,
                                              model::Instant at, int group,
                                              const std::function<void(int64_t)>& progress) {
  clock_.Set(at);
  ASSIGN_OR_RETURN(dispatch::Actor actor, dispatcher_.ResolveActor(kOfficer));
  const model::Command command = OpenCommand(type);
  std::vector<std::string> numbers;
  numbers.reserve(static_cast<size_t>(count));
  while (static_cast<int64_t>(numbers.size()) < count) {
    const int64_t n = std::min<int64_t>(group, count - static_cast<int64_t>(numbers.size()));
    std::vector<dispatch::Dispatcher::Submission> batch(static_cast<size_t>(n),
                                                        {&command, &actor});
    for (auto& reply : dispatcher_.ExecuteGroup(batch)) {
      if (!reply.ok()) return reply.status();
      numbers.push_back(reply->case_state().number());
    }
    if (progress) progress(static_cast<int64_t>(numbers.size()));
  }
  return numbers;
}

Status Filler::Verify() {
  // Every holder the fill counted, and the database's count of each.
  std::vector<std::string> holders;
  for (const auto& [user, n] : store_.open_tasks()) holders.push_back(user);
  ASSIGN_OR_RETURN(auto counted, sqlite_->Read().OpenTaskCounts(holders));
  std::map<std::string, int> kept;
  for (const auto& [user, n] : store_.open_tasks()) kept[user] = n;
  if (counted != kept) {
    return Status::Internal("the open-task count kept while filling differs from the database's");
  }
  return Status::Ok();
}

}  // namespace bench
