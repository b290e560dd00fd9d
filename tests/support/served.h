// A database with people at three centres and a token for each, served by
// `dispatch serve` as a real process on 127.0.0.1.
#ifndef TESTS_SUPPORT_SERVED_H_
#define TESTS_SUPPORT_SERVED_H_

#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include <doctest/doctest.h>

#include "support/cli.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "model/text_proto.h"

namespace testing {

// The people every served test has: three at SZ and a supervisor, two at
// DG, a coordinator and a duty officer at FJ.
inline void AddPeople(Cli& cli) {
  for (const auto& [name, centre, role] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"chan_sz", "SZ", "duty_officer"}, {"lee_sz", "SZ", "duty_officer"},
           {"mak_sz", "SZ", "coordinator"},   {"ho_sz", "SZ", "supervisor"},
           {"lam_dg", "DG", "duty_officer"},  {"choi_dg", "DG", "coordinator"},
           {"wong_fj", "FJ", "coordinator"}, {"lin_fj", "FJ", "duty_officer"}}) {
    cli.Must({"user", "add", name, "--centre", centre, "--role", role}, "admin");
  }
}

// Writes into `dir` the shipped escort_to_port whose planning stage may last
// two seconds, so that its deadline falls due while a test waits.
inline void WriteQuickEscort(const TempDir& dir) {
  auto text = model::ReadFile(std::string(DISPATCH_WORKFLOW_DIR) + "/escort_to_port.textproto");
  REQUIRE(text.ok());
  std::string quick = *text;
  quick.replace(quick.find("within: \"5d\""), 12, "within: \"2s\"");
  dir.Write("escort_to_port.textproto", quick);
}

struct Served {
  testing::Cli cli;
  std::map<std::string, std::string> tokens;
  std::unique_ptr<testing::ServerProcess> server;

  // `extra`: more arguments for `serve`; `scheme`: https when they say so;
  // `host`: the loopback address it listens on (Get and Post speak to
  // 127.0.0.1 only; Remote to any).
  explicit Served(const std::string& workflows = DISPATCH_WORKFLOW_DIR,
                  const std::vector<std::string>& extra = {}, std::string scheme = "http",
                  std::string host = "127.0.0.1")
      : scheme_(std::move(scheme)),
        host_(host.find(':') != std::string::npos ? "[" + host + "]" : host) {
    cli.Must({"init"});
    AddPeople(cli);
    for (const char* who :
         {"admin", "chan_sz", "lee_sz", "mak_sz", "ho_sz", "lam_dg", "choi_dg", "wong_fj", "lin_fj"}) {
      const std::string out = cli.Must({"token", "create", "--label", "tests"}, who).out;
      const auto at = out.find("dsp_");
      REQUIRE(at != std::string::npos);
      tokens[who] = out.substr(at, out.find('\n', at) - at);
    }
    server = std::make_unique<testing::ServerProcess>(cli.db(), workflows, extra, host);
    REQUIRE_MESSAGE(server->running(), server->Log());
  }

  unsigned short port() const { return server->port(); }
  HttpReply Get(const std::string& who, const std::string& target) {
    return Http(port(), "GET", target, "", Bearer(tokens.at(who)));
  }
  HttpReply Post(const std::string& who, const std::string& json) {
    return Http(port(), "POST", "/v1/commands", json, Bearer(tokens.at(who)));
  }
  std::string Url() const { return scheme_ + "://" + host_ + ":" + std::to_string(port()); }
  // The command line against this server, with `who`'s token (and `env`).
  ProcessResult Remote(const std::string& who, std::vector<std::string> args,
                       std::vector<std::string> env = {}) {
    std::vector<std::string> argv = {DispatchBinary(), "--server", Url()};
    argv.insert(argv.end(), args.begin(), args.end());
    env.push_back("DISPATCH_TOKEN=" + tokens.at(who));
    return RunProcess(argv, env);
  }
  // Opens an escort case at SZ as chan_sz and answers its number.
  std::string OpenCase(const std::string& name_en = "CHAN Tai Man") {
    HttpReply r = Post("chan_sz", R"({"open_case": {"type": "escort_to_port", "centre": "SZ",)"
                                  R"( "person": {"name_en": ")" + name_en +
                                      R"j(", "hkid": "A123456(3)"}}})j");
    REQUIRE_MESSAGE(r.status == 200, r.body);
    const auto at = r.body.find("\"number\":\"");
    REQUIRE(at != std::string::npos);
    return r.body.substr(at + 10, r.body.find('"', at + 10) - at - 10);
  }

 private:
  std::string scheme_;
  std::string host_;  // as in a URL: [::1]
};

}  // namespace testing

#endif  // TESTS_SUPPORT_SERVED_H_
