#include "dispatch/dispatcher.h"

#include <doctest/doctest.h>
#include <google/protobuf/util/message_differencer.h>

#include "model/text_proto.h"
#include "support/temp_dir.h"
#include "support/world.h"

namespace dispatch {
namespace {

using google::protobuf::util::MessageDifferencer;
using model::Code;

size_t JournalSize(testing::World& w, const std::string& number) {
  return w.store->Read().Timeline(number)->size();
}

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// Every path from `d` to a string field, as field lists: open_case.person.name_en, ...
void StringPaths(const Descriptor* d, std::vector<const FieldDescriptor*>& prefix,
                 std::vector<std::vector<const FieldDescriptor*>>& out) {
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    prefix.push_back(f);
    if (f->is_map() || f->type() == FieldDescriptor::TYPE_STRING) {
      out.push_back(prefix);
    } else if (f->type() == FieldDescriptor::TYPE_MESSAGE && !f->is_repeated()) {
      StringPaths(f->message_type(), prefix, out);
    }
    prefix.pop_back();
  }
}

// A command with `text` at `path` (a map gets one entry whose value is `text`).
model::Command WithText(const std::vector<const FieldDescriptor*>& path, const std::string& text) {
  model::Command c;
  Message* m = &c;
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    m = m->GetReflection()->MutableMessage(m, path[i]);
  }
  const FieldDescriptor* leaf = path.back();
  if (leaf->is_map()) {
    Message* entry = m->GetReflection()->AddMessage(m, leaf);
    entry->GetReflection()->SetString(entry, leaf->message_type()->map_key(), "note");
    entry->GetReflection()->SetString(entry, leaf->message_type()->map_value(), text);
  } else if (leaf->is_repeated()) {
    m->GetReflection()->AddString(m, leaf, text);
  } else {
    m->GetReflection()->SetString(m, leaf, text);
  }
  return c;
}

std::string PathName(const std::vector<const FieldDescriptor*>& path) {
  std::string out;
  for (const auto* f : path) out += (out.empty() ? "" : ".") + f->name();
  return out;
}

}  // namespace

TEST_CASE("an unknown actor or case type is refused with what to do") {
  testing::World w;
  auto r = w.dispatcher->Execute(testing::OpenCaseCommand("escort_to_port", "SZ"), "nobody");
  CHECK(r.status().message() ==
        "no user named 'nobody'; an admin adds users with `dispatch user add`");
  r = w.dispatcher->Execute(testing::OpenCaseCommand("escort_to_port", "SZ"), "");
  CHECK(r.status().code() == Code::kInvalidArgument);
  r = w.dispatcher->Execute(testing::OpenCaseCommand("repatriation", "SZ"), "chan_sz");
  CHECK(r.status().message() ==
        "unknown case type 'repatriation'; case types are cross_border_ambulance, "
        "document_verification, escort_to_port, stranded_resident");
}

TEST_CASE("text that is not UTF-8 is refused in every text field of every command") {
  // A name typed in a Big5 or GBK terminal. Stored, it would make the row
  // unreadable for every centre; refused, it writes nothing.
  testing::TempDir dir;
  testing::World w(dir.Path("centre.db"));
  const std::string number = w.OpenEscort();
  const auto journal = JournalSize(w, number);
  std::vector<const FieldDescriptor*> prefix;
  std::vector<std::vector<const FieldDescriptor*>> paths;
  StringPaths(model::Command::descriptor(), prefix, paths);
  CHECK(paths.size() > 40);  // every command's strings, the person's included
  for (const auto& path : paths) {
    const std::string name = PathName(path);
    for (const char* actor : {"chan_sz", "admin"}) {
      auto r = w.dispatcher->Execute(WithText(path, "x\xff"), actor);
      CHECK_MESSAGE(r.status().code() == Code::kInvalidArgument, name);
      // One item of a repeated field is named with its index.
      CHECK_MESSAGE(r.status().field() == name + (path.back()->is_repeated() && !path.back()->is_map()
                                                      ? "[0]"
                                                      : ""),
                    name);
    }
  }
  CHECK(JournalSize(w, number) == journal);
  CHECK(w.store->Read().ListCases({})->size() == 1);
  CHECK(w.store->Read().ListUsers()->size() == 12);
}

TEST_CASE("a retry that spells the identity number differently is the same command") {
  testing::World w;
  model::Command open = testing::OpenCaseCommand("escort_to_port", "SZ");
  open.set_idempotency_key("call-0412-open");
  open.mutable_open_case()->mutable_person()->set_hkid("A123456(3)");
  const auto first = w.Must(open, "chan_sz");
  open.mutable_open_case()->mutable_person()->set_hkid("a1234563");
  open.mutable_open_case()->mutable_person()->set_name_en("  LI CHAN Shuk Fan ");
  const auto again = w.Must(open, "chan_sz");
  CHECK(again.replayed());
  CHECK(again.case_state().number() == first.case_state().number());
  CHECK(w.store->Read().ListCases({})->size() == 1);
}

