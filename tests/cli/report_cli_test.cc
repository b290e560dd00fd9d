// A supervisor's commands on a terminal: contacts logged, the yearly report in
// each format (the HTML a file to attach, standing alone), and a categories
// file checked against the codes the database still carries.
#include <doctest/doctest.h>

#include <filesystem>

#include "support/cli.h"

using testing::Cli;
using testing::FileBytes;
using testing::ProcessResult;

TEST_CASE("the command line logs contacts and reports the year in every format") {
  Cli cli;
  cli.Setup();
  cli.Must({"user", "add", "ho_sz", "--centre", "SZ", "--role", "supervisor"}, "admin");
  const std::string number = cli.OpenEscort();
  ProcessResult r = cli.Must({"contact", "log", "--channel", "phone", "--category", "medical",
                              "--case", number, "--note", "asked about the ward"},
                             "chan_sz");
  CHECK(r.out == "Contact 1 logged: SZ, phone, medical → " + number + "\n");
  cli.Must({"contact", "log", "--channel", "visit", "--category", "inheritance", "--legal"},
           "chan_sz");
  r = cli.Run({"contact", "log", "--channel", "fax", "--category", "medical"}, "chan_sz");
  CHECK(r.exit_code == 2);
  CHECK(r.err == "error: --channel takes phone, visit, chat or email, not 'fax'\n");
  r = cli.Run({"contact", "log", "--channel", "phone", "--category", "weather"}, "chan_sz");
  CHECK(r.exit_code == 2);
  CHECK(r.err == "error: unknown category 'weather' (--category)\n");
  r = cli.Must({"contact", "list"}, "chan_sz");
  CHECK(r.out.find("Inheritance") != std::string::npos);
  CHECK(r.out.find("asked about the ward") != std::string::npos);

  const std::string year = r.out.substr(r.out.find("20"), 4);
  r = cli.Must({"report", "year", year}, "ho_sz");
  CHECK(r.out.find("Contacts               2") != std::string::npos);
  CHECK(r.out.find("Cases                  1") != std::string::npos);

  r = cli.Must({"report", "year", year, "--format", "csv"}, "ho_sz");
  CHECK(r.out.rfind("\xEF\xBB\xBF", 0) == 0);  // a BOM, so a spreadsheet reads the Chinese
  CHECK(r.out.find("\r\n") != std::string::npos);

  r = cli.Must({"report", "year", year, "--format", "json"}, "ho_sz");
  CHECK(r.out.find("\"total\": \"2\"") != std::string::npos);

  const std::string html = cli.dir().Path("report.html");
  cli.Must({"--lang", "zh-Hant", "report", "year", year, "--format", "html", "--out", html},
           "ho_sz");
  const std::string page = FileBytes(html);
  CHECK(page.find("<svg") != std::string::npos);
  CHECK(page.find("醫療") != std::string::npos);
  CHECK(page.find("http") == std::string::npos);  // stands alone: nothing to fetch
  CHECK(page.find("<script") == std::string::npos);

  r = cli.Run({"report", "year", year, "--format", "pdf"}, "ho_sz");
  CHECK(r.exit_code == 2);
  r = cli.Run({"report", "year", year, "--compare", "last year"}, "ho_sz");
  CHECK(r.exit_code == 2);
  CHECK(r.err == "error: --compare takes a year such as 2026, not 'last year'\n");
  // A file that cannot be written is said so, and nothing is left half-written.
  const std::string nowhere = cli.dir().Path("no-such-folder/report.html");
  r = cli.Run({"report", "year", year, "--format", "html", "--out", nowhere}, "ho_sz");
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("cannot write " + nowhere) != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(nowhere + ".part"));
  r = cli.Run({"report", "year", year, "--centre", "DG"}, "chan_sz");
  CHECK(r.exit_code != 0);  // a duty officer reports on their own centre only
}

TEST_CASE("a categories file that drops a code in use is refused by check, naming the code") {
  Cli cli;
  cli.Setup();
  cli.OpenEscort();  // counted under stranded, its type's default
  cli.Must({"contact", "log", "--channel", "phone", "--category", "medical"}, "chan_sz");
  ProcessResult r = cli.Must({"categories", "check"});
  CHECK(r.out.find("agrees with") != std::string::npos);
  const std::string edited = cli.dir().Write("categories.textproto", R"pb(
group { code: "health" label { zh_hant: "醫療及照顧" en: "Health and care" } }
category { code: "medical" group: "health" label { zh_hant: "醫療" en: "Medical" } }
)pb");
  r = cli.Run({"categories", "check", edited});
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("categories in use are missing: 'stranded' (1 record)") != std::string::npos);
  const std::string broken = cli.dir().Write("broken.textproto", "category { code: \"x\"\n");
  r = cli.Run({"categories", "check", broken});
  CHECK(r.exit_code != 0);
  CHECK(r.err.find(broken + ":") != std::string::npos);
  r = cli.Must({"categories"});
  CHECK(r.out.find("identity_documents") != std::string::npos);
}

