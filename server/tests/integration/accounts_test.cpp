// Accounts over real HTTP: sign-up, session, sign-out, throttling, CSRF, passwords and profiles.
#include "integration/harness.hpp"

namespace sb::test {
namespace {
namespace json = boost::json;

class AccountsTest : public ServerTest {};

TEST_F(AccountsTest, SignupCreatesSessionOrganizationAndAdminForFirstUser) {
  auto ada = agent();
  auto session = ada.signup("Ada@Example.com", "correct horse battery", "Ada");
  EXPECT_EQ(session["user"].at("email").as_string(), "ada@example.com");
  EXPECT_EQ(session["user"].at("name").as_string(), "Ada");
  EXPECT_TRUE(session["user"].at("is_platform_admin").as_bool());
  EXPECT_EQ(session["role"].as_string(), "owner");
  EXPECT_EQ(session["organization"].at("name").as_string(), "Ada's organization");
  EXPECT_FALSE(ada.cookie.empty());

  auto me = ada.get("/api/auth/session");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json().at("user").at("id"), session["user"].at("id"));
  EXPECT_EQ(me.header("cache-control"), "no-store");

  auto bob = agent();
  auto bob_session = bob.signup(unique_email("bob"));
  EXPECT_FALSE(bob_session["user"].at("is_platform_admin").as_bool()) << "only the first user operates the installation";
  EXPECT_NE(bob_session["organization"].at("id"), session["organization"].at("id"));
}

TEST_F(AccountsTest, SessionCookieIsHttpOnlyAndLax) {
  auto a = agent();
  auto r = a.post("/api/auth/signup", {{"email", unique_email("c")}, {"password", "0123456789"}, {"name", "C"}});
  ASSERT_EQ(r.status, 201);
  auto cookie = r.header("set-cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << "not behind HTTPS by default";
  EXPECT_EQ(r.body.find(a.cookie), std::string::npos) << "the session token appears only in the cookie";
}

TEST_F(AccountsTest, SignoutEndsTheSession) {
  auto a = agent();
  a.signup(unique_email("out"));
  auto old_cookie = a.cookie;
  auto r = a.post("/api/auth/signout", json::object{});
  EXPECT_EQ(r.status, 204);
  EXPECT_NE(r.header("set-cookie").find("Max-Age=0"), std::string::npos);
  a.cookie = old_cookie;  // a stolen copy of the cookie no longer works either
  EXPECT_EQ(a.get("/api/auth/session").status, 401);
  Agent anonymous(base_url);
  auto none = anonymous.get("/api/auth/session");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.error_code(), "unauthenticated");
}

TEST_F(AccountsTest, SignupValidatesEachField) {
  auto a = agent();
  auto r = a.post("/api/auth/signup", {{"email", "not-an-email"}, {"password", "short"}, {"name", ""}});
  ASSERT_EQ(r.status, 422);
  auto fields = r.json().at("error").at("details").at("fields").as_object();
  EXPECT_TRUE(fields.contains("email"));
  EXPECT_TRUE(fields.contains("password"));
  EXPECT_TRUE(fields.contains("name"));
  EXPECT_TRUE(a.cookie.empty());
  // Nothing was created: the same email still signs up fine afterwards.
  a.signup("fine@example.com");
}

TEST_F(AccountsTest, DuplicateEmailIsRefusedWithoutChangingTheAccount) {
  auto first = agent();
  first.signup("dup@example.com", "first password!", "First");
  auto second = agent();
  auto r = second.post("/api/auth/signup", {{"email", "DUP@example.com"}, {"password", "second password"}, {"name", "X"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.error_code(), "validation_failed");
  EXPECT_TRUE(r.json().at("error").at("details").at("fields").as_object().contains("email"));
  EXPECT_TRUE(second.cookie.empty());
  // The original password still works; the second one does not.
  second.signin("dup@example.com", "first password!");
  auto wrong = agent().post("/api/auth/signin", {{"email", "dup@example.com"}, {"password", "second password"}});
  EXPECT_EQ(wrong.status, 401);
}

TEST_F(AccountsTest, WrongPasswordThenThrottling) {
  agent().signup("victim@example.com", "the right password");
  auto attacker = agent();
  for (int i = 0; i < 5; ++i) {
    auto r = attacker.post("/api/auth/signin", {{"email", "victim@example.com"}, {"password", "guess " + std::to_string(i)}});
    ASSERT_EQ(r.status, 401) << "attempt " << i;
    EXPECT_EQ(r.error_code(), "invalid_credentials");
  }
  auto blocked = attacker.post("/api/auth/signin", {{"email", "victim@example.com"}, {"password", "the right password"}});
  EXPECT_EQ(blocked.status, 429) << "throttled even with the right password";
  EXPECT_EQ(blocked.error_code(), "rate_limited");
  int retry_after = std::stoi(blocked.header("retry-after"));
  EXPECT_GT(retry_after, 0);
  EXPECT_LE(retry_after, 15 * 60);
  // Another account is not affected by this email's failures.
  agent().signup("other@example.com", "other password");
  agent().signin("other@example.com", "other password");
}

TEST_F(AccountsTest, ManyFailuresFromOneAddressAreThrottledAcrossEmails) {
  agent().signup("target@example.com", "the right password");
  auto sprayer = agent();
  for (int i = 0; i < 20; ++i) {
    auto r = sprayer.post("/api/auth/signin",
                          {{"email", "user" + std::to_string(i) + "@example.com"}, {"password", "Password123!"}});
    ASSERT_EQ(r.status, 401) << "attempt " << i;
  }
  auto r = sprayer.post("/api/auth/signin", {{"email", "target@example.com"}, {"password", "the right password"}});
  EXPECT_EQ(r.status, 429);
  EXPECT_GT(std::stoi(r.header("retry-after")), 0);
}

TEST_F(AccountsTest, UnknownEmailAndWrongPasswordLookTheSame) {
  agent().signup("known@example.com");
  auto a = agent().post("/api/auth/signin", {{"email", "known@example.com"}, {"password", "wrong password"}});
  auto b = agent().post("/api/auth/signin", {{"email", "unknown@example.com"}, {"password", "wrong password"}});
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(a.body, b.body);
}

TEST_F(AccountsTest, CookieWritesNeedTheCsrfToken) {
  auto a = agent();
  a.signup(unique_email("csrf"));
  std::string token = a.csrf;
  a.csrf.clear();
  auto r = a.patch("/api/profile", {{"name", "Mallory"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.error_code(), "csrf_failed");
  a.csrf = "wrong-token";
  EXPECT_EQ(a.patch("/api/profile", {{"name", "Mallory"}}).status, 403);
  a.csrf = token;
  auto profile = a.get("/api/profile");
  EXPECT_EQ(profile.json().at("name").as_string(), "Test User") << "the refused writes changed nothing";
  EXPECT_EQ(a.patch("/api/profile", {{"name", "Trusted"}}).status, 200);
}

TEST_F(AccountsTest, ProfileUpdatesAndValidation) {
  auto a = agent();
  a.signup(unique_email("p"));
  auto r = a.patch("/api/profile", {{"name", "Grace Hopper"}, {"avatar_url", "https://example.com/g.png"},
                                    {"timezone", "Europe/Berlin"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("timezone").as_string(), "Europe/Berlin");
  auto bad = a.patch("/api/profile", {{"avatar_url", "javascript:alert(1)"}, {"timezone", "Mars/Olympus"}});
  ASSERT_EQ(bad.status, 422);
  auto fields = bad.json().at("error").at("details").at("fields").as_object();
  EXPECT_TRUE(fields.contains("avatar_url"));
  EXPECT_TRUE(fields.contains("timezone"));
  auto now = a.get("/api/profile").json();
  EXPECT_EQ(now.at("avatar_url").as_string(), "https://example.com/g.png");
  EXPECT_EQ(now.at("name").as_string(), "Grace Hopper");
  EXPECT_EQ(a.get("/api/auth/session").json().at("user").at("name").as_string(), "Grace Hopper");
  EXPECT_EQ(a.patch("/api/profile", {{"avatar_url", nullptr}}).json().at("avatar_url"), json::value(nullptr));
}

TEST_F(AccountsTest, ChangePasswordSignsOutOtherSessions) {
  auto laptop = agent();
  std::string email = unique_email("pw");
  laptop.signup(email, "original password");
  auto phone = agent();
  phone.signin(email, "original password");

  auto wrong = laptop.post("/api/auth/password", {{"current_password", "not it at all"}, {"new_password", "brand new password"}});
  EXPECT_EQ(wrong.status, 422);
  EXPECT_TRUE(wrong.json().at("error").at("details").at("fields").as_object().contains("current_password"));
  auto too_short = laptop.post("/api/auth/password", {{"current_password", "original password"}, {"new_password", "short"}});
  EXPECT_EQ(too_short.status, 422);

  auto ok = laptop.post("/api/auth/password", {{"current_password", "original password"}, {"new_password", "brand new password"}});
  EXPECT_EQ(ok.status, 204) << ok.body;
  EXPECT_EQ(laptop.get("/api/auth/session").status, 200) << "the session that changed it stays signed in";
  EXPECT_EQ(phone.get("/api/auth/session").status, 401) << "other sessions are signed out";
  EXPECT_EQ(agent().post("/api/auth/signin", {{"email", email}, {"password", "original password"}}).status, 401);
  agent().signin(email, "brand new password");
}

TEST_F(AccountsTest, AnotherUsersOrganizationIsNotFound) {
  auto ada = agent();
  auto ada_session = ada.signup(unique_email("ada"));
  auto bob = agent();
  auto bob_session = bob.signup(unique_email("bob"));
  std::string ada_org(ada_session["organization"].at("id").as_string());
  std::string bob_org(bob_session["organization"].at("id").as_string());

  auto mine = ada.get("/api/orgs/" + ada_org);
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.json().at("role").as_string(), "owner");
  auto theirs = ada.get("/api/orgs/" + bob_org);
  auto missing = ada.get("/api/orgs/org_doesnotexist");
  EXPECT_EQ(theirs.status, 404);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(theirs.error_code(), missing.error_code()) << "another org's id looks exactly like a missing one";
  EXPECT_EQ(theirs.body, missing.body);
  EXPECT_EQ(agent().get("/api/orgs/" + ada_org).status, 401);
}

}  // namespace
}  // namespace sb::test
