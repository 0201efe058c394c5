// Migrations: applying them once, their recorded state, concurrent runners, the foundation
// schema's rules, and parity — the same tables and columns in the SQLite and PostgreSQL files.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "db/migrations.hpp"
#include "db_test_support.hpp"

namespace sb::db::test {
namespace {

using Schema = std::map<std::string, std::vector<std::string>>;

// ---- A small reader of the DDL in migration files, for the parity check without a server ----

struct Token {
  std::string text;  // words lowercased, quoted identifiers as written, punctuation as is
  bool is_string = false;
};

std::vector<Token> tokenize(std::string_view sql) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (sql.substr(i, 2) == "--") {
      i = sql.find('\n', i);
    } else if (sql.substr(i, 2) == "/*") {
      i = sql.find("*/", i);
      if (i != std::string_view::npos) i += 2;
    } else if (c == '\'' || c == '"') {
      std::string text;
      for (++i; i < sql.size(); ++i) {
        if (sql[i] == c && i + 1 < sql.size() && sql[i + 1] == c) {
          text += c;
          ++i;
        } else if (sql[i] == c) {
          break;
        } else {
          text += sql[i];
        }
      }
      ++i;
      out.push_back({text, c == '\''});
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      std::string word;
      while (i < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[i])) || sql[i] == '_' ||
                                sql[i] == '.' || sql[i] == '$')) {
        word += static_cast<char>(std::tolower(static_cast<unsigned char>(sql[i++])));
      }
      out.push_back({word});
    } else {
      out.push_back({std::string(1, c)});
      ++i;
    }
  }
  return out;
}

// Splits tokens [begin, end) at commas outside parentheses.
std::vector<std::vector<Token>> split_top_level(const std::vector<Token>& t, std::size_t begin,
                                                std::size_t end) {
  std::vector<std::vector<Token>> parts(1);
  int depth = 0;
  for (std::size_t i = begin; i < end; ++i) {
    if (!t[i].is_string && t[i].text == "(") ++depth;
    if (!t[i].is_string && t[i].text == ")") --depth;
    if (depth == 0 && !t[i].is_string && t[i].text == ",") {
      parts.emplace_back();
    } else {
      parts.back().push_back(t[i]);
    }
  }
  return parts;
}

std::string unqualified(const std::string& name) { return name.substr(name.rfind('.') + 1); }

// Applies one statement's effect on tables and columns; other statements change neither.
void apply_statement(const std::vector<Token>& t, std::map<std::string, std::set<std::string>>& schema) {
  std::size_t i = 0;
  auto word = [&](std::string_view w) {
    if (i < t.size() && !t[i].is_string && t[i].text == w) {
      ++i;
      return true;
    }
    return false;
  };
  if (word("create")) {
    word("temporary") || word("temp") || word("unlogged");
    if (!word("table")) return;
    if (word("if")) word("not"), word("exists");
    const std::string table = unqualified(t.at(i++).text);
    EXPECT_EQ(t.at(i).text, "(") << "CREATE TABLE " << table << " AS … is not understood by this check";
    int depth = 0;
    std::size_t close = i;
    for (; close < t.size(); ++close) {
      if (t[close].text == "(" && !t[close].is_string) ++depth;
      if (t[close].text == ")" && !t[close].is_string && --depth == 0) break;
    }
    auto& columns = schema[table];
    static const std::set<std::string> kConstraints = {"constraint", "primary", "unique", "check",
                                                       "foreign", "exclude", "like"};
    for (const auto& item : split_top_level(t, i + 1, close)) {
      if (!item.empty() && !kConstraints.contains(item[0].text)) columns.insert(item[0].text);
    }
  } else if (word("drop")) {
    if (!word("table")) return;
    if (word("if")) word("exists");
    for (const auto& name : split_top_level(t, i, t.size())) {
      if (!name.empty()) schema.erase(unqualified(name[0].text));
    }
  } else if (word("alter")) {
    if (!word("table")) return;
    if (word("if")) word("exists");
    word("only");
    std::string table = unqualified(t.at(i++).text);
    for (const auto& action : split_top_level(t, i, t.size())) {
      std::size_t j = 0;
      auto at = [&](std::string_view w) {
        if (j < action.size() && action[j].text == w) {
          ++j;
          return true;
        }
        return false;
      };
      if (at("add")) {
        at("column");
        if (at("if")) at("not"), at("exists");
        if (j < action.size() && !std::set<std::string>{"constraint", "primary", "unique", "check",
                                                        "foreign", "exclude"}
                                      .contains(action[j].text)) {
          schema[table].insert(action[j].text);
        }
      } else if (at("drop")) {
        at("column");
        if (at("if")) at("exists");
        if (j < action.size() && action[j].text != "constraint") schema[table].erase(action[j].text);
      } else if (at("rename")) {
        if (at("to")) {
          schema[unqualified(action.at(j).text)] = std::move(schema[table]);
          schema.erase(table);
          table = unqualified(action.at(j).text);
        } else if (!at("constraint")) {
          at("column");
          const std::string from = action.at(j).text;
          const std::string to = action.at(j + 2).text;
          schema[table].erase(from);
          schema[table].insert(to);
        }
      }
    }
  }
}

