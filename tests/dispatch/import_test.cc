// Earlier records from CSV files (dispatch/import.h): the CSV reading, every
// kind of bad row named by line and column with nothing entered, a file
// refused the second time, and a good file counted by the yearly report
// exactly as its rows say.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "dispatch/audit.h"
#include "dispatch/import.h"
#include "dispatch/reads.h"
#include "model/crypto.h"
#include "support/temp_dir.h"
#include "support/world.h"

namespace dispatch {
namespace {

using model::Code;
using model::Command;
using testing::World;

Command Import(model::ImportKind kind, const std::string& csv, const std::string& file = "old.csv") {
  Command c;
  c.mutable_import_records()->set_kind(kind);
  c.mutable_import_records()->set_file_name(file);
  c.mutable_import_records()->set_csv(csv);
  return c;
}

// The refusal of importing `csv`, REQUIRED to be one.
model::Status Refused(World& w, model::ImportKind kind, const std::string& csv,
                      const std::string& as = "ho_sz") {
  auto r = w.dispatcher->Execute(Import(kind, csv), as);
  REQUIRE_FALSE(r.ok());
  return r.status();
}

bool Says(const model::Status& s, const std::string& text) {
  return s.message().find(text) != std::string::npos;
}

// How many contacts and cases the store holds.
struct Counts {
  int64_t contacts;
  int64_t cases;
  bool operator==(const Counts&) const = default;
};

Counts CountsOf(World& w) {
  Counts c{0, 0};
  ContactFilter every;
  every.limit = 100000;
  auto contacts = w.store->Read().ListContacts(every);
  REQUIRE(contacts.ok());
  c.contacts = static_cast<int64_t>(contacts->size());
  CaseFilter all;
  auto cases = w.store->Read().ListCases(all);
  REQUIRE(cases.ok());
  c.cases = static_cast<int64_t>(cases->size());
  return c;
}

YearReportRequest Year(int year) {
  YearReportRequest r;
  r.year = year;
  return r;
}

model::YearReport Report(World& w, int year, const std::string& centre = "") {
  YearReportRequest req = Year(year);
  req.centre = centre;
  auto r = w.dispatcher->YearReport(*w.dispatcher->ResolveActor("ho_sz"), req);
  REQUIRE_MESSAGE(r.ok(), r.status().ToString());
  REQUIRE(CheckYearReport(*r).ok());
  return *r;
}

TEST_CASE("CSV cells are read as RFC 4180 has them, each record with the line it starts on") {
  auto r = ParseCsv("\xEF\xBB\xBF" "a,b,c\r\n1,\"two, and \"\"three\"\"\",\r\n\"multi\nline\",x,\"\"\n\nlast,,");
  REQUIRE_MESSAGE(r.ok(), r.status().ToString());
  REQUIRE(r->size() == 5);
  CHECK((*r)[0].cells == std::vector<std::string>{"a", "b", "c"});  // the byte order mark skipped
  CHECK((*r)[1].line == 2);
  CHECK((*r)[1].cells == std::vector<std::string>{"1", "two, and \"three\"", ""});
  CHECK((*r)[2].line == 3);
  CHECK((*r)[2].cells == std::vector<std::string>{"multi\nline", "x", ""});
  CHECK((*r)[3].line == 5);  // the quoted line break counted
  CHECK((*r)[3].cells == std::vector<std::string>{""});
  CHECK((*r)[4].line == 6);
  CHECK((*r)[4].cells == std::vector<std::string>{"last", "", ""});

  // A lone CR ends a line too (old Mac spreadsheets); CRLF inside quotes is kept.
  auto cr = ParseCsv("a,b\r1,\"x\r\ny\"\r2,\"z\"");
  REQUIRE(cr.ok());
  REQUIRE(cr->size() == 3);
  CHECK((*cr)[1].cells == std::vector<std::string>{"1", "x\r\ny"});
  CHECK((*cr)[2].line == 4);  // CRLF inside the quotes is one line break
  CHECK((*cr)[2].cells == std::vector<std::string>{"2", "z"});
  auto blank_first = ParseCsv("\na,b\n");
  REQUIRE(blank_first.ok());
  CHECK((*blank_first)[1].line == 2);

  auto open = ParseCsv("a,b\n1,2\n3,\"never\nclosed\n");
  REQUIRE_FALSE(open.ok());
  CHECK(open.status().message() == "line 3: a quoted cell is never closed");
  auto inner = ParseCsv("a,b\n1,2 \"inch\"\n");
  REQUIRE_FALSE(inner.ok());
  CHECK(Says(inner.status(), "line 2: a quote inside a cell that does not start with one"));
  auto after = ParseCsv("a,b\n\"1\"x,2\n");
  REQUIRE_FALSE(after.ok());
  CHECK(Says(after.status(), "line 2: text after a quoted cell's closing quote"));
}

// 2 centres x 3 categories x 12 months, some legal: the report must count
// what the file says, cell by cell.
TEST_CASE("a good contacts file is counted by the yearly report exactly as its rows say") {
  World w;
  std::string csv = "date,centre,channel,category,legal_advice,note\n";
  std::map<std::string, int64_t> by_category, by_centre;
  std::map<int, int64_t> by_month;
  int64_t legal = 0;
  const char* centres[] = {"SZ", "GZ"};
  const char* categories[] = {"medical", "identity_documents", "inheritance"};
  const char* channels[] = {"phone", "visit", "chat", "email", "電話"};
  int n = 0;
  for (int month = 1; month <= 12; ++month) {
    for (int k = 0; k < month; ++k) {  // a different count each month
      const std::string centre = centres[n % 2];
      const std::string category = categories[n % 3];
      const bool is_legal = n % 5 == 0;
      char date[32];
      std::snprintf(date, sizeof date, "2024-%02d-%02d %02d:15", month, 1 + k % 28, k % 24);
      csv += std::string(date) + "," + centre + "," + channels[n % 5] + "," + category + "," +
             (is_legal ? "yes" : "") + ",\"row " + std::to_string(n) + ", as kept\"\n";
      ++by_category[category];
      ++by_centre[centre];
      ++by_month[month];
      legal += is_legal ? 1 : 0;
      ++n;
    }
  }
  // And one at 23:59 on New Year's Eve in Hong Kong, which is 2024's.
  csv += "2024-12-31 23:59,SZ,phone,medical,no,\n";
  ++by_category["medical"];
  ++by_centre["SZ"];
  ++by_month[12];
  ++n;

  const auto reply = w.Must(Import(model::IMPORT_CONTACTS, csv, "contacts-2024.csv"), "ho_sz");
  CHECK(reply.imported().rows() == n);
  CHECK(reply.imported().sha256().size() == 64);

  const model::YearReport r = Report(w, 2024);
  CHECK(r.contacts().total() == n);
  CHECK(r.cases().total() == 0);
  CHECK(r.legal_contacts().total() == legal);
  for (const auto& c : r.contacts().category()) CHECK(c.count() == by_category[c.category()]);
  CHECK(r.contacts().category_size() == 3);
  for (const auto& c : r.by_centre()) CHECK(c.contacts() == by_centre[c.centre()]);
  for (const auto& m : r.by_month()) CHECK(m.contacts() == by_month[m.month()]);
  CHECK(Report(w, 2025).contacts().total() == 0);

  // The rows behind each number are listed by what the report counted them by.
  const Actor ho = *w.dispatcher->ResolveActor("ho_sz");
  const auto listed = [&](std::map<std::string, std::string> query) -> int64_t {
    query["limit"] = "1000";
    auto read = Read(*w.dispatcher, ho, ReadRequest({"contacts"}, query));
    REQUIRE_MESSAGE(read.ok(), read.status().ToString());
    return dynamic_cast<model::ContactList&>(**read).contact_size();
  };
  CHECK(listed({{"year", "2024"}}) == n);
  CHECK(listed({{"year", "2024"}, {"category", "medical"}}) == by_category["medical"]);
  CHECK(listed({{"year", "2024"}, {"legal", "1"}}) == legal);
  CHECK(listed({{"year", "2024"}, {"centre", "GZ"}}) == by_centre["GZ"]);
  CHECK(listed({{"year", "2024"}, {"month", "12"}}) == by_month[12]);  // 23:59 on the 31st too
  CHECK(listed({{"year", "2024"}, {"month", "7"}, {"category", "inheritance"}}) == 2);
  CHECK(listed({{"year", "2024"}, {"uncounted", "1"}}) == 0);
  auto bad = Read(*w.dispatcher, ho, ReadRequest({"contacts"}, {{"month", "13"}, {"year", "2024"}}));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().field() == "month");
  CHECK_FALSE(Read(*w.dispatcher, ho, ReadRequest({"contacts"}, {{"month", "3"}})).ok());

