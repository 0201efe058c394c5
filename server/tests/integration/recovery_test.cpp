// Account recovery over real HTTP: password reset by email (same answer for every address,
// single-use 30-minute links, the second factor still asked, every session and device cookie
// ended), email verification (what an unverified account cannot do, links, resending) and
// changing the email address.
#include <optional>

#include "core/totp.hpp"
#include "integration/harness.hpp"

namespace sb::test {
namespace {
namespace json = boost::json;

constexpr const char* kPassword = "correct horse battery";
constexpr const char* kNewPassword = "a brand new passphrase";
constexpr std::int64_t kMinute = 60'000;

std::string str(const json::value& v) { return std::string(v.as_string()); }

class RecoveryTest : public ServerTest {
 protected:
  const Clock* clock() override { return &test_clock; }
  // Links in mail point where people reach the installation.
  void configure(Config& c) override { c.public_base_url = "https://switchboard.example"; }
  void SetUp() override {
    ServerTest::SetUp();
    // The installation's first account: a platform admin who can read the outbox.
    operator_.emplace(base_url);
    ops().signup("operator@example.com", kPassword, "Operator");
  }

  Reply request_reset(const std::string& email) {
    Agent anyone = agent();
    return anyone.post("/api/auth/password-reset", {{"email", email}});
  }
  std::string reset_token(const std::string& email) {
    return token_of_link(mailed_link(ops(), email, "/reset-password?token="));
  }
  Reply complete(Agent& who, const std::string& token, const std::string& password, const std::string& code = "") {
    json::object body{{"token", token}, {"new_password", password}};
    if (!code.empty()) body["code"] = code;
    auto r = who.post("/api/auth/password-reset/complete", body);
    if (r.status == 200) who.csrf = str(r.json().at("csrf_token"));
    return r;
  }
  Reply signin(Agent& who, const std::string& email, const std::string& password) {
    auto r = who.post("/api/auth/signin", {{"email", email}, {"password", password}});
    if (r.status == 200 && r.json().as_object().contains("csrf_token")) who.csrf = str(r.json().at("csrf_token"));
    return r;
  }
  std::size_t mails_to(const std::string& email) {
    std::size_t n = 0;
    auto box = ops().get("/api/debug/mailbox").json();
    for (const auto& m : box.at("items").as_array()) n += m.at("to").as_string() == email;
    return n;
  }
  std::string org_of(const json::object& session) { return str(session.at("organization").at("id")); }

  Agent& ops() { return *operator_; }

  TestClock test_clock;
  std::optional<Agent> operator_;
};

// ---- password reset ----

TEST_F(RecoveryTest, ResetAnswersTheSameForEveryAddressAndMailsOnlyRealAccounts) {
  Agent ann = agent();
  ann.signup("ann@example.com");
  auto known = request_reset("ann@example.com");
  auto unknown = request_reset("nobody@example.com");
  EXPECT_EQ(known.status, 202) << known.body;
  EXPECT_EQ(unknown.status, 202) << unknown.body;
  EXPECT_EQ(known.body, unknown.body) << "the answer must not tell whether the account exists";
  EXPECT_EQ(mails_to("nobody@example.com"), 0u);
  std::string link = mailed_link(ops(), "ann@example.com", "/reset-password?token=");
  EXPECT_EQ(link.rfind("https://switchboard.example/reset-password?token=", 0), 0u) << link;
  // Upper-case spelling of the address reaches the same account.
  EXPECT_EQ(request_reset("ANN@Example.com").status, 202);

  auto bad = request_reset("not an address");
  EXPECT_EQ(bad.status, 422);
  EXPECT_TRUE(bad.json().at("error").at("details").at("fields").as_object().contains("email"));
}

TEST_F(RecoveryTest, ResetLinkSetsThePasswordSignsInAndEndsEveryOtherSession) {
  Agent ann = agent();
  auto session = ann.signup("ann@example.com");
  Agent laptop = agent();
  ASSERT_EQ(signin(laptop, "ann@example.com", kPassword).status, 200);
  ASSERT_EQ(request_reset("ann@example.com").status, 202);
  std::string token = reset_token("ann@example.com");
  ASSERT_FALSE(token.empty());

  Agent phone = agent();
  auto preview = phone.get("/api/auth/password-reset?token=" + token);
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_EQ(preview.json().at("email"), "ann@example.com");
  EXPECT_EQ(preview.json().at("two_factor_required"), false);
  EXPECT_EQ(preview.header("cache-control"), "no-store");

  auto too_short = complete(phone, token, "short");
  EXPECT_EQ(too_short.status, 422);
  EXPECT_TRUE(too_short.json().at("error").at("details").at("fields").as_object().contains("new_password"));

  auto done = complete(phone, token, kNewPassword);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.json().at("user").at("email"), "ann@example.com");
  EXPECT_EQ(phone.get("/api/auth/session").status, 200) << "the browser that reset is signed in";
  EXPECT_EQ(ann.get("/api/auth/session").status, 401) << "every other session ends";
  EXPECT_EQ(laptop.get("/api/auth/session").status, 401);
  auto sessions = phone.get("/api/auth/sessions").json().at("items").as_array();
  EXPECT_EQ(sessions.size(), 1u);

