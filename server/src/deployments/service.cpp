// Deployment service and the public web chat.
#include "deployments/service.hpp"

#include "analytics/recorder.hpp"

#include "audit/service.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>

#include "bots/store.hpp"
#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "conversations/store.hpp"
#include "deployments/store.hpp"
#include "integrations/store.hpp"
#include "orgs/permissions.hpp"

namespace sb::deployments {

namespace {

// scheme, host and port of a parsed URL as one origin, or nullopt when they cannot be one.
std::optional<std::string> origin_from(boost::urls::url_view url) {
  std::string scheme(url.scheme());
  std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return std::tolower(c); });
  if ((scheme != "http" && scheme != "https") || !url.has_authority() || url.has_userinfo()) return std::nullopt;
  // The host as written (no percent-decoding): a name of letters, digits, dots and hyphens, or an
  // IP literal. Nothing else may reach a CSP header.
  std::string host(url.encoded_host());
  std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return std::tolower(c); });
  if (host.empty() || host.size() > 253) return std::nullopt;
  if (url.host_type() == boost::urls::host_type::ipv6) {
    if (host.find_first_not_of("[]0123456789abcdef:.") != std::string::npos) return std::nullopt;
  } else if (url.host_type() == boost::urls::host_type::name || url.host_type() == boost::urls::host_type::ipv4) {
    if (host.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-") != std::string::npos || host.front() == '.' ||
        host.front() == '-' || host.find("..") != std::string::npos)
      return std::nullopt;
    if (host.back() == '.') host.pop_back();
  } else {
    return std::nullopt;
  }
  std::string out = scheme + "://" + host;
  if (url.has_port() && !url.port().empty()) {
    const auto port = url.port();
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    const int number = std::stoi(std::string(port));
    if (number < 1 || number > 65535) return std::nullopt;
    if (!(scheme == "http" && number == 80) && !(scheme == "https" && number == 443)) out += ":" + std::to_string(number);
  }
  return out;
}

}  // namespace

std::optional<std::string> normalize_origin(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n"), last = text.find_last_not_of(" \t\r\n");
  if (first == std::string::npos) return std::nullopt;
  auto url = boost::urls::parse_absolute_uri(std::string_view(text).substr(first, last - first + 1));
  if (!url) return std::nullopt;
  if (!url->encoded_path().empty() && url->encoded_path() != "/") return std::nullopt;
  if (url->has_query() || url->has_fragment()) return std::nullopt;
  return origin_from(*url);
}

std::optional<std::string> origin_of_url(const std::string& text) {
  auto url = boost::urls::parse_uri(text);
  if (!url) return std::nullopt;
  return origin_from(*url);
}

std::vector<std::string> allowed_origins_of(const Deployment& d) {
  std::vector<std::string> out;
  for (const auto& o : d.allowed_origins)
    if (auto n = normalize_origin(o); n && std::find(out.begin(), out.end(), *n) == out.end()) out.push_back(*n);
  return out;
}

std::string frame_ancestors_of(const Deployment& d) {
  std::string out;
  for (const auto& o : allowed_origins_of(d)) out += (out.empty() ? "" : " ") + o;
  return out;
}

namespace {

bool lists(const Deployment& d, const std::string& origin) {
  auto origins = allowed_origins_of(d);
  return std::find(origins.begin(), origins.end(), origin) != origins.end();
}

Error paused() { return Error{"deployment_paused", "This chat is paused.", {}}; }
Error unknown_key() { return Error::not_found("No chat has this address."); }
Error invalid_visitor_token() {
  return Error{"invalid_visitor_token", "Send the visitor token this chat gave you (X-Visitor-Token).", {}};
}

// Text fields of the appearance: length in characters (UTF-8 code points), no control characters.
std::optional<std::string> text_problem(const std::string& text, std::size_t max_chars, const char* what) {
  std::size_t chars = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++chars;
    if (c < 0x20 || c == 0x7F) return std::string("Use a ") + what + " without control characters or line breaks.";
  }
  if (chars > max_chars) return std::string("Use at most ") + std::to_string(max_chars) + " characters.";
  return std::nullopt;
}

