#include "cli/render.h"

#include <doctest/doctest.h>

#include <sstream>

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

}  // namespace cli
