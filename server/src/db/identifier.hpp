// An SQL identifier (table, column, LISTEN channel) in double quotes, inner quotes doubled: the same
// text is safe in both dialects, whatever the name holds.
#pragma once

#include <string>
#include <string_view>

namespace sb::db {

inline std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace sb::db
