#include "server/writer.h"

#include <spdlog/spdlog.h>

#include "dispatch/commands.h"

namespace server {

using model::Status;

Writer::Writer(dispatch::Store& store, model::WorkflowCatalog& catalog, const model::Clock& clock,
               Metrics& metrics, Committed committed, model::Millis rescan)
    : dispatcher_(store, catalog, clock),
      clock_(clock),
      metrics_(metrics),
      committed_(std::move(committed)),
      rescan_(rescan) {}

Writer::~Writer() { Stop(); }

Status Writer::Start() {
  // What fell due while the server was down fires now, before anyone is
  // served, for a moment; a longer backlog goes on firing between commands
  // once the server serves.
  const auto until = std::chrono::steady_clock::now() + kStartFiring;
  for (;;) {
    auto fired = dispatcher_.FireDueDeadlines(kFiringBatch);
    if (!fired.ok()) return fired.status();
    for (const auto& late : fired->late) metrics_.DeadlineFired(late);
    if (fired->fired > 0) committed_();
    if (!fired->more || std::chrono::steady_clock::now() >= until) break;
  }
  std::lock_guard<std::mutex> lock(mu_);
  started_ = true;
  thread_ = std::thread([this] { Loop(); });
  return Status::Ok();
}

void Writer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Writer::Submit(model::Command command, dispatch::Actor actor, Done done) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!stopping_) {
      queue_.push_back({std::move(command), std::move(actor), std::move(done),
                        std::chrono::steady_clock::now()});
      cv_.notify_one();
      return;
    }
  }
  done(Status::Unavailable("the server is shutting down; send it again in a moment",
                           "伺服器正在關閉，請稍後再傳送"));
}

void Writer::Run(std::function<void(dispatch::Dispatcher&)> job) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_) return;
  jobs_.push_back(std::move(job));
  cv_.notify_one();
}

std::chrono::steady_clock::time_point Writer::NextWake() {
  model::Millis wait = rescan_;
  auto next = dispatcher_.store().Read().NextFiring();
  if (next.ok() && *next) wait = std::min(wait, std::max(model::Millis(0), **next - clock_.Now()));
  return std::chrono::steady_clock::now() + wait;
}

bool Writer::FireBatch() {
  auto fired = dispatcher_.FireDueDeadlines(kFiringBatch);
  if (!fired.ok()) {
    spdlog::error("deadlines could not fire: {}", fired.status().message());
    return false;
  }
  for (const auto& late : fired->late) metrics_.DeadlineFired(late);
  if (fired->fired > 0 && committed_) committed_();
  return fired->more;
}

void Writer::Loop() {
  auto wake = NextWake();
  for (;;) {
    std::vector<Pending> group;
    std::deque<std::function<void(dispatch::Dispatcher&)>> jobs;
    bool stop = false;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_until(lock, wake, [&] { return stopping_ || !queue_.empty() || !jobs_.empty(); });
      while (!queue_.empty() && group.size() < kMostInAGroup) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      jobs.swap(jobs_);
      stop = stopping_ && queue_.empty();
    }
    if (!group.empty()) {
      std::vector<dispatch::Dispatcher::Submission> batch;
      batch.reserve(group.size());
      for (const Pending& p : group) batch.push_back({&p.command, &p.actor});
      auto replies = dispatcher_.ExecuteGroup(batch);
      bool wrote = false;
      const auto now = std::chrono::steady_clock::now();
      for (size_t i = 0; i < group.size(); ++i) {
        const std::string_view kind = dispatch::SpecOf(group[i].command.body_case()).name;
        const std::string outcome =
            replies[i].ok() ? "ok" : std::string(model::CodeName(replies[i].status().code()));
        metrics_.CommandDone(kind, outcome,
                             std::chrono::duration_cast<model::Millis>(now - group[i].arrived));
        wrote = wrote || (replies[i].ok() && !replies[i]->replayed());
      }
      if (wrote && committed_) committed_();
      for (size_t i = 0; i < group.size(); ++i) group[i].done(std::move(replies[i]));
    }
    for (auto& job : jobs) job(dispatcher_);
    // One batch of due deadlines, then the commands that came meanwhile:
    // a burst of firings never holds a command up for long, nor a stop.
    const bool more = FireBatch();
    if (stop) return;
    wake = more ? std::chrono::steady_clock::now() : NextWake();
  }
}

}  // namespace server
