// Status and Result<T>: expected failures as values, never exceptions.
//
// A Status is OK or carries a Code and a message written for the person who
// will read it: a duty officer at a terminal or in the console, or a developer
// reading a test. What an officer can meet also comes in Traditional Chinese
// (the second argument); what only a developer or an admin meets may be in
// English alone. Library exceptions are caught at the edge and turned into a
// Status.
#ifndef MODEL_STATUS_H_
#define MODEL_STATUS_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace model {

enum class Code {
  kOk = 0,
  kInvalidArgument,
  kNotFound,
  kPermissionDenied,
  kFailedPrecondition,
  kAlreadyExists,
  kUnavailable,
  kInternal,
  // Stored data cannot be read back: a damaged file, a row changed behind the
  // engine's back. Retrying does not help; restoring or repairing does.
  kDataLoss,
};

// "INVALID_ARGUMENT", ... (the spelling scenarios and JSON errors use).
std::string_view CodeName(Code code);
// Inverse of CodeName; nullopt for an unknown spelling.
std::optional<Code> CodeFromName(std::string_view name);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  // `zh` is the same message in Traditional Chinese; empty when it is
  // written in English only.
  Status(Code code, std::string message, std::string zh = {})
      : code_(code), message_(std::move(message)), zh_(std::move(zh)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m, std::string zh = {}) {
    return {Code::kInvalidArgument, std::move(m), std::move(zh)};
  }
  static Status NotFound(std::string m, std::string zh = {}) {
    return {Code::kNotFound, std::move(m), std::move(zh)};
  }
  static Status PermissionDenied(std::string m, std::string zh = {}) {
    return {Code::kPermissionDenied, std::move(m), std::move(zh)};
  }
  static Status FailedPrecondition(std::string m, std::string zh = {}) {
    return {Code::kFailedPrecondition, std::move(m), std::move(zh)};
  }
  static Status AlreadyExists(std::string m, std::string zh = {}) {
    return {Code::kAlreadyExists, std::move(m), std::move(zh)};
  }
  static Status Unavailable(std::string m, std::string zh = {}) {
    return {Code::kUnavailable, std::move(m), std::move(zh)};
  }
  static Status Internal(std::string m) { return {Code::kInternal, std::move(m)}; }
  static Status DataLoss(std::string m) { return {Code::kDataLoss, std::move(m)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  // In English.
  const std::string& message() const { return message_; }
  // In Traditional Chinese; empty when the message was written in English only.
  const std::string& message_zh() const { return zh_; }
  // The same Status with both messages passed through `f` (masking, a prefix).
  template <typename F>
  Status WithMessages(F f) const {
    Status s = *this;
    s.message_ = f(message_);
    if (!zh_.empty()) s.zh_ = f(zh_);
    return s;
  }
  // The part of the request the error is about, as a field path of the
  // command ("open_case.person.hkid"); empty when it is about no one field.
  // Surfaces use it to put the error beside the right flag or form control.
  const std::string& field() const { return field_; }
  Status WithField(std::string field) const {
    Status s = *this;
    s.field_ = std::move(field);
    return s;
  }

  // "NOT_FOUND: no case SZ-2026-0099"
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
  std::string zh_;
  std::string field_;
};

// A value or the Status saying why there is none.
// REQUIRES: a Result is never built from an OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}            // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}     // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(v_); }
  // The error; OK when a value is held.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(v_); }

  // REQUIRES: ok().
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace model

// Returns from the enclosing function when `expr` (a Status) is not OK.
#define RETURN_IF_ERROR(expr)                  \
  do {                                         \
    ::model::Status status_macro_ = (expr);    \
    if (!status_macro_.ok()) return status_macro_; \
  } while (false)

#define MODEL_CONCAT_INNER_(a, b) a##b
#define MODEL_CONCAT_(a, b) MODEL_CONCAT_INNER_(a, b)

// `ASSIGN_OR_RETURN(auto x, MakeX());` binds the value or returns the error.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL_(MODEL_CONCAT_(result_macro_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                           \
  if (!tmp.ok()) return tmp.status();          \
  lhs = std::move(tmp).value()

#endif  // MODEL_STATUS_H_
