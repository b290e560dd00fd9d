#include "dispatch/commands.h"

#include <doctest/doctest.h>

#include <set>

namespace dispatch {

TEST_CASE("every command has one row, named as in command.proto, with the decision its scope needs") {
  const auto* body = model::Command::descriptor()->FindOneofByName("body");
  std::set<std::string> rows;
  for (const CommandSpec& spec : AllCommands()) {
    CAPTURE(spec.name);
    CHECK(rows.insert(std::string(spec.name)).second);
    const auto* field = model::Command::descriptor()->FindFieldByNumber(spec.kind);
    REQUIRE(field != nullptr);
    CHECK(field->containing_oneof() == body);
    CHECK(field->name() == spec.name);
    CHECK(&SpecOf(spec.kind) == &spec);
    CHECK_FALSE(spec.what.empty());
    const bool directory = spec.scope == CommandScope::kDirectory;
    CHECK((spec.decide_directory != nullptr) == directory);
    CHECK((spec.decide_case != nullptr) == !directory);
    if (!directory) CHECK(spec.answer == Answer::kCase);
  }
  CHECK(static_cast<int>(rows.size()) == body->field_count());
  const CommandSpec& empty = SpecOf(model::Command::BODY_NOT_SET);
  const bool decides = empty.decide_case != nullptr || empty.decide_directory != nullptr;
  CHECK_FALSE(decides);
}

}  // namespace dispatch
