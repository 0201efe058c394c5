// Text fields: the one place that decides which control characters a name or a message may hold.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace sb::text {

// Single-line: names, titles, labels. Multi-line: prompts, greetings, message and template bodies.
enum class Lines { single, multi };

inline constexpr const char* kSingleLineMessage = "Must be one line without control characters.";
inline constexpr const char* kMultiLineMessage =
    "Must not contain control characters (line breaks and tabs are fine).";

// Refused everywhere: C0 controls other than tab, and DEL. Multi-line text also allows "\n" and
// "\r\n" (a lone "\r" is refused: it hides the line before it in a terminal).
bool has_forbidden_controls(std::string_view value, Lines lines);

// Records the field's message in errors when value holds a refused character and the field has
// no other problem yet (the first problem a person should fix is the one shown).
void check(std::map<std::string, std::string>& errors, const std::string& field, std::string_view value, Lines lines);

}  // namespace sb::text
