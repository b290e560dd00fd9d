#include "dispatch/dispatcher.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <spdlog/spdlog.h>

#include "dispatch/engine.h"
#include "model/centres.h"
#include "model/hkid.h"
#include "model/roles.h"
#include "model/sha256.h"

namespace dispatch {

using model::CommandReply;
using model::Result;
using model::Status;

namespace {

// What a command is, for telling a retry from a different command that
// reuses its idempotency key.
std::string Fingerprint(const model::Command& command, std::string_view actor) {
  model::Command copy = command;
  copy.clear_idempotency_key();
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    copy.SerializeToCodedStream(&coded);
  }
  return model::Sha256Hex(std::string(actor) + '\0' + bytes);
}

Result<std::set<std::string>> CentreCodes(StoreReader& r) {
  ASSIGN_OR_RETURN(auto centres, r.ListCentres());
  std::set<std::string> out;
  for (const auto& c : centres) out.insert(c.code());
  return out;
}

const char* KindOf(const model::Command& c) {
  switch (c.body_case()) {
    case model::Command::kOpenCase: return "open_case";
    case model::Command::kFireEvent: return "fire_event";
    case model::Command::kAssignTask: return "assign_task";
    case model::Command::kCompleteTask: return "complete_task";
    case model::Command::kAddNote: return "add_note";
    case model::Command::kCloseCase: return "close_case";
    case model::Command::kCancelCase: return "cancel_case";
    case model::Command::kAddUser: return "add_user";
    case model::Command::BODY_NOT_SET: break;
  }
  return "empty";
}

}  // namespace

std::string CaseNumberOf(const model::Command& c) {
  switch (c.body_case()) {
    case model::Command::kFireEvent: return c.fire_event().case_number();
    case model::Command::kAssignTask: return c.assign_task().case_number();
    case model::Command::kCompleteTask: return c.complete_task().case_number();
    case model::Command::kAddNote: return c.add_note().case_number();
    case model::Command::kCloseCase: return c.close_case().case_number();
    case model::Command::kCancelCase: return c.cancel_case().case_number();
    case model::Command::kOpenCase:
    case model::Command::kAddUser:
    case model::Command::BODY_NOT_SET:
      break;
  }
  return "";
}

