// The workflow definition loader on any text: it refuses what it cannot use
// with an error that names the file, and what it accepts prints and loads
// back the same.
#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>

#include "fuzz_input.h"
#include "model/text_check.h"
#include "model/workflow_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto def = model::LoadDefinition("fuzz.textproto", text);
  if (!def.ok()) {
    FUZZ_ASSERT(def.status().code() == model::Code::kInvalidArgument, def.status().ToString());
    FUZZ_ASSERT(def.status().message().rfind("fuzz.textproto", 0) == 0, def.status().message());
    return 0;
  }
  FUZZ_ASSERT(model::CheckUtf8(def->definition).ok(), "a loaded definition holds non-UTF-8 text");
  FUZZ_ASSERT(model::FindState(def->definition, def->definition.initial_state()) != nullptr,
              "no initial state");
  std::string printed;
  FUZZ_ASSERT(google::protobuf::TextFormat::PrintToString(def->definition, &printed), "print");
  auto again = model::LoadDefinition("again.textproto", printed);
  FUZZ_ASSERT(again.ok(), again.status().ToString());
  FUZZ_ASSERT(google::protobuf::util::MessageDifferencer::Equals(def->definition, again->definition),
              "printed and loaded back, the definition changed");
  return 0;
}
