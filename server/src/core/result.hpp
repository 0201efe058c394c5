// Error and Result<T>: expected failures travel as values, mapped to HTTP statuses in one place.
#pragma once

#include <boost/json.hpp>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace sb {

// Error codes are the stable strings clients see in {"error":{"code":…}}.
struct Error {
  std::string code;
  std::string message;
  boost::json::object details;
  int retry_after_seconds = 0;  // for rate_limited

  static Error invalid_json(std::string message = "The request body is not valid JSON.");
  static Error validation(std::map<std::string, std::string> fields,
                          std::string message = "Some fields are invalid.");
  static Error unauthenticated(std::string message = "Sign in to continue.");
  static Error invalid_credentials();
  static Error csrf_failed();
  static Error forbidden(std::string message = "You do not have permission to do this.");
  static Error not_found(std::string message = "Not found.");
  static Error conflict(std::string message);
  static Error rate_limited(int retry_after_seconds, std::string message);
  static Error payload_too_large(std::size_t limit_bytes);
  static Error unsupported_media_type();
  static Error unavailable(std::string message);
  static Error internal();
};

// The one mapping from error code to HTTP status.
int http_status_for(const Error& error);

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

struct Unit {};
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}
  bool ok() const { return !error_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *error_; }

 private:
  std::optional<Error> error_;
};

}  // namespace sb
