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

Reply ReplyEngine::reply(const ReplyRequest& r) {
  auto started = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  };
  Reply out;
  if (provider_.configured()) {
    auto completion = provider_.complete({r.bot.model, build_prompt(r), r.bot.temperature, r.bot.max_tokens});
    if (completion) {
      out.text = completion->text;
      out.source = "ai";
      out.model = completion->model;
      out.prompt_tokens = completion->prompt_tokens;
      out.completion_tokens = completion->completion_tokens;
      out.latency_ms = elapsed();
      return out;
    }
    out.error = completion.error().message;
    out.model = r.bot.model;
  } else if (const auto* t = match_template(r.templates, r.text)) {
    out.text = render_for(*t, r);
    out.source = "template";
    out.template_id = t->id;
    out.latency_ms = elapsed();
    return out;
  }
  out.text = r.bot.fallback_message;
  out.source = "fallback";
  out.latency_ms = elapsed();
  return out;
}

}  // namespace sb::ai
