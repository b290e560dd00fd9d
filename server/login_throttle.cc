#include "server/login_throttle.h"

#include <algorithm>

namespace server {

namespace {
constexpr model::Millis kLongestWait = std::chrono::minutes(15);
}  // namespace

std::optional<model::Millis> LoginThrottle::WaitFor(const std::string& key, model::Instant now) {
  auto it = records_.find(key);
  if (it == records_.end() || it->second.failures < kFreeTries) return std::nullopt;
  const int over = std::min(it->second.failures - kFreeTries, 20);
  const model::Millis wait = std::min<model::Millis>(std::chrono::seconds(1) * (1 << over),
                                                     kLongestWait);
  const model::Millis left = it->second.last + wait - now;
  if (left <= model::Millis(0)) return std::nullopt;
  return left;
}

std::optional<model::Millis> LoginThrottle::Wait(const std::string& user,
                                                 const std::string& address, model::Instant now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto by_user = WaitFor("user:" + user, now);
  auto by_address = WaitFor("address:" + address, now);
  if (!by_user) return by_address;
  if (!by_address) return by_user;
  return std::max(*by_user, *by_address);
}

void LoginThrottle::Failed(const std::string& user, const std::string& address,
                           model::Instant now) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const std::string& key : {"user:" + user, "address:" + address}) {
    Record& r = records_[key];
    // A count a day old is forgotten.
    if (now - r.last > std::chrono::hours(24)) r.failures = 0;
    ++r.failures;
    r.last = now;
  }
  if (records_.size() > 100000) records_.clear();  // bounded: an attack must not fill memory
}

void LoginThrottle::Succeeded(const std::string& user) {
  std::lock_guard<std::mutex> lock(mu_);
  records_.erase("user:" + user);
}

}  // namespace server
