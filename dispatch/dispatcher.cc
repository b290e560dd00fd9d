#include "dispatch/dispatcher.h"

#include <algorithm>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <spdlog/spdlog.h>

#include "dispatch/commands.h"
#include "dispatch/describe.h"
#include "dispatch/engine.h"
#include "dispatch/roster.h"
#include "dispatch/service_figures.h"
#include "model/centres.h"
#include "model/field_values.h"
#include "model/hkid.h"
#include "model/person_validation.h"
#include "model/roles.h"
#include "model/crypto.h"
#include "model/text_check.h"
#include "notify/http_client.h"
#include "notify/notifications.h"

namespace dispatch {

using model::CommandReply;
using model::Result;
using model::Status;

namespace {

// What a command is, for telling a retry from a different command that
// reuses its idempotency key. The person's details are compared as the case
// would store them, so "a1234563" retries "A123456(3)".
std::string Fingerprint(const model::Command& command, std::string_view actor,
                        model::Instant now) {
  model::Command copy = command;
  copy.clear_idempotency_key();
  if (copy.has_open_case()) {
    (void)model::NormalizePerson(*copy.mutable_open_case()->mutable_person(), now);
  }
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    copy.SerializeToCodedStream(&coded);
  }
  return model::Sha256Hex(std::string(actor) + '\0' + bytes);
}

// Idempotency keys are each person's own: one officer's key neither blocks
// another's retry nor tells them it was used.
std::string ScopedKey(const Actor& actor, std::string_view key) {
  return actor.user + '\n' + std::string(key);
}


std::string KindOf(const model::Command& c) { return std::string(SpecOf(c.body_case()).name); }

Result<Roster> TakeRoster(StoreReader& r, model::Instant now) {
  Roster roster;
  ASSIGN_OR_RETURN(roster.on_duty, r.OnDutyAt(now));
  ASSIGN_OR_RETURN(roster.users, r.UserRoles());
  // Only those on duty can be given work: only their load is counted.
  std::vector<std::string> on_duty;
  for (const auto& d : roster.on_duty) on_duty.push_back(d.user);
  ASSIGN_OR_RETURN(roster.open_tasks, r.OpenTaskCounts(on_duty));
  return roster;
}

// Moves the roster's loads (`open_tasks`, those on duty only) as the case's
// tasks moved from `before` to `after`: created, given to someone else, or
// ended. The same count task_load's triggers keep in the database.
void CountMovedTasks(const model::CaseState* before, const model::CaseState& after,
                     std::map<std::string, int>& open_tasks) {
  const auto count = [&](const model::CaseState& c, int sign) {
    for (const model::Task& t : c.task()) {
      if (t.status() != model::TASK_OPEN || t.assignee().empty()) continue;
      if (auto it = open_tasks.find(t.assignee()); it != open_tasks.end()) it->second += sign;
    }
  };
  if (before != nullptr) count(*before, -1);
  count(after, +1);
}

Result<std::map<std::string, std::string>> Webhooks(StoreReader& r) {
  ASSIGN_OR_RETURN(auto centres, r.ListCentres());
  std::map<std::string, std::string> out;
  for (const auto& c : centres) {
    if (!c.webhook_url().empty()) out[c.code()] = c.webhook_url();
  }
  return out;
}

// Case `number` as `actor` may learn of it: nullopt when it does not exist or
// the actor may not read it, alike. A damaged case is reported as such only
// to its own centre, supervisors and admins; to others it does not exist.
Result<std::optional<model::CaseState>> CaseFor(StoreReader& r, const Actor& actor,
                                                std::string_view number) {
  auto c = r.GetCase(number);
  if (!c.ok()) {
    if (c.status().code() != model::Code::kDataLoss || actor.role == model::kSupervisor ||
        actor.role == model::kAdmin || actor.role == SystemActor().role) {
      return c.status();
    }
    ASSIGN_OR_RETURN(auto owner, r.CaseOwner(number));
    if (owner == actor.centre) return c.status();
    return std::optional<model::CaseState>();
  }
  if (*c && actor.role != SystemActor().role && !CanRead(actor, **c)) {
    return std::optional<model::CaseState>();
  }
  return c;
}

}  // namespace

std::string CaseNumberOf(const model::Command& c) {
  const auto* f = model::Command::descriptor()->FindFieldByNumber(c.body_case());
  if (f == nullptr || f->message_type() == nullptr) return "";
  const auto& body = c.GetReflection()->GetMessage(c, f);
  const auto* number = body.GetDescriptor()->FindFieldByName("case_number");
  return number ? body.GetReflection()->GetString(body, number) : "";
}

