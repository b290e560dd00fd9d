#include "server/serve.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <stop_token>
#include <thread>
#include <vector>

#include "dispatch/audit.h"
#include "dispatch/sqlite_store.h"
#include "server/api.h"
#include "server/delivery_worker.h"
#include "server/readers.h"
#include "server/server_lock.h"
#include "server/streams.h"
#include "server/system_clock.h"
#include "server/writer.h"

namespace server {

namespace net = boost::asio;
using model::Status;

namespace {
// How long answers already made may take to be written after a stop.
constexpr auto kDrain = std::chrono::seconds(5);
}  // namespace

Status ParseListen(const std::string& listen, ServeOptions& options) {
  const auto colon = listen.rfind(':');
  const std::string port = colon == std::string::npos ? "" : listen.substr(colon + 1);
  if (colon == std::string::npos || port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) > 65535) {
    return Status::InvalidArgument("--listen takes HOST:PORT, e.g. 127.0.0.1:8080; got '" +
                                   listen + "'");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  options.host = host;
  options.port = static_cast<unsigned short>(std::stoi(port));
  return Status::Ok();
}

namespace {

// The TLS side of HTTPS: the certificate and key, and nothing older than TLS 1.2.
model::Result<std::unique_ptr<net::ssl::context>> TlsContext(const ServeOptions& o) {
  if (o.tls_cert.empty() != o.tls_key.empty()) {
    return Status::InvalidArgument("HTTPS needs both --tls-cert and --tls-key");
  }
  if (o.tls_cert.empty()) return std::unique_ptr<net::ssl::context>();
  auto ctx = std::make_unique<net::ssl::context>(net::ssl::context::tls_server);
  ctx->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                   net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                   net::ssl::context::no_tlsv1_1 | net::ssl::context::single_dh_use);
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(o.tls_cert, ec);
  if (ec) {
    return Status::InvalidArgument("cannot use the certificate in " + o.tls_cert + ": " +
                                   ec.message() + " (--tls-cert takes a PEM file)");
  }
  ctx->use_private_key_file(o.tls_key, net::ssl::context::pem, ec);
  if ((ec && ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH) ||
      (!ec && SSL_CTX_check_private_key(ctx->native_handle()) != 1)) {
    return Status::InvalidArgument("the key in " + o.tls_key + " is not the certificate's in " +
                                   o.tls_cert);
  }
  if (ec) {
    return Status::InvalidArgument("cannot use the private key in " + o.tls_key + ": " +
                                   ec.message() + " (--tls-key takes a PEM file)");
  }
  return ctx;
}

// Checks the journal's hash chain (dispatch/audit.h) on a connection of its
// own, and reports what it found in the log, /readyz and the metrics. Never
// fatal: the centres keep working while someone looks into a fault.
// A stop asked for (the server stopping) ends it between pages of rows.
void CheckJournal(const std::string& db, const model::Clock& clock, Metrics& metrics,
                  std::stop_token stop) {
  const auto started = std::chrono::steady_clock::now();
  auto store = dispatch::SqliteStore::Open(db, dispatch::SqliteStore::Mode::kOpenExisting);
  model::Result<model::JournalAudit> audit =
      store.ok() ? dispatch::VerifyJournal((*store)->Read(), clock.Now(), {}, stop)
                 : model::Result<model::JournalAudit>(store.status());
  if (!audit.ok()) {
    if (stop.stop_requested()) return;
    spdlog::error("the journal could not be checked: {}", audit.status().message());
    metrics.JournalNotChecked(audit.status().message());
    return;
  }
  metrics.JournalChecked(*audit);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  if (audit->intact()) {
    spdlog::info("journal checked in {} ms: {} row(s) intact; head {}", took.count(),
                 audit->events(), std::to_string(audit->head_row()) + ":" + audit->head_link());
  } else {
    spdlog::error("the journal is NOT as dispatch wrote it: {}; `dispatch audit verify` says "
                  "the same; keep this file and restore a backup taken before it",
                  audit->fault().what().en());
  }
}

}  // namespace

Status Serve(const ServeOptions& o, model::WorkflowCatalog& catalog, std::ostream& out) {
  ASSIGN_OR_RETURN(auto tls, TlsContext(o));
  ASSIGN_OR_RETURN(ServerLock lock, ServerLock::Take(o.db));
  for (const auto& b : catalog.Broken()) {
    spdlog::error("workflow definition {} is not in use until it is fixed: {}", b.path(),
                  b.problem());
  }
  if (!catalog.CategoriesProblem().empty()) {
    spdlog::error("no categories: work is not counted by category until this is fixed: {}",
                  catalog.CategoriesProblem());
  }
  SystemClock clock;
  ASSIGN_OR_RETURN(auto writer_store,
                   dispatch::SqliteStore::Open(o.db, dispatch::SqliteStore::Mode::kOpenExisting));
  ASSIGN_OR_RETURN(auto delivery_store,
                   dispatch::SqliteStore::Open(o.db, dispatch::SqliteStore::Mode::kOpenExisting));
  Metrics metrics;
  LoginThrottle throttle;
  Readers readers(o.db, catalog, clock);
  Streams streams(readers);
  DeliveryWorker delivery(std::move(delivery_store), clock, o.webhook_timeout, o.webhook_ca,
                          [&streams] { streams.Wake(); });
  Writer writer(*writer_store, catalog, clock, metrics, [&delivery, &streams] {
    delivery.Wake();
    streams.Wake();
  });
  // Deadlines that fell due while the server was down fire before it serves.
  RETURN_IF_ERROR(writer.Start());
  delivery.Start();
  streams.Start();
  net::thread_pool slow(1);
  net::io_context ioc(o.io_threads);
  Api api(readers, writer, streams, metrics, throttle, clock, catalog, slow, ioc.get_executor(),
          {.secure_cookies = tls != nullptr});
  HttpServer http(ioc, o.limits,
                  [&api](Request req, const Peer& peer, Respond respond, OpenStream open) {
                    api.Handle(std::move(req), peer, std::move(respond), std::move(open));
                  },
                  tls.get());
  RETURN_IF_ERROR(http.Listen(o.host, o.port));
  out << "dispatch serve: listening on " << (tls ? "https" : "http") << "://"
      << (o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host) << ":"
      << http.port() << " (database " << o.db << ")" << std::endl;
  spdlog::info("serving {} on {}:{}{}", o.db, o.host, http.port(), tls ? " (HTTPS)" : "");
  // Asked to stop and joined by its destructor on every way out of here.
  std::jthread journal_check([&o, &clock, &metrics](std::stop_token stop) {
    CheckJournal(o.db, clock, metrics, stop);
  });

  std::thread stopper;
  net::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("stopping (signal {}): finishing what is in flight", signal);
    http.StopAccepting();
    streams.Stop();
    stopper = std::thread([&] {
      // Everything queued commits and is answered; the answers go out on the
      // I/O threads, which run until they are written or the drain ends.
      writer.Stop();
      slow.join();
      const auto until = std::chrono::steady_clock::now() + kDrain;
      while (http.open_connections() > 0 && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      ioc.stop();
    });
  });

  // The I/O threads run until the drain ends (ioc.stop()), even when, after
  // SIGTERM, nothing is left for them but answers the writer has yet to post.
  auto keep_running = net::make_work_guard(ioc);
  std::vector<std::thread> threads;
  for (int i = 1; i < o.io_threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : threads) t.join();
  if (stopper.joinable()) stopper.join();
  journal_check.request_stop();
  journal_check.join();
  writer.Stop();
  delivery.Stop();
  spdlog::info("stopped");
  return Status::Ok();
}

}  // namespace server
