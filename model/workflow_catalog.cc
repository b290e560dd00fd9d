#include "model/workflow_catalog.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "model/text_proto.h"

namespace model {

namespace {

constexpr std::string_view kCategoriesFile = "categories.textproto";

// The case type a definition's text names (`name: "..."` at the start of a
// line), read without parsing, for a file that does not parse; "" if none.
std::string NamedIn(std::string_view text) {
  constexpr std::string_view kName = "name:";
  size_t at = 0;
  while (at < text.size()) {
    const size_t end = std::min(text.find('\n', at), text.size());
    std::string_view line = text.substr(at, end - at);
    at = end + 1;
    if (line.substr(0, kName.size()) != kName) continue;
    line.remove_prefix(kName.size());
    const size_t open = line.find('"');
    const size_t close = open == line.npos ? line.npos : line.find('"', open + 1);
    if (close == line.npos) return "";
    return std::string(line.substr(open + 1, close - open - 1));
  }
  return "";
}

}  // namespace

Result<WorkflowCatalog> WorkflowCatalog::LoadDirectory(const std::string& dir) {
  std::error_code ec;
  std::vector<std::string> paths;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    // Hidden files are an editor's (a lock file ".#x.textproto" is a dangling
    // link); anything but a regular file (a FIFO would block) is no definition.
    std::error_code type_ec;
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".textproto" || name.front() == '.' ||
        !entry.is_regular_file(type_ec)) {
      continue;
    }
    paths.push_back(entry.path().string());
  }
  if (ec) {
    return Status::NotFound("cannot read the workflow directory " + dir + ": " + ec.message());
  }
  std::sort(paths.begin(), paths.end());
  WorkflowCatalog catalog;
  std::string problems;
  const auto set_aside = [&](const std::string& path, const std::string& name,
                             const std::string& problem) {
    problems += (problems.empty() ? "" : "\n") + problem;
    BrokenDefinition& broken = catalog.broken_.emplace_back();
    broken.set_path(path);
    broken.set_name(name);
    broken.set_problem(problem);
  };
  for (const std::string& path : paths) {
    auto text = ReadFile(path);
    auto def = text.ok() ? LoadDefinition(path, *text) : Result<LoadedDefinition>(text.status());
    if (!def.ok()) {
      set_aside(path, text.ok() ? NamedIn(*text) : "", def.status().message());
      continue;
    }
    const auto key = std::make_pair(def->definition.name(), def->definition.version());
    auto same = catalog.defs_.find(key);
    if (same != catalog.defs_.end() && same->second->content_hash != def->content_hash) {
      // Two files claim one name and version: which one is meant is not
      // for the order of their names to decide. Neither is used.
      const std::string problem =
          path + ": " + key.first + " version " + std::to_string(key.second) +
          " is also defined by " + same->second->path +
          " with different content; neither is used until one has a higher version";
      set_aside(same->second->path, key.first, problem);
      set_aside(path, key.first, problem);
      catalog.defs_.erase(same);
      continue;
    }
    // The same content twice (a copy of the file) is one definition.
    if (same == catalog.defs_.end()) {
      catalog.defs_.emplace(key, std::make_unique<LoadedDefinition>(std::move(def).value()));
    }
  }
  std::sort(catalog.broken_.begin(), catalog.broken_.end(),
            [](const BrokenDefinition& a, const BrokenDefinition& b) { return a.path() < b.path(); });
  if (catalog.defs_.empty()) {
    if (!problems.empty()) return Status::InvalidArgument(problems);
    return Status::NotFound("no workflow definitions (*.textproto) in " + dir);
  }
  const std::string beside = CategoriesBeside(dir);
  if (std::filesystem::exists(beside, ec)) {
    catalog.SetCategories(beside);
  } else {
    catalog.categories_problem_ = "no " + std::string(kCategoriesFile) + " beside " + dir;
  }
  return catalog;
}

std::string CategoriesBeside(const std::string& workflow_dir) {
  std::filesystem::path folder = std::filesystem::path(workflow_dir).lexically_normal();
  if (!folder.has_filename()) folder = folder.parent_path();  // "workflows/"
  return (folder.parent_path() / kCategoriesFile).string();
}

void WorkflowCatalog::SetCategories(const std::string& path) {
  auto loaded = Categories::LoadFile(path);
  if (loaded.ok()) {
    categories_ = std::move(loaded).value();
    categories_problem_.clear();
  } else {
    categories_ = Categories();
    categories_problem_ = loaded.status().message();
  }
}

Status WorkflowCatalog::NotInUse(std::string_view name) const {
  for (const BrokenDefinition& b : broken_) {
    if (b.name() == name) {
      return Status::FailedPrecondition(
          "case type '" + std::string(name) + "' is not in use until its definition is fixed: " +
              b.problem(),
          "個案類型「" + std::string(name) + "」的定義檔有錯，修正前不能使用；請通知系統管理員");
    }
  }
  return Status::InvalidArgument(
      "unknown case type '" + std::string(name) + "'; case types are " + Names(),
      "沒有個案類型「" + std::string(name) + "」；現有類型：" + Names());
}

const LoadedDefinition* WorkflowCatalog::Latest(std::string_view name) const {
  std::shared_lock lock(*mu_);
  const LoadedDefinition* best = nullptr;
  for (const auto& [key, def] : defs_) {
    if (key.first == name) best = def.get();  // map order: ascending version
  }
  return best;
}

void WorkflowCatalog::AddPinned(LoadedDefinition def) {
  std::unique_lock lock(*mu_);
  std::string hash = def.content_hash;
  pinned_.emplace(std::move(hash), std::make_unique<LoadedDefinition>(std::move(def)));
}

const LoadedDefinition* WorkflowCatalog::ByHash(std::string_view hash) const {
  std::shared_lock lock(*mu_);
  for (const auto& [key, def] : defs_) {
    if (def->content_hash == hash) return def.get();
  }
  auto it = pinned_.find(hash);
  return it == pinned_.end() ? nullptr : it->second.get();
}

std::vector<const LoadedDefinition*> WorkflowCatalog::All() const {
  std::shared_lock lock(*mu_);
  std::vector<const LoadedDefinition*> out;
  for (const auto& [key, def] : defs_) out.push_back(def.get());
  return out;
}

std::vector<const LoadedDefinition*> WorkflowCatalog::LatestOfEach() const {
  std::shared_lock lock(*mu_);
  std::vector<const LoadedDefinition*> out;
  for (const auto& [key, def] : defs_) {
    if (!out.empty() && out.back()->definition.name() == key.first) {
      out.back() = def.get();
    } else {
      out.push_back(def.get());
    }
  }
  return out;
}

WorkflowList WorkflowCatalog::Summaries() const {
  WorkflowList list;
  for (const LoadedDefinition* d : LatestOfEach()) {
    auto* w = list.add_workflow();
    w->set_name(d->definition.name());
    w->set_version(d->definition.version());
    *w->mutable_label() = d->definition.label();
    w->set_content_hash(d->content_hash);
    w->set_path(d->path);
    w->set_states(d->definition.state_size());
  }
  for (const BrokenDefinition& b : broken_) *list.add_broken() = b;
  return list;
}

std::string WorkflowCatalog::Names() const {
  std::string out;
  for (const LoadedDefinition* d : LatestOfEach()) {
    if (!out.empty()) out += ", ";
    out += d->definition.name();
  }
  return out;
}

}  // namespace model
