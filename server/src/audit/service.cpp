// Audit recording and listing.
#include "audit/service.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>

#include "audit/store.hpp"
#include "core/ids.hpp"
#include "orgs/permissions.hpp"

namespace sb::audit {

boost::json::object redact(boost::json::object values) {
  static const char* kSecretWords[] = {"token", "secret", "password", "key", "credential"};
  boost::json::object out;
  for (auto& kv : values) {
    std::string name(kv.key());
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    bool secret = std::any_of(std::begin(kSecretWords), std::end(kSecretWords),
                              [&](const char* w) { return name.find(w) != std::string::npos; });
    if (secret) continue;
    if (kv.value().is_object()) out[kv.key()] = redact(kv.value().as_object());
    else out[kv.key()] = kv.value();
  }
  return out;
}

void record(db::Connection& conn, const AuthContext& actor, const std::string& org_id, const std::string& action,
            const Target& target, std::int64_t now, std::optional<boost::json::object> before,
            std::optional<boost::json::object> after) {
  auto as_text = [](const std::optional<boost::json::object>& v) -> std::optional<std::string> {
    if (!v) return std::nullopt;
    return boost::json::serialize(redact(*v));
  };
  store::insert(conn, AuditEvent{new_id("aud", now), org_id, actor.actor_type(), actor.actor_id(), actor.actor_label(),
                                 action, target, actor.ip, as_text(before), as_text(after), now});
}

void record_change(db::Connection& conn, const AuthContext& actor, const std::string& org_id,
                   const std::string& action, const Target& target, std::int64_t now,
                   const boost::json::object& before, const boost::json::object& after) {
  boost::json::object was, is;
  for (const auto& kv : after) {
    auto* old = before.if_contains(kv.key());
    if (old && *old == kv.value()) continue;
    is[kv.key()] = kv.value();
    was[kv.key()] = old ? *old : boost::json::value(nullptr);
  }
  if (is.empty()) return;
  record(conn, actor, org_id, action, target, now, std::move(was), std::move(is));
}

Result<AuditPage> AuditService::list(const AuthContext& ctx, AuditQuery query) {
  if (!orgs::can(ctx, orgs::Action::audit_read)) return Error::forbidden("Only owners and admins can read the audit log.");
  query.limit = std::clamp(query.limit, 1, 200);
  auto conn = db_.acquire();
  AuditPage page;
  page.items = store::list(*conn, ctx.org_id, query);
  if (static_cast<int>(page.items.size()) > query.limit) {
    page.items.pop_back();
    page.next_before = page.items.back().id;
  }
  return page;
}

}  // namespace sb::audit
