#include "server/http_server.h"

#include <array>
#include <deque>
#include <mutex>
#include <optional>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <spdlog/spdlog.h>

namespace server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

struct HttpServer::Shared {
  Shared(net::io_context& io, Limits l, Handler h, net::ssl::context* t)
      : ioc(io), limits(l), handler(std::move(h)), tls(t), acceptor(net::make_strand(io)) {}
  net::io_context& ioc;
  Limits limits;
  Handler handler;
  net::ssl::context* tls;  // null: plain HTTP
  tcp::acceptor acceptor;
  std::atomic<int> open{0};
  std::atomic<bool> accepting{true};
  std::mutex streams_mu;
  std::vector<std::weak_ptr<EventSink>> streams;  // ended when accepting stops
};

namespace {

// The sink of one streaming answer; what it is given is written on the
// session's strand.
class Sink : public EventSink {
 public:
  using Post = std::function<void(std::function<void()>)>;
  Sink(Post post, std::function<void(std::string)> write, std::function<void()> end)
      : post_(std::move(post)), write_(std::move(write)), end_(std::move(end)) {}
  bool Send(std::string text) override {
    if (!open_) return false;
    post_([write = write_, text = std::move(text)]() mutable { write(std::move(text)); });
    return true;
  }
  void End() override {
    if (!open_.exchange(false)) return;
    post_(end_);
  }
  bool open() const override { return open_; }
  void Closed() { open_ = false; }

 private:
  Post post_;
  std::function<void(std::string)> write_;
  std::function<void()> end_;
  std::atomic<bool> open_{true};
};

// How far a stream's client may fall behind before it is cut off.
constexpr std::size_t kMostUnsent = 1 << 20;

// One connection, plain (Stream = beast::tcp_stream) or over TLS
// (beast::ssl_stream<beast::tcp_stream>).
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

 public:
  template <class... StreamArgs>
  explicit Session(std::shared_ptr<HttpServer::Shared> shared, StreamArgs&&... args)
      : stream_(std::forward<StreamArgs>(args)...), shared_(std::move(shared)) {
    ++shared_->open;
    beast::error_code ec;
    const auto remote = Lowest().socket().remote_endpoint(ec);
    if (!ec) peer_.address = remote.address().to_string();
  }
  ~Session() { --shared_->open; }

  void Run() {
    auto self = this->shared_from_this();
    net::dispatch(stream_.get_executor(), [self] {
      if constexpr (kTls) {
        // The handshake is part of the request: it has the request's time.
        self->Lowest().expires_after(self->shared_->limits.request);
        self->stream_.async_handshake(net::ssl::stream_base::server, [self](beast::error_code ec) {
          if (ec) return self->Close();
          self->Read();
        });
      } else {
        self->Read();
      }
    });
  }

 private:
  using std::enable_shared_from_this<Session<Stream>>::shared_from_this;
  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  void Read() {
    parser_.emplace();
    parser_->body_limit(shared_->limits.body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(shared_->limits.header_bytes));
    Lowest().expires_after(first_ ? shared_->limits.request : shared_->limits.idle);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session<Stream>::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t) {
    if (ec == http::error::body_limit || ec == http::error::header_limit) {
      const bool body = ec == http::error::body_limit;
      Response res{body ? http::status::payload_too_large
                        : http::status::request_header_fields_too_large,
                   11};
      res.set(http::field::content_type, "application/json");
      res.body() = std::string("{\"code\":\"INVALID_ARGUMENT\",\"message\":\"") +
                   (body ? "the request body is larger than this server takes"
                         : "the request headers are larger than this server takes") +
                   "\"}";
      return Write(std::move(res), /*keep_alive=*/false);
    }
    if (ec) return Close();  // closed, timed out (a slow client), or malformed
    first_ = false;
    Request req = parser_->release();
    const bool keep_alive = req.keep_alive();
    auto self = shared_from_this();
    shared_->handler(
        std::move(req), peer_,
        [self, keep_alive](Response res) {
          net::post(self->stream_.get_executor(),
                    [self, keep_alive, res = std::move(res)]() mutable {
                      self->Write(std::move(res), keep_alive);
                    });
        },
        [self](Response head, std::function<void(std::shared_ptr<EventSink>)> started) {
          net::post(self->stream_.get_executor(),
                    [self, head = std::move(head), started = std::move(started)]() mutable {
                      self->StartStream(std::move(head), std::move(started));
                    });
        });
  }

  // A streaming answer: the head without a length, then text as it comes.
  // The connection serves nothing else; a read stays pending to see the
  // client leave.
  void StartStream(Response head, std::function<void(std::shared_ptr<EventSink>)> started) {
    stream_head_.emplace(head.result(), 11);
    for (const auto& field : head) stream_head_->set(field.name_string(), field.value());
    stream_head_->keep_alive(false);
    serializer_.emplace(*stream_head_);
    Lowest().expires_after(shared_->limits.write);
    auto self = shared_from_this();
    http::async_write_header(
        stream_, *serializer_,
        [self, started = std::move(started)](beast::error_code ec, std::size_t) {
          if (ec) return self->Close();
          self->Lowest().expires_never();
          std::weak_ptr<Session<Stream>> weak = self;
          auto sink = std::make_shared<Sink>(
              [weak](std::function<void()> f) {
                if (auto s = weak.lock()) net::post(s->stream_.get_executor(), std::move(f));
              },
              [weak](std::string text) {
                if (auto s = weak.lock()) s->Queue(std::move(text));
              },
              [weak] {
                if (auto s = weak.lock()) s->Close();
              });
          self->sink_ = sink;
          {
            std::lock_guard<std::mutex> lock(self->shared_->streams_mu);
            auto& streams = self->shared_->streams;
            std::erase_if(streams, [](const auto& w) { return w.expired(); });
            streams.push_back(sink);
          }
          if (!self->shared_->accepting) return sink->End();
          self->WatchForLeaving();
          started(sink);
        });
  }

