// The server's one writer, in this process on a real database file: a
// backlog of due deadlines is fired a batch at a time between commands, so
// a command is answered while it lasts, and stopping waits for one batch,
// not for the backlog.
#include "server/writer.h"

#include <chrono>
#include <future>

#include <doctest/doctest.h>

#include "dispatch/sqlite_db.h"
#include "server/metrics.h"
#include "support/temp_dir.h"
#include "support/world.h"

namespace {

// Timers due at `now` (a read connection of its own).
int64_t DueTimers(const std::string& path, model::Instant now) {
  auto db = dispatch::SqliteDb::Open(path, dispatch::SqliteDb::Mode::kReadOnly);
  REQUIRE(db.ok());
  auto st = (*db)->Prepare("SELECT count(*) FROM timers WHERE next_at <= ?");
  REQUIRE(st.ok());
  st->Bind(1, static_cast<int64_t>(model::ToProto(now).seconds()) * 1000);
  REQUIRE(*st->Step());
  return st->ColumnInt(0);
}

TEST_CASE("a command is answered while a backlog of deadlines fires, and stopping waits for one batch") {
  testing::TempDir dir;
  const std::string path = dir.Path("backlog.db");
  testing::World w(path);
  // 12,000 cases, five clocks each, opened in groups as the server would.
  const dispatch::Actor chan{"chan_sz", "SZ", "duty_officer"};
  const model::Command open = testing::OpenCaseCommand("escort_to_port", "SZ");
  for (int group = 0; group < 24; ++group) {
    std::vector<dispatch::Dispatcher::Submission> batch(500, {&open, &chan});
    for (const auto& r : w.dispatcher->ExecuteGroup(batch)) REQUIRE(r.ok());
  }
  // Away for fifteen days: every clock of every case is due: about 60,000
  // firings, 100 to a durable transaction. The two seconds of firing at
  // start must leave some: 20,000 did not on a machine firing over 10,000
  // a second (BENCHMARKS.md: 9,417/s with the server's other work).
  w.clock.Advance(std::chrono::hours(24 * 15));
  const int64_t due_at_first = DueTimers(path, w.clock.Now());
  REQUIRE(due_at_first >= 48000);

  server::Metrics metrics;
  server::Writer writer(*w.store, w.catalog, w.clock, metrics, [] {});
  const auto started = std::chrono::steady_clock::now();
  REQUIRE(writer.Start().ok());
  // It fires for two seconds at most before it serves.
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
  const int64_t due_when_serving = DueTimers(path, w.clock.Now());
  MESSAGE("due: " << due_at_first << " at first, " << due_when_serving << " when serving");
  CHECK(due_when_serving < due_at_first);
  REQUIRE(due_when_serving > 0);

  // A note is answered in well under the time the backlog takes.
  model::Command note;
  note.mutable_add_note()->set_case_number("SZ-2026-0007");
  note.mutable_add_note()->set_text("family called: he is on the 14:00 train");
  std::promise<model::Result<model::CommandReply>> answered;
  writer.Submit(note, chan, [&answered](model::Result<model::CommandReply> r) {
    answered.set_value(std::move(r));
  });
  auto reply = answered.get_future();
  REQUIRE(reply.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
  const auto r = reply.get();
  REQUIRE_MESSAGE(r.ok(), r.status().ToString());
  CHECK(r->event(0).note_added().text() == "family called: he is on the 14:00 train");
  CHECK(DueTimers(path, w.clock.Now()) > 0);  // the backlog is still being worked

  // Stopping finishes the batch in hand and leaves the rest for the next start.
  const auto stopping = std::chrono::steady_clock::now();
  writer.Stop();
  CHECK(std::chrono::steady_clock::now() - stopping < std::chrono::seconds(5));
  const int64_t left = DueTimers(path, w.clock.Now());
  CHECK(left > 0);
  CHECK(left < due_when_serving);

  // Every firing that was made is whole: a rebuild gives the same.
  auto again = w.store->RebuildProjections();
  REQUIRE(again.ok());
  CHECK(again->cases == 12000);
  CHECK(DueTimers(path, w.clock.Now()) == left);
}

}  // namespace