namespace {
constexpr std::string_view kPurposeSetting = "purpose";
constexpr std::string_view kPurposeScenarios = "scenarios";
}  // namespace

Status Dispatcher::Initialize(std::string_view admin_name, DatabasePurpose purpose) {
  const model::Instant now = clock_.Now();
  return store_.Write([&](StoreWriter& w) -> Status {
    ASSIGN_OR_RETURN(auto existing, w.ListCentres());
    if (!existing.empty()) {
      return Status::AlreadyExists("the database is already initialised");
    }
    RETURN_IF_ERROR(w.PutSetting(kPurposeSetting, purpose == DatabasePurpose::kScenarios
                                                      ? kPurposeScenarios
                                                      : "live"));
    for (const model::Centre& c : model::NetworkCentres()) RETURN_IF_ERROR(w.PutCentre(c));
    model::User admin;
    admin.set_name(std::string(admin_name));
    admin.set_centre(model::NetworkCentres().front().code());
    admin.set_role(std::string(model::kAdmin));
    *admin.mutable_created_at() = model::ToProto(now);
    admin.set_created_by("init");
    return w.PutUser(admin);
  });
}

Result<DatabasePurpose> Dispatcher::Purpose() {
  ASSIGN_OR_RETURN(auto purpose, store_.Read().GetSetting(kPurposeSetting));
  return purpose == kPurposeScenarios ? DatabasePurpose::kScenarios : DatabasePurpose::kLiveWork;
}

Status Dispatcher::NoteLiveWork() {
  ASSIGN_OR_RETURN(DatabasePurpose purpose, Purpose());
  if (purpose == DatabasePurpose::kLiveWork) return Status::Ok();
  return store_.Write([](StoreWriter& w) { return w.PutSetting(kPurposeSetting, "live"); });
}

Result<Actor> Dispatcher::ResolveActor(std::string_view user_name) {
  if (user_name.empty()) {
    return Status::InvalidArgument(
        "say who you are with --as NAME (or set DISPATCH_AS); `dispatch user list` shows users",
        "請說明你是哪一位用戶");
  }
  ASSIGN_OR_RETURN(auto user, store_.Read().GetUser(user_name));
  if (!user) {
    return Status::NotFound("no user named '" + std::string(user_name) +
                                "'; an admin adds users with `dispatch user add`",
                            "沒有名為「" + std::string(user_name) +
                                "」的用戶；用戶須由系統管理員加入");
  }
  return Actor{user->name(), user->centre(), user->role()};
}

Result<const model::LoadedDefinition*> Dispatcher::PinnedDefinition(
    StoreReader& r, const model::DefinitionRef& ref) {
  if (const auto* def = catalog_.ByHash(ref.content_hash())) return def;
  // The file changed or went away since the case started: run on the text
  // the case pinned.
  ASSIGN_OR_RETURN(auto text, r.DefinitionText(ref.content_hash()));
  if (!text) {
    return Status::Internal("definition " + ref.name() + " version " +
                            std::to_string(ref.version()) + " pinned by a case is missing");
  }
  ASSIGN_OR_RETURN(auto loaded,
                   model::LoadDefinition("(pinned " + ref.name() + " v" +
                                             std::to_string(ref.version()) + ")",
                                         std::move(*text), model::DefinitionRules::kWhenPinned));
  catalog_.AddPinned(std::move(loaded));
  return catalog_.ByHash(ref.content_hash());
}

Result<const model::LoadedDefinition*> Dispatcher::DefinitionOf(const model::CaseState& c) {
  return PinnedDefinition(store_.Read(), c.definition());
}

Result<const model::LoadedDefinition*> Dispatcher::DefinitionByHash(std::string_view hash) {
  if (const auto* def = catalog_.ByHash(hash)) return def;
  ASSIGN_OR_RETURN(auto text, store_.Read().DefinitionText(hash));
  if (!text) return Status::NotFound("no definition with that hash", "找不到該流程定義");
  ASSIGN_OR_RETURN(auto loaded, model::LoadDefinition("(pinned definition)", std::move(*text),
                                                      model::DefinitionRules::kWhenPinned));
  catalog_.AddPinned(std::move(loaded));
  return catalog_.ByHash(hash);
}

Result<CommandReply> Dispatcher::Execute(const model::Command& command,
                                         std::string_view actor_name) {
  ASSIGN_OR_RETURN(Actor actor, ResolveActor(actor_name));
  return ExecuteAs(command, actor);
}

