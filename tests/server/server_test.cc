// `dispatch serve` as a real process on 127.0.0.1, driven by a real HTTP
// client: commands and reads, who may see what, bad requests, sessions,
// slow clients, live deadlines, and stopping.
#include <doctest/doctest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include <atomic>
#include <filesystem>
#include <sstream>
#include <thread>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include "dispatch/commands.h"
#include "dispatch/sqlite_db.h"
#include "model/proto/command.pb.h"
#include "model/text_proto.h"
#include "support/cli.h"
#include "support/http_client.h"
#include "support/served.h"
#include "support/server_process.h"

namespace {

using testing::Served;
using testing::Bearer;
using testing::Headers;
using testing::Http;
using testing::HttpReply;

}  // namespace

TEST_CASE("commands and reads over HTTP, as JSON and as binary protobuf alike") {
  Served s;
  CHECK(Http(s.port(), "GET", "/healthz").body == "ok\n");
  CHECK(Http(s.port(), "GET", "/readyz").status == 200);
  const std::string number = s.OpenCase();
  CHECK(number == "SZ-2026-0001");

  // The same command message in binary, answered in binary.
  model::Command note;
  note.mutable_add_note()->set_case_number(number);
  note.mutable_add_note()->set_text("daughter will call back at 18:00");
  Headers binary = Bearer(s.tokens.at("chan_sz"));
  binary.push_back({"Content-Type", "application/x-protobuf"});
  HttpReply r = Http(s.port(), "POST", "/v1/commands", note.SerializeAsString(), binary);
  REQUIRE(r.status == 200);
  CHECK(r.Header("content-type") == "application/x-protobuf");
  model::CommandReply reply;
  REQUIRE(reply.ParseFromString(r.body));
  CHECK(reply.case_state().number() == number);
  CHECK(reply.event(0).note_added().text() == "daughter will call back at 18:00");

  r = s.Get("chan_sz", "/v1/cases/" + number + "/timeline");
  CHECK(r.status == 200);
  CHECK(r.body.find("daughter will call back") != std::string::npos);
  r = s.Get("chan_sz", "/v1/tasks?mine=0");
  CHECK(r.body.find(number) != std::string::npos);
  r = s.Get("chan_sz", "/v1/me");
  CHECK(r.body == R"({"user":"chan_sz","centre":"SZ","role":"duty_officer"})");
  // A retry with the same key is answered from the first time.
  const std::string keyed =
      R"({"idempotency_key": "call-7", "add_note": {"case_number": ")" + number +
      R"(", "text": "second call"}})";
  CHECK(s.Post("chan_sz", keyed).body.find("\"replayed\":true") == std::string::npos);
  CHECK(s.Post("chan_sz", keyed).body.find("\"replayed\":true") != std::string::npos);
  // Cases page, newest first.
  s.OpenCase();
  r = s.Get("chan_sz", "/v1/cases?limit=1");
  CHECK(r.body.find("SZ-2026-0002") != std::string::npos);
  CHECK(r.body.find("\"next_after\":\"SZ-2026-0002\"") != std::string::npos);
  r = s.Get("chan_sz", "/v1/cases?limit=1&after=SZ-2026-0002");
  CHECK(r.body.find("SZ-2026-0001") != std::string::npos);
  CHECK(r.body.find("next_after") == std::string::npos);
}

