// Teams over real HTTP: invitations, roles and their limits, API keys, the audit log, isolation.
#include <thread>

#include "integration/teams_fixture.hpp"

namespace sb::test {
namespace {
namespace json = boost::json;

class TeamsTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    users = make_people(base_url);
    team = make_team(base_url, users);
    base = "/api/orgs/" + team.org_id;
  }
  Agent& person(const std::string& who) { return users.people.at(who); }
  std::string id_of(const std::string& who) { return users.user_ids.at(who); }
  std::string role_of(const std::string& who) { return role_of_email(who + "@example.com"); }
  std::string role_of_email(const std::string& email) {
    auto members = person("owner").get(base + "/members").json();
    for (const auto& m : members.at("items").as_array())
      if (m.at("email").as_string() == email) return std::string(m.at("role").as_string());
    return "";
  }
  // Moves the invitation's expiry into the past, as if a week went by.
  void expire_invite(const std::string& email) {
    auto conn = app->database().acquire();
    conn->execute("UPDATE invites SET expires_at = 1 WHERE email = $1", {email});
  }
  TeamUsers users;
  Team team;
  std::string base;
};

TEST_F(TeamsTest, InvitationByMailLetsANewUserJoinAndCollaborate) {
  auto invite = person("owner").post(base + "/invites", {{"email", "Newcomer@Example.com"}, {"role", "member"}});
  ASSERT_EQ(invite.status, 201) << invite.body;
  EXPECT_EQ(invite.json().at("email").as_string(), "newcomer@example.com");
  // No SMTP server is configured, so the mail waits in the outbox for platform admins.
  auto mailbox = person("operator").get("/api/debug/mailbox");
  ASSERT_EQ(mailbox.status, 200);
  auto mail = mailbox.json().at("items").as_array().at(0);
  EXPECT_EQ(mail.at("to").as_string(), "newcomer@example.com");
  std::string body(mail.at("body").as_string());
  std::string link = body.substr(body.find("http"), body.find('\n', body.find("http")) - body.find("http"));
  EXPECT_EQ(link, invite.json().at("accept_url").as_string());

  std::string token = token_from_url(link);
  auto preview = agent().get("/api/invites/preview?token=" + token);
  ASSERT_EQ(preview.status, 200);
  EXPECT_EQ(preview.json().at("organization").at("name").as_string(), "Acme");
  EXPECT_EQ(preview.json().at("role").as_string(), "member");

  Agent newcomer = agent();
  newcomer.signup("newcomer@example.com");
  auto accepted = newcomer.post("/api/invites/accept", {{"token", token}});
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(accepted.json().at("organization").at("id").as_string(), team.org_id);
  EXPECT_EQ(accepted.json().at("role").as_string(), "member");
  // The newcomer now sees the shared organisation and its people.
  auto members = newcomer.get(base + "/members");
  ASSERT_EQ(members.status, 200);
  EXPECT_EQ(members.json().at("items").as_array().size(), 6u);
  auto orgs = newcomer.get("/api/orgs").json().at("items").as_array();
  EXPECT_EQ(orgs.size(), 2u) << "their own organisation and the one they joined";
  // The organisation's choice persists for the next sign-in.
  Agent again = agent();
  auto session = again.signin("newcomer@example.com");
  EXPECT_EQ(session["organization"].at("id").as_string(), team.org_id);
}

TEST_F(TeamsTest, OutsiderSeesNothingOfTheTeamByAnyRoute) {
  Agent& outsider = person("outsider");
  for (std::string path : {base, base + "/members", base + "/invites", base + "/api-keys", base + "/audit"})
    EXPECT_EQ(outsider.get(path).status, 404) << path;
  EXPECT_EQ(outsider.patch(base, {{"name", "Mine now"}}).status, 404);
  EXPECT_EQ(outsider.post(base + "/invites", {{"email", "spy@example.com"}, {"role", "owner"}}).status, 404);
  EXPECT_EQ(outsider.post("/api/auth/switch-org", {{"org_id", team.org_id}}).status, 404);
  auto mine = outsider.get("/api/orgs").json().at("items").as_array();
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_NE(mine[0].at("id").as_string(), team.org_id);
  EXPECT_EQ(person("owner").get(base).json().at("name").as_string(), "Acme") << "nothing changed";
  // A key of the team is no key to another organisation.
  std::string outsider_org(outsider.get("/api/orgs").json().at("items").at(0).at("id").as_string());
  EXPECT_EQ(team.keys.at("key_owner").get("/api/orgs/" + outsider_org + "/members").status, 404);
}

