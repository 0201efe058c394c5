// Template rendering and trigger phrase normalisation.
#include "templates/renderer.hpp"

#include <cctype>

namespace sb::templates {

const std::set<std::string>& builtin_variables() {
  static const std::set<std::string> names = {"user_name", "bot_name", "platform"};
  return names;
}

namespace {

bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > 40 || !(std::islower(static_cast<unsigned char>(name[0])) || name[0] == '_'))
    return false;
  for (char c : name)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_'))
      return false;
  return true;
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(' ');
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(' ') - b + 1);
}

// Walks the body, calling on_text for literal runs and on_var for each variable name.
template <typename OnText, typename OnVar>
Result<void> scan(const std::string& body, OnText on_text, OnVar on_var) {
  std::size_t i = 0;
  while (i < body.size()) {
    auto open = body.find("{{", i);
    auto stray_close = body.find("}}", i);
    if (stray_close != std::string::npos && (open == std::string::npos || stray_close < open))
      return Error::validation({{"body", "There is a \"}}\" at character " + std::to_string(stray_close + 1) +
                                             " without a \"{{\" before it."}});
    if (open == std::string::npos) {
      on_text(body.substr(i));
      break;
    }
    on_text(body.substr(i, open - i));
    auto close = body.find("}}", open + 2);
    if (close == std::string::npos)
      return Error::validation({{"body", "The \"{{\" at character " + std::to_string(open + 1) + " is never closed with \"}}\"."}});
    std::string name = trim(body.substr(open + 2, close - open - 2));
    if (name.find("{{") != std::string::npos || !valid_name(name))
      return Error::validation({{"body", "\"{{" + body.substr(open + 2, close - open - 2) +
                                             "}}\" is not a variable name: use lower-case letters, digits and _."}});
    if (auto r = on_var(name); !r) return r;
    i = close + 2;
  }
  return {};
}

}  // namespace

Result<void> validate(const std::string& body, const std::set<std::string>& declared) {
  if (body.empty()) return Error::validation({{"body", "Write the text of the answer."}});
  if (body.size() > kMaxBodyLength)
    return Error::validation({{"body", "Use at most " + std::to_string(kMaxBodyLength) + " characters."}});
  return scan(
      body, [](const std::string&) {},
      [&](const std::string& name) -> Result<void> {
        if (builtin_variables().count(name) || declared.count(name)) return {};
        return Error::validation({{"body", "{{" + name + "}} is not a known variable. Declare it, or use " +
                                               "{{user_name}}, {{bot_name}} or {{platform}}."}});
      });
}

Result<std::string> render(const std::string& body, const std::map<std::string, std::string>& values,
                           const std::map<std::string, std::string>& defaults) {
  std::set<std::string> declared;
  for (const auto& [name, value] : defaults) declared.insert(name);
  if (auto ok = validate(body, declared); !ok) return ok.error();
  std::string out;
  auto done = scan(
      body, [&](const std::string& text) { out += text; },
      [&](const std::string& name) -> Result<void> {
        if (auto it = values.find(name); it != values.end() && !it->second.empty()) out += it->second;
        else if (auto d = defaults.find(name); d != defaults.end()) out += d->second;
        return {};
      });
  if (!done) return done.error();
  return out;
}

std::string normalize(const std::string& text) {
  std::string out;
  bool space = true;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c >= 0x80) {  // keep non-ASCII letters as they are
      out += static_cast<char>(std::tolower(c));
      space = false;
    } else if (!space) {
      out += ' ';
      space = true;
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

bool phrase_matches(const std::string& text, const std::string& phrase) {
  if (phrase.empty()) return false;
  std::string padded_text = " " + text + " ";
  return padded_text.find(" " + phrase + " ") != std::string::npos;
}

}  // namespace sb::templates
