// Refusals an officer meets are said in Traditional Chinese as well as in
// English, with no command-line advice in the Chinese (the console's reader
// has no flags to type). Who-may-do-what refusals are covered by the access
// table; these are the refusals of what was typed and of the case's state.
#include <doctest/doctest.h>

#include "model/command_codec.h"
#include "support/world.h"

namespace dispatch {
namespace {

using testing::World;

struct Refused {
  std::string what;
  std::string as;
  std::string json;  // the command, with CASE standing for an open case's number
};

std::string WithCase(std::string json, const std::string& number) {
  for (size_t at; (at = json.find("CASE")) != std::string::npos;) json.replace(at, 4, number);
  return json;
}

TEST_CASE("refusals of what was typed, and of a case's state, are said in Chinese too") {
  World w;
  w.OnDuty("chan_sz");
  const std::string number = w.OpenEscort();
  const std::vector<Refused> rows = {
      {"a wrong HKID check digit", "chan_sz",
       R"j({"open_case":{"type":"escort_to_port","centre":"SZ","person":{"name_en":"A","hkid":"A123456(4)"}}})j"},
      {"a phone that is not one", "chan_sz",
       R"j({"open_case":{"type":"escort_to_port","centre":"SZ","person":{"name_en":"A","phone":"call me"}}})j"},
      {"a date of birth to come", "chan_sz",
       R"j({"open_case":{"type":"escort_to_port","centre":"SZ","person":{"name_en":"A","date_of_birth":"2099-01-01"}}})j"},
      {"an unknown case type", "chan_sz",
       R"j({"open_case":{"type":"weather","centre":"SZ","person":{"name_en":"A"}}})j"},
      {"a field the type must be opened with", "chan_sz",
       R"j({"open_case":{"type":"document_verification","centre":"SZ","person":{"name_en":"A"}}})j"},
      {"an empty note", "chan_sz", R"j({"add_note":{"case_number":"CASE","text":" "}})j"},
      {"an event the state does not have", "chan_sz",
       R"j({"fire_event":{"case_number":"CASE","event":"arrived_home"}})j"},
      {"an event whose guard does not hold", "chan_sz",
       R"j({"fire_event":{"case_number":"CASE","event":"plan_confirmed"}})j"},
      {"a choice value not on the list", "chan_sz",
       R"j({"set_fields":{"case_number":"CASE","fields":{"port":"the_moon"}}})j"},
      {"an unknown field", "chan_sz", R"j({"set_fields":{"case_number":"CASE","fields":{"colour":"red"}}})j"},
      {"a pause reason the state does not allow", "chan_sz",
       R"j({"pause_case":{"case_number":"CASE","reason":"lunch"}})j"},
      {"resuming a case that waits for nothing", "chan_sz",
       R"j({"resume_case":{"case_number":"CASE","reason":"x"}})j"},
      {"closing before the work is done", "chan_sz",
       R"j({"close_case":{"case_number":"CASE","reason":"done"}})j"},
      {"a task given to someone at another centre", "chan_sz",
       R"j({"assign_task":{"case_number":"CASE","task":{"seq":1},"assignee":"lin_fj"}})j"},
      {"a task given to no one who exists", "chan_sz",
       R"j({"assign_task":{"case_number":"CASE","task":{"seq":1},"assignee":"nobody"}})j"},
      {"a handoff to a centre that does not exist", "mak_sz",
       R"j({"request_handoff":{"case_number":"CASE","to_centre":"XX","message":"go"}})j"},
      {"a case number that does not exist", "chan_sz",
       R"j({"add_note":{"case_number":"SZ-2026-0999","text":"hello"}})j"},
      {"a password too short", "chan_sz", R"j({"set_password":{"password":"short","current_password":"x"}})j"},
      {"a duty that ends before it starts", "chan_sz",
       R"j({"duty_on":{"from":"2026-03-02T10:00:00+08:00","until":"2026-03-02T09:00:00+08:00"}})j"},
      {"a line too long", "chan_sz",
       R"j({"open_case":{"type":"escort_to_port","centre":"SZ","person":{"name_en":")j" +
           std::string(300, 'x') + R"j("}}})j"},
      {"a reused idempotency key for another command", "chan_sz",
       R"j({"idempotency_key":"k1","add_note":{"case_number":"CASE","text":"other"}})j"},
  };
  // The key is used once, for a different note.
  auto first = model::DecodeCommand(
      WithCase(R"j({"idempotency_key":"k1","add_note":{"case_number":"CASE","text":"first"}})j", number),
      model::Encoding::kJson);
  REQUIRE(first.ok());
  w.Must(*first, "chan_sz");
  for (const Refused& row : rows) {
    CAPTURE(row.what);
    auto command = model::DecodeCommand(WithCase(row.json, number), model::Encoding::kJson);
    model::Status s = command.status();
    if (command.ok()) s = w.dispatcher->Execute(*command, row.as).status();
    REQUIRE_FALSE(s.ok());
    const std::string zh = s.message_zh();
    CHECK_MESSAGE(testing::HasChinese(zh), s.ToString());
    CHECK_MESSAGE(zh.find("--") == std::string::npos, zh);
    CHECK_MESSAGE(zh.find("dispatch ") == std::string::npos, zh);
  }
}

}  // namespace
}  // namespace dispatch
