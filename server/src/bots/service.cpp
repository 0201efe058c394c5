// Bot service.
#include "bots/service.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <regex>

#include "ai/service.hpp"
#include "audit/service.hpp"
#include "bots/store.hpp"
#include "core/ids.hpp"
#include "core/text.hpp"
#include "orgs/permissions.hpp"
#include "templates/renderer.hpp"
#include "templates/store.hpp"

namespace sb::bots {

namespace {
std::size_t code_points(const std::string& s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}
}  // namespace

Result<void> validate_bot(const Bot& b) {
  std::map<std::string, std::string> e;
  static const std::regex color(R"(^#[0-9a-fA-F]{6}$)");
  static const std::regex language(R"(^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$)");
  if (b.name.empty()) e["name"] = "Give the bot a name.";
  else if (b.name.size() > 80) e["name"] = "Use at most 80 characters.";
  if (b.description.size() > 500) e["description"] = "Use at most 500 characters.";
  if (!std::regex_match(b.avatar_color, color)) e["avatar_color"] = "Use a colour such as #4f46e5.";
  if (b.avatar_url) {
    auto url = boost::urls::parse_absolute_uri(*b.avatar_url);
    if (!url || (url->scheme() != "https" && url->scheme() != "http") || url->host().empty() || b.avatar_url->size() > 2048)
      e["avatar_url"] = "Enter a full http:// or https:// address of an image.";
  }
  if (b.system_prompt.size() > 8000) e["system_prompt"] = "Use at most 8,000 characters.";
  if (!ai::valid_model_id(b.model))
    e["model"] = "Use an OpenRouter model id such as openai/gpt-4o-mini.";
  if (!(b.temperature >= 0.0 && b.temperature <= 2.0)) e["temperature"] = "Use a number from 0 to 2.";
  if (b.max_tokens < 1 || b.max_tokens > 4096) e["max_tokens"] = "Use a number from 1 to 4,096.";
  if (b.greeting.size() > 500) e["greeting"] = "Use at most 500 characters.";
  if (b.fallback_message.empty()) e["fallback_message"] = "Write what the bot says when it has no answer.";
  else if (b.fallback_message.size() > 500) e["fallback_message"] = "Use at most 500 characters.";
  if (b.over_quota_message) {
    if (b.over_quota_message->empty())
      e["over_quota_message"] = "Write what the bot says once the monthly messages are used, or leave it unset.";
    else if (b.over_quota_message->size() > 500) e["over_quota_message"] = "Use at most 500 characters.";
    else text::check(e, "over_quota_message", *b.over_quota_message, text::Lines::multi);
  }
  if (!std::regex_match(b.language, language)) e["language"] = "Use a language code such as en, de or pt-BR.";
  if (b.history_turns < 0 || b.history_turns > 50) e["history_turns"] = "Use a number from 0 to 50.";
  if (b.status != "active" && b.status != "archived") e["status"] = "Use active or archived.";
  if (b.template_ids.size() > 100) e["template_ids"] = "Attach at most 100 templates.";
  if (b.resolution_phrases.size() > 20) e["resolution_phrases"] = "Use at most 20 phrases.";
  for (const auto& p : b.resolution_phrases) {
    if (p.find_first_not_of(" \t") == std::string::npos) e["resolution_phrases"] = "Phrases cannot be empty.";
    else if (code_points(p) > 100) e["resolution_phrases"] = "Use at most 100 characters a phrase.";
    else text::check(e, "resolution_phrases", p, text::Lines::single);
  }
  text::check(e, "name", b.name, text::Lines::single);
  text::check(e, "description", b.description, text::Lines::single);
  text::check(e, "system_prompt", b.system_prompt, text::Lines::multi);
  text::check(e, "greeting", b.greeting, text::Lines::multi);
  text::check(e, "fallback_message", b.fallback_message, text::Lines::multi);
  if (!e.empty()) return Error::validation(e);
  return {};
}

namespace {

void apply(Bot& b, const BotInput& in) {
  if (in.name) b.name = *in.name;
  if (in.description) b.description = *in.description;
  if (in.avatar_color) b.avatar_color = *in.avatar_color;
  if (in.avatar_url) b.avatar_url = *in.avatar_url;
  if (in.system_prompt) b.system_prompt = *in.system_prompt;
  if (in.model) b.model = *in.model;
  if (in.temperature) b.temperature = *in.temperature;
  if (in.max_tokens) b.max_tokens = *in.max_tokens;
  if (in.greeting) b.greeting = *in.greeting;
  if (in.fallback_message) b.fallback_message = *in.fallback_message;
  if (in.over_quota_message) b.over_quota_message = *in.over_quota_message;
  if (in.language) b.language = *in.language;
  if (in.history_turns) b.history_turns = *in.history_turns;
  if (in.ask_satisfaction) b.ask_satisfaction = *in.ask_satisfaction;
  if (in.status) b.status = *in.status;
  if (in.template_ids) b.template_ids = *in.template_ids;
  if (in.resolution_phrases) b.resolution_phrases = *in.resolution_phrases;
}

// 422 on the model field naming what the organisation allows.
Error model_not_allowed(const std::vector<std::string>& allowed) {
  std::string list;
  for (std::size_t i = 0; i < allowed.size() && i < 20; ++i) list += (i ? ", " : "") + allowed[i];
  if (allowed.size() > 20) list += ", …";
  return Error::validation({{"model", "This organization's bots may use only: " + list + "."}});
}

bool allowed(const std::vector<std::string>& list, const std::string& model) {
  return list.empty() || std::find(list.begin(), list.end(), model) != list.end();
}

// What the audit log keeps of a bot.
boost::json::object audit_fields(const Bot& b) {
  return {{"name", b.name},
          {"description", b.description},
          {"avatar_color", b.avatar_color},
          {"avatar_url", b.avatar_url ? boost::json::value(*b.avatar_url) : boost::json::value(nullptr)},
          {"system_prompt", b.system_prompt},
          {"model", b.model},
          {"temperature", b.temperature},
          {"max_tokens", b.max_tokens},
          {"greeting", b.greeting},
          {"fallback_message", b.fallback_message},
          {"over_quota_message",
           b.over_quota_message ? boost::json::value(*b.over_quota_message) : boost::json::value(nullptr)},
          {"language", b.language},
          {"history_turns", b.history_turns},
          {"ask_satisfaction", b.ask_satisfaction},
          {"status", b.status},
          {"template_ids", boost::json::value_from(b.template_ids)},
          {"resolution_phrases", boost::json::value_from(b.resolution_phrases)}};
}

Error name_taken() {
  Error e = Error::conflict("A bot with this name already exists in this organization.");
  e.details["fields"] = boost::json::object{{"name", "A bot with this name already exists."}};
  return e;
}

}  // namespace

Result<Bot> BotService::save(const AuthContext& ctx, db::Connection& conn, Bot bot, const Bot* before,
                             const std::string& action) {
  bool is_new = before == nullptr;
  if (auto ok = validate_bot(bot); !ok) return ok.error();
  for (const auto& id : bot.template_ids)
    if (!templates::store::find(conn, bot.org_id, id))
      return Error::validation({{"template_ids", "No template " + id + " in this organization."}});
  if (store::name_taken(conn, bot.org_id, bot.name, bot.id)) return name_taken();
  db::Transaction tx(conn);
  // Counted and inserted in one transaction, so concurrent creations cannot overrun the plan.
  if (is_new && billing_)
    if (auto room = billing_->check_room(conn, bot.org_id, billing::Countable::bots); !room) return room.error();
  try {
    if (is_new) store::insert(conn, bot);
    else store::update(conn, bot);
  } catch (const db::DbError& e) {
    if (e.constraint_violation()) return name_taken();  // a concurrent save took the name first
    throw;
  }
  templates::store::attach(conn, bot.org_id, bot.id, bot.template_ids);
  audit::Target target{"bot", bot.id, bot.name};
  if (is_new) audit::record(conn, ctx, bot.org_id, action, target, bot.updated_at, std::nullopt, audit_fields(bot));
  else audit::record_change(conn, ctx, bot.org_id, action, target, bot.updated_at, audit_fields(*before), audit_fields(bot));
  tx.commit();
  if (changed_) changed_(bot.id);
  return bot;
}

void BotService::mark_models(const std::string& org_id, std::vector<Bot*> bots) {
  auto list = allowed_models_(org_id);
  for (auto* b : bots) b->model_allowed = allowed(list, b->model);
}

Result<std::vector<Bot>> BotService::list(const AuthContext& ctx, const std::string& q, const std::string& status) {
  if (!orgs::can(ctx, orgs::Action::bots_read)) return Error::forbidden();
  if (!status.empty() && status != "active" && status != "archived" && status != "all")
    return Error::validation({{"status", "Use active, archived or all."}});
  auto conn = db_.acquire();
  auto all = store::list(*conn, ctx.org_id);
  std::string wanted = status.empty() ? "active" : status;
  std::string needle = templates::normalize(q);
  std::erase_if(all, [&](const Bot& b) {
    return (wanted != "all" && b.status != wanted) ||
           (!needle.empty() && templates::normalize(b.name).find(needle) == std::string::npos);
  });
  std::vector<Bot*> marked;
  for (auto& b : all) {
    b.template_ids = templates::store::ids_for_bot(*conn, ctx.org_id, b.id);
    marked.push_back(&b);
  }
  mark_models(ctx.org_id, marked);
  return all;
}

Result<Bot> BotService::get(const AuthContext& ctx, const std::string& id) {
  if (!orgs::can(ctx, orgs::Action::bots_read)) return Error::forbidden();
  auto conn = db_.acquire();
  auto bot = store::find(*conn, ctx.org_id, id);
  if (!bot) return Error::not_found("No such bot.");
  bot->template_ids = templates::store::ids_for_bot(*conn, ctx.org_id, id);
  mark_models(ctx.org_id, {&*bot});
  return *bot;
}

Result<Bot> BotService::create(const AuthContext& ctx, const BotInput& input) {
  if (!orgs::can(ctx, orgs::Action::bots_manage)) return Error::forbidden("Viewers cannot create bots.");
  std::int64_t now = clock_.now_ms();
  Bot bot;
  bot.id = new_id("bot", now);
  bot.org_id = ctx.org_id;
  bot.created_at = bot.updated_at = now;
  apply(bot, input);
  // A new bot uses an allowed model; one made before the list was restricted keeps its own.
  if (auto list = allowed_models_(ctx.org_id); !allowed(list, bot.model) && ai::valid_model_id(bot.model))
    return model_not_allowed(list);
  auto conn = db_.acquire();
  return save(ctx, *conn, bot, nullptr, "bot.created");
}

Result<Bot> BotService::update(const AuthContext& ctx, const std::string& id, const BotInput& input) {
  if (!orgs::can(ctx, orgs::Action::bots_manage)) return Error::forbidden("Viewers cannot change bots.");
  auto conn = db_.acquire();
  auto bot = store::find(*conn, ctx.org_id, id);
  if (!bot) return Error::not_found("No such bot.");
  bot->template_ids = templates::store::ids_for_bot(*conn, ctx.org_id, id);
  Bot before = *bot;
  apply(*bot, input);
  // Setting the model means choosing an allowed one; other changes (archiving, a new greeting
  // through the API) leave a model outside a newly restricted list alone.
  auto list = allowed_models_(ctx.org_id);
  if (input.model && !allowed(list, bot->model) && ai::valid_model_id(bot->model)) return model_not_allowed(list);
  bot->version += 1;
  bot->updated_at = clock_.now_ms();
  auto saved = save(ctx, *conn, *bot, &before, "bot.updated");
  if (saved) saved->model_allowed = allowed(list, saved->model);
  return saved;
}

Result<void> BotService::remove(const AuthContext& ctx, const std::string& id) {
  if (!orgs::can(ctx, orgs::Action::bots_manage)) return Error::forbidden("Viewers cannot delete bots.");
  auto conn = db_.acquire();
  auto bot = store::find(*conn, ctx.org_id, id);
  if (!bot) return Error::not_found("No such bot.");
  db::Transaction tx(*conn);
  store::remove(*conn, ctx.org_id, id);
  audit::record(*conn, ctx, ctx.org_id, "bot.deleted", {"bot", bot->id, bot->name}, clock_.now_ms(), audit_fields(*bot));
  tx.commit();
  if (changed_) changed_(bot->id);
  return {};
}

Result<Bot> BotService::duplicate(const AuthContext& ctx, const std::string& id) {
  if (!orgs::can(ctx, orgs::Action::bots_manage)) return Error::forbidden("Viewers cannot create bots.");
  auto conn = db_.acquire();
  auto bot = store::find(*conn, ctx.org_id, id);
  if (!bot) return Error::not_found("No such bot.");
  bot->template_ids = templates::store::ids_for_bot(*conn, ctx.org_id, id);
  std::int64_t now = clock_.now_ms();
  std::string base = bot->name.substr(0, 70);
  bot->name = base + " (copy)";
  for (int n = 2; store::name_taken(*conn, ctx.org_id, bot->name, ""); ++n)
    bot->name = base + " (copy " + std::to_string(n) + ")";
  bot->id = new_id("bot", now);
  bot->status = "active";
  bot->version = 1;
  bot->created_at = bot->updated_at = now;
  if (auto list = allowed_models_(ctx.org_id); !allowed(list, bot->model)) return model_not_allowed(list);
  return save(ctx, *conn, *bot, nullptr, "bot.duplicated");
}

}  // namespace sb::bots
