#include "model/labels.h"

namespace model {

Result<Lang> ParseLang(std::string_view text) {
  if (text == "zh-Hant" || text == "zh" || text == "zh-HK" || text == "zh-TW" ||
      text == "zh_Hant") {
    return Lang::kZhHant;
  }
  if (text == "en" || text == "en-HK" || text == "en-GB" || text == "en-US") return Lang::kEn;
  return Status::InvalidArgument("unknown language '" + std::string(text) +
                                 "'; use zh-Hant or en");
}

std::string Localize(const Label& label, Lang lang, std::string_view fallback) {
  const std::string& first = lang == Lang::kZhHant ? label.zh_hant() : label.en();
  const std::string& second = lang == Lang::kZhHant ? label.en() : label.zh_hant();
  if (!first.empty()) return first;
  if (!second.empty()) return second;
  return std::string(fallback);
}

}  // namespace model
