// GET /v1/stream: Server-Sent Events of what changes, to each reader only
// what they may see, resumable with Last-Event-ID, ended with the session
// and with the server.
#include <doctest/doctest.h>

#include "dispatch/changes.h"
#include "support/event_stream.h"
#include "support/served.h"

namespace {

using testing::Bearer;
using testing::EventStream;
using testing::StreamEvent;

auto Is(const std::string& event, const std::string& containing = "") {
  return [event, containing](const StreamEvent& e) {
    return e.event == event && e.data.find(containing) != std::string::npos;
  };
}

bool Mentions(const std::vector<StreamEvent>& events, const std::string& text) {
  for (const auto& e : events) {
    if (e.data.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("the event stream tells each reader what they may see, as it happens, and resumes") {
  testing::Served s;
  REQUIRE(s.Post("chan_sz", R"({"duty_on": {}})").status == 200);
  EventStream sz(s.port(), "/v1/stream", Bearer(s.tokens.at("chan_sz")));
  EventStream dg(s.port(), "/v1/stream", Bearer(s.tokens.at("lam_dg")));
  REQUIRE(sz.status() == 200);
  REQUIRE(dg.status() == 200);
  REQUIRE(sz.ReadUntil(Is("ready")).size() == 1);  // nothing from before it connected
  REQUIRE(dg.ReadUntil(Is("ready")).size() == 1);

  // SZ hears of its new case, and chan_sz (on duty) of the task given to him.
  const std::string n = s.OpenCase();
  auto heard = sz.ReadUntil(Is("task", n));
  REQUIRE_FALSE(heard.empty());
  CHECK(heard.back().event == "task");
  CHECK(heard.front().event == "case");
  CHECK(heard.front().data.find("\"event\":\"case_opened\"") != std::string::npos);

  // DG hears of its own case and not of SZ's.
  REQUIRE(s.Post("lam_dg", R"({"open_case": {"type": "escort_to_port", "centre": "DG",)"
                           R"( "person": {"name_en": "LAM Siu Ming"}}})")
              .status == 200);
  auto dg_heard = dg.ReadUntil(Is("case", "DG-"));
  REQUIRE_FALSE(dg_heard.empty());
  CHECK(dg_heard.back().event == "case");
  CHECK_FALSE(Mentions(dg_heard, n));

  // A handoff asked of DG reaches its centre's inbox, and its stream.
  REQUIRE(s.Post("mak_sz", R"({"request_handoff": {"case_number": ")" + n +
                               R"(", "to_centre": "DG", "leg": "port_escort",)"
                               R"( "message": "escort at the port"}})")
              .status == 200);
  auto asked = dg.ReadUntil(Is("inbox", n));
  REQUIRE_FALSE(asked.empty());
  CHECK(asked.back().event == "inbox");

  // SZ's board goes away after the handoff; a note is added while it is
  // away; it comes back with the last id it saw and hears only what is new.
  auto before = sz.ReadUntil(Is("case", "handoff_requested"));
  REQUIRE_FALSE(before.empty());
  const std::string last = before.back().id;
  const auto last_at = dispatch::StreamPosition::FromId(last);
  REQUIRE(last_at);
  REQUIRE(s.Post("lee_sz", R"({"add_note": {"case_number": ")" + n + R"(", "text": "called"}})")
              .status == 200);
  testing::Headers again = Bearer(s.tokens.at("chan_sz"));
  again.emplace_back("Last-Event-ID", last);
  EventStream back(s.port(), "/v1/stream", again);
  REQUIRE(back.status() == 200);
  auto resumed = back.ReadUntil(Is("case", "note_added"));
  REQUIRE(resumed.size() >= 2);
  CHECK(resumed.front().event == "ready");
  CHECK(resumed.front().id == last);
  CHECK(resumed.back().event == "case");
  for (size_t i = 1; i < resumed.size(); ++i) {
    const auto at = dispatch::StreamPosition::FromId(resumed[i].id);
    REQUIRE(at);
    CHECK((at->journal > last_at->journal || at->inbox > last_at->inbox));
    CHECK(resumed[i].data.find("case_opened") == std::string::npos);
  }

  // Ids it never gave, and no credentials, are refused.
  testing::Headers forged = Bearer(s.tokens.at("chan_sz"));
  forged.emplace_back("Last-Event-ID", "12; DROP");
  CHECK(EventStream(s.port(), "/v1/stream", forged).status() == 400);
  CHECK(EventStream(s.port(), "/v1/stream", {}).status() == 401);

  // A token revoked ends its stream at once: the next change closes it.
  const auto keys = s.Get("lam_dg", "/v1/keys");
  const auto at = keys.body.find("\"id\":\"");
  REQUIRE(at != std::string::npos);
  const std::string key = keys.body.substr(at + 6, keys.body.find('"', at + 6) - at - 6);
  REQUIRE(s.Post("lam_dg", R"({"revoke_token": {"id": ")" + key + R"("}})").status == 200);
  auto cut = dg.ReadUntil(Is("signed_out"), std::chrono::seconds(5));
  REQUIRE_FALSE(cut.empty());
  CHECK(cut.back().event == "signed_out");
  CHECK(dg.Ended(std::chrono::seconds(5)));

  // Stopping the server ends the streams still open, and it exits 0.
  CHECK(s.server->Stop() == 0);
  CHECK(back.Ended(std::chrono::seconds(5)));
}

TEST_CASE("more than eight streams on one key get 429, and other people still get theirs") {
  testing::Served s;
  std::vector<std::unique_ptr<EventStream>> boards;
  for (int i = 0; i < 8; ++i) {
    boards.push_back(
        std::make_unique<EventStream>(s.port(), "/v1/stream", Bearer(s.tokens.at("chan_sz"))));
    REQUIRE(boards.back()->status() == 200);
    REQUIRE(boards.back()->ReadUntil(Is("ready")).size() == 1);
  }
  EventStream ninth(s.port(), "/v1/stream", Bearer(s.tokens.at("chan_sz")));
  CHECK(ninth.status() == 429);
  EventStream lee(s.port(), "/v1/stream", Bearer(s.tokens.at("lee_sz")));
  CHECK(lee.status() == 200);
  // The eight still hear what happens.
  const std::string n = s.OpenCase();
  for (auto& board : boards) CHECK_FALSE(board->ReadUntil(Is("case", n)).empty());
}