TEST_CASE("a refused command writes nothing and uses no case number") {
  testing::World w;
  model::Command bad = testing::OpenCaseCommand("escort_to_port", "SZ");
  bad.mutable_open_case()->mutable_person()->set_hkid("A123456(4)");
  CHECK(w.dispatcher->Execute(bad, "chan_sz").status().code() == Code::kInvalidArgument);
  CHECK(w.store->Read().ListCases({})->empty());
  CHECK(w.OpenEscort() == "SZ-2026-0001");
}

TEST_CASE("a retry with the same idempotency key does the command once") {
  testing::World w;
  model::Command open = testing::OpenCaseCommand("escort_to_port", "SZ");
  open.set_idempotency_key("call-0412-open");
  const auto first = w.Must(open, "chan_sz");
  const auto again = w.Must(open, "chan_sz");
  CHECK_FALSE(first.replayed());
  CHECK(again.replayed());
  CHECK(again.case_state().number() == first.case_state().number());
  CHECK(w.store->Read().ListCases({})->size() == 1);

  model::Command done = testing::DoneCommand(first.case_state().number(), "arrange_departure");
  done.set_idempotency_key("call-0412-done");
  w.Must(done, "chan_sz");
  const size_t journal = JournalSize(w, first.case_state().number());
  w.clock.Advance(std::chrono::minutes(5));
  const auto retried = w.Must(done, "chan_sz");
  CHECK(retried.replayed());
  CHECK(MessageDifferencer::Equals(retried.event(retried.event_size() - 1),
                                   w.store->Read().Timeline(first.case_state().number())->back()));
  CHECK(JournalSize(w, first.case_state().number()) == journal);

  // The same key for a different command is refused.
  model::Command other = testing::DoneCommand(first.case_state().number(), "check_travel_documents");
  other.set_idempotency_key("call-0412-done");
  CHECK(w.dispatcher->Execute(other, "chan_sz").status().message() ==
        "idempotency key 'call-0412-done' was already used for a different command");
  CHECK(JournalSize(w, first.case_state().number()) == journal);
  // Keys are each person's own: another officer's same key is a new command
  // of theirs (here refused because the task is done, not for the key).
  CHECK(w.dispatcher->Execute(done, "lee_sz").status().code() == Code::kNotFound);
  CHECK(w.Must(other, "lee_sz").replayed() == false);
}

TEST_CASE("a refused command with a key can be retried once fixed") {
  testing::World w;
  model::Command open = testing::OpenCaseCommand("escort_to_port", "SZ");
  open.set_idempotency_key("k1");
  CHECK_FALSE(w.dispatcher->Execute(open, "lam_dg").ok());
  CHECK(w.Must(open, "chan_sz").case_state().number() == "SZ-2026-0001");
}

TEST_CASE("other centres neither see nor learn of a case") {
  testing::World w;
  const std::string number = w.OpenEscort();
  const Actor lam = *w.dispatcher->ResolveActor("lam_dg");
  // Answered exactly as a case that does not exist.
  CHECK(w.dispatcher->GetCase(lam, number).status().ToString() ==
        w.dispatcher->GetCase(lam, "SZ-2026-0999").status().ToString().replace(
            std::string("NOT_FOUND: no case ").size(), 12, number));
  CHECK(w.dispatcher->GetCase(lam, number).status().message() == "no case " + number);
  CHECK(w.dispatcher->Timeline(lam, number).status().message() == "no case " + number);
  CHECK(w.dispatcher->ListCases(lam, {})->empty());
  CHECK(w.dispatcher->ListTasks(lam, {})->empty());
  // Commands answer as if the case did not exist.
  CHECK(w.dispatcher->Execute(testing::DoneCommand(number, "arrange_departure"), "lam_dg")
            .status().message() == "no case " + number);
  // A supervisor of any centre reads it.
  const Actor ho = *w.dispatcher->ResolveActor("ho_sz");
  CHECK(w.dispatcher->ListCases(ho, {})->size() == 1);
  CHECK(w.dispatcher->ListTasks(ho, {})->size() == 3);
  CHECK(w.dispatcher->GetCase(*w.dispatcher->ResolveActor("chan_sz"), "SZ-2026-0999").status().code() ==
        Code::kNotFound);
}