TEST_F(TeamsTest, AdminCannotRaiseAnyoneToOwnerOrTouchOwners) {
  Agent& admin = person("admin");
  auto self = admin.patch(base + "/members/" + id_of("admin"), {{"role", "owner"}});
  EXPECT_EQ(self.status, 403);
  auto other = admin.patch(base + "/members/" + id_of("member"), {{"role", "owner"}});
  EXPECT_EQ(other.status, 403);
  EXPECT_EQ(admin.patch(base + "/members/" + id_of("owner"), {{"role", "member"}}).status, 403);
  EXPECT_EQ(admin.send("DELETE", base + "/members/" + id_of("owner")).status, 403);
  EXPECT_EQ(admin.post(base + "/invites", {{"email", "boss@example.com"}, {"role", "owner"}}).status, 422);
  EXPECT_EQ(admin.post(base + "/transfer-ownership", {{"user_id", id_of("admin")}}).status, 403);
  EXPECT_EQ(role_of("admin"), "admin");
  EXPECT_EQ(role_of("member"), "member");
  EXPECT_EQ(role_of("owner"), "owner");
  // What admins may do: manage members up to admin.
  EXPECT_EQ(admin.patch(base + "/members/" + id_of("member"), {{"role", "admin"}}).status, 200);
  EXPECT_EQ(role_of("member"), "admin");
}

TEST_F(TeamsTest, MembersAndViewersChangeNothing) {
  for (const char* who : {"member", "viewer"}) {
    Agent& a = person(who);
    EXPECT_EQ(a.patch(base + "/members/" + id_of("target"), {{"role", "viewer"}}).status, 403) << who;
    EXPECT_EQ(a.patch(base + "/members/" + id_of(who), {{"role", "admin"}}).status, 403) << who;
    EXPECT_EQ(a.patch(base, {{"name", "x"}}).status, 403) << who;
    EXPECT_EQ(a.post(base + "/invites", {{"email", "friend@example.com"}, {"role", "viewer"}}).status, 403) << who;
    EXPECT_EQ(a.post(base + "/api-keys", {{"name", "mine"}, {"role", "viewer"}}).status, 403) << who;
  }
  EXPECT_EQ(role_of("member"), "member");
  EXPECT_EQ(role_of("viewer"), "viewer");
  EXPECT_EQ(role_of("target"), "member");
}

TEST_F(TeamsTest, NobodyChangesTheirOwnRoleAndTheLastOwnerStays) {
  auto own = person("owner").patch(base + "/members/" + id_of("owner"), {{"role", "admin"}});
  EXPECT_EQ(own.status, 403);
  auto leave = person("owner").send("DELETE", base + "/members/" + id_of("owner"));
  EXPECT_EQ(leave.status, 403);
  EXPECT_NE(leave.json().at("error").at("message").as_string().find("last owner"), std::string::npos);
  EXPECT_EQ(role_of("owner"), "owner");
  // Others may leave.
  EXPECT_EQ(person("viewer").send("DELETE", base + "/members/" + id_of("viewer")).status, 204);
  EXPECT_EQ(person("viewer").get(base).status, 404);
}

TEST_F(TeamsTest, TransferOwnershipHandsOverAndStepsDown) {
  EXPECT_EQ(person("owner").post(base + "/transfer-ownership", {{"user_id", id_of("outsider")}}).status, 422);
  auto r = person("owner").post(base + "/transfer-ownership", {{"user_id", id_of("admin")}});
  ASSERT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(role_of("admin"), "owner");
  EXPECT_EQ(role_of("owner"), "admin");
  // The old owner can now leave; the new one cannot while alone.
  EXPECT_EQ(person("owner").send("DELETE", base + "/members/" + id_of("owner")).status, 204);
  EXPECT_EQ(person("admin").send("DELETE", base + "/members/" + id_of("admin")).status, 403);
}

