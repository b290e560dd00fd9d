// The HTTP API of `dispatch serve`: what each route does, as a plain
// function of the request (HttpServer's Handler). Who is asking comes from a
// bearer token or a session cookie; what they may do, and what they may
// see, is the engine's to decide, exactly as for the CLI.
//
//   POST /v1/commands          a Command (JSON, or binary with Content-Type
//                              application/x-protobuf); answers its CommandReply
//                              in the same encoding, once durable
//   POST /v1/login, /v1/logout a browser's session (cookie)
//   GET  /v1/me                who is signed in
//   GET  /v1/cases[/N[/timeline]], /v1/tasks, /v1/handoffs, /v1/inbox,
//        /v1/outbox, /v1/duty, /v1/users, /v1/centres, /v1/keys,
//        /v1/workflows[/NAME], /v1/definitions/HASH
//                              reads, as the CLI's (dispatch/reads.h)
//   GET  /v1/stream            Server-Sent Events of what changes that the
//                              caller may see; resumable with Last-Event-ID
//   GET  /healthz, /readyz, /metrics
//
// Errors are JSON {code, message, field}, with the HTTP status for the code.
#ifndef SERVER_API_H_
#define SERVER_API_H_

#include <atomic>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/thread_pool.hpp>

#include "model/time.h"
#include "model/workflow_catalog.h"
#include "server/http_server.h"
#include "server/login_throttle.h"
#include "server/metrics.h"
#include "server/readers.h"
#include "server/streams.h"
#include "server/writer.h"

namespace server {

// The cookie a browser's session travels in; the header a browser must send
// with every change it asks for (a page of another site cannot set it).
inline constexpr char kSessionCookie[] = "dispatch_session";
inline constexpr char kCsrfHeader[] = "X-Dispatch-CSRF";
// Set beside the session cookie, readable by the page, holding no secret.
inline constexpr char kSignedInCookie[] = "dispatch_signed_in";

class Api {
 public:
  struct Options {
    bool secure_cookies = false;  // behind TLS: cookies only over HTTPS
  };

  // REQUIRES: everything given outlives it. Password checks (slow on
  // purpose) run on `slow`, never on an I/O thread. Answers to commands are
  // encoded on `io` (the I/O threads), not on the one writer thread.
  Api(Readers& readers, Writer& writer, Streams& streams, Metrics& metrics,
      LoginThrottle& throttle, const model::Clock& clock, model::WorkflowCatalog& catalog,
      boost::asio::thread_pool& slow, boost::asio::any_io_executor io, Options options);

  void Handle(Request request, const Peer& peer, Respond respond, OpenStream open_stream);

 private:
  Readers& readers_;
  Streams& streams_;
  Writer& writer_;
  Metrics& metrics_;
  LoginThrottle& throttle_;
  const model::Clock& clock_;
  model::WorkflowCatalog& catalog_;
  boost::asio::thread_pool& slow_;
  boost::asio::any_io_executor io_;
  Options options_;
  std::atomic<uint64_t> next_request_{1};
};

}  // namespace server

#endif  // SERVER_API_H_