  Agent other = agent();
  EXPECT_EQ(signin(other, "ann@example.com", kPassword).status, 401) << "the old password is gone";
  EXPECT_EQ(signin(other, "ann@example.com", kNewPassword).status, 200);

  // The link worked once.
  Agent again = agent();
  auto reused = complete(again, token, "yet another passphrase");
  EXPECT_EQ(reused.status, 400);
  EXPECT_EQ(reused.error_code(), "reset_link_invalid");
  EXPECT_EQ(again.get("/api/auth/password-reset?token=" + token).error_code(), "reset_link_invalid");

  // The owners of every organisation the person belongs to see it in the audit log.
  auto audit = phone.get("/api/orgs/" + org_of(session) + "/audit?action=password.reset");
  ASSERT_EQ(audit.status, 200) << audit.body;
  ASSERT_EQ(audit.json().at("items").as_array().size(), 1u) << audit.body;
  EXPECT_EQ(audit.body.find(token), std::string::npos) << "the token never appears in the log";
}

TEST_F(RecoveryTest, ResetRevokesEveryDeviceCookie) {
  Agent ann = agent();
  ann.signup("ann@example.com");
  auto old_devices = ann.cookies;
  ASSERT_FALSE(old_devices.empty()) << "signing up gives the browser a device cookie";
  ASSERT_EQ(request_reset("ann@example.com").status, 202);
  Agent phone = agent();
  ASSERT_EQ(complete(phone, reset_token("ann@example.com"), kNewPassword).status, 200);

  // An attacker's five guesses lock anonymous sign-ins for the email; the old device cookie no
  // longer exempts its browser, while the browser that reset keeps signing in.
  test_clock.advance(1000);
  for (int i = 0; i < 5; ++i) {
    Agent attacker = agent();
    EXPECT_EQ(signin(attacker, "ann@example.com", "guess " + std::to_string(i)).status, 401);
  }
  Agent old_browser = agent();
  old_browser.cookies = old_devices;
  EXPECT_EQ(signin(old_browser, "ann@example.com", kNewPassword).status, 429);
  Agent reset_browser = agent();
  reset_browser.cookies = phone.cookies;
  reset_browser.cookie.clear();
  EXPECT_EQ(signin(reset_browser, "ann@example.com", kNewPassword).status, 200);
}

TEST_F(RecoveryTest, ResetLinksLastThirtyMinutesAndOnlyTheNewestWorks) {
  Agent ann = agent();
  ann.signup("ann@example.com");
  ASSERT_EQ(request_reset("ann@example.com").status, 202);
  std::string first = reset_token("ann@example.com");
  test_clock.advance(1000);
  ASSERT_EQ(request_reset("ann@example.com").status, 202);
  std::string second = reset_token("ann@example.com");
  ASSERT_NE(first, second);
  Agent phone = agent();
  EXPECT_EQ(complete(phone, first, kNewPassword).error_code(), "reset_link_invalid") << "a newer link replaced it";

  test_clock.advance(31 * kMinute);
  EXPECT_EQ(phone.get("/api/auth/password-reset?token=" + second).error_code(), "reset_link_invalid");
  EXPECT_EQ(complete(phone, second, kNewPassword).error_code(), "reset_link_invalid");
  EXPECT_EQ(signin(phone, "ann@example.com", kPassword).status, 200) << "the password did not change";
}

TEST_F(RecoveryTest, HostileTokensAreRefusedWithoutSideEffects) {
  Agent ann = agent();
  ann.signup("ann@example.com");
  std::string verification = token_of_link(mailed_link(ops(), "ann@example.com", "/verify-email?token="));
  ASSERT_FALSE(verification.empty());
  Agent anyone = agent();
  for (std::string token : {std::string(""), std::string(129, 'a'), std::string("../../etc/passwd"),
                            std::string("' OR 1=1 --"), std::string("%00"), verification}) {
    auto r = complete(anyone, token, kNewPassword);
    EXPECT_TRUE(r.status == 400 || r.status == 422) << token << ": " << r.body;
    EXPECT_TRUE(anyone.cookie.empty()) << "no session for " << token;
  }
  auto huge = anyone.get("/api/auth/password-reset?token=" + std::string(5000, 'x'));
  EXPECT_EQ(huge.status, 400);
  EXPECT_EQ(signin(anyone, "ann@example.com", kPassword).status, 200) << "the password did not change";
  // A reset link is not a verification link either.
  ASSERT_EQ(request_reset("ann@example.com").status, 202);
  EXPECT_EQ(anyone.post("/api/auth/verify-email", {{"token", reset_token("ann@example.com")}}).error_code(),
            "verification_link_invalid");
}

TEST_F(RecoveryTest, ResetRequestsAreThrottledPerEmailAndPerAddress) {
  Agent ann = agent();
  ann.signup("ann@example.com");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(request_reset("ann@example.com").status, 202) << i;
  auto refused = request_reset("ann@example.com");
  EXPECT_EQ(refused.status, 429);
  EXPECT_FALSE(refused.header("retry-after").empty());
  EXPECT_EQ(mails_to("ann@example.com"), 4u) << "the verification mail and three reset mails";
  // An address without an account is throttled the same way: the 429 does not tell either.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(request_reset("ghost@example.com").status, 202);
  EXPECT_EQ(request_reset("ghost@example.com").status, 429);
  // From one network address, twenty requests in the window are the most.
  for (int i = 0; i < 14; ++i) EXPECT_EQ(request_reset("p" + std::to_string(i) + "@example.com").status, 202) << i;
  EXPECT_EQ(request_reset("fresh@example.com").status, 429);
  // The window passes.
  test_clock.advance(16 * kMinute);
  EXPECT_EQ(request_reset("ann@example.com").status, 202);
}

TEST_F(RecoveryTest, ResetStillAsksForTheSecondFactor) {
  Agent ann = agent();
  ann.signup("ann@example.com");
  auto setup = ann.post("/api/auth/two-factor/setup", json::object{});
  ASSERT_EQ(setup.status, 200) << setup.body;
  auto secret = totp::base32_decode(str(setup.json().at("secret"))).value_or("");
  ASSERT_EQ(ann.post("/api/auth/two-factor/enable", {{"code", totp::code_at(secret, test_clock.now_ms())}}).status,
            200);
  test_clock.advance(totp::kStepMs);

  ASSERT_EQ(request_reset("ann@example.com").status, 202);
  std::string token = reset_token("ann@example.com");
  Agent thief = agent();  // holds the mailbox, not the phone
  auto preview = thief.get("/api/auth/password-reset?token=" + token);
  EXPECT_EQ(preview.json().at("two_factor_required"), true);
  auto without = complete(thief, token, kNewPassword);
  EXPECT_EQ(without.status, 422);
  EXPECT_TRUE(without.json().at("error").at("details").at("fields").as_object().contains("code"));
  auto wrong = complete(thief, token, kNewPassword, "000000");
  EXPECT_EQ(wrong.status, 422);
  EXPECT_TRUE(thief.cookie.empty());
  EXPECT_EQ(signin(thief, "ann@example.com", kNewPassword).status, 401) << "nothing changed";

  Agent owner = agent();
  auto done = complete(owner, token, kNewPassword, totp::code_at(secret, test_clock.now_ms()));
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.json().at("user").at("two_factor_enabled"), true) << "the second factor stays on";
}

