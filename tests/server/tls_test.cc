// HTTPS, with certificates the tests make: the server (--tls-cert and
// --tls-key) and the command line trusting it (--server-ca), and webhooks to
// https:// receivers checked against the CAs given (--webhook-ca).
#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include <atomic>
#include <thread>

#include "notify/http_client.h"
#include "notify/webhook_channel.h"
#include "server/http_server.h"
#include "support/served.h"
#include "support/temp_dir.h"
#include "support/test_cert.h"

TEST_CASE("HTTPS: the server with a certificate, and the command line trusting it") {
  testing::TempDir dir;
  const auto cert = testing::MakeTestCert(dir.Path(""));
  testing::Served s(DISPATCH_WORKFLOW_DIR, {"--tls-cert", cert.cert, "--tls-key", cert.key},
                    "https");
  REQUIRE(s.Url().rfind("https://", 0) == 0);

  // Trusting the certificate, the command line works as over HTTP.
  auto listed = s.Remote("chan_sz", {"--server-ca", cert.cert, "workflow", "list"});
  CHECK(listed.exit_code == 0);
  CHECK(listed.out.find("escort_to_port") != std::string::npos);
  auto opened = s.Remote("chan_sz", {"case", "open", "--type", "escort_to_port", "--name-en", "X"},
                         {"DISPATCH_SERVER_CA=" + cert.cert});
  CHECK(opened.exit_code == 0);
  CHECK(opened.out.rfind("SZ-", 0) == 0);

  // Not trusting it (the system's CAs do not know it), nothing is sent.
  auto untrusted = s.Remote("chan_sz", {"case", "list"});
  CHECK(untrusted.exit_code == 7);
  CHECK(untrusted.err.find("certificate verify failed") != std::string::npos);

  // A browser's session cookie is for HTTPS only.
  notify::HttpRequest login;
  login.url = s.Url() + "/v1/login";
  login.body = R"({"user": "nobody", "password": "x"})";
  login.ca_file = cert.cert;
  auto refused = notify::Fetch(login);
  REQUIRE(refused.ok());
  CHECK(refused->status == 401);

  // Plain HTTP to it gets no answer.
  notify::HttpRequest plain;
  plain.method = "GET";
  plain.url = "http://127.0.0.1:" + std::to_string(s.port()) + "/healthz";
  plain.timeout = std::chrono::seconds(2);
  auto p = notify::Fetch(plain);
  CHECK((!p.ok() || p->status != 200));
}

TEST_CASE("HTTPS: a certificate and key that do not go together are refused at start") {
  testing::TempDir dir;
  const auto one = testing::MakeTestCert(dir.Path(""), "one");
  const auto two = testing::MakeTestCert(dir.Path(""), "two");
  testing::Cli cli;
  cli.Must({"init"});
  auto r = cli.Run({"serve", "--listen", "127.0.0.1:0", "--tls-cert", one.cert, "--tls-key",
                    two.key});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "error: the key in " + two.key + " is not the certificate's in " + one.cert + "\n");
  auto half = cli.Run({"serve", "--listen", "127.0.0.1:0", "--tls-cert", one.cert});
  CHECK(half.exit_code == 2);
  CHECK(half.err == "error: HTTPS needs both --tls-cert and --tls-key\n");
  auto missing = cli.Run({"serve", "--listen", "127.0.0.1:0", "--tls-cert", dir.Path("none.crt"),
                          "--tls-key", one.key});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("error: cannot use the certificate in " + dir.Path("none.crt")) == 0);
}

TEST_CASE("webhooks to https:// receivers: delivered when the CA is trusted, retried when not") {
  testing::TempDir dir;
  const auto cert = testing::MakeTestCert(dir.Path(""));
  // A chat group's receiver over HTTPS, on the server's own HTTP layer.
  boost::asio::ssl::context tls(boost::asio::ssl::context::tls_server);
  tls.use_certificate_chain_file(cert.cert);
  tls.use_private_key_file(cert.key, boost::asio::ssl::context::pem);
  boost::asio::io_context ioc;
  std::atomic<int> received{0};
  std::string key_seen;
  server::HttpServer receiver(
      ioc, {},
      [&](server::Request req, const server::Peer&, server::Respond respond, server::OpenStream) {
        key_seen = std::string(req["Idempotency-Key"]);
        ++received;
        server::Response res{boost::beast::http::status::ok, 11};
        respond(std::move(res));
      },
      &tls);
  REQUIRE(receiver.Listen("127.0.0.1", 0).ok());
  std::thread io([&] { ioc.run(); });
  const std::string url = "https://127.0.0.1:" + std::to_string(receiver.port()) + "/bot";

  model::Notification n;
  n.set_channel("webhook");
  n.set_address("centre:SZ");
  n.set_body("{}");
  n.set_idempotency_key("n-1");
  auto lookup = [&](std::string_view) -> model::Result<std::string> { return url; };
  notify::WebhookChannel trusting(lookup, std::chrono::seconds(5), cert.cert);
  CHECK(trusting.Send(n).ok());
  CHECK(received == 1);
  CHECK(key_seen == "n-1");

  notify::WebhookChannel system_cas(lookup, std::chrono::seconds(5));
  const auto refused = system_cas.Send(n);
  CHECK(refused.code() == model::Code::kUnavailable);  // retried later, not dropped
  CHECK(refused.message().find("certificate verify failed") != std::string::npos);
  CHECK(received == 1);

  receiver.StopAccepting();
  ioc.stop();
  io.join();
}
