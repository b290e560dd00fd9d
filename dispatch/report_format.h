// The yearly report as a supervisor takes it away: a CSV table for a
// spreadsheet, and one self-contained HTML file (charts and tables) to attach
// to the annual report. The terminal's version is cli::PrintYearReport.
#ifndef DISPATCH_REPORT_FORMAT_H_
#define DISPATCH_REPORT_FORMAT_H_

#include <string>

#include "model/labels.h"
#include "model/proto/report.pb.h"

namespace dispatch {

// "Year report 2025 — the network", "2025 年度報告 — 中心 SZ（只計法律諮詢）".
std::string YearReportTitle(const model::YearReport& r, model::Lang lang);

// RFC 4180 (CRLF line ends, a field with a comma, quote or line end quoted,
// quotes doubled), UTF-8 with a byte-order mark so that Excel reads the
// Chinese right. One table; every row has the same columns:
//
//   section,kind,year,centre,month,category,group,label_zh_hant,label_en,
//   count,share,compared_year,compared_count,change
//
// `year` is the report's year on every row; `centre` the report's centre
// (empty: the network), or the row's centre in section "centre". By section:
//   report           kind "all" or "legal_only"; the labels are the rounding
//                    sentence. The first row.
//   total            kind contacts|cases: count the total, share the sum of
//                    the categories' rounded shares ("100.1").
//   category         kind contacts|cases: a category (code, group, labels),
//                    its count and share; most first, then by code.
//   legal_total, legal_category
//                    the same for the legal-advice service's part.
//   centre           kind contacts|cases|legal_contacts|legal_cases: count.
//   month            kind contacts|cases, month 1..12: count.
//   change_total, change_category, change_legal_total, change_legal_category
//                    one row per compared year: count this year, the
//                    compared year, its count, and the change ("+12.5";
//                    empty when that year counted none).
std::string YearReportCsv(const model::YearReport& r);

// One HTML5 file that needs nothing else: inline CSS and inline SVG charts
// (top categories of contacts and of cases, by month, by centre), each with a
// table of the same numbers beside it, the year-on-year table and the
// rounding sentence. No script and no address of any kind, so it opens the
// same offline, attached to a mail or printed (A4). Headings are in `lang`;
// category labels in `lang` with the other language in small type.
std::string YearReportHtml(const model::YearReport& r, model::Lang lang);

}  // namespace dispatch

#endif  // DISPATCH_REPORT_FORMAT_H_
