// Two-factor sign-in over real HTTP: enrolment, the second step of sign-in, recovery codes,
// organisations that require it, and a platform admin's reset.
#include <atomic>

#include "core/totp.hpp"
#include "integration/harness.hpp"

namespace sb::test {
namespace {
namespace json = boost::json;

std::string str(const json::value& v) { return std::string(v.as_string()); }

class TwoFactorTest : public ServerTest {
 protected:
  const Clock* clock() override { return &test_clock; }

  // Sets up two-factor for a signed-in agent; returns the raw secret and keeps the recovery codes.
  std::string enrol(Agent& who, std::vector<std::string>* recovery = nullptr) {
    auto setup = who.post("/api/auth/two-factor/setup", json::object{});
    EXPECT_EQ(setup.status, 200) << setup.body;
    auto secret = totp::base32_decode(str(setup.json().at("secret"))).value_or("");
    auto enabled = who.post("/api/auth/two-factor/enable", {{"code", totp::code_at(secret, test_clock.now_ms())}});
    EXPECT_EQ(enabled.status, 200) << enabled.body;
    auto body = enabled.json();
    if (recovery && body.is_object())
      for (const auto& c : body.at("recovery_codes").as_array()) recovery->push_back(str(c));
    test_clock.advance(totp::kStepMs);  // the enrolment's code is used; sign-ins take the next ones
    return secret;
  }

  std::string code(const std::string& secret) { return totp::code_at(secret, test_clock.now_ms()); }

  // Signs in with the password; answers the challenge (or "" when a session came at once).
  std::string password_step(Agent& who, const std::string& email) {
    auto r = who.post("/api/auth/signin", {{"email", email}, {"password", "correct horse battery"}});
    EXPECT_EQ(r.status, 200) << r.body;
    auto body = r.json().as_object();
    if (!body.contains("two_factor_required")) {
      who.csrf = str(body.at("csrf_token"));
      return "";
    }
    EXPECT_TRUE(r.header("set-cookie").empty()) << "no session before the second factor";
    EXPECT_EQ(r.header("cache-control"), "no-store");
    return str(body.at("challenge"));
  }

