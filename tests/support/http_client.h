// A small blocking HTTP/1.1 client for tests, on 127.0.0.1 only.
#ifndef TESTS_SUPPORT_HTTP_CLIENT_H_
#define TESTS_SUPPORT_HTTP_CLIENT_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace testing {

struct HttpReply {
  int status = 0;  // 0: no answer (refused, closed, timed out)
  std::string body;
  std::map<std::string, std::string> headers;  // names in lower case

  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
  }
};

using Headers = std::vector<std::pair<std::string, std::string>>;

// One request on its own connection, with a 10 s limit on the whole exchange.
HttpReply Http(unsigned short port, const std::string& method, const std::string& target,
               const std::string& body = "", const Headers& headers = {});

// Headers that sign in with a bearer token.
Headers Bearer(const std::string& token);

}  // namespace testing

#endif  // TESTS_SUPPORT_HTTP_CLIENT_H_