TEST_F(TeamsTest, InviteTokensWorkOnceForTheRightPersonBeforeTheyExpire) {
  auto invite = person("owner").post(base + "/invites", {{"email", "once@example.com"}, {"role", "viewer"}});
  std::string token = token_from_url(std::string(invite.json().at("accept_url").as_string()));
  // The wrong person.
  auto wrong = person("outsider").post("/api/invites/accept", {{"token", token}});
  EXPECT_EQ(wrong.status, 403);
  EXPECT_EQ(wrong.error_code(), "invite_email_mismatch");
  EXPECT_EQ(person("outsider").get(base).status, 404);
  // The right one, once.
  Agent once = agent();
  once.signup("once@example.com");
  EXPECT_EQ(once.post("/api/invites/accept", {{"token", token}}).status, 200);
  auto reused = once.post("/api/invites/accept", {{"token", token}});
  EXPECT_EQ(reused.status, 404);
  EXPECT_EQ(reused.error_code(), "invite_invalid");
  EXPECT_EQ(agent().get("/api/invites/preview?token=" + token).status, 404);
  // Expired.
  auto late = person("owner").post(base + "/invites", {{"email", "late@example.com"}, {"role", "viewer"}});
  std::string late_token = token_from_url(std::string(late.json().at("accept_url").as_string()));
  expire_invite("late@example.com");
  Agent latecomer = agent();
  latecomer.signup("late@example.com");
  EXPECT_EQ(latecomer.post("/api/invites/accept", {{"token", late_token}}).status, 404);
  EXPECT_EQ(latecomer.get(base).status, 404);
  auto listed = person("owner").get(base + "/invites").json().at("items").as_array();
  bool shown_expired = false;
  for (const auto& i : listed) shown_expired |= i.at("email") == "late@example.com" && i.at("status") == "expired";
  EXPECT_TRUE(shown_expired);
  // A made-up token.
  EXPECT_EQ(latecomer.post("/api/invites/accept", {{"token", "x"}}).status, 404);
}

TEST_F(TeamsTest, TwoSimultaneousAcceptsUseTheTokenOnce) {
  auto invite = person("owner").post(base + "/invites", {{"email", "racer@example.com"}, {"role", "member"}});
  std::string token = token_from_url(std::string(invite.json().at("accept_url").as_string()));
  Agent racer = agent();
  racer.signup("racer@example.com");
  Agent twin = racer;  // the same session in two tabs
  long first = 0, second = 0;
  std::thread a([&] { first = racer.post("/api/invites/accept", {{"token", token}}).status; });
  std::thread b([&] { second = twin.post("/api/invites/accept", {{"token", token}}).status; });
  a.join();
  b.join();
  EXPECT_EQ(std::min(first, second), 200);
  EXPECT_EQ(std::max(first, second), 404);
  EXPECT_EQ(role_of_email("racer@example.com"), "member");
}

TEST_F(TeamsTest, ResendReplacesTheLinkAndRevokeKillsIt) {
  auto invite = person("owner").post(base + "/invites", {{"email", "resend@example.com"}, {"role", "member"}});
  std::string first = token_from_url(std::string(invite.json().at("accept_url").as_string()));
  std::string id(invite.json().at("id").as_string());
  EXPECT_EQ(person("owner").post(base + "/invites", {{"email", "resend@example.com"}, {"role", "member"}}).status, 409);
  auto resent = person("admin").post(base + "/invites/" + id + "/resend", json::object{});
  ASSERT_EQ(resent.status, 200);
  std::string second = token_from_url(std::string(resent.json().at("accept_url").as_string()));
  EXPECT_NE(first, second);
  EXPECT_EQ(agent().get("/api/invites/preview?token=" + first).status, 404);
  EXPECT_EQ(agent().get("/api/invites/preview?token=" + second).status, 200);
  EXPECT_EQ(person("admin").send("DELETE", base + "/invites/" + id).status, 204);
  EXPECT_EQ(agent().get("/api/invites/preview?token=" + second).status, 404);
  EXPECT_EQ(person("owner").post(base + "/invites", {{"email", "member@example.com"}, {"role", "viewer"}}).status, 409)
      << "already a member";
}

