// Slows down guessing passwords: after a few failed sign-ins, for a user or
// from an address, further tries wait, longer each time (1 s, 2 s, 4 s ... up
// to 15 minutes). A success for the user clears that user's count.
#ifndef SERVER_LOGIN_THROTTLE_H_
#define SERVER_LOGIN_THROTTLE_H_

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "model/time.h"

namespace server {

// Thread-safe.
class LoginThrottle {
 public:
  static constexpr int kFreeTries = 5;

  // How long to wait before trying again as `user` from `address`; nullopt
  // when a try may be made now.
  std::optional<model::Millis> Wait(const std::string& user, const std::string& address,
                                    model::Instant now);
  void Failed(const std::string& user, const std::string& address, model::Instant now);
  void Succeeded(const std::string& user);

 private:
  struct Record {
    int failures = 0;
    model::Instant last{};
  };
  std::optional<model::Millis> WaitFor(const std::string& key, model::Instant now);

  std::mutex mu_;
  std::map<std::string, Record> records_;  // "user:NAME", "address:IP"
};

}  // namespace server

#endif  // SERVER_LOGIN_THROTTLE_H_
