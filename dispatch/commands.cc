#include "dispatch/commands.h"

#include <cstdlib>

namespace dispatch {

namespace {

using model::Command;
constexpr auto kNewCase = CommandScope::kNewCase;
constexpr auto kCase = CommandScope::kCase;
constexpr auto kDirectory = CommandScope::kDirectory;

const CommandSpec kCommands[] = {
    {Command::kOpenCase, "open_case", kNewCase, Answer::kCase, "open a case; answers its number",
     decide::OpenCase},
    {Command::kFireEvent, "fire_event", kCase, Answer::kCase,
     "move a case on by an event of its workflow", decide::FireEvent},
    {Command::kAssignTask, "assign_task", kCase, Answer::kCase, "give a task to someone",
     decide::AssignTask},
    {Command::kCompleteTask, "complete_task", kCase, Answer::kCase, "mark a task done",
     decide::CompleteTask},
    {Command::kMarkNotApplicable, "mark_not_applicable", kCase, Answer::kCase,
     "mark a task the case does not need as not applicable, with a reason",
     decide::MarkNotApplicable},
    {Command::kAddPerson, "add_person", kCase, Answer::kCase,
     "add someone else the case is about (a spouse, a son travelling with them)",
     decide::AddPerson},
    {Command::kCorrectPerson, "correct_person", kCase, Answer::kCase,
     "correct what is known of a person on a case (1: the case's person), with a reason",
     decide::CorrectPerson},
    {Command::kSetCaller, "set_caller", kCase, Answer::kCase,
     "say who called or referred a case, or correct it (with a reason)", decide::SetCaller},
    {Command::kRecordContact, "record_contact", kCase, Answer::kCase,
     "record what an outside party said: who, when, how", decide::RecordContact},
    {Command::kSetCategory, "set_category", kCase, Answer::kCase,
     "say what a case is counted under in the yearly report, or correct it (with a reason)",
     decide::SetCategory},
    {Command::kAddNote, "add_note", kCase, Answer::kCase, "add a note to a case's timeline",
     decide::AddNote},
    {Command::kSetFields, "set_fields", kCase, Answer::kCase,
     "set, correct or clear case fields without moving the case", decide::SetFields},
    {Command::kCloseCase, "close_case", kCase, Answer::kCase,
     "close a case whose workflow has ended", decide::CloseCase},
    {Command::kCancelCase, "cancel_case", kCase, Answer::kCase, "stop work on a case",
     decide::CancelCase},
    {Command::kPauseCase, "pause_case", kCase, Answer::kCase,
     "stop a case's clocks while it waits on an outside party", decide::PauseCase},
    {Command::kResumeCase, "resume_case", kCase, Answer::kCase, "start a case's clocks again",
     decide::ResumeCase},
    {Command::kRequestHandoff, "request_handoff", kCase, Answer::kCase,
     "ask another centre to take a leg of a case", decide::RequestHandoff},
    {Command::kAcceptHandoff, "accept_handoff", kCase, Answer::kCase,
     "take a leg offered to your centre", decide::AcceptHandoff},
    {Command::kDeclineHandoff, "decline_handoff", kCase, Answer::kCase,
     "refuse a leg offered to your centre", decide::DeclineHandoff},
    {Command::kFireDeadline, "fire_deadline", kCase, Answer::kCase,
     "fire a case's timer (the system only)", decide::FireDeadline},
    {Command::kReleaseTasks, "release_tasks", kCase, Answer::kCase,
     "hand someone's open tasks on a case to colleagues on duty", decide::ReleaseTasks},
    {Command::kAddUser, "add_user", kDirectory, Answer::kUser, "add a user (admins)", nullptr,
     decide::AddUser},
    {Command::kDutyOn, "duty_on", kDirectory, Answer::kShift, "go on duty, or put someone there",
     nullptr, decide::DutyOn},
    {Command::kDutyOff, "duty_off", kDirectory, Answer::kShift,
     "go off duty, handing open tasks on", nullptr, decide::DutyOff},
    {Command::kSetWebhook, "set_webhook", kDirectory, Answer::kCentre,
     "set or remove a centre's chat-group webhook (admins)", nullptr, decide::SetWebhook},
    {Command::kMarkRead, "mark_read", kDirectory, Answer::kNothing, "mark an inbox message read",
     nullptr, decide::MarkRead},
    {Command::kSetPassword, "set_password", kDirectory, Answer::kNothing,
     "set a user's first password (admins), or change one's own", nullptr, decide::SetPassword,
     decide::HashNewPassword},
    {Command::kCreateToken, "create_token", kDirectory, Answer::kKey,
     "make a bearer token for scripts; its secret is shown once", nullptr, decide::CreateToken},
    {Command::kRevokeToken, "revoke_token", kDirectory, Answer::kKey, "revoke a token or session",
     nullptr, decide::RevokeToken},
    {Command::kLogContact, "log_contact", kDirectory, Answer::kContact,
     "log a call or visit to a centre, counted in the yearly report", nullptr,
     decide::LogContact},
    {Command::kRecordPastCase, "record_past_case", kNewCase, Answer::kCase,
     "enter a finished case from an earlier record, counted but not worked (supervisors)",
     decide::RecordPastCase},
    {Command::kImportRecords, "import_records", kDirectory, Answer::kImport,
     "enter contacts or finished cases from a CSV file, every row or none (supervisors)", nullptr,
     decide::ImportRecords},
};

const CommandSpec kEmpty{Command::BODY_NOT_SET, "empty", kDirectory, Answer::kNothing,
                         "a command with no body"};

}  // namespace

std::span<const CommandSpec> AllCommands() { return kCommands; }

const CommandSpec& SpecOf(Command::BodyCase kind) {
  for (const CommandSpec& spec : kCommands) {
    if (spec.kind == kind) return spec;
  }
  return kEmpty;
}

}  // namespace dispatch
