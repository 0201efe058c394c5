// Control characters: every create and update route refuses them in text fields with a 422 naming
// the field, and changes nothing; multi-line fields keep their line breaks.
#include <functional>
#include <optional>

#include "integration/teams_fixture.hpp"

namespace sb::test {
namespace {
namespace json = boost::json;
using namespace std::string_literals;

const std::string kSingle = "Must be one line without control characters.";
const std::string kMulti = "Must not contain control characters (line breaks and tabs are fine).";

struct Case {
  std::string label;
  std::string method;
  std::string path;
  std::function<json::object(const std::string&)> body;  // the request with the field set to a value
  std::string field;                                     // the field the error names
  bool multi_line = false;
  std::string snapshot;  // a GET whose answer must not change after a refusal ("" for none)
  std::optional<std::string> clean = std::nullopt;  // a value the route accepts, proving the refusal is the character's
  std::optional<std::string> message = std::nullopt;  // when another rule already names the field
};

class ControlCharactersTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    users = make_people(base_url);
    team = make_team(base_url, users);
    base = "/api/orgs/" + team.org_id;
  }
  Agent& owner() { return users.people.at("owner"); }

  // Sends the case with one hostile value; expects 422 naming the field and no change.
  void expect_refused(const Case& c, const std::string& value, const std::string& why) {
    std::string before = c.snapshot.empty() ? "" : owner().get(c.snapshot).body;
    auto reply = owner().send(c.method, c.path, json::serialize(c.body(value)));
    ASSERT_EQ(reply.status, 422) << c.label << " with " << why << ": " << reply.body;
    EXPECT_EQ(reply.error_code(), "validation_failed") << c.label;
    auto fields = reply.json().at("error").at("details").at("fields").as_object();
    ASSERT_TRUE(fields.contains(c.field)) << c.label << " with " << why << ": " << reply.body;
    EXPECT_EQ(fields.at(c.field).as_string(), c.message.value_or(c.multi_line ? kMulti : kSingle))
        << c.label << " with " << why;
    if (!c.snapshot.empty()) EXPECT_EQ(owner().get(c.snapshot).body, before) << c.label << " changed with " << why;
  }

  void run(const Case& c) {
    expect_refused(c, "Bad\0value"s, "NUL");
    expect_refused(c, "Bad\x1b[31mvalue", "ESC");
    expect_refused(c, "Bad\x7fvalue", "DEL");
    expect_refused(c, "Bad\x0bvalue", "vertical tab");
    if (c.multi_line) {
      expect_refused(c, "Bad\rvalue", "a lone carriage return");
      std::string lines = "Line one\nLine two\r\n\tindented";
      auto ok = owner().send(c.method, c.path, json::serialize(c.body(lines)));
      EXPECT_LT(ok.status, 300) << c.label << " refused line breaks: " << ok.body;
      if (ok.status < 300 && ok.json().as_object().contains(c.field) && ok.json().at(c.field).is_string())
        EXPECT_EQ(ok.json().at(c.field).as_string(), lines) << c.label << " kept its line breaks";
    } else {
      expect_refused(c, "Line one\nLine two", "a line break");
      expect_refused(c, "Line one\r\nLine two", "CR LF");
      if (c.clean) {
        auto ok = owner().send(c.method, c.path, json::serialize(c.body(*c.clean)));
        EXPECT_LT(ok.status, 300) << c.label << " refused a clean value: " << ok.body;
      }
    }
  }

  TeamUsers users;
  Team team;
  std::string base;
};

TEST_F(ControlCharactersTest, BotsRefuseThemInEveryTextField) {
  std::string bot = "/api/bots/" + team.bot_id;
  auto with = [](std::string field, json::object rest = {}) {
    return [field, rest](const std::string& v) {
      json::object o = rest;
      o[field] = v;
      return o;
    };
  };
  std::vector<Case> cases = {
      {"create bot: name", "POST", "/api/bots", with("name"), "name", false, "/api/bots", "Plain bot"},
      {"create bot: description", "POST", "/api/bots", with("description", {{"name", "Described bot"}}), "description", false,
       "/api/bots", "Plain description"},
      {"create bot: system prompt", "POST", "/api/bots", with("system_prompt", {{"name", "Prompted bot"}}), "system_prompt", true,
       "/api/bots"},
      {"update bot: name", "PATCH", bot, with("name"), "name", false, bot, "Plain name"},
      {"update bot: description", "PATCH", bot, with("description"), "description", false, bot, "Plain"},
      {"update bot: system prompt", "PATCH", bot, with("system_prompt"), "system_prompt", true, bot},
      {"update bot: greeting", "PATCH", bot, with("greeting"), "greeting", true, bot},
      {"update bot: fallback", "PATCH", bot, with("fallback_message"), "fallback_message", true, bot},
  };
  for (const auto& c : cases) run(c);
}

