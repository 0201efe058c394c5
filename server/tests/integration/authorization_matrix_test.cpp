// The authorisation matrix: every route of the router × every kind of caller → the expected status.
// A route without an entry here fails the test, so no route ships without its rules written down.
#include <iostream>

#include "integration/teams_fixture.hpp"
#include "orgs/permissions.hpp"

namespace sb::test {
namespace {
namespace json = boost::json;

// Who may call a route.
enum class Access {
  open,            // anyone, signed in or not
  person,          // a signed-in person; API keys are refused
  anyone_signed,   // a person or an API key
  platform_admin,  // a signed-in platform admin
  org,             // a member (or key) of the organisation in the path with at least min_role
  current_org,     // acts in the caller's current organisation with at least min_role; others
                   // (outsider, operator) act in their own, where the team's ids do not exist
};

struct Spec {
  Access access;
  unsigned ok;                  // the status an allowed caller gets
  std::string min_role = "";    // for Access::org
  std::string body = "";
  bool keys_refused = false;    // org routes only people may use (transfer of ownership)
  bool changes_state = false;   // gets a fresh organisation for every caller
  std::string query = "";
  unsigned outsider = 0;
  bool path_has_id = false;     // filled in from the pattern        // current_org routes: what a caller of another organisation gets, if not the usual
  bool ends_other_sessions = false;  // signs the caller's other sessions out: the shared one signs in again
};

const std::map<std::string, Spec>& specs() {
  static const std::map<std::string, Spec> table = {
      {"GET /healthz", {Access::open, 200}},
      {"GET /readyz", {Access::open, 200}},
      {"GET /metrics", {Access::open, 200}},
      {"POST /api/auth/signup", {Access::open, 422, "", "{}"}},
      {"POST /api/auth/signin", {Access::open, 422, "", "{}"}},
      {"POST /api/auth/signin/two-factor", {Access::open, 422, "", "{}"}},
      {"GET /api/auth/two-factor", {Access::person, 200}},
      {"POST /api/auth/two-factor/setup", {Access::person, 200}},
      {"POST /api/auth/two-factor/enable", {Access::person, 422, "", R"({"code":"x"})"}},
      // Nobody in the matrix has a second factor on: an allowed caller learns that (409).
      {"POST /api/auth/two-factor/disable", {Access::person, 409}},
      {"POST /api/auth/two-factor/recovery-codes", {Access::person, 409}},
      {"POST /api/admin/users/:id/two-factor/reset", {Access::platform_admin, 404}},
      {"POST /api/auth/signout", {Access::person, 204, "", "", false, true}},
      {"GET /api/auth/session", {Access::person, 200}},
      {"POST /api/auth/password",
       {Access::person, 422, "", R"({"current_password":"not the password","new_password":"0123456789abc"})"}},
      {"POST /api/auth/password-reset", {Access::open, 422, "", "{}"}},
      {"GET /api/auth/password-reset", {Access::open, 400, "", "", false, false, "?token=not-a-token"}},
      {"POST /api/auth/password-reset/complete",
       {Access::open, 400, "", R"({"token":"not-a-token","new_password":"0123456789abc"})"}},
      {"POST /api/auth/verify-email", {Access::open, 400, "", R"({"token":"not-a-token"})"}},
      // Everyone in the matrix has proved their address.
      {"POST /api/auth/verify-email/resend", {Access::person, 409}},
      {"POST /api/auth/email", {Access::person, 422, "", R"({"email":"not an address"})"}},
      {"POST /api/auth/reauthenticate", {Access::person, 204, "", R"({"password":"correct horse battery"})"}},
      {"GET /api/auth/sessions", {Access::person, 200}},
      // ":id" is not a session of the caller's (another user's session looks like a missing one).
      {"DELETE /api/auth/sessions/:id", {Access::person, 404}},
      {"POST /api/auth/sessions/revoke-others", {Access::person, 204, "", "", false, true, "", 0, false, true}},
      {"POST /api/auth/signout-everywhere", {Access::person, 204, "", "", false, true, "", 0, false, true}},
      {"POST /api/auth/switch-org", {Access::person, 200, "", R"({"org_id":"$org"})"}},
      {"GET /api/profile", {Access::person, 200}},
      {"PATCH /api/profile", {Access::person, 200, "", R"({"timezone":"UTC"})"}},
      {"GET /api/orgs", {Access::anyone_signed, 200}},
      {"POST /api/orgs", {Access::person, 201, "", R"({"name":"Another"})"}},
      {"GET /api/orgs/:id", {Access::org, 200, "viewer"}},
      {"PATCH /api/orgs/:id", {Access::org, 200, "admin", R"({"name":"Renamed"})"}},
      {"DELETE /api/orgs/:id", {Access::org, 204, "owner", "", false, true}},
      {"GET /api/orgs/:id/members", {Access::org, 200, "viewer"}},
      {"PATCH /api/orgs/:id/members/:user_id", {Access::org, 200, "admin", R"({"role":"viewer"})", false, true}},
      {"DELETE /api/orgs/:id/members/:user_id", {Access::org, 204, "admin", "", false, true}},
      {"POST /api/orgs/:id/transfer-ownership", {Access::org, 204, "owner", R"({"user_id":"$target"})", true, true}},
      {"GET /api/orgs/:id/invites", {Access::org, 200, "admin"}},
      {"POST /api/orgs/:id/invites",
       {Access::org, 201, "admin", R"({"email":"newcomer@example.com","role":"member"})", false, true}},
      {"POST /api/orgs/:id/invites/:invite_id/resend", {Access::org, 200, "admin", "", false, true}},
      {"DELETE /api/orgs/:id/invites/:invite_id", {Access::org, 204, "admin", "", false, true}},
      {"GET /api/invites/preview", {Access::open, 404, "", "", false, false, "?token=not-a-token"}},
      {"POST /api/invites/accept", {Access::person, 404, "", R"({"token":"not-a-token"})"}},
      {"GET /api/orgs/:id/api-keys", {Access::org, 200, "admin"}},
      {"POST /api/orgs/:id/api-keys", {Access::org, 201, "admin", R"({"name":"ci","role":"viewer"})", false, true}},
      {"DELETE /api/orgs/:id/api-keys/:key_id", {Access::org, 204, "admin", "", false, true}},
      {"GET /api/orgs/:id/audit", {Access::org, 200, "admin"}},
      {"GET /api/permissions", {Access::anyone_signed, 200}},
      {"GET /api/debug", {Access::platform_admin, 200}},
      {"GET /api/debug/mailbox", {Access::platform_admin, 200}},
      {"GET /api/admin/organizations", {Access::platform_admin, 200}},
      {"GET /api/admin/users", {Access::platform_admin, 200}},
      {"PUT /api/admin/orgs/:id/plan", {Access::platform_admin, 200, "", R"({"plan":"pro"})", false, true}},
      {"GET /api/billing", {Access::current_org, 200, "admin"}},
      {"GET /api/billing/plans", {Access::anyone_signed, 200}},
      {"GET /api/billing/retention", {Access::current_org, 200, "admin"}},
      // The matrix's server has no Stripe keys: allowed callers learn that billing is not configured.
      {"POST /api/billing/checkout", {Access::current_org, 503, "owner", R"({"plan":"pro"})"}},
      {"POST /api/billing/portal", {Access::current_org, 503, "owner"}},
      {"GET /api/billing/invoices", {Access::current_org, 503, "admin"}},
      {"POST /hooks/stripe", {Access::open, 503, "", "{}"}},
      {"GET /api/bots", {Access::current_org, 200, "viewer"}},
      {"POST /api/bots", {Access::current_org, 201, "member", R"({"name":"Matrix bot"})", false, true}},
      {"GET /api/bots/:id", {Access::current_org, 200, "viewer"}},
      {"PATCH /api/bots/:id", {Access::current_org, 200, "member", R"({"greeting":"Hello there"})"}},
      {"DELETE /api/bots/:id", {Access::current_org, 204, "member", "", false, true}},
      {"POST /api/bots/:id/duplicate", {Access::current_org, 201, "member"}},
      {"POST /api/bots/:id/chat", {Access::current_org, 200, "member", R"({"text":"what are your opening hours?"})"}},
      {"GET /api/ai/status", {Access::anyone_signed, 200}},
      {"GET /api/ai/models", {Access::anyone_signed, 200}},
      {"GET /api/orgs/:id/ai", {Access::org, 200, "viewer"}},
      {"PUT /api/orgs/:id/ai", {Access::org, 200, "admin", R"({"allowed_models":["openai/gpt-4o-mini"]})"}},
      {"DELETE /api/orgs/:id/ai/key", {Access::org, 200, "admin"}},
      {"GET /api/templates", {Access::current_org, 200, "viewer"}},
      // Template names are unique in an organisation: each caller makes it in a fresh team.
      {"POST /api/templates", {Access::current_org, 201, "member", R"({"name":"Thanks","trigger_phrases":["thanks"],"body":"Thank you!"})", false, true}},
      {"GET /api/templates/:id", {Access::current_org, 200, "viewer"}},
      {"PATCH /api/templates/:id", {Access::current_org, 200, "member", R"({"category":"Support"})"}},
      {"DELETE /api/templates/:id", {Access::current_org, 204, "member", "", false, true}},
      {"POST /api/templates/preview", {Access::current_org, 200, "viewer", R"({"body":"Hi {{user_name}}"})"}},
      {"GET /api/getting-started", {Access::current_org, 200, "viewer"}},
      {"GET /api/deployments", {Access::current_org, 200, "viewer"}},
      {"POST /api/deployments",
       {Access::current_org, 201, "member", R"({"bot_id":"$bot","channel":"webchat"})", false, false, "", 422}},
      {"PATCH /api/deployments/:id", {Access::current_org, 200, "member", R"({"status":"paused"})", false, true}},
      {"DELETE /api/deployments/:id", {Access::current_org, 204, "member", "", false, true}},
      // Creates or replaces the web chat's identity secret: owners and admins, as platform credentials.
      {"POST /api/deployments/:id/identity-secret", {Access::current_org, 201, "admin", "", false, true}},
      {"GET /api/conversations", {Access::current_org, 200, "viewer"}},
      {"GET /api/conversations/:id", {Access::current_org, 200, "viewer"}},
      {"GET /api/analytics/overview", {Access::current_org, 200, "viewer"}},
      {"GET /api/analytics/series", {Access::current_org, 200, "viewer"}},
      {"GET /api/analytics/funnel", {Access::current_org, 200, "viewer"}},
      {"GET /api/analytics/breakdown", {Access::current_org, 200, "viewer"}},
      {"GET /api/analytics/unanswered", {Access::current_org, 200, "viewer"}},
      // Idempotent: the first allowed caller resolves the conversation, the others find it resolved.
      {"POST /api/conversations/:id/resolve", {Access::current_org, 200, "member"}},
      // Another organisation's conversation id is unknown (404) to an outsider acting in their own.
      {"POST /api/conversions",
       {Access::current_org, 201, "member", R"({"conversation_id":"$conversation","name":"purchase","value_cents":1999})",
        false, false, "", 404}},
      {"GET /api/integrations/platforms", {Access::anyone_signed, 200}},
      {"GET /api/integrations", {Access::current_org, 200, "viewer"}},
      {"POST /api/integrations",
       {Access::current_org, 201, "admin", R"({"platform":"webchat","name":"Matrix chat"})", false, true}},
      {"GET /api/integrations/:id", {Access::current_org, 200, "viewer"}},
      {"PATCH /api/integrations/:id", {Access::current_org, 200, "admin", R"({"name":"Renamed chat"})"}},
      {"DELETE /api/integrations/:id", {Access::current_org, 204, "admin", "", false, true}},
      {"POST /api/integrations/:id/verify", {Access::current_org, 200, "admin"}},
      // The web chat has no webhook to register: an allowed caller learns that (422).
      {"POST /api/integrations/:id/webhook", {Access::current_org, 422, "admin"}},
      {"POST /api/integrations/:id/test-message",
       {Access::current_org, 200, "admin", R"({"recipient":"someone","text":"Hello"})"}},
      // The web chat has no sending limits: allowed callers learn that (422).
      {"GET /api/integrations/:id/rate-limits", {Access::current_org, 422, "viewer"}},
      {"PUT /api/integrations/:id/rate-limits",
       {Access::current_org, 422, "admin", R"({"per_second":5,"per_chat_per_minute":5})"}},
      {"DELETE /api/integrations/:id/rate-limits", {Access::current_org, 204, "admin"}},
      {"GET /api/jobs", {Access::current_org, 200, "viewer"}},
      {"GET /api/jobs/stats", {Access::current_org, 200, "viewer"}},
      {"GET /api/jobs/export", {Access::current_org, 200, "viewer", "", false, false, "?format=csv"}},
      {"GET /api/jobs/:id", {Access::current_org, 200, "viewer"}},
      {"POST /api/jobs/:id/retry", {Access::current_org, 200, "admin", "", false, true}},
      {"POST /api/jobs/:id/cancel", {Access::current_org, 200, "admin", "", false, true}},
      {"POST /api/jobs/:id/resend", {Access::current_org, 200, "admin", "", false, true}},
      {"POST /api/jobs/:id/discard", {Access::current_org, 200, "admin", "", false, true}},
      {"POST /api/jobs/retry", {Access::current_org, 200, "admin", R"({"state":"failed"})", false, true}},
      {"GET /api/webhook-events/:id", {Access::current_org, 200, "viewer"}},
      // Analytics part C. Conversations are exported by members; messages and events by admins (ADR 0037).
      {"GET /api/analytics/export", {Access::current_org, 200, "member", "", false, false, "?kind=conversations"}},
      {"GET /api/analytics/settings", {Access::current_org, 200, "viewer"}},
      {"PUT /api/analytics/settings", {Access::current_org, 200, "admin", R"({"share_transcripts":true})"}},
      // The matrix's server has no AI key: a run is heuristic and done at once. Each caller uses a fresh
      // team, so one organisation's monthly allowance is never the matter.
      {"POST /api/analytics/insights", {Access::current_org, 202, "admin", R"({"preset":"7d"})", false, true}},
      {"GET /api/analytics/insights", {Access::current_org, 200, "viewer"}},
      // The team has no insight run: an allowed caller learns that the id is unknown.
      {"GET /api/analytics/insights/:id", {Access::current_org, 404, "viewer"}},
      // The web chat's deliveries cannot be simulated: an allowed caller learns that (422).
      {"POST /api/integrations/:id/simulate", {Access::current_org, 422, "admin", R"({"text":"hello"})"}},
      // Platforms prove themselves by signature; the web chat has none, so every call is refused.
      {"GET /hooks/:platform/:integration_id", {Access::open, 403}},
      {"POST /hooks/:platform/:integration_id", {Access::open, 401, "", "{}"}},
      {"GET /widget/:key", {Access::open, 200}},
      {"GET /chat/:key", {Access::open, 200}},
      {"OPTIONS /widget/:key/messages", {Access::open, 204}},
      {"OPTIONS /widget/:key/rating", {Access::open, 204}},
      {"POST /widget/:key/rating", {Access::open, 401, "", R"({"visitor_token":"vt1.none.none","session_id":"cnv_none","score":5})"}},
      // A visitor token the server did not sign is refused whoever calls (WidgetTest covers valid ones).
      {"POST /widget/:key/messages", {Access::open, 401, "", R"({"visitor_token":"vt1.forged.00","text":"opening hours?"})"}},
      {"OPTIONS /widget/:key/history", {Access::open, 204}},
      {"GET /widget/:key/history", {Access::open, 401}},
  };
  return table;
}

const std::vector<std::string> kCallers = {"anonymous", "outsider",   "operator",   "viewer",     "member",   "admin",
                                           "owner",     "key_viewer", "key_member", "key_admin", "key_owner"};

unsigned expected_status(const Spec& spec, const std::string& caller) {
  bool key = caller.rfind("key_", 0) == 0;
  std::string role = key ? caller.substr(4) : caller;
  bool in_org = orgs::valid_role(role);
  switch (spec.access) {
    case Access::open: return spec.ok;
    case Access::person:
      if (caller == "anonymous") return 401;
      if (key) return 403;
      // Switching to the team's organisation: only its members may.
      if (spec.body.find("$org") != std::string::npos && !in_org) return 404;
      return spec.ok;
    case Access::anyone_signed: return caller == "anonymous" ? 401 : spec.ok;
    case Access::platform_admin:
      if (caller == "anonymous") return 401;
      return caller == "operator" ? spec.ok : 403;
    case Access::current_org:
      if (caller == "anonymous") return 401;
      if (!in_org) {
        if (spec.outsider) return spec.outsider;
        // Their own organisation, where they are owners; the team's ids are not found there.
        return spec.path_has_id ? 404 : spec.ok;
      }
      return orgs::role_rank(role) >= orgs::role_rank(spec.min_role) ? spec.ok : 403;
    case Access::org:
      if (caller == "anonymous") return 401;
      if (!in_org) return 404;  // another organisation's id looks like a missing one
      if (key && spec.keys_refused) return 403;
      return orgs::role_rank(role) >= orgs::role_rank(spec.min_role) ? spec.ok : 403;
  }
  return 0;
}

std::string method_name(http::Method m) { return std::string(boost::beast::http::to_string(m)); }

// The path and body of a call of the route on the team's things (":id" names what the route is about).
std::pair<std::string, std::string> request_for(const std::string& pattern, const Spec& spec, const Team& team,
                                                const TeamUsers& users) {
  auto fill = [](std::string& s, const std::string& from, const std::string& to) {
    for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) s.replace(pos, from.size(), to);
  };
  std::string path = pattern;
  std::string id = team.org_id;
  if (pattern.rfind("/api/bots/", 0) == 0) id = team.bot_id;
  if (pattern.rfind("/api/templates/", 0) == 0) id = team.template_id;
  if (pattern.rfind("/api/deployments/", 0) == 0) id = team.deployment_id;
  if (pattern.rfind("/api/conversations/", 0) == 0) id = team.conversation_id;
  if (pattern.rfind("/api/integrations/", 0) == 0) id = team.integration_id;
  if (pattern.rfind("/api/jobs/", 0) == 0) id = team.job_id;
  if (pattern == "/api/jobs/:id/resend" || pattern == "/api/jobs/:id/discard") id = team.doubt_job_id;
  if (pattern.rfind("/api/webhook-events/", 0) == 0) id = team.event_id;
  fill(path, ":id", id);
  fill(path, ":user_id", users.user_ids.at("target"));
  fill(path, ":invite_id", team.invite_id);
  fill(path, ":key_id", team.spare_key_id);
  fill(path, ":key", team.deployment_key);
  fill(path, ":platform", "webchat");
  fill(path, ":integration_id", team.integration_id);
  std::string body = spec.body;
  fill(body, "$org", team.org_id);
  fill(body, "$target", users.user_ids.at("target"));
  fill(body, "$bot", team.bot_id);
  fill(body, "$conversation", team.conversation_id);
  return {path + spec.query, body};
}

class AuthorizationMatrixTest : public ServerTest {};

TEST_F(AuthorizationMatrixTest, EveryRouteTimesEveryCaller) {
  TeamUsers users = make_people(base_url);
  Team shared = make_team(base_url, users);
  add_failed_job(app->database(), shared);
  std::size_t pairs = 0;
  std::vector<std::string> missing;

  for (const auto& route : app->router().routes()) {
    std::string name = method_name(route.method) + " " + route.pattern;
    auto it = specs().find(name);
    if (it == specs().end()) {
      missing.push_back(name);
      continue;
    }
    Spec spec = it->second;
    spec.path_has_id = route.pattern.find(":id") != std::string::npos;
    for (const auto& caller : kCallers) {
      Team fresh;
      if (spec.changes_state) {
        fresh = make_team(base_url, users);
        add_failed_job(app->database(), fresh);
      }
      const Team& team = spec.changes_state ? fresh : shared;
      auto [path, body] = request_for(route.pattern, spec, team, users);

      Agent agent(base_url);
      if (caller.rfind("key_", 0) == 0) {
        agent = team.keys.at(caller);
      } else if (caller != "anonymous") {
        agent = users.people.at(caller);
        if (spec.changes_state && spec.access == Access::person) {
          agent = Agent(base_url);  // a session of its own, since this route ends it
          agent.signin(caller + "@example.com");
        }
      }
      // Members act in the team's organisation (a fresh team may have moved them to another).
      if (spec.access == Access::current_org && orgs::valid_role(caller))
        EXPECT_EQ(agent.post("/api/auth/switch-org", {{"org_id", team.org_id}}).status, 200);
      auto reply = agent.send(method_name(route.method), path, body);
      EXPECT_EQ(reply.status, expected_status(spec, caller)) << name << " as " << caller << ": " << reply.body;
      if (spec.ends_other_sessions && reply.status < 300 && users.people.count(caller))
        users.people.at(caller).signin(caller + "@example.com");
      ++pairs;
    }
  }
  EXPECT_TRUE(missing.empty()) << "routes without an entry in the authorisation matrix: "
                               << json::serialize(json::value_from(missing));
  std::cout << "authorization matrix: " << app->router().routes().size() << " routes x " << kCallers.size()
            << " callers, " << pairs << " (route, caller) pairs checked" << std::endl;
  EXPECT_EQ(pairs, specs().size() * kCallers.size());
}

// Routes that change state but write no audit event, and why. Everything else that changes state
// must leave an entry in the audit log.
const std::map<std::string, std::string>& not_audited() {
  static const std::map<std::string, std::string> list = {
      // A person's own account belongs to no organisation's log; sessions are listed on the profile.
      {"POST /api/auth/signout", "ends the caller's own session"},
      {"POST /api/auth/reauthenticate", "proves the password again and changes no data"},
      {"PATCH /api/profile", "a person's own profile (name, time zone) belongs to no organisation"},
      {"POST /api/auth/switch-org", "chooses which organisation the session shows"},
      {"POST /api/auth/two-factor/setup", "starts an enrolment that changes nothing until it is enabled"},
      // Conversations are their own record: every message is stored with its conversation.
      {"POST /api/bots/:id/chat", "a test console message is stored in its conversation"},
      {"POST /widget/:key/messages", "a visitor's message is stored in its conversation"},
      {"POST /api/templates/preview", "renders a template and stores nothing"},
      {"DELETE /api/orgs/:id/ai/key", "the matrix team has no key of its own, so nothing is removed; removing one "
                                      "is audited (AiSettingsTest.OwnKeyIsCheckedSealedUsedFirstAndNeverShown)"},
  };
  return list;
}

std::int64_t audit_events(db::Database& db) {
  auto conn = db.acquire();
  return conn->query_one("SELECT COUNT(*) AS n FROM audit_events")->integer("n");
}

// The audit log is complete: every route of the route table that changes state (any method but
// GET, HEAD and OPTIONS whose allowed call succeeds) writes an audit event when it succeeds, unless
// not_audited() says why it must not.
TEST_F(AuthorizationMatrixTest, EveryStateChangeIsAudited) {
  TeamUsers users = make_people(base_url);
  std::vector<std::string> silent, checked, unchecked;
  for (const auto& route : app->router().routes()) {
    if (route.method == http::Method::get || route.method == http::Method::head || route.method == http::Method::options)
      continue;
    std::string name = method_name(route.method) + " " + route.pattern;
    auto it = specs().find(name);
    if (it == specs().end()) continue;
    if (it->second.ok < 200 || it->second.ok >= 300) {
      unchecked.push_back(name);  // the matrix's allowed call is refused (e.g. 422): it changes nothing
      continue;
    }
    if (not_audited().count(name)) continue;
    const Spec& spec = it->second;
    Team team = make_team(base_url, users);
    add_failed_job(app->database(), team);
    auto [path, body] = request_for(route.pattern, spec, team, users);
    std::string who = spec.access == Access::platform_admin ? "operator" : "owner";
    Agent agent(base_url);
    if (spec.access != Access::open) {
      agent.signin(who + "@example.com");
      if (spec.access == Access::current_org) agent.post("/api/auth/switch-org", {{"org_id", team.org_id}});
    }
    auto before = audit_events(app->database());
    auto reply = agent.send(method_name(route.method), path, body);
    EXPECT_EQ(reply.status, spec.ok) << name << ": " << reply.body;
    if (audit_events(app->database()) == before) silent.push_back(name);
    checked.push_back(name);
    // Routes of one's own account may end the person's other sessions: the shared one signs in again.
    if (spec.access == Access::person) users.people.at(who).signin(who + "@example.com");
  }
  EXPECT_TRUE(silent.empty()) << "routes that changed state without an audit event: "
                              << json::serialize(json::value_from(silent));
  std::cout << "audit completeness: " << checked.size() << " state-changing routes checked, " << not_audited().size()
            << " exempt; not checked here, since the matrix's call changes nothing: "
            << json::serialize(json::value_from(unchecked)) << std::endl;
}

}  // namespace
}  // namespace sb::test
