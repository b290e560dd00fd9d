// The yearly report supervisors publish (model/proto/report.proto), made from
// counted rows: totals, each category's share, year-on-year changes, by
// centre and by month, and the legal-advice service's part. Totals and shares
// come from the same rows, so they cannot disagree; the arithmetic is integer
// only, so that every surface rounds the same way.
//
// Pure: the rows are counted elsewhere (SQL in the store); this file only
// adds them up and words the result.
#ifndef DISPATCH_REPORT_H_
#define DISPATCH_REPORT_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "model/categories.h"
#include "model/proto/report.pb.h"
#include "model/status.h"
#include "model/time.h"

namespace dispatch {

// A count of contacts or of cases that share everything a report splits by.
struct Tallied {
  enum class Kind { kContact, kCase };
  Kind kind;
  int year;   // in Hong Kong time
  int month;  // 1..12
  std::string centre;
  std::string category;  // "" when the work was recorded without one
  bool legal_advice;
  int64_t count;
};

struct YearReportRequest {
  int year;
  std::string centre;              // empty: the network
  bool legal_only = false;         // only the legal-advice service's work
  std::vector<int> compared = {};  // earlier (or other) years to compare with
};

// The report for `req` from `rows` (which may hold any years and centres: the
// function filters). `centres` are every centre's code (a centre with no work
// still gets its zero row; a centre in `rows` but not in `centres` gets its
// row too, so that the rows by centre add up to the totals). Pure: same
// input, same output.
model::YearReport MakeYearReport(const YearReportRequest& req, std::span<const Tallied> rows,
                                 const model::Categories& categories,
                                 const std::vector<std::string>& centres, model::Instant now);

// OK when `r` agrees with itself: each tally's category counts add up to its
// total and its shares to its shares_sum, the rows by centre and by month add
// up to the totals, and the legal part is within them. MakeYearReport's
// reports always do; the check is for tests and for reports read back.
model::Status CheckYearReport(const model::YearReport& r);

// The arithmetic, exposed for the formats and the tests. No floating point:
// a figure is a whole number of tenths of a percent.

// `count` of `total` in tenths of a percent, half-up: 1 of 16 is 63 (6.3%).
// REQUIRES: 0 <= count, 0 < total.
int64_t ShareTenths(int64_t count, int64_t total);
// The change from `then` to `now` in tenths of a percent, its magnitude
// rounded half-up and its sign put back: 7 after 8 is -125 (-12.5%).
// REQUIRES: 0 < then, 0 <= now.
int64_t ChangeTenths(int64_t now, int64_t then);
// "23.4" (tenths 234), "0.0".
std::string FormatTenths(int64_t tenths);
// "+12.5", "-3.0", "0.0": the sign always, but none for zero.
std::string FormatChange(int64_t tenths);

}  // namespace dispatch

#endif  // DISPATCH_REPORT_H_
