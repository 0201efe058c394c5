// Control characters in text fields: what single-line and multi-line fields refuse.
#include <gtest/gtest.h>

#include "core/text.hpp"

namespace sb::text {
namespace {

using namespace std::string_literals;

TEST(TextTest, SingleLineRefusesEveryC0ControlButTabAndDel) {
  for (int c = 0; c < 0x20; ++c) {
    std::string value = "Support"s + static_cast<char>(c) + "bot";
    EXPECT_EQ(has_forbidden_controls(value, Lines::single), c != '\t') << "character " << c;
  }
  EXPECT_TRUE(has_forbidden_controls("Support\x7f", Lines::single));
  EXPECT_TRUE(has_forbidden_controls("\0"s, Lines::single)) << "a lone NUL";
  EXPECT_TRUE(has_forbidden_controls("a\nb", Lines::single));
  EXPECT_TRUE(has_forbidden_controls("a\r\nb", Lines::single));
  EXPECT_FALSE(has_forbidden_controls("", Lines::single));
  EXPECT_FALSE(has_forbidden_controls("Café — ünïcode ✓ 日本", Lines::single)) << "UTF-8 is text, not control";
}

TEST(TextTest, MultiLineAllowsLineBreaksAndTabsOnly) {
  EXPECT_FALSE(has_forbidden_controls("Hello\nthere\r\n\tindented\n", Lines::multi));
  EXPECT_TRUE(has_forbidden_controls("Hello\rthere", Lines::multi)) << "a lone carriage return";
  EXPECT_TRUE(has_forbidden_controls("Hello\r", Lines::multi));
  EXPECT_TRUE(has_forbidden_controls("Hello\x1b[31mred", Lines::multi));
  EXPECT_TRUE(has_forbidden_controls("Hello\0"s, Lines::multi));
  EXPECT_TRUE(has_forbidden_controls("Hello\x7f", Lines::multi));
  EXPECT_TRUE(has_forbidden_controls("\x0b\x0c", Lines::multi)) << "vertical tab and form feed";
}

TEST(TextTest, CheckNamesTheFieldAndKeepsAnEarlierProblem) {
  std::map<std::string, std::string> errors;
  check(errors, "name", "a\nb", Lines::single);
  check(errors, "greeting", "a\nb", Lines::multi);
  check(errors, "fallback_message", "a\x1b", Lines::multi);
  EXPECT_EQ(errors.at("name"), kSingleLineMessage);
  EXPECT_EQ(errors.count("greeting"), 0u);
  EXPECT_EQ(errors.at("fallback_message"), kMultiLineMessage);
  errors["description"] = "Use at most 500 characters.";
  check(errors, "description", "\x01", Lines::multi);
  EXPECT_EQ(errors.at("description"), "Use at most 500 characters.");
}

}  // namespace
}  // namespace sb::text
