// Mail to every owner of an organisation.
#include "orgs/owner_mail.hpp"

#include "core/logging.hpp"
#include "orgs/store.hpp"

namespace sb::orgs {

std::size_t mail_owners(db::Connection& conn, mail::Mailer& mailer, const std::string& org_id,
                        const std::string& subject, const std::string& body) {
  std::size_t reached = 0;
  for (const auto& member : store::list_members(conn, org_id)) {
    if (member.role != "owner") continue;
    auto sent = mailer.send({member.email, subject, body});
    if (sent) ++reached;
    else log::warn("mail to an owner not sent", {{"org_id", org_id}, {"error", sent.error().message}});
  }
  return reached;
}

}  // namespace sb::orgs
