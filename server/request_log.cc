#include "server/request_log.h"

#include <cstdio>
#include <ctime>

#include <spdlog/formatter.h>
#include <spdlog/spdlog.h>

#include "model/text_check.h"

namespace server {

namespace {

bool json = false;
// The line being logged is a request's, already JSON fields.
thread_local bool fields = false;

class JsonFormatter : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto since = msg.time.time_since_epoch();
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(since);
    const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since - secs);
    const std::time_t t = secs.count();
    std::tm tm{};
    gmtime_r(&t, &tm);
    char when[80];
    std::snprintf(when, sizeof when, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(millis.count()));
    const std::string_view payload(msg.payload.data(), msg.payload.size());
    std::string line = std::string("{\"time\":\"") + when + "\",\"level\":\"" +
                       std::string(spdlog::level::to_string_view(msg.level).data(),
                                   spdlog::level::to_string_view(msg.level).size()) +
                       "\",";
    if (fields) {
      line += std::string(payload);
    } else {
      line += "\"msg\":\"" + JsonEscaped(payload) + "\"";
    }
    line += "}\n";
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

}  // namespace

std::string JsonEscaped(std::string_view raw) {
  // What a client sent may not be UTF-8: a JSON line must be.
  const std::string s = model::ToValidUtf8(std::string(raw));
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\u%04x", c);
      out += esc;
    } else {
      out += ch;
    }
  }
  return out;
}

model::Status SetLogFormat(std::string_view format) {
  if (format == "text") {
    json = false;
    return model::Status::Ok();
  }
  if (format == "json") {
    json = true;
    spdlog::set_formatter(std::make_unique<JsonFormatter>());
    return model::Status::Ok();
  }
  return model::Status::InvalidArgument("--log-format takes text or json; got '" +
                                        std::string(format) + "'");
}

void LogRequest(const RequestLine& l) {
  if (!json) {
    spdlog::info("request {} {} {} from {} user={} command={} -> {} in {:.1f} ms{}{}", l.id,
                 l.method, l.path, l.peer, l.user, l.command, l.status, l.ms,
                 l.note.empty() ? "" : "; ", l.note);
    return;
  }
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.1f", l.ms);
  const std::string line =
      "\"request\":" + std::to_string(l.id) + ",\"method\":\"" + JsonEscaped(l.method) +
      "\",\"path\":\"" + JsonEscaped(l.path) + "\",\"peer\":\"" + JsonEscaped(l.peer) +
      "\",\"user\":\"" + JsonEscaped(l.user) + "\",\"command\":\"" + JsonEscaped(l.command) +
      "\",\"status\":" + std::to_string(l.status) + ",\"ms\":" + ms +
      (l.note.empty() ? "" : ",\"note\":\"" + JsonEscaped(l.note) + "\"");
  fields = true;
  spdlog::info("{}", line);
  fields = false;
}

}  // namespace server
