// Mail to every owner of an organisation (plan warnings, retention notices).
#pragma once

#include <string>

#include "db/database.hpp"
#include "mail/mailer.hpp"

namespace sb::orgs {

// Sends the mail to each owner; returns how many it reached. Failures are logged (never the body).
std::size_t mail_owners(db::Connection& conn, mail::Mailer& mailer, const std::string& org_id,
                        const std::string& subject, const std::string& body);

}  // namespace sb::orgs
