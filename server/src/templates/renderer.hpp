// The one template renderer: {{variable}} substitution with validation, used by preview and replies alike.
#pragma once

#include <map>
#include <set>
#include <string>

#include "core/result.hpp"

namespace sb::templates {

inline constexpr std::size_t kMaxBodyLength = 2000;
// Variables every template may use; their values come from the conversation.
const std::set<std::string>& builtin_variables();

// Checks a body: balanced {{ }}, variable names of [a-z_][a-z0-9_]*, every variable either
// built in or declared, at most kMaxBodyLength characters. The message says what is wrong where.
Result<void> validate(const std::string& body, const std::set<std::string>& declared);

// Validates, then substitutes each {{name}} (spaces inside the braces allowed) with its value;
// a variable without a value renders as its declared default, else as "".
Result<std::string> render(const std::string& body, const std::map<std::string, std::string>& values,
                           const std::map<std::string, std::string>& defaults);

// Lower case, punctuation to spaces, spaces collapsed: "What are your Opening-Hours?" → "what are your opening hours".
std::string normalize(const std::string& text);
// True when the normalised phrase occurs in the normalised text as whole words.
bool phrase_matches(const std::string& normalized_text, const std::string& normalized_phrase);

}  // namespace sb::templates
