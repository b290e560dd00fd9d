#include "model/command_codec.h"

#include <doctest/doctest.h>

namespace model {

TEST_CASE("a command in protobuf's JSON mapping decodes, in either spelling of field names") {
  auto c = DecodeCommand(R"({"add_note": {"case_number": "SZ-2026-0001", "text": "called"}})",
                         Encoding::kJson);
  REQUIRE_MESSAGE(c.ok(), c.status().ToString());
  CHECK(c->add_note().text() == "called");
  c = DecodeCommand(R"({"addNote": {"caseNumber": "SZ-2026-0001", "text": "called"}})",
                    Encoding::kJson);
  REQUIRE(c.ok());
  CHECK(c->add_note().case_number() == "SZ-2026-0001");
}

TEST_CASE("what a command cannot be is refused with what is wrong") {
  struct Bad {
    std::string body;
    Encoding encoding;
    std::string says;
  };
  Command open;
  open.mutable_open_case()->set_type("escort_to_port");
  std::string with_unknown = open.SerializeAsString();
  with_unknown += std::string("\xa8\x06\x01", 3);  // field 101, varint 1: unknown here
  const Bad cases[] = {
      {R"({"add_note": {"case_number": "SZ-2026-0001", "txt": "x"}})", Encoding::kJson,
       "not a valid JSON Command"},
      {R"({"add_note": {"case_number": 7}})", Encoding::kJson, "not a valid JSON Command"},
      {R"({"add_note": )", Encoding::kJson, "not a valid JSON Command"},
      {"{\"add_note\": {\"text\": \"x\xff\"}}", Encoding::kJson, ""},
      {open.SerializeAsString().substr(0, 5), Encoding::kBinary, "not a valid binary Command"},
      {with_unknown, Encoding::kBinary, "a field this server does not know (field 101)"},
  };
  for (const Bad& b : cases) {
    auto c = DecodeCommand(b.body, b.encoding);
    CAPTURE(b.says);
    REQUIRE_FALSE(c.ok());
    CHECK(c.status().code() == Code::kInvalidArgument);
    CHECK(c.status().message().find(b.says) != std::string::npos);
  }
  // Text that is not UTF-8 is refused by the text check, naming the field
  // (or by the JSON parser itself).
  auto bad_text = DecodeCommand("{\"add_note\": {\"text\": \"x\xff\"}}", Encoding::kJson);
  CHECK_FALSE(bad_text.ok());
}

}  // namespace model
