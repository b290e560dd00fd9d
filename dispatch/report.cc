#include "dispatch/report.h"

#include <algorithm>
#include <cassert>
#include <cstdlib>
#include <map>
#include <utility>

namespace dispatch {
namespace {

using Kind = Tallied::Kind;

// The work of one kind in one year, as the report counts it.
struct Counts {
  int64_t total = 0;
  std::map<std::string, int64_t> by_category;  // by code, "" for none

  void Add(const std::string& category, int64_t n) {
    total += n;
    by_category[category] += n;
  }
  int64_t Of(const std::string& category) const {
    const auto it = by_category.find(category);
    return it == by_category.end() ? 0 : it->second;
  }
};

// Which counts: contacts or cases, all or only the legal-advice part, a year.
struct Scope {
  Kind kind;
  bool legal;
  int year;
  auto operator<=>(const Scope&) const = default;
};

using CountsByScope = std::map<Scope, Counts>;

const Counts& Get(const CountsByScope& counts, const Scope& s) {
  static const Counts kNone;
  const auto it = counts.find(s);
  return it == counts.end() ? kNone : it->second;
}

// Whether the report counts `r` at all, whatever its year.
bool InReport(const YearReportRequest& req, const Tallied& r) {
  if (!req.centre.empty() && r.centre != req.centre) return false;
  return !req.legal_only || r.legal_advice;
}

bool InYears(const YearReportRequest& req, int year) {
  return year == req.year ||
         std::find(req.compared.begin(), req.compared.end(), year) != req.compared.end();
}

// Every row the report counts, added up by kind, legal part and year.
CountsByScope CountAll(const YearReportRequest& req, std::span<const Tallied> rows) {
  CountsByScope counts;
  for (const Tallied& r : rows) {
    assert(r.count >= 0);
    if (!InReport(req, r) || !InYears(req, r.year)) continue;
    counts[{r.kind, false, r.year}].Add(r.category, r.count);
    if (r.legal_advice) counts[{r.kind, true, r.year}].Add(r.category, r.count);
  }
  return counts;
}

model::Label MakeLabel(std::string zh_hant, std::string en) {
  model::Label l;
  l.set_zh_hant(std::move(zh_hant));
  l.set_en(std::move(en));
  return l;
}

// The category's label from the file; "未分類" for none; the code itself for
// a code the file no longer has.
model::Label CategoryLabel(const std::string& code, const model::Categories& categories) {
  if (code.empty()) return MakeLabel("未分類", "Uncategorised");
  if (const model::Category* c = categories.Find(code)) return c->label();
  return MakeLabel(code, code);
}

model::YearCount Earlier(int year, int64_t now, int64_t then) {
  model::YearCount y;
  y.set_year(year);
  y.set_count(then);
  if (then > 0) y.set_change(FormatChange(ChangeTenths(now, then)));
  return y;
}

// The categories that counted anything in the year or in a year compared
// with it (so that each compared year's column adds up to its total too),
// most in the year first, then by code.
std::vector<std::pair<std::string, int64_t>> Ranked(const Counts& now,
                                                    const std::vector<const Counts*>& compared) {
  std::map<std::string, int64_t> listed;
  for (const auto& [code, n] : now.by_category) {
    if (n > 0) listed[code] = n;
  }
  for (const Counts* then : compared) {
    for (const auto& [code, n] : then->by_category) {
      if (n > 0) listed.emplace(code, 0);
    }
  }
  std::vector<std::pair<std::string, int64_t>> ranked(listed.begin(), listed.end());
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return ranked;
}

model::Tally MakeTally(const CountsByScope& counts, Kind kind, bool legal,
                       const YearReportRequest& req, const model::Categories& categories) {
  const Counts& now = Get(counts, {kind, legal, req.year});
  model::Tally t;
  t.set_total(now.total);
  for (const int y : req.compared) {
    *t.add_earlier() = Earlier(y, now.total, Get(counts, {kind, legal, y}).total);
  }
  int64_t shares = 0;
  [[maybe_unused]] int64_t counted = 0;
  std::vector<const Counts*> compared;
  for (const int y : req.compared) compared.push_back(&Get(counts, {kind, legal, y}));
  for (const auto& [code, n] : Ranked(now, compared)) {
    model::CategoryCount* c = t.add_category();
    c->set_category(code);
    *c->mutable_label() = CategoryLabel(code, categories);
    if (const model::CategoryGroup* g = categories.GroupOf(code)) c->set_group(g->code());
    c->set_count(n);
    // A category counted only in a compared year has no share of this one.
    const int64_t tenths = now.total > 0 ? ShareTenths(n, now.total) : 0;
    c->set_share(FormatTenths(tenths));
    shares += tenths;
    counted += n;
    for (const int y : req.compared) {
      *c->add_earlier() = Earlier(y, n, Get(counts, {kind, legal, y}).Of(code));
    }
  }
  // The categories are the total split: they add up to it by construction.
  assert(counted == now.total);
  t.set_shares_sum(FormatTenths(shares));
  return t;
}

// Every centre's row in code order, or only the one asked for.
std::vector<model::CentreCount> ByCentre(const YearReportRequest& req,
                                         std::span<const Tallied> rows,
                                         const std::vector<std::string>& centres) {
  std::map<std::string, model::CentreCount> by_code;
  auto row = [&](const std::string& code) -> model::CentreCount& {
    model::CentreCount& c = by_code[code];
    c.set_centre(code);
    return c;
  };
  if (!req.centre.empty()) {
    row(req.centre);
  } else {
    for (const std::string& code : centres) row(code);
  }
  for (const Tallied& r : rows) {
    if (r.year != req.year || !InReport(req, r)) continue;
    model::CentreCount& c = row(r.centre);
    if (r.kind == Kind::kContact) {
      c.set_contacts(c.contacts() + r.count);
      if (r.legal_advice) c.set_legal_contacts(c.legal_contacts() + r.count);
    } else {
      c.set_cases(c.cases() + r.count);
      if (r.legal_advice) c.set_legal_cases(c.legal_cases() + r.count);
    }
  }
  std::vector<model::CentreCount> out;
  for (auto& [code, c] : by_code) out.push_back(std::move(c));
  return out;
}

std::vector<model::MonthCount> ByMonth(const YearReportRequest& req,
                                       std::span<const Tallied> rows) {
  std::vector<model::MonthCount> months(12);
  for (int m = 1; m <= 12; ++m) months[m - 1].set_month(m);
  for (const Tallied& r : rows) {
    if (r.year != req.year || !InReport(req, r)) continue;
    assert(r.month >= 1 && r.month <= 12);
    if (r.month < 1 || r.month > 12) continue;
    model::MonthCount& m = months[r.month - 1];
    if (r.kind == Kind::kContact) {
      m.set_contacts(m.contacts() + r.count);
    } else {
      m.set_cases(m.cases() + r.count);
    }
  }
  return months;
}

// How shares and changes are rounded, and what the shares add up to here.
model::Label RoundingNote(const model::YearReport& r) {
  const std::string& contacts = r.contacts().shares_sum();
  const std::string& cases = r.cases().shares_sum();
  const std::string zh = "人次 " + contacts + "，個案 " + cases;
  const std::string en = "contacts " + contacts + ", cases " + cases;
  return MakeLabel(
      "各百分比及變幅各自四捨五入至小數點後一位，故所列百分比相加或會略多於或少於 100.0"
      "（本報告：" + zh + "）。",
      "Each share and each change is rounded half-up to one decimal place on its own, so the "
      "shares shown may add up to a little more or less than 100.0 (here: " + en + ").");
}

// Tenths from a share as FormatTenths writes it ("23.4"); false for
// anything else.
bool ParseTenths(const std::string& text, int64_t* tenths) {
  const size_t dot = text.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 2 != text.size()) return false;
  int64_t v = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == dot) continue;
    if (text[i] < '0' || text[i] > '9') return false;
    v = v * 10 + (text[i] - '0');
  }
  *tenths = v;
  return true;
}