Schema schema_from_files(Dialect dialect) {
  std::map<std::string, std::set<std::string>> schema;
  for (const Migration& m : migrations_for(dialect)) {
    const auto tokens = tokenize(m.sql);
    std::vector<Token> statement;
    for (const Token& token : tokens) {
      if (!token.is_string && token.text == ";") {
        apply_statement(statement, schema);
        statement.clear();
      } else {
        statement.push_back(token);
      }
    }
    if (!statement.empty()) apply_statement(statement, schema);
  }
  Schema out;
  for (auto& [table, columns] : schema) out[table] = {columns.begin(), columns.end()};  // sorted
  return out;
}

// Message search is the one dialect-specific part of the schema (ADR 0029): SQLite keeps an FTS5
// table (with its shadow tables) and a map table; PostgreSQL a GIN index on messages. Both sides are
// compared without it.
Schema without_search_index(Schema s) {
  std::erase_if(s, [](const auto& entry) { return entry.first.starts_with("message_search"); });
  return s;
}

// What schema_columns() should report once every migration is applied.
Schema expected_live_schema(Dialect dialect) {
  Schema s = schema_from_files(dialect);
  s["schema_migrations"] = {"applied_at", "name", "version"};
  return s;
}

std::vector<int> versions(const std::vector<Migration>& ms) {
  std::vector<int> out;
  for (const auto& m : ms) out.push_back(m.version);
  return out;
}

// ---- Static checks: always run ----

TEST(MigrationFiles, HaveTheSameVersionsAndNamesInBothDialects) {
  const auto& sqlite = migrations_for(Dialect::sqlite);
  const auto& postgres = migrations_for(Dialect::postgres);
  ASSERT_FALSE(sqlite.empty());
  EXPECT_EQ(sqlite.front().version, 1);
  EXPECT_EQ(sqlite.front().name, "foundation");
  ASSERT_EQ(versions(sqlite), versions(postgres));
  for (std::size_t i = 0; i < sqlite.size(); ++i) {
    EXPECT_EQ(sqlite[i].name, postgres[i].name) << "version " << sqlite[i].version;
    EXPECT_FALSE(sqlite[i].sql.empty());
  }
}

TEST(MigrationFiles, DefineTheSameTablesAndColumnsInBothDialects) {
  const Schema sqlite = schema_from_files(Dialect::sqlite);
  EXPECT_TRUE(sqlite.contains("message_search_rows"));
  EXPECT_FALSE(schema_from_files(Dialect::postgres).contains("message_search_rows"));
  EXPECT_EQ(without_search_index(sqlite), without_search_index(schema_from_files(Dialect::postgres)));
  // The reader itself must see the foundation, or the comparison above proves nothing.
  ASSERT_TRUE(sqlite.contains("users"));
  EXPECT_EQ(sqlite.at("users"), (std::vector<std::string>{"created_at", "email", "email_verified_at", "id",
                                                          "last_org_id", "password_hash", "updated_at"}));
  EXPECT_TRUE(sqlite.contains("login_attempts"));
}

TEST(MigrationFiles, ReaderFollowsAlterAndDrop) {
  std::map<std::string, std::set<std::string>> schema;
  const auto run = [&](std::string_view sql) { apply_statement(tokenize(sql), schema); };
  run("CREATE TABLE IF NOT EXISTS a (x TEXT DEFAULT 'a,b', y INTEGER CHECK (y IN (1, 2)), "
      "PRIMARY KEY (x), CONSTRAINT c UNIQUE (y))");
  run("ALTER TABLE a ADD COLUMN z TEXT, DROP COLUMN y");
  run("ALTER TABLE a RENAME COLUMN x TO w");
  run("ALTER TABLE a RENAME TO b");
  run("CREATE TABLE gone (q TEXT)");
  run("DROP TABLE IF EXISTS gone");
  EXPECT_EQ(schema, (std::map<std::string, std::set<std::string>>{{"b", {"w", "z"}}}));
}

// ---- Against real databases ----

