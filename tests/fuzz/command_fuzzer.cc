// The command decoder as a server will use it (model/command_codec.h), on
// any bytes as JSON or binary: what it accepts is UTF-8 within its limits,
// holds nothing unknown, and survives both encodings unchanged.
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>

#include "fuzz_input.h"
#include "model/command_codec.h"
#include "model/text_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto encoding = data[0] & 1 ? model::Encoding::kJson : model::Encoding::kBinary;
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  auto c = model::DecodeCommand(body, encoding);
  if (!c.ok()) {
    FUZZ_ASSERT(c.status().code() == model::Code::kInvalidArgument, c.status().ToString());
    FUZZ_ASSERT(model::IsValidUtf8(c.status().message()), "the error is not UTF-8");
    return 0;
  }
  FUZZ_ASSERT(model::CheckUtf8(*c).ok(), "decoded text is not UTF-8");

  auto binary = model::DecodeCommand(c->SerializeAsString(), model::Encoding::kBinary);
  FUZZ_ASSERT(binary.ok(), binary.status().ToString());
  FUZZ_ASSERT(google::protobuf::util::MessageDifferencer::Equals(*c, *binary), "binary changed it");

  std::string json;
  FUZZ_ASSERT(google::protobuf::util::MessageToJsonString(*c, &json).ok(), "cannot write JSON");
  auto from_json = model::DecodeCommand(json, model::Encoding::kJson);
  FUZZ_ASSERT(from_json.ok(), from_json.status().ToString() + " for " + json);
  FUZZ_ASSERT(google::protobuf::util::MessageDifferencer::Equals(*c, *from_json),
              "JSON changed it: " + json);
  return 0;
}