TEST_CASE("a running case keeps the definition it started on") {
  testing::TempDir dir;
  const std::string db = dir.Path("pinned.db");
  auto v1 = model::ReadFile(std::string(DISPATCH_WORKFLOW_DIR) + "/escort_to_port.textproto");
  REQUIRE(v1.ok());
  std::string number;
  std::string v1_hash;
  {
    testing::World w(db);
    number = w.OpenEscort();
    v1_hash = w.store->Read().GetCase(number)->value().definition().content_hash();
  }
  // Version 2 drops the health declaration task; it is the only definition on disk now.
  std::string v2 = *v1;
  v2.replace(v2.find("version: 3"), 10, "version: 4");
  const auto task_at = v2.find("  task {\n    name: \"health_declaration\"");
  const auto task_end = v2.find("  task {", task_at + 5);
  v2.erase(task_at, task_end - task_at);
  v2.replace(v2.find("      tasks_done: \"health_declaration\"\n"), 39, "");
  const std::string workflows = dir.Path("workflows");
  std::filesystem::create_directory(workflows);
  dir.Write("workflows/escort_to_port.textproto", v2);
  auto catalog = model::WorkflowCatalog::LoadDirectory(workflows);
  REQUIRE_MESSAGE(catalog.ok(), catalog.status().ToString());
  auto store = SqliteStore::Open(db, SqliteStore::Mode::kOpenExisting);
  REQUIRE(store.ok());
  model::FakeClock clock(testing::StartTime());
  Dispatcher d(**store, *catalog, clock);

  auto run = [&](const model::Command& c) {
    auto r = d.Execute(c, "chan_sz");
    REQUIRE_MESSAGE(r.ok(), r.status().ToString());
    return *r;
  };
  for (const char* t : {"agree_crossing_with_family", "check_travel_documents", "arrange_departure"}) {
    run(testing::DoneCommand(number, t));
  }
  model::Command fire = testing::PlanConfirmedCommand(number);
  const auto old_case = run(fire).case_state();
  CHECK(old_case.definition().version() == 3);
  CHECK(old_case.definition().content_hash() == v1_hash);
  int open = 0;
  for (const auto& t : old_case.task()) {
    if (t.status() == model::TASK_OPEN) {
      ++open;
    }
  }
  CHECK(open == 2);  // health_declaration and coordinate_customs, as in the version it started on

  const auto new_case = run(testing::OpenCaseCommand("escort_to_port", "SZ")).case_state();
  CHECK(new_case.definition().version() == 4);
  CHECK(new_case.definition().content_hash() != v1_hash);
}

}  // namespace dispatch

namespace dispatch {

TEST_CASE("a definition changed without raising its version is refused for new cases, and old ones still run") {
  testing::TempDir dir;
  const std::string db = dir.Path("edited.db");
  std::string number;
  {
    testing::World w(db);
    number = w.OpenEscort();
  }
  // The same version 1, its description edited.
  auto v1 = model::ReadFile(std::string(DISPATCH_WORKFLOW_DIR) + "/escort_to_port.textproto");
  REQUIRE(v1.ok());
  std::string edited = *v1;
  edited.replace(edited.find("description: \""), 14, "description: \"Edited. ");
  const std::string workflows = dir.Path("workflows");
  std::filesystem::create_directory(workflows);
  dir.Write("workflows/escort_to_port.textproto", edited);
  auto catalog = model::WorkflowCatalog::LoadDirectory(workflows);
  REQUIRE(catalog.ok());
  auto store = SqliteStore::Open(db, SqliteStore::Mode::kOpenExisting);
  REQUIRE(store.ok());
  model::FakeClock clock(testing::StartTime());
  Dispatcher d(**store, *catalog, clock);
  auto opened = d.Execute(testing::OpenCaseCommand("escort_to_port", "SZ"), "chan_sz");
  CHECK(opened.status().code() == Code::kFailedPrecondition);
  CHECK(opened.status().message().find("a changed definition needs a higher version") !=
        std::string::npos);
  // The running case goes on, on the text it pinned.
  auto done = d.Execute(testing::DoneCommand(number, "arrange_departure"), "chan_sz");
  CHECK_MESSAGE(done.ok(), done.status().ToString());
}

}  // namespace dispatch

namespace dispatch {

TEST_CASE("a group commits together, and a refused command in it undoes only itself") {
  testing::World w;
  const Actor chan = *w.dispatcher->ResolveActor("chan_sz");
  model::Command good = testing::OpenCaseCommand("escort_to_port", "SZ");
  model::Command bad_hkid = good;
  bad_hkid.mutable_open_case()->mutable_person()->set_hkid("A123456(4)");
  model::Command elsewhere = testing::OpenCaseCommand("escort_to_port", "DG");
  model::Command not_utf8 = good;
  not_utf8.mutable_open_case()->mutable_person()->set_name_en("x\xff");
  const auto replies = w.dispatcher->ExecuteGroup(
      {{&good, &chan}, {&bad_hkid, &chan}, {&not_utf8, &chan}, {&elsewhere, &chan}, {&good, &chan}});
  REQUIRE(replies.size() == 5);
  REQUIRE(replies[0].ok());
  CHECK(replies[1].status().code() == Code::kInvalidArgument);
  CHECK(replies[2].status().code() == Code::kInvalidArgument);
  CHECK(replies[3].status().code() == Code::kPermissionDenied);
  REQUIRE(replies[4].ok());
  // The refused ones took no case number: a savepoint undid each alone.
  CHECK(replies[0]->case_state().number() == "SZ-2026-0001");
  CHECK(replies[4]->case_state().number() == "SZ-2026-0002");
  CHECK(w.store->Read().ListCases({})->size() == 2);
}

}  // namespace dispatch
