// Invitation mail through a configured SMTP server (a local fake), and what happens when it is down.
#include "fakes/fake_smtp.hpp"
#include "integration/harness.hpp"

namespace sb::test {
namespace {

class SmtpMailTest : public ServerTest {
 protected:
  void configure(Config& config) override {
    config.smtp_url = "smtp://127.0.0.1:" + std::to_string(smtp.port());
    config.mail_from = "bots@example.com";
  }
  FakeSmtpServer smtp;
};

TEST_F(SmtpMailTest, InvitationGoesOutThroughSmtpWithTheLink) {
  auto owner = agent();
  auto session = owner.signup("owner@example.com");
  std::string org(session["organization"].at("id").as_string());
  auto invite = owner.post("/api/orgs/" + org + "/invites", {{"email", "friend@example.com"}, {"role", "member"}});
  ASSERT_EQ(invite.status, 201) << invite.body;
  auto mails = smtp.received();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].to.at(0), "<friend@example.com>");
  EXPECT_EQ(mails[0].from, "<bots@example.com>");
  EXPECT_NE(mails[0].data.find("Subject: Test User invited you to Test User's organization on Switchboard"),
            std::string::npos)
      << mails[0].data;
  EXPECT_NE(mails[0].data.find(std::string(invite.json().at("accept_url").as_string())), std::string::npos);
  EXPECT_TRUE(owner.get("/api/debug/mailbox").json().at("items").as_array().empty()) << "nothing in the outbox";
}

class SmtpDownTest : public ServerTest {
 protected:
  void configure(Config& config) override { config.smtp_url = "smtp://127.0.0.1:1"; }
};

TEST_F(SmtpDownTest, InvitationStillWorksByLinkWhenMailFails) {
  auto owner = agent();
  auto session = owner.signup("owner@example.com");
  std::string org(session["organization"].at("id").as_string());
  auto invite = owner.post("/api/orgs/" + org + "/invites", {{"email", "friend@example.com"}, {"role", "member"}});
  ASSERT_EQ(invite.status, 201) << invite.body;
  EXPECT_FALSE(invite.json().at("accept_url").as_string().empty()) << "the inviter can still copy the link";
}

}  // namespace
}  // namespace sb::test
