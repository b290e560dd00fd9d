// What the server counts, for Prometheus (GET /metrics): commands by kind
// and outcome, how long they took, how late deadlines fired, and what waits.
#ifndef SERVER_METRICS_H_
#define SERVER_METRICS_H_

#include <array>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "dispatch/store.h"
#include "model/proto/audit.pb.h"
#include "model/time.h"

namespace server {

// A histogram with fixed bucket bounds, in seconds.
class Histogram {
 public:
  void Observe(double seconds);
  // Prometheus text lines for `name` (without HELP/TYPE).
  std::string Text(const std::string& name, const std::string& labels = "") const;

 private:
  static constexpr std::array<double, 14> kBounds = {0.0005, 0.001, 0.002, 0.005, 0.01, 0.02,
                                                     0.05,   0.1,   0.2,   0.5,   1,    2,
                                                     5,      10};
  std::array<uint64_t, kBounds.size()> counts_{};
  uint64_t total_ = 0;
  double sum_ = 0;
};

// Thread-safe.
class Metrics {
 public:
  void CommandDone(std::string_view kind, std::string_view outcome, model::Millis took);
  void RequestDone(int status);
  void DeadlineFired(model::Millis late);
  void LoginFailed();
  // What the journal check at start found (dispatch/audit.h).
  void JournalChecked(const model::JournalAudit& audit);
  // The check at start could not be made (the database could not be read).
  void JournalNotChecked(const std::string& why);
  // For /readyz: what is wrong with the journal, or why it could not be
  // checked, in words; empty while it is intact or not checked yet.
  std::string JournalProblem() const;

  // The whole exposition, with `backlog` read from the store just now.
  std::string Text(const dispatch::Backlog& backlog) const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, uint64_t> commands_;
  std::map<int, uint64_t> requests_;
  Histogram command_seconds_;
  Histogram lateness_seconds_;
  uint64_t deadlines_fired_ = 0;
  uint64_t failed_logins_ = 0;
  std::optional<bool> journal_intact_;  // empty until checked
  std::string journal_problem_;
};

}  // namespace server

#endif  // SERVER_METRICS_H_
