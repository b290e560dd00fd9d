// `dispatch serve`: the engine as a server the centres share. Wires the
// writer (group commit, live deadlines), the delivery worker, the readers
// and the HTTP API together, and runs until SIGTERM or SIGINT: then it stops
// taking connections, finishes and answers what is in flight, and returns.
#ifndef SERVER_SERVE_H_
#define SERVER_SERVE_H_

#include <ostream>
#include <string>

#include "model/status.h"
#include "model/time.h"
#include "model/workflow_catalog.h"
#include "server/http_server.h"

namespace server {

struct ServeOptions {
  std::string db;
  std::string host = "127.0.0.1";
  unsigned short port = 8080;  // 0: the system picks one (said on `out`)
  int io_threads = 2;
  Limits limits;
  model::Millis webhook_timeout = std::chrono::seconds(5);
  // HTTPS: PEM files of the certificate (chain) and its private key.
  std::string tls_cert;
  std::string tls_key;
  // https:// webhooks are checked against this PEM file's certificate
  // authorities instead of the system's.
  std::string webhook_ca;
};

// "127.0.0.1:8080" (or "[::1]:8080") into host and port.
model::Status ParseListen(const std::string& listen, ServeOptions& options);

// Serves until a signal says stop. Says where it listens on `out` once it
// does (a line a script can wait for).
model::Status Serve(const ServeOptions& options, model::WorkflowCatalog& catalog, std::ostream& out);

}  // namespace server

#endif  // SERVER_SERVE_H_
