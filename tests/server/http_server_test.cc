// The HTTP layer alone, in this process, on 127.0.0.1: what a stream does
// with a client that stops reading.
#include "server/http_server.h"

#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <doctest/doctest.h>

#include "support/http_client.h"

namespace {

namespace net = boost::asio;
namespace http = boost::beast::http;
using net::ip::tcp;

constexpr size_t kChunk = 64 << 10;

TEST_CASE("a stream whose client stops reading is cut off past 1 MiB, and nobody else waits") {
  net::io_context ioc;
  // /stream hands its sink to the test; anything else is answered at once.
  std::promise<std::shared_ptr<server::EventSink>> sink_promise;
  server::HttpServer http(
      ioc, server::Limits{},
      [&](server::Request req, const server::Peer&, server::Respond respond,
          server::OpenStream open) {
        if (req.target() != "/stream") {
          server::Response res(http::status::ok, req.version());
          res.body() = "fine";
          return respond(std::move(res));
        }
        server::Response head(http::status::ok, req.version());
        head.set(http::field::content_type, "text/event-stream");
        open(std::move(head), [&](std::shared_ptr<server::EventSink> sink) {
          sink_promise.set_value(std::move(sink));
        });
      });
  REQUIRE(http.Listen("127.0.0.1", 0).ok());
  std::thread io([&ioc] { ioc.run(); });

  // A client that asks for the stream with a small receive buffer, reads
  // the head's first bytes, and then reads nothing more.
  net::io_context client_ioc;
  tcp::socket slow(client_ioc);
  slow.open(tcp::v4());
  slow.set_option(net::socket_base::receive_buffer_size(4096));
  slow.connect({net::ip::make_address("127.0.0.1"), http.port()});
  const std::string ask = "GET /stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  net::write(slow, net::buffer(ask));
  auto sink_future = sink_promise.get_future();
  REQUIRE(sink_future.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  std::shared_ptr<server::EventSink> sink = sink_future.get();
  char first[16];
  net::read(slow, net::buffer(first));

  // Meanwhile another client is answered, again and again.
  std::atomic<bool> done{false};
  std::atomic<int> answered{0};
  std::thread other([&] {
    while (!done) {
      auto r = testing::Http(http.port(), "GET", "/other", "", {});
      if (r.status == 200 && r.body == "fine") ++answered;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });

  // 64 KiB at a time, up to 32 MiB, until the sink says the client is gone
  // (it says so once the I/O thread has seen what was queued). What the
  // kernel takes first depends on its TCP buffers (a few MiB on loopback).
  constexpr int kMostChunks = 512;
  size_t sent = 0;
  bool cut = false;
  for (int i = 0; i < kMostChunks && !cut; ++i) {
    if (sink->Send(std::string(kChunk, 'x'))) {
      sent += kChunk;
    } else {
      cut = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  for (int i = 0; i < 100 && !cut; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    cut = !sink->open();
  }
  done = true;
  other.join();
  CHECK(cut);
  CHECK(answered > 0);
  // Cut after more than 1 MiB was given to it, well before all 32 MiB.
  CHECK(sent > (1u << 20));
  CHECK(sent < kMostChunks * kChunk);

  // What reaches the client: what the kernel held, then the end.
  std::string got;
  boost::system::error_code ec;
  char buf[1 << 16];
  while (!ec) got.append(buf, slow.read_some(net::buffer(buf), ec));
  CHECK((ec == net::error::eof || ec == net::error::connection_reset));
  CHECK(got.size() < sent);

  http.StopAccepting();
  ioc.stop();
  io.join();
}

}  // namespace
