#include "notify/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace notify {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using model::Result;
using model::Status;

Result<Url> ParseHttpUrl(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    return Status::InvalidArgument("webhook URL '" + std::string(url) +
                                   "' must start with http:// (https is not supported yet)");
  }
  std::string_view rest = url.substr(kScheme.size());
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  Url out;
  out.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  const auto colon = authority.rfind(':');
  if (colon != std::string_view::npos) {
    out.host = std::string(authority.substr(0, colon));
    out.port = std::string(authority.substr(colon + 1));
  } else {
    out.host = std::string(authority);
    out.port = "80";
  }
  const bool port_ok = !out.port.empty() && out.port.size() <= 5 &&
                       out.port.find_first_not_of("0123456789") == std::string::npos &&
                       std::stoi(out.port) >= 1 && std::stoi(out.port) <= 65535;
  if (out.host.empty() || !port_ok) {
    return Status::InvalidArgument("webhook URL '" + std::string(url) +
                                   "' has no usable host and port (ports are 1 to 65535)");
  }
  return out;
}

Result<HttpResponse> PostJson(std::string_view url, std::string_view body,
                              const std::vector<std::pair<std::string, std::string>>& headers,
                              model::Millis timeout) {
  ASSIGN_OR_RETURN(Url u, ParseHttpUrl(url));
  net::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  http::request<http::string_body> req{http::verb::post, u.target, 11};
  req.set(http::field::host, u.host);
  req.set(http::field::user_agent, "dispatch/0.1");
  req.set(http::field::content_type, "application/json");
  for (const auto& [name, value] : headers) req.set(name, value);
  req.body() = std::string(body);
  req.prepare_payload();

  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  beast::error_code failure;
  const char* stage = "resolve";
  // Every step runs asynchronously so that the stream's deadline applies.
  resolver.async_resolve(u.host, u.port, [&](beast::error_code ec, tcp::resolver::results_type results) {
    if (ec) return void(failure = ec);
    stage = "connect";
    stream.expires_after(timeout);
    stream.async_connect(results, [&](beast::error_code ec2, const tcp::endpoint&) {
      if (ec2) return void(failure = ec2);
      stage = "send";
      http::async_write(stream, req, [&](beast::error_code ec3, std::size_t) {
        if (ec3) return void(failure = ec3);
        stage = "read the reply";
        http::async_read(stream, buffer, res, [&](beast::error_code ec4, std::size_t) {
          if (ec4) failure = ec4;
        });
      });
    });
  });
  // The resolver has no deadline of its own: bound the whole run.
  ioc.run_for(timeout + std::chrono::seconds(1));
  if (!ioc.stopped()) {
    return Status::Unavailable("webhook " + u.host + ":" + u.port + " did not answer in time (" +
                               stage + ")");
  }
  if (failure) {
    return Status::Unavailable("webhook " + u.host + ":" + u.port + ": cannot " + stage + ": " +
                               failure.message());
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return HttpResponse{static_cast<int>(res.result_int()), res.body()};
}

}  // namespace notify
