// Sign-in security over real HTTP: derived CSRF tokens, device cookies that keep the owner's
// browser signing in while an attacker is throttled, the sessions page, and recent authentication.
#include <atomic>
#include <set>

#include "integration/harness.hpp"

namespace sb::test {
namespace {
namespace json = boost::json;

constexpr const char* kPassword = "the owner's password";
constexpr std::int64_t kMinute = 60'000;

class DevicesTest : public ServerTest {
 protected:
  const Clock* clock() override { return &test_clock; }

  Reply signin(Agent& a, const std::string& email, const std::string& password,
               std::vector<std::pair<std::string, std::string>> headers = {}) {
    auto r = a.send("POST", "/api/auth/signin",
                    json::serialize(json::object{{"email", email}, {"password", password}}), std::move(headers));
    if (r.status == 200) a.csrf = std::string(r.json().at("csrf_token").as_string());
    return r;
  }
  // Five wrong passwords for the email from browsers without a device cookie.
  void attack(const std::string& email) {
    // Attempts are ordered by time: the attack comes after the sign-ins the test made before it.
    test_clock.advance(1000);
    for (int i = 0; i < 5; ++i) {
      Agent attacker = agent();
      EXPECT_EQ(signin(attacker, email, "guess number " + std::to_string(i)).status, 401) << "guess " << i;
    }
    Agent attacker = agent();
    auto refused = signin(attacker, email, "one more guess");
    EXPECT_EQ(refused.status, 429);
    EXPECT_EQ(refused.error_code(), "rate_limited");
  }
  // An agent that holds only the given cookies (no session).
  Agent browser_with(std::map<std::string, std::string> cookies) {
    Agent a = agent();
    a.cookies = std::move(cookies);
    return a;
  }
  std::string org_of(const json::object& session) { return std::string(session.at("organization").at("id").as_string()); }

