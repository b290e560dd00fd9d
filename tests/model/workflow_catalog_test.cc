#include "model/workflow_catalog.h"

#include <doctest/doctest.h>

#include "model/text_proto.h"
#include "support/temp_dir.h"

namespace model {

TEST_CASE("the shipped definitions all load") {
  auto c = WorkflowCatalog::LoadDirectory(DISPATCH_WORKFLOW_DIR);
  REQUIRE_MESSAGE(c.ok(), c.status().ToString());
  CHECK(c->Names() == "cross_border_ambulance, document_verification, escort_to_port");
  for (const auto* d : c->LatestOfEach()) {
    CHECK(d->content_hash.size() == 64);
    CHECK(c->ByHash(d->content_hash) == d);
  }
}

TEST_CASE("the newest version is the one new cases start on") {
  testing::TempDir dir;
  auto v1 = ReadFile(std::string(DISPATCH_WORKFLOW_DIR) + "/escort_to_port.textproto");
  REQUIRE(v1.ok());
  std::string v2 = *v1;
  v2.replace(v2.find("version: 1"), 10, "version: 2");
  dir.Write("escort_v1.textproto", *v1);
  dir.Write("escort_v2.textproto", v2);
  auto c = WorkflowCatalog::LoadDirectory(dir.Path(""));
  REQUIRE_MESSAGE(c.ok(), c.status().ToString());
  CHECK(c->Latest("escort_to_port")->definition.version() == 2);
  CHECK(c->LatestOfEach().size() == 1);
  CHECK(c->Latest("nope") == nullptr);
}

TEST_CASE("the same name and version with different content is refused") {
  testing::TempDir dir;
  auto v1 = ReadFile(std::string(DISPATCH_WORKFLOW_DIR) + "/escort_to_port.textproto");
  REQUIRE(v1.ok());
  dir.Write("a.textproto", *v1);
  dir.Write("b.textproto", *v1 + "\n# a comment changes the hash\n");
  auto c = WorkflowCatalog::LoadDirectory(dir.Path(""));
  REQUIRE_FALSE(c.ok());
  CHECK(c.status().message().find("escort_to_port version 1 is also defined by") != std::string::npos);
}

TEST_CASE("one broken file fails the directory, naming it") {
  testing::TempDir dir;
  dir.Write("bad.textproto", "name: \"x\"\nversion: oops\n");
  auto c = WorkflowCatalog::LoadDirectory(dir.Path(""));
  REQUIRE_FALSE(c.ok());
  CHECK(c.status().message().find("bad.textproto:2:") != std::string::npos);
  CHECK(WorkflowCatalog::LoadDirectory(dir.Path("none")).status().code() == Code::kNotFound);
}

}  // namespace model