TEST(MigrationsSqlite, ApplyOnceThenNothingIsPending) {
  ScratchSqlite files;
  auto db = open_database(files.path(), 2);
  const auto all = versions(migrations_for(Dialect::sqlite));

  MigrationState before = migration_state(*db);
  EXPECT_TRUE(before.applied.empty());
  EXPECT_EQ(versions(before.pending), all);

  EXPECT_EQ(apply_migrations(*db, 1'700'000'000'000), all);
  EXPECT_TRUE(apply_migrations(*db, 1'700'000'000'999).empty());

  MigrationState after = migration_state(*db);
  EXPECT_TRUE(after.pending.empty());
  ASSERT_EQ(after.applied.size(), all.size());
  EXPECT_EQ(after.applied.front().version, 1);
  EXPECT_EQ(after.applied.front().name, "foundation");
  EXPECT_EQ(after.applied.front().applied_at_ms, 1'700'000'000'000);
  EXPECT_EQ(without_search_index(schema_columns(*db)), without_search_index(expected_live_schema(Dialect::sqlite)));
  EXPECT_TRUE(schema_columns(*db).contains("message_search_rows"));
}

TEST(MigrationsSqlite, WorksWithAPoolOfOne) {
  ScratchSqlite files;
  auto db = open_database(files.path(), 1);
  EXPECT_FALSE(apply_migrations(*db, 1).empty());
}

