// How wide text is on a terminal or in a fixed-width layout: a CJK
// character takes two columns. Tables on terminals and the report's charts
// both size their columns by it.
#ifndef MODEL_TEXT_WIDTH_H_
#define MODEL_TEXT_WIDTH_H_

#include <string>
#include <string_view>

namespace model {

// Terminal columns `utf8` takes: 2 for East Asian wide and fullwidth
// characters, 0 for combining marks, 1 otherwise.
int DisplayWidth(std::string_view utf8);

// Cuts `utf8` to at most `width` columns, ending in "…" when cut.
std::string Truncate(std::string_view utf8, int width);

}  // namespace model

#endif  // MODEL_TEXT_WIDTH_H_