TEST_F(RecoveryTest, WrongSecondFactorCodesOnResetAreThrottled) {
  Agent ann = agent();
  ann.signup("ann@example.com");
  auto setup = ann.post("/api/auth/two-factor/setup", json::object{});
  auto secret = totp::base32_decode(str(setup.json().at("secret"))).value_or("");
  ASSERT_EQ(ann.post("/api/auth/two-factor/enable", {{"code", totp::code_at(secret, test_clock.now_ms())}}).status,
            200);
  test_clock.advance(totp::kStepMs);
  ASSERT_EQ(request_reset("ann@example.com").status, 202);
  std::string token = reset_token("ann@example.com");
  Agent thief = agent();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(complete(thief, token, kNewPassword, "12345" + std::to_string(i)).status, 422);
  auto refused = complete(thief, token, kNewPassword, totp::code_at(secret, test_clock.now_ms()));
  EXPECT_EQ(refused.status, 429) << "even the right code waits once the guesses ran out";
}

// ---- email verification ----

TEST_F(RecoveryTest, UnverifiedAccountsBuildBotsButCannotReachOthersUntilTheLinkIsOpened) {
  Agent ann = agent();
  auto session = ann.signup("ann@example.com");
  EXPECT_EQ(session.at("user").at("email_verified"), false);
  std::string org = org_of(session);
  std::string base = "/api/orgs/" + org;
  EXPECT_EQ(ann.post("/api/bots", {{"name", "Helper"}}).status, 201) << "building bots works at once";

  auto invite = ann.post(base + "/invites", {{"email", "bob@example.com"}, {"role", "member"}});
  EXPECT_EQ(invite.status, 403);
  EXPECT_EQ(invite.error_code(), "email_unverified");
  auto key = ann.post(base + "/api-keys", {{"name", "ci"}, {"role", "member"}});
  EXPECT_EQ(key.error_code(), "email_unverified");
  auto connect = ann.post("/api/integrations", {{"platform", "webchat"}, {"name", "Site"}, {"credentials", json::object{}}});
  EXPECT_EQ(connect.error_code(), "email_unverified");
  EXPECT_EQ(mails_to("bob@example.com"), 0u);

  std::string link = mailed_link(ops(), "ann@example.com", "/verify-email?token=");
  EXPECT_EQ(link.rfind("https://switchboard.example/verify-email?token=", 0), 0u) << link;
  Agent other_browser = agent();  // the mail may be opened anywhere
  auto verified = other_browser.post("/api/auth/verify-email", {{"token", token_of_link(link)}});
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_EQ(verified.json().at("email"), "ann@example.com");
  EXPECT_EQ(ann.get("/api/auth/session").json().at("user").at("email_verified"), true);
  EXPECT_EQ(ann.post(base + "/invites", {{"email", "bob@example.com"}, {"role", "member"}}).status, 201);
  EXPECT_EQ(ann.post(base + "/api-keys", {{"name", "ci"}, {"role", "member"}}).status, 201);
  EXPECT_EQ(other_browser.post("/api/auth/verify-email", {{"token", token_of_link(link)}}).error_code(),
            "verification_link_invalid")
      << "single use";
}

