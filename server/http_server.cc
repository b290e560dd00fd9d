#include "server/http_server.h"

#include <array>
#include <optional>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <spdlog/spdlog.h>

namespace server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

struct HttpServer::Shared {
  Shared(net::io_context& io, Limits l, Handler h)
      : ioc(io), limits(l), handler(std::move(h)), acceptor(net::make_strand(io)) {}
  net::io_context& ioc;
  Limits limits;
  Handler handler;
  tcp::acceptor acceptor;
  std::atomic<int> open{0};
  std::atomic<bool> accepting{true};
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<HttpServer::Shared> shared)
      : stream_(std::move(socket)), shared_(std::move(shared)) {
    ++shared_->open;
    beast::error_code ec;
    const auto remote = stream_.socket().remote_endpoint(ec);
    if (!ec) peer_.address = remote.address().to_string();
  }
  ~Session() { --shared_->open; }

  void Run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::Read, shared_from_this()));
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->body_limit(shared_->limits.body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(shared_->limits.header_bytes));
    stream_.expires_after(first_ ? shared_->limits.request : shared_->limits.idle);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, shared_from_this()));
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
    shared_->handler(std::move(req), peer_, [self, keep_alive](Response res) {
      net::post(self->stream_.get_executor(), [self, keep_alive, res = std::move(res)]() mutable {
        self->Write(std::move(res), keep_alive);
      });
    });
  }

  void Write(Response res, bool keep_alive) {
    res_ = std::move(res);
    res_.keep_alive(keep_alive && shared_->accepting);
    res_.prepare_payload();
    stream_.expires_after(shared_->limits.write);
    http::async_write(stream_, res_,
                      beast::bind_front_handler(&Session::OnWrite, shared_from_this(),
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
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(std::chrono::seconds(2));  // for all of it
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
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  std::shared_ptr<HttpServer::Shared> shared_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Response res_;
  Peer peer_;
  bool first_ = true;
  std::array<char, 4096> scratch_{};
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
            std::make_shared<Session>(std::move(socket), shared)->Run();
          }
        }
        Accept(shared);
      });
}

}  // namespace

HttpServer::HttpServer(net::io_context& ioc, Limits limits, Handler handler)
    : shared_(std::make_shared<Shared>(ioc, limits, std::move(handler))) {}

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
  net::post(shared_->acceptor.get_executor(), [shared = shared_] {
    beast::error_code ec;
    shared->acceptor.close(ec);
  });
}

int HttpServer::open_connections() const { return shared_->open; }

}  // namespace server
