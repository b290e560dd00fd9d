// A client of a Server-Sent Events stream on 127.0.0.1 for tests: it
// connects, reads the head, then parses events as they arrive.
#ifndef TESTS_SUPPORT_EVENT_STREAM_H_
#define TESTS_SUPPORT_EVENT_STREAM_H_

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/http_client.h"

namespace testing {

struct StreamEvent {
  std::string id;
  std::string event;
  std::string data;
};

class EventStream {
 public:
  // GETs `target`; status() is 0 when there was no answer.
  EventStream(unsigned short port, const std::string& target, const Headers& headers);
  ~EventStream();

  int status() const { return status_; }
  // Events until one matches `until` (returned last), the stream ends, or
  // `wait` passes.
  std::vector<StreamEvent> ReadUntil(const std::function<bool(const StreamEvent&)>& until,
                                     std::chrono::milliseconds wait = std::chrono::seconds(10));
  // Whether the server ended the stream (EOF) within `wait`, reading what comes.
  bool Ended(std::chrono::milliseconds wait);
  // Comment lines (": ...") seen so far.
  int comments() const { return comments_; }

 private:
  // Reads more bytes; false on EOF, error or timeout.
  bool Fill(std::chrono::steady_clock::time_point until);
  std::optional<StreamEvent> Next();

  struct Socket;
  std::unique_ptr<Socket> socket_;
  int status_ = 0;
  std::string buffer_;
  int comments_ = 0;
  bool ended_ = false;
};

}  // namespace testing

#endif  // TESTS_SUPPORT_EVENT_STREAM_H_
