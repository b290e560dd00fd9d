#include "journal_watch.h"

#include "dispatch/sqlite_db.h"
#include "model/proto/event.pb.h"
#include "model/time.h"

namespace bench {

int64_t WallMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

JournalWatch::JournalWatch(std::string db, int64_t after_id, std::chrono::milliseconds every)
    : db_(std::move(db)), after_(after_id), every_(every) {
  thread_ = std::thread([this] { Loop(); });
}

JournalWatch::~JournalWatch() { Stop(); }

int64_t JournalWatch::LastId(const std::string& db) {
  auto conn = dispatch::SqliteDb::Open(db, dispatch::SqliteDb::Mode::kReadOnly);
  if (!conn.ok()) return 0;
  auto st = (*conn)->Prepare("SELECT COALESCE(MAX(id), 0) FROM journal");
  if (!st.ok()) return 0;
  auto row = st->Step();
  return row.ok() && *row ? st->ColumnInt(0) : 0;
}

void JournalWatch::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

bool JournalWatch::WaitFor(size_t count, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (breaches_.size() >= count) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::lock_guard<std::mutex> lock(mu_);
  return breaches_.size() >= count;
}

std::vector<Breach> JournalWatch::breaches() {
  std::lock_guard<std::mutex> lock(mu_);
  return breaches_;
}

std::string JournalWatch::error() {
  std::lock_guard<std::mutex> lock(mu_);
  return error_;
}

namespace {
constexpr int kPage = 50000;
}  // namespace

void JournalWatch::Loop() {
  auto conn = dispatch::SqliteDb::Open(db_, dispatch::SqliteDb::Mode::kReadOnly);
  if (!conn.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    error_ = conn.status().ToString();
    return;
  }
  while (!stop_) {
    const auto next = std::chrono::steady_clock::now() + every_;
    auto st = (*conn)->Prepare("SELECT id, body FROM journal WHERE id > ? ORDER BY id LIMIT " +
                                 std::to_string(kPage));
    if (!st.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      error_ = st.status().ToString();
      return;
    }
    st->Bind(1, after_);
    std::vector<Breach> found;
    int rows = 0;
    for (;;) {
      auto row = st->Step();
      if (!row.ok() || !*row) break;
      ++rows;
      after_ = st->ColumnInt(0);
      model::Event e;
      if (!e.ParseFromString(st->ColumnBlob(1)) || !e.has_deadline_breached()) continue;
      found.push_back({e.case_number(),
                       model::FromProto(e.deadline_breached().due_at()).time_since_epoch().count(),
                       model::FromProto(e.at()).time_since_epoch().count(), 0});
    }
    if (!found.empty()) {
      const int64_t seen = WallMillis();
      std::lock_guard<std::mutex> lock(mu_);
      for (auto& b : found) {
        b.seen_ms = seen;
        breaches_.push_back(std::move(b));
      }
    }
    // A full page means more is waiting: read on at once.
    if (rows < kPage) std::this_thread::sleep_until(next);
  }
}

}  // namespace bench
