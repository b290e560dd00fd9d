// Plain-text tables that stay aligned when cells hold Chinese: a CJK
// character takes two terminal columns.
#ifndef CLI_TEXT_TABLE_H_
#define CLI_TEXT_TABLE_H_

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "model/text_width.h"

namespace cli {

using model::DisplayWidth;
using model::Truncate;

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> headers) : headers_(std::move(headers)) {}

  // REQUIRES: as many cells as headers.
  void AddRow(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  bool empty() const { return rows_.empty(); }

  // Columns separated by two spaces; the last column is not padded.
  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace cli

#endif  // CLI_TEXT_TABLE_H_
