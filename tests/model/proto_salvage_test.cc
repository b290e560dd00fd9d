#include "model/proto_salvage.h"

#include <doctest/doctest.h>

#include "model/proto/case.pb.h"

namespace model {
namespace {

// Bytes as an older build stored them: a proto3 string holding non-UTF-8.
std::string PoisonedCase() {
  CaseState c;
  c.set_number("SZ-2026-0001");
  c.mutable_person()->set_name_zh("陳大文");
  c.mutable_person()->set_name_en("CHAN-BADBYTE");
  (*c.mutable_fields())["port"] = "shenzhen_bay";
  (*c.mutable_fields())["note"] = "BADVALUE";
  c.add_task()->set_note("done BADNOTE");
  std::string bytes = c.SerializeAsString();
  for (const std::string marker : {"BADBYTE", "BADVALUE", "BADNOTE"}) {
    const auto at = bytes.find(marker);
    bytes[at] = '\xff';
    bytes[at + 1] = '\xfe';
  }
  return bytes;
}

}  // namespace

TEST_CASE("a stored message with text that is not UTF-8 is read with replacement characters") {
  const std::string bytes = PoisonedCase();
  CaseState plain;
  CHECK_FALSE(plain.ParseFromString(bytes));  // what made lists fail for everyone

  CaseState c;
  CHECK(ParseSalvaging(bytes, c) == ParseOutcome::kSalvaged);
  CHECK(c.number() == "SZ-2026-0001");
  CHECK(c.person().name_zh() == "陳大文");
  CHECK(c.person().name_en() == "CHAN-\xEF\xBF\xBD\xEF\xBF\xBD" "DBYTE");
  CHECK(c.fields().at("port") == "shenzhen_bay");
  CHECK(c.fields().at("note") == "\xEF\xBF\xBD\xEF\xBF\xBD" "DVALUE");
  CHECK(c.task(0).note() == "done \xEF\xBF\xBD\xEF\xBF\xBD" "DNOTE");
}

TEST_CASE("well-formed bytes parse as they are, and garbage is damaged") {
  CaseState c;
  c.set_number("SZ-2026-0002");
  CaseState out;
  CHECK(ParseSalvaging(c.SerializeAsString(), out) == ParseOutcome::kParsed);
  CHECK(out.number() == "SZ-2026-0002");
  CHECK(ParseSalvaging(std::string("\x0a\xff\xff\xff", 4), out) == ParseOutcome::kDamaged);
}

}  // namespace model