TEST_CASE("a broken definition file is reported by readiness and stops no other case type") {
  testing::TempDir dir;
  // As installed: the case types in a folder, the categories beside it.
  std::filesystem::create_directory(dir.Path("workflows"));
  for (const auto& f : std::filesystem::directory_iterator(DISPATCH_WORKFLOW_DIR)) {
    std::filesystem::copy_file(f.path(), dir.Path("workflows/" + f.path().filename().string()));
  }
  std::filesystem::copy_file(DISPATCH_SOURCE_DIR "/model/categories.textproto",
                             dir.Path("categories.textproto"));
  dir.Write("workflows/stranded_resident.textproto",
            "name: \"stranded_resident\"\nversion: 1\nstate {\n");
  Served s(dir.Path("workflows"));
  const HttpReply ready = Http(s.port(), "GET", "/readyz");
  CHECK(ready.status == 200);
  // Which file and why is for those signed in; the probe says how many.
  CHECK(ready.body == "ready\n1 definition file(s) not in use until fixed; `dispatch workflow list` "
                      "names them\n");
  CHECK(s.server->Log().find("stranded_resident.textproto is not in use until it is fixed") !=
        std::string::npos);
  CHECK(s.OpenCase() == "SZ-2026-0001");
  const HttpReply refused = s.Post(
      "chan_sz", R"({"open_case": {"type": "stranded_resident", "person": {"name_en": "LEE"}}})");
  CHECK(refused.status == 409);
  CHECK(refused.body.find("is not in use until its definition is fixed") != std::string::npos);
  const HttpReply listed = s.Get("chan_sz", "/v1/workflows");
  CHECK(listed.body.find("\"broken\":[{\"path\":\"" + dir.Path("workflows/stranded_resident.textproto")) !=
        std::string::npos);
}

TEST_CASE("the case model's commands and reads over HTTP: people, callers, contacts, related and waiting cases") {
  Served s;
  const std::string number = s.OpenCase();
  HttpReply r = s.Post("chan_sz", R"({"add_person": {"case_number": ")" + number +
                                      R"(", "person": {"name_zh": "李志明", "hkid": "B1234566"},)"
                                      R"( "relationship": "husband"}})");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(r.body.find("\"hkid\":\"B123456(6)\"") != std::string::npos);  // kept normalised
  r = s.Post("chan_sz", R"({"correct_person": {"case_number": ")" + number +
                            R"(", "id": 2, "person": {"phone": "+852 5550 0101"}, "reason": "new number"}})");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  r = s.Post("chan_sz", R"({"set_caller": {"case_number": ")" + number +
                            R"(", "caller": {"name": "Mr Lau", "relationship": "landlord"}}})");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  r = s.Post("chan_sz", R"({"record_contact": {"case_number": ")" + number +
                            R"(", "party": "Zhangmutou Hospital", "channel": "電話", "said": "fit to travel"}})");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(r.body.find("\"channel\":\"phone\"") != std::string::npos);
  r = s.Post("chan_sz", R"({"record_contact": {"case_number": ")" + number +
                            R"(", "party": "Zhangmutou Hospital", "channel": "fax", "said": "x"}})");
  CHECK(r.status == 400);
  CHECK(r.body.find("record_contact.channel") != std::string::npos);

  // A case opened as related to this one is found from it.
  r = s.Post("chan_sz", R"({"open_case": {"type": "escort_to_port", "centre": "SZ", "person":)"
                        R"( {"name_zh": "陳太"}, "related_case": ")" + number + R"("}})");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  r = s.Get("chan_sz", "/v1/cases?related=" + number);
  REQUIRE(r.status == 200);
  CHECK(r.body.find("\"related_case\":\"" + number + "\"") != std::string::npos);
  CHECK(s.Get("lam_dg", "/v1/cases?related=" + number).body.find(number) == std::string::npos);
  r = s.Get("chan_sz", "/v1/cases?waiting=1");
  CHECK(r.status == 200);
  CHECK(s.Get("chan_sz", "/v1/cases?waiting=1&after=" + number).status == 400);
}

TEST_CASE("signing in takes JSON only, so that another site's form cannot sign a browser in") {
  Served s;
  s.Post("admin", R"({"set_password": {"user": "lee_sz", "password": "harbour-lantern-42"}})");
  const std::string body = R"({"user": "lee_sz", "password": "harbour-lantern-42"})";
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded"}) {
    CAPTURE(type);
    HttpReply r = Http(s.port(), "POST", "/v1/login", body, {{"Content-Type", type}});
    CHECK(r.status == 400);
    CHECK(r.Header("set-cookie").empty());
  }
  CHECK(Http(s.port(), "POST", "/v1/login", body).status == 200);
}

