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
  CHECK(c->Names() == "cross_border_ambulance, document_verification, escort_to_port, stranded_resident");
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
  v2.replace(v2.find("version: 3"), 10, "version: 4");
  dir.Write("escort_v1.textproto", *v1);
  dir.Write("escort_v2.textproto", v2);
  auto c = WorkflowCatalog::LoadDirectory(dir.Path(""));
  REQUIRE_MESSAGE(c.ok(), c.status().ToString());
  CHECK(c->Latest("escort_to_port")->definition.version() == 4);
  CHECK(c->LatestOfEach().size() == 1);
  CHECK(c->Latest("nope") == nullptr);
}

TEST_CASE("two files with the same name and version but other content: neither is used") {
  // Which one is meant is not for the order of their names to decide (a copy
  // saved as escort_to_port.new.textproto sorts before the original).
  testing::TempDir dir;
  auto v1 = ReadFile(std::string(DISPATCH_WORKFLOW_DIR) + "/escort_to_port.textproto");
  auto other = ReadFile(std::string(DISPATCH_WORKFLOW_DIR) + "/document_verification.textproto");
  REQUIRE(v1.ok());
  REQUIRE(other.ok());
  dir.Write("a.textproto", *v1);
  dir.Write("b.textproto", *v1 + "\n# a comment changes the hash\n");
  dir.Write("c.textproto", *other);
  auto c = WorkflowCatalog::LoadDirectory(dir.Path(""));
  REQUIRE_MESSAGE(c.ok(), c.status().ToString());
  CHECK(c->Latest("escort_to_port") == nullptr);
  CHECK(c->Names() == "document_verification");
  REQUIRE(c->Broken().size() == 2);
  CHECK(c->Broken()[0].path() == dir.Path("a.textproto"));
  CHECK(c->Broken()[1].path() == dir.Path("b.textproto"));
  CHECK(c->Broken()[1].problem().find("escort_to_port version 3 is also defined by") !=
        std::string::npos);
  CHECK(c->NotInUse("escort_to_port").code() == Code::kFailedPrecondition);
}

TEST_CASE("a broken file is kept aside, naming file and line, and every other one is used") {
  testing::TempDir dir;
  auto v1 = ReadFile(std::string(DISPATCH_WORKFLOW_DIR) + "/escort_to_port.textproto");
  REQUIRE(v1.ok());
  dir.Write("escort_to_port.textproto", *v1);
  // A draft of a new type with a mistake, and a draft of escort_to_port's
  // next version with another.
  dir.Write("bad.textproto", "# a draft\nname: \"stranded_resident\"\nversion: oops\n");
  std::string v2 = *v1;
  v2.replace(v2.find("version: 3"), 10, "version: 4");
  v2.replace(v2.find("initial_state: \""), 16, "initial_state: \"nowhere_");
  dir.Write("escort_v2.textproto", v2);
  auto c = WorkflowCatalog::LoadDirectory(dir.Path(""));
  REQUIRE_MESSAGE(c.ok(), c.status().ToString());
  CHECK(c->Names() == "escort_to_port");
  CHECK(c->Latest("escort_to_port")->definition.version() == 3);  // new cases: the good one
  REQUIRE(c->Broken().size() == 2);
  CHECK(c->Broken()[0].name() == "stranded_resident");
  CHECK(c->Broken()[0].problem().find("bad.textproto:3:") != std::string::npos);
  CHECK(c->Broken()[1].name() == "escort_to_port");
  CHECK(c->Broken()[1].problem().find("escort_v2.textproto:") != std::string::npos);
  // Opening a case of the broken type says why, and where to look.
  const Status draft = c->NotInUse("stranded_resident");
  CHECK(draft.code() == Code::kFailedPrecondition);
  CHECK(draft.message().find("is not in use until its definition is fixed: ") != std::string::npos);
  CHECK(draft.message().find("bad.textproto:3:") != std::string::npos);
  CHECK(c->NotInUse("nope").message() ==
        "unknown case type 'nope'; case types are escort_to_port");
  const WorkflowList list = c->Summaries();
  CHECK(list.workflow_size() == 1);
  CHECK(list.broken_size() == 2);
}

TEST_CASE("a directory with no usable definition fails, naming every broken file") {
  testing::TempDir dir;
  dir.Write("bad.textproto", "name: \"x\"\nversion: oops\n");
  dir.Write("worse.textproto", "name: \"y\"\nstate {\n");
  auto c = WorkflowCatalog::LoadDirectory(dir.Path(""));
  REQUIRE_FALSE(c.ok());
  CHECK(c.status().message().find("bad.textproto:2:") != std::string::npos);
  CHECK(c.status().message().find("worse.textproto:") != std::string::npos);
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
