#include "server/api.h"

#include "server/request_log.h"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "console/assets.h"
#include "dispatch/changes.h"
#include "dispatch/commands.h"
#include "dispatch/reads.h"
#include "model/command_codec.h"
#include "model/hkid.h"
#include "model/text_check.h"

namespace server {

namespace http = boost::beast::http;
using model::Result;
using model::Status;

namespace {

constexpr char kJson[] = "application/json";
// Journal rows a resumed stream replays at most.
constexpr int64_t kMostToReplay = 10000;
constexpr char kProtobuf[] = "application/x-protobuf";

http::status HttpStatus(model::Code code) {
  switch (code) {
    case model::Code::kOk: return http::status::ok;
    case model::Code::kInvalidArgument: return http::status::bad_request;
    case model::Code::kNotFound: return http::status::not_found;
    case model::Code::kPermissionDenied: return http::status::forbidden;
    case model::Code::kFailedPrecondition:
    case model::Code::kAlreadyExists: return http::status::conflict;
    case model::Code::kUnavailable: return http::status::service_unavailable;
    case model::Code::kInternal:
    case model::Code::kDataLoss: return http::status::internal_server_error;
  }
  return http::status::internal_server_error;
}

Response Plain(http::status status, const std::string& content_type, std::string body) {
  Response res{status, 11};
  res.set(http::field::content_type, content_type);
  res.set(http::field::cache_control, "no-store");
  res.body() = std::move(body);
  return res;
}

Response Json(const google::protobuf::Message& m, http::status status = http::status::ok);

Response Error(const Status& s, http::status status) {
  model::Error e;
  e.set_code(std::string(model::CodeName(s.code())));
  // What the engine said may repeat what was sent: masked, and valid text.
  e.set_message(model::ToValidUtf8(model::MaskHkidsIn(s.message())));
  e.set_message_zh_hant(model::ToValidUtf8(model::MaskHkidsIn(s.message_zh())));
  e.set_field(s.field());
  auto json = model::EncodeJson(e);
  return Plain(status, kJson, json.ok() ? *json : "{\"code\":\"INTERNAL\"}");
}

Response Error(const Status& s) { return Error(s, HttpStatus(s.code())); }

Response Json(const google::protobuf::Message& m, http::status status) {
  auto json = model::EncodeJson(m);
  if (!json.ok()) return Error(json.status());
  return Plain(status, kJson, *json);
}

// 401 with `why`'s messages, in both languages, as PERMISSION_DENIED.
Response Unauthenticated(const Status& why) {
  Response res = Error(Status(model::Code::kPermissionDenied, why.message(), why.message_zh()),
                       http::status::unauthorized);
  res.set(http::field::www_authenticate, "Bearer");
  return res;
}

// A request's path split into segments, and its query.
struct Target {
  std::vector<std::string> path;
  std::map<std::string, std::string> query;
};

Target ParseTarget(std::string_view target) {
  Target t;
  const auto q = target.find('?');
  std::string_view path = target.substr(0, q);
  for (size_t start = 0; start < path.size();) {
    const size_t end = path.find('/', start);
    const std::string_view part = path.substr(start, end == std::string_view::npos ? end : end - start);
    if (!part.empty()) t.path.push_back(dispatch::PercentDecoded(part));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  if (q != std::string_view::npos) {
    std::string_view query = target.substr(q + 1);
    for (size_t start = 0; start <= query.size();) {
      const size_t end = query.find('&', start);
      const std::string_view pair = query.substr(start, end == std::string_view::npos ? end : end - start);
      const auto eq = pair.find('=');
      if (!pair.empty()) {
        t.query[dispatch::PercentDecoded(pair.substr(0, eq))] =
            eq == std::string_view::npos ? "1" : dispatch::PercentDecoded(pair.substr(eq + 1));
      }
      if (end == std::string_view::npos) break;
      start = end + 1;
    }
  }
  return t;
}

// The value of cookie `name` in the request, or "".
std::string CookieOf(const Request& req, std::string_view name) {
  const auto header = req[http::field::cookie];
  std::string_view cookies(header.data(), header.size());
  while (!cookies.empty()) {
    const auto semi = cookies.find(';');
    std::string_view pair = cookies.substr(0, semi);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      return std::string(pair.substr(eq + 1));
    }
    if (semi == std::string_view::npos) break;
    cookies.remove_prefix(semi + 1);
  }
  return "";
}

struct Credentials {
  std::string secret;
  bool by_cookie = false;
};

Credentials CredentialsOf(const Request& req) {
  const auto auth = req[http::field::authorization];
  constexpr std::string_view kBearer = "Bearer ";
  if (auth.size() > kBearer.size() && std::string_view(auth.data(), kBearer.size()) == kBearer) {
    return {std::string(auth.substr(kBearer.size())), false};
  }
  const std::string cookie = CookieOf(req, kSessionCookie);
  return {cookie, !cookie.empty()};
}

}  // namespace

Api::Api(Readers& readers, Writer& writer, Streams& streams, Metrics& metrics,
         LoginThrottle& throttle, const model::Clock& clock, model::WorkflowCatalog& catalog,
         boost::asio::thread_pool& slow, boost::asio::any_io_executor io, Options options)
    : readers_(readers),
      streams_(streams),
      writer_(writer),
      metrics_(metrics),
      throttle_(throttle),
      clock_(clock),
      catalog_(catalog),
      slow_(slow),
      io_(std::move(io)),
      options_(options) {}

void Api::Handle(Request req, const Peer& peer, Respond respond, OpenStream open_stream) {
  const uint64_t id = next_request_++;
  const auto started = std::chrono::steady_clock::now();
  const std::string method(req.method_string());
  const Target target = ParseTarget(std::string_view(req.target().data(), req.target().size()));
  std::string path;
  for (const auto& p : target.path) path += "/" + model::MaskHkidsIn(p);
  // Who asked and what, for the log line said when the answer goes.
  auto who = std::make_shared<std::string>("-");
  auto what = std::make_shared<std::string>("-");
  Respond finish = [this, id, started, method, path, who, what, peer,
                    respond = std::move(respond)](Response res) {
    res.set("X-Request-Id", std::to_string(id));
    const auto took = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - started);
    LogRequest({id, method, path.empty() ? "/" : path, peer.address, *who, *what,
                static_cast<int>(res.result_int()), took.count() / 1000.0, ""});
    metrics_.RequestDone(static_cast<int>(res.result_int()));
    respond(std::move(res));
  };