Result<CommandReply> Dispatcher::ExecuteAs(const model::Command& command, const Actor& actor) {
  return std::move(ExecuteGroup({{&command, &actor}}).front());
}

std::vector<Result<CommandReply>> Dispatcher::ExecuteGroup(const std::vector<Submission>& batch) {
  const model::Instant now = clock_.Now();
  const size_t n = batch.size();
  std::vector<Status> outcome(n);
  std::vector<std::string> prepared(n);
  std::vector<CommandReply> replies(n);
  std::vector<std::function<Status(StoreWriter&)>> bodies;
  std::vector<size_t> of_body;  // the submission each body runs
  for (size_t i = 0; i < n; ++i) {
    const model::Command& command = *batch[i].command;
    const Actor& actor = *batch[i].actor;
    // Text that is not UTF-8 would make the stored row unreadable: refused
    // here, for every command from every surface, before anything is read.
    Status s = model::CheckText(command);
    if (s.ok() && actor.must_change_password && !command.has_set_password()) {
      s = Status::PermissionDenied(
          "change your password first: the one you signed in with was given to you by an admin",
          "請先更改密碼：你登入時所用的密碼是由系統管理員設定的");
    }
    const CommandSpec& spec = SpecOf(command.body_case());
    if (s.ok() && spec.prepare != nullptr) {
      auto p = spec.prepare(store_.Read(), command, actor);
      if (p.ok()) {
        prepared[i] = std::move(p).value();
      } else {
        s = p.status();
      }
    }
    outcome[i] = s;
    if (!s.ok()) continue;
    of_body.push_back(i);
    bodies.push_back([&, i](StoreWriter& w) -> Status {
      const Status applied =
          Apply(w, *batch[i].command, *batch[i].actor, now, prepared[i], replies[i]);
      // Its writes may be undone (a savepoint rolled back), or may change who
      // is on duty: the next command takes the roster afresh.
      if (!applied.ok() || SpecOf(batch[i].command->body_case()).scope == CommandScope::kDirectory) {
        group_ = {};
      }
      return applied;
    });
  }
  if (!bodies.empty()) {
    group_ = {};
    const std::vector<Status> results = store_.WriteGroup(bodies);
    group_ = {};
    for (size_t j = 0; j < results.size(); ++j) outcome[of_body[j]] = results[j];
  }
  std::vector<Result<CommandReply>> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const model::Command& command = *batch[i].command;
    const CommandReply& reply = replies[i];
    std::string number =
        reply.has_case_state() ? reply.case_state().number() : CaseNumberOf(command);
    number = number.empty() ? "-" : model::MaskHkidsIn(number);
    if (Status s = outcome[i]; !s.ok()) {
      // A message may repeat what was typed, an identity number in the wrong
      // field included: it reaches logs and other machines masked.
      s = s.WithMessages([](const std::string& m) { return model::MaskHkidsIn(m); });
      spdlog::info("refused {} on {} by {}: {}", KindOf(command), number, batch[i].actor->user,
                   s.ToString());
      out.emplace_back(std::move(s));
      continue;
    }
    spdlog::info("{} {} on {} by {}: {} event(s)", reply.replayed() ? "replayed" : "applied",
                 KindOf(command), number, batch[i].actor->user, reply.event_size());
    out.emplace_back(std::move(replies[i]));
  }
  return out;
}

Status Dispatcher::Apply(StoreWriter& w, const model::Command& command, const Actor& actor,
                         model::Instant now, const std::string& prepared, CommandReply& reply) {
  std::string fingerprint;
  if (!command.idempotency_key().empty()) {
    fingerprint = Fingerprint(command, actor.user, now);
    ASSIGN_OR_RETURN(auto stored, w.FindReply(ScopedKey(actor, command.idempotency_key())));
    if (stored) {
      if (stored->fingerprint != fingerprint) {
        return Status::AlreadyExists(
            "idempotency key '" + command.idempotency_key() +
                "' was already used for a different command",
            "此要求的識別碼「" + command.idempotency_key() +
                "」已用於另一項指令；請重新載入頁面再試");
      }
      reply = std::move(stored->reply);
      reply.set_replayed(true);
      return Status::Ok();
    }
  }
  ASSIGN_OR_RETURN(reply, ExecuteIn(w, command, actor, now, prepared));
  if (!command.idempotency_key().empty()) {
    // A token's secret is shown once: a retry answers without it.
    CommandReply kept = reply;
    kept.mutable_key()->clear_secret();
    if (!reply.has_key()) kept.clear_key();
    RETURN_IF_ERROR(
        w.SaveReply(ScopedKey(actor, command.idempotency_key()), {fingerprint, kept}, now));
  }
  return Status::Ok();
}

