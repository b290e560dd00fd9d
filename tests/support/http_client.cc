#include "support/http_client.h"

#include <algorithm>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

HttpReply Http(unsigned short port, const std::string& method, const std::string& target,
               const std::string& body, const Headers& headers) {
  HttpReply reply;
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(std::chrono::seconds(10));
  beast::error_code ec;
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
  if (ec) return reply;
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) req.set(name, value);
  if (!body.empty() && req[http::field::content_type].empty()) {
    req.set(http::field::content_type, "application/json");
  }
  req.body() = body;
  req.prepare_payload();
  // A server may answer before the body is all sent (too large) and stop
  // reading: what it answered is read all the same.
  http::write(stream, req, ec);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  http::read(stream, buffer, parser, ec);
  if (ec) return reply;
  const auto& res = parser.get();
  reply.status = static_cast<int>(res.result_int());
  reply.body = res.body();
  for (const auto& field : res) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    reply.headers[name] = std::string(field.value());
  }
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  return reply;
}

Headers Bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

}  // namespace testing