  const auto& p = target.path;
  const bool get = req.method() == http::verb::get;
  const bool post = req.method() == http::verb::post;

  // Health and metrics: no one needs to sign in to ask.
  if (get && p.size() == 1 && p[0] == "healthz") {
    return finish(Plain(http::status::ok, "text/plain", "ok\n"));
  }
  if (get && p.size() == 1 && (p[0] == "readyz" || p[0] == "metrics")) {
    auto reader = readers_.ForThisThread();
    Result<dispatch::Backlog> backlog =
        reader.ok() ? (*reader)->store().Read().CountBacklog() : Result<dispatch::Backlog>(reader.status());
    if (p[0] == "readyz") {
      // Ready with a broken definition file: every other case type works.
      // Which file and why is for signed-in readers (workflow list).
      std::string ready = "ready\n";
      if (const size_t n = catalog_.Broken().size(); n > 0) {
        ready += std::to_string(n) + " definition file(s) not in use until fixed; "
                 "`dispatch workflow list` names them\n";
      }
      if (!catalog_.CategoriesProblem().empty()) {
        ready += "no categories: " + catalog_.CategoriesProblem() + "\n";
      }
      if (const std::string journal = metrics_.JournalProblem(); !journal.empty()) {
        ready += "journal " + journal + "\n";
      }
      return finish(backlog.ok() ? Plain(http::status::ok, "text/plain", ready)
                                 : Plain(http::status::service_unavailable, "text/plain",
                                         "not ready: " + backlog.status().message() + "\n"));
    }
    if (!backlog.ok()) return finish(Error(backlog.status()));
    return finish(Plain(http::status::ok, "text/plain; version=0.0.4", metrics_.Text(*backlog)));
  }

  // The console: its files come from the binary, and may load nothing from
  // another host.
  if (get && (p.empty() || p[0] == "console" || (p.size() == 1 && p[0] == "favicon.svg"))) {
    const std::string name = p.empty() ? "index.html" : p.size() == 2 ? p[1] : p[0];
    const console::Asset* asset = p.size() <= 2 ? console::FindAsset(name) : nullptr;
    if (asset == nullptr) {
      return finish(Error(Status::NotFound("no such page of the console", "控制台沒有此頁面")));
    }
    Response res = Plain(http::status::ok, std::string(asset->content_type), std::string(asset->body));
    res.set(http::field::cache_control, "no-cache");
    res.set("Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
            "frame-ancestors 'none'; form-action 'self'");
    res.set("X-Content-Type-Options", "nosniff");
    return finish(std::move(res));
  }

  if (p.empty() || p[0] != "v1") {
    return finish(Error(Status::NotFound("no such page; the API is under /v1", "找不到此頁面")));
  }

