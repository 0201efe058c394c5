// Team fixture through the public API only, as a real team would be built.
#include "integration/teams_fixture.hpp"

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "jobs/store.hpp"
#include "webhooks/store.hpp"

namespace sb::test {
namespace json = boost::json;

std::string token_from_url(const std::string& url) { return url.substr(url.rfind('/') + 1); }

TeamUsers make_people(const std::string& base_url) {
  TeamUsers users;
  for (const char* who : {"operator", "outsider", "owner", "admin", "member", "viewer", "target"}) {
    Agent a(base_url);
    auto session = a.signup(std::string(who) + "@example.com", "correct horse battery", who);
    users.user_ids[who] = std::string(session["user"].at("id").as_string());
    users.people.emplace(who, std::move(a));
  }
  // Everyone proves their address (the operator, the installation's first account, already has).
  for (const char* who : {"outsider", "owner", "admin", "member", "viewer", "target"})
    verify_email(users.people.at("operator"), std::string(who) + "@example.com");
  return users;
}

Team make_team(const std::string& base_url, TeamUsers& users) {
  Team team;
  Agent& owner = users.people.at("owner");
  auto org = owner.post("/api/orgs", {{"name", "Acme"}});
  EXPECT_EQ(org.status, 201) << org.body;
  team.org_id = std::string(org.json().at("id").as_string());
  std::string base = "/api/orgs/" + team.org_id;
  for (const char* who : {"admin", "member", "viewer", "target"}) {
    std::string role = std::string(who) == "target" ? "member" : who;
    auto invite = owner.post(base + "/invites", {{"email", std::string(who) + "@example.com"}, {"role", role}});
    EXPECT_EQ(invite.status, 201) << invite.body;
    std::string token = token_from_url(std::string(invite.json().at("accept_url").as_string()));
    auto accepted = users.people.at(who).post("/api/invites/accept", {{"token", token}});
    EXPECT_EQ(accepted.status, 200) << accepted.body;
  }
  auto pending = owner.post(base + "/invites", {{"email", "pending@example.com"}, {"role", "viewer"}});
  team.invite_id = std::string(pending.json().at("id").as_string());
  // Owner and admin keys need a recently proved password; long tests reuse the owner's session.
  EXPECT_EQ(owner.post("/api/auth/reauthenticate", {{"password", "correct horse battery"}}).status, 204);
  for (const char* role : {"owner", "admin", "member", "viewer"}) {
    auto key = owner.post(base + "/api-keys", {{"name", std::string(role) + " key"}, {"role", role}});
    EXPECT_EQ(key.status, 201) << key.body;
    Agent agent(base_url);
    agent.bearer = std::string(key.json().at("key").as_string());
    team.keys.emplace(std::string("key_") + role, std::move(agent));
  }
  auto spare = owner.post(base + "/api-keys", {{"name", "spare"}, {"role", "viewer"}});
  team.spare_key_id = std::string(spare.json().at("id").as_string());

  EXPECT_EQ(owner.post("/api/auth/switch-org", {{"org_id", team.org_id}}).status, 200);
  auto tpl = owner.post("/api/templates", {{"name", "Hours"}, {"trigger_phrases", json::array{"opening hours"}},
                                           {"body", "We are open 9 to 5, {{user_name}}."}});
  EXPECT_EQ(tpl.status, 201) << tpl.body;
  team.template_id = std::string(tpl.json().at("id").as_string());
  auto bot = owner.post("/api/bots", {{"name", "Helper"}, {"template_ids", json::array{json::string(team.template_id)}}});
  EXPECT_EQ(bot.status, 201) << bot.body;
  team.bot_id = std::string(bot.json().at("id").as_string());
  auto dep = owner.post("/api/deployments", {{"bot_id", team.bot_id}, {"channel", "webchat"}});
  EXPECT_EQ(dep.status, 201) << dep.body;
  team.deployment_id = std::string(dep.json().at("id").as_string());
  team.deployment_key = std::string(dep.json().at("key").as_string());
  auto chat = owner.post("/api/bots/" + team.bot_id + "/chat", {{"text", "hello"}});
  EXPECT_EQ(chat.status, 200) << chat.body;
  team.conversation_id = std::string(chat.json().at("session_id").as_string());
  // The web chat needs no outside account, so its integration works without any platform.
  auto integration = owner.post("/api/integrations", {{"platform", "webchat"}, {"name", "Site chat"}});
  EXPECT_EQ(integration.status, 201) << integration.body;
  team.integration_id = std::string(integration.json().at("id").as_string());
  return team;
}

void add_failed_job(db::Database& db, Team& team) {
  std::int64_t now = SystemClock().now_ms();
  webhooks::WebhookEvent e{new_id("evt", now), team.org_id, team.integration_id, "webchat", new_id("key", now),
                           "message", "accepted", R"({"text":"hello"})", "0", now};
  jobs::MessageJob j;
  j.id = new_id("job", now);
  j.org_id = team.org_id;
  j.integration_id = team.integration_id;
  j.bot_id = team.bot_id;
  j.event_id = e.id;
  j.platform = "webchat";
  j.external_user_id = "visitor-1";
  j.display_name = "Visitor";
  j.external_message_id = e.idempotency_key;
  j.reply_to = "visitor-1";
  j.inbound_text = "hello";
  j.state = "failed";
  j.attempts = 1;
  j.last_error = "The platform had a server error (500).";
  j.next_run_at = now + 24 * 3600 * 1000;
  j.created_at = j.updated_at = now;
  auto conn = db.acquire();
  webhooks::store::insert_if_new(*conn, e);
  jobs::store::insert(*conn, j);
  team.event_id = e.id;
  team.job_id = j.id;
  // A second delivery whose reply is held in doubt.
  webhooks::WebhookEvent e2 = e;
  e2.id = new_id("evt", now);
  e2.idempotency_key = new_id("key", now);
  jobs::MessageJob d = j;
  d.id = new_id("job", now);
  d.event_id = e2.id;
  d.external_message_id = e2.idempotency_key;
  d.state = "in_doubt";
  d.last_error = "Held in doubt.";
  webhooks::store::insert_if_new(*conn, e2);
  jobs::store::insert(*conn, d);
  team.doubt_job_id = d.id;
}

}  // namespace sb::test
