#include "dispatch/sqlite_store.h"

#include <doctest/doctest.h>
#include <google/protobuf/util/message_differencer.h>

#include "dispatch/engine.h"
#include "support/temp_dir.h"
#include "support/world.h"

namespace dispatch {
namespace {

using google::protobuf::util::MessageDifferencer;
using model::Code;
using model::Status;

// Every case and task row, as the store reads them.
struct Snapshot {
  std::vector<model::CaseState> cases;
  std::vector<model::TaskView> tasks;
  std::vector<model::HandoffView> handoffs;
  std::vector<std::string> timers;  // "case key generation", every timer due by 2100
};

Snapshot Take(Store& store) {
  Snapshot s;
  s.cases = *store.Read().ListCases({});
  s.tasks = *store.Read().ListTasks(dispatch::AnyTask());
  s.handoffs = *store.Read().ListHandoffs({"", false});
  const auto due = store.Read().DueTimers(*model::ParseTimestamp("2100-01-01T00:00Z"), 1000);
  for (const auto& t : *due) {
    s.timers.push_back(t.case_number + " " + t.key + " " + std::to_string(t.generation));
  }
  return s;
}

bool Same(const Snapshot& a, const Snapshot& b) {
  if (a.timers != b.timers || a.handoffs.size() != b.handoffs.size()) return false;
  for (size_t i = 0; i < a.handoffs.size(); ++i) {
    if (!MessageDifferencer::Equals(a.handoffs[i], b.handoffs[i])) return false;
  }
  if (a.cases.size() != b.cases.size() || a.tasks.size() != b.tasks.size()) return false;
  for (size_t i = 0; i < a.cases.size(); ++i) {
    if (!MessageDifferencer::Equals(a.cases[i], b.cases[i])) return false;
  }
  for (size_t i = 0; i < a.tasks.size(); ++i) {
    if (!MessageDifferencer::Equals(a.tasks[i], b.tasks[i])) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("a missing database file is not created by accident") {
  testing::TempDir dir;
  auto r = SqliteStore::Open(dir.Path("typo.db"), SqliteStore::Mode::kOpenExisting);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kNotFound);
  CHECK(r.status().message() == "no database at " + dir.Path("typo.db") +
                                    "; create one with: dispatch --db " + dir.Path("typo.db") + " init");
  CHECK_FALSE(std::filesystem::exists(dir.Path("typo.db")));
}

TEST_CASE("the database runs in WAL mode at the current schema version") {
  testing::TempDir dir;
  const std::string path = dir.Path("d.db");
  { REQUIRE(SqliteStore::Open(path, SqliteStore::Mode::kCreate).ok()); }
  auto db = SqliteDb::Open(path, SqliteDb::Mode::kOpenExisting);
  REQUIRE(db.ok());
  auto mode = (*db)->Prepare("PRAGMA journal_mode");
  REQUIRE(*mode->Step());
  CHECK(mode->ColumnText(0) == "wal");
  auto version = (*db)->Prepare("PRAGMA user_version");
  REQUIRE(*version->Step());
  CHECK(version->ColumnInt(0) == SqliteStore::kSchemaVersion);
  auto sync = (*db)->Prepare("PRAGMA synchronous");
  REQUIRE(*sync->Step());
  CHECK(sync->ColumnInt(0) == 2);  // FULL
}

TEST_CASE("a database from a newer dispatch is refused") {
  testing::TempDir dir;
  const std::string path = dir.Path("d.db");
  { REQUIRE(SqliteStore::Open(path, SqliteStore::Mode::kCreate).ok()); }
  {
    auto db = SqliteDb::Open(path, SqliteDb::Mode::kOpenExisting);
    REQUIRE((*db)->Exec("PRAGMA user_version = 99").ok());
  }
  auto r = SqliteStore::Open(path, SqliteStore::Mode::kOpenExisting);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kFailedPrecondition);
  CHECK(r.status().message().find("schema version 99, newer than this dispatch") != std::string::npos);
}

TEST_CASE("a write whose body fails leaves nothing behind") {
  testing::World w;
  const auto before = Take(*w.store);
  Status s = w.store->Write([&](StoreWriter& writer) -> Status {
    auto number = writer.NextCaseNumber("SZ", 2026);
    REQUIRE(number.ok());
    return Status::FailedPrecondition("changed my mind");
  });
  CHECK(s.message() == "changed my mind");
  CHECK(Same(before, Take(*w.store)));
  // The number was not consumed.
  (void)w.store->Write([&](StoreWriter& writer) -> Status {
    CHECK(*writer.NextCaseNumber("SZ", 2026) == "SZ-2026-0001");
    return Status::Ok();
  });
}

TEST_CASE("case numbers count per centre and restart each year") {
  testing::World w;
  CHECK(w.OpenEscort() == "SZ-2026-0001");
  CHECK(w.OpenEscort() == "SZ-2026-0002");
  model::Command fj = testing::OpenCaseCommand("escort_to_port", "FJ");
  CHECK(w.Must(fj, "wong_fj").case_state().number() == "FJ-2026-0001");
  w.clock.Set(*model::ParseTimestamp("2027-01-01T00:30:00+08:00"));
  CHECK(w.OpenEscort() == "SZ-2027-0001");
}

TEST_CASE("what is written is read back, and the timeline is the events in order") {
  testing::World w;
  const auto opened = w.Must(testing::OpenCaseCommand("escort_to_port", "SZ"), "chan_sz");
  const std::string number = opened.case_state().number();
  w.clock.Advance(std::chrono::minutes(30));
  const auto done = w.Must(testing::DoneCommand(number, "arrange_departure"), "lee_sz");

  auto stored = w.store->Read().GetCase(number);
  REQUIRE(stored.ok());
  REQUIRE(stored->has_value());
  CHECK(MessageDifferencer::Equals(**stored, done.case_state()));

  auto timeline = w.store->Read().Timeline(number);
  REQUIRE(timeline.ok());
  REQUIRE(timeline->size() == static_cast<size_t>(opened.event_size() + done.event_size()));
  for (int i = 0; i < opened.event_size(); ++i) {
    CHECK(MessageDifferencer::Equals((*timeline)[i], opened.event(i)));
  }
  const model::Event& completed = (*timeline)[opened.event_size()];
  CHECK(MessageDifferencer::Equals(completed, done.event(0)));
  CHECK(completed.has_task_completed());
  CHECK(completed.actor() == "lee_sz");
  CHECK(model::FromProto(completed.at()) - testing::StartTime() == std::chrono::minutes(30));
}

TEST_CASE("rebuilding the projections from the journal gives the live state") {
  testing::TempDir dir;
  testing::World w(dir.Path("rebuild.db"));
  const std::string a = w.OpenEscort();
  const std::string b = w.OpenEscort();
  w.Must(testing::AssignCommand(a, 1, "lee_sz"), "chan_sz");
  w.Must(testing::DoneCommand(a, "agree_crossing_with_family"), "lee_sz");
  w.Must(testing::DoneCommand(a, "check_travel_documents"), "lee_sz");
  w.Must(testing::DoneCommand(a, "arrange_departure"), "lee_sz");
  model::Command fire = testing::FireCommand(a, "plan_confirmed");
  auto& f = *fire.mutable_fire_event()->mutable_fields();
  f["port"] = "lo_wu_luohu";
  f["crossing_date"] = "2026-03-05";
  f["hk_receiver"] = "social_welfare_department";
  w.Must(fire, "chan_sz");
  model::Command cancel;
  cancel.mutable_cancel_case()->set_case_number(b);
  cancel.mutable_cancel_case()->set_reason("opened twice by mistake");
  w.Must(cancel, "chan_sz");
  w.Must(testing::OpenCaseCommand("document_verification", "SZ"), "lee_sz");
  // A Fujian case with a pending handoff, a paused clock and a missed deadline.
  w.OnDuty("lin_fj");
  const std::string fj =
      w.Must(testing::OpenCaseCommand("escort_to_port", "FJ"), "wong_fj").case_state().number();
  model::Command request;
  request.mutable_request_handoff()->set_case_number(fj);
  request.mutable_request_handoff()->set_to_centre("SZ");
  request.mutable_request_handoff()->set_message("Escort at the port");
  w.Must(request, "wong_fj");
  model::Command pause;
  pause.mutable_pause_case()->set_case_number(fj);
  pause.mutable_pause_case()->set_reason("port_booking");
  w.Must(pause, "lin_fj");
  w.Advance(std::chrono::hours(5));  // the handoff's acceptance deadline is missed

  const Snapshot live = Take(*w.store);
  REQUIRE(live.cases.size() == 4);
  REQUIRE(live.handoffs.size() == 1);
  REQUIRE_FALSE(live.timers.empty());

  // Damage the projections so that a rebuild that did nothing would be caught.
  {
    auto db = SqliteDb::Open(dir.Path("rebuild.db"), SqliteDb::Mode::kOpenExisting);
    REQUIRE((*db)->Exec("DELETE FROM tasks WHERE case_number = '" + b + "';"
                        "DELETE FROM timers; DELETE FROM handoffs;"
                        "UPDATE cases SET state = 'planning', body = x'' WHERE number = '" + a + "'").ok());
  }
  CHECK_FALSE(Same(live, Take(*w.store)));

  REQUIRE(w.store->RebuildProjections().ok());
  CHECK(Same(live, Take(*w.store)));
}

// Every row of the projection tables, as text, in key order.
std::vector<std::string> RawProjection(const std::string& path) {
  auto db = SqliteDb::Open(path, SqliteDb::Mode::kReadOnly);
  REQUIRE(db.ok());
  std::vector<std::string> rows;
  for (const char* sql :
       {"SELECT number, centre, type, state, status, person_name, opened_at, version, hex(body)"
        " FROM cases ORDER BY number",
        "SELECT case_number, seq, centre, status, assignee, due_at, hex(body) FROM tasks"
        " ORDER BY case_number, seq",
        "SELECT case_number, key, generation, next_at FROM timers ORDER BY case_number, key",
        "SELECT case_number, id, from_centre, to_centre, status, requested_at, hex(body)"
        " FROM handoffs ORDER BY case_number, id",
        "SELECT user, open FROM task_load WHERE open != 0 ORDER BY user"}) {
    auto st = (*db)->Prepare(sql);
    REQUIRE(st.ok());
    while (*st->Step()) {
      std::string row = std::string(sql).substr(0, 40) + ":";
      for (int i = 0; i < 9; ++i) row += " " + (st->ColumnIsNull(i) ? "NULL" : st->ColumnText(i));
      rows.push_back(row);
    }
  }
  return rows;
}

TEST_CASE("rows written command by command are the rows a rebuild writes") {
  // Only the rows an event changes are written; this walks commands that
  // change each kind of row (tasks given out, moved and done; clocks armed,
  // paused, resumed, escalated and dropped; handoffs asked and accepted) and
  // compares every projection row with those a rebuild writes from the
  // journal, at points along the way.
  testing::TempDir dir;
  const std::string path = dir.Path("rows.db");
  testing::World w(path);
  int checked = 0;
  const auto same_as_rebuilt = [&](const char* when) {
    INFO(std::string(when));
    const auto live = RawProjection(path);
    REQUIRE(w.store->RebuildProjections().ok());
    const auto rebuilt = RawProjection(path);
    CHECK(live.size() == rebuilt.size());
    for (size_t i = 0; i < std::min(live.size(), rebuilt.size()); ++i) {
      INFO("live:    " << live[i]);
      INFO("rebuilt: " << rebuilt[i]);
      REQUIRE(live[i] == rebuilt[i]);
    }
    ++checked;
    return live.size();
  };
  w.OnDuty("lee_sz");
  const std::string a = w.OpenEscort();
  w.Must(testing::AssignCommand(a, 1, "chan_sz"), "chan_sz");
  w.Must(testing::AssignCommand(a, 1, "lee_sz"), "chan_sz");
  w.Must(testing::DoneCommand(a, "agree_crossing_with_family"), "lee_sz");
  model::Command pause;
  pause.mutable_pause_case()->set_case_number(a);
  pause.mutable_pause_case()->set_reason("port_booking");
  w.Must(pause, "chan_sz");
  w.Advance(std::chrono::hours(3));
  same_as_rebuilt("paused: clocks without a next firing");
  model::Command resume;
  resume.mutable_resume_case()->set_case_number(a);
  w.Must(resume, "chan_sz");
  // A firing that failed moves its row an hour on without changing the
  // case; the next command on the case puts the row back.
  const model::Timer running = w.Case(a).timer(0);
  REQUIRE(model::IsSet(running.next_at()));
  REQUIRE(w.store->Write([&](StoreWriter& sw) {
    return sw.DeferTimer(a, running.key(), w.clock.Now() + std::chrono::hours(100));
  }).ok());
  model::Command note;
  note.mutable_add_note()->set_case_number(a);
  note.mutable_add_note()->set_text("family reached by phone");
  w.Must(note, "lee_sz");
  same_as_rebuilt("a deferred firing's row put back by the next command");
  model::Command facts;  // the case row's body only
  facts.mutable_set_fields()->set_case_number(a);
  (*facts.mutable_set_fields()->mutable_fields())["crossing_date"] = "2026-03-03";
  w.Must(facts, "chan_sz");
  w.Must(testing::DoneCommand(a, "check_travel_documents"), "lee_sz");
  model::Command not_needed;  // a task row that ends neither done nor cancelled
  not_needed.mutable_mark_not_applicable()->set_case_number(a);
  not_needed.mutable_mark_not_applicable()->mutable_task()->set_name("arrange_departure");
  not_needed.mutable_mark_not_applicable()->set_reason("already free to travel");
  w.Must(not_needed, "chan_sz");
  w.Must(testing::PlanConfirmedCommand(a), "chan_sz");
  model::Command off;
  off.mutable_duty_off()->set_user("lee_sz");
  w.Must(off, "lee_sz");  // lee's open tasks go to chan
  same_as_rebuilt("a new state's tasks, then handed on at the end of a shift");

  w.OnDuty("lin_fj");
  w.OnDuty("lam_dg");
  const std::string fj =
      w.Must(testing::OpenCaseCommand("escort_to_port", "FJ"), "wong_fj").case_state().number();
  model::Command request;
  request.mutable_request_handoff()->set_case_number(fj);
  request.mutable_request_handoff()->set_to_centre("DG");
  request.mutable_request_handoff()->set_message("Escort at the port");
  w.Must(request, "wong_fj");
  REQUIRE(w.Advance(std::chrono::hours(5)) > 0);  // escalations fire
  same_as_rebuilt("a handoff asked for, its deadline escalated");
  model::Command accept;
  accept.mutable_accept_handoff()->set_case_number(fj);
  accept.mutable_accept_handoff()->set_handoff(1);
  w.Must(accept, "choi_dg");
  model::Command cancel;
  cancel.mutable_cancel_case()->set_case_number(a);
  cancel.mutable_cancel_case()->set_reason("family will collect him");
  w.Must(cancel, "chan_sz");
  CHECK(same_as_rebuilt("handoff accepted, case cancelled: its clocks gone") > 15);
  CHECK(checked == 5);
}

TEST_CASE("committed data survives closing and reopening the file") {
  testing::TempDir dir;
  std::string number;
  {
    testing::World w(dir.Path("durable.db"));
    number = w.OpenEscort();
  }
  auto store = SqliteStore::Open(dir.Path("durable.db"), SqliteStore::Mode::kOpenExisting);
  REQUIRE(store.ok());
  auto c = (*store)->Read().GetCase(number);
  REQUIRE(c.ok());
  REQUIRE(c->has_value());
  CHECK((*c)->state() == "planning");
  CHECK((*store)->Read().ListUsers()->size() == 12);
}

}  // namespace dispatch

namespace dispatch {
namespace {

// Writes `bytes` as the body of `table`'s rows matching `where`, behind the
// engine's back.
void Overwrite(const std::string& path, const std::string& table, const std::string& where,
               const std::string& bytes) {
  auto db = SqliteDb::Open(path, SqliteDb::Mode::kOpenExisting);
  REQUIRE(db.ok());
  auto st = (*db)->Prepare("UPDATE " + table + " SET body = ? WHERE " + where);
  REQUIRE(st.ok());
  st->BindBlob(1, bytes);
  REQUIRE(st->Run().ok());
}

// `m` serialised with its English name's first two bytes made non-UTF-8, as
// an older build stored a name typed in a Big5 terminal.
template <typename T>
std::string Poisoned(const T& m, const std::string& marker) {
  std::string bytes = m.SerializeAsString();
  const auto at = bytes.find(marker);
  REQUIRE(at != std::string::npos);
  bytes[at] = '\xff';
  bytes[at + 1] = '\xfe';
  return bytes;
}

}  // namespace

TEST_CASE("a database poisoned by an older build works again for every centre") {
  testing::TempDir dir;
  const std::string path = dir.Path("poisoned.db");
  testing::World w(path);
  w.OnDuty("chan_sz");
  model::Command open = testing::OpenCaseCommand("escort_to_port", "SZ");
  open.mutable_open_case()->mutable_person()->set_name_en("XXPOISON");
  const std::string poisoned = w.Must(open, "chan_sz").case_state().number();
  const std::string other = w.OpenEscort();
  // The name as an older build let it in, in the case row and in the journal.
  Overwrite(path, "cases", "number = '" + poisoned + "'",
            Poisoned(w.Case(poisoned), "XXPOISON"));
  Overwrite(path, "journal", "case_number = '" + poisoned + "' AND seq = 1",
            Poisoned(w.Timeline(poisoned)[0], "XXPOISON"));

  auto cases = w.store->Read().ListCases({});
  REQUIRE(cases.ok());
  CHECK(cases->size() == 2);
  CHECK(w.Case(poisoned).person().name_en() == "\xEF\xBF\xBD\xEF\xBF\xBDPOISON");
  CHECK(w.Timeline(poisoned).size() > 1);
  // Deadlines fall due on both cases: they fire, the poisoned one included.
  CHECK(w.Advance(std::chrono::days(3)) > 3);
  CHECK(w.store->Read().DueTimers(w.clock.Now(), 10)->empty());
  auto rebuilt = w.store->RebuildProjections();
  REQUIRE(rebuilt.ok());
  CHECK(rebuilt->cases == 2);
  CHECK(rebuilt->damaged.empty());
  CHECK(w.Case(poisoned).person().name_en() == "\xEF\xBF\xBD\xEF\xBF\xBDPOISON");
  CHECK(w.Case(other).person().name_en() == "LI CHAN Shuk Fan");
}

TEST_CASE("a damaged row is named and left out, and every other case goes on") {
  testing::TempDir dir;
  const std::string path = dir.Path("damaged.db");
  testing::World w(path);
  w.OnDuty("chan_sz");
  const std::string damaged = w.OpenEscort();
  const std::string other = w.OpenEscort();
  const std::string garbage("\x0a\xff\xff\xff\x0f", 5);
  Overwrite(path, "cases", "number = '" + damaged + "'", garbage);
  Overwrite(path, "tasks", "case_number = '" + damaged + "'", garbage);
  Overwrite(path, "journal", "case_number = '" + damaged + "' AND seq = 2", garbage);

  auto cases = w.store->Read().ListCases({});
  REQUIRE(cases.ok());
  REQUIRE(cases->size() == 1);
  CHECK((*cases)[0].number() == other);
  CHECK(w.store->Read().ListTasks({})->size() == 3);  // the other case's
  const Status s = w.store->Read().GetCase(damaged).status();
  CHECK(s.code() == Code::kDataLoss);
  CHECK(s.message() == "case " + damaged +
                           " cannot be read: the database is damaged there; restore it from a "
                           "backup");
  // Only its own centre (and supervisors) learn it is damaged; to another
  // centre it does not exist, as any case it may not read.
  const Actor lam = *w.dispatcher->ResolveActor("lam_dg");
  CHECK(w.dispatcher->GetCase(lam, damaged).status().ToString() == "NOT_FOUND: no case " + damaged);
  CHECK(w.dispatcher->Execute(testing::DoneCommand(damaged, "arrange_departure"), "lam_dg")
            .status().code() == Code::kNotFound);
  CHECK(w.dispatcher->GetCase(*w.dispatcher->ResolveActor("chan_sz"), damaged).status().code() ==
        Code::kDataLoss);
  // A command on the damaged case is refused as such; the other case is worked.
  CHECK(w.dispatcher->Execute(testing::FireCommand(damaged, "plan_confirmed"), "chan_sz")
            .status().code() == Code::kDataLoss);
  w.Must(testing::DoneCommand(other, "arrange_departure"), "chan_sz");
  // Both cases' task deadlines fall due: the other case's still fire, the
  // damaged one's wait an hour before they are tried again.
  w.Advance(std::chrono::days(3));
  CHECK(w.store->Read().DueTimers(w.clock.Now(), 10)->empty());
  CHECK(w.store->Read().DueTimers(w.clock.Now() + std::chrono::hours(1), 10)->size() == 3);
  bool other_breached = false;
  for (const auto& e : w.Timeline(other)) other_breached = other_breached || e.has_deadline_breached();
  CHECK(other_breached);

  auto rebuilt = w.store->RebuildProjections();
  REQUIRE(rebuilt.ok());
  CHECK(rebuilt->cases == 1);
  CHECK(rebuilt->damaged == std::vector<std::string>{damaged});
  CHECK(w.Case(other).number() == other);
}

}  // namespace dispatch

namespace dispatch {

TEST_CASE("a case whose stored state is behind its journal is refused as damaged, not as busy") {
  testing::TempDir dir;
  const std::string path = dir.Path("behind.db");
  testing::World w(path);
  const std::string number = w.OpenEscort();
  const model::CaseState before = w.Case(number);
  w.Must(testing::DoneCommand(number, "arrange_departure"), "chan_sz");
  // The case row is put back to what it was, behind the engine's back.
  Overwrite(path, "cases", "number = '" + number + "'", before.SerializeAsString());
  auto r = w.dispatcher->Execute(testing::DoneCommand(number, "check_travel_documents"), "chan_sz");
  CHECK(r.status().code() == model::Code::kDataLoss);
  CHECK(r.status().message().find("its stored state is behind the journal; an admin should run "
                                  "`dispatch rebuild`") != std::string::npos);
  REQUIRE(w.store->RebuildProjections().ok());
  w.Must(testing::DoneCommand(number, "check_travel_documents"), "chan_sz");
}

}  // namespace dispatch
