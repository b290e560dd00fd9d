#include "console/assets.h"

#include <string>
#include <vector>

namespace console {
namespace {

std::string_view ContentType(std::string_view name) {
  const auto ends = [&](std::string_view ext) {
    return name.size() >= ext.size() && name.substr(name.size() - ext.size()) == ext;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  return "application/octet-stream";
}

const std::vector<Asset>& All() {
  static const std::vector<Asset>* const all = [] {
    auto* v = new std::vector<Asset>;
    for (std::size_t i = 0; i < kEmbeddedFileCount; ++i) {
      const EmbeddedFile& f = kEmbeddedFiles[i];
      v->push_back({f.name, ContentType(f.name),
                    std::string_view(reinterpret_cast<const char*>(f.bytes), f.size)});
    }
    return v;
  }();
  return *all;
}

}  // namespace

const Asset* FindAsset(std::string_view name) {
  for (const Asset& a : All()) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

}  // namespace console
