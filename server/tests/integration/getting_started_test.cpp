// The dashboard's getting-started checklist over real HTTP: each step ticks from real state.
#include "integration/messaging_fixture.hpp"

namespace sb::test {
namespace {

class GettingStartedTest : public MessagingTest {
 protected:
  // key → done, from GET /api/getting-started as the given agent.
  std::map<std::string, bool> steps(Agent& who) {
    auto r = who.get("/api/getting-started");
    EXPECT_EQ(r.status, 200) << r.body;
    std::map<std::string, bool> out;
    if (r.status != 200) return out;
    const auto body = r.json();  // keep the parsed body alive across the loop
    for (const auto& s : body.at("steps").as_array())
      out[std::string(s.at("key").as_string())] = s.at("done").as_bool();
    std::int64_t done = 0;
    for (const auto& [k, v] : out) done += v ? 1 : 0;
    EXPECT_EQ(body.at("completed").as_int64(), done);
    EXPECT_EQ(body.at("total").as_int64(), static_cast<std::int64_t>(out.size()));
    return out;
  }
};

TEST_F(GettingStartedTest, EachStepTicksFromRealState) {
  // A brand-new organisation has done nothing yet.
  Agent fresh = agent();
  fresh.signup(unique_email("fresh"));
  std::map<std::string, bool> none = {{"bot_created", false},       {"template_written", false},
                                      {"platform_connected", false}, {"bot_deployed", false},
                                      {"first_conversation", false}, {"teammate_invited", false}};
  EXPECT_EQ(steps(fresh), none);

  // The fixture's owner has a template and a bot; another organisation's progress does not leak in.
  auto s = steps(owner);
  EXPECT_TRUE(s["bot_created"]);
  EXPECT_TRUE(s["template_written"]);
  EXPECT_FALSE(s["platform_connected"]);
  EXPECT_FALSE(s["bot_deployed"]);
  EXPECT_EQ(steps(fresh), none) << "another organisation's bot and template do not count";

  // An integration that is not verified is not "connected".
  auto unverified = owner.post("/api/integrations", {{"platform", "telegram"}, {"name", "Unchecked"},
                                                     {"credentials", {{"bot_token", "7654321098:AAHuncheckedBotToken0123456789abcdef"}}}});
  ASSERT_EQ(unverified.status, 201) << unverified.body;
  EXPECT_FALSE(steps(owner)["platform_connected"]);

  std::string integration = connect_telegram();  // verifies and deploys
  s = steps(owner);
  EXPECT_TRUE(s["platform_connected"]);
  EXPECT_TRUE(s["bot_deployed"]);
  EXPECT_FALSE(s["first_conversation"]);

  ASSERT_EQ(deliver_telegram(integration, telegram_update(1, "opening hours?"), telegram_secret).status, 200);
  run();
  EXPECT_TRUE(steps(owner)["first_conversation"]);

  EXPECT_FALSE(steps(owner)["teammate_invited"]);
  std::string org_id = str(owner.get("/api/auth/session").json().at("organization").at("id"));
  auto invite = owner.post("/api/orgs/" + org_id + "/invites", {{"email", "colleague@example.com"}, {"role", "member"}});
  ASSERT_EQ(invite.status, 201) << invite.body;
  s = steps(owner);
  EXPECT_TRUE(s["teammate_invited"]);
  for (const auto& [key, done] : s) EXPECT_TRUE(done) << key;

  // Steps follow the state: deleting the invitation un-ticks its step.
  std::string invite_id = str(invite.json().at("id"));
  ASSERT_EQ(owner.send("DELETE", "/api/orgs/" + org_id + "/invites/" + invite_id).status, 204);
  EXPECT_FALSE(steps(owner)["teammate_invited"]);
}

TEST_F(GettingStartedTest, NeedsASignedInMember) {
  Agent stranger = agent();
  EXPECT_EQ(stranger.get("/api/getting-started").status, 401);
}

}  // namespace
}  // namespace sb::test
