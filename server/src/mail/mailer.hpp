// Outgoing mail: SMTP through libcurl when configured, otherwise the outbox table admins can read.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "db/database.hpp"

namespace sb::mail {

struct Message {
  std::string to;
  std::string subject;
  std::string body;  // plain text
};

struct OutboxEntry {
  std::string id;
  std::string to;
  std::string subject;
  std::string body;
  std::int64_t created_at = 0;
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  virtual Result<void> send(const Message& message) = 0;
};

// Keeps mail in mail_outbox (no SMTP server configured).
class OutboxMailer final : public Mailer {
 public:
  OutboxMailer(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  Result<void> send(const Message& message) override;

 private:
  db::Database& db_;
  const Clock& clock_;
};

// smtp://user:pass@host:port or smtps://…; errors never include the URL's credentials.
class SmtpMailer final : public Mailer {
 public:
  SmtpMailer(std::string url, std::string from) : url_(std::move(url)), from_(std::move(from)) {}
  Result<void> send(const Message& message) override;

 private:
  std::string url_;
  std::string from_;
};

std::vector<OutboxEntry> list_outbox(db::Connection& conn, int limit);

}  // namespace sb::mail