Result<CommandReply> Dispatcher::ExecuteIn(StoreWriter& w, const model::Command& command,
                                           const Actor& actor, model::Instant now,
                                           const std::string& prepared) {
  const CommandSpec& spec = SpecOf(command.body_case());
  if (spec.decide_directory != nullptr) {
    // Duty changes here: what the group read before is not what the case
    // commands it runs (handing tasks on) must see.
    group_ = {};
    DirectoryWork work{w, actor, now, prepared, catalog_.categories(),
                       [&](const model::Command& c) { return ExecuteCaseCommand(w, c, actor, now); }};
    return spec.decide_directory(work, command);
  }
  if (spec.decide_case == nullptr) {
    return Status::InvalidArgument("the command is empty", "指令沒有內容");
  }
  return ExecuteCaseCommand(w, command, actor, now);
}

Result<CommandReply> Dispatcher::ExecuteCaseCommand(StoreWriter& w, const model::Command& command,
                                                    const Actor& actor, model::Instant now) {
  CommandReply reply;
  DecideContext ctx;
  ctx.actor = actor;
  ctx.categories = &catalog_.categories();
  ctx.now = now;
  ctx.take_roster = [this, &w, now]() -> Result<Roster> {
    if (!group_.roster) {
      ASSIGN_OR_RETURN(Roster taken, TakeRoster(w, now));
      group_.roster = std::move(taken);
    }
    return *group_.roster;
  };
  std::optional<model::CaseState> current;
  std::optional<model::User> assignee;
  if (SpecOf(command.body_case()).scope == CommandScope::kNewCase) {
    // A case opened now, or one entered from an earlier record: numbered in
    // the year it was opened.
    const bool past = command.has_record_past_case();
    const std::string& type = past ? command.record_past_case().type() : command.open_case().type();
    const std::string& centre =
        past ? command.record_past_case().centre() : command.open_case().centre();
    const model::Instant opened =
        past && command.record_past_case().has_opened_at()
            ? model::FromProto(command.record_past_case().opened_at())
            : now;
    if (past) {
      // Said before anything of the store is told.
      RETURN_IF_ERROR(CheckCanEnterRecords(actor));
      // One earlier case, one entry, from whichever file or hand.
      const std::string reference = model::TrimSpaces(command.record_past_case().reference());
      if (!reference.empty()) {
        ASSIGN_OR_RETURN(auto entered, w.CaseOfEarlierRecord(centre, reference));
        if (entered) {
          const std::string from =
              entered->recorded_from().empty() ? "" : " (from " + entered->recorded_from() + ")";
          return Status::AlreadyExists(
                     centre + "'s earlier case " + reference + " was entered already, as " +
                         entered->number() + from + "; one case is counted once",
                     centre + " 的過往個案 " + reference + " 已輸入為 " + entered->number() +
                         "；每宗個案只計算一次")
              .WithField("record_past_case.reference");
        }
      }
    }
    ctx.definition = catalog_.Latest(type);
    if (ctx.definition == nullptr) {
      return catalog_.NotInUse(type).WithField(past ? "record_past_case.type" : "open_case.type");
    }
    for (const model::BrokenDefinition& b : catalog_.Broken()) {
      if (b.name() != type) continue;
      reply.add_warnings("a " + type + " definition file is not in use until it is fixed (" +
                         b.problem() + "); this case starts on version " +
                         std::to_string(ctx.definition->definition.version()) +
                         ", the newest good one");
    }
    const model::OpenCase& open = command.open_case();
    if (!open.category().empty() && catalog_.categories().empty()) {
      reply.add_warnings("no categories are loaded (" + catalog_.CategoriesProblem() +
                         "): category '" + open.category() +
                         "' was kept as given, unchecked; tell the admin");
    }
    ASSIGN_OR_RETURN(ctx.centres, w.CentreCodes());
    if (!open.related_case().empty()) {
      ASSIGN_OR_RETURN(auto related, CaseFor(w, actor, open.related_case()));
      if (!related) {
        return Status::NotFound(
            "no case " + open.related_case() + " to relate the new case to",
            "找不到個案 " + open.related_case() + "，未能把新個案與之關聯");
      }
    }
    if (ctx.centres.count(centre) != 0) {
      ASSIGN_OR_RETURN(ctx.new_case_number,
                       w.NextCaseNumber(centre, model::HongKongYear(opened)));
    }
    RETURN_IF_ERROR(w.PinDefinition(*ctx.definition, now));
  } else {
    const std::string number = CaseNumberOf(command);
    if (number.empty()) {
      return Status::InvalidArgument("the command names no case", "指令未有註明個案編號");
    }
    // Not even existence is disclosed to those who may not see a case.
    ASSIGN_OR_RETURN(current, CaseFor(w, actor, number));
    if (!current) return Status::NotFound("no case " + number, "找不到個案 " + number);
    ASSIGN_OR_RETURN(ctx.definition, PinnedDefinition(w, current->definition()));
    if (command.has_request_handoff()) {
      ASSIGN_OR_RETURN(ctx.centres, w.CentreCodes());
    }
    if (command.has_assign_task()) {
      ASSIGN_OR_RETURN(assignee, w.GetUser(command.assign_task().assignee()));
      if (assignee) ctx.assignee = &*assignee;
    }
  }

  ASSIGN_OR_RETURN(std::vector<model::Event> events,
                   Decide(current ? &*current : nullptr, command, ctx));
  model::CaseState after = current ? *current : model::CaseState();
  for (const model::Event& e : events) Evolve(after, e);
  if (group_.roster) CountMovedTasks(current ? &*current : nullptr, after, group_.roster->open_tasks);
  if (!events.empty()) {
    RETURN_IF_ERROR(w.Append(current ? &*current : nullptr, after, events));
    if (!group_.webhooks) {
      ASSIGN_OR_RETURN(group_.webhooks, Webhooks(w));
    }
    for (const model::Event& e : events) {
      for (const auto& n :
           notify::NotificationsFor(after, e, ctx.definition->definition, *group_.webhooks)) {
        RETURN_IF_ERROR(w.Enqueue(n));
      }
    }
  }
  *reply.mutable_case_state() = std::move(after);
  for (auto& e : events) *reply.add_event() = std::move(e);
  return reply;
}

