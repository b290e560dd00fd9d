// Reading back a stored protobuf whose text is not UTF-8. Older builds let
// such text in (a name typed in a Big5 or GBK terminal); proto3 refuses to
// parse it, so one such row made a list unreadable for every centre. The
// bytes are kept as they are in the database; only the copy read is mended.
#ifndef MODEL_PROTO_SALVAGE_H_
#define MODEL_PROTO_SALVAGE_H_

#include <string_view>

#include <google/protobuf/message.h>

namespace model {

enum class ParseOutcome {
  kParsed,    // the bytes were a well-formed message
  kSalvaged,  // they were, but for text that is not UTF-8: each bad byte is U+FFFD now
  kDamaged,   // they are not a message of this type at all
};

// Parses `bytes` into `out` (cleared first). Thread-safe.
ParseOutcome ParseSalvaging(std::string_view bytes, google::protobuf::Message& out);

}  // namespace model

#endif  // MODEL_PROTO_SALVAGE_H_
