// API keys follow their creator: never above the creator's role now, revoked when the creator leaves.
#include "integration/teams_fixture.hpp"

namespace sb::test {
namespace {
namespace json = boost::json;

class ApiKeyCreatorTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    users = make_people(base_url);
    team = make_team(base_url, users);
    base = "/api/orgs/" + team.org_id;
  }
  Agent& person(const std::string& who) { return users.people.at(who); }
  std::string id_of(const std::string& who) { return users.user_ids.at(who); }
  // A key created by `by` (a person or a key), as an agent that sends it; its id in key_id.
  Agent key_from(Agent& by, const std::string& name, const std::string& role, std::string* key_id = nullptr) {
    auto created = by.post(base + "/api-keys", {{"name", name}, {"role", role}});
    EXPECT_EQ(created.status, 201) << created.body;
    Agent key = agent();
    key.bearer = std::string(created.json().at("key").as_string());
    if (key_id) *key_id = std::string(created.json().at("id").as_string());
    return key;
  }
  void set_role(const std::string& who, const std::string& role) {
    auto changed = person("owner").patch(base + "/members/" + id_of(who), {{"role", role}});
    ASSERT_EQ(changed.status, 200) << changed.body;
  }
  std::string role_seen_by(Agent& key) {
    auto p = key.get("/api/permissions?org_id=" + team.org_id);
    if (p.status != 200) return "status " + std::to_string(p.status);
    return std::string(p.json().at("role").as_string());
  }
  json::object listed_key(const std::string& key_id) {
    auto items = person("owner").get(base + "/api-keys").json().at("items").as_array();
    for (const auto& k : items)
      if (k.at("id").as_string() == key_id) return k.as_object();
    ADD_FAILURE() << "key " << key_id << " not listed";
    return {};
  }
  // The api_key.revoked audit entries of one key.
  std::vector<json::object> revocations_of(const std::string& key_id) {
    std::vector<json::object> out;
    auto log = person("owner").get(base + "/audit?action=api_key.revoked");
    EXPECT_EQ(log.status, 200) << log.body;
    auto page = log.json();
    for (const auto& e : page.at("items").as_array())
      if (e.at("target").at("id").as_string() == key_id) out.push_back(e.as_object());
    return out;
  }
  TeamUsers users;
  Team team;
  std::string base;
};

TEST_F(ApiKeyCreatorTest, DemotedCreatorsKeyLosesAdminRightsAndRegainsThemUpToItsOwnRole) {
  Agent key = key_from(person("admin"), "deploy", "admin");
  EXPECT_EQ(key.patch(base, {{"name", "Acme by key"}}).status, 200) << "an admin key renames";
  EXPECT_EQ(key.get(base + "/api-keys").status, 200);

  set_role("admin", "viewer");
  EXPECT_EQ(role_seen_by(key), "viewer");
  EXPECT_EQ(key.patch(base, {{"name", "Acme again"}}).status, 403) << "its creator can no longer rename";
  EXPECT_EQ(key.get(base + "/api-keys").status, 403);
  EXPECT_EQ(key.post(base + "/api-keys", {{"name", "escape"}, {"role", "admin"}}).status, 403)
      << "no way out through a new key";
  EXPECT_EQ(key.post("/api/bots", {{"name", "Sneaky"}}).status, 403) << "viewers change no bots";
  EXPECT_EQ(key.get(base + "/members").status, 200) << "viewer things still work";
  EXPECT_EQ(key.get("/api/bots").status, 200);
  EXPECT_EQ(person("viewer").get(base).json().at("name").as_string(), "Acme by key");

  set_role("admin", "member");
  EXPECT_EQ(role_seen_by(key), "member");
  EXPECT_EQ(key.post("/api/bots", {{"name", "Member bot"}}).status, 201);
  EXPECT_EQ(key.patch(base, {{"name", "Acme again"}}).status, 403);

  set_role("admin", "owner");
  EXPECT_EQ(role_seen_by(key), "admin") << "never above the key's own role";
  EXPECT_EQ(key.patch(base, {{"name", "Acme again"}}).status, 200);
  EXPECT_EQ(key.send("DELETE", base).status, 403) << "deleting needs an owner, the key is an admin key";
}