// Validates and applies an appearance change; every problem is reported at once, nothing changes on any.
Result<void> apply_appearance(Deployment& d, const AppearanceChange& change) {
  std::map<std::string, std::string> errors;
  Deployment next = d;
  if (change.color) {
    const auto& c = *change.color;
    bool ok = c.size() == 7 && c[0] == '#' && c.find_first_not_of("0123456789abcdefABCDEF", 1) == std::string::npos;
    if (!ok) errors["color"] = "Use a colour such as #4f46e5 (# and six hex digits).";
    else {
      next.color = c;
      std::transform(next.color.begin(), next.color.end(), next.color.begin(),
                     [](unsigned char ch) { return std::tolower(ch); });
    }
  }
  if (change.position) {
    if (*change.position != "left" && *change.position != "right") errors["position"] = "Use left or right.";
    else next.position = *change.position;
  }
  if (change.theme) {
    if (*change.theme != "system" && *change.theme != "light" && *change.theme != "dark")
      errors["theme"] = "Use system, light or dark.";
    else next.theme = *change.theme;
  }
  if (change.launcher_label) {
    if (auto problem = text_problem(*change.launcher_label, 40, "label")) errors["launcher_label"] = *problem;
    else next.launcher_label = *change.launcher_label;
  }
  if (change.greeting) {
    auto problem = text_problem(*change.greeting, 500, "greeting");
    if (problem) errors["greeting"] = *problem;
    else next.greeting = *change.greeting;
  }
  if (!errors.empty()) return Error::validation(errors);
  d = next;
  return {};
}

Result<std::vector<std::string>> clean_origins(const std::vector<std::string>& origins) {
  std::vector<std::string> out;
  if (origins.size() > 20) return Error::validation({{"allowed_origins", "List at most 20 origins."}});
  for (const auto& o : origins) {
    auto n = normalize_origin(o);
    if (!n)
      return Error::validation({{"allowed_origins", "\"" + o + "\" is not an origin such as https://shop.example.com."}});
    if (std::find(out.begin(), out.end(), *n) == out.end()) out.push_back(*n);
  }
  return out;
}

}  // namespace

std::string DeploymentService::embed_snippet(const Deployment& d) const {
  return "<script src=\"" + settings_.public_base_url + "/widget.js\" data-key=\"" + d.key + "\" async></script>";
}

namespace {
// What the audit log keeps of a deployment (never its key: the key is public, but the log is not the
// place to copy it from).
boost::json::object audit_fields(const Deployment& d) {
  return {{"bot_id", d.bot_id},
          {"channel", d.channel},
          {"integration_id", d.integration_id ? boost::json::value(*d.integration_id) : boost::json::value(nullptr)},
          {"status", d.status},
          {"allowed_origins", boost::json::value_from(d.allowed_origins)},
          {"hosted_page_enabled", d.hosted_page_enabled},
          {"color", d.color},
          {"position", d.position},
          {"launcher_label", d.launcher_label},
          {"greeting", d.greeting},
          {"theme", d.theme}};
}
audit::Target audit_target(const Deployment& d) { return {"deployment", d.id, d.bot_name + " on " + d.channel}; }
}  // namespace

DeploymentService::DeploymentService(db::Database& db, const Clock& clock,
                                     conversations::ConversationService& conversations, WebchatSettings settings,
                                     const MasterKeys& keys)
    : db_(db), clock_(clock), conversations_(conversations), settings_(std::move(settings)), keys_(keys) {
  for (const auto& key : keys_.all) visitor_keys_.push_back(crypto::hmac_sha256(key, "switchboard visitor token key v1"));
}

std::string DeploymentService::issue_visitor_token() const {
  std::string id = crypto::random_token(16);
  return "vt1." + id + "." + crypto::to_hex(crypto::hmac_sha256(visitor_keys_.front(), "vt1." + id));
}

