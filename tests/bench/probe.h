// One officer's command, sent again and again (one at a time, a pause
// between) while something else goes on, such as a storm of deadlines: how
// long each waited for its answer. Stops by itself at `until`.
#ifndef TESTS_BENCH_PROBE_H_
#define TESTS_BENCH_PROBE_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace bench {

class Probe {
 public:
  // Starts sending `body` (a JSON command) to 127.0.0.1:`port` as the bearer
  // of `token`, every `pause` after the last answer, until Stop() or `until`;
  // an answer not back by `until` counts as unanswered.
  Probe(unsigned short port, std::string token, std::function<std::string(int)> body,
        std::chrono::steady_clock::time_point until, std::chrono::milliseconds pause);
  ~Probe();
  // Stops sending; waits for the command in flight (until `until` at most).
  void Stop();

  std::vector<double> latencies_ms();  // of the 200s
  int unanswered();

 private:
  void Loop();
  unsigned short port_;
  std::string token_;
  std::function<std::string(int)> body_;
  std::chrono::steady_clock::time_point until_;
  std::chrono::milliseconds pause_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<double> latencies_;
  int unanswered_ = 0;
  std::thread thread_;
};

}  // namespace bench

#endif  // TESTS_BENCH_PROBE_H_
