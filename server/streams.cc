#include "server/streams.h"

#include <spdlog/spdlog.h>

#include "model/command_codec.h"

namespace server {

Streams::Streams(Readers& readers, std::chrono::milliseconds ping)
    : readers_(readers), ping_(ping) {}

Streams::~Streams() { Stop(); }

void Streams::Start() { thread_ = std::thread([this] { Loop(); }); }

void Streams::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Streams::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    woken_ = true;
  }
  cv_.notify_one();
}

bool Streams::HasRoom(const std::string& secret) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = per_key_.find(secret);
  return held_ < kMost && (it == per_key_.end() || it->second < kPerKey);
}

void Streams::Add(std::shared_ptr<EventSink> sink, std::string secret,
                  dispatch::StreamPosition from) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return sink->End();
    ++per_key_[secret];
    ++held_;
    added_.push_back({std::move(sink), std::move(secret), from, {}});
    woken_ = true;
  }
  cv_.notify_one();
}

int Streams::open() const {
  std::lock_guard<std::mutex> lock(mu_);
  return open_;
}

namespace {

std::string Said(const dispatch::StreamPosition& at, const std::string& event,
                 const std::string& data) {
  return "id: " + at.ToId() + "\nevent: " + event + "\ndata: " + data + "\n\n";
}

}  // namespace

bool Streams::Tell(dispatch::Dispatcher& d, Subscriber& s, bool ping_due) {
  if (!s.sink->open()) return false;
  // Signed out, revoked or expired since: the stream ends with its session.
  auto actor = d.Authenticate(s.secret);
  if (!actor.ok() && actor.status().code() == model::Code::kPermissionDenied) {
    s.sink->Send("event: signed_out\ndata: {}\n\n");
    return false;
  }
  if (!actor.ok()) {  // the database busy a moment: try again at the next wake
    spdlog::warn("stream: cannot check its session now: {}", actor.status().message());
    return true;
  }
  bool sent = false;
  for (int round = 0; round < 50; ++round) {  // at most 10,000 rows a wake
    auto batch = dispatch::ChangesSince(d, *actor, s.position);
    if (!batch.ok()) {
      spdlog::warn("stream for {}: {}", actor->user, batch.status().message());
      break;
    }
    for (size_t i = 0; i < batch->changes.size(); ++i) {
      auto json = model::EncodeJson(batch->changes[i]);
      if (!json.ok()) continue;
      if (!s.sink->Send(Said(batch->positions[i], batch->changes[i].kind(), *json))) return false;
      sent = true;
    }
    s.position = batch->next;
    if (!batch->more) break;
  }
  if (sent) {
    s.last_sent = std::chrono::steady_clock::now();
  } else if (ping_due) {
    if (!s.sink->Send(": still here\n\n")) return false;
    s.last_sent = std::chrono::steady_clock::now();
  }
  return true;
}

void Streams::Loop() {
  std::vector<Subscriber> subscribers;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, ping_, [&] { return stopping_ || woken_; });
      woken_ = false;
      if (stopping_) break;
      for (auto& s : added_) {
        // The first thing said: where the stream starts, so that a client
        // has an id to come back with before anything happens.
        if (s.sink->Send("retry: 3000\nid: " + s.position.ToId() + "\nevent: ready\ndata: {}\n\n")) {
          s.last_sent = std::chrono::steady_clock::now();
          subscribers.push_back(std::move(s));
        } else {
          if (--per_key_[s.secret] == 0) per_key_.erase(s.secret);
          --held_;
        }
      }
      added_.clear();
    }
    auto reader = readers_.ForThisThread();
    if (!reader.ok()) {
      spdlog::warn("streams cannot read: {}", reader.status().message());
      continue;
    }
    const auto now = std::chrono::steady_clock::now();
    std::vector<std::string> ended;
    std::erase_if(subscribers, [&](Subscriber& s) {
      const bool keep = Tell(**reader, s, now - s.last_sent >= ping_);
      if (!keep) {
        s.sink->End();
        ended.push_back(s.secret);
      }
      return !keep;
    });
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& secret : ended) {
      if (--per_key_[secret] == 0) per_key_.erase(secret);
      --held_;
    }
    open_ = static_cast<int>(subscribers.size());
  }
  for (auto& s : subscribers) s.sink->End();
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& s : added_) s.sink->End();
  added_.clear();
  per_key_.clear();
  held_ = 0;
  open_ = 0;
}

}  // namespace server