std::optional<std::string> DeploymentService::visitor_of(const std::string& token) const {
  if (token.size() > 200 || token.rfind("vt1.", 0) != 0) return std::nullopt;
  auto dot = token.find('.', 4);
  if (dot == std::string::npos || dot == 4) return std::nullopt;
  std::string id = token.substr(4, dot - 4);
  if (id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != std::string::npos)
    return std::nullopt;
  std::string mac = token.substr(dot + 1);
  for (const auto& key : visitor_keys_)
    if (crypto::constant_time_equals(crypto::to_hex(crypto::hmac_sha256(key, "vt1." + id)), mac)) return "v_" + id;
  return std::nullopt;
}

std::optional<std::string> verified_identity_name(const SignedIdentity& identity, const std::string& secret,
                                                  std::int64_t now_ms) {
  if (identity.id.empty() || identity.id.size() > 200 || identity.name.size() > 200 || identity.signature.empty() ||
      identity.expires.empty() || identity.expires.size() > 12 ||
      identity.expires.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  if (std::stoll(identity.expires) * 1000 <= now_ms) return std::nullopt;
  std::string expected =
      crypto::to_hex(crypto::hmac_sha256(secret, identity.id + "\n" + identity.name + "\n" + identity.expires));
  std::string given = identity.signature;
  std::transform(given.begin(), given.end(), given.begin(), [](unsigned char c) { return std::tolower(c); });
  if (!crypto::constant_time_equals(expected, given)) return std::nullopt;
  for (unsigned char c : identity.name)
    if (c < 0x20 || c == 0x7F) return std::nullopt;
  return identity.name.empty() ? identity.id : identity.name;
}

Result<std::size_t> reseal_all_identity_secrets(db::Database& db, const MasterKeys& keys, const std::string& new_key) {
  std::string new_id = crypto::key_id(new_key);
  auto conn = db.acquire();
  db::Transaction tx(*conn);
  auto rows = store::all_identity_secrets(*conn);
  for (auto& row : rows) {
    auto sealed = reseal(keys, new_key, row.sealed, row.key_id, row.id);
    if (!sealed)
      return Error{"credentials_unreadable",
                   "Deployment " + row.id + "'s identity secret cannot be opened with the current master key; nothing was changed.",
                   {}};
    row.sealed = std::move(*sealed);
    row.key_id = new_id;
    store::update_identity_secret_seal(*conn, row);
  }
  tx.commit();
  return rows.size();
}

Result<std::string> DeploymentService::rotate_identity_secret(const AuthContext& ctx, const std::string& id) {
  if (!orgs::can(ctx, orgs::Action::integrations_manage))
    return Error::forbidden("Only owners and admins manage identity secrets.");
  auto conn = db_.acquire();
  auto d = store::find(*conn, ctx.org_id, id);
  if (!d) return Error::not_found("No such deployment.");
  if (d->channel != "webchat")
    return Error::validation({{"channel", "Only web chat deployments sign visitors' identities."}});
  std::string secret = crypto::to_hex(crypto::random_bytes(32));
  std::int64_t now = clock_.now_ms();
  bool replaced = d->identity_secret_sealed.has_value();
  db::Transaction tx(*conn);
  store::set_identity_secret(*conn, ctx.org_id, id, crypto::seal(keys_.primary, secret, d->id),
                             crypto::key_id(keys_.primary), now);
  audit::record(*conn, ctx, ctx.org_id, replaced ? "deployment.identity_secret_rotated" : "deployment.identity_secret_created",
                audit_target(*d), now);
  tx.commit();
  return secret;
}

std::string DeploymentService::hosted_url(const Deployment& d) const {
  return settings_.public_base_url + "/chat/" + d.key;
}

Result<std::vector<Deployment>> DeploymentService::list(const AuthContext& ctx, const std::optional<std::string>& bot_id) {
  if (!orgs::can(ctx, orgs::Action::bots_read)) return Error::forbidden();
  auto conn = db_.acquire();
  return store::list(*conn, ctx.org_id, bot_id);
}

Result<Deployment> DeploymentService::create(const AuthContext& ctx, const std::string& bot_id,
                                             const std::string& channel, const std::vector<std::string>& origins,
                                             const std::optional<std::string>& integration_id,
                                             bool hosted_page_enabled, const AppearanceChange& appearance) {
  if (!orgs::can(ctx, orgs::Action::bots_manage)) return Error::forbidden("Viewers cannot deploy bots.");
  if (!integration_id && channel != "webchat")
    return Error::validation({{"integration_id", "Choose a connected platform account to deploy to."}});
  auto cleaned = clean_origins(origins);
  if (!cleaned) return cleaned.error();
  auto conn = db_.acquire();
  auto bot = bots::store::find(*conn, ctx.org_id, bot_id);
  if (!bot) return Error::validation({{"bot_id", "No such bot in this organization."}});
  std::int64_t now = clock_.now_ms();
  Deployment d;
  d.id = new_id("dep", now);
  d.org_id = ctx.org_id;
  d.bot_id = bot_id;
  d.bot_name = bot->name;
  d.channel = channel;
  d.allowed_origins = *cleaned;
  d.hosted_page_enabled = hosted_page_enabled;
  if (auto applied = apply_appearance(d, appearance); !applied) return applied.error();
  if (integration_id) {
    auto integration = integrations::store::find(*conn, ctx.org_id, *integration_id);
    if (!integration) return Error::validation({{"integration_id", "No such integration in this organization."}});
    if (integration->status != "connected") {
      std::string state = integration->status == "unverified" ? "is not verified yet"
                          : integration->status == "invalid" ? "was refused by the platform at its last check"
                                                             : "could not be checked at its last try";
      return Error::validation({{"integration_id", integration->name + " " + state +
                                                       ". Verify it on the Integrations page first."}});
    }
    d.channel = integration->platform;
    d.integration_id = integration->id;
    d.integration_name = integration->name;
    d.integration_status = integration->status;
    d.allowed_origins.clear();
  }
  d.key = crypto::random_token(16);
  d.created_at = d.updated_at = now;
  db::Transaction tx(*conn);
  store::insert(*conn, d);
  audit::record(*conn, ctx, ctx.org_id, "deployment.created", audit_target(d), now, std::nullopt, audit_fields(d));
  tx.commit();
  if (changed_) changed_(d);
  return d;
}

Result<Deployment> DeploymentService::update(const AuthContext& ctx, const std::string& id,
                                             const std::optional<std::string>& status,
                                             const std::optional<std::vector<std::string>>& origins,
                                             std::optional<bool> hosted_page_enabled,
                                             const AppearanceChange& appearance) {
  if (!orgs::can(ctx, orgs::Action::bots_manage)) return Error::forbidden("Viewers cannot change deployments.");
  if (status && *status != "active" && *status != "paused")
    return Error::validation({{"status", "Use active or paused."}});
  auto conn = db_.acquire();
  auto d = store::find(*conn, ctx.org_id, id);
  if (!d) return Error::not_found("No such deployment.");
  Deployment before = *d;
  if (origins) {
    auto cleaned = clean_origins(*origins);
    if (!cleaned) return cleaned.error();
    d->allowed_origins = *cleaned;
  }
  if (status) d->status = *status;
  if (hosted_page_enabled) d->hosted_page_enabled = *hosted_page_enabled;
  if (auto applied = apply_appearance(*d, appearance); !applied) return applied.error();
  d->updated_at = clock_.now_ms();
  db::Transaction tx(*conn);
  store::update(*conn, *d);
  audit::record_change(*conn, ctx, ctx.org_id, "deployment.updated", audit_target(*d), d->updated_at,
                       audit_fields(before), audit_fields(*d));
  tx.commit();
  if (changed_) changed_(*d);
  return *d;
}

Result<void> DeploymentService::remove(const AuthContext& ctx, const std::string& id) {
  if (!orgs::can(ctx, orgs::Action::bots_manage)) return Error::forbidden("Viewers cannot delete deployments.");
  auto conn = db_.acquire();
  auto d = store::find(*conn, ctx.org_id, id);
  if (!d) return Error::not_found("No such deployment.");
  db::Transaction tx(*conn);
  store::remove(*conn, ctx.org_id, id);
  audit::record(*conn, ctx, ctx.org_id, "deployment.deleted", audit_target(*d), clock_.now_ms(), audit_fields(*d));
  tx.commit();
  if (changed_) changed_(*d);
  return {};
}

Result<WidgetInfo> DeploymentService::widget(const std::string& key, const std::string& visitor_token) {
  auto conn = db_.acquire();
  auto d = store::find_by_key(*conn, key);
  if (!d) return unknown_key();
  auto bot = bots::store::find(*conn, d->org_id, d->bot_id);
  if (!bot) return unknown_key();
  std::string status = d->status == "active" && bot->status == "active" ? "active" : "paused";
  WidgetInfo info{bot->name,   d->greeting.empty() ? bot->greeting : d->greeting, bot->avatar_color,
                  bot->avatar_url, status, bot->ask_satisfaction, allowed_origins_of(*d)};
  info.color = d->color;
  info.position = d->position;
  info.launcher_label = d->launcher_label;
  info.theme = d->theme;
  info.visitor_token = visitor_of(visitor_token) ? visitor_token : issue_visitor_token();
  return info;
}

Result<WidgetHistory> DeploymentService::widget_history(const std::string& key, const std::string& origin,
                                                        const std::string& host, const std::string& visitor_token) {
  std::optional<Deployment> d;
  {
    auto conn = db_.acquire();
    d = store::find_by_key(*conn, key);
  }
  if (!d) return unknown_key();
  if (!origin_allowed(key, origin, host))
    return Error{"origin_not_allowed", "This chat may not be used from " + origin + ".", {}};
  auto visitor = visitor_of(visitor_token);
  if (!visitor) return invalid_visitor_token();
  WidgetHistory out;
  auto conn = db_.acquire();
  auto session = conversations::store::latest_open_session(*conn, d->org_id, d->bot_id, "webchat", *visitor);
  if (!session) return out;
  out.session_id = session->id;
  for (const auto& m : conversations::store::recent_messages(*conn, d->org_id, session->id, 100))
    out.messages.push_back({m.direction, m.text, m.created_at});
  return out;
}

ChatPage DeploymentService::chat_page(const std::string& key, const ChatPageRequest& request) {
  std::optional<Deployment> d;
  {
    auto conn = db_.acquire();
    d = store::find_by_key(*conn, key);
  }
  if (!d) return {ChatPage::Kind::unknown_key, ""};
  // A top-level visit with ?embed=1 is the hosted page under another name.
  if (!request.embed || request.fetch_dest == "document") {
    if (!d->hosted_page_enabled) return {ChatPage::Kind::hosted_page_off, ""};
    return {ChatPage::Kind::app, ""};
  }
  std::string ancestors = frame_ancestors_of(*d);
  if (ancestors.empty()) return {ChatPage::Kind::embedder_not_allowed, ""};
  // The browser enforces frame-ancestors; when it also says who embeds the page, the chat does not
  // even start for a site that is not allowed.
  std::optional<std::string> embedder;
  if (!request.origin.empty()) embedder = normalize_origin(request.origin).value_or("invalid");
  else if (!request.referer.empty()) embedder = origin_of_url(request.referer).value_or("invalid");
  if (embedder && !lists(*d, *embedder))
    return {ChatPage::Kind::embedder_not_allowed, ""};
  return {ChatPage::Kind::app, ancestors};
}

Result<void> DeploymentService::widget_rating(const std::string& key, const std::string& origin, const std::string& host,
                                             const std::string& visitor_token, const std::string& session_id,
                                             std::int64_t score) {
  if (score < 1 || score > 5) return Error::validation({{"score", "Rate from 1 to 5."}});
  auto conn = db_.acquire();
  auto d = store::find_by_key(*conn, key);
  if (!d) return unknown_key();
  if (!origin_allowed(key, origin, host))
    return Error{"origin_not_allowed", "This chat may not be used from " + origin + ".", {}};
  auto visitor = visitor_of(visitor_token);
  if (!visitor) return invalid_visitor_token();
  const std::string& visitor_id = *visitor;
  // The rating and its rollups change together (ADR 0037); the session is read first for its
  // earlier score (a second rating replaces it) and whether the widget had asked.
  db::Transaction tx(*conn);
  auto session = conversations::store::find_session(*conn, d->org_id, session_id);
  if (!session || session->external_user_id != visitor_id ||
      !conversations::store::rate_session(*conn, d->org_id, session_id, visitor_id, score, clock_.now_ms()))
    return Error::not_found("No such conversation.");
  analytics::record_rating(*conn, *session, static_cast<int>(score));
  tx.commit();
  return {};
}

bool DeploymentService::origin_allowed(const std::string& key, const std::string& origin, const std::string& host) {
  if (origin.empty()) return true;  // not a browser page: CORS does not apply
  auto normalized = normalize_origin(origin);
  if (!normalized) return false;
  // The hosted page is served by this server: same origin as the public URL, or as the Host asked for.
  if (auto own = normalize_origin(settings_.public_base_url); own && *own == *normalized) return true;
  auto at = normalized->find("://");
  if (!host.empty() && at != std::string::npos && normalized->substr(at + 3) == host) return true;
  auto conn = db_.acquire();
  auto d = store::find_by_key(*conn, key);
  return d && lists(*d, *normalized);
}

std::optional<Error> DeploymentService::widget_message(const std::string& key, const std::string& origin,
                                                      const std::string& host, const std::string& client_address,
                                                      const std::string& visitor_token, const std::string& text,
                                                      bool stream, conversations::ExchangeCallbacks callbacks,
                                                      const std::optional<SignedIdentity>& identity) {
  std::map<std::string, std::string> errors;
  if (text.empty()) errors["text"] = "Type a message.";
  else if (text.size() > settings_.max_message_length)
    errors["text"] = "Use at most " + std::to_string(settings_.max_message_length) + " characters.";
  std::optional<Deployment> d;
  std::optional<bots::Bot> bot;
  {
    auto conn = db_.acquire();
    d = store::find_by_key(*conn, key);
    if (d) bot = bots::store::find(*conn, d->org_id, d->bot_id);
  }
  if (!d || !bot) return unknown_key();
  if (!origin_allowed(key, origin, host))
    return Error{"origin_not_allowed", "This chat may not be used from " + origin + ".", {}};
  auto visitor = visitor_of(visitor_token);
  if (!visitor) return invalid_visitor_token();
  const std::string& visitor_id = *visitor;
  if (!errors.empty()) return Error::validation(errors);
  if (d->status != "active" || bot->status != "active") return paused();
  std::int64_t now = clock_.now_ms(), wait = 0;
  if ((!client_address.empty() &&
       !limiter_.allow("address:" + client_address, settings_.per_address_per_minute, 60'000, now, wait)) ||
      !limiter_.allow("visitor:" + d->id + ":" + visitor_id, settings_.per_visitor_per_minute, 60'000, now, wait) ||
      !limiter_.allow("deployment:" + d->id, settings_.per_deployment_per_minute, 60'000, now, wait))
    return Error::rate_limited(static_cast<int>((wait + 999) / 1000), "Too many messages. Wait a moment and try again.");
  conversations::Inbound in;
  in.deployment_id = d->id;
  in.platform = "webchat";
  in.external_user_id = visitor_id;
  in.display_name = "Visitor";
  // A signed identity names the visitor; anything short of a valid, unexpired signature is anonymous.
  if (identity && d->identity_secret_sealed) {
    const std::string* key = d->identity_secret_key_id && !d->identity_secret_key_id->empty()
                                 ? keys_.find(*d->identity_secret_key_id)
                                 : &keys_.primary;
    std::optional<std::string> secret;
    if (key) secret = crypto::open(*key, *d->identity_secret_sealed, d->id);
    if (secret)
      if (auto name = verified_identity_name(*identity, *secret, now)) in.display_name = *name;
  }
  in.text = text;
  conversations_.converse(*bot, in, stream, std::move(callbacks));
  return std::nullopt;
}

}  // namespace sb::deployments
