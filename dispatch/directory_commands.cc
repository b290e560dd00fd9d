// The decisions of directory commands: people, duty, centres, inboxes and
// accounts (see commands.h). Each runs inside the command's transaction.
#include <algorithm>
#include <set>

#include "dispatch/commands.h"
#include "dispatch/engine.h"
#include "dispatch/roster.h"
#include "model/crypto.h"
#include "model/duration.h"
#include "model/field_values.h"
#include "model/hkid.h"
#include "model/roles.h"
#include "notify/http_client.h"

namespace dispatch {

using model::Command;
using model::CommandReply;
using model::Result;
using model::Status;

namespace {

// A session lasts a working day and a half; a token, unless it says, 90 days.
constexpr auto kSessionLasts = std::chrono::hours(12);
constexpr auto kTokenLastsByDefault = std::chrono::days(90);
constexpr auto kTokenLastsAtMost = std::chrono::days(366);
constexpr size_t kShortestPassword = 10;

Result<model::User> MustGetUser(StoreReader& r, std::string_view name) {
  ASSIGN_OR_RETURN(auto user, r.GetUser(name));
  if (!user) {
    return Status::NotFound("no user named '" + std::string(name) + "'",
                            "沒有名為「" + std::string(name) + "」的用戶");
  }
  return std::move(*user);
}

// The shifts of `user` running at `now`.
Result<std::vector<model::Shift>> RunningShifts(StoreReader& r, std::string_view user,
                                                model::Instant now) {
  ASSIGN_OR_RETURN(auto shifts, r.ActiveShifts(now));
  std::vector<model::Shift> out;
  for (auto& s : shifts) {
    if (s.user() == user) out.push_back(std::move(s));
  }
  return out;
}

std::string Joined(const std::set<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (const auto& i : items) {
    if (!out.empty()) out += sep;
    out += i;
  }
  return out;
}

}  // namespace

model::AccessKey NewAccessKey(std::string_view user, std::string_view kind, model::Instant now,
                              model::Millis lasts) {
  model::AccessKey key;
  key.set_secret("dsp_" + model::RandomHex(24));
  key.set_id(std::string(kind == "token" ? "t" : "s") + model::Sha256Hex(key.secret()).substr(0, 11));
  key.set_user(std::string(user));
  key.set_kind(std::string(kind));
  *key.mutable_created_at() = model::ToProto(now);
  *key.mutable_expires_at() = model::ToProto(now + lasts);
  return key;
}

model::Millis SessionLasts() { return kSessionLasts; }

namespace decide {

Result<CommandReply> AddUser(DirectoryWork& w, const Command& c) {
  ASSIGN_OR_RETURN(auto centres, w.store.CentreCodes());
  ASSIGN_OR_RETURN(model::User user, DecideAddUser(w.actor, c.add_user(), centres, w.now));
  RETURN_IF_ERROR(w.store.PutUser(user));
  CommandReply reply;
  *reply.mutable_user() = std::move(user);
  return reply;
}

Result<CommandReply> DutyOn(DirectoryWork& w, const Command& c) {
  const auto& on = c.duty_on();
  ASSIGN_OR_RETURN(model::User user,
                   MustGetUser(w.store, on.user().empty() ? w.actor.user : on.user()));
  ASSIGN_OR_RETURN(auto running, RunningShifts(w.store, user.name(), w.now));
  ASSIGN_OR_RETURN(model::Shift shift, DecideDutyOn(w.actor, on, user, running, w.now));
  ASSIGN_OR_RETURN(int64_t id, w.store.AddShift(shift));
  shift.set_id(id);
  CommandReply reply;
  *reply.mutable_shift() = std::move(shift);
  return reply;
}

Result<CommandReply> DutyOff(DirectoryWork& w, const Command& c) {
  const auto& off = c.duty_off();
  ASSIGN_OR_RETURN(model::User user,
                   MustGetUser(w.store, off.user().empty() ? w.actor.user : off.user()));
  ASSIGN_OR_RETURN(auto running, RunningShifts(w.store, user.name(), w.now));
  RETURN_IF_ERROR(CheckDutyOff(w.actor, user, running));
  RETURN_IF_ERROR(w.store.EndShifts(user.name(), w.now));
  CommandReply reply;
  *reply.mutable_shift() = running.front();
  *reply.mutable_shift()->mutable_ends_at() = model::ToProto(w.now);
  // Nothing stays with someone who has gone home: their open tasks pass to
  // colleagues on duty, case by case, in this same transaction.
  TaskFilter held_by;
  held_by.assignee = user.name();
  ASSIGN_OR_RETURN(auto held, w.store.ListTasks(held_by));
  std::set<std::string> cases;
  for (const auto& t : held) cases.insert(t.case_number());
  for (const std::string& number : cases) {
    Command release;
    release.mutable_release_tasks()->set_case_number(number);
    release.mutable_release_tasks()->set_user(user.name());
    ASSIGN_OR_RETURN(CommandReply passed, w.run_case_command(release));
    for (auto& e : *passed.mutable_event()) *reply.add_event() = std::move(e);
  }
  return reply;
}

Result<CommandReply> SetWebhook(DirectoryWork& w, const Command& c) {
  const auto& hook = c.set_webhook();
  RETURN_IF_ERROR(CheckIsAdmin(w.actor, "set webhooks", "設定 webhook 網址"));
  if (!hook.url().empty()) RETURN_IF_ERROR(notify::ParseHttpUrl(hook.url()).status());
  ASSIGN_OR_RETURN(auto centres, w.store.ListCentres());
  for (auto& centre : centres) {
    if (centre.code() != hook.centre()) continue;
    centre.set_webhook_url(hook.url());
    RETURN_IF_ERROR(w.store.PutCentre(centre));
    CommandReply reply;
    *reply.mutable_centre() = Visible(w.actor, centre);
    return reply;
  }
  ASSIGN_OR_RETURN(auto codes, w.store.CentreCodes());
  return Status::InvalidArgument(
      "unknown centre '" + hook.centre() + "'; centres are " + Joined(codes),
      "沒有「" + hook.centre() + "」這個中心；中心代號為 " + Joined(codes, "、"));
}

Result<CommandReply> MarkRead(DirectoryWork& w, const Command& c) {
  const int64_t id = c.mark_read().inbox_item();
  ASSIGN_OR_RETURN(auto item, w.store.GetInboxItem(id));
  if (!item || !IsAddressedTo(w.actor, *item)) {
    return Status::NotFound("no message " + std::to_string(id) + " in your inbox",
                            "你的收件匣內沒有編號 " + std::to_string(id) + " 的訊息");
  }
  RETURN_IF_ERROR(w.store.MarkRead(id, w.actor.user, w.now));
  return CommandReply();
}

// Before the transaction: checks the new password, and the current one when
// people change their own, and hashes the new one (scrypt is slow on purpose).
Result<std::string> HashNewPassword(StoreReader& store, const Command& c, const Actor& actor) {
  const auto& set = c.set_password();
  const std::string user = set.user().empty() ? actor.user : set.user();
  RETURN_IF_ERROR(CheckCanSetPassword(actor, user));
  ASSIGN_OR_RETURN(model::User target, MustGetUser(store, user));
  const std::string& password = set.password();
  if (password.size() < kShortestPassword) {
    return Status::InvalidArgument(
               "a password needs at least " + std::to_string(kShortestPassword) + " characters",
               "密碼最少要有 " + std::to_string(kShortestPassword) + " 個字元")
        .WithField("set_password.password");
  }
  if (password.find(user) != std::string::npos) {
    return Status::InvalidArgument("a password must not contain the user name",
                                   "密碼不可包含用戶名稱")
        .WithField("set_password.password");
  }
  if (actor.user == user) {
    ASSIGN_OR_RETURN(auto current, store.GetCredential(user));
    if (current && !model::VerifyPassword(set.current_password(), current->hash)) {
      return Status::PermissionDenied("the current password is not right", "現有密碼不正確")
          .WithField("set_password.current_password");
    }
    // A first password was seen by whoever gave it: keeping it is no change.
    if (current && model::VerifyPassword(password, current->hash)) {
      return Status::InvalidArgument("choose a new password, not the one you have now",
                                     "請設定一個新密碼，不可沿用現有的密碼")
          .WithField("set_password.password");
    }
  }
  return model::HashPassword(password);
}

Result<CommandReply> SetPassword(DirectoryWork& w, const Command& c) {
  const std::string user = c.set_password().user().empty() ? w.actor.user : c.set_password().user();
  RETURN_IF_ERROR(CheckCanSetPassword(w.actor, user));
  ASSIGN_OR_RETURN(model::User target, MustGetUser(w.store, user));
  // A password someone else chose is for a first sign-in only.
  RETURN_IF_ERROR(w.store.PutCredential(user, {w.prepared, w.actor.user != user}, w.now));
  return CommandReply();
}

Result<CommandReply> CreateToken(DirectoryWork& w, const Command& c) {
  const auto& create = c.create_token();
  const std::string user = create.user().empty() ? w.actor.user : create.user();
  RETURN_IF_ERROR(CheckCanManageKeys(w.actor, user));
  ASSIGN_OR_RETURN(model::User target, MustGetUser(w.store, user));
  model::Millis lasts = kTokenLastsByDefault;
  if (!create.expires_in().empty()) {
    auto d = model::ParseDuration(create.expires_in());
    if (!d.ok()) return d.status().WithField("create_token.expires_in");
    if (*d > kTokenLastsAtMost) {
      return Status::InvalidArgument("a token lasts at most 366 days",
                                     "存取權杖的有效期最長為 366 日")
          .WithField("create_token.expires_in");
    }
    lasts = *d;
  }
  model::AccessKey key = NewAccessKey(user, "token", w.now, lasts);
  key.set_label(create.label());
  RETURN_IF_ERROR(w.store.AddKey(model::Sha256Hex(key.secret()), key));
  CommandReply reply;
  *reply.mutable_key() = std::move(key);
  return reply;
}

Result<CommandReply> RevokeToken(DirectoryWork& w, const Command& c) {
  const std::string& id = c.revoke_token().id();
  ASSIGN_OR_RETURN(auto keys, w.store.ListKeys(w.actor.role == model::kAdmin ? "" : w.actor.user));
  for (const model::AccessKey& key : keys) {
    if (key.id() != id) continue;
    RETURN_IF_ERROR(CheckCanManageKeys(w.actor, key.user()));
    RETURN_IF_ERROR(w.store.RevokeKey(id, w.now));
    CommandReply reply;
    *reply.mutable_key() = key;
    return reply;
  }
  return Status::NotFound("no token or session " + id + " of yours",
                          "你沒有編號為 " + id + " 的存取權杖或登入");
}

Result<CommandReply> LogContact(DirectoryWork& w, const Command& c) {
  ASSIGN_OR_RETURN(model::Contact contact, EnterContact(w, c.log_contact(), ""));
  CommandReply reply;
  *reply.mutable_contact() = std::move(contact);
  return reply;
}

Result<model::Contact> EnterContact(DirectoryWork& w, const model::LogContact& log,
                                    std::string_view source) {
  const std::string centre = log.centre().empty() ? w.actor.centre : log.centre();
  // Counted where it was taken: an officer logs their own centre's contacts;
  // a supervisor may log (or enter late) any centre's.
  if (!model::IsCaseRole(w.actor.role)) {
    return Status::PermissionDenied(w.actor.Describe() + " logs no contacts; the centres' officers do",
                                    w.actor.DescribeZh() + "不記錄來電及到訪；由各中心職員記錄");
  }
  if (centre != w.actor.centre && w.actor.role != model::kSupervisor) {
    return Status::PermissionDenied(
               w.actor.Describe() + " logs contacts for " + w.actor.centre + " only; a supervisor "
               "can log one for " + centre,
               w.actor.DescribeZh() + "只可記錄 " + w.actor.centre + " 的來電及到訪；主管可為 " +
                   centre + " 記錄")
        .WithField("log_contact.centre");
  }
  ASSIGN_OR_RETURN(auto centres, w.store.ListCentres());
  if (std::none_of(centres.begin(), centres.end(),
                   [&](const model::Centre& k) { return k.code() == centre; })) {
    return Status::InvalidArgument("unknown centre '" + centre + "'",
                                   "沒有代號為「" + centre + "」的中心")
        .WithField("log_contact.centre");
  }
  if (log.channel() == model::CHANNEL_UNSPECIFIED) {
    return Status::InvalidArgument("say how they reached the centre: phone, visit, chat or email",
                                   "請選擇聯絡方式：電話、到訪、網上對話或電郵")
        .WithField("log_contact.channel");
  }
  // An earlier record was counted under the codes of its day, retired since or not.
  RETURN_IF_ERROR(source.empty()
                      ? w.categories.CheckUsable(log.category(), "log_contact.category")
                      : w.categories.CheckRecorded(log.category(), "log_contact.category"));
  const model::Instant at = log.has_at() ? model::FromProto(log.at()) : w.now;
  if (at > w.now) {
    return Status::InvalidArgument("the contact is in the future; say when it happened",
                                   "聯絡時間在將來；請填寫實際時間")
        .WithField("log_contact.at");
  }
  if (!log.case_number().empty()) {
    // Only a case the actor may see: not even its existence is told otherwise.
    ASSIGN_OR_RETURN(auto led_to, w.store.GetCase(log.case_number()));
    if (!led_to || !CanRead(w.actor, *led_to)) {
      return Status::NotFound("no case " + model::MaskHkidsIn(log.case_number()),
                              "找不到個案 " + model::MaskHkidsIn(log.case_number()))
          .WithField("log_contact.case_number");
    }
  }
  model::Contact contact;
  contact.set_centre(centre);
  contact.set_channel(log.channel());
  contact.set_category(log.category());
  contact.set_legal_advice(log.legal_advice());
  contact.set_note(model::TrimSpaces(log.note()));
  contact.set_case_number(log.case_number());
  *contact.mutable_at() = model::ToProto(at);
  contact.set_logged_by(w.actor.user);
  contact.set_source(std::string(source));
  ASSIGN_OR_RETURN(const int64_t id, w.store.AddContact(contact));
  contact.set_id(id);
  return contact;
}

}  // namespace decide

}  // namespace dispatch