Result<FiringReport> Dispatcher::FireDueDeadlines(int limit) {
  ASSIGN_OR_RETURN(auto due, store_.Read().DueTimers(clock_.Now(), limit));
  // Every firing due now in one transaction (a savepoint each).
  std::vector<model::Command> commands(due.size());
  const Actor system = SystemActor();
  std::vector<Submission> batch;
  for (size_t i = 0; i < due.size(); ++i) {
    auto* f = commands[i].mutable_fire_deadline();
    f->set_case_number(due[i].case_number);
    f->set_key(due[i].key);
    f->set_generation(due[i].generation);
    batch.push_back({&commands[i], &system});
  }
  const auto replies = ExecuteGroup(batch);
  FiringReport report;
  report.more = static_cast<int>(due.size()) == limit;
  const model::Instant now = clock_.Now();
  for (const DueTimer& t : due) report.late.push_back(now - t.next_at);
  std::vector<const DueTimer*> failed;
  for (size_t i = 0; i < due.size(); ++i) {
    const auto& reply = replies[i];
    if (reply.ok()) {
      if (reply->event_size() > 0) ++report.fired;
    } else if (reply.status().code() == model::Code::kUnavailable) {
      return reply.status();  // the database is busy: the next beat tries again
    } else {
      // One case that cannot be read or decided must not hold up every other
      // case's deadlines: it is named in the log and tried again in an hour.
      spdlog::error("deadline '{}' of case {} cannot fire: {}; trying again in an hour",
                    due[i].key, due[i].case_number, reply.status().message());
      failed.push_back(&due[i]);
    }
  }
  if (!failed.empty()) {
    const Status deferred = store_.Write([&](StoreWriter& w) -> Status {
      for (const DueTimer* t : failed) {
        RETURN_IF_ERROR(w.DeferTimer(t->case_number, t->key, clock_.Now() + std::chrono::hours(1)));
      }
      return Status::Ok();
    });
    if (!deferred.ok()) return deferred;
  }
  return report;
}

namespace {
Status NotSignedIn() {
  return Status::PermissionDenied("the user name or password is not right",
                                  "用戶名稱或密碼不正確");
}
}  // namespace

Result<model::AccessKey> Dispatcher::Login(std::string_view user, std::string_view password) {
  ASSIGN_OR_RETURN(bool must_change, CheckPassword(user, password));
  return StartSession(user, must_change);
}