  // Each contact keeps where it came from, and who entered it.
  ContactFilter f;
  f.limit = 1;
  auto newest = w.store->Read().ListContacts(f);
  REQUIRE(newest.ok());
  REQUIRE(newest->size() == 1);
  CHECK(newest->front().source() == "contacts-2024.csv line " + std::to_string(n + 1));
  CHECK(newest->front().logged_by() == "ho_sz");
}

TEST_CASE("a good cases file enters finished cases, numbered in their year, counted and never worked") {
  World w;
  w.OnDuty("chan_sz");
  const std::string csv =
      "opened,closed,centre,type,category,outcome,legal_advice,reference,summary\n"
      "2024-01-05,2024-01-20,SZ,escort_to_port,stranded,closed,no,SZ/24/001,escorted home\n"
      "2024-03-01 10:30,2024-03-02,GZ,document_verification,identity_documents,cancelled,yes,"
      "GZ/24/007,\n"
      "2024-06-01,2024-07-01,SZ,stranded_resident,inheritance,,是,SZ/24/002,\"a flat, sold\"\n"
      "2025-02-01,2025-02-03,SZ,escort_to_port,stranded,,,,\n";
  const auto reply = w.Must(Import(model::IMPORT_CASES, csv, "cases.csv"), "ho_sz");
  CHECK(reply.imported().rows() == 4);
  CHECK(reply.imported().first_case() == "SZ-2024-0001");
  CHECK(reply.imported().last_case() == "SZ-2025-0001");

  const model::CaseState first = w.Case("SZ-2024-0001");
  CHECK(first.status() == model::CASE_CLOSED);
  CHECK(first.state() == "handed_over");  // escort_to_port's end
  CHECK(model::FormatHongKong(model::FromProto(first.opened_at())) == "2024-01-05 00:00");
  CHECK(model::FormatHongKong(model::FromProto(first.ended_at())) == "2024-01-20 00:00");
  CHECK(first.earlier_reference() == "SZ/24/001");
  CHECK(first.recorded_from() == "cases.csv line 2");
  CHECK(first.task_size() == 0);
  CHECK(first.timer_size() == 0);
  const model::CaseState cancelled = w.Case("GZ-2024-0001");
  CHECK(cancelled.status() == model::CASE_CANCELLED);
  CHECK(cancelled.legal_advice());
  CHECK(w.Case("SZ-2024-0002").summary() == "a flat, sold");
  CHECK(w.Case("SZ-2024-0002").legal_advice());

  // One event each, saying what it is; no tasks, no messages to anyone.
  const auto timeline = w.Timeline("SZ-2024-0001");
  REQUIRE(timeline.size() == 1);
  CHECK(timeline[0].has_case_recorded());
  CHECK(timeline[0].actor() == "ho_sz");
  CHECK(w.Inbox("chan_sz").empty());
  OutboxFilter outbox;
  auto queued = w.store->Read().ListOutbox(outbox);
  REQUIRE(queued.ok());
  CHECK(queued->empty());
  auto tasks = w.store->Read().ListTasks(AnyTask());
  REQUIRE(tasks.ok());
  CHECK(tasks->empty());

  const model::YearReport r = Report(w, 2024);
  CHECK(r.cases().total() == 3);
  CHECK(r.legal_cases().total() == 2);
  CHECK(r.by_month(0).cases() == 1);
  CHECK(r.by_month(2).cases() == 1);
  CHECK(r.by_month(5).cases() == 1);
  CHECK(Report(w, 2025).cases().total() == 1);
  CHECK(Report(w, 2024, "GZ").cases().total() == 1);
  const auto listed = [&](std::map<std::string, std::string> query) {
    query["status"] = "all";
    auto read = Read(*w.dispatcher, *w.dispatcher->ResolveActor("ho_sz"), ReadRequest({"cases"}, query));
    REQUIRE_MESSAGE(read.ok(), read.status().ToString());
    std::vector<std::string> numbers;
    for (const auto& c : dynamic_cast<model::CaseList&>(**read).case_state()) {
      numbers.push_back(c.number());
    }
    return numbers;
  };
  CHECK(listed({{"year", "2024"}}).size() == 3);
  CHECK(listed({{"year", "2024"}, {"legal", "1"}}) ==
        std::vector<std::string>{"SZ-2024-0002", "GZ-2024-0001"});  // newest first
  CHECK(listed({{"year", "2024"}, {"category", "inheritance"}}) ==
        std::vector<std::string>{"SZ-2024-0002"});
  CHECK(listed({{"year", "2024"}, {"month", "3"}, {"centre", "GZ"}}) ==
        std::vector<std::string>{"GZ-2024-0001"});
  CHECK(listed({{"year", "2025"}}) == std::vector<std::string>{"SZ-2025-0001"});

  // The journal's chain holds over them, and a rebuild makes them again.
  const Actor admin = *w.dispatcher->ResolveActor("admin");
  auto audit = AuditJournal(*w.dispatcher, *w.dispatcher->ResolveActor("ho_sz"), std::nullopt);
  REQUIRE_MESSAGE(audit.ok(), audit.status().ToString());
  CHECK(audit->intact());
  REQUIRE(w.dispatcher->Rebuild(admin).ok());
  CHECK(w.Case("SZ-2024-0001").SerializeAsString() == first.SerializeAsString());

  // A case opened now is numbered on from this year's, untouched by 2024's.
  CHECK(w.OpenEscort() == "SZ-2026-0001");
}

TEST_CASE("a file imported once is refused the second time and nothing is counted twice") {
  World w;
  const std::string csv = "date,centre,channel,category\n2024-05-01,SZ,phone,medical\n";
  w.Must(Import(model::IMPORT_CONTACTS, csv, "may.csv"), "ho_sz");
  const Counts before = CountsOf(w);
  // The same bytes under another name, by another supervisor.
  auto again = w.dispatcher->Execute(Import(model::IMPORT_CONTACTS, csv, "may-copy.csv"), "kwok_fj");
  REQUIRE_FALSE(again.ok());
  CHECK(again.status().code() == Code::kAlreadyExists);
  CHECK(Says(again.status(), "may-copy.csv was imported already, on 2026-03-02 09:00 by ho_sz "
                             "(1 contacts from may.csv)"));
  CHECK(CountsOf(w) == before);
  CHECK(Report(w, 2024).contacts().total() == 1);
  // One byte more is another file.
  w.Must(Import(model::IMPORT_CONTACTS, csv + "2024-05-02,SZ,phone,medical\n"), "ho_sz");
  CHECK(Report(w, 2024).contacts().total() == 3);
}

TEST_CASE("every bad contact row is named by line and column and nothing of the file is entered") {
  World w;
  const Counts before = CountsOf(w);
  const std::string csv =
      "date,centre,channel,category,legal_advice,case_number,note\n"
      "2024-01-02,SZ,phone,medical,no,,fine\n"                 // 2: good
      "2024-13-02,SZ,phone,medical,no,,\n"                     // 3: no such month
      "02/01/2024,SZ,phone,medical,no,,\n"                     // 4: not ISO
      "2024-01-02,XX,phone,medical,no,,\n"                     // 5: no such centre
      "2024-01-02,SZ,fax,medical,no,,\n"                       // 6: no such channel
      "2024-01-02,SZ,phone,weather,no,,\n"                     // 7: no such category
      "2024-01-02,SZ,phone,medical,perhaps,,\n"                // 8: not yes or no
      "2024-01-02,SZ,phone,medical,no,SZ-2024-9999,\n"         // 9: no such case
      "2027-01-02,SZ,phone,medical,no,,\n"                     // 10: in the future
      "2024-01-02,SZ,phone,medical\n"                          // 11: too few cells
      "2024-01-02,SZ,phone,medical,no,,\"a\x01" "b\"\n"        // 12: a control character
      ",SZ,phone,medical,no,,\n"                               // 13: no date
      ",,,,,,\n"                                               // 14: empty: skipped
      "2024-01-02,SZ,phone,,no,,\n"                            // 15: no category
      "2024-01-02,SZ,phone,medical,no,," + std::string(1001, 'x') + "\n"  // 16: note too long
      "2024-01-02,SZ,Phone,Medical,YES,,case\n";  // 17: a code's case matters; a channel's not
  const model::Status s = Refused(w, model::IMPORT_CONTACTS, csv);
  CHECK(s.code() == Code::kInvalidArgument);
  CHECK(Says(s, "old.csv: 14 row(s) are wrong, so nothing was imported"));
  CHECK(Says(s, "\nold.csv:3: column date: "));
  CHECK(Says(s, "\nold.csv:4: column date: '02/01/2024' is not a date"));
  CHECK(Says(s, "\nold.csv:5: column centre: unknown centre 'XX'"));
  CHECK(Says(s, "\nold.csv:6: column channel: 'fax' is not phone, visit, chat or email"));
  CHECK(Says(s, "\nold.csv:7: column category: unknown category 'weather'"));
  CHECK(Says(s, "\nold.csv:8: column legal_advice: 'perhaps' is not yes or no"));
  CHECK(Says(s, "\nold.csv:9: column case_number: no case SZ-2024-9999"));
  CHECK(Says(s, "\nold.csv:10: column date: the contact is in the future"));
  CHECK(Says(s, "\nold.csv:11: has 4 cells; the header has 7"));
  CHECK(Says(s, "\nold.csv:12: column note: log_contact.note contains a control character"));
  CHECK(Says(s, "\nold.csv:13: column date: empty"));
  CHECK(Says(s, "\nold.csv:15: column category: say which category"));
  CHECK(Says(s, "\nold.csv:16: column note: log_contact.note is too long"));
  CHECK(Says(s, "\nold.csv:17: column category: unknown category 'Medical'"));
  CHECK_FALSE(Says(s, "old.csv:2:"));
  CHECK_FALSE(Says(s, "old.csv:14:"));
  CHECK(s.message_zh().find("old.csv:5: 「centre」欄：沒有代號為「XX」的中心") != std::string::npos);
  CHECK(CountsOf(w) == before);  // line 2 was good, and is not entered either

}

TEST_CASE("every bad case row is named by line and column and no case number is used up") {
  World w;
  const Counts before = CountsOf(w);
  const std::string csv =
      "opened,closed,centre,type,category,outcome,reference,summary\n"
      "2024-01-05,2024-01-20,SZ,escort_to_port,stranded,closed,A1,good\n"  // 2: good
      "2024-01-05,2024-01-02,SZ,escort_to_port,stranded,,A2,\n"            // 3: ends before
      "2024-01-05,2027-01-02,SZ,escort_to_port,stranded,,A3,\n"            // 4: ends later
      "2024-01-05,,SZ,escort_to_port,stranded,,A4,\n"                      // 5: still open
      "2024-01-05,2024-01-06,SZ,ferry,stranded,,A5,\n"                     // 6: no such type
      "2024-01-05,2024-01-06,QQ,escort_to_port,stranded,,A6,\n"            // 7: no such centre
      "2024-01-05,2024-01-06,SZ,escort_to_port,stranded,done,A7,\n"        // 8: no such outcome
      "2024-01-05,2024-01-06,SZ,escort_to_port,stranded,,A1,\n"            // 9: line 2's again
      "2024-01-05,2024-01-06,GZ,escort_to_port,stranded,,A1,\n"            // 10: GZ's A1: fine
      "2024-01-05,2024-01-06,SZ,escort_to_port,,,A9,\n"                    // 11: no category
      "2024-01-05,2024-01-06,SZ,,stranded,,A10,\n";                        // 12: no type
  const model::Status s = Refused(w, model::IMPORT_CASES, csv);
  CHECK(Says(s, "old.csv: 9 row(s) are wrong"));
  CHECK(Says(s, "\nold.csv:3: column closed: the case ends (2024-01-02 00:00) before it was "
                "opened (2024-01-05 00:00)"));
  CHECK(Says(s, "\nold.csv:4: column closed: the case ends in the future"));
  CHECK(Says(s, "\nold.csv:5: column closed: empty"));
  CHECK(Says(s, "\nold.csv:6: column type: unknown case type 'ferry'"));
  CHECK(Says(s, "\nold.csv:7: column centre: "));
  CHECK(Says(s, "\nold.csv:8: column outcome: 'done' is not closed or cancelled"));
  CHECK(Says(s, "\nold.csv:9: column reference: the same as line 2's"));
  CHECK_FALSE(Says(s, "old.csv:10:"));
  CHECK(Says(s, "\nold.csv:11: column category: empty"));
  CHECK(Says(s, "\nold.csv:12: column type: empty"));
  CHECK(CountsOf(w) == before);
  // The rows that were entered before the refusal went with it, case numbers too.
  w.Must(Import(model::IMPORT_CASES, "opened,closed,centre,type,category\n"
                                     "2024-01-05,2024-01-20,SZ,escort_to_port,stranded\n"),
         "ho_sz");
  CHECK(w.Case("SZ-2024-0001").status() == model::CASE_CLOSED);
}

TEST_CASE("a file whose header or bytes are wrong is refused before any row") {
  World w;
  const Counts before = CountsOf(w);
  auto s = Refused(w, model::IMPORT_CONTACTS, "date,centre,chanel,category,category\n2024-01-02,SZ,phone,medical,medical\n");
  CHECK(Says(s, "old.csv: its header (line 1) is not one of a contacts file"));
  CHECK(Says(s, "\nold.csv:1: column chanel: not a column of a contacts file; the columns are "
                "date, centre, channel, category, legal_advice, case_number, note"));
  CHECK(Says(s, "\nold.csv:1: column category: named twice in the header"));
  CHECK(Says(s, "\nold.csv:1: column channel: missing from the header"));
  // A cases file given as contacts: named for what it is not.
  s = Refused(w, model::IMPORT_CONTACTS, "opened,closed,centre,type,category\n");
  CHECK(Says(s, "column opened: not a column of a contacts file"));
  s = Refused(w, model::IMPORT_CONTACTS, "");
  CHECK(s.message() == "old.csv is empty; its first line names the columns");
  // A header with an empty column (a comma at its end), after an empty line.
  s = Refused(w, model::IMPORT_CONTACTS, "\ndate,centre,channel,category,\n2024-01-02,SZ,phone,medical,\n");
  CHECK(Says(s, "old.csv: its header (line 2) is not one of a contacts file"));
  CHECK(Says(s, "\nold.csv:2: column 5 has no name"));
  // A cases file given as contacts says which it may be.
  s = Refused(w, model::IMPORT_CONTACTS, "opened,closed,centre,type,category\n2024-01-02,2024-01-03,SZ,escort_to_port,medical\n");
  CHECK(Says(s, "(is it a file of cases? `dispatch import cases`)"));
  s = Refused(w, model::IMPORT_CONTACTS, "date,centre,channel,category\n,,,\n");
  CHECK(s.message() == "old.csv has no rows under its header; nothing to import");
  // Big5 bytes on line 3 (a spreadsheet saved in the wrong encoding).
  s = Refused(w, model::IMPORT_CONTACTS,
              "date,centre,channel,category,note\n2024-01-02,SZ,phone,medical,ok\n"
              "2024-01-02,SZ,phone,medical,\xA4\xA4\xA4\xE5\n");
  CHECK(Says(s, "old.csv:3: not UTF-8 text; save the spreadsheet as \"CSV UTF-8\""));
  s = Refused(w, model::IMPORT_CONTACTS, "date,centre,channel,category\n2024-01-02,SZ,\"phone,medical\n");
  CHECK(s.message() == "old.csv: line 2: a quoted cell is never closed");
  s = Refused(w, model::IMPORT_KIND_UNSPECIFIED, "date\n");
  CHECK(s.field() == "import_records.kind");
  CHECK(CountsOf(w) == before);
}

TEST_CASE("a refused file is not kept: once what it needs is there, the same file imports") {
  World w;
  w.OnDuty("chan_sz");
  const std::string csv = "date,centre,channel,category,case_number,note\n"
                          "2026-03-01,SZ,phone,medical,SZ-2026-0001,\"two\nlines\"\n";
  const auto s = Refused(w, model::IMPORT_CONTACTS, csv);
  CHECK(Says(s, "old.csv:2: column case_number: no case SZ-2026-0001"));
  CHECK(w.OpenEscort() == "SZ-2026-0001");
  const auto reply = w.Must(Import(model::IMPORT_CONTACTS, csv), "ho_sz");
  CHECK(reply.imported().rows() == 1);
  // Saved again with Windows line ends (in the note too) and a byte order mark: the same file.
  std::string resaved = "\xEF\xBB\xBF";
  for (char c : csv) resaved += c == '\n' ? std::string("\r\n") : std::string(1, c);
  const auto again = Refused(w, model::IMPORT_CONTACTS, resaved);
  CHECK(again.code() == Code::kAlreadyExists);
}

TEST_CASE("a thousand problems are named, and checking stops there") {
  World w;
  std::string csv = "date,centre,channel,category\n";
  for (int i = 0; i < 1100; ++i) csv += "2024-01-02,SZ,phone,weather\n";
  const auto s = Refused(w, model::IMPORT_CONTACTS, csv);
  CHECK(Says(s, "old.csv: at least 1000 row(s) are wrong"));
  size_t named = 0;
  for (size_t at = s.message().find("\nold.csv:"); at != std::string::npos;
       at = s.message().find("\nold.csv:", at + 1)) {
    ++named;
  }
  CHECK(named == 1000);
  CHECK(Says(s, "\nold.csv:1001: column category: unknown category 'weather'"));
  CHECK_FALSE(Says(s, "old.csv:1002:"));
}

TEST_CASE("an identity number typed into any cell comes back masked") {
  World w;
  const std::string csv =
      "date,centre,channel,category,note\n"
      "2024-01-02,SZ,A123456(3),medical,\n"
      "2024-01-02,Ｂ２３４５６７（８）,phone,medical,\n"
      "2024-01-02,SZ,phone,C345678(9),\n";
  const auto s = Refused(w, model::IMPORT_CONTACTS, csv);
  CHECK(Says(s, "old.csv:2: column channel: 'A123***(*)' is not phone"));
  CHECK(Says(s, "old.csv:3: column centre: unknown centre 'Ｂ２３４***（*）'"));
  CHECK(Says(s, "C345***(*)"));
  for (const char* whole : {"A123456", "５６７", "C345678"}) {
    CHECK(s.message().find(whole) == std::string::npos);
    CHECK(s.message_zh().find(whole) == std::string::npos);
  }
}

TEST_CASE("an earlier case is entered once, from any file, and ends where its record says") {
  World w;
  const std::string header = "opened,closed,centre,type,category,reference,end_state\n";
  w.Must(Import(model::IMPORT_CASES,
                header + "2024-01-05,2024-01-20,SZ,escort_to_port,stranded,SZ/24/001,\n", "a.csv"),
         "ho_sz");
  // Another file with the same record of the same centre: refused at that row.
  auto s = Refused(w, model::IMPORT_CASES,
                   header + "2024-02-05,2024-02-20,GZ,escort_to_port,stranded,SZ/24/001,\n"
                            "2024-01-05,2024-01-20,SZ,escort_to_port,stranded,SZ/24/001,\n");
  CHECK(Says(s, "old.csv: 1 row(s) are wrong"));
  CHECK(Says(s, "\nold.csv:3: column reference: SZ's earlier case SZ/24/001 was entered already, "
                "as SZ-2024-0001 (from a.csv line 2)"));
  // A verification ends two ways: the record must say which.
  s = Refused(w, model::IMPORT_CASES,
              header + "2024-03-01,2024-03-09,SZ,document_verification,identity_documents,V1,\n");
  CHECK(Says(s, "old.csv:2: column end_state: say how a document_verification case ended: "));
  CHECK(Says(s, "not_confirmed"));
  s = Refused(w, model::IMPORT_CASES,
              header + "2024-03-01,2024-03-09,SZ,document_verification,identity_documents,V1,"
                       "collecting_details\n");
  CHECK(Says(s, "'collecting_details' is not one of the ends of a document_verification case"));
  w.Must(Import(model::IMPORT_CASES,
                header + "2024-03-01,2024-03-09,SZ,document_verification,identity_documents,V1,"
                         "not_confirmed\n"),
         "ho_sz");
  CHECK(w.Case("SZ-2024-0002").state() == "not_confirmed");

  // One entered by hand, with no file: marked as an earlier record all the same.
  Command past;
  auto* p = past.mutable_record_past_case();
  p->set_type("escort_to_port");
  p->set_centre("FJ");
  p->set_category("stranded");
  *p->mutable_opened_at() = model::ToProto(*model::ParseTimestamp("2025-05-01T10:00:00+08:00"));
  *p->mutable_ended_at() = model::ToProto(*model::ParseTimestamp("2025-05-03T10:00:00+08:00"));
  const auto reply = w.Must(past, "kwok_fj");
  CHECK(reply.case_state().recorded());
  CHECK(reply.case_state().recorded_from().empty());
  CHECK(reply.case_state().number() == "FJ-2025-0001");
  // Whose it is not is asked before anything of the store is told.
  p->set_type("ferry");
  p->set_reference("SZ/24/001");
  const auto denied = w.dispatcher->Execute(past, "lin_fj");
  REQUIRE_FALSE(denied.ok());
  CHECK(denied.status().code() == Code::kPermissionDenied);

  // The timeline says what it is, in both languages; the service figures leave it out.
  auto timeline = Read(*w.dispatcher, *w.dispatcher->ResolveActor("ho_sz"),
                       ReadRequest({"cases", "SZ-2024-0001", "timeline"}));
  REQUIRE(timeline.ok());
  const auto& line = dynamic_cast<model::Timeline&>(**timeline).line(0).what();
  CHECK(line.en() == "Entered from an earlier record SZ/24/001 (a.csv line 2): SZ, Escort to port, "
                     "opened 2024-01-05 00:00, closed 2024-01-20 00:00; counted under Stranded, "
                     "returning home");
  CHECK(line.zh_hant().rfind("由過往紀錄輸入 SZ/24/001", 0) == 0);
  auto figures = w.dispatcher->ServiceFigures(*w.dispatcher->ResolveActor("ho_sz"), 2024, "");
  REQUIRE(figures.ok());
  CHECK(figures->deadline_size() == 0);
  CHECK(figures->past_case_deadline_size() == 0);
}

TEST_CASE("earlier records are entered by supervisors and may carry a retired category") {
  testing::TempDir dir;
  const std::string path = dir.Write("categories.textproto", R"pb(
group { code: "g" label { zh_hant: "組" en: "Group" } }
category { code: "current" group: "g" label { zh_hant: "現行" en: "Current" } }
category { code: "epidemic" group: "g" retired: true label { zh_hant: "防疫" en: "Epidemic" } }
)pb");
  World w;
  w.catalog.SetCategories(path);
  REQUIRE(w.catalog.CategoriesProblem().empty());
  const std::string csv = "date,centre,channel,category\n2022-03-01,SZ,phone,epidemic\n";
  for (const char* officer : {"chan_sz", "mak_sz", "admin"}) {
    const auto s = Refused(w, model::IMPORT_CONTACTS, csv, officer);
    CHECK(s.code() == Code::kPermissionDenied);
    CHECK(Says(s, "cannot enter earlier records"));
  }
  w.Must(Import(model::IMPORT_CONTACTS, csv), "kwok_fj");  // a supervisor of another centre too
  const std::string cases =
      "opened,closed,centre,type,category\n2022-03-01,2022-04-01,SZ,escort_to_port,epidemic\n";
  w.Must(Import(model::IMPORT_CASES, cases), "ho_sz");
  YearReportRequest req = Year(2022);
  auto r = w.dispatcher->YearReport(*w.dispatcher->ResolveActor("ho_sz"), req);
  REQUIRE(r.ok());
  CHECK(r->contacts().total() == 1);
  CHECK(r->cases().total() == 1);
  REQUIRE(r->cases().category_size() == 1);
  CHECK(r->cases().category(0).label().en() == "Epidemic");
  // Work done now may not be counted under it.
  Command log;
  log.mutable_log_contact()->set_channel(model::CHANNEL_PHONE);
  log.mutable_log_contact()->set_category("epidemic");
  CHECK_FALSE(w.dispatcher->Execute(log, "ho_sz").ok());
}

}  // namespace
}  // namespace dispatch
