// A real HTTP server on 127.0.0.1 standing in for a chat group's webhook: it
// records what it receives and fails on purpose when told to.
#ifndef TESTS_SUPPORT_HTTP_RECEIVER_H_
#define TESTS_SUPPORT_HTTP_RECEIVER_H_

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace testing {

class HttpReceiver {
 public:
  struct Received {
    std::string target;
    std::string idempotency_key;
    std::string body;
    int answered = 0;  // the status it was given
  };

  // Answers the first `failures` requests with HTTP 500 and the rest with
  // 200; a negative `failures` fails every request. `silent` accepts
  // connections and never answers.
  explicit HttpReceiver(int failures, bool silent = false);
  ~HttpReceiver();
  HttpReceiver(const HttpReceiver&) = delete;
  HttpReceiver& operator=(const HttpReceiver&) = delete;

  std::string Url(const std::string& path = "/hook") const;
  std::vector<Received> received() const;
  // Connections accepted so far, answered or not.
  int connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace testing

#endif  // TESTS_SUPPORT_HTTP_RECEIVER_H_
