#include "model/text_proto.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <google/protobuf/io/tokenizer.h>

#include "model/text_check.h"

namespace model {
namespace {

class CollectFirstError : public google::protobuf::io::ErrorCollector {
 public:
  explicit CollectFirstError(std::string_view path) : path_(path) {}
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (!first_.empty()) return;
    first_ = path_ + ":" + std::to_string(line + 1) + ":" + std::to_string(column + 1) + ": " +
             message;
  }
  const std::string& first() const { return first_; }

 private:
  std::string path_;
  std::string first_;
};

}  // namespace

Status ParseTextProto(std::string_view path, const std::string& text,
                      google::protobuf::Message* out,
                      google::protobuf::TextFormat::ParseInfoTree* tree) {
  // Strings read from the file end up in stored events (labels, commands):
  // they must be UTF-8, or the rows would not read back.
  if (const size_t valid = ValidUtf8Prefix(text); valid < text.size()) {
    const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(valid), '\n');
    return Status::InvalidArgument(std::string(path) + ":" + std::to_string(line) +
                                   ": the file is not valid UTF-8 text; save it as UTF-8");
  }
  google::protobuf::TextFormat::Parser parser;
  CollectFirstError errors(path);
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(tree);
  if (!parser.ParseFromString(text, out)) {
    return Status::InvalidArgument(errors.first().empty() ? std::string(path) + ": cannot be parsed"
                                                          : errors.first());
  }
  return Status::Ok();
}

Result<std::string> ReadFile(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    return Status::InvalidArgument(path + " is not a regular file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + path);
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return Status::Unavailable("error while reading " + path);
  return buf.str();
}

int TextLocation::Line(std::string_view field, int index) const {
  if (tree_ == nullptr || descriptor_ == nullptr || field.empty()) return line_;
  const auto* fd = descriptor_->FindFieldByName(std::string(field));
  if (fd == nullptr) return line_;
  const auto loc = tree_->GetLocation(fd, fd->is_repeated() ? std::max(index, 0) : -1);
  return loc.line >= 0 ? loc.line + 1 : line_;
}

std::string TextLocation::At(std::string_view field, int index) const {
  return path_ + ":" + std::to_string(Line(field, index));
}

TextLocation TextLocation::Child(std::string_view field, int index) const {
  const int line = Line(field, index);
  if (tree_ == nullptr || descriptor_ == nullptr) return {path_, nullptr, nullptr, line};
  const auto* fd = descriptor_->FindFieldByName(std::string(field));
  if (fd == nullptr || fd->message_type() == nullptr) return {path_, nullptr, nullptr, line};
  const auto* nested = tree_->GetTreeForNested(fd, fd->is_repeated() ? std::max(index, 0) : -1);
  return {path_, nested, fd->message_type(), line};
}

std::string Problems::Joined() const {
  std::string out;
  for (const auto& l : lines_) {
    if (!out.empty()) out += '\n';
    out += l;
  }
  return out;
}

bool IsIdentifier(std::string_view s) {
  if (s.empty() || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

void CheckLabel(const Label& label, const TextLocation& loc, std::string_view field,
                const std::string& what, Problems& p) {
  if (label.zh_hant().empty()) p.Add(loc, field, -1, what + " has no zh_hant label");
  if (label.en().empty()) p.Add(loc, field, -1, what + " has no en label");
}

}  // namespace model
