// A small world for engine and store tests: a real SQLite store (in memory
// or on disk), the shipped workflow definitions, a fake clock and a cast of
// synthetic users.
#ifndef TESTS_SUPPORT_WORLD_H_
#define TESTS_SUPPORT_WORLD_H_

#include <memory>
#include <string>
#include <string_view>

#include "dispatch/dispatcher.h"
#include "dispatch/sqlite_store.h"
#include "model/workflow_catalog.h"
#include "notify/deliverer.h"
#include "notify/inbox_channel.h"

namespace testing {

// 2026-03-02 09:00 in Hong Kong.
model::Instant StartTime();

model::WorkflowCatalog ShippedCatalog();

// Users (nobody on duty until put there):
//   SZ: chan_sz, lee_sz (duty officers), ho_sz (supervisor), mak_sz (coordinator)
//   DG: lam_dg (duty officer), choi_dg (coordinator)
//   FJ: lin_fj (duty officer), wong_fj (coordinator), kwok_fj (supervisor)
//   ZS: yu_zs (duty officer), sit_zs (coordinator)
//   admin
class World {
 public:
  explicit World(const std::string& db_path = ":memory:",
                 dispatch::DatabasePurpose purpose = dispatch::DatabasePurpose::kLiveWork);

  model::FakeClock clock;
  model::WorkflowCatalog catalog;
  std::unique_ptr<dispatch::SqliteStore> store;
  std::unique_ptr<dispatch::Dispatcher> dispatcher;
  std::unique_ptr<notify::InboxChannel> inbox;
  std::unique_ptr<notify::Deliverer> deliverer;

  // Runs `command` as `actor`; REQUIRES it to succeed (fails the test otherwise).
  model::CommandReply Must(const model::Command& command, const std::string& actor);
  // Opens an escort_to_port case at SZ as chan_sz and returns its number.
  std::string OpenEscort();
  // Puts `user` on duty (in `role`, default their own) from now on.
  void OnDuty(const std::string& user, const std::string& role = "");
  // Moves the clock, fires what fell due and delivers inbox messages;
  // returns how many deadlines fired.
  int Advance(model::Millis by);
  // Titles (English) of the messages in `recipient`'s inbox about `number`, oldest first.
  std::vector<std::string> Inbox(const std::string& recipient, const std::string& number = "");
  model::CaseState Case(const std::string& number);
  std::vector<model::Event> Timeline(const std::string& number);
};

// Whether `text` has a Chinese character in it (CJK Unified Ideographs): a
// message was written for an officer who reads Chinese.
bool HasChinese(std::string_view text);

// The kinds of `events` in order: "case_opened", "task_created", ...
std::vector<std::string> Kinds(const std::vector<model::Event>& events);
std::vector<std::string> Kinds(const model::CommandReply& reply);

model::Command OpenCaseCommand(const std::string& type, const std::string& centre);
model::Command FireCommand(const std::string& number, const std::string& event);
model::Command DoneCommand(const std::string& number, const std::string& task_name);
model::Command AssignCommand(const std::string& number, int seq, const std::string& user);
// plan_confirmed on an escort case, with the fields its guard needs.
model::Command PlanConfirmedCommand(const std::string& number);

}  // namespace testing

#endif  // TESTS_SUPPORT_WORLD_H_
