// Commands as they arrive over the wire: protobuf's JSON mapping or binary
// protobuf. Both decode to the same Command the CLI builds and scenarios
// hold, and both are held to the same checks.
#ifndef MODEL_COMMAND_CODEC_H_
#define MODEL_COMMAND_CODEC_H_

#include <string_view>

#include "model/proto/command.pb.h"
#include "model/status.h"

namespace model {

enum class Encoding { kJson, kBinary };

// Decodes `body`. Unknown fields are refused in either encoding (a misspelt
// field must not silently do less), and the text is checked as CheckText
// does. InvalidArgument saying what is wrong; what it quotes of the body has
// identity numbers masked.
Result<Command> DecodeCommand(std::string_view body, Encoding encoding);

// Protobuf's JSON mapping of `m`, field names as in the .proto files (the
// same the API takes), indented when `pretty`. Internal when `m` holds what
// JSON cannot carry (a time past year 9999).
Result<std::string> EncodeJson(const google::protobuf::Message& m, bool pretty = false);

// A message sent as JSON in a request body (a login): unknown fields refused,
// text checked as CheckText does.
Status DecodeJson(std::string_view body, google::protobuf::Message& out);

// A server's answer, read by a client: fields this build does not know (a
// newer server's) are skipped. InvalidArgument when it is not JSON for `out`.
Status DecodeAnswer(std::string_view body, google::protobuf::Message& out);

}  // namespace model

#endif  // MODEL_COMMAND_CODEC_H_