TEST_F(TeamsTest, ApiKeysAreShownOnceStoredHashedAndRevocable) {
  auto created = person("admin").post(base + "/api-keys", {{"name", "CI"}, {"role", "member"}});
  ASSERT_EQ(created.status, 201) << created.body;
  std::string secret(created.json().at("key").as_string());
  std::string key_id(created.json().at("id").as_string());
  EXPECT_EQ(secret.rfind(std::string(created.json().at("prefix").as_string()), 0), 0u);
  // Never again: not in the list, not in the audit log.
  auto list = person("owner").get(base + "/api-keys");
  EXPECT_EQ(list.body.find(secret), std::string::npos);
  EXPECT_EQ(person("owner").get(base + "/audit").body.find(secret), std::string::npos);
  {
    auto conn = app->database().acquire();
    auto row = conn->query_one("SELECT key_hash FROM api_keys WHERE id = $1", {key_id});
    ASSERT_TRUE(row);
    EXPECT_NE(row->text("key_hash"), secret);
  }
  // Used without a CSRF token; acts with its own role.
  Agent ci = agent();
  ci.bearer = secret;
  EXPECT_EQ(ci.get(base + "/members").status, 200);
  EXPECT_EQ(ci.patch(base, {{"name", "x"}}).status, 403) << "a member key cannot rename";
  EXPECT_EQ(ci.get("/api/auth/session").status, 403) << "keys are not people";
  auto listed = person("owner").get(base + "/api-keys").json().at("items").as_array();
  for (const auto& k : listed)
    if (k.at("id").as_string() == key_id) EXPECT_FALSE(k.at("last_used_at").is_null());
  // Role ceiling.
  EXPECT_EQ(person("admin").post(base + "/api-keys", {{"name", "too much"}, {"role", "owner"}}).status, 422);
  // Revoked.
  EXPECT_EQ(person("admin").send("DELETE", base + "/api-keys/" + key_id).status, 204);
  auto refused = ci.get(base + "/members");
  EXPECT_EQ(refused.status, 401);
  Agent forged = agent();
  forged.bearer = secret.substr(0, secret.size() - 2) + "xx";
  EXPECT_EQ(forged.get("/api/orgs").status, 401);
  // Expired.
  auto soon = person("owner").post(base + "/api-keys", {{"name", "old"}, {"role", "viewer"},
                                                        {"expires_at", "2000-01-01T00:00:00Z"}});
  EXPECT_EQ(soon.status, 422);
}

TEST_F(TeamsTest, AuditLogRecordsWhoDidWhatWithoutSecrets) {
  person("admin").patch(base + "/members/" + id_of("target"), {{"role", "viewer"}});
  auto key = person("owner").post(base + "/api-keys", {{"name", "deploy"}, {"role", "viewer"}});
  std::string secret(key.json().at("key").as_string());
  auto log = person("owner").get(base + "/audit");
  ASSERT_EQ(log.status, 200);
  EXPECT_EQ(log.body.find(secret), std::string::npos);
  auto items = log.json().at("items").as_array();
  ASSERT_FALSE(items.empty());
  EXPECT_EQ(items[0].at("action").as_string(), "api_key.created") << "newest first";
  bool role_change = false;
  for (const auto& e : items) {
    if (e.at("action") != "member.role_changed") continue;
    role_change = true;
    EXPECT_EQ(e.at("actor").at("id").as_string(), id_of("admin"));
    EXPECT_EQ(e.at("target").at("label").as_string(), "target@example.com");
    EXPECT_EQ(e.at("before").at("role").as_string(), "member");
    EXPECT_EQ(e.at("after").at("role").as_string(), "viewer");
    EXPECT_EQ(e.at("ip").as_string(), "127.0.0.1");
  }
  EXPECT_TRUE(role_change);
  // Filters and pages.
  auto filtered = person("owner").get(base + "/audit?action=member.role_changed").json().at("items").as_array();
  EXPECT_EQ(filtered.size(), 1u);
  auto member_events = person("owner").get(base + "/audit?action=member.").json().at("items").as_array();
  EXPECT_EQ(member_events.size(), 5u) << "four joined, one role change";
  auto page = person("owner").get(base + "/audit?limit=2").json();
  EXPECT_EQ(page.at("items").as_array().size(), 2u);
  std::string cursor(page.at("next_before").as_string());
  auto next = person("owner").get(base + "/audit?limit=2&before=" + cursor).json();
  EXPECT_NE(next.at("items").at(0).at("id"), page.at("items").at(1).at("id"));
  EXPECT_EQ(person("owner").get(base + "/audit?from=yesterday").status, 422);
  EXPECT_EQ(person("member").get(base + "/audit").status, 403);
}