  // Signing in and out.
  if (post && p.size() == 2 && p[1] == "login") {
    // JSON only: a form on another site can post text/plain or form data
    // without asking, and would sign the browser in as someone else.
    if (std::string(req[http::field::content_type]).rfind(kJson, 0) != 0) {
      return finish(Error(Status::InvalidArgument(
          "sign in with Content-Type: application/json",
          "登入要求的格式不正確（須為 Content-Type: application/json）；請重新載入頁面再試")));
    }
    model::LoginRequest login;
    if (Status s = model::DecodeJson(req.body(), login); !s.ok()) return finish(Error(s));
    *who = login.user();
    const model::Instant now = clock_.Now();
    if (auto wait = throttle_.Wait(login.user(), peer.address, now)) {
      const std::string seconds = std::to_string(wait->count() / 1000 + 1);
      Response res =
          Error(Status::Unavailable("too many wrong passwords; try again in " + seconds + " s",
                                    "密碼錯誤次數太多；請於 " + seconds + " 秒後再試"),
                http::status::too_many_requests);
      res.set(http::field::retry_after, seconds);
      return finish(std::move(res));
    }
    // scrypt is slow on purpose: never on an I/O thread.
    boost::asio::post(slow_, [this, login, peer, finish]() mutable {
      auto reader = readers_.ForThisThread();
      if (!reader.ok()) return finish(Error(reader.status()));
      auto checked = (*reader)->CheckPassword(login.user(), login.password());
      if (!checked.ok()) {
        throttle_.Failed(login.user(), peer.address, clock_.Now());
        metrics_.LoginFailed();
        return finish(Unauthenticated(checked.status()));
      }
      throttle_.Succeeded(login.user());
      const bool must_change = *checked;
      writer_.Run([this, user = login.user(), must_change, finish](dispatch::Dispatcher& d) {
        auto key = d.StartSession(user, must_change);
        if (!key.ok()) return finish(Error(key.status()));
        auto actor = d.ResolveActor(user);
        if (!actor.ok()) return finish(Error(actor.status()));
        model::Me me;
        me.set_user(actor->user);
        me.set_centre(actor->centre);
        me.set_role(actor->role);
        me.set_must_change_password(must_change);
        *me.mutable_expires_at() = key->expires_at();
        Response res = Json(me);
        const std::string lasts = std::to_string(dispatch::SessionLasts().count() / 1000);
        const std::string secure = options_.secure_cookies ? "; Secure" : "";
        // No secret: tells the console's page that there is a session to
        // ask about, so that a signed-out page asks nothing and fails nothing.
        res.insert(http::field::set_cookie, std::string(kSignedInCookie) +
                                                "=1; Path=/; SameSite=Strict; Max-Age=" + lasts +
                                                secure);
        res.insert(http::field::set_cookie, std::string(kSessionCookie) + "=" + key->secret() +
                                                "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                                                lasts + secure);
        finish(std::move(res));
      });
    });
    return;
  }

  // Everything else needs someone signed in.
  const Credentials credentials = CredentialsOf(req);
  if (credentials.secret.empty()) {
    return finish(Unauthenticated(Status::PermissionDenied(
        "sign in (POST /v1/login) or send a token: Authorization: Bearer <token>", "請先登入")));
  }
  auto reader = readers_.ForThisThread();
  if (!reader.ok()) return finish(Error(reader.status()));
  dispatch::Dispatcher& d = **reader;
  auto actor = d.Authenticate(credentials.secret);
  if (!actor.ok()) return finish(Unauthenticated(actor.status()));
  *who = actor->user;
  // A page of another site cannot add a header to what it makes the browser send.
  if (credentials.by_cookie && !get && req[kCsrfHeader].empty()) {
    return finish(Error(Status::PermissionDenied(
        std::string("a signed-in browser sends ") + kCsrfHeader + " with every change",
        std::string("瀏覽器未有附上 ") + kCsrfHeader + "，更改未有進行；請重新載入頁面再試")));
  }

  if (post && p.size() == 2 && p[1] == "logout") {
    writer_.Run([secret = credentials.secret, finish](dispatch::Dispatcher& w) {
      const Status s = w.Logout(secret);
      if (!s.ok()) return finish(Error(s));
      Response res = Plain(http::status::ok, kJson, "{}");
      res.insert(http::field::set_cookie,
                 std::string(kSignedInCookie) + "=; Path=/; SameSite=Strict; Max-Age=0");
      res.insert(http::field::set_cookie, std::string(kSessionCookie) +
                                              "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
      finish(std::move(res));
    });
    return;
  }
  if (get && p.size() == 2 && p[1] == "me") {
    model::Me me;
    me.set_user(actor->user);
    me.set_centre(actor->centre);
    me.set_role(actor->role);
    me.set_must_change_password(actor->must_change_password);
    return finish(Json(me));
  }

  if (post && p.size() == 2 && p[1] == "commands") {
    const std::string content_type(req[http::field::content_type]);
    const bool binary = content_type.rfind(kProtobuf, 0) == 0;
    if (!binary && !content_type.empty() && content_type.rfind(kJson, 0) != 0) {
      return finish(Error(Status::InvalidArgument(
                              std::string("send a command as ") + kJson + " or " + kProtobuf,
                              std::string("指令須以 ") + kJson + " 或 " + kProtobuf + " 格式傳送"),
                          http::status::unsupported_media_type));
    }
    auto command = model::DecodeCommand(req.body(), binary ? model::Encoding::kBinary
                                                           : model::Encoding::kJson);
    if (!command.ok()) return finish(Error(command.status()));
    *what = std::string(dispatch::SpecOf(command->body_case()).name);
    // Called on the writer thread after COMMIT: encoding the answer (the
    // whole case as JSON) is left to an I/O thread, so the writer goes on.
    writer_.Submit(std::move(command).value(), *actor,
                   [this, binary, finish](Result<model::CommandReply> reply) {
                     boost::asio::post(io_, [binary, finish, reply = std::move(reply)] {
                       if (!reply.ok()) return finish(Error(reply.status()));
                       if (binary) {
                         return finish(
                             Plain(http::status::ok, kProtobuf, reply->SerializeAsString()));
                       }
                       finish(Json(*reply));
                     });
                   });
    return;
  }

  // Until a first password is changed, nothing else is shown.
  if (actor->must_change_password) {
    return finish(Error(Status::PermissionDenied(
        "change your password first: the one you signed in with was given to you by an admin",
        "請先更改密碼：你登入時所用的密碼是由系統管理員設定的")));
  }
  if (!get) {
    return finish(Error(Status::NotFound("no such request: " + method + " " + path,
                                         "沒有此要求：" + method + " " + path)));
  }

  if (p.size() == 2 && p[1] == "stream") {
    // Where to start: after the last event the client saw (a browser's
    // EventSource sends it when it reconnects), else from now.
    std::string last(req["Last-Event-ID"]);
    if (last.empty()) last = target.query.count("after") ? target.query.at("after") : "";
    if (!streams_.HasRoom(credentials.secret)) {
      return finish(Error(Status::Unavailable("too many event streams open; close one (a board "
                                              "in another tab) and try again",
                                              "開啟的即時更新連線太多；請關閉其中一個（例如另一個"
                                              "分頁中的工作板）再試"),
                          http::status::too_many_requests));
    }
    auto now = dispatch::Now(d);
    if (!now.ok()) return finish(Error(now.status()));
    std::optional<dispatch::StreamPosition> from = *now;
    if (!last.empty()) {
      from = dispatch::StreamPosition::FromId(last);
      if (!from || from->journal > now->journal || from->inbox > now->inbox) {
        return finish(Error(Status::InvalidArgument(
            "Last-Event-ID is not an event id this server gave; reconnect without it",
            "即時更新的接續位置（Last-Event-ID）無效；請重新載入頁面")));
      }
      // Far behind, a page is better reloaded than replayed change by change.
      if (now->journal - from->journal > kMostToReplay) {
        return finish(Error(Status::FailedPrecondition(
            "more has changed since that event than a stream replays; reload, then reconnect "
            "without Last-Event-ID",
            "自上次連線後的更改太多，未能逐一補回；請重新載入頁面")));
      }
    }
    LogRequest({id, method, path, peer.address, *who, "-", 200, 0, "stream from " + from->ToId()});
    metrics_.RequestDone(200);
    Response head{http::status::ok, 11};
    head.set(http::field::content_type, "text/event-stream; charset=utf-8");
    head.set(http::field::cache_control, "no-store");
    head.set("X-Accel-Buffering", "no");  // a proxy in front must not hold it back
    head.set("X-Request-Id", std::to_string(id));
    open_stream(std::move(head), [this, secret = credentials.secret,
                                  from = *from](std::shared_ptr<EventSink> sink) {
      streams_.Add(std::move(sink), secret, from);
    });
    return;
  }

  // Reads: the path after /v1/ and the query, as dispatch/reads.h says.
  auto answer = dispatch::Read(d, *actor, {{p.begin() + 1, p.end()}, target.query});
  return finish(answer.ok() ? Json(**answer) : Error(answer.status()));
}

}  // namespace server
