// The web console's files (console/*.html, .js, .css, .svg), built into the
// binary by console/embed.cmake, so that the console works on a machine with
// no network and nothing installed beside `dispatch`.
#ifndef CONSOLE_ASSETS_H_
#define CONSOLE_ASSETS_H_

#include <cstddef>
#include <string_view>

namespace console {

struct EmbeddedFile {
  const char* name;  // "console.js"
  const unsigned char* bytes;
  std::size_t size;
};

// Defined in the generated embedded_files.cc.
extern const EmbeddedFile kEmbeddedFiles[];
extern const std::size_t kEmbeddedFileCount;

struct Asset {
  std::string_view name;
  std::string_view content_type;  // with charset for text
  std::string_view body;
};

// The file named `name` ("index.html", "console.js"), or nothing.
const Asset* FindAsset(std::string_view name);

}  // namespace console

#endif  // CONSOLE_ASSETS_H_
