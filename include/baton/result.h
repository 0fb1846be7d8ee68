// Errors a user can cause (a bad file, a bad query, a missing folder) travel as values with a message
// that says what to do; exceptions are kept for the truly exceptional and caught at module boundaries.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace baton {

/// What went wrong, as far as a caller must tell apart (the HTTP layer maps these to status codes).
enum class ErrorKind {
  invalid,      ///< the request or input is wrong (HTTP 400)
  not_found,    ///< what was asked for does not exist (HTTP 404)
  unavailable,  ///< a resource is busy or missing: lock held, no index yet (HTTP 503)
  unauthorized, ///< a signature, token or timestamp does not check out (HTTP 401)
};

/// An error with a message meant for the user ("no index in ./baton-data: run `baton index ROOT`").
struct Error {
  std::string message;
  ErrorKind kind = ErrorKind::invalid;
};

/// Either a value or an Error. `ok()` says which; `value()` and `error()` must match it.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T& value() const& { return std::get<0>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

/// Result of an operation that produces nothing but may fail.
struct Ok {};
using Status = Result<Ok>;

inline Error make_error(std::string message, ErrorKind kind = ErrorKind::invalid) {
  return Error{std::move(message), kind};
}

}  // namespace baton