// Several processes starting at once: each migration must be applied exactly once.
void apply_concurrently(const std::string& url, Dialect dialect) {
  constexpr int kRunners = 4;
  std::vector<std::vector<int>> results(kRunners);
  std::vector<std::thread> threads;
  for (int r = 0; r < kRunners; ++r) {
    threads.emplace_back([&, r] {
      try {
        auto db = open_database(url, 1);  // one Database per runner, like separate processes
        results[r] = apply_migrations(*db, 42);
      } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  std::vector<int> all;
  for (const auto& r : results) all.insert(all.end(), r.begin(), r.end());
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, versions(migrations_for(dialect)));
}

TEST(MigrationsSqlite, ConcurrentRunnersApplyEachMigrationOnce) {
  ScratchSqlite files;
  apply_concurrently(files.path(), Dialect::sqlite);
}

// The foundation's rules a user would notice: deleting an account takes its data with it.
void check_foundation_rules(Database& db) {
  auto conn = db.acquire();
  const std::int64_t now = 1'700'000'000'000;
  conn->execute("INSERT INTO users (id, email, password_hash, created_at, updated_at) "
                "VALUES ($1, $2, $3, $4, $4)",
                {std::string("usr_1"), std::string("a@example.com"), std::string("h"), now});
  conn->execute("INSERT INTO profiles (user_id, name, updated_at) VALUES ($1, $2, $3)",
                {std::string("usr_1"), std::string("Ada"), now});
  conn->execute("INSERT INTO organizations (id, name, created_by, created_at, updated_at) "
                "VALUES ($1, $2, $3, $4, $4)",
                {std::string("org_1"), std::string("Acme"), std::string("usr_1"), now});
  conn->execute("INSERT INTO organization_members (org_id, user_id, role, created_at) "
                "VALUES ($1, $2, $3, $4)",
                {std::string("org_1"), std::string("usr_1"), std::string("owner"), now});
  conn->execute("INSERT INTO user_roles (user_id, role, created_at) VALUES ($1, $2, $3)",
                {std::string("usr_1"), std::string("admin"), now});
  conn->execute("INSERT INTO sessions (id, user_id, token_hash, org_id, created_at, "
                "last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $5, $6)",
                {std::string("ses_1"), std::string("usr_1"), std::string("th"),
                 std::string("org_1"), now, now + 1000});

  EXPECT_EQ(conn->query_one("SELECT timezone FROM profiles WHERE user_id = $1",
                            {std::string("usr_1")})->text("timezone"), "UTC");
  EXPECT_THROW(conn->execute("INSERT INTO users (id, email, password_hash, created_at, updated_at) "
                             "VALUES ($1, $2, $3, $4, $4)",
                             {std::string("usr_2"), std::string("a@example.com"), std::string("h"), now}),
               DbError);
  EXPECT_THROW(conn->execute("UPDATE organization_members SET role = $1", {std::string("emperor")}),
               DbError);
  EXPECT_THROW(conn->execute("INSERT INTO user_roles (user_id, role, created_at) VALUES ($1, $2, $3)",
                             {std::string("usr_1"), std::string("superuser"), now}),
               DbError);

  conn->execute("DELETE FROM organizations WHERE id = $1", {std::string("org_1")});
  auto session = conn->query_one("SELECT org_id FROM sessions WHERE id = $1", {std::string("ses_1")});
  ASSERT_TRUE(session);
  EXPECT_TRUE(session->is_null("org_id"));  // the session survives, without an org
  EXPECT_EQ(conn->query("SELECT user_id FROM organization_members").size(), 0u);

  conn->execute("DELETE FROM users WHERE id = $1", {std::string("usr_1")});
  for (const char* table : {"profiles", "user_roles", "sessions"}) {
    EXPECT_EQ(conn->query_one(std::string("SELECT COUNT(*) AS n FROM ") + table)->integer("n"), 0)
        << table;
  }
}

TEST(MigrationsSqlite, FoundationCascadesAndChecks) {
  ScratchSqlite files;
  auto db = open_database(files.path(), 1);
  apply_migrations(*db, 1);
  check_foundation_rules(*db);
}

// 0007 rebuilds webhook_events and (on SQLite) message_job_logs: the rows already there stay, with
// the jobs that refer to them, and deleting an organization still takes its events, jobs and logs.
void check_lighter_writes_keep_rows(Database& db) {
  ASSERT_EQ(apply_migrations(db, 1, 6).back(), 6);
  auto conn = db.acquire();
  const std::int64_t now = 1'700'000'000'000;
  const std::string org = "org_1", integration = "int_1", event = "evt_1", job = "job_1";
  conn->execute("INSERT INTO organizations (id, name, created_at, updated_at) VALUES ($1, 'Acme', $2, $2)", {org, now});
  conn->execute("INSERT INTO integrations (id, org_id, platform, name, credentials_sealed, credentials_key_id, status, "
                "status_reason, created_at, updated_at) VALUES ($1, $2, 'telegram', 'Shop', 's', 'k', 'connected', '', "
                "$3, $3)",
                {integration, org, now});
  conn->execute("INSERT INTO webhook_events (id, org_id, integration_id, platform, idempotency_key, kind, status, "
                "payload, payload_hash, received_at) VALUES ($1, $2, $3, 'telegram', '42', 'message', 'accepted', "
                "'{}', 'h', $4)",
                {event, org, integration, now});
  conn->execute("INSERT INTO message_jobs (id, org_id, integration_id, event_id, platform, external_user_id, "
                "display_name, external_message_id, reply_to, inbound_text, state, attempts, max_attempts, "
                "next_run_at, created_at, updated_at) VALUES ($1, $2, $3, $4, 'telegram', 'u', 'Ann', 'm', 'c', "
                "'hi', 'queued', 0, 5, $5, $5, $5)",
                {job, org, integration, event, now});
  for (int i = 0; i < 2; ++i)
    conn->execute("INSERT INTO message_job_logs (id, job_id, org_id, at, worker, kind, outcome) "
                  "VALUES ($1, $2, $3, $4, 'w', 'state', 'claimed')",
                  {"log_" + std::to_string(i), job, org, now + i});

  EXPECT_FALSE(apply_migrations(db, 2).empty());
  auto count = [&](const char* table) {
    return conn->query_one(std::string("SELECT COUNT(*) AS n FROM ") + table)->integer("n");
  };
  EXPECT_EQ(count("webhook_events"), 1);
  EXPECT_EQ(count("message_jobs"), 1);
  auto logs = conn->query("SELECT id FROM message_job_logs WHERE job_id = $1 ORDER BY at, id", {job});
  ASSERT_EQ(logs.size(), 2u);
  EXPECT_EQ(logs[1].text("id"), "log_1");
  // Foreign keys are on again: a log of no job, or an event of no integration, is refused.
  EXPECT_THROW(conn->execute("INSERT INTO message_job_logs (id, job_id, org_id, at, worker, kind, outcome) "
                             "VALUES ('log_x', 'job_none', $1, $2, 'w', 'state', 'claimed')",
                             {org, now}),
               DbError);
  EXPECT_THROW(conn->execute("INSERT INTO webhook_events (id, org_id, integration_id, platform, idempotency_key, "
                             "kind, status, payload, payload_hash, received_at) VALUES ('evt_x', $1, 'int_none', "
                             "'telegram', '43', 'message', 'accepted', '{}', 'h', $2)",
                             {org, now}),
               DbError);

  conn->execute("DELETE FROM organizations WHERE id = $1", {org});
  for (const char* table : {"integrations", "webhook_events", "message_jobs", "message_job_logs"})
    EXPECT_EQ(count(table), 0) << table;
}

TEST(MigrationsSqlite, LighterWritesKeepRowsAndCascades) {
  ScratchSqlite files;
  auto db = open_database(files.path(), 2);
  check_lighter_writes_keep_rows(*db);
}

// 0008: messages are keyed by session and time (on SQLite one B-tree, WITHOUT ROWID); the rows,
// their order, the foreign keys and the cascades stay.
void check_messages_by_session(Database& db) {
  ASSERT_EQ(apply_migrations(db, 1, 7).back(), 7);
  auto conn = db.acquire();
  const std::int64_t now = 1'700'000'000'000;
  conn->execute("INSERT INTO organizations (id, name, created_at, updated_at) VALUES ('org_1', 'Acme', $1, $1)", {now});
  conn->execute("INSERT INTO bots (id, org_id, name, description, avatar_color, system_prompt, model, temperature, "
                "max_tokens, greeting, fallback_message, language, history_turns, ask_satisfaction, status, version, "
                "created_at, updated_at) VALUES ('bot_1', 'org_1', 'Helper', '', '#000000', '', 'm', 0.5, 100, '', '', "
                "'en', 10, 0, 'active', 1, $1, $1)",
                {now});
  for (const char* session : {"ses_1", "ses_2"})
    conn->execute("INSERT INTO conversation_sessions (id, org_id, bot_id, platform, external_user_id, display_name, "
                  "started_at, last_message_at, status) VALUES ($1, 'org_1', 'bot_1', 'telegram', $1, 'Ann', $2, $2, "
                  "'open')",
                  {std::string(session), now});
  // Two messages of ses_1 in the same millisecond: their ids order them.
  const std::vector<std::tuple<std::string, std::string, std::int64_t>> rows = {
      {"msg_c", "ses_1", now + 5}, {"msg_a", "ses_1", now}, {"msg_b", "ses_1", now}, {"msg_d", "ses_2", now + 1}};
  for (const auto& [id, session, at] : rows)
    conn->execute("INSERT INTO messages (id, org_id, session_id, direction, text, source, created_at) "
                  "VALUES ($1, 'org_1', $2, 'in', $1, NULL, $3)",
                  {id, session, at});

  EXPECT_EQ(apply_migrations(db, 2, 8), std::vector<int>({8}));
  auto ids = [&](const char* session) {
    std::vector<std::string> out;
    for (const auto& r : conn->query("SELECT id, text FROM messages WHERE org_id = 'org_1' AND session_id = $1 "
                                     "ORDER BY created_at, id",
                                     {std::string(session)})) {
      EXPECT_EQ(r.text("text"), r.text("id"));
      out.push_back(r.text("id"));
    }
    return out;
  };
  EXPECT_EQ(ids("ses_1"), std::vector<std::string>({"msg_a", "msg_b", "msg_c"}));
  EXPECT_EQ(ids("ses_2"), std::vector<std::string>({"msg_d"}));
  if (conn->dialect() == Dialect::sqlite) {
    auto sql = conn->query_one("SELECT sql FROM sqlite_schema WHERE name = 'messages'")->text("sql");
    EXPECT_NE(sql.find("WITHOUT ROWID"), std::string::npos);
  }
  // The key is unique: the same message twice is refused.
  EXPECT_THROW(conn->execute("INSERT INTO messages (id, org_id, session_id, direction, text, created_at) "
                             "VALUES ('msg_a', 'org_1', 'ses_1', 'in', 'again', $1)",
                             {now}),
               DbError);
  // Foreign keys are on again: a message of no conversation is refused.
  EXPECT_THROW(conn->execute("INSERT INTO messages (id, org_id, session_id, direction, text, created_at) "
                             "VALUES ('msg_x', 'org_1', 'ses_none', 'in', 'x', $1)",
                             {now}),
               DbError);
  conn->execute("DELETE FROM conversation_sessions WHERE id = 'ses_1'");
  EXPECT_TRUE(ids("ses_1").empty());
  EXPECT_EQ(ids("ses_2"), std::vector<std::string>({"msg_d"}));
  conn->execute("DELETE FROM organizations WHERE id = 'org_1'");
  EXPECT_EQ(conn->query_one("SELECT COUNT(*) AS n FROM messages")->integer("n"), 0);
}

TEST(MigrationsSqlite, MessagesBySessionKeepRowsOrderAndCascades) {
  ScratchSqlite files;
  auto db = open_database(files.path(), 2);
  check_messages_by_session(*db);
}

// 0012: a key made by a key belongs to the person at the start of the chain (found through the
// audit log); a key whose chain reaches no person keeps no creator (and the server refuses it).
void check_keys_made_by_keys_belong_to_people(Database& db) {
  ASSERT_FALSE(apply_migrations(db, 1, 11).empty());  // everything before 0012
  auto conn = db.acquire();
  const std::int64_t now = 1'700'000'000'000;
  conn->execute("INSERT INTO users (id, email, password_hash, created_at, updated_at) VALUES ('usr_1', 'ada@example.com', "
                "'h', $1, $1)",
                {now});
  conn->execute("INSERT INTO organizations (id, name, created_at, updated_at) VALUES ('org_1', 'Acme', $1, $1)", {now});
  const std::vector<std::pair<std::string, std::optional<std::string>>> keys = {
      {"key_a", "usr_1"}, {"key_b", std::nullopt}, {"key_c", std::nullopt}, {"key_d", std::nullopt}};
  for (const auto& [id, creator] : keys)
    conn->execute("INSERT INTO api_keys (id, org_id, name, role, prefix, key_hash, created_by, created_at) "
                  "VALUES ($1, 'org_1', $1, 'admin', $1, 'h', $2, $3)",
                  {id, creator ? Value(*creator) : Value(nullptr), now});
  // a made b, b made c; d was made by a person whose account is gone.
  const std::vector<std::tuple<std::string, std::string, std::string, std::string>> made = {
      {"evt_1", "api_key", "key_a", "key_b"}, {"evt_2", "api_key", "key_b", "key_c"}, {"evt_3", "user", "usr_gone", "key_d"}};
  for (const auto& [id, actor_type, actor, target] : made)
    conn->execute("INSERT INTO audit_events (id, org_id, actor_type, actor_id, actor_label, action, target_type, "
                  "target_id, target_label, ip, created_at) VALUES ($1, 'org_1', $2, $3, 'x', 'api_key.created', "
                  "'api_key', $4, 'x', '', $5)",
                  {id, actor_type, actor, target, now});

  EXPECT_EQ(apply_migrations(db, 2, 12), std::vector<int>{12});
  auto creator_of = [&](const char* key) {
    return conn->query_one("SELECT created_by FROM api_keys WHERE id = $1", {std::string(key)})->opt_text("created_by");
  };
  EXPECT_EQ(creator_of("key_a"), "usr_1");
  EXPECT_EQ(creator_of("key_b"), "usr_1");
  EXPECT_EQ(creator_of("key_c"), "usr_1") << "two keys up the chain";
  EXPECT_EQ(creator_of("key_d"), std::nullopt);
}

TEST(MigrationsSqlite, KeysMadeByKeysBelongToPeople) {
  ScratchSqlite files;
  auto db = open_database(files.path(), 2);
  check_keys_made_by_keys_belong_to_people(*db);
}

// 0010: the CSRF token is no longer stored, sessions opened before it keep working and count their
// sign-in as their latest proof of the password; devices go with their user.
void check_device_cookies(Database& db) {
  ASSERT_EQ(apply_migrations(db, 1, 8).back(), 8);
  auto conn = db.acquire();
  const std::int64_t now = 1'700'000'000'000;
  conn->execute("INSERT INTO users (id, email, password_hash, created_at, updated_at) VALUES ('usr_1', 'a@example.com', "
                "'h', $1, $1)",
                {now});
  conn->execute("INSERT INTO sessions (id, user_id, token_hash, csrf_token, created_at, last_seen_at, expires_at) "
                "VALUES ('ses_1', 'usr_1', 'th', 'plain-csrf', $1, $1, $2)",
                {now, now + 1000});
  EXPECT_EQ(apply_migrations(db, 2, 10).back(), 10);
  auto columns = schema_columns(db);
  const auto& session_columns = columns.at("sessions");
  EXPECT_EQ(std::count(session_columns.begin(), session_columns.end(), "csrf_token"), 0) << "no CSRF token is stored";
  auto session = conn->query_one("SELECT password_verified_at FROM sessions WHERE id = 'ses_1'");
  ASSERT_TRUE(session) << "sessions survive the migration";
  EXPECT_EQ(session->integer("password_verified_at"), now);
  conn->execute("INSERT INTO devices (id, user_id, secret_hash, user_agent, created_at, last_used_at, expires_at) "
                "VALUES ('dev_1', 'usr_1', 'sh', 'ua', $1, $1, $2)",
                {now, now + 1000});
  EXPECT_TRUE(conn->query_one("SELECT two_factor_remembered_until FROM devices WHERE id = 'dev_1'")
                  ->is_null("two_factor_remembered_until"));
  conn->execute("INSERT INTO login_attempts (id, email, ip, succeeded, created_at, device_id) "
                "VALUES ('att_1', 'a@example.com', '::1', 0, $1, 'dev_1')",
                {now});
  conn->execute("DELETE FROM users WHERE id = 'usr_1'");
  EXPECT_EQ(conn->query_one("SELECT COUNT(*) AS n FROM devices")->integer("n"), 0);
}

TEST(MigrationsSqlite, DeviceCookiesDropTheStoredCsrfTokenAndKeepSessions) {
  ScratchSqlite files;
  auto db = open_database(files.path(), 2);
  check_device_cookies(*db);
}

// 0015: accounts from before email verification count as verified; mailed links go with their user
// and a token hash is used once.
void check_account_recovery(Database& db) {
  ASSERT_FALSE(apply_migrations(db, 1, 14).empty());  // everything before 0015
  auto conn = db.acquire();
  const std::int64_t now = 1'700'000'000'000;
  conn->execute("INSERT INTO users (id, email, password_hash, created_at, updated_at) VALUES ('usr_1', 'a@example.com', "
                "'h', $1, $1)",
                {now});
  EXPECT_EQ(apply_migrations(db, 2, 15).back(), 15);
  EXPECT_EQ(conn->query_one("SELECT email_verified_at FROM users WHERE id = 'usr_1'")->integer("email_verified_at"), now)
      << "existing accounts are not locked out of inviting";
  conn->execute("INSERT INTO users (id, email, password_hash, created_at, updated_at) VALUES ('usr_2', 'b@example.com', "
                "'h', $1, $1)",
                {now});
  EXPECT_TRUE(conn->query_one("SELECT email_verified_at FROM users WHERE id = 'usr_2'")->is_null("email_verified_at"));
  const char* insert =
      "INSERT INTO account_tokens (id, user_id, purpose, token_hash, email, created_at, expires_at) "
      "VALUES ($1, 'usr_2', $2, $3, 'b@example.com', 1, 2)";
  conn->execute(insert, {std::string("tok_1"), std::string("password_reset"), std::string("hash-1")});
  EXPECT_THROW(conn->execute(insert, {std::string("tok_2"), std::string("email_verification"), std::string("hash-1")}),
               std::exception)
      << "a token hash names one link";
  EXPECT_THROW(conn->execute(insert, {std::string("tok_3"), std::string("sign_in"), std::string("hash-3")}),
               std::exception)
      << "only the two purposes";
  conn->execute("DELETE FROM users WHERE id = 'usr_2'");
  EXPECT_EQ(conn->query_one("SELECT COUNT(*) AS n FROM account_tokens")->integer("n"), 0);
}

TEST(MigrationsSqlite, AccountRecoveryVerifiesExistingAccounts) {
  ScratchSqlite files;
  auto db = open_database(files.path(), 2);
  check_account_recovery(*db);
}

// 0014: deployments made before it keep their hosted chat page; the switch holds only on or off.
void check_hosted_page_switch(Database& db) {
  ASSERT_EQ(apply_migrations(db, 1, 13).back(), 13);
  auto conn = db.acquire();
  const std::int64_t now = 1'700'000'000'000;
  conn->execute("INSERT INTO organizations (id, name, created_at, updated_at) VALUES ('org_1', 'Acme', $1, $1)", {now});
  conn->execute("INSERT INTO bots (id, org_id, name, description, avatar_color, system_prompt, model, temperature, "
                "max_tokens, greeting, fallback_message, language, history_turns, ask_satisfaction, status, version, "
                "created_at, updated_at) VALUES ('bot_1', 'org_1', 'Helper', '', '#000000', '', 'm', 0.5, 100, '', '', "
                "'en', 10, 0, 'active', 1, $1, $1)",
                {now});
  conn->execute("INSERT INTO deployments (id, org_id, bot_id, channel, allowed_origins, status, public_key, created_at, "
                "updated_at) VALUES ('dep_1', 'org_1', 'bot_1', 'webchat', '[]', 'active', 'key_1', $1, $1)",
                {now});
  EXPECT_EQ(apply_migrations(db, 2, 14), std::vector<int>{14});
  EXPECT_EQ(conn->query_one("SELECT hosted_page_enabled FROM deployments WHERE id = 'dep_1'")->integer("hosted_page_enabled"),
            1)
      << "a deployment made before the switch keeps its hosted page";
  conn->execute("UPDATE deployments SET hosted_page_enabled = 0 WHERE id = 'dep_1'");
  EXPECT_THROW(conn->execute("UPDATE deployments SET hosted_page_enabled = 2 WHERE id = 'dep_1'"), DbError);
}

TEST(MigrationsSqlite, HostedPageSwitchKeepsOldDeploymentsOn) {
  ScratchSqlite files;
  auto db = open_database(files.path(), 2);
  check_hosted_page_switch(*db);
}

// 0018: template names become unique per organisation; older duplicates are renamed in the order
// they were made, and nothing else changes.
void check_unique_template_names(Database& db) {
  ASSERT_EQ(apply_migrations(db, 1, 17).back(), 17);
  auto conn = db.acquire();
  const std::int64_t now = 1'700'000'000'000;
  for (const char* org : {"org_1", "org_2"})
    conn->execute("INSERT INTO organizations (id, name, created_at, updated_at) VALUES ($1, 'Acme', $2, $2)",
                  {std::string(org), now});
  auto add = [&](const std::string& id, const std::string& org, const std::string& name, std::int64_t at) {
    conn->execute("INSERT INTO templates (id, org_id, name, category, trigger_phrases, body, variables, "
                  "platform_variants, created_at, updated_at) VALUES ($1, $2, $3, 'General', '[]', 'Hi', '[]', '{}', $4, $4)",
                  {id, org, name, at});
  };
  add("tpl_c", "org_1", "Hours", now + 2);
  add("tpl_a", "org_1", "Hours", now);
  add("tpl_b", "org_1", "Hours", now + 1);
  add("tpl_d", "org_2", "Hours", now);
  add("tpl_e", "org_1", "Other", now);
  EXPECT_EQ(apply_migrations(db, 2, 18), std::vector<int>{18});
  auto name = [&](const char* id) {
    return conn->query_one("SELECT name FROM templates WHERE id = $1", {std::string(id)})->text("name");
  };
  EXPECT_EQ(name("tpl_a"), "Hours") << "the first keeps its name";
  EXPECT_EQ(name("tpl_b"), "Hours (2)");
  EXPECT_EQ(name("tpl_c"), "Hours (3)");
  EXPECT_EQ(name("tpl_d"), "Hours") << "another organisation's template is not a duplicate";
  EXPECT_EQ(name("tpl_e"), "Other");
  EXPECT_THROW(add("tpl_f", "org_1", "Hours", now + 3), DbError);
}

TEST(MigrationsSqlite, TemplateNamesBecomeUniquePerOrganisation) {
  ScratchSqlite files;
  auto db = open_database(files.path(), 2);
  check_unique_template_names(*db);
}

class MigrationsPostgres : public ::testing::Test {
 protected:
  void SetUp() override {
    if (postgres_admin_url().empty()) GTEST_SKIP() << "SWITCHBOARD_TEST_PG_URL is not set";
    scratch_ = std::make_unique<ScratchPostgres>(postgres_admin_url());
  }
  std::unique_ptr<ScratchPostgres> scratch_;
};

TEST_F(MigrationsPostgres, ApplyOnceThenNothingIsPending) {
  auto db = open_database(scratch_->url(), 2);
  const auto all = versions(migrations_for(Dialect::postgres));
  EXPECT_EQ(versions(migration_state(*db).pending), all);
  EXPECT_EQ(apply_migrations(*db, 7), all);
  EXPECT_TRUE(apply_migrations(*db, 8).empty());
  MigrationState after = migration_state(*db);
  EXPECT_TRUE(after.pending.empty());
  ASSERT_EQ(after.applied.size(), all.size());
  EXPECT_EQ(after.applied.front().applied_at_ms, 7);
}

TEST_F(MigrationsPostgres, HasTheSameTablesAndColumnsAsSqlite) {
  auto pg = open_database(scratch_->url(), 1);
  apply_migrations(*pg, 1);
  ScratchSqlite files;
  auto sqlite = open_database(files.path(), 1);
  apply_migrations(*sqlite, 1);
  EXPECT_EQ(schema_columns(*pg), without_search_index(schema_columns(*sqlite)));
  EXPECT_EQ(schema_columns(*pg), expected_live_schema(Dialect::postgres));
}

TEST_F(MigrationsPostgres, ConcurrentRunnersApplyEachMigrationOnce) {
  apply_concurrently(scratch_->url(), Dialect::postgres);
}

TEST_F(MigrationsPostgres, FoundationCascadesAndChecks) {
  auto db = open_database(scratch_->url(), 1);
  apply_migrations(*db, 1);
  check_foundation_rules(*db);
}

TEST_F(MigrationsPostgres, LighterWritesKeepRowsAndCascades) {
  auto db = open_database(scratch_->url(), 2);
  check_lighter_writes_keep_rows(*db);
}

TEST_F(MigrationsPostgres, MessagesBySessionKeepRowsOrderAndCascades) {
  auto db = open_database(scratch_->url(), 2);
  check_messages_by_session(*db);
}

TEST_F(MigrationsPostgres, KeysMadeByKeysBelongToPeople) {
  auto db = open_database(scratch_->url(), 2);
  check_keys_made_by_keys_belong_to_people(*db);
}

TEST_F(MigrationsPostgres, DeviceCookiesDropTheStoredCsrfTokenAndKeepSessions) {
  auto db = open_database(scratch_->url(), 2);
  check_device_cookies(*db);
}

TEST_F(MigrationsPostgres, AccountRecoveryVerifiesExistingAccounts) {
  auto db = open_database(scratch_->url(), 2);
  check_account_recovery(*db);
}

TEST_F(MigrationsPostgres, HostedPageSwitchKeepsOldDeploymentsOn) {
  auto db = open_database(scratch_->url(), 2);
  check_hosted_page_switch(*db);
}

TEST_F(MigrationsPostgres, TemplateNamesBecomeUniquePerOrganisation) {
  auto db = open_database(scratch_->url(), 2);
  check_unique_template_names(*db);
}

}  // namespace
}  // namespace sb::db::test