TEST_CASE("report service prints a year's deadlines, handoffs, pauses and cases past deadline") {
  Cli cli;
  cli.Setup();
  const std::string number = cli.OpenEscort();
  cli.Must({"case", "pause", number, "--reason", "family_to_confirm"}, "chan_sz");
  cli.Must({"case", "resume", number}, "chan_sz");
  const std::string year = number.substr(3, 4);
  ProcessResult r = cli.Must({"report", "service", year}, "chan_sz");
  CHECK(r.out.find("Service in " + year + " — SZ\n") == 0);  // an officer's own centre
  CHECK(r.out.find("Deadlines, by the centre working the case\nNone met or missed.\n") !=
        std::string::npos);
  CHECK(r.out.find("Time to accept a handoff, by the centre asked\nNone accepted.\n") !=
        std::string::npos);
  CHECK(r.out.find("SZ      Waiting for the family to confirm  1") != std::string::npos);
  CHECK(r.out.find("Cases past their whole-case deadline\nNone.\n") != std::string::npos);
  r = cli.Must({"--lang", "zh-Hant", "report", "service", year}, "chan_sz");
  CHECK(r.out.find("等候家屬確認") != std::string::npos);
  r = cli.Must({"report", "service", year, "--format", "json"}, "chan_sz");
  CHECK(r.out.find("\"reason\": \"family_to_confirm\"") != std::string::npos);
  r = cli.Run({"report", "service", year, "--centre", "DG"}, "chan_sz");
  CHECK(r.exit_code == 4);
  r = cli.Run({"report", "service", year, "--format", "html"}, "chan_sz");
  CHECK(r.exit_code == 2);
  CHECK(r.err == "error: --format takes table or json, not 'html'\n");
}

TEST_CASE("a supervisor imports last year's spreadsheets once and the report counts them") {
  Cli cli;
  cli.Setup();
  cli.Must({"user", "add", "ho_sz", "--centre", "SZ", "--role", "supervisor"}, "admin");
  const std::string contacts = cli.dir().Write("contacts-2025.csv",
                                               "date,centre,channel,category,legal_advice\r\n"
                                               "2025-01-15 10:00,SZ,phone,medical,no\r\n"
                                               "2025-03-02,GZ,到訪,inheritance,yes\r\n");
  ProcessResult r = cli.Must({"import", "contacts", contacts}, "ho_sz");
  CHECK(r.out.rfind("Imported 2 contact(s) from contacts-2025.csv.\n", 0) == 0);
  const std::string cases = cli.dir().Write(
      "cases-2025.csv",
      "opened,closed,centre,type,category,reference\n"
      "2025-05-01,2025-05-09,SZ,escort_to_port,stranded,SZ/25/1\n");
  r = cli.Must({"import", "cases", cases}, "ho_sz");
  CHECK(r.out.rfind("Imported 1 finished case(s) from cases-2025.csv (first SZ-2025-0001, last SZ-2025-0001)",
                    0) == 0);
  r = cli.Must({"case", "show", "SZ-2025-0001"}, "ho_sz");
  CHECK(r.out.find("Earlier record  SZ/25/1 (cases-2025.csv line 2)") != std::string::npos);

  r = cli.Run({"import", "contacts", contacts}, "ho_sz");
  CHECK(r.exit_code == 6);  // as for anything that exists already
  CHECK(r.err.find("contacts-2025.csv was imported already") != std::string::npos);

  const std::string bad = cli.dir().Write("bad.csv",
                                          "date,centre,channel,category\n"
                                          "2025-02-30,SZ,phone,medical\n"
                                          "2025-03-01,SZ,phone,weather\n");
  r = cli.Run({"import", "contacts", bad}, "ho_sz");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("bad.csv:2: column date: ") != std::string::npos);
  CHECK(r.err.find("bad.csv:3: column category: unknown category 'weather'") != std::string::npos);
  r = cli.Run({"import", "contacts", cli.dir().Path("missing.csv")}, "ho_sz");
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("cannot read") != std::string::npos);
  r = cli.Run({"import", "contacts", contacts}, "chan_sz");
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("cannot enter earlier records") != std::string::npos);

  r = cli.Must({"report", "year", "2025"}, "ho_sz");
  CHECK(r.out.find("Contacts               2") != std::string::npos);
  CHECK(r.out.find("Cases                  1") != std::string::npos);
  CHECK(r.out.find("Legal-advice contacts  1") != std::string::npos);
}