TEST_F(TeamsTest, PermissionsFollowTheCurrentOrganisation) {
  auto owner = person("owner");
  owner.post("/api/auth/switch-org", {{"org_id", team.org_id}});
  auto p = owner.get("/api/permissions").json();
  EXPECT_EQ(p.at("role").as_string(), "owner");
  auto allowed = p.at("allowed").as_array();
  EXPECT_NE(std::find(allowed.begin(), allowed.end(), json::value("org.delete")), allowed.end());
  Agent& viewer = person("viewer");
  viewer.post("/api/auth/switch-org", {{"org_id", team.org_id}});
  auto v = viewer.get("/api/permissions").json();
  EXPECT_EQ(v.at("role").as_string(), "viewer");
  for (const auto& a : v.at("allowed").as_array())
    EXPECT_TRUE(a.as_string().ends_with(".read")) << "viewers only read: " << a.as_string();
  EXPECT_EQ(p.at("actions").as_array().size(), v.at("actions").as_array().size());
  // Asked by organisation id, whatever the session's current one is.
  auto outsider_org = std::string(person("outsider").get("/api/orgs").json().at("items").at(0).at("id").as_string());
  EXPECT_EQ(viewer.get("/api/permissions?org_id=" + outsider_org).status, 404);
  auto by_id = person("member").get("/api/permissions?org_id=" + team.org_id).json();
  EXPECT_EQ(by_id.at("role").as_string(), "member");
}

TEST_F(TeamsTest, RenameAndDeleteTheOrganisation) {
  EXPECT_EQ(person("admin").patch(base, {{"name", ""}}).status, 422);
  auto renamed = person("admin").patch(base, {{"name", "Acme Corp"}});
  ASSERT_EQ(renamed.status, 200);
  EXPECT_EQ(person("viewer").get(base).json().at("name").as_string(), "Acme Corp");
  EXPECT_EQ(person("admin").send("DELETE", base).status, 403);
  EXPECT_EQ(person("owner").send("DELETE", base).status, 204);
  EXPECT_EQ(person("member").get(base).status, 404);
  EXPECT_EQ(team.keys.at("key_owner").get("/api/orgs").status, 401) << "its API keys went with it";
  // Members whose current organisation vanished land in their own.
  auto session = person("member").get("/api/auth/session");
  ASSERT_EQ(session.status, 200);
  EXPECT_NE(session.json().at("organization").at("id").as_string(), team.org_id);
}

TEST_F(TeamsTest, PlatformAdminSeesOrganisationsAndUsersButNotTheirData) {
  auto orgs = person("operator").get("/api/admin/organizations");
  ASSERT_EQ(orgs.status, 200);
  bool listed = false;
  auto all = orgs.json();
  for (const auto& o : all.at("items").as_array())
    if (o.at("id").as_string() == team.org_id) {
      listed = true;
      EXPECT_EQ(o.at("member_count").as_int64(), 5);
      EXPECT_EQ(o.at("owner_email").as_string(), "owner@example.com");
    }
  EXPECT_TRUE(listed);
  EXPECT_EQ(person("operator").get("/api/admin/users").json().at("items").as_array().size(), 7u);
  EXPECT_EQ(person("operator").get(base + "/members").status, 404) << "not a member, so no data";
  EXPECT_EQ(person("owner").get("/api/admin/users").status, 403);
}

}  // namespace
}  // namespace sb::test
