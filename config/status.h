// Status and Result<T>: how every fallible call that crosses a module
// boundary reports failure. Modelled on leveldb/status.h.
//
// A Status is OK, or carries a code, a plain message and the place it is
// about ("nianbao.yaml:14:5", a URL, a key, a file path). Exceptions never
// cross a module boundary: libraries that throw are caught at the edge and
// turned into a Status that keeps the place.
#ifndef NIANBAO_CONFIG_STATUS_H_
#define NIANBAO_CONFIG_STATUS_H_

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace nianbao {

class Status {
 public:
  enum class Code { kOk, kInvalidArgument, kNotFound, kCorruption, kIOError, kBusy, kUnsupported, kOverBudget };

  Status() = default;
  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string msg, std::string where = {}) {
    return Status(Code::kInvalidArgument, std::move(msg), std::move(where));
  }
  static Status NotFound(std::string msg, std::string where = {}) {
    return Status(Code::kNotFound, std::move(msg), std::move(where));
  }
  static Status Corruption(std::string msg, std::string where = {}) {
    return Status(Code::kCorruption, std::move(msg), std::move(where));
  }
  static Status IOError(std::string msg, std::string where = {}) {
    return Status(Code::kIOError, std::move(msg), std::move(where));
  }
  static Status Busy(std::string msg, std::string where = {}) {
    return Status(Code::kBusy, std::move(msg), std::move(where));
  }
  static Status Unsupported(std::string msg, std::string where = {}) {
    return Status(Code::kUnsupported, std::move(msg), std::move(where));
  }
  // Work stopped because the caller's budget for it (a page's CPU time) ran out.
  static Status OverBudget(std::string msg, std::string where = {}) {
    return Status(Code::kOverBudget, std::move(msg), std::move(where));
  }

  bool ok() const { return code_ == Code::kOk; }
  bool IsInvalidArgument() const { return code_ == Code::kInvalidArgument; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsCorruption() const { return code_ == Code::kCorruption; }
  bool IsIOError() const { return code_ == Code::kIOError; }
  bool IsBusy() const { return code_ == Code::kBusy; }
  bool IsOverBudget() const { return code_ == Code::kOverBudget; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& where() const { return where_; }

  // "where: message", or "OK".
  std::string ToString() const;

 private:
  Status(Code code, std::string msg, std::string where)
      : code_(code), message_(std::move(msg)), where_(std::move(where)) {}
  Code code_ = Code::kOk;
  std::string message_;
  std::string where_;
};

// A value or the Status saying why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}           // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}    // REQUIRES: !status.ok()
  bool ok() const { return std::holds_alternative<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T& value() & { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  Status status() const { return ok() ? Status::OK() : std::get<Status>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace nianbao

#endif  // NIANBAO_CONFIG_STATUS_H_