model::Status CheckTally(const model::Tally& t, const std::string& name, int compared) {
  auto bad = [&](const std::string& what) { return model::Status::Internal(name + ": " + what); };
  int64_t counted = 0, shares = 0, sum = 0;
  std::vector<int64_t> counted_then(static_cast<size_t>(std::max(compared, 0)), 0);
  for (const model::CategoryCount& c : t.category()) {
    int64_t tenths = 0;
    if (!ParseTenths(c.share(), &tenths)) return bad("share '" + c.share() + "' does not read");
    counted += c.count();
    shares += tenths;
    if (c.earlier_size() != compared) return bad("a category lacks a compared year");
    for (int i = 0; i < compared; ++i) counted_then[static_cast<size_t>(i)] += c.earlier(i).count();
  }
  for (int i = 0; i < compared && i < t.earlier_size(); ++i) {
    if (counted_then[static_cast<size_t>(i)] != t.earlier(i).count()) {
      return bad("in " + std::to_string(t.earlier(i).year()) + " the categories add up to " +
                 std::to_string(counted_then[static_cast<size_t>(i)]) + ", the total is " +
                 std::to_string(t.earlier(i).count()));
    }
  }
  if (counted != t.total()) {
    return bad("categories add up to " + std::to_string(counted) + ", the total is " +
               std::to_string(t.total()));
  }
  if (!ParseTenths(t.shares_sum(), &sum) || sum != shares) {
    return bad("shares add up to " + FormatTenths(shares) + ", shares_sum says '" + t.shares_sum() +
               "'");
  }
  if (t.earlier_size() != compared) return bad("the total lacks a compared year");
  return model::Status::Ok();
}

}  // namespace

