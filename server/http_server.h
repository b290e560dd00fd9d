// HTTP/1.1 on Boost.Beast: a listener and its connections. Requests are
// handed to a Handler, a plain function of the request that answers once,
// at once or later from another thread; the sockets, limits and timeouts
// live here. Every limit is explicit: body and header size, the time a whole
// request may take to arrive, idle time between requests, the time an
// answer may take to be taken, and the number of connections. A client that
// sends one byte a second, or never reads its answer, holds only its own
// connection, and only until its time runs out.
#ifndef SERVER_HTTP_SERVER_H_
#define SERVER_HTTP_SERVER_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http.hpp>

#include "model/status.h"

namespace server {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;
using Respond = std::function<void(Response)>;

struct Peer {
  std::string address;  // the client's IP address
};

// An answer that goes on (Server-Sent Events): after its head, text is
// written as it is given, until either side ends it. Thread-safe.
class EventSink {
 public:
  virtual ~EventSink() = default;
  // Queues `text`; false once the connection is gone, or when the client
  // has fallen so far behind that it was cut off.
  virtual bool Send(std::string text) = 0;
  // Ends the answer and closes the connection.
  virtual void End() = 0;
  virtual bool open() const = 0;
};
// Writes `head` (no length: the body runs until the end), then hands over
// the sink; `started` is not called when the connection is gone by then.
using OpenStream =
    std::function<void(Response head, std::function<void(std::shared_ptr<EventSink>)> started)>;

// Called on an I/O thread; must call `respond` or `open_stream` exactly
// once, from any thread.
using Handler =
    std::function<void(Request request, const Peer& peer, Respond respond, OpenStream open_stream)>;

struct Limits {
  std::size_t body_bytes = 1 << 20;
  std::size_t header_bytes = 16 << 10;
  std::chrono::seconds request{10};  // for a whole request to arrive
  std::chrono::seconds idle{30};     // between requests on a kept-alive connection
  std::chrono::seconds write{10};    // for an answer to be taken
  int connections = 512;             // more are closed at once
};

class HttpServer {
 public:
  // With `tls`, every connection is HTTPS (TLS with its certificate and key).
  // REQUIRES: tls outlives it.
  HttpServer(boost::asio::io_context& ioc, Limits limits, Handler handler,
             boost::asio::ssl::context* tls = nullptr);
  ~HttpServer();

  // Binds and starts accepting; port 0 lets the system pick one.
  model::Status Listen(const std::string& host, unsigned short port);
  unsigned short port() const;
  // Stops accepting new connections; those open finish what they are
  // doing, and streams end.
  void StopAccepting();
  int open_connections() const;

  struct Shared;  // what the listener and its connections share (http_server.cc)

 private:
  std::shared_ptr<Shared> shared_;
};

}  // namespace server

#endif  // SERVER_HTTP_SERVER_H_
