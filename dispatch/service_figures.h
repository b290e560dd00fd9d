// The service figures of a year (model::ServiceFigures): deadlines met and
// missed, time to accept a handoff, time paused, cases past their whole-case
// deadline. A pure fold over each case's journal, tested without a store;
// Dispatcher::ServiceFigures feeds it and adds the labels.
#ifndef DISPATCH_SERVICE_FIGURES_H_
#define DISPATCH_SERVICE_FIGURES_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "model/proto/event.pb.h"
#include "model/proto/report.pb.h"
#include "model/time.h"

namespace dispatch {

// The stage of a deadline that is no state's: the whole case's, and a
// centre's answer to a handoff (no state name has a colon).
inline constexpr std::string_view kWholeCaseStage = "";
inline constexpr std::string_view kHandoffStage = "handoff:answer";

// Not thread-safe.
class ServiceTally {
 public:
  // Counts what falls in [from, until).
  ServiceTally(model::Instant from, model::Instant until) : from_(from), until_(until) {}

  // One case's whole journal, in order.
  void TakeCase(const std::vector<model::Event>& events);

  // The figures, by centre (then type and stage, or reason), only `centre`'s
  // when it is not empty. Labels are left for the caller.
  model::ServiceFigures Figures(int year, const std::string& centre) const;

 private:
  bool InYear(const model::Event& e) const;

  model::Instant from_, until_;
  // (centre, type, stage) -> (met, missed), and the cases that missed it
  struct Counts {
    int64_t met = 0;
    int64_t missed = 0;
    std::set<std::string> missed_cases;
  };
  std::map<std::tuple<std::string, std::string, std::string>, Counts> deadlines_;
  struct Accepted {
    std::vector<int64_t> ms;        // request to acceptance, each handoff
    std::set<std::string> cases;
  };
  std::map<std::string, Accepted> accepted_;  // by accepting centre
  struct Paused {
    int64_t pauses = 0;
    int64_t ms = 0;
    std::set<std::string> cases;
  };
  std::map<std::pair<std::string, std::string>, Paused> paused_;  // by (centre, reason)
  std::map<std::string, std::set<std::string>> past_deadline_;  // centre -> cases
};

}  // namespace dispatch

#endif  // DISPATCH_SERVICE_FIGURES_H_
