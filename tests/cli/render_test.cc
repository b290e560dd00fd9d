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

}  // namespace cli
