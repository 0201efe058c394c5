// Reply engine.
#include "ai/reply_engine.hpp"

#include <chrono>

#include "templates/renderer.hpp"

namespace sb::ai {
namespace {

std::string formatting_hint(const std::string& platform) {
  if (platform == "twilio") return "Reply in plain text under 300 characters: it is read as an SMS.";
  if (platform == "slack") return "Slack mrkdwn is fine; keep replies short.";
  if (platform == "discord") return "Discord markdown is fine; keep replies under 1,500 characters.";
  if (platform == "whatsapp" || platform == "telegram" || platform == "messenger")
    return "Reply as a short chat message without headings or tables.";
  return "Reply as a short chat message in plain text.";
}

}  // namespace

const templates::Template* ReplyEngine::match_template(const std::vector<templates::Template>& list,
                                                       const std::string& text) {
  std::string normalized = templates::normalize(text);
  const templates::Template* best = nullptr;
  std::size_t best_length = 0;
  for (const auto& t : list)
    for (const auto& phrase : t.trigger_phrases) {
      std::string p = templates::normalize(phrase);
      if (p.size() > best_length && templates::phrase_matches(normalized, p)) {
        best = &t;
        best_length = p.size();
      }
    }
  return best;
}

std::string ReplyEngine::render_for(const templates::Template& t, const ReplyRequest& r) {
  std::map<std::string, std::string> defaults;
  for (const auto& v : t.variables) defaults[v.name] = v.default_value;
  auto variant = t.platform_variants.find(r.platform);
  const std::string& body = variant != t.platform_variants.end() ? variant->second : t.body;
  auto text = templates::render(body, {{"user_name", r.user_name}, {"bot_name", r.bot.name}, {"platform", r.platform}},
                                defaults);
  return text ? *text : t.body;  // stored bodies were validated; this only guards old rows
}

std::vector<ChatMessage> ReplyEngine::build_prompt(const ReplyRequest& r) {
  std::string system = r.bot.system_prompt;
  system += "\n\nYou are " + r.bot.name + ". Answer in the language with code \"" + r.bot.language + "\" unless the user writes in another language.";
  system += "\n" + formatting_hint(r.platform);
  if (!r.templates.empty()) {
    system += "\n\nApproved answers. When a question matches one, give its content faithfully:";
    for (const auto& t : r.templates) {
      system += "\n- ";
      if (!t.trigger_phrases.empty()) {
        system += "When asked about ";
        for (std::size_t i = 0; i < t.trigger_phrases.size(); ++i)
          system += (i ? ", \"" : "\"") + t.trigger_phrases[i] + "\"";
        system += ": ";
      }
      system += render_for(t, r);
    }
  }
  system += "\n\nIf you cannot help, say: " + r.bot.fallback_message;
  std::vector<ChatMessage> out{{"system", system}};
  std::size_t keep = static_cast<std::size_t>(r.bot.history_turns) * 2;
  std::size_t start = r.history.size() > keep ? r.history.size() - keep : 0;
  for (std::size_t i = start; i < r.history.size(); ++i) out.push_back(r.history[i]);
  out.push_back({"user", r.text});
  return out;
}

std::string ReplyEngine::fingerprint_for(const std::string& org_id) const {
  std::string key = key_for_(org_id);
  return key.empty() ? std::string() : key_fingerprint(dispatcher_.provider().base_url(), key);
}

Reply ReplyEngine::without_ai(const ReplyRequest& r) const {
  Reply out;
  if (const auto* t = match_template(r.templates, r.text)) {
    out.text = render_for(*t, r);
    out.source = "template";
    out.template_id = t->id;
    return out;
  }
  out.text = r.bot.fallback_message;
  out.source = "fallback";
  return out;
}

void ReplyEngine::reply_async(const ReplyRequest& r, bool stream, OnToken on_token, std::function<void(Reply)> done) {
  auto started = std::chrono::steady_clock::now();
  std::string key = key_for_(r.bot.org_id);
  // What answers instead when the model cannot: made now, while the request's data is at hand.
  Reply instead = without_ai(r);
  if (key.empty()) {
    done(std::move(instead));
    return;
  }
  instead.model = r.bot.model;
  dispatcher_.submit(
      r.bot.org_id, key, {r.bot.model, build_prompt(r), r.bot.temperature, r.bot.max_tokens}, stream,
      std::move(on_token),
      [started, instead = std::move(instead), done = std::move(done)](Result<Completion> completion) mutable {
        auto elapsed =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
        if (!completion) {
          instead.error = completion.error().message;
          const auto& details = completion.error().details;
          instead.interrupted = details.contains("interrupted") && details.at("interrupted").is_bool() &&
                                details.at("interrupted").as_bool();
          instead.latency_ms = elapsed;
          done(std::move(instead));
          return;
        }
        Reply out;
        out.text = std::move(completion->text);
        out.source = "ai";
        out.model = completion->model;
        out.prompt_tokens = completion->prompt_tokens;
        out.completion_tokens = completion->completion_tokens;
        out.cost_micros = completion->cost_micros;
        out.latency_ms = elapsed;
        done(std::move(out));
      });
}

}  // namespace sb::ai
