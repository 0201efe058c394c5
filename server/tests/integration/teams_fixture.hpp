// A team to test against: an organisation with an owner, admin, member and viewer, a plain member
// to act on, a pending invitation, and an API key of each role.
#pragma once

#include <map>

#include "db/database.hpp"
#include "integration/harness.hpp"

namespace sb::test {

struct TeamUsers {
  // People; each signs up once per test.
  std::map<std::string, Agent> people;  // operator, outsider, owner, admin, member, viewer, target
  std::map<std::string, std::string> user_ids;
};

struct Team {
  std::string org_id;
  std::string invite_id;
  std::string spare_key_id;                 // a viewer key to revoke
  std::map<std::string, Agent> keys;        // key_owner, key_admin, key_member, key_viewer
  // The team's bot things, made by the owner: a template attached to a bot, a web chat
  // deployment of it, and a conversation from the test console.
  std::string template_id, bot_id, deployment_id, deployment_key, conversation_id;
  std::string integration_id;  // a web chat integration (it needs no platform to verify)
  std::string event_id, job_id;  // a delivery on it whose reply job failed (add_failed_job)
  std::string doubt_job_id;      // and one whose reply is held in doubt after a crash (ADR 0040)
};

// Signs up the people; the operator first, so only the operator is a platform admin.
TeamUsers make_people(const std::string& base_url);
// The owner creates a fresh organisation and brings everyone in through invitations; every
// member then acts in it (accepting an invitation switches to it).
Team make_team(const std::string& base_url, TeamUsers& users);
// Stores a delivery and a failed reply job (due tomorrow, so no worker takes it) on the team's
// integration, straight in the database: no platform is needed to have one.
void add_failed_job(db::Database& db, Team& team);
// Accepts the invitation in the outbox mail (or the link returned) as `who`.
std::string token_from_url(const std::string& url);

}  // namespace sb::test
