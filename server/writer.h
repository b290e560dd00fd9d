// The one writer of a server: every change to the database goes through its
// thread. Commands that arrive together commit together (group commit, a
// savepoint each), and each is answered only after the COMMIT. Deadlines fire
// on time with nobody typing: the thread sleeps until the earliest timer is
// due (worked out again after every write) or work arrives, and looks again
// at least every `rescan` in case the clock was moved. Due deadlines fire a
// batch at a time, with the commands that arrived meanwhile between batches.
#ifndef SERVER_WRITER_H_
#define SERVER_WRITER_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "dispatch/dispatcher.h"
#include "model/proto/command.pb.h"
#include "model/status.h"
#include "server/metrics.h"

namespace server {

class Writer {
 public:
  using Done = std::function<void(model::Result<model::CommandReply>)>;

  // Called on the writer thread after each commit that wrote something
  // (the deliverer then looks for notifications).
  using Committed = std::function<void()>;

  // REQUIRES: store, catalog, clock and metrics outlive it.
  Writer(dispatch::Store& store, model::WorkflowCatalog& catalog, const model::Clock& clock,
         Metrics& metrics, Committed committed, model::Millis rescan = std::chrono::seconds(30));
  ~Writer();

  // Fires what fell due while nothing ran (a restart), for two seconds at
  // most, then starts the thread, which fires the rest a batch at a time
  // between groups of commands.
  model::Status Start();
  // Stops taking work, finishes and answers what was queued, then returns.
  void Stop();

  // Queues a command; `done` is called on the writer thread once it is
  // durable (or refused). After Stop, answers Unavailable at once.
  void Submit(model::Command command, dispatch::Actor actor, Done done);
  // Runs `job` on the writer thread, in order with commands (a session's
  // making). After Stop, it is not run.
  void Run(std::function<void(dispatch::Dispatcher&)> job);

 private:
  struct Pending {
    model::Command command;
    dispatch::Actor actor;
    Done done;
    std::chrono::steady_clock::time_point arrived;
  };
  void Loop();
  // Fires one batch of what is due; true when more is due.
  bool FireBatch();
  std::chrono::steady_clock::time_point NextWake();

  static constexpr size_t kMostInAGroup = 256;
  static constexpr int kFiringBatch = 100;
  static constexpr auto kStartFiring = std::chrono::seconds(2);

  dispatch::Dispatcher dispatcher_;
  const model::Clock& clock_;
  Metrics& metrics_;
  Committed committed_;
  model::Millis rescan_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;
  std::deque<std::function<void(dispatch::Dispatcher&)>> jobs_;
  bool stopping_ = false;
  bool started_ = false;
  std::thread thread_;
};

}  // namespace server

#endif  // SERVER_WRITER_H_
