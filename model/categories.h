// The categories work is counted by (model/categories.textproto): loaded from
// a text file, checked with file:line errors, looked up by code.
#ifndef MODEL_CATEGORIES_H_
#define MODEL_CATEGORIES_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/labels.h"
#include "model/proto/contact.pb.h"
#include "model/status.h"

namespace model {

class Categories {
 public:
  Categories() = default;

  // Parses and checks a categories file: codes lower_snake_case and unique,
  // labels in both languages, every category in a group that exists. Every
  // problem is said, each with path:line.
  static Result<Categories> Load(std::string_view path, const std::string& text);
  static Result<Categories> LoadFile(const std::string& path);

  // The category `code`, retired or not; nullptr if the file has none.
  const Category* Find(std::string_view code) const;
  // OK when new work may be counted under `code`: it exists and is not
  // retired (FailedPrecondition when no categories are loaded at all).
  // `field` is the command field the code came in, for the error.
  Status CheckUsable(std::string_view code, std::string_view field) const;
  // The same for work done before (an earlier record entered now): a
  // retired code is as good, for it was current then.
  Status CheckRecorded(std::string_view code, std::string_view field) const;
  // OK when every code in `used` (the codes stored records carry) is in the
  // file, retired or not: a code in use is never deleted. The error names
  // each missing code and how many records carry it.
  Status CheckKeeps(const std::map<std::string, int64_t>& used) const;

  // The category a new case of `case_type` gets when none is named; empty
  // when the file gives none.
  std::string DefaultFor(std::string_view case_type) const;
  // Whether any category is loaded.
  bool empty() const { return list_.category_size() == 0; }

  // The label of `code` in `lang`; the code itself when it is unknown.
  std::string LabelOf(std::string_view code, Lang lang) const;
  // The group a category belongs to; nullptr when the code is unknown.
  const CategoryGroup* GroupOf(std::string_view code) const;

  const CategoryList& list() const { return list_; }
  const std::string& path() const { return path_; }

 private:
  Status Check(std::string_view code, std::string_view field, bool retired_ok) const;

  CategoryList list_;
  std::string path_;
  std::map<std::string, int, std::less<>> by_code_;   // index into list_.category
  std::map<std::string, int, std::less<>> group_by_code_;
};

// How a contact reached the centre, in `lang`: "phone", "到訪"; "-" when unsaid.
std::string ChannelName(Channel channel, Lang lang);
// A channel as a person writes it, in either language ("visit", "到訪");
// nullopt for anything else.
std::optional<Channel> ParseChannel(std::string_view text);

}  // namespace model

#endif  // MODEL_CATEGORIES_H_