  TestClock test_clock;
};

// ---- CSRF tokens derived from the session ----

TEST_F(DevicesTest, CsrfTokenWorksOnlyForItsOwnSession) {
  auto ada = agent();
  ada.signup(unique_email("ada"));
  auto bob = agent();
  bob.signup(unique_email("bob"));
  ASSERT_NE(ada.csrf, bob.csrf);
  EXPECT_EQ(ada.csrf.find(ada.cookie), std::string::npos);

  std::string own = ada.csrf;
  ada.csrf = bob.csrf;  // another session's token
  auto refused = ada.patch("/api/profile", {{"name", "Mallory"}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.error_code(), "csrf_failed");
  ada.csrf = own;
  EXPECT_EQ(ada.patch("/api/profile", {{"name", "Ada"}}).status, 200);
  EXPECT_EQ(ada.get("/api/auth/session").json().at("csrf_token").as_string(), own) << "the same token on every read";
}

TEST_F(DevicesTest, SessionAndCsrfTokenKeepWorkingAfterRestart) {
  auto ada = agent();
  ada.signup(unique_email("ada"));
  std::string cookie = ada.cookie, csrf = ada.csrf;
  restart();
  Agent again(base_url);
  again.cookie = cookie;
  again.csrf = csrf;
  auto me = again.get("/api/auth/session");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json().at("csrf_token").as_string(), csrf);
  EXPECT_EQ(again.patch("/api/profile", {{"name", "After restart"}}).status, 200);
}

// ---- Device cookies and lockout ----

TEST_F(DevicesTest, DeviceCookieIsHttpOnlyLaxAndNeverInTheBody) {
  auto a = agent();
  auto r = a.post("/api/auth/signup", {{"email", unique_email("cookie")}, {"password", kPassword}, {"name", "C"}});
  ASSERT_EQ(r.status, 201) << r.body;
  ASSERT_EQ(a.cookies.size(), 1u);
  const auto& [name, value] = *a.cookies.begin();
  EXPECT_EQ(name.rfind("sb_device_", 0), 0u);
  std::string header;
  for (const auto& c : r.raw.all("set-cookie"))
    if (c.rfind(name + "=", 0) == 0) header = c;
  EXPECT_NE(header.find("HttpOnly"), std::string::npos);
  EXPECT_NE(header.find("SameSite=Lax"), std::string::npos);
  EXPECT_NE(header.find("Path=/api/auth"), std::string::npos);
  EXPECT_EQ(header.find("Secure"), std::string::npos) << "like the session cookie: not behind HTTPS by default";
  EXPECT_EQ(r.body.find(value), std::string::npos);
  EXPECT_EQ(r.body.find(value.substr(0, value.find('.'))), std::string::npos) << "not even the device id";
}

TEST_F(DevicesTest, AttackerIsThrottledWhileTheOwnersBrowserStillSignsIn) {
  std::string email = unique_email("owner");
  auto owner = agent();
  owner.signup(email, kPassword);
  ASSERT_EQ(owner.cookies.size(), 1u) << "signing up makes this browser a known device";

  attack(email);
  // The right password from a browser without a device cookie is refused too: that is the throttle.
  auto stranger = agent();
  EXPECT_EQ(signin(stranger, email, kPassword).status, 429);

  // The owner's browser, with its device cookie, still signs in.
  auto again = signin(owner, email, kPassword);
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(owner.get("/api/auth/session").status, 200);
  // ...and its success does not reset the attacker's count.
  EXPECT_EQ(signin(stranger, email, kPassword).status, 429);
}

TEST_F(DevicesTest, OwnersOwnFailuresLockOnlyThatBrowser) {
  std::string email = unique_email("typo");
  auto laptop = agent();
  laptop.signup(email, kPassword);
  auto phone = agent();
  ASSERT_EQ(signin(phone, email, kPassword).status, 200);
  ASSERT_EQ(phone.cookies.size(), 1u);
  ASSERT_NE(phone.cookies.begin()->second, laptop.cookies.begin()->second) << "one device cookie per browser";

  for (int i = 0; i < 5; ++i) EXPECT_EQ(signin(laptop, email, "typo " + std::to_string(i)).status, 401);
  auto locked = signin(laptop, email, kPassword);
  EXPECT_EQ(locked.status, 429);
  EXPECT_NE(locked.header("retry-after"), "");

  EXPECT_EQ(signin(phone, email, kPassword).status, 200) << "another device of the owner is not locked";
  auto fresh = agent();
  EXPECT_EQ(signin(fresh, email, kPassword).status, 200) << "the device's failures do not lock the email";

  test_clock.advance(15 * kMinute + 1000);
  EXPECT_EQ(signin(laptop, email, kPassword).status, 200) << "the device's lock ends after 15 minutes";
}

TEST_F(DevicesTest, ForgedTamperedAndOtherAccountsDeviceCookiesCountAsAnonymous) {
  std::string email = unique_email("victim");
  auto owner = agent();
  owner.signup(email, kPassword);
  auto [name, value] = *owner.cookies.begin();
  auto mallory = agent();
  mallory.signup(unique_email("mallory"), "mallory's password");
  auto [mallory_name, mallory_value] = *mallory.cookies.begin();
  ASSERT_NE(name, mallory_name) << "each account's device cookie has its own name";

  attack(email);

  std::string tampered = value;
  tampered.back() = tampered.back() == 'a' ? 'b' : 'a';
  std::string other_secret = value;
  other_secret[value.find('.') + 1] = other_secret[value.find('.') + 1] == 'A' ? 'B' : 'A';
  const std::vector<std::map<std::string, std::string>> hostile = {
      {{name, tampered}},                                     // signature changed
      {{name, other_secret}},                                 // secret changed
      {{name, value.substr(0, value.find('.')) + ".x.00"}},   // forged signature for a real device id
      {{name, "dev_forged.secret.deadbeef"}},                 // made up
      {{name, mallory_value}},                                // another account's genuine cookie
      {{mallory_name, mallory_value}},                        // ...under its own name
      {{name, ""}},
      {{name, std::string(300, 'a')}},
  };
  for (std::size_t i = 0; i < hostile.size(); ++i) {
    auto a = browser_with(hostile[i]);
    EXPECT_EQ(signin(a, email, kPassword).status, 429) << "hostile cookie " << i;
  }
  auto genuine = browser_with({{name, value}});
  EXPECT_EQ(signin(genuine, email, kPassword).status, 200);
  // A browser used for two accounts keeps both cookies.
  auto shared = browser_with({{name, value}});
  ASSERT_EQ(signin(shared, unique_email("nobody"), kPassword).status, 401);
  auto second = agent();
  std::string other_email = unique_email("second");
  second.signup(other_email, kPassword);
  shared.cookies.insert(second.cookies.begin(), second.cookies.end());
  ASSERT_EQ(signin(shared, other_email, kPassword).status, 200);
  EXPECT_EQ(shared.cookies.size(), 2u);
  EXPECT_EQ(signin(shared, email, kPassword).status, 200);
}

TEST_F(DevicesTest, PasswordChangeRevokesEveryDeviceCookie) {
  std::string email = unique_email("change");
  auto owner = agent();
  owner.signup(email, kPassword);
  auto old_device = owner.cookies;
  auto ok = owner.post("/api/auth/password", {{"current_password", kPassword}, {"new_password", "a brand new password"}});
  ASSERT_EQ(ok.status, 204) << ok.body;
  attack(email);
  auto stale = browser_with(old_device);
  EXPECT_EQ(signin(stale, email, "a brand new password").status, 429) << "the old device cookie no longer helps";
}

// ---- The sessions page ----

const char* kChromeMac =
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
    "Safari/537.36";
const char* kSafariIphone =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 "
    "Mobile/15E148 Safari/604.1";

TEST_F(DevicesTest, SessionsListShowsEachDeviceAndMarksTheCurrentOne) {
  std::string email = unique_email("list");
  agent().signup(email, kPassword);
  auto laptop = agent();
  ASSERT_EQ(signin(laptop, email, kPassword, {{"User-Agent", kChromeMac}}).status, 200);
  auto phone = agent();
  ASSERT_EQ(signin(phone, email, kPassword, {{"User-Agent", kSafariIphone}}).status, 200);

  auto r = laptop.get("/api/auth/sessions");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("cache-control"), "no-store");
  auto items = r.json().at("items").as_array();
  ASSERT_EQ(items.size(), 3u);  // the sign-up's session, the laptop, the phone
  int current = 0;
  std::map<std::string, std::string> device_of;
  for (const auto& item : items) {
    const auto& o = item.as_object();
    if (o.at("current").as_bool()) ++current;
    device_of[std::string(o.at("id").as_string())] = std::string(o.at("device").as_string());
    EXPECT_TRUE(o.contains("ip"));
    EXPECT_TRUE(o.contains("created_at"));
    EXPECT_TRUE(o.contains("last_seen_at"));
    if (o.at("current").as_bool()) EXPECT_EQ(o.at("device").as_string(), "Chrome on macOS");
  }
  EXPECT_EQ(current, 1);
  std::set<std::string> devices;
  for (auto& [id, d] : device_of) devices.insert(d);
  EXPECT_TRUE(devices.count("Safari on iPhone"));
  // No secret of any session is in the list.
  for (const std::string& secret : {laptop.cookie, phone.cookie, phone.csrf, laptop.csrf})
    EXPECT_EQ(r.body.find(secret), std::string::npos);
  EXPECT_EQ(r.body.find("token"), std::string::npos);
  EXPECT_EQ(agent().get("/api/auth/sessions").status, 401);
}

std::string session_id_where(Agent& viewer, bool current) {
  auto list = viewer.get("/api/auth/sessions").json();
  for (const auto& item : list.at("items").as_array())
    if (item.at("current").as_bool() == current) return std::string(item.at("id").as_string());
  return "";
}

TEST_F(DevicesTest, SigningOutOneSessionAndAnotherUsersSessionId) {
  std::string email = unique_email("one");
  auto laptop = agent();
  auto session = laptop.signup(email, kPassword);
  auto phone = agent();
  ASSERT_EQ(signin(phone, email, kPassword).status, 200);
  std::string phone_session = session_id_where(phone, true);
  ASSERT_FALSE(phone_session.empty());

  auto mallory = agent();
  mallory.signup(unique_email("mallory"));
  auto theirs = mallory.send("DELETE", "/api/auth/sessions/" + phone_session);
  auto missing = mallory.send("DELETE", "/api/auth/sessions/ses_doesnotexist");
  EXPECT_EQ(theirs.status, 404);
  EXPECT_EQ(theirs.body, missing.body) << "another user's session looks exactly like a missing one";
  EXPECT_EQ(phone.get("/api/auth/session").status, 200) << "and it was not signed out";

  std::string csrf = laptop.csrf;
  laptop.csrf.clear();
  EXPECT_EQ(laptop.send("DELETE", "/api/auth/sessions/" + phone_session).status, 403) << "needs the CSRF token";
  laptop.csrf = csrf;

  EXPECT_EQ(laptop.send("DELETE", "/api/auth/sessions/" + phone_session).status, 204);
  auto ended = phone.get("/api/auth/session");
  EXPECT_EQ(ended.status, 401);
  EXPECT_EQ(ended.error_code(), "unauthenticated");
  EXPECT_EQ(laptop.get("/api/auth/session").status, 200);
  EXPECT_EQ(laptop.send("DELETE", "/api/auth/sessions/" + phone_session).status, 404);

  auto audit = laptop.get("/api/orgs/" + org_of(session) + "/audit");
  ASSERT_EQ(audit.status, 200) << audit.body;
  bool logged = false;
  auto events = audit.json();
  for (const auto& e : events.at("items").as_array())
    logged |= e.at("action").as_string() == "session.revoked" && e.at("target").at("id").as_string() == phone_session;
  EXPECT_TRUE(logged) << audit.body;
}

TEST_F(DevicesTest, SignOutEverywhereElseKeepsOnlyThisSession) {
  std::string email = unique_email("others");
  auto laptop = agent();
  auto session = laptop.signup(email, kPassword);
  auto phone = agent(), tablet = agent();
  ASSERT_EQ(signin(phone, email, kPassword).status, 200);
  ASSERT_EQ(signin(tablet, email, kPassword).status, 200);
  auto other_user = agent();
  other_user.signup(unique_email("bystander"));

  EXPECT_EQ(laptop.post("/api/auth/sessions/revoke-others", json::object{}).status, 204);
  EXPECT_EQ(phone.get("/api/auth/session").status, 401);
  EXPECT_EQ(tablet.get("/api/auth/session").status, 401);
  EXPECT_EQ(laptop.get("/api/auth/session").status, 200);
  EXPECT_EQ(other_user.get("/api/auth/session").status, 200) << "other users are not touched";
  EXPECT_EQ(laptop.get("/api/auth/sessions").json().at("items").as_array().size(), 1u);
  // Device cookies stay: this is about sessions only.
  attack(email);
  EXPECT_EQ(signin(phone, email, kPassword).status, 200);

  auto audit = laptop.get("/api/orgs/" + org_of(session) + "/audit?action=session.others_revoked");
  ASSERT_EQ(audit.status, 200);
  EXPECT_EQ(audit.json().at("items").as_array().size(), 1u) << audit.body;
}

TEST_F(DevicesTest, SignOutEverywhereEndsEverySessionAndRevokesDeviceCookies) {
  std::string email = unique_email("everywhere");
  auto laptop = agent();
  auto session = laptop.signup(email, kPassword);
  std::string org = org_of(session);
  auto phone = agent();
  ASSERT_EQ(signin(phone, email, kPassword).status, 200);
  auto laptop_device = laptop.cookies;
  auto phone_device = phone.cookies;

  auto r = laptop.post("/api/auth/signout-everywhere", json::object{});
  EXPECT_EQ(r.status, 204);
  EXPECT_TRUE(laptop.cookie.empty()) << "the session cookie is cleared";
  EXPECT_TRUE(laptop.cookies.empty()) << "the device cookie is cleared";
  EXPECT_EQ(phone.get("/api/auth/session").status, 401);

  attack(email);
  for (auto* cookies : {&laptop_device, &phone_device}) {
    auto stale = browser_with(*cookies);
    EXPECT_EQ(signin(stale, email, kPassword).status, 429) << "revoked device cookies count as anonymous";
  }
  test_clock.advance(16 * kMinute);
  auto back = agent();
  ASSERT_EQ(signin(back, email, kPassword).status, 200);
  auto audit = back.get("/api/orgs/" + org + "/audit?action=session.signed_out_everywhere");
  ASSERT_EQ(audit.status, 200);
  EXPECT_EQ(audit.json().at("items").as_array().size(), 1u) << audit.body;
}

// ---- Recent authentication ----

TEST_F(DevicesTest, AdminKeysNeedAPasswordProvedWithinTenMinutes) {
  auto owner = agent();
  auto session = owner.signup(unique_email("keys"), kPassword);
  std::string keys = "/api/orgs/" + org_of(session) + "/api-keys";
  EXPECT_EQ(owner.post(keys, {{"name", "fresh"}, {"role", "admin"}}).status, 201) << "just signed in";

  test_clock.advance(11 * kMinute);
  for (const char* role : {"admin", "owner"}) {
    auto refused = owner.post(keys, {{"name", "late"}, {"role", role}});
    EXPECT_EQ(refused.status, 403) << role;
    EXPECT_EQ(refused.error_code(), "reauthentication_required") << role;
  }
  EXPECT_EQ(owner.post(keys, {{"name", "member key"}, {"role", "member"}}).status, 201) << "a member key needs none";
  EXPECT_EQ(owner.get(keys).json().at("items").as_array().size(), 2u) << "the refused keys were not created";

  auto wrong = owner.post("/api/auth/reauthenticate", {{"password", "not the password"}});
  EXPECT_EQ(wrong.status, 422);
  EXPECT_EQ(owner.get("/api/auth/session").status, 200) << "a wrong password does not end the session";
  EXPECT_EQ(owner.post(keys, {{"name", "still late"}, {"role", "admin"}}).status, 403);

  EXPECT_EQ(owner.post("/api/auth/reauthenticate", {{"password", kPassword}}).status, 204);
  auto created = owner.post(keys, {{"name", "after proof"}, {"role", "admin"}});
  EXPECT_EQ(created.status, 201) << created.body;

  test_clock.advance(10 * kMinute + 1000);
  EXPECT_EQ(owner.post(keys, {{"name", "late again"}, {"role", "owner"}}).error_code(), "reauthentication_required");
}

TEST_F(DevicesTest, PasswordChangeNeedsRecentAuthentication) {
  std::string email = unique_email("pwlate");
  auto owner = agent();
  owner.signup(email, kPassword);
  test_clock.advance(11 * kMinute);
  auto refused = owner.post("/api/auth/password", {{"current_password", kPassword}, {"new_password", "another password"}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.error_code(), "reauthentication_required");
  auto anonymous = agent();
  EXPECT_EQ(signin(anonymous, email, kPassword).status, 200) << "the password did not change";

  EXPECT_EQ(owner.post("/api/auth/reauthenticate", {{"password", kPassword}}).status, 204);
  EXPECT_EQ(owner.post("/api/auth/password", {{"current_password", kPassword}, {"new_password", "another password"}}).status,
            204);
}

TEST_F(DevicesTest, ReauthenticationIsThrottledLikeSignIn) {
  std::string email = unique_email("reauth");
  auto owner = agent();
  owner.signup(email, kPassword);
  owner.cookies.clear();  // no device cookie: counted against the email
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(owner.post("/api/auth/reauthenticate", {{"password", "wrong " + std::to_string(i)}}).status, 422);
  auto refused = owner.post("/api/auth/reauthenticate", {{"password", kPassword}});
  EXPECT_EQ(refused.status, 429);
  auto stranger = agent();
  EXPECT_EQ(signin(stranger, email, kPassword).status, 429) << "they count as failed sign-ins of the email";
  EXPECT_EQ(owner.get("/api/auth/session").status, 200);
}

}  // namespace
}  // namespace sb::test