TEST_F(RecoveryTest, FirstAccountAndInvitedAccountsStartVerified) {
  EXPECT_EQ(ops().get("/api/auth/session").json().at("user").at("email_verified"), true);
  EXPECT_EQ(mails_to("operator@example.com"), 0u) << "no verification mail for the first account";
  std::string org = org_of(ops().get("/api/auth/session").json().as_object());
  auto invite = ops().post("/api/orgs/" + org + "/invites", {{"email", "bob@example.com"}, {"role", "member"}});
  ASSERT_EQ(invite.status, 201) << invite.body;
  std::string invite_token = str(invite.json().at("accept_url"));
  invite_token = invite_token.substr(invite_token.rfind('/') + 1);

  // Another address cannot use someone else's invitation: nothing is created.
  Agent eve = agent();
  auto eve_try = eve.post("/api/auth/signup", {{"email", "eve@example.com"},
                                               {"password", kPassword},
                                               {"name", "Eve"},
                                               {"invite_token", invite_token}});
  EXPECT_EQ(eve_try.status, 403) << eve_try.body;
  EXPECT_EQ(eve_try.error_code(), "invite_email_mismatch");
  EXPECT_EQ(eve.post("/api/auth/signin", {{"email", "eve@example.com"}, {"password", kPassword}}).status, 401)
      << "no account was made";
  EXPECT_EQ(agent().post("/api/auth/signup", {{"email", "eve@example.com"},
                                              {"password", kPassword},
                                              {"name", "Eve"},
                                              {"invite_token", "not-a-token"}}).error_code(),
            "invite_invalid");
  auto eve_session = eve.post("/api/auth/signup", {{"email", "eve@example.com"}, {"password", kPassword}, {"name", "Eve"}});
  ASSERT_EQ(eve_session.status, 201) << "without a token she signs up as usual";
  EXPECT_EQ(eve_session.json().at("user").at("email_verified"), false);

  // Signing up through the invitation link proves the mailbox and joins the inviting organisation
  // only: no organisation of the invitee's own.
  Agent bob = agent();
  auto bob_session = bob.post("/api/auth/signup", {{"email", "bob@example.com"},
                                                   {"password", kPassword},
                                                   {"name", "Bob"},
                                                   {"invite_token", invite_token}});
  ASSERT_EQ(bob_session.status, 201) << bob_session.body;
  EXPECT_EQ(bob_session.json().at("user").at("email_verified"), true);
  EXPECT_EQ(str(bob_session.json().at("organization").at("id")), org);
  EXPECT_EQ(bob_session.json().at("role"), "member");
  auto bob_orgs = bob.get("/api/orgs").json();
  ASSERT_EQ(bob_orgs.at("items").as_array().size(), 1u) << "no stray \"Bob's organization\"";
  EXPECT_EQ(mails_to("bob@example.com"), 1u) << "only the invitation";
  auto pending = ops().get("/api/orgs/" + org + "/invites").json();
  EXPECT_TRUE(pending.at("items").as_array().empty()) << "the invitation is used";
  EXPECT_NE(ops().get("/api/orgs/" + org + "/audit").body.find("member.joined"), std::string::npos);
  // The link works once.
  EXPECT_EQ(agent().post("/api/auth/signup", {{"email", "bob@example.com"},
                                              {"password", kPassword},
                                              {"name", "Bob again"},
                                              {"invite_token", invite_token}}).error_code(),
            "invite_invalid");

  // Accepting an invitation later proves it too.
  Agent carl = agent();
  EXPECT_EQ(carl.signup("carl@example.com").at("user").at("email_verified"), false);
  auto carl_invite = ops().post("/api/orgs/" + org + "/invites", {{"email", "carl@example.com"}, {"role", "viewer"}});
  std::string carl_token = str(carl_invite.json().at("accept_url"));
  auto accepted = carl.post("/api/invites/accept", {{"token", carl_token.substr(carl_token.rfind('/') + 1)}});
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(accepted.json().at("user").at("email_verified"), true);
}

