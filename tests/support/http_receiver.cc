#include "support/http_receiver.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

struct HttpReceiver::Impl {
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::thread thread;
  mutable std::mutex mu;
  std::vector<Received> received;
  std::vector<std::shared_ptr<tcp::socket>> held;  // silent mode keeps connections open
  int failures = 0;
  bool silent = false;
  int connections = 0;

  void Accept() {
    auto socket = std::make_shared<tcp::socket>(ioc);
    acceptor.async_accept(*socket, [this, socket](beast::error_code ec) {
      if (ec) return;  // stopped
      {
        std::lock_guard<std::mutex> lock(mu);
        ++connections;
      }
      if (silent) {
        held.push_back(socket);
      } else {
        Serve(*socket);
      }
      Accept();
    });
  }

  // One request per connection, answered at once (the client sends it whole).
  void Serve(tcp::socket& socket) {
    beast::error_code ec;
    beast::flat_buffer buffer;
    http::request<http::string_body> req;
    http::read(socket, buffer, req, ec);
    if (ec) return;
    Received r;
    r.target = std::string(req.target());
    r.idempotency_key = std::string(req["Idempotency-Key"]);
    r.body = req.body();
    {
      std::lock_guard<std::mutex> lock(mu);
      const int served = static_cast<int>(received.size());
      r.answered = (failures < 0 || served < failures) ? 500 : 200;
      received.push_back(r);
    }
    http::response<http::string_body> res{static_cast<http::status>(r.answered), req.version()};
    res.set(http::field::content_type, "text/plain");
    res.body() = r.answered == 200 ? "ok" : "try later";
    res.prepare_payload();
    http::write(socket, res, ec);
    socket.shutdown(tcp::socket::shutdown_both, ec);
  }
};

HttpReceiver::HttpReceiver(int failures, bool silent) : impl_(std::make_unique<Impl>()) {
  impl_->failures = failures;
  impl_->silent = silent;
  const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(net::socket_base::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen();
  impl_->Accept();
  impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

HttpReceiver::~HttpReceiver() {
  impl_->ioc.stop();
  impl_->thread.join();
}

std::string HttpReceiver::Url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(impl_->acceptor.local_endpoint().port()) + path;
}

std::vector<HttpReceiver::Received> HttpReceiver::received() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->received;
}

int HttpReceiver::connections() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->connections;
}

}  // namespace testing
