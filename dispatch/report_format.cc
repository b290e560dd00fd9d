#include "dispatch/report_format.h"

#include <algorithm>
#include <vector>

#include "dispatch/describe.h"
#include "model/text_width.h"
#include "model/time.h"

namespace dispatch {

using model::Lang;

namespace {

// ---- CSV ------------------------------------------------------------------

// One line of the CSV; `year` is filled in by the writer.
struct CsvRow {
  std::string section = {}, kind = {}, centre = {}, month = {}, category = {}, group = {},
              label_zh_hant = {}, label_en = {}, count = {}, share = {}, compared_year = {},
              compared_count = {}, change = {};
};

// A field as RFC 4180 wants it: quoted, quotes doubled, when it holds a
// comma, a quote or a line end.
std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (const char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

class CsvWriter {
 public:
  explicit CsvWriter(const model::YearReport& r) : r_(r) {
    out_ = "\xEF\xBB\xBF";
    Line({"section", "kind", "year", "centre", "month", "category", "group", "label_zh_hant",
          "label_en", "count", "share", "compared_year", "compared_count", "change"});
  }
  // A row about the report's centre (or the network).
  void Add(CsvRow row) {
    if (row.section != "centre") row.centre = r_.centre();
    Line({row.section, row.kind, std::to_string(r_.year()), row.centre, row.month, row.category,
          row.group, row.label_zh_hant, row.label_en, row.count, row.share, row.compared_year,
          row.compared_count, row.change});
  }
  std::string Take() { return std::move(out_); }

 private:
  void Line(const std::vector<std::string>& fields) {
    for (size_t i = 0; i < fields.size(); ++i) out_ += (i ? "," : "") + CsvField(fields[i]);
    out_ += "\r\n";
  }
  const model::YearReport& r_;
  std::string out_;
};

CsvRow CategoryRow(std::string section, std::string kind, const model::CategoryCount& c) {
  CsvRow row;
  row.section = std::move(section);
  row.kind = std::move(kind);
  row.category = c.category();
  row.group = c.group();
  row.label_zh_hant = c.label().zh_hant();
  row.label_en = c.label().en();
  row.count = std::to_string(c.count());
  return row;
}

void TallyRows(CsvWriter& w, const model::Tally& t, const std::string& kind,
               const std::string& prefix) {
  w.Add({.section = prefix + "total",
         .kind = kind,
         .count = std::to_string(t.total()),
         .share = t.shares_sum()});
  for (const model::CategoryCount& c : t.category()) {
    CsvRow row = CategoryRow(prefix + "category", kind, c);
    row.share = c.share();
    w.Add(std::move(row));
  }
}

void ChangeRows(CsvWriter& w, const model::Tally& t, const std::string& kind,
                const std::string& prefix) {
  auto with = [](CsvRow row, const model::YearCount& e) {
    row.compared_year = std::to_string(e.year());
    row.compared_count = std::to_string(e.count());
    row.change = e.change();
    return row;
  };
  for (const model::YearCount& e : t.earlier()) {
    w.Add(with(
        {.section = "change_" + prefix + "total", .kind = kind, .count = std::to_string(t.total())},
        e));
  }
  for (const model::CategoryCount& c : t.category()) {
    for (const model::YearCount& e : c.earlier()) {
      w.Add(with(CategoryRow("change_" + prefix + "category", kind, c), e));
    }
  }
}

// ---- HTML -----------------------------------------------------------------

// Text made safe anywhere in HTML. '/' too, so that no text can make "//".
std::string Esc(std::string_view s) {
  std::string out;
  for (const char ch : s) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '/':
        out += "&#47;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

const char* LangCode(Lang lang) { return lang == Lang::kZhHant ? "zh-Hant" : "en"; }
Lang Other(Lang lang) { return lang == Lang::kZhHant ? Lang::kEn : Lang::kZhHant; }

// The label in `lang`, and the other language in small type when it differs.
std::string LabelHtml(const model::Label& l, Lang lang) {
  const std::string first = model::Localize(l, lang);
  const std::string& second = lang == Lang::kZhHant ? l.en() : l.zh_hant();
  std::string out = Esc(first);
  if (!second.empty() && second != first) {
    out +=
        " <small lang=\"" + std::string(LangCode(Other(lang))) + "\">" + Esc(second) + "</small>";
  }
  return out;
}

std::string Num(int64_t n) { return std::to_string(n); }

std::string MonthName(int month, Lang lang) {
  static const char* const kEn[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (month < 1 || month > 12) return Num(month);
  return lang == Lang::kZhHant ? Num(month) + "月" : kEn[month - 1];
}

// A bar of a chart: its label and one value per series.
struct Bar {
  std::string label;  // plain text
  std::vector<int64_t> values;
};

// The series of a chart: CSS class (c: contacts, k: cases) and name.
struct Series {
  const char* css;
  std::string name;
};

// A horizontal bar chart, one group of bars per label, each bar with its
// number; the longest bar fills the width.
std::string HorizontalChart(const std::string& title, const std::vector<Bar>& bars,
                            const std::vector<Series>& series) {
  constexpr int kBarH = 14, kGap = 2, kRowGap = 10, kPlotW = 300, kNumW = 60;
  int64_t max = 0;
  int label_w = 40;
  for (const Bar& b : bars) {
    for (const int64_t v : b.values) max = std::max(max, v);
    label_w = std::max(label_w, std::min(320, model::DisplayWidth(b.label) * 13 / 2 + 10));
  }
  const int n = static_cast<int>(series.size());
  const int row_h = n * kBarH + (n - 1) * kGap + kRowGap;
  const int width = label_w + kPlotW + kNumW;
  const int height = static_cast<int>(bars.size()) * row_h + kRowGap;
  std::string s = "<svg viewBox=\"0 0 " + Num(width) + " " + Num(height) + "\" width=\"" +
                  Num(width) + "\" height=\"" + Num(height) + "\" role=\"img\" aria-label=\"" +
                  Esc(title) + "\"><title>" + Esc(title) + "</title>";
  for (size_t i = 0; i < bars.size(); ++i) {
    const int top = kRowGap + static_cast<int>(i) * row_h;
    s += "<text x=\"" + Num(label_w - 6) + "\" y=\"" + Num(top + (n * kBarH) / 2 + 4) +
         "\" text-anchor=\"end\">" + Esc(bars[i].label) + "</text>";
    for (int k = 0; k < n; ++k) {
      const int64_t v = bars[i].values[k];
      const int64_t w = max > 0 ? v * kPlotW / max : 0;
      const int y = top + k * (kBarH + kGap);
      s += "<rect class=\"" + std::string(series[k].css) + "\" x=\"" + Num(label_w) + "\" y=\"" +
           Num(y) + "\" width=\"" + Num(w) + "\" height=\"" + Num(kBarH) + "\"><title>" +
           Esc(bars[i].label + " " + series[k].name + " " + Num(v)) + "</title></rect>";
      s += "<text x=\"" + Num(label_w + w + 4) + "\" y=\"" + Num(y + kBarH - 3) + "\">" + Num(v) +
           "</text>";
    }
  }
  return s + "</svg>";
}

// Twelve months of contacts and cases as upright bars side by side.
std::string MonthChart(const model::YearReport& r, const std::string& title,
                       const std::vector<Series>& series, Lang lang) {
  constexpr int kBarW = 12, kGroupW = 40, kPlotH = 160, kLeft = 10, kTop = 10, kAxis = 20;
  int64_t max = 0;
  for (const model::MonthCount& m : r.by_month()) max = std::max({max, m.contacts(), m.cases()});
  const int width = kLeft + 12 * kGroupW + kLeft;
  const int height = kTop + kPlotH + kAxis;
  const int base = kTop + kPlotH;
  std::string s = "<svg viewBox=\"0 0 " + Num(width) + " " + Num(height) + "\" width=\"" +
                  Num(width) + "\" height=\"" + Num(height) + "\" role=\"img\" aria-label=\"" +
                  Esc(title) + "\"><title>" + Esc(title) + "</title>";
  s += "<line x1=\"" + Num(kLeft) + "\" y1=\"" + Num(base) + "\" x2=\"" + Num(width - kLeft) +
       "\" y2=\"" + Num(base) + "\" stroke=\"#888\"/>";
  for (int i = 0; i < r.by_month_size(); ++i) {
    const model::MonthCount& m = r.by_month(i);
    const int x0 = kLeft + i * kGroupW + (kGroupW - 2 * kBarW - 2) / 2;
    const int64_t values[] = {m.contacts(), m.cases()};
    for (int k = 0; k < 2; ++k) {
      const int64_t h = max > 0 ? values[k] * kPlotH / max : 0;
      s += "<rect class=\"" + std::string(series[k].css) + "\" x=\"" + Num(x0 + k * (kBarW + 2)) +
           "\" y=\"" + Num(base - h) + "\" width=\"" + Num(kBarW) + "\" height=\"" + Num(h) +
           "\"><title>" +
           Esc(MonthName(m.month(), lang) + " " + series[k].name + " " + Num(values[k])) +
           "</title></rect>";
    }
    s += "<text x=\"" + Num(kLeft + i * kGroupW + kGroupW / 2) + "\" y=\"" + Num(base + 15) +
         "\" text-anchor=\"middle\">" + Esc(MonthName(m.month(), lang)) + "</text>";
  }
  return s + "</svg>";
}

std::string Legend(const std::vector<Series>& series) {
  std::string s = "<p class=\"legend\">";
  for (const Series& x : series) {
    s += "<span class=\"key " + std::string(x.css) + "\"></span>" + Esc(x.name);
  }
  return s + "</p>";
}

constexpr int kTopInChart = 10;

class Html {
 public:
  Html(const model::YearReport& r, Lang lang) : r_(r), lang_(lang) {}

  std::string Make() {
    Head();
    out_ += "<body><header><h1>" + Esc(YearReportTitle(r_, lang_)) + "</h1>";
    if (model::IsSet(r_.made_at())) {
      out_ += "<p class=\"made\">" + Esc(T("Made ", "製作於 ")) +
              Esc(model::FormatHongKong(model::FromProto(r_.made_at()))) + "</p>";
    }
    out_ += "</header>\n";
    Totals();
    Categories(r_.contacts(), T("Contacts by category", "人次（按類別）"), kContacts);
    Categories(r_.cases(), T("Cases by category", "個案（按類別）"), kCases);
    Months();
    Centres();
    if (!r_.legal_only()) Legal();
    YearOnYear();
    out_ += "<footer><p class=\"note\">" + LabelHtml(r_.rounding(), lang_) +
            "</p></footer>\n</body>\n</html>\n";
    return std::move(out_);
  }

 private:
  static constexpr int kContacts = 0, kCases = 1;

  std::string T(const char* en, const char* zh) const { return Pick(lang_, en, zh); }
  std::vector<Series> Both() const {
    return {{"c", T("Contacts", "人次")}, {"k", T("Cases", "個案")}};
  }

  void Head() {
    out_ += "<!DOCTYPE html>\n<html lang=\"" + std::string(LangCode(lang_)) +
            "\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
            Esc(YearReportTitle(r_, lang_)) + "</title>\n<style>\n" + Css() + "</style>\n</head>\n";
  }

  static std::string Css() {
    return "body{font-family:system-ui,\"PingFang TC\",\"Microsoft JhengHei\",\"Noto Sans CJK TC\","
           "sans-serif;color:#222;line-height:1.4;max-width:62em;margin:2em auto;padding:0 1em}\n"
           "h1{font-size:1.6em;margin:0}\n"
           "h2{font-size:1.2em;border-bottom:2px solid #2f6f9f;padding-bottom:.2em;"
           "margin-top:1.8em}\n"
           ".made{color:#555;margin:.2em 0 1em}\n"
           ".pair{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}\n"
           ".pair svg{max-width:100%;height:auto}\n"
           "table{border-collapse:collapse;font-size:.9em}\n"
           "th,td{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:left;"
           "vertical-align:top}\n"
           "th{background:#f3f5f7}\n"
           ".n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
           "small{color:#666;font-size:.8em}\n"
           "svg text{font-size:12px;fill:#222}\n"
           "rect.c{fill:#2f6f9f}\nrect.k{fill:#c0782a}\n"
           ".key{display:inline-block;width:.8em;height:.8em;margin:0 .3em 0 1em}\n"
           ".key.c{background:#2f6f9f}\n.key.k{background:#c0782a}\n"
           ".legend{margin:.3em 0;font-size:.9em}\n"
           ".cap{font-size:.8em;color:#555;margin:.2em 0}\n"
           ".note{font-size:.85em;color:#444;border-left:3px solid #ccc;padding-left:.8em;"
           "margin-top:2em}\n"
           "@page{size:A4;margin:15mm}\n"
           "@media print{body{margin:0;max-width:none;font-size:10pt}"
           "section{break-inside:avoid}h2{break-after:avoid}"
           "*{print-color-adjust:exact;-webkit-print-color-adjust:exact}}\n";
  }

  // The year's totals, with the compared years beside them.
  void Totals() {
    out_ += "<section><h2>" + Esc(T("Totals", "總數")) +
            "</h2><table><tr><th></th><th class=\"n\">" + Num(r_.year()) + "</th>";
    for (const int y : r_.compared()) {
      out_ += "<th class=\"n\">" + Num(y) + "</th><th class=\"n\">" + Esc(T("Change %", "變幅 %")) +
              "</th>";
    }
    out_ += "</tr>";
    TotalRow(T("Contacts", "人次"), r_.contacts());
    TotalRow(T("Cases", "個案"), r_.cases());
    if (!r_.legal_only()) {
      TotalRow(T("Legal-advice contacts", "法律諮詢人次"), r_.legal_contacts());
      TotalRow(T("Legal-advice cases", "法律諮詢個案"), r_.legal_cases());
    }
    out_ += "</table></section>\n";
  }

  void TotalRow(const std::string& name, const model::Tally& t) {
    out_ += "<tr><th>" + Esc(name) + "</th><td class=\"n\">" + Num(t.total()) + "</td>";
    for (const model::YearCount& e : t.earlier()) {
      out_ += "<td class=\"n\">" + Num(e.count()) + "</td><td class=\"n\">" +
              Esc(Dash(e.change())) + "</td>";
    }
    out_ += "</tr>";
  }

  static std::string Dash(const std::string& s) { return s.empty() ? "–" : s; }

  // The top categories as a chart, and every category in a table beside it.
  void Categories(const model::Tally& t, const std::string& title, int series) {
    out_ += "<section><h2>" + Esc(title) + "</h2>";
    if (t.category_size() == 0) {
      out_ += "<p>" + Esc(T("None counted.", "沒有紀錄。")) + "</p></section>\n";
      return;
    }
    std::vector<Bar> bars;
    for (int i = 0; i < t.category_size() && i < kTopInChart; ++i) {
      bars.push_back({model::Localize(t.category(i).label(), lang_, t.category(i).category()),
                      {t.category(i).count()}});
    }
    const bool cut = t.category_size() > kTopInChart;
    const std::string chart_title = title + (cut ? T(" (top 10)", "（首 10 項）") : "");
    out_ += "<div class=\"pair\"><div>" +
            HorizontalChart(chart_title, bars, {Both()[static_cast<size_t>(series)]});
    if (cut) {
      out_ += "<p class=\"cap\">" +
              Esc(T("The top 10 of ", "首 10 項，共 ") + Num(t.category_size()) +
                  T(" categories; all are in the table.", " 項類別；全部見右表。")) +
              "</p>";
    }
    out_ += "</div>" + CategoryTable(t) + "</div></section>\n";
  }

  std::string CategoryTable(const model::Tally& t) const {
    std::string s = "<table><tr><th>" + Esc(T("Category", "類別")) + "</th><th class=\"n\">" +
                    Esc(T("Count", "數目")) + "</th><th class=\"n\">" +
                    Esc(T("Share %", "佔比 %")) + "</th></tr>";
    for (const model::CategoryCount& c : t.category()) {
      s += "<tr><td>" + LabelHtml(c.label(), lang_) + "</td><td class=\"n\">" + Num(c.count()) +
           "</td><td class=\"n\">" + Esc(c.share()) + "</td></tr>";
    }
    s += "<tr><th>" + Esc(T("Total", "合計")) + "</th><th class=\"n\">" + Num(t.total()) +
         "</th><th class=\"n\">" + Esc(t.shares_sum()) + "</th></tr>";
    return s + "</table>";
  }

  void Months() {
    const std::string title = T("By month", "按月份");
    out_ += "<section><h2>" + Esc(title) + "</h2>" + Legend(Both()) + "<div class=\"pair\">" +
            MonthChart(r_, title, Both(), lang_);
    out_ += "<table><tr><th>" + Esc(T("Month", "月份")) + "</th><th class=\"n\">" +
            Esc(T("Contacts", "人次")) + "</th><th class=\"n\">" + Esc(T("Cases", "個案")) +
            "</th></tr>";
    for (const model::MonthCount& m : r_.by_month()) {
      out_ += "<tr><td>" + Esc(MonthName(m.month(), lang_)) + "</td><td class=\"n\">" +
              Num(m.contacts()) + "</td><td class=\"n\">" + Num(m.cases()) + "</td></tr>";
    }
    out_ += "</table></div></section>\n";
  }

  void Centres() {
    const std::string title = T("By centre", "按中心");
    std::vector<Bar> bars;
    for (const model::CentreCount& c : r_.by_centre()) {
      bars.push_back({c.centre(), {c.contacts(), c.cases()}});
    }
    out_ += "<section><h2>" + Esc(title) + "</h2>" + Legend(Both()) + "<div class=\"pair\">" +
            HorizontalChart(title, bars, Both());
    out_ += "<table><tr><th>" + Esc(T("Centre", "中心")) + "</th><th class=\"n\">" +
            Esc(T("Contacts", "人次")) + "</th><th class=\"n\">" + Esc(T("Cases", "個案")) +
            "</th>";
    if (!r_.legal_only()) {
      out_ += "<th class=\"n\">" + Esc(T("Legal-advice contacts", "法律諮詢人次")) +
              "</th><th class=\"n\">" + Esc(T("Legal-advice cases", "法律諮詢個案")) + "</th>";
    }
    out_ += "</tr>";
    for (const model::CentreCount& c : r_.by_centre()) {
      out_ += "<tr><td>" + Esc(c.centre()) + "</td><td class=\"n\">" + Num(c.contacts()) +
              "</td><td class=\"n\">" + Num(c.cases()) + "</td>";
      if (!r_.legal_only()) {
        out_ += "<td class=\"n\">" + Num(c.legal_contacts()) + "</td><td class=\"n\">" +
                Num(c.legal_cases()) + "</td>";
      }
      out_ += "</tr>";
    }
    out_ += "</table></div></section>\n";
  }

  // The legal-advice service's part, by category (its totals are above).
  void Legal() {
    out_ += "<section><h2>" + Esc(T("Legal-advice service", "法律諮詢服務")) + "</h2>";
    out_ += "<div class=\"pair\"><div><h3>" + Esc(T("Contacts", "人次")) + "</h3>" +
            CategoryTable(r_.legal_contacts()) + "</div>";
    out_ += "<div><h3>" + Esc(T("Cases", "個案")) + "</h3>" + CategoryTable(r_.legal_cases()) +
            "</div></div></section>\n";
  }

  // Each total and category against each compared year.
  void YearOnYear() {
    if (r_.compared_size() == 0) return;
    out_ += "<section><h2>" + Esc(T("Year on year", "按年比較")) + "</h2><table><tr><th></th>" +
            "<th class=\"n\">" + Num(r_.year()) + "</th>";
    for (const int y : r_.compared()) {
      out_ += "<th class=\"n\">" + Num(y) + "</th><th class=\"n\">" + Esc(T("Change %", "變幅 %")) +
              "</th>";
    }
    out_ += "</tr>";
    YearOnYearRows(T("Contacts", "人次"), r_.contacts());
    YearOnYearRows(T("Cases", "個案"), r_.cases());
    out_ += "</table></section>\n";
  }

  void YearOnYearRows(const std::string& name, const model::Tally& t) {
    TotalRow(name, t);
    for (const model::CategoryCount& c : t.category()) {
      out_ += "<tr><td>" + LabelHtml(c.label(), lang_) + "</td><td class=\"n\">" + Num(c.count()) +
              "</td>";
      for (const model::YearCount& e : c.earlier()) {
        out_ += "<td class=\"n\">" + Num(e.count()) + "</td><td class=\"n\">" +
                Esc(Dash(e.change())) + "</td>";
      }
      out_ += "</tr>";
    }
  }

  const model::YearReport& r_;
  Lang lang_;
  std::string out_;
};

}  // namespace

std::string YearReportTitle(const model::YearReport& r, Lang lang) {
  const std::string year = std::to_string(r.year());
  std::string where = r.centre().empty()      ? Pick(lang, "the network", "全網絡")
                      : lang == Lang::kZhHant ? r.centre() + " 中心"
                                              : "centre " + r.centre();
  std::string title =
      lang == Lang::kZhHant ? year + " 年度報告 — " + where : "Year report " + year + " — " + where;
  if (r.legal_only()) title += Pick(lang, " (legal-advice service only)", "（只計法律諮詢服務）");
  return title;
}

std::string YearReportCsv(const model::YearReport& r) {
  CsvWriter w(r);
  w.Add({.section = "report",
         .kind = r.legal_only() ? "legal_only" : "all",
         .label_zh_hant = r.rounding().zh_hant(),
         .label_en = r.rounding().en()});
  TallyRows(w, r.contacts(), "contacts", "");
  TallyRows(w, r.cases(), "cases", "");
  TallyRows(w, r.legal_contacts(), "contacts", "legal_");
  TallyRows(w, r.legal_cases(), "cases", "legal_");
  for (const model::CentreCount& c : r.by_centre()) {
    for (const auto& [kind, n] : {std::pair<const char*, int64_t>{"contacts", c.contacts()},
                                  {"cases", c.cases()},
                                  {"legal_contacts", c.legal_contacts()},
                                  {"legal_cases", c.legal_cases()}}) {
      w.Add({.section = "centre", .kind = kind, .centre = c.centre(), .count = std::to_string(n)});
    }
  }
  for (const model::MonthCount& m : r.by_month()) {
    w.Add({.section = "month",
           .kind = "contacts",
           .month = std::to_string(m.month()),
           .count = std::to_string(m.contacts())});
    w.Add({.section = "month",
           .kind = "cases",
           .month = std::to_string(m.month()),
           .count = std::to_string(m.cases())});
  }
  ChangeRows(w, r.contacts(), "contacts", "");
  ChangeRows(w, r.cases(), "cases", "");
  ChangeRows(w, r.legal_contacts(), "contacts", "legal_");
  ChangeRows(w, r.legal_cases(), "cases", "legal_");
  return w.Take();
}

std::string YearReportHtml(const model::YearReport& r, Lang lang) { return Html(r, lang).Make(); }

}  // namespace dispatch
