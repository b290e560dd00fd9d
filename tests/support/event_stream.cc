#include "support/event_stream.h"

#include <poll.h>
#include <sys/socket.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

namespace testing {

namespace net = boost::asio;
using tcp = net::ip::tcp;

struct EventStream::Socket {
  net::io_context ioc;
  tcp::socket socket{ioc};
};

EventStream::EventStream(unsigned short port, const std::string& target, const Headers& headers)
    : socket_(std::make_unique<Socket>()) {
  boost::system::error_code ec;
  socket_->socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
  if (ec) return;
  std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  request += "\r\n";
  net::write(socket_->socket, net::buffer(request), ec);
  if (ec) return;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (buffer_.find("\r\n\r\n") == std::string::npos) {
    if (!Fill(until)) return;
  }
  const auto head_end = buffer_.find("\r\n\r\n");
  const std::string head = buffer_.substr(0, head_end);
  buffer_.erase(0, head_end + 4);
  if (head.rfind("HTTP/1.1 ", 0) == 0) status_ = std::stoi(head.substr(9, 3));
}

EventStream::~EventStream() = default;

bool EventStream::Fill(std::chrono::steady_clock::time_point until) {
  if (ended_) return false;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      until - std::chrono::steady_clock::now());
  if (left.count() <= 0) return false;
  pollfd p{socket_->socket.native_handle(), POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
  char chunk[4096];
  const ssize_t n = ::recv(socket_->socket.native_handle(), chunk, sizeof chunk, 0);
  if (n <= 0) {
    ended_ = true;
    return false;
  }
  buffer_.append(chunk, static_cast<size_t>(n));
  return true;
}

std::optional<StreamEvent> EventStream::Next() {
  for (;;) {
    const auto end = buffer_.find("\n\n");
    if (end == std::string::npos) return std::nullopt;
    const std::string block = buffer_.substr(0, end);
    buffer_.erase(0, end + 2);
    StreamEvent e;
    bool any = false;
    size_t start = 0;
    while (start <= block.size()) {
      const auto nl = block.find('\n', start);
      const std::string line = block.substr(start, nl == std::string::npos ? nl : nl - start);
      if (!line.empty() && line[0] == ':') {
        ++comments_;
      } else if (line.rfind("id: ", 0) == 0) {
        e.id = line.substr(4);
        any = true;
      } else if (line.rfind("event: ", 0) == 0) {
        e.event = line.substr(7);
        any = true;
      } else if (line.rfind("data: ", 0) == 0) {
        e.data += line.substr(6);
        any = true;
      }
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
    if (any && !e.event.empty()) return e;
  }
}

std::vector<StreamEvent> EventStream::ReadUntil(
    const std::function<bool(const StreamEvent&)>& until, std::chrono::milliseconds wait) {
  std::vector<StreamEvent> out;
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    while (auto e = Next()) {
      out.push_back(*e);
      if (until(*e)) return out;
    }
    if (!Fill(deadline)) return out;
  }
}

bool EventStream::Ended(std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (Fill(deadline)) {
  }
  return ended_;
}

}  // namespace testing
