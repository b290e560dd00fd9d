#include "cli/text_table.h"

#include <doctest/doctest.h>

#include <sstream>

namespace cli {

TEST_CASE("Chinese characters take two columns") {
  CHECK(DisplayWidth("abc") == 3);
  CHECK(DisplayWidth("陳大文") == 6);
  CHECK(DisplayWidth("福建（廈門）") == 12);  // fullwidth brackets
  CHECK(DisplayWidth("SZ 深圳") == 7);
  CHECK(DisplayWidth("e\xcc\x81") == 1);  // e + combining acute
  CHECK(DisplayWidth("\xff") == 1);       // a broken byte still takes a place
}

TEST_CASE("truncation respects display width") {
  CHECK(Truncate("陳大文 CHAN Tai Man", 8) == "陳大文 …");
  CHECK(Truncate("short", 8) == "short");
}

TEST_CASE("tables stay aligned with mixed scripts") {
  TextTable t({"Case", "Person", "State"});
  t.AddRow({"SZ-2026-0001", "陳大文", "open"});
  t.AddRow({"FJ-2026-0012", "LAM Sau Ying", "closed"});
  std::ostringstream out;
  t.Print(out);
  CHECK(out.str() ==
        "Case          Person        State\n"
        "SZ-2026-0001  陳大文        open\n"
        "FJ-2026-0012  LAM Sau Ying  closed\n");
}

}  // namespace cli
