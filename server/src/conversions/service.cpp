// Conversion service.
#include "conversions/service.hpp"

#include "analytics/recorder.hpp"
#include "audit/service.hpp"
#include "conversations/store.hpp"
#include "conversions/store.hpp"
#include "core/ids.hpp"
#include "core/text.hpp"
#include "deployments/store.hpp"
#include "orgs/permissions.hpp"

namespace sb::conversions {

Result<Recorded> ConversionService::record(const AuthContext& ctx, const ConversionInput& in) {
  if (!orgs::can(ctx, orgs::Action::bots_manage))
    return Error::forbidden("Only people and keys that manage bots can record conversions.");
  std::map<std::string, std::string> e;
  const bool by_id = in.conversation_id.has_value();
  const bool by_visitor = in.deployment_key || in.user_token;
  if (by_id == by_visitor)
    e["conversation_id"] = "Name the conversation: its conversation_id, or the web chat's deployment_key and user_token.";
  else if (by_visitor && (!in.deployment_key || !in.user_token))
    e[in.deployment_key ? "user_token" : "deployment_key"] = "Send both deployment_key and user_token.";
  if (in.name.empty()) e["name"] = "Name the conversion, such as \"purchase\".";
  else if (in.name.size() > 200) e["name"] = "Use at most 200 characters.";
  else text::check(e, "name", in.name, text::Lines::single);
  if (in.value_cents && (*in.value_cents < 0 || *in.value_cents > 1'000'000'000'000))
    e["value_cents"] = "Use a whole number of cents from 0 to 1,000,000,000,000.";
  if (in.external_id) {
    if (in.external_id->empty() || in.external_id->size() > 200) e["external_id"] = "Use 1 to 200 characters.";
    else text::check(e, "external_id", *in.external_id, text::Lines::single);
  }
  if (!e.empty()) return Error::validation(e);

  auto conn = db_.acquire();
  db::Transaction tx(*conn);
  // A retried call: the first conversion with this external id, whatever the rest of the body says.
  if (in.external_id)
    if (auto earlier = store::find_by_external_id(*conn, ctx.org_id, *in.external_id)) return Recorded{*earlier, false};
  std::optional<conversations::Session> session;
  if (by_id) {
    session = conversations::store::find_session(*conn, ctx.org_id, *in.conversation_id);
    if (!session) return Error::not_found("No such conversation.");
  } else {
    auto deployment = deployments::store::find_by_key(*conn, *in.deployment_key);
    if (!deployment || deployment->org_id != ctx.org_id) return Error::not_found("No such deployment.");
    auto visitor = visitor_of_(*in.user_token);
    if (!visitor)
      return Error{"invalid_visitor_token", "The user token is not one this server signed.", {}};
    session = conversations::store::latest_open_session(*conn, ctx.org_id, deployment->bot_id, "webchat", *visitor);
    if (!session) return Error::not_found("This visitor has no open conversation on this deployment.");
  }
  const std::int64_t now = clock_.now_ms();
  Conversion c;
  c.id = new_id("cvn", now);
  c.org_id = ctx.org_id;
  c.session_id = session->id;
  c.name = in.name;
  c.value_cents = in.value_cents;
  c.source = "api";
  c.external_id = in.external_id;
  c.created_at = now;
  if (!store::insert(*conn, c)) {
    // The same external id committed by a concurrent call since the look-up above.
    tx.commit();
    auto earlier = store::find_by_external_id(*conn, ctx.org_id, *in.external_id);
    if (!earlier) return Error::unavailable("The conversion could not be recorded. Try again shortly.");
    return Recorded{*earlier, false};
  }
  if (conversations::store::convert_session(*conn, ctx.org_id, session->id, now)) {
    session->converted_at = now;
    analytics::record_converted(*conn, *session, now);
  }
  boost::json::object after{{"conversation_id", session->id}, {"name", c.name}, {"source", c.source}};
  after["value_cents"] = c.value_cents ? boost::json::value(*c.value_cents) : boost::json::value(nullptr);
  after["external_id"] = c.external_id ? boost::json::value(*c.external_id) : boost::json::value(nullptr);
  audit::record(*conn, ctx, ctx.org_id, "conversion.recorded", {"conversion", c.id, c.name}, now, std::nullopt, after);
  tx.commit();
  return Recorded{c, true};
}

}  // namespace sb::conversions
