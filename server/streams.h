// The server's event streams (GET /v1/stream): one thread tells every open
// stream what changed that its reader may see. It looks when woken (after
// a commit, after an inbox delivery) and at least every `ping`, when a
// stream with nothing to say gets a comment line so that it stays open
// through proxies and its client can tell it is alive. A stream whose
// session or token has ended since is closed.
#ifndef SERVER_STREAMS_H_
#define SERVER_STREAMS_H_

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "dispatch/changes.h"
#include "server/http_server.h"
#include "server/readers.h"

namespace server {

class Streams {
 public:
  // REQUIRES: readers outlive it.
  explicit Streams(Readers& readers, std::chrono::milliseconds ping = std::chrono::seconds(15));
  ~Streams();

  void Start();
  // Ends every stream and the thread.
  void Stop();
  // Something may have changed.
  void Wake();
  // Whether another stream may open for `secret`: a few a session or
  // token, and a share of the server's connections in all, so that streams
  // cannot take every connection.
  bool HasRoom(const std::string& secret) const;
  // Streams to `sink` what `secret`'s holder may see after `from`.
  void Add(std::shared_ptr<EventSink> sink, std::string secret, dispatch::StreamPosition from);
  static constexpr int kPerKey = 8;
  static constexpr int kMost = 256;
  int open() const;

 private:
  struct Subscriber {
    std::shared_ptr<EventSink> sink;
    std::string secret;
    dispatch::StreamPosition position;
    std::chrono::steady_clock::time_point last_sent;
  };
  void Loop();
  // Sends what is new; false when the stream is to end.
  bool Tell(dispatch::Dispatcher& d, Subscriber& s, bool ping_due);

  Readers& readers_;
  std::chrono::milliseconds ping_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Subscriber> added_;  // waiting for the thread to take them
  std::map<std::string, int> per_key_;  // streams open or waiting, by secret
  int held_ = 0;                        // all of them
  int open_ = 0;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace server

#endif  // SERVER_STREAMS_H_