Result<bool> Dispatcher::CheckPassword(std::string_view user, std::string_view password) {
  ASSIGN_OR_RETURN(auto credential, store_.Read().GetCredential(user));
  ASSIGN_OR_RETURN(auto found, store_.Read().GetUser(user));
  // A missing user costs the same time as a wrong password.
  static const std::string kDecoy = *model::HashPassword("decoy password for timing");
  const bool right =
      model::VerifyPassword(password, credential ? credential->hash : kDecoy) && credential && found;
  if (!right) return NotSignedIn();
  return credential->must_change;
}

Result<model::AccessKey> Dispatcher::StartSession(std::string_view user, bool must_change) {
  model::AccessKey key = NewAccessKey(user, "session", clock_.Now(), SessionLasts());
  key.set_must_change_password(must_change);
  RETURN_IF_ERROR(store_.Write([&](StoreWriter& w) {
    return w.AddKey(model::Sha256Hex(key.secret()), key);
  }));
  spdlog::info("{} signed in", user);
  return key;
}

Result<Actor> Dispatcher::Authenticate(std::string_view secret) {
  const auto invalid = [] {
    return Status::PermissionDenied(
        "sign in again: that session or token is not valid (any more)",
        "請重新登入：該次登入或存取權杖已失效");
  };
  if (secret.empty()) return invalid();
  ASSIGN_OR_RETURN(auto stored, store_.Read().FindKey(model::Sha256Hex(secret)));
  if (!stored || stored->revoked ||
      model::FromProto(stored->key.expires_at()) <= clock_.Now()) {
    return invalid();
  }
  ASSIGN_OR_RETURN(auto user, store_.Read().GetUser(stored->key.user()));
  if (!user) return invalid();
  Actor actor{user->name(), user->centre(), user->role()};
  if (stored->key.kind() == "session") {
    ASSIGN_OR_RETURN(auto credential, store_.Read().GetCredential(user->name()));
    actor.must_change_password = credential && credential->must_change;
  }
  return actor;
}

Status Dispatcher::Logout(std::string_view secret) {
  ASSIGN_OR_RETURN(auto stored, store_.Read().FindKey(model::Sha256Hex(secret)));
  if (!stored || stored->revoked) return Status::Ok();
  return store_.Write([&](StoreWriter& w) { return w.RevokeKey(stored->key.id(), clock_.Now()); });
}

Result<std::vector<model::AccessKey>> Dispatcher::ListKeys(const Actor& actor,
                                                           std::string_view user) {
  const std::string whose = user.empty() && actor.role != model::kAdmin ? actor.user
                                                                          : std::string(user);
  if (!whose.empty()) RETURN_IF_ERROR(CheckCanManageKeys(actor, whose));
  if (whose.empty()) {
    RETURN_IF_ERROR(CheckIsAdmin(actor, "list everyone's tokens", "查看所有人的存取權杖"));
  }
  return store_.Read().ListKeys(whose);
}

Result<RebuildReport> Dispatcher::Rebuild(const Actor& actor) {
  RETURN_IF_ERROR(CheckIsAdmin(actor, "rebuild", "重建個案資料"));
  return store_.RebuildProjections();
}

Result<model::CaseState> Dispatcher::GetCase(const Actor& actor, std::string_view number) {
  ASSIGN_OR_RETURN(auto c, CaseFor(store_.Read(), actor, number));
  if (!c) {
    const std::string masked = model::MaskHkidsIn(number);
    return Status::NotFound("no case " + masked, "找不到個案 " + masked);
  }
  return std::move(*c);
}

// A list filtered by a centre or case type that does not exist would say
// "none" and hide the typo.
Status Dispatcher::CheckFilter(std::string_view centre, std::string_view type) {
  if (!centre.empty()) {
    ASSIGN_OR_RETURN(auto codes, store_.Read().CentreCodes());
    if (codes.count(std::string(centre)) == 0) {
      std::string known, known_zh;
      for (const auto& code : codes) {
        known += (known.empty() ? "" : ", ") + code;
        known_zh += (known_zh.empty() ? "" : "、") + code;
      }
      return Status::InvalidArgument(
          "unknown centre '" + std::string(centre) + "'; centres are " + known,
          "沒有「" + std::string(centre) + "」這個中心；中心代號為 " + known_zh);
    }
  }
  const auto& broken = catalog_.Broken();
  if (!type.empty() && catalog_.Latest(type) == nullptr &&
      std::none_of(broken.begin(), broken.end(),
                   [&](const model::BrokenDefinition& b) { return b.name() == type; })) {
    const std::string names = catalog_.Names();
    return Status::InvalidArgument(
        "unknown case type '" + std::string(type) + "'; case types are " + names,
        "沒有「" + std::string(type) + "」這個個案類別；個案類別代號為 " + names);
  }
  return Status::Ok();
}

