// `dispatch audit` on a terminal: the journal checked, with the head to keep;
// a row changed behind the engine's back named, with the exit code of a
// damaged database; a case's journal exported to a file with its chain.
#include <doctest/doctest.h>

#include "dispatch/sqlite_db.h"
#include "support/cli.h"

using testing::Cli;
using testing::FileBytes;
using testing::ProcessResult;

TEST_CASE("audit verify names the head to keep, and the first row changed behind its back") {
  Cli cli;
  cli.Setup();
  cli.Must({"user", "add", "ho_sz", "--centre", "SZ", "--role", "supervisor"}, "admin");
  const std::string first = cli.OpenEscort();
  cli.OpenEscort();

  ProcessResult r = cli.Run({"audit", "verify"}, "chan_sz");
  CHECK(r.exit_code == 4);
  CHECK(r.err == "error: checking the journal is for supervisors and admins; chan_sz "
                 "(duty_officer, SZ) may not\n");

  r = cli.Must({"audit", "verify"}, "ho_sz");
  const size_t head_at = r.out.find("Head: ");
  REQUIRE(head_at != std::string::npos);
  const std::string head = r.out.substr(head_at + 6, r.out.find('\n', head_at) - head_at - 6);
  CHECK(r.out.find("Journal intact: ") == 0);
  CHECK(head.size() > 66);
  CHECK(r.out.find("`dispatch audit verify --head " + head + "`") != std::string::npos);
  r = cli.Must({"--lang", "zh-Hant", "audit", "verify"}, "ho_sz");
  CHECK(r.out.find("日誌完整") == 0);

  // More work, then the kept head still holds.
  cli.OpenEscort();
  r = cli.Must({"audit", "verify", "--head", head}, "ho_sz");
  CHECK(r.out.find("Journal intact: ") == 0);
  r = cli.Run({"audit", "verify", "--head", "3:nothex"}, "ho_sz");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("(--head)") != std::string::npos);

  {
    auto db = dispatch::SqliteDb::Open(cli.db(), dispatch::SqliteDb::Mode::kOpenExisting);
    REQUIRE(db.ok());
    REQUIRE((*db)->Exec("UPDATE journal SET body = body || x'00' WHERE case_number = '" + first +
                        "' AND seq = 2").ok());
  }
  r = cli.Run({"audit", "verify"}, "ho_sz");
  CHECK(r.exit_code == 8);
  CHECK(r.out.find("Journal NOT as dispatch wrote it: 1 row(s) checked out before the first "
                   "fault.") == 0);
  CHECK(r.err.find("error: journal row 2 (" + first + " event 2) was changed after it was "
                   "written") == 0);
  CHECK(r.err.find("restore the database from a backup") != std::string::npos);
}

TEST_CASE("audit export writes a case's journal with its chain, identity numbers masked") {
  Cli cli;
  cli.Setup();
  const std::string number = cli.OpenEscort();
  const std::string out = cli.dir().Path("export.json");
  ProcessResult r = cli.Must({"audit", "export", number, "--out", out}, "admin");
  CHECK(r.out.find("Wrote ") == 0);
  CHECK(r.out.find(" of " + number + " to " + out + "; the journal's head then was ") !=
        std::string::npos);
  const std::string json = FileBytes(out);
  CHECK(json.find("\"case_number\": \"" + number + "\"") != std::string::npos);
  CHECK(json.find("\"event_digest\"") != std::string::npos);
  CHECK(json.find("\"journal_head_link\"") != std::string::npos);
  CHECK(json.find("A123***(*)") != std::string::npos);
  CHECK(json.find("A123456") == std::string::npos);
  r = cli.Run({"audit", "export", "SZ-2026-9999"}, "admin");
  CHECK(r.exit_code == 3);
}
