// The server's log: one line per request (request id, route, who, which
// command, the HTTP status it got, time taken), as text or as JSON lines
// (`dispatch serve --log-format json`) for a collector. Identity numbers in a
// path are masked before they get here; the rest names no person.
#ifndef SERVER_REQUEST_LOG_H_
#define SERVER_REQUEST_LOG_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "model/status.h"

namespace server {

struct RequestLine {
  uint64_t id = 0;
  std::string method;
  std::string path;
  std::string peer;
  std::string user = "-";
  std::string command = "-";
  int status = 0;
  double ms = 0;
  std::string note;  // what else there is to say (a stream's start)
};

// "text" (the default) or "json": every line the process logs from then on.
model::Status SetLogFormat(std::string_view format);

void LogRequest(const RequestLine& line);

// `s` as a JSON string's contents.
std::string JsonEscaped(std::string_view s);

}  // namespace server

#endif  // SERVER_REQUEST_LOG_H_
