// The command line against a server (`--server URL`, a token in
// DISPATCH_TOKEN) prints what it prints on the database file: the same
// commands and reads go through the same engine, and the server's errors
// come back as the same messages and exit codes.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>
#include <regex>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "support/cli.h"
#include "support/served.h"

namespace {

struct Step {
  std::string who;
  std::vector<std::string> args;
  int exit = 0;  // what the command answers (on either)

  std::string Said() const {
    std::string out = who + ":";
    for (const auto& a : args) out += " " + a;
    return out;
  }
};

// "2026-12-11 15:12" as "2026-12-11 HH:MM".
std::string WithoutMinutes(const std::string& s) {
  static const std::regex kTime(R"((\d{4}-\d\d-\d\d) \d\d:\d\d)");
  return std::regex_replace(s, kTime, "$1 HH:MM");
}

// Waits (5 s at most) until the server has delivered every notification, so
// that two reads of the inbox see the same.
void WaitForDelivery(testing::Served& s) {
  for (int i = 0; i < 100; ++i) {
    auto r = s.cli.Run({"outbox", "list", "--status", "pending"}, "admin");
    if (r.exit_code == 0 && r.out.find("pending") == std::string::npos) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace

TEST_CASE("the command line through --server prints what it prints on the database file") {
  testing::Served served;
  testing::Cli local;
  local.Must({"init"});
  testing::AddPeople(local);

  const std::string n = "SZ-" + std::to_string(2026) + "-0001";
  const std::vector<Step> steps = {
      {"chan_sz", {"duty", "on"}},
      {"lee_sz", {"duty", "on"}},
      {"lam_dg", {"duty", "on", "--until", "2099-12-31T20:00"}, 2},
      {"chan_sz", {"case", "open", "--type", "escort_to_port", "--name-zh", "陳大文", "--name-en",
                   "CHAN Tai Man", "--hkid", "A123456(3)", "--dob", "1950-03-01", "--summary",
                   "escort home after discharge"}},
      // Refusals: the same words and exit codes, the flag named the same way.
      {"chan_sz", {"case", "open", "--type", "escort_to_port", "--name-en", "X", "--hkid",
                   "A123456(4)"}, 2},
      {"chan_sz", {"case", "open", "--type", "no_such_type", "--name-en", "X"}, 2},
      {"chan_sz", {"case", "open", "--type", "escort_to_port", "--name-en", "X", "--dob",
                   "2999-01-01"}, 2},
      {"lam_dg", {"case", "show", n}, 3},
      {"lam_dg", {"case", "note", n, "not", "ours"}, 3},
      {"chan_sz", {"case", "event", n, "plan_confirmed"}, 5},
      {"chan_sz", {"task", "assign", n + "/1"}, 5},  // it is chan_sz's already
      {"chan_sz", {"task", "assign", n + "/3", "lee_sz"}},
      {"chan_sz", {"task", "done", n + "/1", "--note", "family agrees: Sunday, Shenzhen Bay"}},
      {"chan_sz", {"--lang", "zh-Hant", "task", "done", n + "/2"}},
      {"chan_sz", {"case", "note", n, "daughter", "will", "meet", "him"}},
      {"chan_sz", {"case", "pause", n, "--reason", "family_to_confirm"}},
      {"chan_sz", {"case", "resume", n}},
      {"mak_sz", {"handoff", "request", n, "--to", "DG", "--leg", "port_escort", "--message",
                  "escort at the port, please"}},
      {"choi_dg", {"handoff", "accept", n + "/H1"}},
      {"choi_dg", {"handoff", "accept", n + "/H1"}, 5},
      {"admin", {"centre", "webhook", "SZ", "https://chat.example/bot/SZ"}},
      {"chan_sz", {"centre", "webhook", "SZ", "none"}, 4},
      {"chan_sz", {"duty", "off"}},
  };
  for (const Step& step : steps) {
    CAPTURE(step.Said());
    const auto embedded = local.Run(step.args, step.who);
    const auto remote = served.Remote(step.who, step.args);
    CHECK(embedded.exit_code == step.exit);
    CHECK(remote.exit_code == embedded.exit_code);
    // The two databases are written a moment apart: due times may be a
    // minute apart.
    CHECK(WithoutMinutes(remote.out) == WithoutMinutes(embedded.out));
    CHECK(remote.err == embedded.err);
  }

  // Reads of one database, from its file and through its server.
  WaitForDelivery(served);
  const std::vector<Step> reads = {
      {"chan_sz", {"case", "list"}},
      {"chan_sz", {"case", "list", "--status", "all", "--json"}},
      {"chan_sz", {"case", "list", "--status", "sometimes"}, 2},
      {"chan_sz", {"case", "show", n}},
      {"chan_sz", {"--lang", "zh-Hant", "case", "show", n}},
      {"chan_sz", {"case", "timeline", n}},
      {"choi_dg", {"case", "timeline", n}},
      {"wong_fj", {"case", "timeline", n}, 3},
      {"chan_sz", {"task", "list"}},
      {"chan_sz", {"task", "list", "--mine", "--all"}},
      {"mak_sz", {"handoff", "list", "--all"}},
      {"chan_sz", {"inbox"}},
      {"ho_sz", {"inbox", "--unread"}},
      {"chan_sz", {"duty", "list"}},
      {"admin", {"centre", "list"}},
      {"chan_sz", {"centre", "list", "--json"}},
      {"admin", {"user", "list"}},
      {"admin", {"outbox", "list", "--status", "all"}},
      {"chan_sz", {"workflow", "list"}},
      {"chan_sz", {"workflow", "show", "escort_to_port"}},
      {"chan_sz", {"workflow", "show", "no_such_type"}, 3},
  };
  for (const Step& read : reads) {
    CAPTURE(read.Said());
    const auto embedded = served.cli.Run(read.args, read.who);
    const auto remote = served.Remote(read.who, read.args);
    CHECK(embedded.exit_code == read.exit);
    CHECK(remote.exit_code == embedded.exit_code);
    CHECK(remote.out == embedded.out);
    CHECK(remote.err == embedded.err);
  }
}

TEST_CASE("through --server: no token, a wrong one, --as for someone else, and file-only commands") {
  testing::Served served;
  std::vector<std::string> argv = {testing::DispatchBinary(), "--server", served.Url(), "case",
                                   "list"};
  auto none = testing::RunProcess(argv);
  CHECK(none.exit_code == 4);
  CHECK(none.err == "error: a server needs a token: set DISPATCH_TOKEN to one from `dispatch "
                    "token create`\n");
  auto wrong = testing::RunProcess(argv, {"DISPATCH_TOKEN=dsp_0000"});
  CHECK(wrong.exit_code == 4);
  CHECK(wrong.err.find("error: ") == 0);

  auto other = served.Remote("chan_sz", {"--as", "lam_dg", "case", "list"});
  CHECK(other.exit_code == 2);
  CHECK(other.err == "error: the token is chan_sz's, but --as names lam_dg; on a server you act "
                     "as the token's user (drop --as)\n");
  CHECK(served.Remote("chan_sz", {"--as", "chan_sz", "case", "list"}).exit_code == 0);

  for (const std::vector<std::string>& file_only :
       {std::vector<std::string>{"tick"}, {"rebuild"}, {"init"}, {"migrate"}}) {
    auto r = served.Remote("admin", file_only);
    CHECK(r.exit_code == 2);
    CHECK(r.err == "error: " + file_only[0] +
                       " works on a database file on the server's machine (--db), not through "
                       "--server\n");
  }

  // A server that is not there: try again later (exit 7), saying where.
  const std::string url = served.Url();
  served.server->Stop();
  auto gone = testing::RunProcess({testing::DispatchBinary(), "--server", url, "case", "list"},
                                  {"DISPATCH_TOKEN=" + served.tokens.at("chan_sz")});
  CHECK(gone.exit_code == 7);
  CHECK(gone.err.find("error: cannot reach the server at " + url + ": ") == 0);
}

TEST_CASE("through --server on IPv6: a server on [::1] is reached by the command line") {
  {
    // A machine without an IPv6 loopback cannot run this; say so, do not fail.
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor probe(ioc);
    boost::system::error_code ec;
    probe.open(boost::asio::ip::tcp::v6(), ec);
    if (!ec) probe.bind({boost::asio::ip::make_address("::1"), 0}, ec);
    if (ec) {
      MESSAGE("no IPv6 loopback on this machine (" << ec.message() << "): not tried");
      return;
    }
  }
  testing::Served served(DISPATCH_WORKFLOW_DIR, {}, "http", "::1");
  REQUIRE(served.Url().find("http://[::1]:") == 0);
  CHECK(served.Remote("chan_sz", {"duty", "on"}).exit_code == 0);
  auto opened = served.Remote("chan_sz", {"case", "open", "--type", "escort_to_port", "--name-en",
                                          "CHAN Tai Man", "--hkid", "A123456(3)"});
  REQUIRE_MESSAGE(opened.exit_code == 0, opened.err);
  CHECK(opened.out.find("SZ-2026-0001") != std::string::npos);
  auto shown = served.Remote("chan_sz", {"case", "show", "SZ-2026-0001"});
  CHECK(shown.exit_code == 0);
  CHECK(shown.out.find("CHAN Tai Man") != std::string::npos);
  // Another centre's officer, over the same address, is told no such case.
  CHECK(served.Remote("lam_dg", {"case", "show", "SZ-2026-0001"}).exit_code == 3);
}
