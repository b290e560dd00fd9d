// Watches a database's journal while a server writes it, from a read-only
// connection of its own: notes each missed deadline (a deadline_breached
// event) with the time it was due, the time the engine stamped on it and the
// time this watcher first saw it committed.
#ifndef TESTS_BENCH_JOURNAL_WATCH_H_
#define TESTS_BENCH_JOURNAL_WATCH_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace bench {

// Milliseconds since the epoch, from the system clock: what due times are
// compared with. The bench's one reading of the wall clock.
int64_t WallMillis();

struct Breach {
  std::string case_number;
  int64_t due_ms = 0;      // the timer's due time
  int64_t stamped_ms = 0;  // the event's time (when the engine decided)
  int64_t seen_ms = 0;     // when the watcher first saw it committed
};

class JournalWatch {
 public:
  // Starts watching `db` from journal row `after_id` on, every `every`.
  JournalWatch(std::string db, int64_t after_id, std::chrono::milliseconds every);
  ~JournalWatch();

  // The highest journal id in `db` now (0 when none or unreadable).
  static int64_t LastId(const std::string& db);

  // Waits until `count` breaches were seen, or `limit` passed; whether all were.
  bool WaitFor(size_t count, std::chrono::milliseconds limit);
  void Stop();
  std::vector<Breach> breaches();
  // An error the watcher met, if any.
  std::string error();

 private:
  void Loop();
  std::string db_;
  int64_t after_;
  std::chrono::milliseconds every_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<Breach> breaches_;
  std::string error_;
  std::thread thread_;
};

}  // namespace bench

#endif  // TESTS_BENCH_JOURNAL_WATCH_H_
