// A small blocking HTTP/1.1 client on Boost.Beast, http:// and https://:
// webhooks POST through it and the command line talks to a server through it.
// One request per connection, with a deadline on the whole exchange.
#ifndef NOTIFY_HTTP_CLIENT_H_
#define NOTIFY_HTTP_CLIENT_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/status.h"
#include "model/time.h"

namespace notify {

struct Url {
  bool tls = false;
  std::string host;
  std::string port;
  std::string target;  // path and query, at least "/"
};

// Parses "http[s]://host[:port][/path]"; InvalidArgument for anything else.
model::Result<Url> ParseHttpUrl(std::string_view url);

struct HttpRequest {
  std::string method = "POST";
  std::string url;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  model::Millis timeout{3000};
  // https: the certificate authorities trusted, a PEM file; empty for the
  // system's (Debian's ca-certificates).
  std::string ca_file;
};

struct HttpResponse {
  int status = 0;
  std::string body;
  std::string content_type;
};

// Sends one request. Unavailable on connection and TLS errors (an
// unverifiable certificate included) and on timeouts: resolving,
// connecting, the TLS handshake, writing and reading share `timeout`.
model::Result<HttpResponse> Fetch(const HttpRequest& request);

}  // namespace notify

#endif  // NOTIFY_HTTP_CLIENT_H_
