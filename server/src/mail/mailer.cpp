// Outbox and SMTP mailers.
#include "mail/mailer.hpp"

#include <curl/curl.h>

#include <cstring>
#include <memory>

#include "core/clock.hpp"
#include "core/ids.hpp"

namespace sb::mail {

Result<void> OutboxMailer::send(const Message& m) {
  std::int64_t now = clock_.now_ms();
  auto conn = db_.acquire();
  conn->execute("INSERT INTO mail_outbox (id, recipient, subject, body, created_at) VALUES ($1, $2, $3, $4, $5)",
                {new_id("mail", now), m.to, m.subject, m.body, now});
  return {};
}

std::vector<OutboxEntry> list_outbox(db::Connection& conn, int limit) {
  std::vector<OutboxEntry> out;
  for (const auto& r : conn.query(
           "SELECT id, recipient, subject, body, created_at FROM mail_outbox ORDER BY created_at DESC, id DESC LIMIT $1",
           {std::int64_t{limit}}))
    out.push_back({r.text("id"), r.text("recipient"), r.text("subject"), r.text("body"), r.integer("created_at")});
  return out;
}

namespace {
struct Upload {
  std::string data;
  std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t n, void* user) {
  auto* up = static_cast<Upload*>(user);
  std::size_t len = std::min(size * n, up->data.size() - up->offset);
  std::memcpy(buffer, up->data.data() + up->offset, len);
  up->offset += len;
  return len;
}
}  // namespace

Result<void> SmtpMailer::send(const Message& m) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Error{"mail_failed", "could not start the mail client", {}};
  Upload up;
  up.data = "From: " + from_ + "\r\nTo: " + m.to + "\r\nSubject: " + m.subject +
            "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + m.body + "\r\n";
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + m.to + ">").c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt_guard(rcpt, curl_slist_free_all);
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, ("<" + from_ + ">").c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(h, CURLOPT_READDATA, &up);
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 15000L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK)
    return Error{"mail_failed", std::string("the mail server refused or did not answer: ") + curl_easy_strerror(rc), {}};
  return {};
}

}  // namespace sb::mail