TEST_F(ApiKeyCreatorTest, RemovingTheCreatorRevokesTheirKeysWithAnAuditEntry) {
  std::string admin_key_id, viewer_key_id;
  Agent admin_key = key_from(person("admin"), "deploy", "admin", &admin_key_id);
  Agent viewer_key = key_from(person("admin"), "dashboards", "viewer", &viewer_key_id);
  ASSERT_EQ(admin_key.get(base + "/members").status, 200);

  ASSERT_EQ(person("owner").send("DELETE", base + "/members/" + id_of("admin")).status, 204);
  EXPECT_EQ(admin_key.get(base + "/members").status, 401);
  EXPECT_EQ(viewer_key.get("/api/orgs").status, 401);
  EXPECT_EQ(admin_key.patch(base, {{"name", "Gone"}}).status, 401);
  EXPECT_EQ(team.keys.at("key_owner").get(base + "/members").status, 200) << "other people's keys keep working";

  for (const auto& id : {admin_key_id, viewer_key_id}) {
    EXPECT_FALSE(listed_key(id).at("revoked_at").is_null()) << "the list shows it revoked";
    auto entries = revocations_of(id);
    ASSERT_EQ(entries.size(), 1u) << id;
    EXPECT_EQ(entries[0].at("after").at("reason").as_string(), "creator_removed");
    EXPECT_EQ(entries[0].at("actor").at("id").as_string(), id_of("owner"));
  }
  // Coming back does not bring old keys back.
  auto invite = person("owner").post(base + "/invites", {{"email", "admin@example.com"}, {"role", "admin"}});
  ASSERT_EQ(invite.status, 201) << invite.body;
  auto accepted = person("admin").post(
      "/api/invites/accept", {{"token", token_from_url(std::string(invite.json().at("accept_url").as_string()))}});
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(admin_key.get(base + "/members").status, 401);
}

TEST_F(ApiKeyCreatorTest, LeavingRevokesTheLeaversKeys) {
  std::string key_id;
  Agent key = key_from(person("admin"), "deploy", "admin", &key_id);
  ASSERT_EQ(person("admin").send("DELETE", base + "/members/" + id_of("admin")).status, 204);
  EXPECT_EQ(key.get(base + "/members").status, 401);
  auto entries = revocations_of(key_id);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].at("after").at("reason").as_string(), "creator_left");
  EXPECT_EQ(entries[0].at("actor").at("id").as_string(), id_of("admin"));
  EXPECT_EQ(entries[0].at("target").at("label").as_string(), "deploy");
}

TEST_F(ApiKeyCreatorTest, KeyMadeByAKeyBelongsToItsPersonAndFollowsThem) {
  std::string parent_id, child_id;
  Agent parent = key_from(person("admin"), "provisioner", "admin", &parent_id);
  Agent child = key_from(parent, "worker", "member", &child_id);
  auto listed = listed_key(child_id);
  EXPECT_EQ(listed.at("created_by").at("id").as_string(), id_of("admin"));
  EXPECT_EQ(listed.at("created_by").at("name").as_string(), "admin");
  EXPECT_EQ(child.post("/api/bots", {{"name", "Worker bot"}}).status, 201);

  set_role("admin", "viewer");
  EXPECT_EQ(child.post("/api/bots", {{"name", "Another"}}).status, 403) << "it follows the person, not the key";
  EXPECT_EQ(child.get("/api/bots").status, 200);

  // Revoking the parent leaves the child to its person; removing the person stops both.
  ASSERT_EQ(person("owner").send("DELETE", base + "/api-keys/" + parent_id).status, 204);
  EXPECT_EQ(child.get("/api/bots").status, 200);
  ASSERT_EQ(person("owner").send("DELETE", base + "/members/" + id_of("admin")).status, 204);
  EXPECT_EQ(child.get("/api/bots").status, 401);
  auto entries = revocations_of(child_id);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].at("after").at("reason").as_string(), "creator_removed");
}

TEST_F(ApiKeyCreatorTest, KeyStopsTheMomentItsCreatorIsNoLongerAMemberWhateverRemovedThem) {
  // Even without a revocation (a membership ended outside the member routes), the key checks
  // its creator on every request.
  Agent key = key_from(person("admin"), "deploy", "admin");
  ASSERT_EQ(key.get(base + "/members").status, 200);
  {
    auto conn = app->database().acquire();
    conn->execute("DELETE FROM organization_members WHERE org_id = $1 AND user_id = $2", {team.org_id, id_of("admin")});
  }
  auto refused = key.get(base + "/members");
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.body.find(key.bearer), std::string::npos);
}

TEST_F(ApiKeyCreatorTest, KeyCannotChangeItsOwnPersonsRole) {
  // The admin's key acts for the admin, who cannot change their own role either.
  Agent key = key_from(person("admin"), "deploy", "admin");
  auto changed = key.patch(base + "/members/" + id_of("admin"), {{"role", "viewer"}});
  EXPECT_EQ(changed.status, 403) << changed.body;
  EXPECT_EQ(role_seen_by(key), "admin") << "nothing changed";
  EXPECT_EQ(key.patch(base + "/members/" + id_of("member"), {{"role", "viewer"}}).status, 200) << "other people, yes";
}

}  // namespace
}  // namespace sb::test
