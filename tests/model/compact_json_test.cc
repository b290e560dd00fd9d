#include "model/compact_json.h"

#include <doctest/doctest.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>

#include "model/command_codec.h"
#include "support/world.h"

namespace model {
namespace {

using google::protobuf::util::MessageDifferencer;

std::string Library(const google::protobuf::Message& m) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  REQUIRE(google::protobuf::util::MessageToJsonString(m, &json, options).ok());
  return json;
}

// Whether any map in `m` (at any depth) has two entries or more: the
// library writes those in no set order, this in key order.
bool HasLongMap(const google::protobuf::Message& m) {
  const auto* r = m.GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const auto* f : fields) {
    if (f->is_map() && r->FieldSize(m, f) > 1) return true;
    if (f->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(m, f); ++i) {
        if (HasLongMap(r->GetRepeatedMessage(m, f, i))) return true;
      }
    } else if (HasLongMap(r->GetMessage(m, f))) {
      return true;
    }
  }
  return false;
}

// The same JSON as the library's, byte for byte where the library's order
// is set; and it reads back as the same message.
void SameAsLibrary(const google::protobuf::Message& m) {
  const auto compact = CompactJson(m);
  REQUIRE(compact.has_value());
  const std::string library = Library(m);
  if (!HasLongMap(m)) CHECK(*compact == library);
  std::unique_ptr<google::protobuf::Message> back(m.New());
  REQUIRE(google::protobuf::util::JsonStringToMessage(*compact, back.get()).ok());
  CHECK(MessageDifferencer::Equals(m, *back));
}

TEST_CASE("compact JSON is the library's JSON for every answer of a worked case") {
  testing::World w;
  w.OnDuty("lee_sz");
  w.OnDuty("lam_dg");
  std::vector<CommandReply> replies;
  const std::string n = w.OpenEscort();
  replies.push_back(w.Must(testing::DoneCommand(n, "agree_crossing_with_family"), "chan_sz"));
  Command pause;
  pause.mutable_pause_case()->set_case_number(n);
  pause.mutable_pause_case()->set_reason("port_booking");
  replies.push_back(w.Must(pause, "chan_sz"));
  w.Advance(std::chrono::hours(2));
  Command resume;
  resume.mutable_resume_case()->set_case_number(n);
  replies.push_back(w.Must(resume, "chan_sz"));
  Command note;
  note.mutable_add_note()->set_case_number(n);
  note.mutable_add_note()->set_text("他說 \"明天\" 回來 \\ back\ttomorrow\nsecond line 🚑 <b>&</b>");
  replies.push_back(w.Must(note, "lee_sz"));
  replies.push_back(w.Must(testing::DoneCommand(n, "check_travel_documents"), "chan_sz"));
  replies.push_back(w.Must(testing::DoneCommand(n, "arrange_departure"), "chan_sz"));
  replies.push_back(w.Must(testing::PlanConfirmedCommand(n), "chan_sz"));
  Command request;
  request.mutable_request_handoff()->set_case_number(n);
  request.mutable_request_handoff()->set_to_centre("DG");
  request.mutable_request_handoff()->set_leg("port_escort");
  request.mutable_request_handoff()->set_message("escort at the port");
  replies.push_back(w.Must(request, "mak_sz"));
  w.Advance(std::chrono::hours(6));  // escalations
  for (const auto& r : replies) SameAsLibrary(r);
  for (const auto& e : w.Timeline(n)) SameAsLibrary(e);
  SameAsLibrary(w.Case(n));
  CHECK(HasLongMap(w.Case(n)));  // fields: so the read-back check is what holds there
}

TEST_CASE("compact JSON: text that needs escaping, times with fractions, numbers and enums") {
  CaseState c;
  c.set_number("SZ-2026-0001");
  c.set_summary(std::string("quote \" backslash \\ slash / controls \x01\x1f\x7f tab\t end\r\n") +
                "\u00e9 \u2028 \u2029 \ufeff \u00ad \u200b \u2060 \ufffb 陳大文 😀 \U000E0001");
  c.set_version(-9007199254740993);  // not a double: written as a string
  c.set_status(CASE_OPEN);
  c.mutable_opened_at()->set_seconds(1772413200);  // 2026-03-02T01:00:00Z
  c.mutable_updated_at()->set_seconds(1772413200);
  c.mutable_updated_at()->set_nanos(5000000);  // .005
  c.mutable_state_entered_at()->set_seconds(0);
  c.mutable_state_entered_at()->set_nanos(1000);  // .000001
  c.mutable_ended_at()->set_seconds(-1);
  c.mutable_ended_at()->set_nanos(1);  // .000000001 before the epoch
  c.mutable_caller();                  // set, and empty
  c.add_pauses();                      // an empty message in a list
  (*c.mutable_paused_ms())["port_booking"] = 7200000;
  (*c.mutable_fields())["port"] = "shenzhen_bay";
  auto* t = c.add_task();
  t->set_seq(3);
  t->set_status(static_cast<TaskStatus>(99));  // a number this build has no name for
  SameAsLibrary(c);
  CHECK(CompactJson(c)->find("\"version\":\"-9007199254740993\"") != std::string::npos);
  CHECK(CompactJson(c)->find("\"updated_at\":\"2026-03-02T01:00:00.005Z\"") != std::string::npos);
  // A default message, and one with every field left out, are "{}".
  SameAsLibrary(CaseState());
  CHECK(*CompactJson(CaseState()) == "{}");
}

TEST_CASE("compact JSON gives way to the library for what it does not write") {
  CaseState c;
  c.mutable_opened_at()->set_seconds(253402300800);  // the year 10000
  CHECK_FALSE(CompactJson(c).has_value());
  CHECK_FALSE(EncodeJson(c).ok());  // and the library refuses it, as before
  CaseState bad;
  bad.set_summary("\xff\xfe not UTF-8");
  CHECK_FALSE(CompactJson(bad).has_value());
}

}  // namespace
}  // namespace model
