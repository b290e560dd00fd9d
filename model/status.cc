#include "model/status.h"

#include <array>

namespace model {
namespace {

constexpr std::array<std::pair<Code, std::string_view>, 9> kNames = {{
    {Code::kOk, "OK"},
    {Code::kInvalidArgument, "INVALID_ARGUMENT"},
    {Code::kNotFound, "NOT_FOUND"},
    {Code::kPermissionDenied, "PERMISSION_DENIED"},
    {Code::kFailedPrecondition, "FAILED_PRECONDITION"},
    {Code::kAlreadyExists, "ALREADY_EXISTS"},
    {Code::kUnavailable, "UNAVAILABLE"},
    {Code::kInternal, "INTERNAL"},
    {Code::kDataLoss, "DATA_LOSS"},
}};

}  // namespace

std::string_view CodeName(Code code) {
  for (const auto& [c, name] : kNames) {
    if (c == code) return name;
  }
  return "UNKNOWN";
}

std::optional<Code> CodeFromName(std::string_view name) {
  for (const auto& [c, n] : kNames) {
    if (n == name) return c;
  }
  return std::nullopt;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out(CodeName(code_));
  out += ": ";
  out += message_;
  return out;
}

}  // namespace model
