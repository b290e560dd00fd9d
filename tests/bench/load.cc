#include "load.h"

#include <deque>
#include <memory>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace bench {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kExchangeLimit = std::chrono::seconds(60);

class Runner {
 public:
  explicit Runner(const LoadOptions& o) : o_(o), endpoint_(net::ip::make_address("127.0.0.1"), o.port), schedule_(ioc_), watchdog_(ioc_) {}

  LoadResult Run() {
    for (int i = 0; i < o_.connections; ++i) conns_.push_back(std::make_unique<Conn>(ioc_));
    // Every connection is open before the clock starts.
    int connected = 0;
    for (auto& c : conns_) {
      c->stream.expires_after(std::chrono::seconds(10));
      c->stream.async_connect(endpoint_, [&, conn = c.get()](beast::error_code ec) {
        conn->up = !ec;
        if (++connected == o_.connections) Begin();
      });
    }
    ioc_.run();
    r_.seconds = std::chrono::duration<double>(last_answer_ - first_send_).count();
    for (auto& c : conns_) {
      if (c->busy) ++r_.unanswered;
    }
    r_.unanswered += static_cast<int64_t>(pending_.size());
    if (open_loop()) r_.unanswered += o_.max_requests - scheduled_;
    r_.scheduled = open_loop() ? o_.max_requests : scheduled_;
    return std::move(r_);
  }

 private:
  struct Conn {
    explicit Conn(net::io_context& ioc) : stream(ioc) {}
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    http::request<http::string_body> req;
    std::optional<http::response_parser<http::string_body>> parser;
    bool up = false;
    bool busy = false;
  };

  bool open_loop() const { return o_.rate > 0; }

  void Begin() {
    begin_ = Clock::now();
    first_send_ = last_answer_ = begin_;
    if (open_loop()) {
      const auto span = std::chrono::duration<double>(static_cast<double>(o_.max_requests) / o_.rate);
      end_of_sending_ = begin_ + std::chrono::duration_cast<Clock::duration>(span);
      Tick();
    } else {
      end_of_sending_ = begin_ + o_.max_duration;
      for (auto& c : conns_) Next(*c);
    }
    watchdog_.expires_at(end_of_sending_ + o_.drain);
    watchdog_.async_wait([this](beast::error_code ec) {
      if (!ec) ioc_.stop();
    });
    MaybeFinish();
  }

  // Open loop: queues every command whose time has come, then waits for the next.
  void Tick() {
    const auto now = Clock::now();
    while (scheduled_ < o_.max_requests) {
      const auto due = begin_ + std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(static_cast<double>(scheduled_) / o_.rate));
      if (due > now) {
        schedule_.expires_at(due);
        schedule_.async_wait([this](beast::error_code ec) {
          if (!ec) Tick();
        });
        break;
      }
      pending_.push_back({scheduled_++, due});
    }
    Pump();
    MaybeFinish();
  }

  void Pump() {
    for (auto& c : conns_) {
      if (pending_.empty()) return;
      if (!c->up || c->busy) continue;
      const auto [index, due] = pending_.front();
      pending_.pop_front();
      const double lag = std::chrono::duration<double, std::milli>(Clock::now() - due).count();
      r_.worst_send_lag_ms = std::max(r_.worst_send_lag_ms, lag);
      Send(*c, index, due);
    }
  }

  // Closed loop: the connection's next command, if there is one to send.
  void Next(Conn& c) {
    if (!c.up || c.busy) return;
    if (scheduled_ >= o_.max_requests || Clock::now() >= end_of_sending_) return;
    Send(c, scheduled_++, Clock::now());
  }

  void Send(Conn& c, int64_t index, Clock::time_point from) {
    c.busy = true;
    ++r_.sent;
    c.req = http::request<http::string_body>{http::verb::post, "/v1/commands", 11};
    c.req.set(http::field::host, "127.0.0.1");
    c.req.set(http::field::authorization, "Bearer " + o_.token);
    c.req.set(http::field::content_type, "application/json");
    c.req.keep_alive(true);
    c.req.body() = o_.body(index);
    c.req.prepare_payload();
    c.parser.emplace();
    c.parser->body_limit(64 << 20);
    c.stream.expires_after(kExchangeLimit);
    http::async_write(c.stream, c.req, [this, &c, from](beast::error_code ec, size_t) {
      if (ec) return Failed(c);
      http::async_read(c.stream, c.buffer, *c.parser, [this, &c, from](beast::error_code rec, size_t) {
        if (rec) return Failed(c);
        const auto now = Clock::now();
        last_answer_ = now;
        const int status = static_cast<int>(c.parser->get().result_int());
        ++r_.statuses[status];
        if (status == 200) {
          ++r_.ok;
          r_.latency_ms.push_back(std::chrono::duration<double, std::milli>(now - from).count());
        } else {
          ++r_.refused;
          if (r_.first_refusal.empty()) r_.first_refusal = c.parser->get().body();
        }
        const bool keep = c.parser->get().keep_alive();
        c.busy = false;
        if (!keep) return Reconnect(c);
        Continue(c);
      });
    });
  }

  void Failed(Conn& c) {
    ++r_.unanswered;
    c.busy = false;
    Reconnect(c);
  }

  void Reconnect(Conn& c) {
    beast::error_code ignored;
    c.stream.socket().close(ignored);
    c.up = false;
    c.buffer.clear();
    if (Clock::now() >= end_of_sending_ + o_.drain) return MaybeFinish();
    c.stream.expires_after(std::chrono::seconds(10));
    c.stream.async_connect(endpoint_, [this, &c](beast::error_code ec) {
      c.up = !ec;
      if (ec) return MaybeFinish();
      Continue(c);
    });
  }

  void Continue(Conn& c) {
    if (open_loop()) {
      Pump();
    } else {
      Next(c);
    }
    MaybeFinish();
  }

  // Stops when nothing more will be sent and nothing is waiting for an answer.
  void MaybeFinish() {
    const bool more = open_loop() ? scheduled_ < o_.max_requests || !pending_.empty()
                                  : scheduled_ < o_.max_requests && Clock::now() < end_of_sending_ &&
                                        AnyUp();
    if (more) return;
    for (auto& c : conns_) {
      if (c->busy) return;
    }
    ioc_.stop();
  }

  bool AnyUp() const {
    for (const auto& c : conns_) {
      if (c->up) return true;
    }
    return false;
  }

  const LoadOptions& o_;
  net::io_context ioc_;
  tcp::endpoint endpoint_;
  net::steady_timer schedule_;
  net::steady_timer watchdog_;
  std::vector<std::unique_ptr<Conn>> conns_;
  std::deque<std::pair<int64_t, Clock::time_point>> pending_;
  int64_t scheduled_ = 0;
  Clock::time_point begin_, end_of_sending_, first_send_, last_answer_;
  LoadResult r_;
};

}  // namespace

LoadResult RunLoad(const LoadOptions& options) { return Runner(options).Run(); }

}  // namespace bench
