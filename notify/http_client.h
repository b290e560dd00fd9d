// A small HTTP/1.1 client on Boost.Beast for webhooks: one POST, with a
// deadline on the whole exchange. Plain http:// only.
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
  std::string host;
  std::string port;
  std::string target;  // path and query, at least "/"
};

// Parses "http://host[:port][/path]"; InvalidArgument for anything else.
model::Result<Url> ParseHttpUrl(std::string_view url);

struct HttpResponse {
  int status = 0;
  std::string body;
};

// POSTs `body` as application/json. Unavailable on connection errors and on
// timeouts (resolving, connecting, writing and reading share `timeout`).
model::Result<HttpResponse> PostJson(std::string_view url, std::string_view body,
                                     const std::vector<std::pair<std::string, std::string>>& headers,
                                     model::Millis timeout);

}  // namespace notify

#endif  // NOTIFY_HTTP_CLIENT_H_
