// Text that people type, checked before it is stored: well-formed UTF-8, no
// control characters, a sane length. Protobuf's string fields must hold
// UTF-8; a byte typed in a Big5 or GBK terminal that got past this check
// would make the stored row unreadable for everyone.
#ifndef MODEL_TEXT_CHECK_H_
#define MODEL_TEXT_CHECK_H_

#include <cstddef>
#include <string>
#include <string_view>

#include <google/protobuf/message.h>

#include "model/status.h"

namespace model {

// Characters a text field takes when its .proto declaration says nothing.
inline constexpr int kDefaultMaxChars = 200;

// Whether `text` is well-formed UTF-8: no stray continuation bytes, overlong
// forms, surrogates or code points past U+10FFFF.
bool IsValidUtf8(std::string_view text);

// The length in bytes of the longest well-formed UTF-8 prefix of `text`.
size_t ValidUtf8Prefix(std::string_view text);

// `text` with every ill-formed byte replaced by U+FFFD, the replacement
// character; valid text comes back unchanged.
std::string ToValidUtf8(std::string_view text);

// Checks every string field set in `m`, recursively (repeated fields and map
// keys and values too): valid UTF-8; no control characters, except line
// breaks and tabs in fields declared `multiline`; at most `max_chars`
// characters (kDefaultMaxChars when undeclared). The error is
// InvalidArgument, names the field path under `prefix` ("open_case.person.
// name_en") in its message and in Status::field(), and never repeats the text.
Status CheckText(const google::protobuf::Message& m, std::string_view prefix = "");

// Only the UTF-8 part of CheckText, for text read from files, whose fields
// carry no limits.
Status CheckUtf8(const google::protobuf::Message& m, std::string_view prefix = "");

}  // namespace model

#endif  // MODEL_TEXT_CHECK_H_