int64_t ShareTenths(int64_t count, int64_t total) {
  assert(count >= 0 && total > 0);
  return (count * 1000 * 2 + total) / (2 * total);
}

int64_t ChangeTenths(int64_t now, int64_t then) {
  assert(now >= 0 && then > 0);
  const int64_t magnitude = std::llabs(now - then);
  const int64_t tenths = (magnitude * 1000 * 2 + then) / (2 * then);
  return now < then ? -tenths : tenths;
}

std::string FormatTenths(int64_t tenths) {
  const int64_t magnitude = std::llabs(tenths);
  return (tenths < 0 ? "-" : "") + std::to_string(magnitude / 10) + "." +
         std::to_string(magnitude % 10);
}

std::string FormatChange(int64_t tenths) { return (tenths > 0 ? "+" : "") + FormatTenths(tenths); }

model::YearReport MakeYearReport(const YearReportRequest& req, std::span<const Tallied> rows,
                                 const model::Categories& categories,
                                 const std::vector<std::string>& centres, model::Instant now) {
  const CountsByScope counts = CountAll(req, rows);
  model::YearReport r;
  r.set_year(req.year);
  r.set_centre(req.centre);
  r.set_legal_only(req.legal_only);
  for (const int y : req.compared) r.add_compared(y);
  *r.mutable_contacts() = MakeTally(counts, Kind::kContact, req.legal_only, req, categories);
  *r.mutable_cases() = MakeTally(counts, Kind::kCase, req.legal_only, req, categories);
  *r.mutable_legal_contacts() = MakeTally(counts, Kind::kContact, true, req, categories);
  *r.mutable_legal_cases() = MakeTally(counts, Kind::kCase, true, req, categories);
  for (auto& c : ByCentre(req, rows, centres)) *r.add_by_centre() = std::move(c);
  for (auto& m : ByMonth(req, rows)) *r.add_by_month() = std::move(m);
  *r.mutable_rounding() = RoundingNote(r);
  *r.mutable_made_at() = model::ToProto(now);
  assert(CheckYearReport(r).ok());
  return r;
}

model::Status CheckYearReport(const model::YearReport& r) {
  const int n = r.compared_size();
  RETURN_IF_ERROR(CheckTally(r.contacts(), "contacts", n));
  RETURN_IF_ERROR(CheckTally(r.cases(), "cases", n));
  RETURN_IF_ERROR(CheckTally(r.legal_contacts(), "legal contacts", n));
  RETURN_IF_ERROR(CheckTally(r.legal_cases(), "legal cases", n));
  int64_t contacts = 0, cases = 0, legal_contacts = 0, legal_cases = 0;
  for (const model::CentreCount& c : r.by_centre()) {
    contacts += c.contacts();
    cases += c.cases();
    legal_contacts += c.legal_contacts();
    legal_cases += c.legal_cases();
  }
  if (contacts != r.contacts().total() || cases != r.cases().total() ||
      legal_contacts != r.legal_contacts().total() || legal_cases != r.legal_cases().total()) {
    return model::Status::Internal("the rows by centre do not add up to the totals");
  }
  if (r.by_month_size() != 12) return model::Status::Internal("there are not twelve months");
  contacts = cases = 0;
  for (int m = 0; m < 12; ++m) {
    if (r.by_month(m).month() != m + 1) {
      return model::Status::Internal("the months are out of order");
    }
    contacts += r.by_month(m).contacts();
    cases += r.by_month(m).cases();
  }
  if (contacts != r.contacts().total() || cases != r.cases().total()) {
    return model::Status::Internal("the months do not add up to the totals");
  }
  if (r.legal_contacts().total() > r.contacts().total() ||
      r.legal_cases().total() > r.cases().total()) {
    return model::Status::Internal("the legal-advice part is more than the whole");
  }
  return model::Status::Ok();
}

}  // namespace dispatch
