#include "model/command_codec.h"

#include <vector>

#include <google/protobuf/util/json_util.h>

#include "model/compact_json.h"
#include "model/hkid.h"
#include "model/text_check.h"

namespace model {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// The path of the first field in `m` this build does not know, or "".
std::string UnknownField(const Message& m, const std::string& prefix) {
  const auto* r = m.GetReflection();
  if (!r->GetUnknownFields(m).empty()) {
    return (prefix.empty() ? "" : prefix + ".") + "field " +
           std::to_string(r->GetUnknownFields(m).field(0).number());
  }
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    const std::string path = prefix.empty() ? f->name() : prefix + "." + f->name();
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(m, f); ++i) {
        std::string found = UnknownField(r->GetRepeatedMessage(m, f, i), path);
        if (!found.empty()) return found;
      }
    } else {
      std::string found = UnknownField(r->GetMessage(m, f), path);
      if (!found.empty()) return found;
    }
  }
  return "";
}

}  // namespace

Result<Command> DecodeCommand(std::string_view body, Encoding encoding) {
  Command c;
  if (encoding == Encoding::kJson) {
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    const auto s = google::protobuf::util::JsonStringToMessage(
        google::protobuf::StringPiece(body.data(), body.size()), &c, options);
    if (!s.ok()) {
      // Protobuf's message quotes what it could not read: masked, as any
      // echo of what was sent.
      const std::string why = MaskHkidsIn(ToValidUtf8(std::string(s.message())));
      return Status::InvalidArgument("the command is not a valid JSON Command: " + why,
                                     "指令的 JSON 格式不正確：" + why);
    }
  } else {
    if (!c.ParseFromArray(body.data(), static_cast<int>(body.size()))) {
      return Status::InvalidArgument(
          "the command is not a valid binary Command message (cut short, of another type, or "
          "with text that is not UTF-8)");
    }
    if (const std::string unknown = UnknownField(c, ""); !unknown.empty()) {
      return Status::InvalidArgument("the command has a field this server does not know (" +
                                     unknown + "); is the client newer than the server?");
    }
  }
  RETURN_IF_ERROR(CheckText(c));
  return c;
}

Result<std::string> EncodeJson(const google::protobuf::Message& m, bool pretty) {
  if (!pretty) {
    if (auto compact = CompactJson(m)) return *std::move(compact);
  }
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = pretty;
  options.preserve_proto_field_names = true;
  std::string json;
  const auto s = google::protobuf::util::MessageToJsonString(m, &json, options);
  if (!s.ok()) return Status::Internal("cannot write the answer as JSON: " + std::string(s.message()));
  return json;
}

Status DecodeJson(std::string_view body, google::protobuf::Message& out) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto s = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(body.data(), body.size()), &out, options);
  if (!s.ok()) {
    const std::string why = MaskHkidsIn(ToValidUtf8(std::string(s.message())));
    return Status::InvalidArgument(
        "the request is not valid JSON for " + out.GetDescriptor()->name() + ": " + why,
        "要求的 JSON 格式不正確（" + out.GetDescriptor()->name() + "）：" + why);
  }
  return CheckText(out);
}

Status DecodeAnswer(std::string_view body, google::protobuf::Message& out) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  const auto s = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(body.data(), body.size()), &out, options);
  if (!s.ok()) {
    return Status::InvalidArgument("the server's answer is not JSON for " +
                                   out.GetDescriptor()->name() + ": " +
                                   ToValidUtf8(std::string(s.message())));
  }
  return Status::Ok();
}

}  // namespace model
