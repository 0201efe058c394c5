// Control characters in text fields.
#include "core/text.hpp"

namespace sb::text {

bool has_forbidden_controls(std::string_view value, Lines lines) {
  for (std::size_t i = 0; i < value.size(); ++i) {
    auto c = static_cast<unsigned char>(value[i]);
    if (c == '\t') continue;
    if (c == 0x7f) return true;
    if (c >= 0x20) continue;
    if (lines == Lines::multi && c == '\n') continue;
    if (lines == Lines::multi && c == '\r' && i + 1 < value.size() && value[i + 1] == '\n') continue;
    return true;
  }
  return false;
}

void check(std::map<std::string, std::string>& errors, const std::string& field, std::string_view value, Lines lines) {
  if (!has_forbidden_controls(value, lines)) return;
  errors.try_emplace(field, lines == Lines::single ? kSingleLineMessage : kMultiLineMessage);
}

}  // namespace sb::text