TEST_F(RecoveryTest, ResendIsThrottledAndRefusedOnceVerified) {
  Agent ann = agent();
  ann.signup("ann@example.com");
  auto first = ann.post("/api/auth/verify-email/resend", json::object{});
  EXPECT_EQ(first.status, 202) << first.body;
  EXPECT_NE(str(first.json().at("message")).find("ann@example.com"), std::string::npos);
  EXPECT_EQ(mails_to("ann@example.com"), 2u);
  EXPECT_EQ(ann.post("/api/auth/verify-email/resend", json::object{}).status, 202);
  EXPECT_EQ(ann.post("/api/auth/verify-email/resend", json::object{}).status, 202);
  auto refused = ann.post("/api/auth/verify-email/resend", json::object{});
  EXPECT_EQ(refused.status, 429);
  EXPECT_FALSE(refused.header("retry-after").empty());

  // Any link that was sent still proves the address.
  Agent anyone = agent();
  EXPECT_EQ(anyone.post("/api/auth/verify-email", {{"token", token_of_link(mailed_link(ops(), "ann@example.com",
                                                                                        "/verify-email?token="))}})
                .status,
            200);
  auto again = ann.post("/api/auth/verify-email/resend", json::object{});
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.error_code(), "already_verified");

  Agent nobody = agent();
  EXPECT_EQ(nobody.post("/api/auth/verify-email/resend", json::object{}).status, 401);
}