  void WatchForLeaving() {
    stream_.async_read_some(net::buffer(scratch_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->Close();
                              self->WatchForLeaving();
                            });
  }

  void Queue(std::string text) {
    if (closed_) return;
    unsent_ += text.size();
    if (unsent_ > kMostUnsent) {  // it does not read: cut it off
      spdlog::warn("event stream to {} cut off: it fell more than {} KiB behind", peer_.address,
                   kMostUnsent >> 10);
      return Close();
    }
    outgoing_.push_back(std::move(text));
    if (outgoing_.size() == 1) WriteNext();
  }

  void WriteNext() {
    // The deadline covers the pending read too: a client that takes nothing
    // for that long is gone.
    Lowest().expires_after(shared_->limits.write);
    net::async_write(stream_, net::buffer(outgoing_.front()),
                     [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                       if (ec) return self->Close();
                       self->unsent_ -= n;
                       self->outgoing_.pop_front();
                       if (self->outgoing_.empty()) {
                         self->Lowest().expires_never();
                       } else {
                         self->WriteNext();
                       }
                     });
  }

  void Write(Response res, bool keep_alive) {
    res_ = std::move(res);
    res_.keep_alive(keep_alive && shared_->accepting);
    res_.prepare_payload();
    Lowest().expires_after(shared_->limits.write);
    http::async_write(stream_, res_,
                      beast::bind_front_handler(&Session<Stream>::OnWrite, shared_from_this(),
                                                res_.need_eof()));
  }

  void OnWrite(bool close, beast::error_code ec, std::size_t) {
    if (ec) return Close();
    if (close) return Linger();
    Read();
  }

  // Closing with the client's data unread would reset the connection and
  // could lose the answer just written (a 413 while a large body still
  // arrives): say we are done, and read what still comes, briefly.
  void Linger() {
    beast::error_code ec;
    Lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
    Lowest().expires_after(std::chrono::seconds(2));  // for all of it
    Drain();
  }

  void Drain() {
    stream_.async_read_some(net::buffer(scratch_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->Close();
                              self->Drain();
                            });
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    if (sink_) sink_->Closed();
    beast::error_code ec;
    Lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
    Lowest().socket().close(ec);
  }

  Stream stream_;
  std::shared_ptr<HttpServer::Shared> shared_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Response res_;
  Peer peer_;
  bool first_ = true;
  bool closed_ = false;
  std::array<char, 4096> scratch_{};
  // A streaming answer.
  std::optional<http::response<http::empty_body>> stream_head_;
  std::optional<http::response_serializer<http::empty_body>> serializer_;
  std::shared_ptr<Sink> sink_;
  std::deque<std::string> outgoing_;
  std::size_t unsent_ = 0;
};

void Accept(std::shared_ptr<HttpServer::Shared> shared) {
  shared->acceptor.async_accept(
      net::make_strand(shared->ioc), [shared](beast::error_code ec, tcp::socket socket) {
        if (!shared->accepting) return;
        if (!ec) {
          if (shared->open >= shared->limits.connections) {
            beast::error_code ignored;
            socket.close(ignored);  // over the cap: no room for another
          } else {
            if (shared->tls) {
              std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
                  shared, std::move(socket), *shared->tls)
                  ->Run();
            } else {
              std::make_shared<Session<beast::tcp_stream>>(shared, std::move(socket))->Run();
            }
          }
        }
        Accept(shared);
      });
}

}  // namespace

HttpServer::HttpServer(net::io_context& ioc, Limits limits, Handler handler,
                       net::ssl::context* tls)
    : shared_(std::make_shared<Shared>(ioc, limits, std::move(handler), tls)) {}

HttpServer::~HttpServer() { StopAccepting(); }

model::Status HttpServer::Listen(const std::string& host, unsigned short port) {
  beast::error_code ec;
  const auto address = net::ip::make_address(host, ec);
  if (ec) return model::Status::InvalidArgument("cannot listen on '" + host + "': not an IP address");
  const tcp::endpoint endpoint(address, port);
  auto& acceptor = shared_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return model::Status::Unavailable("cannot listen on " + host + ":" + std::to_string(port) +
                                      ": " + ec.message());
  }
  Accept(shared_);
  return model::Status::Ok();
}

unsigned short HttpServer::port() const {
  beast::error_code ec;
  return shared_->acceptor.local_endpoint(ec).port();
}

void HttpServer::StopAccepting() {
  if (!shared_->accepting.exchange(false)) return;
  {
    std::lock_guard<std::mutex> lock(shared_->streams_mu);
    for (auto& weak : shared_->streams) {
      if (auto sink = weak.lock()) sink->End();
    }
  }
  net::post(shared_->acceptor.get_executor(), [shared = shared_] {
    beast::error_code ec;
    shared->acceptor.close(ec);
  });
}

int HttpServer::open_connections() const { return shared_->open; }

}  // namespace server
