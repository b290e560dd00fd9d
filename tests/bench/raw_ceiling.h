// The raw SQLite ceiling: what the disk and SQLite allow, with no engine, no
// protobuf and no HTTP. Each "command" is one journal insert and one
// projection upsert shaped like the store's (same tables, same indexes, blobs
// the size of real ones), written in WAL mode with synchronous=FULL, a batch
// to a transaction as group commit does.
#ifndef TESTS_BENCH_RAW_CEILING_H_
#define TESTS_BENCH_RAW_CEILING_H_

#include <chrono>
#include <cstdint>
#include <string>

#include "model/status.h"

namespace bench {

struct CeilingOptions {
  std::string path;  // a new file
  int batch = 64;    // commands per transaction
  int64_t max_commands = 100000;
  std::chrono::milliseconds max_duration{3000};
  size_t journal_bytes = 400;      // the event blob
  size_t projection_bytes = 1500;  // the case blob
};

struct CeilingResult {
  int64_t commands = 0;
  double seconds = 0;
};

model::Result<CeilingResult> RawCeiling(const CeilingOptions& options);

}  // namespace bench

#endif  // TESTS_BENCH_RAW_CEILING_H_
