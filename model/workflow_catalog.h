// What the system knows of the work's shape: the workflow definitions (the
// files of a directory, plus the exact versions running cases pinned) and the
// categories work is counted by (categories.textproto beside that directory).
#ifndef MODEL_WORKFLOW_CATALOG_H_
#define MODEL_WORKFLOW_CATALOG_H_

#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "model/categories.h"
#include "model/status.h"
#include "model/workflow_loader.h"

namespace model {

// Thread-safe: a server's threads share one. Pointers it returns stay valid
// as long as the catalog.
class WorkflowCatalog {
 public:
  WorkflowCatalog() : mu_(std::make_unique<std::shared_mutex>()) {}

  // Loads every *.textproto file in `dir`. A file that cannot be loaded (a
  // draft with a mistake, a second file claiming a name and version already
  // loaded) is kept aside in Broken() and the others are used. Fails only
  // when the directory cannot be read or has no usable definition, with the
  // problems of every file in the message.
  //
  // Also loads the categories from categories.textproto in the directory's
  // parent (model/ in the checkout, share/dispatch/ installed), when there is
  // one; see SetCategories.
  static Result<WorkflowCatalog> LoadDirectory(const std::string& dir);

  // Loads the categories from `path` instead. A file that cannot be loaded is
  // kept aside like a broken definition: work goes on, uncounted by category,
  // and CategoriesProblem() says why. Call before the catalog is shared.
  void SetCategories(const std::string& path);
  // The categories; none when no file was found or it is broken.
  const Categories& categories() const { return categories_; }
  // Why there are no categories (a broken or missing file, path:line); empty
  // when they loaded.
  const std::string& CategoriesProblem() const { return categories_problem_; }

  // Adds a definition a running case is pinned to, found only by its hash:
  // it may share its name and version with another (a file edited without
  // raising its version) and is never the one new cases start on.
  void AddPinned(LoadedDefinition def);

  // The highest version of `name`, the one new cases start on; nullptr if none.
  const LoadedDefinition* Latest(std::string_view name) const;
  // The definition with this content hash, or nullptr.
  const LoadedDefinition* ByHash(std::string_view hash) const;
  // Every definition loaded (not those pinned only), by name and version.
  std::vector<const LoadedDefinition*> All() const;
  // Latest version of each name, sorted by name.
  std::vector<const LoadedDefinition*> LatestOfEach() const;
  // "cross_border_ambulance, document_verification, ..." for messages.
  std::string Names() const;
  // A line for each case type new cases can have (its latest version), and
  // each broken file.
  WorkflowList Summaries() const;
  // The files LoadDirectory could not load, in path order.
  const std::vector<BrokenDefinition>& Broken() const { return broken_; }
  // Why new cases cannot be of type `name`: no such type (naming those
  // there are), or its only definition is broken (naming the file and line).
  Status NotInUse(std::string_view name) const;

 private:
  std::unique_ptr<std::shared_mutex> mu_;  // in a pointer: a catalog is moved
  // Keyed by (name, version).
  std::map<std::pair<std::string, int>, std::unique_ptr<LoadedDefinition>> defs_;
  // Keyed by content hash.
  std::map<std::string, std::unique_ptr<LoadedDefinition>, std::less<>> pinned_;
  // Set by LoadDirectory only.
  std::vector<BrokenDefinition> broken_;
  Categories categories_;
  std::string categories_problem_;
};

// Where the categories are when nothing else says: categories.textproto in
// the workflow directory's parent.
std::string CategoriesBeside(const std::string& workflow_dir);

}  // namespace model

#endif  // MODEL_WORKFLOW_CATALOG_H_
