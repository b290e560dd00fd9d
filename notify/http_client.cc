#include "notify/http_client.h"

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace notify {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using model::Result;
using model::Status;

Result<Url> ParseHttpUrl(std::string_view url) {
  Url out;
  std::string_view rest;
  if (url.substr(0, 7) == "http://") {
    rest = url.substr(7);
  } else if (url.substr(0, 8) == "https://") {
    rest = url.substr(8);
    out.tls = true;
  } else {
    return Status::InvalidArgument("URL '" + std::string(url) +
                                   "' must start with http:// or https://");
  }
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  out.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  // An IPv6 address is in brackets: https://[::1]:8443/.
  const auto close = authority.rfind(']');
  const auto colon = authority.rfind(':');
  if (!authority.empty() && authority.front() == '[' && close != std::string_view::npos) {
    out.host = std::string(authority.substr(1, close - 1));
    out.port = close + 1 < authority.size() && authority[close + 1] == ':'
                   ? std::string(authority.substr(close + 2))
                   : std::string(out.tls ? "443" : "80");
    if (close + 1 < authority.size() && authority[close + 1] != ':') out.port.clear();
  } else if (colon != std::string_view::npos) {
    out.host = std::string(authority.substr(0, colon));
    out.port = std::string(authority.substr(colon + 1));
  } else {
    out.host = std::string(authority);
    out.port = out.tls ? "443" : "80";
  }
  const bool port_ok = !out.port.empty() && out.port.size() <= 5 &&
                       out.port.find_first_not_of("0123456789") == std::string::npos &&
                       std::stoi(out.port) >= 1 && std::stoi(out.port) <= 65535;
  if (out.host.empty() || !port_ok) {
    return Status::InvalidArgument("URL '" + std::string(url) +
                                   "' has no usable host and port (ports are 1 to 65535)");
  }
  return out;
}

namespace {

// One exchange on `stream`, a plain TCP stream or TLS over one; every step
// runs asynchronously so that the stream's deadline applies.
struct Exchange {
  const Url& url;
  http::request<http::string_body>& req;
  http::response<http::string_body> res;
  beast::flat_buffer buffer;
  beast::error_code failure;
  const char* stage = "resolve";

  template <class Stream>
  void Start(tcp::resolver& resolver, Stream& stream, model::Millis timeout) {
    resolver.async_resolve(url.host, url.port, [&, timeout](beast::error_code ec,
                                                            tcp::resolver::results_type r) {
      if (ec) return void(failure = ec);
      stage = "connect";
      beast::get_lowest_layer(stream).expires_after(timeout);
      beast::get_lowest_layer(stream).async_connect(r, [&](beast::error_code ec2,
                                                           const tcp::endpoint&) {
        if (ec2) return void(failure = ec2);
        if constexpr (!std::is_same_v<Stream, beast::tcp_stream>) {
          stage = "agree on TLS (is the certificate trusted?)";
          stream.async_handshake(ssl::stream_base::client, [&](beast::error_code ec3) {
            if (ec3) return void(failure = ec3);
            Send(stream);
          });
        } else {
          Send(stream);
        }
      });
    });
  }

  template <class Stream>
  void Send(Stream& stream) {
    stage = "send";
    http::async_write(stream, req, [&](beast::error_code ec, std::size_t) {
      if (ec) return void(failure = ec);
      stage = "read the reply";
      http::async_read(stream, buffer, res, [&](beast::error_code ec2, std::size_t) {
        if (ec2) failure = ec2;
      });
    });
  }
};

}  // namespace

Result<HttpResponse> Fetch(const HttpRequest& request) {
  ASSIGN_OR_RETURN(Url u, ParseHttpUrl(request.url));
  const std::string where = u.host + ":" + u.port;
  http::verb verb = http::string_to_verb(request.method);
  if (verb == http::verb::unknown) return Status::Internal("no HTTP method " + request.method);
  http::request<http::string_body> req{verb, u.target, 11};
  // The Host header names the port unless it is the scheme's own.
  const bool usual_port = u.port == (u.tls ? "443" : "80");
  const std::string host = u.host.find(':') != std::string::npos ? "[" + u.host + "]" : u.host;
  req.set(http::field::host, usual_port ? host : host + ":" + u.port);
  req.set(http::field::user_agent, "dispatch/0.1");
  if (!request.body.empty() || verb == http::verb::post) {
    req.set(http::field::content_type, request.content_type);
    req.body() = request.body;
  }
  for (const auto& [name, value] : request.headers) req.set(name, value);
  req.prepare_payload();

  net::io_context ioc;
  tcp::resolver resolver(ioc);
  Exchange x{u, req, {}, {}, {}, "resolve"};
  std::optional<beast::tcp_stream> plain;
  std::optional<ssl::context> context;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  if (u.tls) {
    context.emplace(ssl::context::tls_client);
    boost::system::error_code ec;
    if (request.ca_file.empty()) {
      context->set_default_verify_paths(ec);
    } else {
      context->load_verify_file(request.ca_file, ec);
    }
    if (ec) {
      return Status::Unavailable("cannot read the trusted certificates" +
                                 (request.ca_file.empty() ? "" : " in " + request.ca_file) + ": " +
                                 ec.message());
    }
    context->set_verify_mode(ssl::verify_peer);
    secure.emplace(ioc, *context);
    // The name the certificate must carry, and the one the server is told.
    secure->set_verify_callback(ssl::host_name_verification(u.host));
    if (!SSL_set_tlsext_host_name(secure->native_handle(), u.host.c_str())) {
      return Status::Unavailable("cannot set the TLS server name for " + where);
    }
    x.Start(resolver, *secure, request.timeout);
  } else {
    plain.emplace(ioc);
    x.Start(resolver, *plain, request.timeout);
  }
  // The resolver has no deadline of its own: bound the whole run.
  ioc.run_for(request.timeout + std::chrono::seconds(1));
  if (!ioc.stopped()) {
    return Status::Unavailable(where + " did not answer in time (" + x.stage + ")");
  }
  if (x.failure) {
    return Status::Unavailable(where + ": cannot " + x.stage + ": " + x.failure.message());
  }
  beast::error_code ignored;
  if (plain) plain->socket().shutdown(tcp::socket::shutdown_both, ignored);
  return HttpResponse{static_cast<int>(x.res.result_int()), std::move(x.res.body()),
                      std::string(x.res[http::field::content_type])};
}

}  // namespace notify
