#include "support/world.h"

#include <doctest/doctest.h>

#include "dispatch/tick.h"
#include "notify/notifications.h"

namespace testing {

model::Instant StartTime() { return *model::ParseTimestamp("2026-03-02T09:00:00+08:00"); }

model::WorkflowCatalog ShippedCatalog() {
  auto c = model::WorkflowCatalog::LoadDirectory(DISPATCH_WORKFLOW_DIR);
  REQUIRE_MESSAGE(c.ok(), c.status().ToString());
  return std::move(c).value();
}

World::World(const std::string& db_path, dispatch::DatabasePurpose purpose)
    : clock(StartTime()), catalog(ShippedCatalog()) {
  auto s = dispatch::SqliteStore::Open(db_path, dispatch::SqliteStore::Mode::kCreate);
  REQUIRE_MESSAGE(s.ok(), s.status().ToString());
  store = std::move(s).value();
  dispatcher = std::make_unique<dispatch::Dispatcher>(*store, catalog, clock);
  REQUIRE(dispatcher->Initialize("admin", purpose).ok());
  const struct {
    const char* name;
    const char* centre;
    const char* role;
  } users[] = {{"chan_sz", "SZ", "duty_officer"}, {"lee_sz", "SZ", "duty_officer"},
               {"ho_sz", "SZ", "supervisor"},     {"mak_sz", "SZ", "coordinator"},
               {"lam_dg", "DG", "duty_officer"},  {"choi_dg", "DG", "coordinator"},
               {"lin_fj", "FJ", "duty_officer"},  {"wong_fj", "FJ", "coordinator"},
               {"kwok_fj", "FJ", "supervisor"},   {"yu_zs", "ZS", "duty_officer"},
               {"sit_zs", "ZS", "coordinator"}};
  for (const auto& u : users) {
    model::Command c;
    c.mutable_add_user()->set_name(u.name);
    c.mutable_add_user()->set_centre(u.centre);
    c.mutable_add_user()->set_role(u.role);
    Must(c, "admin");
  }
  inbox = std::make_unique<notify::InboxChannel>(store->inbox(), clock);
  deliverer = std::make_unique<notify::Deliverer>(store->outbox(), clock, notify::RetryPolicy(),
                                                  [] { return 0.5; });
  deliverer->AddChannel(notify::kInbox, inbox.get());
}

void World::OnDuty(const std::string& user, const std::string& role) {
  model::Command c;
  c.mutable_duty_on()->set_role(role);
  Must(c, user);
}

int World::Advance(model::Millis by) {
  clock.Advance(by);
  auto r = dispatch::Tick(*dispatcher, *deliverer);
  REQUIRE_MESSAGE(r.ok(), r.status().ToString());
  return r->deadlines_fired;
}

std::vector<std::string> World::Inbox(const std::string& recipient, const std::string& number) {
  REQUIRE(deliverer->DeliverDue().ok());
  auto items = store->Read().ListInbox({recipient}, "", false, 1000);
  REQUIRE(items.ok());
  std::vector<std::string> out;
  for (auto it = items->rbegin(); it != items->rend(); ++it) {
    if (number.empty() || it->case_number() == number) out.push_back(it->title().en());
  }
  return out;
}

model::CaseState World::Case(const std::string& number) {
  auto c = store->Read().GetCase(number);
  REQUIRE(c.ok());
  REQUIRE(c->has_value());
  return **c;
}

std::vector<model::Event> World::Timeline(const std::string& number) {
  auto events = store->Read().Timeline(number);
  REQUIRE(events.ok());
  return std::move(events).value();
}

std::vector<std::string> Kinds(const std::vector<model::Event>& events) {
  std::vector<std::string> out;
  for (const model::Event& e : events) {
    out.push_back(model::Event::descriptor()->FindFieldByNumber(e.body_case())->name());
  }
  return out;
}

std::vector<std::string> Kinds(const model::CommandReply& reply) {
  return Kinds(std::vector<model::Event>(reply.event().begin(), reply.event().end()));
}

model::CommandReply World::Must(const model::Command& command, const std::string& actor) {
  auto r = dispatcher->Execute(command, actor);
  REQUIRE_MESSAGE(r.ok(), r.status().ToString());
  return std::move(r).value();
}

std::string World::OpenEscort() {
  return Must(OpenCaseCommand("escort_to_port", "SZ"), "chan_sz").case_state().number();
}

model::Command OpenCaseCommand(const std::string& type, const std::string& centre) {
  model::Command c;
  auto* o = c.mutable_open_case();
  o->set_type(type);
  o->set_centre(centre);
  o->mutable_person()->set_name_zh("李陳淑芬");
  o->mutable_person()->set_name_en("LI CHAN Shuk Fan");
  o->mutable_person()->set_hkid("A123456(3)");
  if (type == "document_verification") (*o->mutable_fields())["requested_by"] = "Longgang bureau";
  if (type == "cross_border_ambulance") (*o->mutable_fields())["hospital"] = "Zhangmutou Hospital";
  return c;
}

model::Command FireCommand(const std::string& number, const std::string& event) {
  model::Command c;
  c.mutable_fire_event()->set_case_number(number);
  c.mutable_fire_event()->set_event(event);
  return c;
}

model::Command DoneCommand(const std::string& number, const std::string& task_name) {
  model::Command c;
  c.mutable_complete_task()->set_case_number(number);
  c.mutable_complete_task()->mutable_task()->set_name(task_name);
  return c;
}

model::Command AssignCommand(const std::string& number, int seq, const std::string& user) {
  model::Command c;
  c.mutable_assign_task()->set_case_number(number);
  c.mutable_assign_task()->mutable_task()->set_seq(seq);
  c.mutable_assign_task()->set_assignee(user);
  return c;
}

model::Command PlanConfirmedCommand(const std::string& number) {
  model::Command c = FireCommand(number, "plan_confirmed");
  auto& f = *c.mutable_fire_event()->mutable_fields();
  f["port"] = "shenzhen_bay";
  f["crossing_date"] = "2026-03-03";  // tomorrow: the case sets off at once
  f["hk_receiver"] = "family";
  return c;
}

bool HasChinese(std::string_view text) {
  for (size_t i = 0; i + 2 < text.size(); ++i) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    if ((b0 & 0xF0) != 0xE0) continue;
    const auto b1 = static_cast<unsigned char>(text[i + 1]);
    const auto b2 = static_cast<unsigned char>(text[i + 2]);
    const unsigned code = ((b0 & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
    if (code >= 0x4E00 && code <= 0x9FFF) return true;
  }
  return false;
}

}  // namespace testing
