// HTTP load on `dispatch serve` over loopback: keep-alive connections
// posting commands (POST /v1/commands, JSON, a bearer token), closed loop (each
// connection sends its next command when the last is answered) or open loop
// (commands sent on a schedule whatever the answers; each latency counted
// from the time the command was due to be sent). Every run is bounded in
// count and in time.
#ifndef TESTS_BENCH_LOAD_H_
#define TESTS_BENCH_LOAD_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace bench {

struct LoadOptions {
  unsigned short port = 0;
  std::string token;
  int connections = 1;
  int64_t max_requests = 1000;
  // Closed loop: no command is sent after this long.
  std::chrono::milliseconds max_duration{5000};
  // Open loop when > 0: commands per second, `max_requests` of them.
  double rate = 0;
  // How long to wait for answers after the last command was sent.
  std::chrono::milliseconds drain{30000};
  // The JSON body of command i.
  std::function<std::string(int64_t)> body;
};

struct LoadResult {
  int64_t scheduled = 0;   // commands due to be sent (open loop: all of them)
  int64_t sent = 0;
  int64_t ok = 0;          // answered 200
  int64_t refused = 0;     // answered, not 200
  int64_t unanswered = 0;  // never sent in time, connection failed, or no answer in time
  std::map<int, int64_t> statuses;
  std::vector<double> latency_ms;  // of the 200s
  double seconds = 0;              // first send to last answer
  std::string first_refusal;       // the first non-200 answer's body
  // Open loop: how far behind schedule the sending fell at worst.
  double worst_send_lag_ms = 0;
};

LoadResult RunLoad(const LoadOptions& options);

}  // namespace bench

#endif  // TESTS_BENCH_LOAD_H_