Result<std::vector<model::CaseState>> Dispatcher::ListCases(const Actor& actor,
                                                            const CaseFilter& filter) {
  RETURN_IF_ERROR(CheckFilter(filter.centre, filter.type));
  if (!filter.after.empty()) {
    ASSIGN_OR_RETURN(auto after, CaseFor(store_.Read(), actor, filter.after));
    if (!after) {
      const std::string masked = model::MaskHkidsIn(filter.after);
      return Status::NotFound("no case " + masked + " to list from",
                              "找不到個案 " + masked + "，未能由此處開始列出");
    }
  }
  // The store narrows to the cases the actor's centre may take part in;
  // access.h has the last word. A page is read again past those it left
  // out (a centre that declined a leg), so the cost follows the page.
  CaseFilter f = filter;
  if (!SeesEverything(actor)) f.involving = actor.centre;
  if (f.waiting) f.limit = 0;  // few, and in day order: read at once
  std::vector<model::CaseState> out;
  for (;;) {
    ASSIGN_OR_RETURN(auto page, store_.Read().ListCases(f));
    for (auto& c : page) {
      if (!CanRead(actor, c)) continue;
      out.push_back(std::move(c));
      if (filter.limit > 0 && static_cast<int>(out.size()) == filter.limit) return out;
    }
    if (filter.limit <= 0 || f.limit <= 0 || static_cast<int>(page.size()) < f.limit ||
        page.empty()) {
      return out;
    }
    f.after = page.back().number();
  }
}

Result<std::vector<model::TaskView>> Dispatcher::ListTasks(const Actor& actor,
                                                           const TaskFilter& filter) {
  RETURN_IF_ERROR(CheckFilter(filter.centre, ""));
  TaskFilter f = filter;
  if (!SeesEverything(actor)) f.involving = actor.centre;
  ASSIGN_OR_RETURN(auto all, store_.Read().ListTasks(f));
  std::vector<model::TaskView> out;
  for (auto& t : all) {
    if (CanSeeTask(actor, t)) out.push_back(std::move(t));
  }
  return out;
}

Result<std::vector<model::Event>> Dispatcher::Timeline(const Actor& actor,
                                                       std::string_view number) {
  ASSIGN_OR_RETURN(model::CaseState c, GetCase(actor, number));
  return store_.Read().Timeline(c.number());
}

Result<std::vector<model::HandoffView>> Dispatcher::ListHandoffs(const Actor& actor,
                                                                 bool pending_only) {
  const bool everything = actor.role == model::kSupervisor || actor.role == model::kAdmin;
  return store_.Read().ListHandoffs({everything ? "" : actor.centre, pending_only});
}

Result<std::vector<model::InboxItem>> Dispatcher::ListInbox(const Actor& actor, bool unread_only,
                                                            int limit) {
  return store_.Read().ListInbox({"user:" + actor.user, "centre:" + actor.centre}, actor.user, unread_only,
                                 limit);
}

Result<std::vector<model::Contact>> Dispatcher::ListContacts(const Actor& actor, ContactFilter f) {
  ASSIGN_OR_RETURN(f.centre, CountedCentre(actor, f.centre));
  return store_.Read().ListContacts(f);
}

Result<model::YearReport> Dispatcher::YearReport(const Actor& actor, YearReportRequest req) {
  ASSIGN_OR_RETURN(req.centre, CountedCentre(actor, req.centre));
  ASSIGN_OR_RETURN(auto centres, store_.Read().ListCentres());
  std::vector<std::string> codes;
  for (const model::Centre& c : centres) codes.push_back(c.code());
  if (!req.centre.empty() && std::find(codes.begin(), codes.end(), req.centre) == codes.end()) {
    return Status::InvalidArgument("unknown centre '" + req.centre + "'",
                                   "沒有代號為「" + req.centre + "」的中心")
        .WithField("centre");
  }
  int first = req.year;
  int last = req.year;
  for (int y : req.compared) {
    first = std::min(first, y);
    last = std::max(last, y);
  }
  ASSIGN_OR_RETURN(auto rows, store_.Read().TallyWork(first, last));
  return MakeYearReport(req, rows, catalog_.categories(), codes, clock_.Now());
}

