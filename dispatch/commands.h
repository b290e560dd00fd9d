// What each command is, said once. Every surface and the engine read this
// table: the CLI for what answers a command, the server and the scenarios
// for nothing at all (they carry any Command), the engine for how it is
// decided. Adding a command means a message in model/proto/command.proto, a
// row in commands.cc, and its decision.
#ifndef DISPATCH_COMMANDS_H_
#define DISPATCH_COMMANDS_H_

#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "dispatch/access.h"
#include "dispatch/store.h"
#include "model/categories.h"
#include "model/proto/command.pb.h"
#include "model/proto/directory.pb.h"
#include "model/status.h"
#include "model/time.h"

namespace dispatch {

class Decision;

enum class CommandScope {
  kNewCase,    // opens a case
  kCase,       // about one case: decided on its state by the engine (Decide)
  kDirectory,  // about people, duty, centres, inboxes or accounts: decided on the store
};

// The part of CommandReply that answers a command.
enum class Answer { kCase, kUser, kShift, kCentre, kKey, kContact, kImport, kNothing };

// What a directory command is decided with: the store inside the command's
// transaction, who and when, what was worked out before the transaction
// (`prepared`), and a way to run a case command in the same transaction
// (going off duty hands tasks on).
struct DirectoryWork {
  StoreWriter& store;
  const Actor& actor;
  model::Instant now;
  const std::string& prepared;
  const model::Categories& categories;
  std::function<model::Result<model::CommandReply>(const model::Command&)> run_case_command;
};

// Work done before the transaction because it is slow and reads nothing
// that the transaction could change under it (a password's scrypt hash).
using Preparer = model::Result<std::string> (*)(StoreReader& store, const model::Command& command,
                                                const Actor& actor);
using CaseDecider = model::Status (*)(Decision& d, const model::Command& command);
using DirectoryDecider = model::Result<model::CommandReply> (*)(DirectoryWork& work,
                                                                const model::Command& command);

struct CommandSpec {
  model::Command::BodyCase kind;
  std::string_view name;  // the Command field: the JSON key, the scenario's key, the log's word
  CommandScope scope;
  Answer answer;
  std::string_view what;  // one line on what it does
  CaseDecider decide_case = nullptr;            // kNewCase and kCase
  DirectoryDecider decide_directory = nullptr;  // kDirectory
  Preparer prepare = nullptr;                   // when it needs one
};

// A new key for `user` with a fresh secret (kind "session" or "token"),
// lasting `lasts` from `now`.
model::AccessKey NewAccessKey(std::string_view user, std::string_view kind, model::Instant now,
                              model::Millis lasts);
// How long a signed-in session lasts.
model::Millis SessionLasts();

// Every command, in the order of command.proto.
std::span<const CommandSpec> AllCommands();
// The row of `kind`; a command with no body has a row whose deciders are
// null. REQUIRES: `kind` is a value of the oneof.
const CommandSpec& SpecOf(model::Command::BodyCase kind);

// The decisions, one per command (engine.cc for case commands,
// directory_commands.cc for the rest).
namespace decide {
model::Status OpenCase(Decision& d, const model::Command& c);
model::Status RecordPastCase(Decision& d, const model::Command& c);
model::Status FireEvent(Decision& d, const model::Command& c);
model::Status AssignTask(Decision& d, const model::Command& c);
model::Status CompleteTask(Decision& d, const model::Command& c);
model::Status AddNote(Decision& d, const model::Command& c);
model::Status SetFields(Decision& d, const model::Command& c);
model::Status MarkNotApplicable(Decision& d, const model::Command& c);
model::Status AddPerson(Decision& d, const model::Command& c);
model::Status CorrectPerson(Decision& d, const model::Command& c);
model::Status SetCaller(Decision& d, const model::Command& c);
model::Status RecordContact(Decision& d, const model::Command& c);
model::Status SetCategory(Decision& d, const model::Command& c);
model::Status CloseCase(Decision& d, const model::Command& c);
model::Status CancelCase(Decision& d, const model::Command& c);
model::Status PauseCase(Decision& d, const model::Command& c);
model::Status ResumeCase(Decision& d, const model::Command& c);
model::Status RequestHandoff(Decision& d, const model::Command& c);
model::Status AcceptHandoff(Decision& d, const model::Command& c);
model::Status DeclineHandoff(Decision& d, const model::Command& c);
model::Status FireDeadline(Decision& d, const model::Command& c);
model::Status ReleaseTasks(Decision& d, const model::Command& c);

model::Result<model::CommandReply> AddUser(DirectoryWork& w, const model::Command& c);
model::Result<model::CommandReply> DutyOn(DirectoryWork& w, const model::Command& c);
model::Result<model::CommandReply> DutyOff(DirectoryWork& w, const model::Command& c);
model::Result<model::CommandReply> SetWebhook(DirectoryWork& w, const model::Command& c);
model::Result<model::CommandReply> MarkRead(DirectoryWork& w, const model::Command& c);
model::Result<model::CommandReply> SetPassword(DirectoryWork& w, const model::Command& c);
model::Result<model::CommandReply> CreateToken(DirectoryWork& w, const model::Command& c);
model::Result<model::CommandReply> RevokeToken(DirectoryWork& w, const model::Command& c);
model::Result<model::CommandReply> LogContact(DirectoryWork& w, const model::Command& c);
model::Result<model::CommandReply> ImportRecords(DirectoryWork& w, const model::Command& c);
// log_contact's work, for an import's rows too: `source` is where an earlier
// record came from ("contacts-2023.csv line 12"), empty for a contact logged now.
model::Result<model::Contact> EnterContact(DirectoryWork& w, const model::LogContact& log,
                                           std::string_view source);

model::Result<std::string> HashNewPassword(StoreReader& store, const model::Command& c,
                                           const Actor& actor);
}  // namespace decide

}  // namespace dispatch

#endif  // DISPATCH_COMMANDS_H_
