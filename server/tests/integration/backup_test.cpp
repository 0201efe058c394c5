// switchboard admin backup on SQLite: a copy taken while the server runs opens with every row
// committed before it and serves as the installation's database; an existing file, a missing folder
// and a PostgreSQL installation are refused. The restore under load is scripts/backup-test.sh.
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "admin/backup.hpp"
#include "integration/messaging_fixture.hpp"

namespace sb::test {
namespace {

class BackupTest : public MessagingTest {
 protected:
  void configure_more(Config& c) override { c.database_url = "sqlite:" + c.data_dir + "/switchboard.db"; }
  std::string path(const std::string& name) { return config.data_dir + "/" + name; }
};

TEST_F(BackupTest, ACopyTakenWhileServingHoldsEveryCommittedDeliveryAndServesAfterARestore) {
  std::string id = connect_telegram();
  for (int i = 1; i <= 5; ++i)
    ASSERT_EQ(deliver_telegram(id, telegram_update(300 + i, "what are your opening hours?", 5000 + i), telegram_secret).status, 200);
  run();

  auto done = admin::backup_sqlite(app->database(), path("backup.db"));
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_GT(done->bytes, 0);
  // Written after the backup: not in it.
  ASSERT_EQ(deliver_telegram(id, telegram_update(400, "later", 5400), telegram_secret).status, 200);

  auto listed = owner.get("/api/jobs");
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.json().at("items").as_array().size(), 6u);
  app->stop();
  app.reset();
  // Restore: the backup becomes the database (the old WAL and shared memory go with the old file).
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path(std::string("switchboard.db") + suffix));
  std::filesystem::copy_file(path("backup.db"), path("switchboard.db"));
  app = std::make_unique<App>(config, accounts::AccountSettings{}, clock());
  base_url = "http://127.0.0.1:" + std::to_string(app->start_server());
  Agent browser(base_url);
  browser.cookie = owner.cookie;
  browser.cookies = owner.cookies;
  browser.csrf = owner.csrf;
  auto jobs = browser.get("/api/jobs");
  ASSERT_EQ(jobs.status, 200) << jobs.body;
  auto restored = jobs.json();
  EXPECT_EQ(restored.at("items").as_array().size(), 5u);
  for (const auto& j : restored.at("items").as_array()) EXPECT_EQ(str(j.at("state")), "succeeded") << json::serialize(j);
  // The restored integration still opens its credentials and takes deliveries.
  auto verified = browser.post("/api/integrations/" + id + "/verify", json::object{});
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_EQ(str(verified.json().at("status")), "connected") << verified.body;
}

TEST_F(BackupTest, AnExistingFileAMissingFolderAndPostgreSQLAreRefused) {
  std::ofstream(path("taken.db")) << "keep me";
  auto existing = admin::backup_sqlite(app->database(), path("taken.db"));
  ASSERT_FALSE(existing);
  EXPECT_EQ(existing.error().code, "conflict");
  std::ifstream in(path("taken.db"));
  std::string kept((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(kept, "keep me");

  auto missing = admin::backup_sqlite(app->database(), path("no/such/folder/b.db"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "validation_failed");
  EXPECT_FALSE(admin::backup_sqlite(app->database(), ""));

  auto cli = parse_command_line({"switchboard", "admin", "backup", "--data-dir", config.data_dir});
  ASSERT_TRUE(cli.exit_code) << "--to is required";
  EXPECT_NE(*cli.exit_code, 0);

  if (scratch->postgres()) {
    auto pg = db::open_database(scratch->url(), 1);
    auto refused = admin::backup_sqlite(*pg, path("pg.db"));
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("pg_dump"), std::string::npos) << refused.error().message;
  }
}

}  // namespace
}  // namespace sb::test
