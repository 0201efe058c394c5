// JSON body parsing and field reading.
#include "core/json.hpp"

namespace sb::json {
namespace {
std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}
}  // namespace

Result<boost::json::object> parse_object(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec) return Error::invalid_json("The request body is not valid JSON: " + ec.message() + ".");
  if (!v.is_object()) return Error::invalid_json("The request body must be a JSON object.");
  return std::move(v.as_object());
}

std::optional<std::string> FieldReader::string(std::string_view name, bool required, std::size_t max_length,
                                               bool raw) {
  auto it = obj_.find(name);
  if (it == obj_.end() || it->value().is_null()) {
    if (required) fail(name, "This field is required.");
    return std::nullopt;
  }
  if (!it->value().is_string()) {
    fail(name, "Must be a string.");
    return std::nullopt;
  }
  std::string value = raw ? std::string(it->value().as_string()) : trim(it->value().as_string());
  if (required && value.empty()) {
    fail(name, "This field is required.");
    return std::nullopt;
  }
  if (value.size() > max_length) {
    fail(name, "Must be at most " + std::to_string(max_length) + " characters.");
    return std::nullopt;
  }
  return value;
}

std::optional<bool> FieldReader::boolean(std::string_view name) {
  auto it = obj_.find(name);
  if (it == obj_.end() || it->value().is_null()) return std::nullopt;
  if (it->value().is_bool()) return it->value().as_bool();
  fail(name, "Must be true or false.");
  return std::nullopt;
}

std::optional<std::optional<std::string>> FieldReader::nullable_string(std::string_view name, std::size_t max_length) {
  auto it = obj_.find(name);
  if (it == obj_.end()) return std::nullopt;
  if (it->value().is_null()) return std::optional<std::string>{};
  auto v = string(name, false, max_length);
  if (!v) return std::nullopt;
  if (v->empty()) return std::optional<std::string>{};
  return std::optional<std::string>{*v};
}

void FieldReader::fail(std::string_view name, std::string message) {
  errors_.emplace(std::string(name), std::move(message));
}

}  // namespace sb::json
