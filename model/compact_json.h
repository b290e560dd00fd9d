// Protobuf's JSON mapping, written straight from reflection for the field
// kinds our messages use: the library's printer converts every message to a
// google.protobuf.Type and back on each call, which was a fifth of the
// server's CPU for a command's answer. Field names as in the .proto files,
// fields in number order, default values left out, 64-bit integers as
// strings, enums by name, Timestamps in RFC 3339, map keys in order.
#ifndef MODEL_COMPACT_JSON_H_
#define MODEL_COMPACT_JSON_H_

#include <optional>
#include <string>

#include <google/protobuf/message.h>

namespace model {

// `m` as compact JSON; nullopt when it holds something this does not write
// (a float or bytes field, another well-known type, a time JSON cannot carry,
// text that is not UTF-8): then the library's printer is the one to use.
std::optional<std::string> CompactJson(const google::protobuf::Message& m);

}  // namespace model

#endif  // MODEL_COMPACT_JSON_H_
