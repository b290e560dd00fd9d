// Protobuf text format with locations: parse errors and semantic errors both
// name path:line, so a person can open the file at the right place.
#ifndef MODEL_TEXT_PROTO_H_
#define MODEL_TEXT_PROTO_H_

#include <string>
#include <string_view>
#include <vector>

#include <google/protobuf/message.h>
#include <google/protobuf/text_format.h>

#include "model/proto/workflow.pb.h"
#include "model/status.h"

namespace model {

// Parses `text` into `out`, recording field locations into `tree`.
// On failure returns InvalidArgument "path:line:column: what the parser said";
// text that is not UTF-8 is refused naming the line of the first bad byte.
Status ParseTextProto(std::string_view path, const std::string& text,
                      google::protobuf::Message* out,
                      google::protobuf::TextFormat::ParseInfoTree* tree);

// Reads a whole file; NotFound when it cannot be read, InvalidArgument when
// it is not a regular file (reading a FIFO would block).
Result<std::string> ReadFile(const std::string& path);

// A place in a parsed text file: a message and where its fields were written.
// Copyable and cheap; REQUIRES: the tree outlives it.
class TextLocation {
 public:
  TextLocation(std::string path, const google::protobuf::TextFormat::ParseInfoTree* tree,
               const google::protobuf::Descriptor* descriptor, int line)
      : path_(std::move(path)), tree_(tree), descriptor_(descriptor), line_(line) {}

  // 1-based line where `field` (element `index` when repeated) was written;
  // this message's own line when it was not written at all.
  int Line(std::string_view field, int index = -1) const;
  // "path:line" of the field, or of this message when `field` is empty.
  std::string At(std::string_view field = {}, int index = -1) const;
  // The location of a nested message field.
  TextLocation Child(std::string_view field, int index = -1) const;

  const std::string& path() const { return path_; }
  int line() const { return line_; }

 private:
  std::string path_;
  const google::protobuf::TextFormat::ParseInfoTree* tree_;
  const google::protobuf::Descriptor* descriptor_;
  int line_;
};

// Collects "path:line: message" lines, so a file's every problem is said at once.
class Problems {
 public:
  void Add(const TextLocation& loc, std::string_view field, int index, const std::string& message) {
    lines_.push_back(loc.At(field, index) + ": " + message);
  }
  bool empty() const { return lines_.empty(); }
  // One problem per line.
  std::string Joined() const;

 private:
  std::vector<std::string> lines_;
};

// A code a file may use as a name: lower_snake_case, starting with a letter.
bool IsIdentifier(std::string_view s);

// Adds a problem for each language `label` lacks; `what` names its owner.
void CheckLabel(const Label& label, const TextLocation& loc, std::string_view field,
                const std::string& what, Problems& p);

}  // namespace model

#endif  // MODEL_TEXT_PROTO_H_