Result<model::ServiceFigures> Dispatcher::ServiceFigures(const Actor& actor, int year,
                                                         std::string centre) {
  ASSIGN_OR_RETURN(centre, CountedCentre(actor, centre));
  RETURN_IF_ERROR(CheckFilter(centre, ""));
  const auto [from, until] = model::HongKongYearSpan(year);
  ServiceTally tally(from, until);
  RETURN_IF_ERROR(store_.Read().ForEachCaseJournal(
      from, until, [&tally](const std::vector<model::Event>& events) {
        tally.TakeCase(events);
        return Status::Ok();
      }));
  model::ServiceFigures out = tally.Figures(year, centre);
  *out.mutable_made_at() = model::ToProto(clock_.Now());
  // Labels from the newest definition of each type: a stage or reason a
  // newer version dropped reads as its name.
  const auto definition = [this](const std::string& type) -> const model::WorkflowDefinition* {
    const model::LoadedDefinition* def = catalog_.Latest(type);
    return def != nullptr ? &def->definition : nullptr;
  };
  for (model::DeadlineFigure& f : *out.mutable_deadline()) {
    if (f.stage() == kWholeCaseStage) {
      f.mutable_stage_label()->set_en("the whole case");
      f.mutable_stage_label()->set_zh_hant("整個個案");
      continue;
    }
    if (f.stage() == kHandoffStage) {
      f.mutable_stage_label()->set_en("answering a handoff");
      f.mutable_stage_label()->set_zh_hant("回覆轉介要求");
      continue;
    }
    const model::WorkflowDefinition* def = definition(f.type());
    f.mutable_stage_label()->set_en(StateLabel(def, f.stage(), model::Lang::kEn));
    f.mutable_stage_label()->set_zh_hant(StateLabel(def, f.stage(), model::Lang::kZhHant));
  }
  for (model::PauseFigure& f : *out.mutable_paused()) {
    // A reason's label is the same in every case type that has it.
    const model::WorkflowDefinition* def = nullptr;
    for (const model::LoadedDefinition* d : catalog_.All()) {
      if (PauseReasonLabel(&d->definition, f.reason(), model::Lang::kEn) != f.reason()) {
        def = &d->definition;
        break;
      }
    }
    f.mutable_reason_label()->set_en(PauseReasonLabel(def, f.reason(), model::Lang::kEn));
    f.mutable_reason_label()->set_zh_hant(PauseReasonLabel(def, f.reason(), model::Lang::kZhHant));
  }
  return out;
}

Result<std::vector<model::Notification>> Dispatcher::ListOutbox(
    const Actor& actor, std::optional<model::DeliveryStatus> status, int limit) {
  RETURN_IF_ERROR(CheckCanReadOutbox(actor));
  std::vector<model::Notification> out;
  std::map<std::string, std::optional<model::CaseState>> cases;
  int64_t before = 0;
  // Page back through the outbox until `limit` visible ones are found.
  while (static_cast<int>(out.size()) < limit) {
    ASSIGN_OR_RETURN(auto page, store_.Read().ListOutbox({status, before, limit}));
    if (page.empty()) break;
    for (auto& n : page) {
      before = n.id();
      auto [it, fresh] = cases.try_emplace(n.case_number());
      if (fresh && !n.case_number().empty()) {
        auto c = store_.Read().GetCase(n.case_number());
        if (c.ok()) it->second = std::move(*c);
      }
      if (!CanSeeNotification(actor, n, it->second ? &*it->second : nullptr)) continue;
      out.push_back(Visible(actor, std::move(n)));
      if (static_cast<int>(out.size()) == limit) break;
    }
  }
  return out;
}

Result<std::vector<model::Centre>> Dispatcher::ListCentres(const Actor& actor) {
  ASSIGN_OR_RETURN(auto centres, store_.Read().ListCentres());
  for (auto& c : centres) c = Visible(actor, std::move(c));
  return centres;
}

// Every signed-in person sees the whole roster: who to call at another centre.
Result<std::vector<model::Shift>> Dispatcher::OnDuty(const Actor&) {
  return store_.Read().ActiveShifts(clock_.Now());
}

// Every signed-in person sees who the users are, their centres and roles.
Result<std::vector<model::User>> Dispatcher::ListUsers(const Actor&) {
  return store_.Read().ListUsers();
}

}  // namespace dispatch