TEST_F(ControlCharactersTest, TemplatesRefuseThemInEveryTextField) {
  std::string tpl = "/api/templates/" + team.template_id;
  auto with = [](std::string field, json::object rest = {}) {
    return [field, rest](const std::string& v) {
      json::object o = rest;
      o[field] = v;
      return o;
    };
  };
  std::vector<Case> cases = {
      {"create template: name", "POST", "/api/templates", with("name", {{"manual", true}, {"body", "Hi"}}), "name", false,
       "/api/templates", "Plain template"},
      {"create template: category", "POST", "/api/templates", with("category", {{"name", "T category"}, {"manual", true}, {"body", "Hi"}}),
       "category", false, "/api/templates", "Plain category"},
      {"create template: body", "POST", "/api/templates", with("body", {{"name", "T body"}, {"manual", true}}), "body", true, "/api/templates"},
      {"update template: name", "PATCH", tpl, with("name"), "name", false, tpl, "Plain name"},
      {"update template: body", "PATCH", tpl, with("body"), "body", true, tpl},
      {"update template: trigger phrase", "PATCH", tpl,
       [](const std::string& v) { return json::object{{"trigger_phrases", json::array{"opening hours", json::string(v)}}}; },
       "trigger_phrases", false, tpl, "closing hours"},
      {"update template: variable default", "PATCH", tpl,
       [](const std::string& v) {
         return json::object{{"body", "Hi from {{shop}}"},
                             {"variables", json::array{json::object{{"name", "shop"}, {"default", v}}}}};
       },
       "variables", false, tpl, "Acme shop"},
      {"update template: platform variant", "PATCH", tpl,
       [](const std::string& v) { return json::object{{"platform_variants", json::object{{"slack", v}}}}; },
       "platform_variants", true, tpl},
  };
  for (const auto& c : cases) run(c);
}

TEST_F(ControlCharactersTest, OrganisationsProfilesKeysAndInvitationsRefuseThem) {
  auto with = [](std::string field, json::object rest = {}) {
    return [field, rest](const std::string& v) {
      json::object o = rest;
      o[field] = v;
      return o;
    };
  };
  std::vector<Case> cases = {
      {"create organisation: name", "POST", "/api/orgs", with("name"), "name", false, "/api/orgs", "Plain org"},
      {"rename organisation", "PATCH", base, with("name"), "name", false, base, "Acme plain"},
      {"profile: name", "PATCH", "/api/profile", with("name"), "name", false, "/api/profile", "Plain person"},
      {"create API key: name", "POST", base + "/api-keys", with("name", {{"role", "viewer"}}), "name", false,
       base + "/api-keys", "Plain key"},
      {"invite: email", "POST", base + "/invites",
       [](const std::string& v) { return json::object{{"email", "new" + v + "@example.com"}, {"role", "viewer"}}; },
       "email", false, base + "/invites", "plain", "Enter a valid email address."},
  };
  for (const auto& c : cases) run(c);
}

TEST_F(ControlCharactersTest, IntegrationsRefuseThemInNamesAndCredentials) {
  std::string integration = "/api/integrations/" + team.integration_id;
  std::vector<Case> cases = {
      {"connect: name", "POST", "/api/integrations",
       [](const std::string& v) { return json::object{{"platform", "webchat"}, {"name", v}}; }, "name", false,
       "/api/integrations", "Plain chat"},
      {"rename integration", "PATCH", integration, [](const std::string& v) { return json::object{{"name", v}}; },
       "name", false, integration, "Plain site chat"},
      {"connect: credential", "POST", "/api/integrations",
       [](const std::string& v) {
         return json::object{{"platform", "telegram"},
                             {"name", "Telegram"},
                             {"credentials", json::object{{"bot_token", "123456789:" + v + std::string(35, 'A')}}}};
       },
       "credentials.bot_token", false, "/api/integrations"},
  };
  for (const auto& c : cases) run(c);
  // The refusal never repeats a credential.
  auto reply = owner().post("/api/integrations", {{"platform", "telegram"},
                                                  {"name", "Telegram"},
                                                  {"credentials", {{"bot_token", "123456789:secret\x1bvalue"}}}});
  EXPECT_EQ(reply.status, 422);
  EXPECT_EQ(reply.body.find("secret"), std::string::npos) << reply.body;
}

TEST_F(ControlCharactersTest, TestConsoleMessagesKeepLineBreaksButNotControls) {
  Case c{"console message", "POST", "/api/bots/" + team.bot_id + "/chat",
         [](const std::string& v) { return json::object{{"text", v}}; }, "text", true, "/api/conversations"};
  run(c);
}

TEST_F(ControlCharactersTest, SignupRefusesAControlCharacterInTheNameAndCreatesNoAccount) {
  Agent newcomer = agent();
  auto reply = newcomer.post("/api/auth/signup", {{"email", "nul@example.com"},
                                                  {"password", "correct horse battery"},
                                                  {"name", "Evil\0Name"s}});
  ASSERT_EQ(reply.status, 422) << reply.body;
  EXPECT_EQ(reply.json().at("error").at("details").at("fields").at("name").as_string(), kSingle);
  EXPECT_EQ(agent().post("/api/auth/signin", {{"email", "nul@example.com"}, {"password", "correct horse battery"}}).status,
            401)
      << "no account was created";
}

}  // namespace
}  // namespace sb::test