TEST_CASE("without a valid token nothing is answered but 401") {
  Served s;
  for (const Headers& h : {Headers{}, Bearer("dsp_made_up"), Headers{{"Authorization", "Basic x"}},
                           Headers{{"Cookie", "dispatch_session=dsp_made_up"}}}) {
    HttpReply r = Http(s.port(), "GET", "/v1/cases", "", h);
    CHECK(r.status == 401);
    CHECK(r.Header("www-authenticate") == "Bearer");
    CHECK(r.body.rfind("{\"code\":\"PERMISSION_DENIED\"", 0) == 0);
  }
  HttpReply r = Http(s.port(), "POST", "/v1/commands", R"({"add_note": {}})");
  CHECK(r.status == 401);
}

TEST_CASE("a bad request gets 400 with what is wrong, and changes nothing") {
  Served s;
  const std::string number = s.OpenCase();
  // Let the server settle what the open caused (its deliveries).
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const std::string db = testing::FileBytes(s.cli.db());
  const std::string wal = testing::FileBytes(s.cli.db() + "-wal");
  model::Command open;
  open.mutable_open_case()->set_type("escort_to_port");
  const std::string truncated = open.SerializeAsString().substr(0, 4);
  struct Bad {
    std::string body;
    std::string content_type;
    int status;
    std::string says;
  };
  const Bad bad[] = {
      {"{\"add_note\": ", "application/json", 400, "not a valid JSON Command"},
      {R"({"add_note": {"case_number": ")" + number + R"(", "txet": "x"}})", "application/json",
       400, "not a valid JSON Command"},
      {R"({"add_note": {"case_number": 7}})", "application/json", 400, "not a valid JSON Command"},
      {"{\"add_note\": {\"case_number\": \"" + number + "\", \"text\": \"x\xff\"}}",
       "application/json", 400, ""},
      {truncated, "application/x-protobuf", 400, "not a valid binary Command"},
      {R"({"add_note": {"case_number": ")" + number + "\"}}", "text/plain", 415, "send a command"},
      {std::string(2 << 20, ' '), "application/json", 413, "larger than this server takes"},
      {R"({"add_note": {"case_number": ")" + number + R"(", "text": "   "}})", "application/json",
       400, "the note is empty"},
  };
  for (const Bad& b : bad) {
    Headers h = Bearer(s.tokens.at("chan_sz"));
    h.push_back({"Content-Type", b.content_type});
    HttpReply r = Http(s.port(), "POST", "/v1/commands", b.body, h);
    CAPTURE(b.says);
    CHECK(r.status == b.status);
    CHECK(r.body.find(b.says) != std::string::npos);
  }
  CHECK(testing::FileBytes(s.cli.db()) == db);
  CHECK(testing::FileBytes(s.cli.db() + "-wal") == wal);
}

TEST_CASE("an officer of another centre gets 404 or 403 from every route, and no byte of the case") {
  Served s;
  const std::string number = s.OpenCase("ZZSECRET Person");
  // Every read, as Dongguan's officer and coordinator.
  for (const char* who : {"lam_dg", "choi_dg"}) {
    for (const std::string& target :
         {"/v1/cases/" + number, "/v1/cases/" + number + "/timeline", std::string("/v1/cases"),
          std::string("/v1/cases?status=all"), std::string("/v1/tasks?all=1"),
          "/v1/tasks?case=" + number, std::string("/v1/handoffs?all=1"), std::string("/v1/inbox"),
          std::string("/v1/outbox"), std::string("/v1/duty"), std::string("/v1/centres")}) {
      HttpReply r = s.Get(who, target);
      CAPTURE(target);
      CHECK((r.status == 200 || r.status == 403 || r.status == 404));
      CHECK(r.body.find("ZZSECRET") == std::string::npos);
      CHECK(r.body.find("A123") == std::string::npos);
      if (target.rfind("/v1/cases/", 0) == 0) {
        CHECK(r.status == 404);
        CHECK(r.body == R"({"code":"NOT_FOUND","message":"no case )" + number +
                            R"(","message_zh_hant":"找不到個案 )" + number + "\"}");
      }
    }
  }
  // Every command on the case: each kind of case command, named at it.
  for (const dispatch::CommandSpec& spec : dispatch::AllCommands()) {
    if (spec.scope != dispatch::CommandScope::kCase) continue;
    model::Command c;
    auto* body = c.GetReflection()->MutableMessage(
        &c, model::Command::descriptor()->FindFieldByNumber(spec.kind));
    body->GetReflection()->SetString(body, body->GetDescriptor()->FindFieldByName("case_number"),
                                     number);
    std::string json;
    REQUIRE(google::protobuf::util::MessageToJsonString(c, &json).ok());
    HttpReply r = s.Post("lam_dg", json);
    CAPTURE(spec.name);
    CHECK((r.status == 404 || r.status == 403));
    CHECK(r.body.find("ZZSECRET") == std::string::npos);
  }
}

