#include "probe.h"

#include "http_get.h"

namespace bench {

using Clock = std::chrono::steady_clock;

Probe::Probe(unsigned short port, std::string token, std::function<std::string(int)> body,
             Clock::time_point until, std::chrono::milliseconds pause)
    : port_(port), token_(std::move(token)), body_(std::move(body)), until_(until), pause_(pause) {
  thread_ = std::thread([this] { Loop(); });
}

Probe::~Probe() { Stop(); }

void Probe::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void Probe::Loop() {
  for (int i = 0; !stop_ && Clock::now() < until_; ++i) {
    const auto began = Clock::now();
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until_ - began);
    const HttpAnswer a = HttpPost(port_, "/v1/commands", body_(i), left, token_);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - began).count();
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (a.status == 200) {
        latencies_.push_back(ms);
      } else {
        ++unanswered_;
      }
    }
    const auto next = Clock::now() + pause_;
    while (!stop_ && Clock::now() < std::min(next, until_)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
}

std::vector<double> Probe::latencies_ms() {
  std::lock_guard<std::mutex> lock(mu_);
  return latencies_;
}

int Probe::unanswered() {
  std::lock_guard<std::mutex> lock(mu_);
  return unanswered_;
}

}  // namespace bench
