#include "model/categories.h"

#include <doctest/doctest.h>

namespace model {
namespace {

// Line numbers matter: the tests below name them.
const std::string kTwo = R"pb(group { code: "documents" label { zh_hant: "證件類" en: "Documents" } }
category { code: "identity_documents" group: "documents" label { zh_hant: "證件" en: "Identity documents" } }
category { code: "old_permits" group: "documents" retired: true label { zh_hant: "舊證" en: "Old permits" } }
)pb";

TEST_CASE("categories: a good file loads, and codes are looked up with their labels and group") {
  auto c = Categories::Load("c.textproto", kTwo);
  REQUIRE_MESSAGE(c.ok(), c.status().ToString());
  REQUIRE(c->Find("identity_documents") != nullptr);
  CHECK(c->LabelOf("identity_documents", Lang::kZhHant) == "證件");
  CHECK(c->LabelOf("identity_documents", Lang::kEn) == "Identity documents");
  CHECK(c->LabelOf("gone", Lang::kEn) == "gone");
  REQUIRE(c->GroupOf("old_permits") != nullptr);
  CHECK(c->GroupOf("old_permits")->code() == "documents");
  CHECK(c->Find("gone") == nullptr);
}

TEST_CASE("categories: new work takes a current category only") {
  auto c = Categories::Load("c.textproto", kTwo);
  REQUIRE(c.ok());
  CHECK(c->CheckUsable("identity_documents", "log_contact.category").ok());
  const Status retired = c->CheckUsable("old_permits", "log_contact.category");
  CHECK(retired.code() == Code::kInvalidArgument);
  CHECK(retired.message().find("retired") != std::string::npos);
  CHECK(retired.message_zh().find("已停用") != std::string::npos);
  CHECK(retired.field() == "log_contact.category");
  const Status unknown = c->CheckUsable("weather", "open_case.category");
  CHECK(unknown.message().find("unknown category 'weather'") != std::string::npos);
  CHECK(unknown.field() == "open_case.category");
  CHECK(c->CheckUsable("", "open_case.category").message_zh() == "請選擇類別");
}

TEST_CASE("categories: a code in use is never deleted") {
  auto c = Categories::Load("c.textproto", kTwo);
  REQUIRE(c.ok());
  CHECK(c->CheckKeeps({{"identity_documents", 3}, {"old_permits", 1}, {"", 9}}).ok());
  const Status s = c->CheckKeeps({{"identity_documents", 3}, {"medical", 1}, {"property", 12}});
  CHECK(s.code() == Code::kFailedPrecondition);
  CHECK(s.message().find("c.textproto: categories in use are missing: 'medical' (1 record), "
                         "'property' (12 records)") == 0);
  CHECK(s.message().find("retired: true") != std::string::npos);
}

TEST_CASE("categories: every problem in a file is said with its line") {
  const std::string bad = R"pb(group { code: "documents" label { zh_hant: "證件類" en: "Documents" } }
group { code: "documents" label { zh_hant: "再一次" en: "Again" } }
category { code: "Identity" group: "documents" label { zh_hant: "證件" en: "Identity" } }
category { code: "medical" group: "health" label { zh_hant: "醫療" en: "Medical" } }
category { code: "medical" group: "documents" label { en: "Medical again" } }
)pb";
  const auto c = Categories::Load("cats.textproto", bad);
  REQUIRE_FALSE(c.ok());
  const std::string m = c.status().message();
  CHECK(m.find("cats.textproto:2: group 'documents' is listed twice") != std::string::npos);
  CHECK(m.find("cats.textproto:3: category code 'Identity' must be lower_snake_case") !=
        std::string::npos);
  CHECK(m.find("cats.textproto:4: category 'medical' is in group 'health', which is not listed") !=
        std::string::npos);
  CHECK(m.find("cats.textproto:5: category 'medical' is listed twice") != std::string::npos);
  CHECK(m.find("cats.textproto:5: category 'medical' has no zh_hant label") != std::string::npos);
}

TEST_CASE("categories: a file that does not parse, or lists nothing, is refused") {
  const auto broken = Categories::Load("x.textproto", "group { code: \"a\"\n  label {\n");
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.status().message().rfind("x.textproto:", 0) == 0);
  const auto empty = Categories::Load("e.textproto", "# nothing yet\n");
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.status().message().find("no category is listed") != std::string::npos);
}

TEST_CASE("categories: the shipped file loads") {
  const auto c = Categories::LoadFile(DISPATCH_SOURCE_DIR "/model/categories.textproto");
  REQUIRE_MESSAGE(c.ok(), c.status().ToString());
  CHECK(c->Find("identity_documents") != nullptr);
  CHECK(c->LabelOf("epidemic_measures", Lang::kZhHant) == "防疫措施");
  CHECK(c->DefaultFor("cross_border_ambulance") == "medical");
  CHECK(c->DefaultFor("weather").empty());
}

TEST_CASE("categories: a type's default must be a current category, one per type") {
  const std::string text = kTwo + R"pb(type_default { case_type: "escort_to_port" category: "old_permits" }
type_default { case_type: "escort_to_port" category: "identity_documents" }
type_default { case_type: "stranded_resident" category: "weather" }
)pb";
  const auto c = Categories::Load("d.textproto", text);
  REQUIRE_FALSE(c.ok());
  const std::string m = c.status().message();
  CHECK(m.find("d.textproto:4: the default for escort_to_port, 'old_permits', is not a current "
               "category") != std::string::npos);
  CHECK(m.find("d.textproto:5: case type 'escort_to_port' has two defaults") != std::string::npos);
  CHECK(m.find("d.textproto:6: the default for stranded_resident, 'weather', is not a listed "
               "category") != std::string::npos);
}

}  // namespace
}  // namespace model
