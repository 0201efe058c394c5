// JSON helpers: parse a request body into an object, read typed fields collecting per-field errors.
#pragma once

#include <boost/json.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sb::json {

// 400 invalid_json unless the text is a JSON object.
Result<boost::json::object> parse_object(std::string_view text);

// Reads fields of a JSON object; wrong types and missing required fields become 422 field errors.
class FieldReader {
 public:
  explicit FieldReader(const boost::json::object& obj) : obj_(obj) {}
  // Missing → nullopt (and an error when required). Wrong type → an error. Strings are trimmed
  // unless raw is set (passwords keep their spaces).
  std::optional<std::string> string(std::string_view name, bool required, std::size_t max_length = 10000,
                                    bool raw = false);
  // A string that may be explicitly null: outer nullopt = absent, inner nullopt = null.
  std::optional<std::optional<std::string>> nullable_string(std::string_view name, std::size_t max_length = 10000);
  // Missing or null → nullopt. Anything but true or false → an error.
  std::optional<bool> boolean(std::string_view name);
  void fail(std::string_view name, std::string message);
  bool has_error(std::string_view name) const { return errors_.count(std::string(name)) > 0; }
  bool ok() const { return errors_.empty(); }
  Error error() const { return Error::validation(errors_); }

 private:
  const boost::json::object& obj_;
  std::map<std::string, std::string> errors_;
};

}  // namespace sb::json