  TestClock test_clock;
};

TEST_F(TwoFactorTest, EnrolmentNeedsARightCodeAndGivesTenRecoveryCodes) {
  auto ada = agent();
  auto email = unique_email("ada");
  ada.signup(email);
  EXPECT_FALSE(ada.get("/api/auth/session").json().at("user").at("two_factor_enabled").as_bool());
  EXPECT_EQ(ada.post("/api/auth/two-factor/enable", {{"code", "123456"}}).status, 409) << "no set-up started";

  auto setup = ada.post("/api/auth/two-factor/setup", json::object{});
  ASSERT_EQ(setup.status, 200) << setup.body;
  EXPECT_EQ(setup.header("cache-control"), "no-store");
  auto base32 = str(setup.json().at("secret"));
  auto uri = str(setup.json().at("otpauth_uri"));
  EXPECT_EQ(uri.rfind("otpauth://totp/Switchboard:", 0), 0u) << uri;
  EXPECT_NE(uri.find("secret=" + base32), std::string::npos);
  auto secret = totp::base32_decode(base32).value();

  for (std::string bad : {"", "12345", "abcdef", "1234567", "12 456"}) {
    auto r = ada.post("/api/auth/two-factor/enable", {{"code", bad}});
    EXPECT_EQ(r.status, 422) << bad;
  }
  auto wrong = std::to_string((std::stoi(code(secret)) + 1) % 1000000);
  wrong = std::string(6 - wrong.size(), '0') + wrong;
  EXPECT_EQ(ada.post("/api/auth/two-factor/enable", {{"code", wrong}}).status, 422);
  EXPECT_FALSE(ada.get("/api/auth/two-factor").json().at("enabled").as_bool());

  auto enabled = ada.post("/api/auth/two-factor/enable", {{"code", code(secret)}});
  ASSERT_EQ(enabled.status, 200) << enabled.body;
  auto codes = enabled.json().at("recovery_codes").as_array();
  EXPECT_EQ(codes.size(), 10u);
  auto status = ada.get("/api/auth/two-factor").json();
  EXPECT_TRUE(status.at("enabled").as_bool());
  EXPECT_EQ(status.at("recovery_codes_left").as_int64(), 10);
  EXPECT_TRUE(ada.get("/api/auth/session").json().at("user").at("two_factor_enabled").as_bool());
  EXPECT_EQ(ada.post("/api/auth/two-factor/setup", json::object{}).status, 409) << "already on";
  // The secret is never shown again.
  EXPECT_EQ(ada.get("/api/auth/two-factor").body.find(base32), std::string::npos);
}

TEST_F(TwoFactorTest, SignInAsksForTheCodeAndTakesEachCodeOnce) {
  auto email = unique_email("bea");
  auto bea = agent();
  bea.signup(email);
  auto secret = enrol(bea);

  auto laptop = agent();
  auto challenge = password_step(laptop, email);
  ASSERT_FALSE(challenge.empty());
  EXPECT_EQ(laptop.get("/api/auth/session").status, 401) << "the password alone signs nobody in";
  auto wrong = laptop.post("/api/auth/signin/two-factor", {{"challenge", challenge}, {"code", "000000"}});
  EXPECT_EQ(wrong.status, 422);
  auto right = laptop.post("/api/auth/signin/two-factor", {{"challenge", challenge}, {"code", code(secret)}});
  ASSERT_EQ(right.status, 200) << right.body;
  EXPECT_NE(right.header("set-cookie").find("sb_session="), std::string::npos);
  laptop.csrf = str(right.json().at("csrf_token"));
  EXPECT_EQ(laptop.get("/api/auth/session").status, 200);

  // The same code, on a fresh challenge within its 30 seconds, is refused: codes are used once.
  auto phone = agent();
  auto again = password_step(phone, email);
  EXPECT_EQ(phone.post("/api/auth/signin/two-factor", {{"challenge", again}, {"code", code(secret)}}).status, 422);
  test_clock.advance(totp::kStepMs);
  EXPECT_EQ(phone.post("/api/auth/signin/two-factor", {{"challenge", again}, {"code", code(secret)}}).status, 200);
  // A used challenge cannot sign in a second browser.
  auto thief = agent();
  EXPECT_EQ(thief.post("/api/auth/signin/two-factor", {{"challenge", again}, {"code", code(secret)}}).status, 401);
}

TEST_F(TwoFactorTest, ARecoveryCodeWorksOnceInAnySpelling) {
  auto email = unique_email("cy");
  auto cy = agent();
  cy.signup(email);
  std::vector<std::string> recovery;
  enrol(cy, &recovery);
  ASSERT_EQ(recovery.size(), 10u);

  auto a = agent();
  std::string upper = recovery[0];
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  auto r = a.post("/api/auth/signin/two-factor", {{"challenge", password_step(a, email)}, {"code", " " + upper + " "}});
  ASSERT_EQ(r.status, 200) << r.body;
  a.csrf = str(r.json().at("csrf_token"));
  EXPECT_EQ(a.get("/api/auth/two-factor").json().at("recovery_codes_left").as_int64(), 9);

  auto b = agent();
  EXPECT_EQ(b.post("/api/auth/signin/two-factor", {{"challenge", password_step(b, email)}, {"code", recovery[0]}}).status,
            422)
      << "a recovery code is used up";

  auto fresh = a.post("/api/auth/two-factor/recovery-codes", json::object{});
  ASSERT_EQ(fresh.status, 200) << fresh.body;
  EXPECT_EQ(fresh.json().at("recovery_codes").as_array().size(), 10u);
  auto c = agent();
  EXPECT_EQ(c.post("/api/auth/signin/two-factor", {{"challenge", password_step(c, email)}, {"code", recovery[1]}}).status,
            422)
      << "new codes replace the old ones";
}

TEST_F(TwoFactorTest, AChallengeDiesAfterFiveWrongCodesOrFiveMinutes) {
  auto email = unique_email("dee");
  auto dee = agent();
  dee.signup(email);
  auto secret = enrol(dee);

  auto a = agent();
  auto challenge = password_step(a, email);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(a.post("/api/auth/signin/two-factor", {{"challenge", challenge}, {"code", "999999"}}).status, 422);
  auto dead = a.post("/api/auth/signin/two-factor", {{"challenge", challenge}, {"code", code(secret)}});
  EXPECT_EQ(dead.status, 401) << "after five wrong codes the password must be given again";
  // Those wrong codes count like wrong passwords: the email is throttled now.
  auto throttled = a.post("/api/auth/signin", {{"email", email}, {"password", "correct horse battery"}});
  EXPECT_EQ(throttled.status, 429);

  test_clock.advance(16 * 60 * 1000);
  auto late = agent();
  auto old = password_step(late, email);
  test_clock.advance(5 * 60 * 1000 + 1);
  EXPECT_EQ(late.post("/api/auth/signin/two-factor", {{"challenge", old}, {"code", code(secret)}}).status, 401);

  // Hostile challenges: too long, empty, made up.
  EXPECT_EQ(late.post("/api/auth/signin/two-factor", {{"challenge", std::string(500, 'a')}, {"code", "123456"}}).status,
            422);
  EXPECT_EQ(late.post("/api/auth/signin/two-factor", {{"challenge", ""}, {"code", "123456"}}).status, 422);
  EXPECT_EQ(late.post("/api/auth/signin/two-factor", {{"challenge", "made-up"}, {"code", "123456"}}).status, 401);
}

TEST_F(TwoFactorTest, TurningItOffSignsInWithThePasswordAlone) {
  auto email = unique_email("eve");
  auto eve = agent();
  eve.signup(email);
  enrol(eve);
  EXPECT_EQ(eve.post("/api/auth/two-factor/disable", json::object{}).status, 204);
  EXPECT_FALSE(eve.get("/api/auth/two-factor").json().at("enabled").as_bool());
  auto a = agent();
  EXPECT_EQ(password_step(a, email), "") << "no challenge any more";
  EXPECT_EQ(eve.post("/api/auth/two-factor/disable", json::object{}).status, 409);
}

TEST_F(TwoFactorTest, ARememberedBrowserSkipsTheSecondStepForThirtyDays) {
  auto email = unique_email("rae");
  auto rae = agent();
  rae.signup(email);
  auto secret = enrol(rae);

  auto laptop = agent();
  auto challenge = password_step(laptop, email);
  ASSERT_FALSE(challenge.empty());
  auto remembered = laptop.post("/api/auth/signin/two-factor",
                                {{"challenge", challenge}, {"code", code(secret)}, {"remember_device", true}});
  ASSERT_EQ(remembered.status, 200) << remembered.body;
  EXPECT_EQ(laptop.post("/api/auth/signin/two-factor", {{"challenge", "x"}, {"code", "1"}, {"remember_device", "yes"}})
                .status,
            422)
      << "remember_device is true or false";

  // The same browser (its device cookie, a new session) needs only the password; others still the code.
  auto same_browser = agent();
  same_browser.cookies = laptop.cookies;
  EXPECT_EQ(password_step(same_browser, email), "") << "remembered: no challenge";
  auto other_browser = agent();
  EXPECT_FALSE(password_step(other_browser, email).empty());

  // Thirty days later it asks again.
  test_clock.advance(31LL * 24 * 3600 * 1000);
  auto a_month_later = agent();
  a_month_later.cookies = laptop.cookies;
  EXPECT_FALSE(password_step(a_month_later, email).empty());
}

TEST_F(TwoFactorTest, TurningItOffNeedsRecentProofAndForgetsRememberedBrowsers) {
  auto email = unique_email("sol");
  auto sol = agent();
  sol.signup(email);
  auto secret = enrol(sol);
  auto laptop = agent();
  auto challenge = password_step(laptop, email);
  ASSERT_EQ(laptop.post("/api/auth/signin/two-factor",
                        {{"challenge", challenge}, {"code", code(secret)}, {"remember_device", true}})
                .status,
            200);
  test_clock.advance(totp::kStepMs);

  // Signed in long ago: turning it off or making new recovery codes needs proof again.
  test_clock.advance(11 * 60'000);
  auto stale = sol.post("/api/auth/two-factor/disable", json::object{});
  EXPECT_EQ(stale.status, 403);
  EXPECT_EQ(stale.error_code(), "reauthentication_required");
  EXPECT_EQ(sol.post("/api/auth/two-factor/recovery-codes", json::object{}).error_code(), "reauthentication_required");
  // A code of the second factor proves it as well as the password does.
  EXPECT_EQ(sol.post("/api/auth/reauthenticate", {{"code", "000000"}}).status, 422);
  ASSERT_EQ(sol.post("/api/auth/reauthenticate", {{"code", code(secret)}}).status, 204);
  test_clock.advance(totp::kStepMs);
  EXPECT_EQ(sol.post("/api/auth/two-factor/disable", json::object{}).status, 204);

  // On again: the browser remembered before is asked for the code like any other.
  enrol(sol);
  auto same_browser = agent();
  same_browser.cookies = laptop.cookies;
  EXPECT_FALSE(password_step(same_browser, email).empty());
}

TEST_F(TwoFactorTest, AnOrganisationCanRequireItOfEveryMember) {
  auto owner = agent();
  auto owner_session = owner.signup(unique_email("owner"));
  auto org = "/api/orgs/" + str(owner_session["organization"].at("id"));
  auto refused = owner.patch(org, {{"require_two_factor", true}});
  EXPECT_EQ(refused.status, 422) << "the owner would lock themselves out";
  EXPECT_EQ(owner.patch(org, {{"require_two_factor", "yes"}}).status, 422);
  enrol(owner);

  // A member joins through an invitation.
  auto member_email = unique_email("member");
  auto invite = owner.post(org + "/invites", {{"email", member_email}, {"role", "admin"}});
  ASSERT_EQ(invite.status, 201) << invite.body;
  auto member = agent();
  member.signup(member_email);
  auto url = str(invite.json().at("accept_url"));
  ASSERT_EQ(member.post("/api/invites/accept", {{"token", url.substr(url.rfind('/') + 1)}}).status, 200);
  EXPECT_EQ(member.patch(org, {{"require_two_factor", true}}).status, 403) << "admins cannot decide it";

  auto set = owner.patch(org, {{"require_two_factor", true}});
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_TRUE(set.json().at("require_two_factor").as_bool());
  auto audit = owner.get(org + "/audit").body;
  EXPECT_NE(audit.find("organization.two_factor_requirement_changed"), std::string::npos);

  // The member is asked to enrol, and cannot act in the organisation before.
  auto session = member.get("/api/auth/session");
  ASSERT_EQ(session.status, 200);
  EXPECT_TRUE(session.json().at("two_factor_enrollment_required").as_bool());
  auto bots = member.get("/api/bots");
  EXPECT_EQ(bots.status, 403);
  EXPECT_EQ(bots.error_code(), "two_factor_enrollment_required");
  EXPECT_EQ(member.get(org + "/members").status, 403);
  enrol(member);
  EXPECT_EQ(member.get("/api/bots").status, 200);
  EXPECT_FALSE(member.get("/api/auth/session").json().at("two_factor_enrollment_required").as_bool());
  // The owner's own session was never blocked.
  EXPECT_EQ(owner.get("/api/bots").status, 200);
}

TEST_F(TwoFactorTest, APlatformAdminCanResetAUsersSecondFactor) {
  auto admin = agent();
  admin.signup(unique_email("operator"));  // the first account operates the installation
  auto email = unique_email("lost-phone");
  auto user = agent();
  auto session = user.signup(email);
  auto user_id = str(session["user"].at("id"));
  enrol(user);

  auto listed = [&] {
    auto users = admin.get("/api/admin/users").json();
    for (const auto& u : users.at("items").as_array())
      if (u.at("id") == session["user"].at("id")) return u.at("two_factor_enabled").as_bool();
    ADD_FAILURE() << "user not listed";
    return false;
  };
  EXPECT_TRUE(listed()) << "the admin sees who has a second factor";
  auto path = "/api/admin/users/" + user_id + "/two-factor/reset";
  EXPECT_EQ(user.post(path, json::object{}).status, 403) << "only platform admins";
  EXPECT_EQ(admin.post("/api/admin/users/usr_nobody/two-factor/reset", json::object{}).status, 404);
  EXPECT_EQ(admin.post(path, json::object{}).status, 204);
  EXPECT_EQ(admin.post(path, json::object{}).status, 409) << "nothing left to reset";
  EXPECT_FALSE(listed());
  auto a = agent();
  EXPECT_EQ(password_step(a, email), "") << "the password alone signs in again";
  auto audit = user.get("/api/orgs/" + str(session["organization"].at("id")) + "/audit").body;
  EXPECT_NE(audit.find("user.two_factor_reset"), std::string::npos);
}

}  // namespace
}  // namespace sb::test
