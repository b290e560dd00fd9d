#include "dispatch/report.h"

#include <doctest/doctest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli/render.h"
#include "dispatch/report_format.h"

namespace dispatch {
namespace {

using Kind = Tallied::Kind;

// A small file: a label with a comma and quotes, one with markup characters,
// and a category added in the middle of the year (vouchers).
// clang-format off
const std::string kCategories = R"pb(
group { code: "documents" label { zh_hant: "證件及出入境" en: "Documents and travel" } }
group { code: "health" label { zh_hant: "醫療及照顧" en: "Health and care" } }
group { code: "legal" label { zh_hant: "法律及財產" en: "Legal and property" } }
category { code: "identity_documents" group: "documents" label { zh_hant: "證件" en: "Identity documents" } }
category { code: "medical" group: "health" label { zh_hant: "醫療" en: "Medical" } }
category { code: "property" group: "legal" label { zh_hant: "房產" en: "Property" } }
category { code: "stranded" group: "documents" label { zh_hant: "滯留,回港" en: "Stranded, \"returning\" home" } }
category { code: "odd" group: "health" label { zh_hant: "<特別>&" en: "Tom & Jerry <b>'x'</b>" } }
category { code: "vouchers" group: "legal" label { zh_hant: "消費券" en: "Vouchers" } }
)pb";
// clang-format on

const model::Categories& TestCategories() {
  static const model::Categories categories = [] {
    auto c = model::Categories::Load("report_test.textproto", kCategories);
    REQUIRE_MESSAGE(c.ok(), c.status().ToString());
    return *c;
  }();
  return categories;
}

const std::vector<std::string> kCentres = {"GZ", "SZ", "DG", "HZ", "ZS", "FJ"};

Tallied Contacts(int year, int month, std::string centre, std::string category, int64_t n,
                 bool legal = false) {
  return {Kind::kContact, year, month, std::move(centre), std::move(category), legal, n};
}

Tallied Cases(int year, int month, std::string centre, std::string category, int64_t n,
              bool legal = false) {
  return {Kind::kCase, year, month, std::move(centre), std::move(category), legal, n};
}

model::Instant Jan5() { return model::Instant(std::chrono::milliseconds(1767574800000)); }

model::YearReport Make(const YearReportRequest& req, const std::vector<Tallied>& rows) {
  model::YearReport r = MakeYearReport(req, rows, TestCategories(), kCentres, Jan5());
  const model::Status check = CheckYearReport(r);
  CHECK_MESSAGE(check.ok(), check.ToString());
  return r;
}

// Category codes in the order the tally lists them.
std::vector<std::string> Codes(const model::Tally& t) {
  std::vector<std::string> out;
  for (const auto& c : t.category()) out.push_back(c.category());
  return out;
}

std::vector<std::string> Shares(const model::Tally& t) {
  std::vector<std::string> out;
  for (const auto& c : t.category()) out.push_back(c.share());
  return out;
}

// The year-2025 rows most tests use, with rows of other years and a second
// kind around them that the report must leave out or count apart.
std::vector<Tallied> Sample() {
  return {
      Contacts(2025, 1, "SZ", "identity_documents", 5),
      Contacts(2025, 2, "GZ", "identity_documents", 3),
      Contacts(2025, 3, "SZ", "medical", 8),
      Contacts(2025, 4, "DG", "property", 2, true),
      Contacts(2025, 5, "SZ", "", 1),
      Cases(2025, 1, "SZ", "stranded", 3),
      Cases(2025, 12, "GZ", "odd", 1),
      Contacts(2024, 6, "SZ", "medical", 100),
      Cases(2026, 1, "SZ", "medical", 100),
  };
}

TEST_CASE("year report counts exactly and ranks categories most first then by code") {
  const model::YearReport r = Make({.year = 2025, .centre = ""}, Sample());
  CHECK(r.year() == 2025);
  CHECK(r.contacts().total() == 19);
  CHECK(r.cases().total() == 4);
  // identity_documents and medical both count 8: the code decides.
  CHECK(Codes(r.contacts()) ==
        std::vector<std::string>{"identity_documents", "medical", "property", ""});
  CHECK(Shares(r.contacts()) == std::vector<std::string>{"42.1", "42.1", "10.5", "5.3"});
  CHECK(r.contacts().shares_sum() == "100.0");
  const model::CategoryCount& first = r.contacts().category(0);
  CHECK(first.count() == 8);
  CHECK(first.group() == "documents");
  CHECK(first.label().zh_hant() == "證件");
  CHECK(first.label().en() == "Identity documents");
  CHECK(Codes(r.cases()) == std::vector<std::string>{"stranded", "odd"});
  CHECK(Shares(r.cases()) == std::vector<std::string>{"75.0", "25.0"});
  CHECK(r.made_at().seconds() == 1767574800);
}

TEST_CASE("year report is the same report from the same rows") {
  const model::YearReport a = Make({.year = 2025, .centre = "", .compared = {2024}}, Sample());
  const model::YearReport b = Make({.year = 2025, .centre = "", .compared = {2024}}, Sample());
  CHECK(a.SerializeAsString() == b.SerializeAsString());
  CHECK(YearReportCsv(a) == YearReportCsv(b));
}

TEST_CASE("year report rounds shares half-up to one decimal in integers") {
  CHECK(FormatTenths(ShareTenths(1, 8)) == "12.5");
  CHECK(FormatTenths(ShareTenths(1, 16)) == "6.3");  // 6.25 rounds up
  CHECK(FormatTenths(ShareTenths(1, 3)) == "33.3");
  CHECK(FormatTenths(ShareTenths(2, 3)) == "66.7");
  CHECK(FormatTenths(ShareTenths(1, 400)) == "0.3");   // 0.25
  CHECK(FormatTenths(ShareTenths(1, 2000)) == "0.1");  // 0.05
  CHECK(FormatTenths(ShareTenths(1, 2001)) == "0.0");  // just under 0.05
  CHECK(FormatTenths(ShareTenths(7, 7)) == "100.0");
  CHECK(FormatTenths(ShareTenths(3, 4000)) == "0.1");  // 0.075
}

TEST_CASE("year report shares of three equal thirds add up to 99.9 and says so") {
  const model::YearReport r =
      Make({.year = 2025, .centre = ""},
           {Contacts(2025, 1, "SZ", "medical", 1), Contacts(2025, 2, "SZ", "property", 1),
            Contacts(2025, 3, "GZ", "stranded", 1)});
  CHECK(Shares(r.contacts()) == std::vector<std::string>{"33.3", "33.3", "33.3"});
  CHECK(r.contacts().shares_sum() == "99.9");
  CHECK(r.rounding().en().find("(here: contacts 99.9, cases 0.0)") != std::string::npos);
  CHECK(r.rounding().zh_hant().find("人次 99.9，個案 0.0") != std::string::npos);
}

TEST_CASE("year report shares that round up add up to 100.1 and say so") {
  // 13, 2 and 1 of 16: 81.25 and 6.25 round up, 12.5 is exact.
  const model::YearReport r =
      Make({.year = 2025, .centre = ""},
           {Cases(2025, 1, "SZ", "medical", 13), Cases(2025, 2, "SZ", "property", 2),
            Cases(2025, 3, "GZ", "stranded", 1)});
  CHECK(Shares(r.cases()) == std::vector<std::string>{"81.3", "12.5", "6.3"});
  CHECK(r.cases().shares_sum() == "100.1");
  CHECK(r.rounding().en().find("half-up to one decimal") != std::string::npos);
  CHECK(r.rounding().en().find("cases 100.1") != std::string::npos);
  CHECK(r.rounding().zh_hant().find("四捨五入至小數點後一位") != std::string::npos);
}

TEST_CASE("year report changes carry their sign and round the magnitude half-up") {
  CHECK(FormatChange(ChangeTenths(9, 8)) == "+12.5");
  CHECK(FormatChange(ChangeTenths(7, 8)) == "-12.5");  // away from zero
  CHECK(FormatChange(ChangeTenths(97, 100)) == "-3.0");
  CHECK(FormatChange(ChangeTenths(8, 8)) == "0.0");
  CHECK(FormatChange(ChangeTenths(1, 3)) == "-66.7");
  CHECK(FormatChange(ChangeTenths(2001, 2000)) == "+0.1");   // +0.05
  CHECK(FormatChange(ChangeTenths(1999, 2000)) == "-0.1");   // -0.05
  CHECK(FormatChange(ChangeTenths(20001, 20000)) == "0.0");  // +0.005: no sign on nothing
  CHECK(FormatChange(ChangeTenths(0, 5)) == "-100.0");
  CHECK(FormatChange(ChangeTenths(30, 10)) == "+200.0");
}

TEST_CASE("year report compares totals and categories with other years") {
  const std::vector<Tallied> rows = {
      Contacts(2025, 1, "SZ", "identity_documents", 9), Contacts(2025, 2, "SZ", "medical", 7),
      Contacts(2025, 3, "GZ", "property", 5),           Contacts(2025, 4, "GZ", "", 3),
      Contacts(2024, 1, "SZ", "identity_documents", 8), Contacts(2024, 2, "SZ", "medical", 8),
      Contacts(2024, 3, "GZ", "property", 5),           Contacts(2024, 4, "GZ", "stranded", 3),
      Contacts(2022, 4, "GZ", "stranded", 99),
  };
  const model::YearReport r = Make({.year = 2025, .centre = "", .compared = {2024, 2023}}, rows);
  REQUIRE(r.compared_size() == 2);
  REQUIRE(r.contacts().earlier_size() == 2);
  CHECK(r.contacts().total() == 24);
  CHECK(r.contacts().earlier(0).year() == 2024);
  CHECK(r.contacts().earlier(0).count() == 24);
  CHECK(r.contacts().earlier(0).change() == "0.0");
  CHECK(r.contacts().earlier(1).year() == 2023);
  CHECK(r.contacts().earlier(1).count() == 0);
  CHECK(r.contacts().earlier(1).change().empty());  // a change from nothing has no percentage
  // A category counted only in a compared year is listed too, with nothing
  // this year, so that each year's column adds up to its own total.
  CHECK(Codes(r.contacts()) ==
        std::vector<std::string>{"identity_documents", "medical", "property", "", "stranded"});
  std::vector<std::string> changes;
  for (const auto& c : r.contacts().category()) {
    REQUIRE(c.earlier_size() == 2);
    changes.push_back(c.earlier(0).change());
    CHECK(c.earlier(1).change().empty());
  }
  CHECK(changes == std::vector<std::string>{"+12.5", "-12.5", "0.0", "", "-100.0"});
  CHECK(r.contacts().category(3).earlier(0).count() == 0);
  CHECK(r.contacts().category(4).count() == 0);
  CHECK(r.contacts().category(4).share() == "0.0");
  CHECK(r.contacts().category(4).earlier(0).count() == 3);
  CHECK(r.contacts().shares_sum() == "100.0");
  CHECK(CheckYearReport(r).ok());
  // Cases counted nothing in any year: zeros and no percentages.
  CHECK(r.cases().total() == 0);
  CHECK(r.cases().earlier(0).change().empty());
}

TEST_CASE("year report of one centre counts only its work and gives only its row") {
  const model::YearReport r = Make({.year = 2025, .centre = "SZ"}, Sample());
  CHECK(r.centre() == "SZ");
  CHECK(r.contacts().total() == 14);
  CHECK(Codes(r.contacts()) == std::vector<std::string>{"medical", "identity_documents", ""});
  CHECK(r.cases().total() == 3);
  REQUIRE(r.by_centre_size() == 1);
  CHECK(r.by_centre(0).centre() == "SZ");
  CHECK(r.by_centre(0).contacts() == 14);
  CHECK(r.by_centre(0).cases() == 3);
  CHECK(r.by_month(0).contacts() == 5);
  CHECK(r.by_month(1).contacts() == 0);  // GZ's February
}

TEST_CASE("year report of the network gives every centre in code order") {
  const model::YearReport r = Make({.year = 2025, .centre = ""}, Sample());
  std::vector<std::string> codes;
  std::vector<int64_t> contacts, cases, legal;
  for (const auto& c : r.by_centre()) {
    codes.push_back(c.centre());
    contacts.push_back(c.contacts());
    cases.push_back(c.cases());
    legal.push_back(c.legal_contacts());
  }
  CHECK(codes == std::vector<std::string>{"DG", "FJ", "GZ", "HZ", "SZ", "ZS"});
  CHECK(contacts == std::vector<int64_t>{2, 0, 3, 0, 14, 0});
  CHECK(cases == std::vector<int64_t>{0, 0, 1, 0, 3, 0});
  CHECK(legal == std::vector<int64_t>{2, 0, 0, 0, 0, 0});
  std::vector<int64_t> months;
  for (const auto& m : r.by_month()) months.push_back(m.contacts() * 100 + m.cases());
  CHECK(months == std::vector<int64_t>{503, 300, 800, 200, 100, 0, 0, 0, 0, 0, 0, 1});
}

std::vector<Tallied> LegalSample() {
  return {
      Contacts(2025, 1, "SZ", "property", 4, true),
      Contacts(2025, 2, "SZ", "property", 1),
      Contacts(2025, 3, "GZ", "medical", 2, true),
      Contacts(2025, 4, "GZ", "identity_documents", 10),
      Cases(2025, 5, "SZ", "property", 2, true),
      Cases(2025, 6, "SZ", "identity_documents", 3),
      Contacts(2024, 1, "SZ", "property", 3, true),
  };
}

TEST_CASE("year report counts the legal-advice part within the totals") {
  const model::YearReport r = Make({.year = 2025, .centre = "", .compared = {2024}}, LegalSample());
  CHECK(r.contacts().total() == 17);
  CHECK(r.cases().total() == 5);
  CHECK(r.legal_contacts().total() == 6);
  CHECK(r.legal_cases().total() == 2);
  CHECK(Codes(r.legal_contacts()) == std::vector<std::string>{"property", "medical"});
  CHECK(Shares(r.legal_contacts()) == std::vector<std::string>{"66.7", "33.3"});
  CHECK(r.legal_contacts().shares_sum() == "100.0");
  CHECK(r.legal_contacts().earlier(0).count() == 3);
  CHECK(r.legal_contacts().earlier(0).change() == "+100.0");
  // Property counts 5 in all, 4 of them legal advice.
  CHECK(r.contacts().category(1).category() == "property");
  CHECK(r.contacts().category(1).count() == 5);
  CHECK(r.by_centre(4).centre() == "SZ");
  CHECK(r.by_centre(4).legal_contacts() == 4);
  CHECK(r.by_centre(4).legal_cases() == 2);
  CHECK(r.by_centre(4).contacts() == 5);
}

TEST_CASE("year report of the legal-advice service alone counts only its work") {
  const model::YearReport r =
      Make({.year = 2025, .centre = "", .legal_only = true, .compared = {2024}}, LegalSample());
  CHECK(r.legal_only());
  CHECK(r.contacts().total() == 6);
  CHECK(r.cases().total() == 2);
  CHECK(Codes(r.contacts()) == std::vector<std::string>{"property", "medical"});
  CHECK(r.contacts().category(0).count() == 4);
  CHECK(r.contacts().earlier(0).count() == 3);
  CHECK(r.legal_contacts().SerializeAsString() == r.contacts().SerializeAsString());
  CHECK(r.legal_cases().SerializeAsString() == r.cases().SerializeAsString());
  CHECK(r.by_centre(4).contacts() == 4);
  CHECK(r.by_month(1).contacts() == 0);  // February's one was not legal advice
  CHECK(r.by_month(5).cases() == 0);
  CHECK(YearReportTitle(r, model::Lang::kEn) ==
        "Year report 2025 — the network (legal-advice service only)");
}

TEST_CASE("year report of a year with no work is all zeros with every row") {
  const model::YearReport r = Make({.year = 2025, .centre = "", .compared = {2024}},
                                   {Contacts(2024, 3, "SZ", "medical", 4)});
  for (const model::Tally* t : {&r.contacts(), &r.cases(), &r.legal_contacts(), &r.legal_cases()}) {
    CHECK(t->total() == 0);
    CHECK(t->shares_sum() == "0.0");
  }
  CHECK(r.cases().category_size() == 0);
  CHECK(r.contacts().earlier(0).count() == 4);
  CHECK(r.contacts().earlier(0).change() == "-100.0");
  // Last year's category is listed, with nothing this year.
  REQUIRE(r.contacts().category_size() == 1);
  CHECK(r.contacts().category(0).count() == 0);
  CHECK(r.contacts().category(0).share() == "0.0");
  CHECK(r.contacts().category(0).earlier(0).change() == "-100.0");
  CHECK(CheckYearReport(r).ok());
  CHECK(r.cases().earlier(0).change().empty());
  REQUIRE(r.by_month_size() == 12);
  for (int m = 0; m < 12; ++m) {
    CHECK(r.by_month(m).month() == m + 1);
    CHECK(r.by_month(m).contacts() == 0);
    CHECK(r.by_month(m).cases() == 0);
  }
  CHECK(r.by_centre_size() == 6);
  for (const auto& c : r.by_centre()) CHECK(c.contacts() + c.cases() == 0);
  // The formats cope with nothing too.
  CHECK(YearReportHtml(r, model::Lang::kEn).find("None counted.") != std::string::npos);
  CHECK(YearReportCsv(r).find("total,contacts,2025,,,,,,,0,0.0,,,\r\n") != std::string::npos);
}

TEST_CASE("year report names a category added mid-year an uncategorised row and a removed code") {
  std::vector<Tallied> rows;
  for (int m = 1; m <= 6; ++m) rows.push_back(Contacts(2025, m, "SZ", "identity_documents", 3));
  for (int m = 7; m <= 12; ++m) rows.push_back(Contacts(2025, m, "SZ", "vouchers", 2));
  rows.push_back(Contacts(2025, 9, "GZ", "", 4));
  rows.push_back(Contacts(2025, 10, "GZ", "retired_gone", 5));
  const model::YearReport r = Make({.year = 2025, .centre = ""}, rows);
  CHECK(r.contacts().total() == 18 + 12 + 4 + 5);
  CHECK(Codes(r.contacts()) ==
        std::vector<std::string>{"identity_documents", "vouchers", "retired_gone", ""});
  const model::CategoryCount& vouchers = r.contacts().category(1);
  CHECK(vouchers.count() == 12);
  CHECK(vouchers.label().zh_hant() == "消費券");
  CHECK(vouchers.label().en() == "Vouchers");
  CHECK(vouchers.group() == "legal");
  CHECK(r.by_month(5).contacts() == 3);
  CHECK(r.by_month(6).contacts() == 2);
  const model::CategoryCount& gone = r.contacts().category(2);
  CHECK(gone.label().zh_hant() == "retired_gone");
  CHECK(gone.label().en() == "retired_gone");
  CHECK(gone.group().empty());
  const model::CategoryCount& none = r.contacts().category(3);
  CHECK(none.label().zh_hant() == "未分類");
  CHECK(none.label().en() == "Uncategorised");
  CHECK(none.group().empty());
}

TEST_CASE("year report check finds a report that does not add up") {
  model::YearReport r = Make({.year = 2025, .centre = ""}, Sample());
  REQUIRE(CheckYearReport(r).ok());
  model::YearReport more = r;
  more.mutable_contacts()->mutable_category(0)->set_count(9);
  CHECK(CheckYearReport(more).message() == "contacts: categories add up to 20, the total is 19");
  model::YearReport shares = r;
  shares.mutable_cases()->set_shares_sum("100.1");
  CHECK(CheckYearReport(shares).message() ==
        "cases: shares add up to 100.0, shares_sum says '100.1'");
  model::YearReport month = r;
  month.mutable_by_month(3)->set_contacts(3);
  CHECK(CheckYearReport(month).message() == "the months do not add up to the totals");
  // A compared year's column adds up to its own total too.
  model::YearReport compared = Make({.year = 2025, .centre = "", .compared = {2024}}, Sample());
  REQUIRE(CheckYearReport(compared).ok());
  REQUIRE(compared.contacts().category_size() > 0);
  compared.mutable_contacts()->mutable_category(0)->mutable_earlier(0)->set_count(1000);
  CHECK(CheckYearReport(compared).message().rfind("contacts: in 2024 the categories add up to", 0) == 0);
}

// ---- CSV --------------------------------------------------------------------

// RFC 4180 read back: quoted fields with doubled quotes, CRLF line ends.
// Fails the test on a bare LF or a stray quote.
std::vector<std::vector<std::string>> ReadCsv(std::string_view text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (quoted) {
      if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch == '"') {
      REQUIRE(field.empty());
      quoted = true;
    } else if (ch == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (ch == '\r') {
      REQUIRE(i + 1 < text.size());
      REQUIRE(text[i + 1] == '\n');
      ++i;
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
    } else {
      REQUIRE(ch != '\n');
      field += ch;
    }
  }
  REQUIRE(!quoted);
  REQUIRE(field.empty());
  REQUIRE(row.empty());
  return rows;
}

const std::vector<std::string> kCsvHeader = {
    "section",       "kind",     "year",  "centre", "month",         "category",       "group",
    "label_zh_hant", "label_en", "count", "share",  "compared_year", "compared_count", "change"};

// The rows of `section` and `kind`, each as header name to value.
std::vector<std::map<std::string, std::string>> Section(
    const std::vector<std::vector<std::string>>& rows, const std::string& section,
    const std::string& kind) {
  std::vector<std::map<std::string, std::string>> out;
  for (size_t i = 1; i < rows.size(); ++i) {
    REQUIRE(rows[i].size() == kCsvHeader.size());
    if (rows[i][0] != section || rows[i][1] != kind) continue;
    std::map<std::string, std::string> named;
    for (size_t c = 0; c < kCsvHeader.size(); ++c) named[kCsvHeader[c]] = rows[i][c];
    out.push_back(std::move(named));
  }
  return out;
}

TEST_CASE("year report CSV reads back with its totals and labels") {
  const model::YearReport r = Make({.year = 2025, .centre = "", .compared = {2024}}, Sample());
  const std::string csv = YearReportCsv(r);
  REQUIRE(csv.rfind("\xEF\xBB\xBF", 0) == 0);
  CHECK(csv.find("\"Stranded, \"\"returning\"\" home\"") != std::string::npos);
  const auto rows = ReadCsv(std::string_view(csv).substr(3));
  REQUIRE(!rows.empty());
  CHECK(rows[0] == kCsvHeader);
  CHECK(rows[1][0] == "report");
  CHECK(rows[1][1] == "all");
  CHECK(rows[1][8] == r.rounding().en());

  const auto totals = Section(rows, "total", "contacts");
  REQUIRE(totals.size() == 1);
  CHECK(totals[0].at("count") == "19");
  CHECK(totals[0].at("share") == "100.0");
  CHECK(totals[0].at("year") == "2025");
  CHECK(Section(rows, "total", "cases")[0].at("count") == "4");

  const auto cases = Section(rows, "category", "cases");
  REQUIRE(cases.size() == 2);
  CHECK(cases[0].at("category") == "stranded");
  CHECK(cases[0].at("label_en") == "Stranded, \"returning\" home");
  CHECK(cases[0].at("label_zh_hant") == "滯留,回港");
  CHECK(cases[0].at("group") == "documents");
  CHECK(cases[0].at("count") == "3");
  CHECK(cases[0].at("share") == "75.0");
  CHECK(cases[1].at("label_en") == "Tom & Jerry <b>'x'</b>");

  int64_t sum = 0;
  for (const auto& c : Section(rows, "category", "contacts")) sum += std::stoll(c.at("count"));
  CHECK(sum == 19);
  const auto sz = Section(rows, "centre", "contacts");
  REQUIRE(sz.size() == 6);
  CHECK(sz[4].at("centre") == "SZ");
  CHECK(sz[4].at("count") == "14");
  CHECK(Section(rows, "centre", "legal_contacts")[0].at("count") == "2");
  const auto months = Section(rows, "month", "contacts");
  REQUIRE(months.size() == 12);
  CHECK(months[2].at("month") == "3");
  CHECK(months[2].at("count") == "8");
  CHECK(Section(rows, "legal_total", "contacts")[0].at("count") == "2");

  const auto change = Section(rows, "change_total", "contacts");
  REQUIRE(change.size() == 1);
  CHECK(change[0].at("compared_year") == "2024");
  CHECK(change[0].at("compared_count") == "100");
  CHECK(change[0].at("change") == "-81.0");
  const auto medical = Section(rows, "change_category", "contacts");
  REQUIRE(medical.size() == 4);
  CHECK(medical[1].at("category") == "medical");
  CHECK(medical[1].at("count") == "8");
  CHECK(medical[1].at("change") == "-92.0");
  CHECK(medical[0].at("change").empty());  // identity documents: none in 2024
}

// ---- HTML -------------------------------------------------------------------

TEST_CASE("year report HTML stands alone and escapes every label") {
  const model::YearReport r = Make({.year = 2025, .centre = "", .compared = {2024}}, Sample());
  for (const model::Lang lang : {model::Lang::kZhHant, model::Lang::kEn}) {
    const std::string html = YearReportHtml(r, lang);
    CAPTURE(html);
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(html.find("<svg") != std::string::npos);
    CHECK(html.find("@media print") != std::string::npos);
    for (const char* banned : {"http:", "https:", "//", "src=", "href=", "<script", "url(",
                               "@import", "<b>", "<特別>"}) {
      CAPTURE(banned);
      CHECK(html.find(banned) == std::string::npos);
    }
    CHECK(html.find("&lt;特別&gt;&amp;") != std::string::npos);
    CHECK(html.find("Tom &amp; Jerry &lt;b&gt;&#39;x&#39;&lt;&#47;b&gt;") != std::string::npos);
    CHECK(html.find("Stranded, &quot;returning&quot; home") != std::string::npos);
    // The totals, and the totals of the category tables, are the report's.
    CHECK(html.find("<td class=\"n\">19</td>") != std::string::npos);
    CHECK(html.find("<th class=\"n\">19</th><th class=\"n\">100.0</th>") != std::string::npos);
    CHECK(html.find("<th class=\"n\">4</th><th class=\"n\">100.0</th>") != std::string::npos);
    CHECK(html.find("<td class=\"n\">-81.0</td>") != std::string::npos);
  }
  const std::string zh = YearReportHtml(r, model::Lang::kZhHant);
  CHECK(zh.find("<html lang=\"zh-Hant\">") != std::string::npos);
  CHECK(zh.find("<h1>2025 年度報告 — 全網絡</h1>") != std::string::npos);
  CHECK(zh.find("證件 <small lang=\"en\">Identity documents</small>") != std::string::npos);
  CHECK(zh.find(model::Localize(r.rounding(), model::Lang::kZhHant)) != std::string::npos);
  const std::string en = YearReportHtml(r, model::Lang::kEn);
  CHECK(en.find("<html lang=\"en\">") != std::string::npos);
  CHECK(en.find("Identity documents <small lang=\"zh-Hant\">證件</small>") != std::string::npos);
}

// ---- Terminal ---------------------------------------------------------------

TEST_CASE("year report on a terminal lists the top ten categories and sums the rest") {
  auto shipped =
      model::Categories::LoadFile(std::string(DISPATCH_SOURCE_DIR) + "/model/categories.textproto");
  REQUIRE_MESSAGE(shipped.ok(), shipped.status().ToString());
  std::vector<Tallied> rows;
  int64_t n = 12;
  for (const auto& c : shipped->list().category()) {
    if (n == 0) break;
    rows.push_back(Contacts(2025, 1, "SZ", c.code(), n--));
  }
  rows.push_back(Contacts(2024, 1, "SZ", "accident_injury", 10));
  const model::YearReport r = MakeYearReport({.year = 2025, .centre = "", .compared = {2024}}, rows,
                                             *shipped, kCentres, Jan5());
  REQUIRE(r.contacts().total() == 78);
  std::ostringstream en;
  cli::PrintYearReport(en, r, model::Lang::kEn);
  const std::string out = en.str();
  CAPTURE(out);
  CHECK(out.rfind("Year report 2025 — the network\nMade 2026-01-05 09:00\n", 0) == 0);
  CHECK(out.find("\nContacts               78    10    +680.0\n") != std::string::npos);
  CHECK(out.find("Accident or injury") != std::string::npos);
  CHECK(out.find("Other categories: 2, counting 3\n") != std::string::npos);
  CHECK(out.find("Total 78; shares add up to 100.0\n") != std::string::npos);
  CHECK(out.find("Involved in a legal case") == std::string::npos);  // the 11th: summed
  CHECK(out.find(r.rounding().en()) != std::string::npos);
  std::ostringstream zh;
  cli::PrintYearReport(zh, r, model::Lang::kZhHant);
  CHECK(zh.str().find("其他類別：2 項，合計 3\n") != std::string::npos);
  CHECK(zh.str().find("意外受傷") != std::string::npos);
  // The HTML's chart is cut the same way; its table keeps every category.
  const std::string html = YearReportHtml(r, model::Lang::kEn);
  CHECK(html.find("The top 10 of 12 categories; all are in the table.") != std::string::npos);
  CHECK(html.find("Involved in a legal case <small lang=\"zh-Hant\">涉案</small>") !=
        std::string::npos);
}

}  // namespace
}  // namespace dispatch
