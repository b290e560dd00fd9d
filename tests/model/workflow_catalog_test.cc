#include "model/workflow_catalog.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>

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

TEST_CASE("an editor's lock file, a FIFO or a hidden file in the directory is no definition") {
  testing::TempDir dir;
  auto v1 = ReadFile(std::string(DISPATCH_WORKFLOW_DIR) + "/escort_to_port.textproto");
  REQUIRE(v1.ok());
  dir.Write("escort_to_port.textproto", *v1);
  // Emacs leaves a dangling link while a file is edited; vim a hidden swap.
  std::filesystem::create_symlink("chan@desk-3.4242:1700000000",
                                  dir.Path(".#escort_to_port.textproto"));
  dir.Write(".draft.textproto", "this is not a definition");
  REQUIRE(mkfifo(dir.Path("pipe.textproto").c_str(), 0600) == 0);
  auto c = WorkflowCatalog::LoadDirectory(dir.Path(""));
  REQUIRE_MESSAGE(c.ok(), c.status().ToString());
  CHECK(c->Names() == "escort_to_port");
  // Named on its own, a FIFO is refused rather than read forever.
  CHECK(ReadFile(dir.Path("pipe.textproto")).status().message() ==
        dir.Path("pipe.textproto") + " is not a regular file");
}

}  // namespace model
