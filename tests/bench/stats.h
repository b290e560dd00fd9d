// Summaries of measured samples.
#ifndef TESTS_BENCH_STATS_H_
#define TESTS_BENCH_STATS_H_

#include <cstddef>
#include <vector>

namespace bench {

struct Summary {
  std::size_t count = 0;
  double p50 = 0;
  double p90 = 0;
  double p99 = 0;
  double max = 0;
  double mean = 0;
};

// Nearest-rank percentiles of `samples` (sorted in place). All zero when empty.
Summary Summarize(std::vector<double>& samples);

// The nearest-rank `q` quantile (0 < q <= 1) of sorted samples; 0 when empty.
double Quantile(const std::vector<double>& sorted, double q);

}  // namespace bench

#endif  // TESTS_BENCH_STATS_H_