// ---- changing the email address ----

TEST_F(RecoveryTest, ChangingTheEmailNeedsRecentAuthenticationAndAFreshVerification) {
  Agent ann = agent();
  ann.signup("ann@example.com");
  Agent anyone = agent();
  std::string old_link = mailed_link(ops(), "ann@example.com", "/verify-email?token=");
  EXPECT_EQ(ann.post("/api/auth/email", {{"email", "operator@example.com"}}).status, 422) << "taken";
  EXPECT_EQ(ann.post("/api/auth/email", {{"email", "ann@example.com"}}).status, 422) << "the same";
  EXPECT_EQ(ann.post("/api/auth/email", {{"email", "nope"}}).status, 422);

  test_clock.advance(11 * kMinute);
  auto stale = ann.post("/api/auth/email", {{"email", "ann@new.example"}});
  EXPECT_EQ(stale.status, 403);
  EXPECT_EQ(stale.error_code(), "reauthentication_required");
  ASSERT_EQ(ann.post("/api/auth/reauthenticate", {{"password", kPassword}}).status, 204);
  auto changed = ann.post("/api/auth/email", {{"email", "Ann@New.Example"}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(changed.json().at("user").at("email"), "ann@new.example");
  EXPECT_EQ(changed.json().at("user").at("email_verified"), false);

  // The old address is told; a link sent to it proves nothing now.
  EXPECT_FALSE(mailed_link(ops(), "ann@new.example", "/verify-email?token=").empty());
  EXPECT_EQ(anyone.post("/api/auth/verify-email", {{"token", token_of_link(old_link)}}).error_code(),
            "verification_link_invalid");
  EXPECT_EQ(mails_to("ann@example.com"), 2u) << "the first verification mail and the notice";

  Agent fresh = agent();
  EXPECT_EQ(signin(fresh, "ann@example.com", kPassword).status, 401);
  EXPECT_EQ(signin(fresh, "ann@new.example", kPassword).status, 200);
  verify_email(ops(), "ann@new.example");
  EXPECT_EQ(ann.get("/api/auth/session").json().at("user").at("email_verified"), true);
}

}  // namespace
}  // namespace sb::test