TEST_CASE("a first password must be changed, and a browser's changes need the CSRF header") {
  Served s;
  HttpReply r = s.Post("admin", R"({"set_password": {"user": "lee_sz", "password": "harbour-lantern-42"}})");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  r = Http(s.port(), "POST", "/v1/login", R"({"user": "lee_sz", "password": "harbour-lantern-42"})");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(r.body.find("\"must_change_password\":true") != std::string::npos);
  const std::string cookie_line = r.Header("set-cookie");
  CHECK(cookie_line.find("HttpOnly") != std::string::npos);
  CHECK(cookie_line.find("SameSite=Strict") != std::string::npos);
  const std::string cookie = cookie_line.substr(0, cookie_line.find(';'));
  const Headers browser = {{"Cookie", cookie}};
  CHECK(Http(s.port(), "GET", "/v1/me", "", browser).status == 200);
  r = Http(s.port(), "GET", "/v1/cases", "", browser);
  CHECK(r.status == 403);
  CHECK(r.body.find("change your password first") != std::string::npos);
  const std::string change =
      R"({"set_password": {"password": "typhoon-signal-8-now", "current_password": "harbour-lantern-42"}})";
  r = Http(s.port(), "POST", "/v1/commands", change, browser);
  CHECK(r.status == 403);
  CHECK(r.body.find("X-Dispatch-CSRF") != std::string::npos);
  Headers with_csrf = browser;
  with_csrf.push_back({"X-Dispatch-CSRF", "1"});
  r = Http(s.port(), "POST", "/v1/commands", change, with_csrf);
  CHECK_MESSAGE(r.status == 200, r.body);
  CHECK(Http(s.port(), "GET", "/v1/cases", "", browser).status == 200);
  // Signing out ends the session.
  r = Http(s.port(), "POST", "/v1/logout", "", with_csrf);
  CHECK(r.status == 200);
  CHECK(r.Header("set-cookie").find("Max-Age=0") != std::string::npos);
  CHECK(Http(s.port(), "GET", "/v1/me", "", browser).status == 401);
}

TEST_CASE("guessing passwords is slowed down, per user and per address") {
  Served s;
  s.Post("admin", R"({"set_password": {"user": "lee_sz", "password": "harbour-lantern-42"}})");
  for (int i = 0; i < 5; ++i) {
    HttpReply r = Http(s.port(), "POST", "/v1/login", R"({"user": "lee_sz", "password": "guess"})");
    CHECK(r.status == 401);
    CHECK(r.body.find("the user name or password is not right") != std::string::npos);
  }
  HttpReply r = Http(s.port(), "POST", "/v1/login",
                     R"({"user": "lee_sz", "password": "harbour-lantern-42"})");
  CHECK(r.status == 429);
  CHECK_FALSE(r.Header("retry-after").empty());
  // Another user from the same address is slowed too.
  r = Http(s.port(), "POST", "/v1/login", R"({"user": "chan_sz", "password": "guess"})");
  CHECK(r.status == 429);
}

