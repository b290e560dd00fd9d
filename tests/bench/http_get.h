// One HTTP request on its own connection to 127.0.0.1, with a limit on the
// whole exchange: for /readyz and /metrics, and single commands.
#ifndef TESTS_BENCH_HTTP_GET_H_
#define TESTS_BENCH_HTTP_GET_H_

#include <chrono>
#include <string>

namespace bench {

struct HttpAnswer {
  int status = 0;  // 0: no answer (refused, closed, out of time)
  std::string body;
};

HttpAnswer HttpGet(unsigned short port, const std::string& target,
                   std::chrono::milliseconds limit, const std::string& token = "");
HttpAnswer HttpPost(unsigned short port, const std::string& target, const std::string& body,
                    std::chrono::milliseconds limit, const std::string& token);

}  // namespace bench

#endif  // TESTS_BENCH_HTTP_GET_H_
