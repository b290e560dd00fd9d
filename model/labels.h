// Traditional Chinese and English: every label a person reads comes in both.
#ifndef MODEL_LABELS_H_
#define MODEL_LABELS_H_

#include <string>
#include <string_view>

#include "model/proto/workflow.pb.h"
#include "model/status.h"

namespace model {

enum class Lang { kZhHant, kEn };

// "zh-Hant" (also zh, zh-HK, zh-TW) or "en".
Result<Lang> ParseLang(std::string_view text);

// The label in `lang`, falling back to the other language, then to `fallback`.
std::string Localize(const Label& label, Lang lang, std::string_view fallback = "");

}  // namespace model

#endif  // MODEL_LABELS_H_