TEST_CASE("a client that sends a byte at a time, or never reads, holds up nobody else") {
  Served s;
  namespace net = boost::asio;
  net::io_context ioc;
  net::ip::tcp::socket slow(ioc), greedy(ioc);
  const net::ip::tcp::endpoint at(net::ip::make_address("127.0.0.1"), s.port());
  slow.connect(at);
  greedy.connect(at);
  // The greedy one asks for much and reads nothing.
  std::string many;
  for (int i = 0; i < 200; ++i) {
    many += "GET /v1/workflows HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
            s.tokens.at("chan_sz") + "\r\n\r\n";
  }
  net::write(greedy, net::buffer(many));
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  std::atomic<bool> done{false};
  std::thread dribble([&] {
    for (size_t i = 0; i < 20 && !done; ++i) {
      boost::system::error_code ec;
      net::write(slow, net::buffer(request.data() + i, 1), ec);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  int answered = 0;
  for (int i = 0; i < 20; ++i) answered += s.Get("chan_sz", "/v1/me").status == 200;
  done = true;
  dribble.join();
  CHECK(answered == 20);
}

TEST_CASE("deadlines fire with nobody typing, and those due while the server was down fire at start") {
  // The escort's planning stage may last two seconds here.
  testing::TempDir workflows;
  testing::WriteQuickEscort(workflows);
  Served s(workflows.Path(""));
  const std::string number = s.OpenCase();
  auto missed = [&](const std::string& n) {
    return s.Get("chan_sz", "/v1/cases/" + n + "/timeline").body.find("deadline_breached") !=
           std::string::npos;
  };
  CHECK_FALSE(missed(number));
  bool fired = false;
  for (int i = 0; i < 60 && !fired; ++i) {  // 6 s at most
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    fired = missed(number);
  }
  CHECK(fired);

  // Down while another falls due; up again, it fires at once.
  const std::string second = s.OpenCase();
  CHECK(s.server->Stop() == 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  s.server = std::make_unique<testing::ServerProcess>(s.cli.db(), workflows.Path(""));
  REQUIRE(s.server->running());
  CHECK(missed(second));
}

TEST_CASE("while a server holds the database, an embedded write is refused") {
  Served s;
  testing::ProcessResult r = s.cli.Run({"case", "open", "--type", "escort_to_port", "--name-zh", "陳"},
                                       "chan_sz");
  CHECK(r.exit_code == 5);
  CHECK(r.err.find("a dispatch server is running on") != std::string::npos);
  CHECK(r.err.find("send commands to the server") != std::string::npos);
  CHECK(s.cli.Run({"case", "list"}, "chan_sz").exit_code == 0);  // reading is fine
}

TEST_CASE("SIGTERM: what was acknowledged is kept, and the server exits 0") {
  Served s;
  std::vector<std::thread> clients;
  std::atomic<int> acknowledged{0};
  std::vector<std::string> numbers(40);
  for (int i = 0; i < 4; ++i) {
    clients.emplace_back([&, i] {
      for (int j = 0; j < 10; ++j) {
        HttpReply r = s.Post("chan_sz", R"({"open_case": {"type": "escort_to_port", "centre": "SZ",)"
                                        R"( "person": {"name_en": "CHAN Tai Man"}}})");
        if (r.status != 200) return;
        const auto at = r.body.find("\"number\":\"");
        numbers[i * 10 + j] = r.body.substr(at + 10, 12);
        ++acknowledged;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(s.server->Stop() == 0);
  for (auto& t : clients) t.join();
  s.server.reset();
  const std::string list = s.cli.Must({"case", "list", "--status", "all"}, "chan_sz").out;
  for (const std::string& n : numbers) {
    if (!n.empty()) CHECK_MESSAGE(list.find(n) != std::string::npos, n);
  }
  CHECK(acknowledged > 0);
}

TEST_CASE("--log-format json: one JSON object a line, a line per request, no identity number") {
  Served s(DISPATCH_WORKFLOW_DIR, {"--log-format", "json"});
  const std::string number = s.OpenCase();
  s.Get("chan_sz", "/v1/cases/" + number);
  s.Get("chan_sz", "/v1/cases/A123456(3)");  // an identity number typed as a case number
  CHECK(s.server->Stop() == 0);
  const std::string log = s.server->Log();
  CHECK(log.find("A123456") == std::string::npos);
  int requests = 0;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    CAPTURE(line);
    google::protobuf::Struct object;
    REQUIRE(google::protobuf::util::JsonStringToMessage(line, &object).ok());
    const auto& f = object.fields();
    CHECK(f.count("time") == 1);
    CHECK(f.count("level") == 1);
    if (f.count("request") == 0) {
      CHECK(f.count("msg") == 1);
      continue;
    }
    ++requests;
    CHECK(f.at("user").string_value() == "chan_sz");
    CHECK(f.at("status").number_value() >= 200);
    CHECK(f.count("ms") == 1);
    if (f.at("method").string_value() == "POST") {
      CHECK(f.at("command").string_value() == "open_case");
    }
  }
  CHECK(requests == 3);
  // A format nobody reads is refused before anything starts.
  auto r = s.cli.Run({"serve", "--log-format", "xml"});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "error: --log-format takes text or json; got 'xml'\n");
}

TEST_CASE("the server logs contacts and answers the categories and the yearly report") {
  Served s;
  s.OpenCase();
  HttpReply r = s.Post("chan_sz", R"({"log_contact": {"channel": "CHANNEL_VISIT",)"
                                  R"( "category": "identity_documents", "legal_advice": true}})");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(r.body.find("\"centre\":\"SZ\"") != std::string::npos);
  r = s.Post("chan_sz", R"({"log_contact": {"channel": "CHANNEL_PHONE", "category": "weather"}})");
  CHECK(r.status == 400);
  CHECK(r.body.find("\"field\":\"log_contact.category\"") != std::string::npos);
  CHECK(r.body.find("\"message_zh_hant\":\"沒有類別「weather」\"") != std::string::npos);

  r = s.Get("chan_sz", "/v1/categories");
  REQUIRE(r.status == 200);
  CHECK(r.body.find("\"code\":\"epidemic_measures\"") != std::string::npos);
  r = s.Get("chan_sz", "/v1/contacts");
  REQUIRE(r.status == 200);
  CHECK(r.body.find("\"category\":\"identity_documents\"") != std::string::npos);
  r = s.Get("lam_dg", "/v1/contacts?centre=SZ");
  CHECK(r.status == 403);

  const std::string year = std::to_string(model::HongKongYear(std::chrono::time_point_cast<model::Millis>(
      std::chrono::system_clock::now())));
  r = s.Get("ho_sz", "/v1/reports/year/" + year + "?compare=2024");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(r.body.find("\"contacts\":{\"total\":\"1\"") != std::string::npos);
  CHECK(r.body.find("\"legal_contacts\":{\"total\":\"1\"") != std::string::npos);
  r = s.Get("ho_sz", "/v1/reports/year/20x6");
  CHECK(r.status == 400);
  r = s.Get("lam_dg", "/v1/reports/year/" + year + "?centre=SZ");
  CHECK(r.status == 403);
  r = s.Get("ho_sz", "/v1/reports/service/" + year);
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(r.body.find("\"year\":" + year) != std::string::npos);
  CHECK(s.Get("lam_dg", "/v1/reports/service/" + year + "?centre=SZ").status == 403);
  CHECK(s.Get("ho_sz", "/v1/reports/service/" + year + "?centre=XX").status == 400);

  // Earlier records: the file's bytes in base64, as JSON carries bytes.
  // "date,centre,channel,category\n2025-04-01,SZ,phone,medical\n"
  const std::string import =
      R"({"import_records": {"kind": "IMPORT_CONTACTS", "file_name": "c.csv", "csv": )"
      R"("ZGF0ZSxjZW50cmUsY2hhbm5lbCxjYXRlZ29yeQoyMDI1LTA0LTAxLFNaLHBob25lLG1lZGljYWwK"}})";
  CHECK(s.Post("chan_sz", import).status == 403);
  r = s.Post("ho_sz", import);
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(r.body.find("\"imported\":{\"kind\":\"IMPORT_CONTACTS\"") != std::string::npos);
  CHECK(r.body.find("\"rows\":1") != std::string::npos);
  r = s.Post("ho_sz", import);
  CHECK(r.status == 409);
  CHECK(r.body.find("c.csv was imported already") != std::string::npos);
  r = s.Get("ho_sz", "/v1/reports/year/2025");
  CHECK(r.body.find("\"contacts\":{\"total\":\"1\"") != std::string::npos);

  // The command line through --server sends the file's bytes the same way.
  testing::TempDir dir;
  const std::string cases = dir.Write("cases-2025.csv",
                                      "opened,closed,centre,type,category,reference\n"
                                      "2025-05-01,2025-05-09,SZ,escort_to_port,stranded,SZ/25/1\n");
  const auto remote = s.Remote("ho_sz", {"import", "cases", cases});
  CHECK_MESSAGE(remote.exit_code == 0, remote.err);
  CHECK(remote.out.rfind("Imported 1 finished case(s) from cases-2025.csv (first SZ-2025-0001", 0) == 0);
  const auto again = s.Remote("ho_sz", {"import", "cases", cases});
  CHECK(again.exit_code == 6);
  CHECK(again.err.find("cases-2025.csv was imported already") != std::string::npos);
  CHECK(s.Remote("chan_sz", {"import", "cases", cases}).exit_code == 4);
}

TEST_CASE("the journal is checked at start, reported and not fatal, and read by supervisors") {
  Served s;
  const std::string first = s.OpenCase();
  s.OpenCase();
  HttpReply r = s.Get("ho_sz", "/v1/audit");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(r.body.find("\"intact\":true") != std::string::npos);
  CHECK(s.Get("chan_sz", "/v1/audit").status == 403);
  CHECK(s.Get("ho_sz", "/v1/audit?head=nothing").status == 400);
  r = s.Get("ho_sz", "/v1/cases/" + first + "/journal");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(r.body.find("\"hkid\":\"A123***(*)\"") != std::string::npos);
  CHECK(r.body.find("A123456") == std::string::npos);
  CHECK(s.Get("chan_sz", "/v1/cases/" + first + "/journal").status == 403);
  CHECK(s.server->Log().find("journal checked in ") != std::string::npos);

  // Changed behind the server's back while it was down.
  REQUIRE(s.server->Stop() == 0);
  {
    auto db = dispatch::SqliteDb::Open(s.cli.db(), dispatch::SqliteDb::Mode::kOpenExisting);
    REQUIRE(db.ok());
    REQUIRE((*db)->Exec("UPDATE journal SET actor = 'someone' WHERE case_number = '" + first +
                        "' AND seq = 1").ok());
  }
  s.server = std::make_unique<testing::ServerProcess>(s.cli.db());
  REQUIRE(s.server->running());
  // The check runs beside the serving; it reports within moments.
  HttpReply ready;
  for (int i = 0; i < 100; ++i) {
    ready = Http(s.port(), "GET", "/readyz");
    if (ready.body.find("journal") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(ready.status == 200);
  CHECK(ready.body == "ready\njournal NOT as dispatch wrote it: journal row 1 (" + first +
                          " event 1) was changed after it was written: its case, event number, "
                          "time or actor column no longer says what its event says\n");
  CHECK(Http(s.port(), "GET", "/metrics").body.find("dispatch_journal_intact 0") != std::string::npos);
  CHECK(s.server->Log().find("the journal is NOT as dispatch wrote it") != std::string::npos);
  // Work goes on.
  CHECK(!s.OpenCase().empty());
  r = s.Get("ho_sz", "/v1/audit");
  CHECK(r.body.find("\"intact\":true") == std::string::npos);
  CHECK(r.body.find("\"kind\":\"CHANGED\"") != std::string::npos);
}
