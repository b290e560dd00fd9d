#include "cli/render.h"

#include <doctest/doctest.h>

#include <sstream>

#include "model/workflow_loader.h"

namespace cli {

TEST_CASE("an answer JSON cannot carry is an error, not {}") {
  model::Shift shift;
  shift.set_user("chan_sz");
  shift.mutable_ends_at()->set_seconds(253402300800);  // 10000-01-01: past what JSON times allow
  std::ostringstream out;
  const model::Status s = WriteJson(out, shift);
  CHECK(s.code() == model::Code::kInternal);
  CHECK(s.message().rfind("cannot write the answer as JSON", 0) == 0);
  CHECK(out.str().empty());
  shift.clear_ends_at();
  REQUIRE(WriteJson(out, shift).ok());
  CHECK(out.str().find("\"user\": \"chan_sz\"") != std::string::npos);
}

TEST_CASE("a transition taken is named by its own label, a fallback's included") {
  auto def = model::LoadDefinition("fallback.textproto", R"pb(name: "fallback"
version: 1
label { zh_hant: "測" en: "Fallback" }
initial_state: "a"
field { name: "outcome" label { zh_hant: "結果" en: "Outcome" } one_of: "yes" }
state {
  name: "a"
  label { zh_hant: "甲" en: "A" }
  transition { on: "decide" to: "b" label { zh_hant: "確定" en: "Plan confirmed" } guard { fields_required: "outcome" } }
  transition { on: "decide" to: "c" label { zh_hant: "重新安排" en: "Plan again" } otherwise: true }
}
state { name: "b" label { zh_hant: "乙" en: "B" } terminal: true }
state { name: "c" label { zh_hant: "丙" en: "C" } terminal: true }
)pb");
  REQUIRE_MESSAGE(def.ok(), def.status().ToString());
  Labels l([&](const model::DefinitionRef&) { return &def->definition; }, model::Lang::kEn,
           model::Instant());
  model::CaseState c;
  *c.mutable_definition() = def->Ref();
  CHECK(l.Event(c, "a", "decide", "c") == "Plan again");
  CHECK(l.Event(c, "a", "decide", "b") == "Plan confirmed");
  CHECK(l.Event(c, "a", "decide") == "Plan confirmed");
  std::ostringstream out;
  PrintWorkflow(out, def->definition, model::Lang::kEn);
  CHECK(out.str().find("decide → c  otherwise") != std::string::npos);
}

TEST_CASE("a case shows its fields in the definition's order, choices by label, and what the ways on still need") {
  auto def = model::LoadDefinition("typed.textproto", R"pb(name: "typed"
version: 1
label { zh_hant: "測" en: "Typed" }
initial_state: "a"
field { name: "port" label { zh_hant: "口岸" en: "Port" } type: CHOICE
  choice { value: "shenzhen_bay" label { zh_hant: "深圳灣" en: "Shenzhen Bay" } } }
field { name: "crossing_on" label { zh_hant: "過境日期" en: "Crossing date" } type: DATE }
field { name: "escorted" label { zh_hant: "需護送" en: "Escort needed" } type: YES_NO }
field { name: "test_at" label { zh_hant: "檢測時間" en: "Test taken" } type: DATE_TIME }
field { name: "remarks" label { zh_hant: "備註" en: "Remarks" } }
state {
  name: "a"
  label { zh_hant: "甲" en: "A" }
  transition { on: "cross" to: "b" label { zh_hant: "過" en: "Cross" }
    guard { dates { field: "test_at" reference: "crossing_on" within_before: "48h" }
            any_of { guard { fields_required: "port" } guard { field_equals { field: "escorted" value: "no" } } } } }
}
state { name: "b" label { zh_hant: "乙" en: "B" } terminal: true }
)pb");
  REQUIRE_MESSAGE(def.ok(), def.status().ToString());
  model::CaseState c;
  c.set_number("SZ-2026-0001");
  c.set_state("a");
  c.set_status(model::CASE_OPEN);
  *c.mutable_definition() = def->Ref();
  (*c.mutable_fields())["escorted"] = "yes";
  (*c.mutable_fields())["port"] = "shenzhen_bay";
  for (model::Lang lang : {model::Lang::kEn, model::Lang::kZhHant}) {
    Labels l([&](const model::DefinitionRef&) { return &def->definition; }, lang, model::Instant());
    std::ostringstream out;
    PrintCase(out, c, l, model::Instant());
    const std::string shown = out.str();
    const bool en = lang == model::Lang::kEn;
    const auto port = shown.find(en ? "Shenzhen Bay" : "深圳灣");
    const auto escorted = shown.find(en ? "Escort needed" : "需護送");
    REQUIRE(port != std::string::npos);
    REQUIRE(escorted != std::string::npos);
    CHECK(port < escorted);  // "port" comes first in the definition, though not by name
    CHECK(shown.find("shenzhen_bay") == std::string::npos);
    CHECK(shown.find(en ? "Remarks" : "備註") == std::string::npos);  // no way on needs it
    CHECK(shown.find(en ? "Still needed   Crossing date, Test taken" : "過境日期、檢測時間") !=
          std::string::npos);
  }
  std::ostringstream out;
  PrintWorkflow(out, def->definition, model::Lang::kEn);
  CHECK(out.str().find("port  Port (choice: shenzhen_bay Shenzhen Bay)") != std::string::npos);
  CHECK(out.str().find("cross → b  needs test_at within 48h before crossing_on (field:port | escorted=no)") !=
        std::string::npos);
}

}  // namespace cli