Status Dispatcher::Initialize(std::string_view admin_name) {
  const model::Instant now = clock_.Now();
  return store_.Write([&](StoreWriter& w) -> Status {
    ASSIGN_OR_RETURN(auto existing, w.ListCentres());
    if (!existing.empty()) {
      return Status::AlreadyExists("the database is already initialised");
    }
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

Result<Actor> Dispatcher::ResolveActor(std::string_view user_name) {
  if (user_name.empty()) {
    return Status::InvalidArgument(
        "say who you are with --as NAME (or set DISPATCH_AS); `dispatch user list` shows users");
  }
  ASSIGN_OR_RETURN(auto user, store_.Read().GetUser(user_name));
  if (!user) {
    return Status::NotFound("no user named '" + std::string(user_name) +
                            "'; an admin adds users with `dispatch user add`");
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
  ASSIGN_OR_RETURN(auto loaded, model::LoadDefinition("(pinned " + ref.name() + " v" +
                                                          std::to_string(ref.version()) + ")",
                                                      std::move(*text)));
  RETURN_IF_ERROR(catalog_.Add(std::move(loaded)));
  return catalog_.ByHash(ref.content_hash());
}

Result<const model::LoadedDefinition*> Dispatcher::DefinitionOf(const model::CaseState& c) {
  return PinnedDefinition(store_.Read(), c.definition());
}

Result<CommandReply> Dispatcher::Execute(const model::Command& command,
                                         std::string_view actor_name) {
  ASSIGN_OR_RETURN(Actor actor, ResolveActor(actor_name));
  const model::Instant now = clock_.Now();
  CommandReply reply;
  Status s = store_.Write([&](StoreWriter& w) -> Status {
    std::string fingerprint;
    if (!command.idempotency_key().empty()) {
      fingerprint = Fingerprint(command, actor.user);
      ASSIGN_OR_RETURN(auto stored, w.FindReply(command.idempotency_key()));
      if (stored) {
        if (stored->fingerprint != fingerprint) {
          return Status::AlreadyExists("idempotency key '" + command.idempotency_key() +
                                       "' was already used for a different command");
        }
        reply = std::move(stored->reply);
        reply.set_replayed(true);
        return Status::Ok();
      }
    }
    ASSIGN_OR_RETURN(reply, ExecuteIn(w, command, actor, now));
    if (!command.idempotency_key().empty()) {
      RETURN_IF_ERROR(w.SaveReply(command.idempotency_key(), {fingerprint, reply}, now));
    }
    return Status::Ok();
  });
  const std::string number =
      reply.has_case_state() ? reply.case_state().number() : CaseNumberOf(command);
  if (!s.ok()) {
    spdlog::info("refused {} on {} by {}: {}", KindOf(command), number, actor.user, s.ToString());
    return s;
  }
  spdlog::info("{} {} on {} by {}: {} event(s)", reply.replayed() ? "replayed" : "applied",
               KindOf(command), number, actor.user, reply.event_size());
  return reply;
}

Result<CommandReply> Dispatcher::ExecuteIn(StoreWriter& w, const model::Command& command,
                                           const Actor& actor, model::Instant now) {
  CommandReply reply;
  if (command.has_add_user()) {
    ASSIGN_OR_RETURN(auto centres, CentreCodes(w));
    ASSIGN_OR_RETURN(model::User user, DecideAddUser(actor, command.add_user(), centres, now));
    RETURN_IF_ERROR(w.PutUser(user));
    *reply.mutable_user() = std::move(user);
    return reply;
  }

  DecideContext ctx;
  ctx.actor = actor;
  ctx.now = now;
  std::optional<model::CaseState> current;
  std::optional<model::User> assignee;
  if (command.has_open_case()) {
    const model::OpenCase& open = command.open_case();
    ctx.definition = catalog_.Latest(open.type());
    if (ctx.definition == nullptr) {
      return Status::InvalidArgument("unknown case type '" + open.type() + "'; case types are " +
                                     catalog_.Names());
    }
    ASSIGN_OR_RETURN(ctx.centres, CentreCodes(w));
    if (!open.related_case().empty()) {
      ASSIGN_OR_RETURN(auto related, w.GetCase(open.related_case()));
      if (!related || !CanRead(actor, *related)) {
        return Status::NotFound("no case " + open.related_case() + " to relate the new case to");
      }
    }
    if (ctx.centres.count(open.centre()) != 0) {
      ASSIGN_OR_RETURN(ctx.new_case_number,
                       w.NextCaseNumber(open.centre(), model::HongKongYear(now)));
    }
    RETURN_IF_ERROR(w.PinDefinition(*ctx.definition, now));
  } else {
    const std::string number = CaseNumberOf(command);
    if (number.empty()) return Status::InvalidArgument("the command names no case");
    ASSIGN_OR_RETURN(current, w.GetCase(number));
    if (!current) return Status::NotFound("no case " + number);
    if (!CanRead(actor, *current)) {
      // Not even existence is disclosed to those who may not see a case.
      return Status::NotFound("no case " + number);
    }
    ASSIGN_OR_RETURN(ctx.definition, PinnedDefinition(w, current->definition()));
    if (command.has_assign_task()) {
      ASSIGN_OR_RETURN(assignee, w.GetUser(command.assign_task().assignee()));
      if (assignee) ctx.assignee = &*assignee;
    }
  }

  ASSIGN_OR_RETURN(std::vector<model::Event> events,
                   Decide(current ? &*current : nullptr, command, ctx));
  model::CaseState after = current ? *current : model::CaseState();
  for (const model::Event& e : events) Evolve(after, e);
  RETURN_IF_ERROR(w.Append(after, events));
  *reply.mutable_case_state() = std::move(after);
  for (auto& e : events) *reply.add_event() = std::move(e);
  return reply;
}

Result<model::CaseState> Dispatcher::GetCase(const Actor& actor, std::string_view number) {
  ASSIGN_OR_RETURN(auto c, store_.Read().GetCase(number));
  if (!c) return Status::NotFound("no case " + std::string(number));
  if (!CanRead(actor, *c)) {
    return Status::PermissionDenied(actor.Describe() + " cannot see case " + std::string(number) +
                                    ", which belongs to " + c->centre());
  }
  return std::move(*c);
}

Result<std::vector<model::CaseState>> Dispatcher::ListCases(const Actor& actor,
                                                            const CaseFilter& filter) {
  ASSIGN_OR_RETURN(auto all, store_.Read().ListCases(filter));
  std::vector<model::CaseState> out;
  for (auto& c : all) {
    if (CanRead(actor, c)) out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<model::TaskView>> Dispatcher::ListTasks(const Actor& actor,
                                                           const TaskFilter& filter) {
  ASSIGN_OR_RETURN(auto all, store_.Read().ListTasks(filter));
  std::vector<model::TaskView> out;
  for (auto& t : all) {
    model::CaseState owner;
    owner.set_centre(t.centre());
    if (CanRead(actor, owner)) out.push_back(std::move(t));
  }
  return out;
}

Result<std::vector<model::Event>> Dispatcher::Timeline(const Actor& actor,
                                                       std::string_view number) {
  ASSIGN_OR_RETURN(model::CaseState c, GetCase(actor, number));
  return store_.Read().Timeline(c.number());
}

}  // namespace dispatch
