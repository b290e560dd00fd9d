#include "http_get.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace bench {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

HttpAnswer Exchange(unsigned short port, http::request<http::string_body> req,
                    std::chrono::milliseconds limit) {
  HttpAnswer answer;
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  req.set(http::field::host, "127.0.0.1");
  req.prepare_payload();
  stream.expires_after(limit);
  stream.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port),
                       [&](beast::error_code ec) {
    if (ec) return;
    http::async_write(stream, req, [&](beast::error_code wec, size_t) {
      if (wec) return;
      http::async_read(stream, buffer, parser, [&](beast::error_code rec, size_t) {
        if (rec) return;
        answer.status = static_cast<int>(parser.get().result_int());
        answer.body = parser.get().body();
      });
    });
  });
  ioc.run();
  return answer;
}

}  // namespace

HttpAnswer HttpGet(unsigned short port, const std::string& target,
                   std::chrono::milliseconds limit, const std::string& token) {
  http::request<http::string_body> req{http::verb::get, target, 11};
  if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
  return Exchange(port, std::move(req), limit);
}

HttpAnswer HttpPost(unsigned short port, const std::string& target, const std::string& body,
                    std::chrono::milliseconds limit, const std::string& token) {
  http::request<http::string_body> req{http::verb::post, target, 11};
  req.set(http::field::authorization, "Bearer " + token);
  req.set(http::field::content_type, "application/json");
  req.body() = body;
  return Exchange(port, std::move(req), limit);
}

}  // namespace bench
