// A Store that answers OpenTaskCounts from a count kept in memory, for
// filling a database with a million cases through the real Dispatcher.
//
// The Dispatcher asks the store, for every case command, how many open tasks
// each user holds (to give a new task to the least loaded officer); the
// SQLite store answers by scanning every open task, so filling a database
// through it is quadratic. Everything else goes to the wrapped store
// unchanged: the rows written are the rows the Dispatcher writes.
#ifndef TESTS_BENCH_COUNTED_TASKS_STORE_H_
#define TESTS_BENCH_COUNTED_TASKS_STORE_H_

#include <map>
#include <string>

#include "dispatch/store.h"

namespace bench {

// Not thread-safe. REQUIRES: `inner` outlives it, holds no open task when it
// is made, and is written only through it while it lives. A body that fails
// after Append (and is rolled back) leaves the count wrong: for filling a
// database, where any failure stops the fill.
class CountedTasksStore : public dispatch::Store {
 public:
  explicit CountedTasksStore(dispatch::Store& inner) : inner_(inner) {}

  dispatch::StoreReader& Read() override { return inner_.Read(); }
  model::Status Write(const std::function<model::Status(dispatch::StoreWriter&)>& body) override;
  std::vector<model::Status> WriteGroup(
      const std::vector<std::function<model::Status(dispatch::StoreWriter&)>>& bodies) override;
  model::Result<dispatch::RebuildReport> RebuildProjections() override {
    return inner_.RebuildProjections();
  }
  notify::Outbox& outbox() override { return inner_.outbox(); }
  notify::InboxStore& inbox() override { return inner_.inbox(); }

  // The count kept: open tasks per assignee.
  const std::map<std::string, int>& open_tasks() const { return open_tasks_; }

 private:
  dispatch::Store& inner_;
  std::map<std::string, int> open_tasks_;
};

}  // namespace bench

#endif  // TESTS_BENCH_COUNTED_TASKS_STORE_H_
