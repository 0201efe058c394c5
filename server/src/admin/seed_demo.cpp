// Demo data in bulk: a deterministic generator of conversations (who, when, how long, what was
// said and how it ended) and the multi-row writer that puts them straight into the raw tables.
// The SQL here is this feature's own (a bulk loader, the one writer of demo rows); the bots,
// templates, integrations and deployments go through their features' stores.
#include "admin/seed_demo.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "accounts/store.hpp"
#include "analytics/backfill.hpp"
#include "billing/store.hpp"
#include "bots/store.hpp"
#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "db/multi_row.hpp"
#include "deployments/store.hpp"
#include "integrations/store.hpp"
#include "orgs/store.hpp"
#include "templates/store.hpp"

namespace sb::admin {
namespace {

constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kDay = 24 * kHour;
constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kIdleEnds = 30 * kMinute;  // a conversation quiet this long shows as ended

// xoshiro256**, seeded through splitmix64: the same numbers from the same seed on every machine
// (the standard library's distributions are not specified bit for bit, so none are used).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& s : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      s = z ^ (z >> 31);
    }
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  std::int64_t below(std::int64_t n) { return n <= 1 ? 0 : static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(n)); }
  bool chance(double p) { return uniform() < p; }
  double normal() {  // Box–Muller, one of the pair
    double u1 = uniform();
    if (u1 < 1e-300) u1 = 1e-300;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * uniform());
  }
  // Long-tailed positive values: half of them below median.
  double lognormal(double median, double sigma) { return median * std::exp(sigma * normal()); }
  // Index into weights (not necessarily normalised).
  template <typename W>
  std::size_t pick(const W& weights) {
    double total = 0;
    for (double w : weights) total += w;
    double x = uniform() * total;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      x -= weights[i];
      if (x < 0) return i;
    }
    return weights.size() - 1;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

// The shape of new_id's ids (prefix, 10 characters of time, 16 more), the random part from rng.
std::string demo_id(std::string_view prefix, std::int64_t at, Rng& rng) {
  static constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
  std::string id;
  id.reserve(prefix.size() + 27);
  id += prefix;
  id += '_';
  char time_part[10];
  auto t = static_cast<std::uint64_t>(at);
  for (int i = 9; i >= 0; --i) {
    time_part[i] = kAlphabet[t & 31];
    t >>= 5;
  }
  id.append(time_part, 10);
  std::uint64_t r = rng.next();
  for (int i = 0; i < 12; ++i, r >>= 5) id += kAlphabet[r & 31];
  r = rng.next();
  for (int i = 0; i < 4; ++i, r >>= 5) id += kAlphabet[r & 31];
  return id;
}

// ---- What the demo organisation is made of ------------------------------------------------------

struct TemplateSpec {
  const char* name;
  const char* category;
  std::vector<const char*> triggers;  // empty: manual (the wrap-up)
  const char* body;
  const char* action;  // nullptr, "resolve"
  std::vector<const char*> asked;  // what people write that this template answers
};

struct ModelSpec {
  const char* model;
  double prompt_micros_per_token;
  double completion_micros_per_token;
};

struct BotSpec {
  const char* name;
  const char* description;
  const char* color;
  ModelSpec model;
  bool ask_satisfaction;
  double share;                                        // of all conversations
  std::vector<std::pair<const char*, double>> platforms;  // platform → share of this bot's conversations
  std::vector<TemplateSpec> templates;                  // the last one is the wrap-up (resolve action)
  double template_share, fallback_share;                // of replies; the rest come from the model
  double resolve_rate, convert_rate;
  const char* conversion_name;
  std::int64_t conversion_value_median;  // cents; 0: conversions without a value
  std::vector<const char*> questions;    // what the model is asked
  std::vector<const char*> answers;      // what the model answers (a sample)
  std::vector<const char*> unanswered;   // what only the fallback meets, most asked first
  const char* origin;                    // the web chat's page
};

const std::vector<BotSpec>& bot_specs() {
  static const std::vector<BotSpec> specs = {
      {"Shop Assistant", "Answers Northwind Outfitters' customers: orders, sizes, shipping, returns.", "#4f46e5",
       {"openai/gpt-4o-mini", 0.15, 0.60}, true, 0.60,
       {{"webchat", 32}, {"whatsapp", 28}, {"messenger", 16}, {"telegram", 10}, {"twilio", 9}, {"discord", 5}},
       {{"Shipping times", "Orders", {"how long does shipping take", "delivery time"},
         "Orders leave our warehouse within 1 business day; delivery takes 2–4 days in the EU.", nullptr,
         {"How long does shipping take?", "what's the delivery time to Austria", "How long does shipping take to Spain?"}},
        {"Order status", "Orders", {"where is my order", "track my order"},
         "You can follow your parcel here: https://northwind.example/track — enter your order number.", nullptr,
         {"Where is my order?", "where is my order??", "Can I track my order?"}},
        {"Returns", "Orders", {"return policy", "how do I return"},
         "You have 30 days to return anything unworn. Start a return at https://northwind.example/returns.", nullptr,
         {"What is your return policy?", "How do I return these boots?"}},
        {"Payment methods", "Billing", {"payment methods", "pay with paypal"},
         "We take cards, PayPal, Apple Pay and Klarna.", nullptr, {"Which payment methods do you accept?", "Can I pay with PayPal?"}},
        {"Opening hours", "Store", {"opening hours", "when are you open"},
         "Our Hamburg store is open Mon–Sat 10:00–19:00.", nullptr, {"What are your opening hours?", "When are you open on Saturday?"}},
        {"Wrap-up", "General", {}, "Happy to help! I'll close this chat — write any time if anything else comes up.",
         "resolve", {"ok thank you", "great, thanks"}}},
       0.24, 0.08, 0.50, 0.08, "purchase", 6500,
       {"Do you have the Ridge trail runner in size 44?", "Is the Storm rain jacket waterproof or only water resistant?",
        "Can I change the delivery address on my order?", "What's the difference between the Alpine 2 and the Summit 2 tent?",
        "Which sleeping bag is warm enough for -5°C?", "My discount code WELCOME10 doesn't work",
        "Can I still cancel the order I placed yesterday?", "Are the merino socks machine washable?",
        "Do the hiking boots run small?", "I got the wrong colour, what now?", "Is the 40L backpack carry-on size?",
        "When will the Glacier fleece be back in stock?"},
       {"Yes — the Ridge is in stock in 44; the fit is true to size, so 44 should be right if that's your usual.",
        "The Storm jacket is fully waterproof (20,000 mm) with taped seams, so it's fine for a full day of rain.",
        "I can change it as long as the order hasn't shipped. Could you send me your order number?",
        "The Summit 2 is a 4-season tent with a stronger frame; the Alpine 2 is lighter and best from spring to autumn.",
        "For -5°C I'd recommend the Polar 700: comfort rated to -7°C.",
        "WELCOME10 works on first orders over €50 — is your basket above that?",
        "Orders can be cancelled until they ship. I've checked: yours hasn't, so I can cancel it now.",
        "They are: 30°C wool cycle, and lay them flat to dry."},
       {"Can I speak to a human?", "Do you have a student discount?", "Why was I charged twice?",
        "My package says delivered but it isn't here", "Do you price match?", "Can I pay in instalments?",
        "Do you offer gift wrapping?", "Is the Black Friday sale still on?", "Can I pick up my order in store?",
        "Do you ship to the Canary Islands?", "Can I get an invoice with my company name?", "Is there a loyalty program?"},
       "https://www.northwind.example"},
      {"Booking Helper", "Books, moves and cancels appointments at Harbor Dental.", "#0d9488",
       {"anthropic/claude-3.5-haiku", 0.80, 4.00}, true, 0.28,
       {{"webchat", 35}, {"whatsapp", 30}, {"twilio", 25}, {"messenger", 10}},
       {{"Book an appointment", "Appointments", {"book an appointment", "make an appointment"},
         "You can pick a time here: https://harbor-dental.example/book — or tell me a day that suits you.", nullptr,
         {"I'd like to book an appointment", "Can I make an appointment for next week?"}},
        {"Cancel an appointment", "Appointments", {"cancel my appointment"},
         "No problem — reply with your appointment date and I'll cancel it. Cancelling is free up to 24 hours before.",
         nullptr, {"I need to cancel my appointment", "please cancel my appointment tomorrow"}},
        {"Prices", "Billing", {"how much does", "prices"},
         "A check-up with cleaning is €89; whitening starts at €249. The full list: https://harbor-dental.example/prices",
         nullptr, {"How much does a cleaning cost?", "What are your prices?"}},
        {"Practice hours", "Practice", {"opening hours", "when are you open"},
         "We're open Mon–Fri 8:00–18:00 and Sat 9:00–13:00.", nullptr, {"What are your opening hours?"}},
        {"Booking confirmed", "General", {}, "Great, you're all set. See you soon at Harbor Dental!", "resolve",
         {"perfect, thanks", "ok thanks"}}},
       0.36, 0.10, 0.55, 0.14, "appointment_booked", 0,
       {"Do you have anything on Thursday afternoon?", "Can I move my appointment from Monday to Wednesday?",
        "My tooth hurts since yesterday, can someone see me today?", "Is Dr. Meyer available next week?",
        "Do I need to bring anything to my first visit?", "How long does a cleaning take?",
        "Can my son come to the same appointment?"},
       {"Thursday at 15:30 and 16:15 are free. Shall I book one of them for you?",
        "Done — you're now booked for Wednesday at 10:00 instead of Monday.",
        "I'm sorry to hear that. We keep emergency slots every day; 11:45 today is free — shall I book it?",
        "Dr. Meyer has openings on Tuesday morning and Friday afternoon.",
        "Just your insurance card and a list of any medication you take."},
       {"Do you accept my insurance?", "Is there parking near the practice?", "Can I speak to a human?",
        "Can I book for someone else?", "Do you do braces for adults?", "Can I pay in instalments?",
        "Is the practice wheelchair accessible?"},
       "https://harbor-dental.example"},
      {"IT Helpdesk", "First line IT support for the Northwind team.", "#ea580c",
       {"openai/gpt-4o", 2.50, 10.00}, false, 0.12,
       {{"slack", 75}, {"discord", 5}, {"webchat", 20}},
       {{"Reset password", "Accounts", {"reset my password", "forgot password"},
         "Reset it at https://id.northwind.example/reset — the link in the mail is valid for 30 minutes.", nullptr,
         {"How do I reset my password?", "I forgot my password"}},
        {"VPN setup", "Network", {"vpn"},
         "Install the client from https://it.northwind.example/vpn and sign in with your usual account.", nullptr,
         {"How do I connect to the VPN?", "vpn doesn't work from home"}},
        {"New laptop", "Hardware", {"new laptop"},
         "Request one in the IT portal under Hardware → Laptop; approval takes about two days.", nullptr,
         {"How do I request a new laptop?"}},
        {"Ticket closed", "General", {}, "Glad that's sorted. I'll close this ticket.", "resolve", {"works now, thanks"}}},
       0.22, 0.14, 0.60, 0.0, nullptr, 0,
       {"Outlook keeps asking for my password", "How do I share my calendar with the team?",
        "My second monitor isn't detected", "Can I install Docker on my work laptop?",
        "Teams calls drop every few minutes", "How do I add someone to the #sales channel?"},
       {"That usually means a stale token: sign out of Outlook, quit it, and sign in again.",
        "In Outlook, right-click your calendar → Sharing and permissions → add the team's group.",
        "Try the other port first; if it's USB-C, the dock may need its firmware update from the IT portal.",
        "Yes — Docker Desktop is on the approved list; install it from Self Service."},
       {"The printer on floor 3 is offline", "How do I get access to the finance share?", "Can I speak to a human?",
        "Can I use my own laptop for work?", "Why is the wifi so slow in room B2?"},
       "https://intranet.northwind.example"},
  };
  return specs;
}

const std::map<std::string, std::string>& platform_labels() {
  static const std::map<std::string, std::string> labels = {
      {"webchat", "Web chat"}, {"whatsapp", "WhatsApp"}, {"messenger", "Messenger"}, {"telegram", "Telegram"},
      {"twilio", "SMS"},       {"discord", "Discord"},   {"slack", "Slack"}};
  return labels;
}

constexpr std::array<const char*, 24> kFirstNames = {
    "Anna", "Ben", "Clara", "David", "Elif", "Finn", "Greta", "Hugo", "Ines", "Jonas", "Kaja", "Luca",
    "Mia", "Noah", "Olga", "Paul", "Rosa", "Sami", "Tara", "Umut", "Vera", "Wim", "Yara", "Zoe"};
constexpr std::array<const char*, 20> kLastNames = {
    "Becker", "Costa", "Dubois", "Evans", "Fischer", "García", "Hansen", "Ivanova", "Jensen", "Kowalski",
    "Larsen", "Moreau", "Novak", "Öztürk", "Peters", "Rossi", "Schmidt", "Tanaka", "Weber", "Yilmaz"};

// What a user writes that matches one of the default resolution phrases (0026), whole words.
constexpr std::array<const char*, 5> kResolvedByUser = {
    "Thanks, that solved it!", "That helped, thank you", "Problem solved 👍", "All good now, cheers", "ok that helped"};
constexpr std::array<const char*, 4> kThanksAnswers = {
    "Glad I could help! Have a great day.", "You're welcome — happy to help.", "Great to hear! Anything else?",
    "Perfect. Write any time if something comes up."};

// UTC hour of day → how busy (a European audience with an American evening tail).
constexpr std::array<double, 24> kHourOfDay = {0.16, 0.11, 0.08, 0.07, 0.08, 0.14, 0.32, 0.58, 0.84, 1.00, 1.06, 1.02,
                                               0.96, 1.00, 1.02, 0.97, 0.92, 0.91, 0.95, 1.00, 0.92, 0.72, 0.46, 0.27};
// Monday … Sunday.
constexpr std::array<double, 7> kDayOfWeek = {1.00, 1.03, 1.00, 0.97, 0.90, 0.62, 0.55};

std::string pad(std::uint64_t v, int width) {
  std::string s = std::to_string(v);
  if (static_cast<int>(s.size()) < width) s.insert(0, static_cast<std::size_t>(width - static_cast<int>(s.size())), '0');
  return s;
}

// A person's id on a platform, in the platform's own shape; the same index is the same person.
std::string external_user_id(const std::string& platform, std::uint64_t idx) {
  if (platform == "telegram") return std::to_string(500000000ULL + idx * 7ULL);
  if (platform == "whatsapp") {
    static constexpr std::array<const char*, 5> cc = {"49151", "44770", "33612", "34612", "31612"};
    return std::string(cc[idx % 5]) + pad(idx / 5 + 1000000, 7);
  }
  if (platform == "messenger") return "7" + pad(idx * 104729ULL + 3, 15);
  if (platform == "twilio") {
    static constexpr std::array<const char*, 4> area = {"+1415", "+1212", "+1312", "+4477"};
    return std::string(area[idx % 4]) + pad(idx / 4 + 2000000, 7);
  }
  if (platform == "discord") return "81" + pad(idx * 7919ULL + 11, 16);
  if (platform == "slack") {
    static constexpr char kUpper[] = "0123456789ABCDEFGHJKLMNPQRSTVWXYZ";
    std::string s = "U0";
    std::uint64_t v = idx * 2654435761ULL + 17;
    for (int i = 0; i < 9; ++i, v /= 32) s += kUpper[v % 32];
    return s;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(idx * 0x9e3779b97f4a7c15ULL));
  return std::string("v_") + hex;  // a web chat visitor
}

std::string display_name(const std::string& platform, std::uint64_t idx) {
  std::uint64_t h = idx * 0x9e3779b97f4a7c15ULL + platform.size() * 31;
  std::string name = std::string(kFirstNames[(h >> 20) % kFirstNames.size()]);
  if (platform == "twilio") return name.empty() ? "" : std::string(external_user_id(platform, idx));  // SMS: a number
  if (platform == "webchat" && (h >> 40) % 3 != 0) return "Visitor " + pad(idx % 10000, 4);
  return name + " " + kLastNames[(h >> 30) % kLastNames.size()];
}

// ---- The rows ---------------------------------------------------------------------------------------

struct SessionRow {
  std::string id, bot_id, deployment_id, platform, external_user_id, display_name, status;
  std::int64_t started_at = 0, last_message_at = 0;
  std::optional<std::int64_t> first_response_at, resolved_at, satisfaction_score, converted_at, rating_asked_at, rated_at;
  std::optional<std::string> resolved_by;
  std::int64_t user_messages = 0, fallback_replies = 0;
};

struct MessageRow {
  std::string id, session_id;
  const char* direction;
  std::string_view text;  // points into the catalogue (static) or the bot's fallback message
  const char* source = nullptr;
  const char* model = nullptr;
  std::optional<std::int64_t> prompt_tokens, completion_tokens, latency_ms, cost_micros;
  const std::string* template_id = nullptr;
  std::int64_t created_at = 0;
};

struct ConversionRow {
  std::string id, session_id, name;
  std::optional<std::int64_t> value_cents;
  const char* source;
  std::optional<std::string> external_id;
  std::int64_t created_at = 0;
};

struct Batch {
  std::vector<SessionRow> sessions;
  std::vector<MessageRow> messages;
  std::vector<ConversionRow> conversions;
  void clear() {
    sessions.clear();
    messages.clear();
    conversions.clear();
  }
};

// One deployment as the generator sees it.
struct Target {
  std::size_t bot;
  std::string platform;
  std::string deployment_id;
  double weight;
};

struct SetUp {
  std::vector<std::string> bot_ids;
  std::vector<std::string> fallback_messages;
  std::vector<std::vector<std::string>> template_ids;  // by bot, in spec order
  std::vector<Target> targets;
};

// ---- Writing --------------------------------------------------------------------------------------

class Writer {
 public:
  explicit Writer(const std::string& org_id) : org_id_(org_id) {}

  void write(db::Connection& conn, const Batch& b) {
    static const db::MultiRowInsert sessions(
        "INSERT INTO conversation_sessions (id, org_id, bot_id, deployment_id, platform, external_user_id, display_name, "
        "started_at, last_message_at, first_response_at, resolved_at, status, satisfaction_score, resolved_by, "
        "user_messages, fallback_replies, converted_at, rating_asked_at, rated_at)",
        19, "", 100);
    static const db::MultiRowInsert messages(
        "INSERT INTO messages (id, org_id, session_id, direction, text, source, model, prompt_tokens, completion_tokens, "
        "latency_ms, error, created_at, cost_micros, template_id)",
        14, "", 150);
    static const db::MultiRowInsert conversions(
        "INSERT INTO conversions (id, org_id, session_id, name, value_cents, source, external_id, created_at)", 8, "", 100);
    const std::string& org = org_id_;
    sessions.insert(conn, b.sessions, [&](std::vector<db::ValueRef>& p, const SessionRow& s) {
      p.insert(p.end(), {s.id, org, s.bot_id, s.deployment_id, s.platform, s.external_user_id, s.display_name,
                         s.started_at, s.last_message_at, db::ref(s.first_response_at), db::ref(s.resolved_at), s.status,
                         db::ref(s.satisfaction_score), db::ref(s.resolved_by), s.user_messages, s.fallback_replies,
                         db::ref(s.converted_at), db::ref(s.rating_asked_at), db::ref(s.rated_at)});
    });
    messages.insert(conn, b.messages, [&](std::vector<db::ValueRef>& p, const MessageRow& m) {
      auto cstr = [](const char* v) { return v ? db::ValueRef(std::string_view(v)) : db::ValueRef(nullptr); };
      p.insert(p.end(), {m.id, org, m.session_id, std::string_view(m.direction), m.text, cstr(m.source), cstr(m.model),
                         db::ref(m.prompt_tokens), db::ref(m.completion_tokens), db::ref(m.latency_ms), nullptr,
                         m.created_at, db::ref(m.cost_micros),
                         m.template_id ? db::ValueRef(*m.template_id) : db::ValueRef(nullptr)});
    });
    conversions.insert(conn, b.conversions, [&](std::vector<db::ValueRef>& p, const ConversionRow& c) {
      p.insert(p.end(), {c.id, org, c.session_id, c.name, db::ref(c.value_cents), std::string_view(c.source),
                         db::ref(c.external_id), c.created_at});
    });
  }

 private:
  std::string org_id_;
};

// ---- Generating -----------------------------------------------------------------------------------

enum class Source { ai, template_, fallback };

class Generator {
 public:
  Generator(const SetUp& setup, const SeedDemoOptions& o, std::int64_t begin)
      : setup_(setup), rng_(o.seed), now_(o.now_ms), begin_(begin), run_tag_(tag(o.seed)) {
    // People per platform: about 55 % of the conversations' worth, some of them returning often.
    std::map<std::string, double> share;
    double total = 0;
    for (const auto& t : setup_.targets) total += t.weight;
    for (const auto& t : setup_.targets) share[t.platform] += t.weight / total;
    for (const auto& [p, s] : share)
      people_[p] = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(o.conversations * s * 0.55)));
    for (const auto& t : setup_.targets) weights_.push_back(t.weight);
  }

  // One conversation that starts at `start`, into batch.
  void conversation(std::int64_t start, Batch& batch) {
    const Target& target = setup_.targets[rng_.pick(weights_)];
    const BotSpec& bot = bot_specs()[target.bot];
    SessionRow s;
    s.id = demo_id("cnv", start, rng_);
    s.bot_id = setup_.bot_ids[target.bot];
    s.deployment_id = target.deployment_id;
    s.platform = target.platform;
    // Some people come back again and again: low indices are drawn far more often.
    const auto person = static_cast<std::uint64_t>(std::floor(people_[target.platform] * std::pow(rng_.uniform(), 2.0)));
    s.external_user_id = external_user_id(target.platform, person);
    s.display_name = display_name(target.platform, person);
    s.started_at = start;

    // How long: a quarter ask one thing; the rest a few turns, some many (long tail).
    int turns = rng_.chance(0.26) ? 1 : 2 + static_cast<int>(std::floor(rng_.lognormal(3.3, 0.8)));
    turns = std::min(turns, 80);
    // How it is meant to end; a fallback on the way makes a good ending less likely.
    bool resolve = rng_.chance(bot.resolve_rate * (turns == 1 ? 0.4 : 1.0));
    const char* kind = nullptr;
    if (resolve) {
      double k = rng_.uniform();
      kind = k < 0.35 ? "user" : k < 0.60 ? "bot" : k < 0.85 ? "operator" : "api";
      if (turns == 1 && std::string_view(kind) == "user") kind = "operator";
    }
    std::vector<Source> sources(static_cast<std::size_t>(turns));
    bool had_fallback = false;
    for (auto& src : sources) {
      double r = rng_.uniform();
      src = r < bot.fallback_share ? Source::fallback : r < bot.fallback_share + bot.template_share ? Source::template_ : Source::ai;
      if (src == Source::fallback) had_fallback = true;
    }
    if (resolve && had_fallback && rng_.chance(0.55)) resolve = false, kind = nullptr;
    // The last turn says how it ended when the user or the bot ended it.
    const bool by_user = kind && std::string_view(kind) == "user";
    const bool by_bot = kind && std::string_view(kind) == "bot";
    if (by_user) sources.back() = Source::ai;

    const std::vector<std::string>& templates = setup_.template_ids[target.bot];
    const std::size_t wrap_up = templates.size() - 1;
    std::int64_t t = start;
    std::int64_t fallback_count = 0, user_count = 0;
    std::int64_t last = start;
    bool cut = false;  // the data ends before the conversation does
    for (int i = 0; i < turns; ++i) {
      if (t >= now_) {
        cut = true;
        break;
      }
      const bool final_turn = i == turns - 1;
      Source src = sources[static_cast<std::size_t>(i)];
      MessageRow in;
      in.id = demo_id("msg", t, rng_);
      in.session_id = s.id;
      in.direction = "in";
      in.created_at = t;
      MessageRow out;
      out.session_id = s.id;
      out.direction = "out";
      std::int64_t delay = 0;
      std::size_t tpl = 0;
      if (final_turn && by_bot) {
        tpl = wrap_up;
        src = Source::template_;
      } else if (src == Source::template_) {
        tpl = zipf(wrap_up, 0.8);
      }
      if (final_turn && by_user) {
        in.text = kResolvedByUser[static_cast<std::size_t>(rng_.below(kResolvedByUser.size()))];
      } else if (src == Source::fallback) {
        in.text = bot.unanswered[zipf(bot.unanswered.size(), 1.1)];
      } else if (src == Source::template_) {
        const auto& asked = bot.templates[tpl].asked;
        in.text = asked[static_cast<std::size_t>(rng_.below(static_cast<std::int64_t>(asked.size())))];
      } else {
        in.text = bot.questions[static_cast<std::size_t>(rng_.below(static_cast<std::int64_t>(bot.questions.size())))];
      }
      switch (src) {
        case Source::ai: {
          delay = std::max<std::int64_t>(350, std::llround(rng_.lognormal(1800, 0.5)));
          out.source = "ai";
          out.model = bot.model.model;
          out.text = final_turn && by_user ? kThanksAnswers[static_cast<std::size_t>(rng_.below(kThanksAnswers.size()))]
                                           : bot.answers[static_cast<std::size_t>(rng_.below(static_cast<std::int64_t>(bot.answers.size())))];
          const std::int64_t prompt = 260 + 140 * i + rng_.below(120);
          const std::int64_t completion = std::clamp<std::int64_t>(std::llround(rng_.lognormal(110, 0.5)), 12, 800);
          out.prompt_tokens = prompt;
          out.completion_tokens = completion;
          out.cost_micros = std::llround(prompt * bot.model.prompt_micros_per_token +
                                         completion * bot.model.completion_micros_per_token);
          out.latency_ms = delay;
          break;
        }
        case Source::template_:
          delay = std::max<std::int64_t>(20, std::llround(rng_.lognormal(140, 0.45)));
          out.source = "template";
          out.text = bot.templates[tpl].body;
          out.template_id = &templates[tpl];
          break;
        case Source::fallback:
          delay = std::max<std::int64_t>(20, std::llround(rng_.lognormal(240, 0.45)));
          out.source = "fallback";
          out.text = setup_.fallback_messages[target.bot];
          ++fallback_count;
          break;
      }
      // Now and then the first answer waits on a backlog or a platform's rate limit.
      if (i == 0 && rng_.chance(0.03)) delay += std::llround(rng_.lognormal(20000, 1.0));
      ++user_count;
      last = t;
      batch.messages.push_back(std::move(in));
      const std::int64_t answered = t + delay;
      if (answered >= now_) {
        cut = true;
        break;  // still waiting for its answer
      }
      out.id = demo_id("msg", answered, rng_);
      out.created_at = answered;
      if (!s.first_response_at) s.first_response_at = answered;
      if (final_turn && by_user) s.resolved_at = t;
      if (final_turn && by_bot) s.resolved_at = answered;
      batch.messages.push_back(std::move(out));
      last = answered;
      // The person reads, thinks, writes back.
      t = answered + std::max<std::int64_t>(2000, std::llround(rng_.lognormal(35000, 1.0)));
    }
    s.user_messages = user_count;
    s.fallback_replies = fallback_count;
    s.last_message_at = last;
    const bool ended = !cut && now_ - last > kIdleEnds;
    s.status = ended ? "ended" : "open";
    if (s.resolved_at) {
      s.resolved_by = kind;
    } else if (resolve && !cut && kind && (std::string_view(kind) == "operator" || std::string_view(kind) == "api")) {
      const std::int64_t at = last + std::llround(rng_.lognormal(std::string_view(kind) == "operator" ? 900000 : 180000, 0.9));
      if (at < now_) {
        s.resolved_at = at;
        s.resolved_by = kind;
      }
    }
    // Conversions: more likely after a good ending; a few people convert twice.
    if (bot.conversion_name && !cut &&
        rng_.chance(bot.convert_rate * (s.resolved_at ? 1.6 : 0.7) * (user_count >= 2 ? 1.0 : 0.3))) {
      const std::int64_t at = last + std::llround(rng_.lognormal(240000, 1.0));
      if (at < now_) {
        s.converted_at = at;
        add_conversion(batch, s, bot, at, bot.conversion_name, bot.conversion_value_median);
        const std::int64_t again = at + std::llround(rng_.lognormal(60000, 1.0));
        if (rng_.chance(0.08) && again < now_) add_conversion(batch, s, bot, again, "newsletter_signup", 0);
      }
    }
    // The web chat asks for a rating when the bot says so; about a third answer, mostly kindly.
    if (ended && bot.ask_satisfaction && target.platform == "webchat" && rng_.chance(0.85)) {
      const std::int64_t asked = last + 1500;
      if (asked < now_) {
        s.rating_asked_at = asked;
        const std::int64_t rated = asked + std::llround(rng_.lognormal(40000, 0.8));
        if (rng_.chance(0.38) && rated < now_) {
          s.rated_at = rated;
          static constexpr std::array<double, 5> good = {3, 3, 8, 26, 60}, poor = {18, 14, 20, 24, 24},
                                                 usual = {8, 7, 15, 30, 40};
          s.satisfaction_score =
              1 + static_cast<std::int64_t>(rng_.pick(s.resolved_at ? good : fallback_count ? poor : usual));
        }
      }
    }
    batch.sessions.push_back(std::move(s));
  }

 private:
  // 0 … n-1, the first most often (weights 1/(i+1)^s).
  std::size_t zipf(std::size_t n, double s) {
    if (n <= 1) return 0;
    std::vector<double>& w = zipf_cache_[n * 100 + static_cast<std::size_t>(s * 10)];
    if (w.empty())
      for (std::size_t i = 0; i < n; ++i) w.push_back(1.0 / std::pow(static_cast<double>(i + 1), s));
    return rng_.pick(w);
  }

  void add_conversion(Batch& batch, const SessionRow& s, const BotSpec& bot, std::int64_t at, const char* name,
                      std::int64_t value_median) {
    ConversionRow c;
    c.id = demo_id("cvn", at, rng_);
    c.session_id = s.id;
    c.name = name;
    if (value_median > 0) c.value_cents = std::max<std::int64_t>(500, std::llround(rng_.lognormal(value_median, 0.7) / 100.0) * 100 - 1);
    (void)bot;
    if (rng_.chance(0.85)) {
      c.source = "api";
      c.external_id = "demo-" + run_tag_ + "-" + std::to_string(++conversions_);
    } else {
      c.source = "template";
    }
    c.created_at = at;
    batch.conversions.push_back(std::move(c));
  }

  static std::string tag(std::uint64_t seed) {
    Rng r(seed ^ 0x5eedULL);
    std::string s;
    for (int i = 0; i < 6; ++i) s += "abcdefghjkmnpqrstvwxyz"[r.next() % 22];
    return s;
  }

  const SetUp& setup_;
  Rng rng_;
  std::int64_t now_, begin_;
  std::string run_tag_;
  std::map<std::string, std::int64_t> people_;
  std::vector<double> weights_;
  std::map<std::size_t, std::vector<double>> zipf_cache_;
  std::int64_t conversions_ = 0;
};

// How many conversations start in each hour of [begin, now): daily and weekly rhythm, slow growth,
// day-to-day noise and one campaign day; the counts add up to `total` exactly.
std::vector<std::int64_t> hourly_counts(std::int64_t begin, std::int64_t now, std::int64_t total, Rng& rng) {
  const std::int64_t hours = (now - begin + kHour - 1) / kHour;
  const std::int64_t days = (hours + 23) / 24;
  std::vector<double> day_noise(static_cast<std::size_t>(days));
  for (auto& d : day_noise) d = std::exp(0.12 * rng.normal());
  const std::int64_t campaign_day = days > 30 ? days - 23 : -1;
  std::vector<double> w(static_cast<std::size_t>(hours));
  double sum = 0;
  for (std::int64_t h = 0; h < hours; ++h) {
    const std::int64_t start = begin + h * kHour;
    const std::int64_t unix_day = start / kDay;
    const auto hour_of_day = static_cast<std::size_t>((start % kDay) / kHour);
    const auto dow = static_cast<std::size_t>((unix_day + 3) % 7);  // 1970-01-01 was a Thursday
    const std::int64_t d = h / 24;
    double weight = kHourOfDay[hour_of_day] * kDayOfWeek[dow] * (0.85 + 0.30 * static_cast<double>(h) / static_cast<double>(hours)) *
                    day_noise[static_cast<std::size_t>(d)] * (d == campaign_day ? 1.9 : 1.0);
    if (start + kHour > now) weight *= static_cast<double>(now - start) / kHour;  // the hour under way
    w[static_cast<std::size_t>(h)] = weight;
    sum += weight;
  }
  std::vector<std::int64_t> counts(w.size());
  double cum = 0;
  std::int64_t given = 0;
  for (std::size_t h = 0; h < w.size(); ++h) {
    cum += w[h];
    const std::int64_t upto = h + 1 == w.size() ? total : std::llround(static_cast<double>(total) * cum / sum);
    counts[h] = std::max<std::int64_t>(0, upto - given);
    given += counts[h];
  }
  return counts;
}

// ---- The organisation and what it runs -------------------------------------------------------------

Result<std::string> resolve_org(db::Connection& conn, const SeedDemoOptions& o, std::int64_t now) {
  if (o.org_id) {
    auto ids = billing::store::find_org_ids(conn, *o.org_id);
    if (ids.empty()) return Error::not_found("No organization has the id or name '" + *o.org_id + "'.");
    if (ids.size() > 1)
      return Error::conflict(std::to_string(ids.size()) + " organizations are called '" + *o.org_id +
                             "'; give the id (org_…) instead.");
    return ids.front();
  }
  std::optional<std::string> owner;
  if (o.owner_email) {
    auto user = accounts::store::find_user_by_email(conn, *o.owner_email);
    if (!user) return Error::validation({{"owner", "No user has the email " + *o.owner_email + "."}});
    owner = user->id;
  }
  orgs::Organization org{new_id("org", now), *o.create_org, owner, now, now};
  orgs::store::insert_organization(conn, org);
  if (owner) orgs::store::insert_member(conn, org.id, *owner, "owner", now);
  return org.id;
}

SetUp set_up(db::Connection& conn, const std::string& org_id, const SeedDemoOptions& o, std::int64_t at, Rng& rng) {
  SetUp out;
  // Names are unique in an organisation: a second seeding's bots, templates and integrations say
  // which seed they come from.
  auto unique = [&](std::string name, auto taken) {
    if (taken(name)) name += " (seed " + std::to_string(o.seed) + ")";
    return name;
  };
  std::map<std::string, std::string> integration_of;  // "bot/platform" → integration id
  for (std::size_t b = 0; b < bot_specs().size(); ++b) {
    const BotSpec& spec = bot_specs()[b];
    std::vector<std::string> ids;
    for (const auto& ts : spec.templates) {
      templates::Template t;
      t.id = demo_id("tpl", at, rng);
      t.org_id = org_id;
      t.name = unique(ts.name, [&](const std::string& n) { return templates::store::name_taken(conn, org_id, n, ""); });
      t.category = ts.category;
      for (const char* p : ts.triggers) t.trigger_phrases.push_back(p);
      t.body = ts.body;
      t.manual = ts.triggers.empty();
      t.created_at = t.updated_at = at;
      templates::store::insert(conn, t);
      if (ts.action)
        conn.execute("UPDATE templates SET action = $3 WHERE org_id = $1 AND id = $2", {org_id, t.id, std::string(ts.action)});
      ids.push_back(t.id);
    }
    bots::Bot bot;
    bot.id = demo_id("bot", at, rng);
    bot.org_id = org_id;
    bot.name = unique(spec.name, [&](const std::string& n) { return bots::store::name_taken(conn, org_id, n, ""); });
    bot.description = spec.description;
    bot.avatar_color = spec.color;
    bot.model = spec.model.model;
    bot.ask_satisfaction = spec.ask_satisfaction;
    bot.template_ids = ids;
    bot.created_at = bot.updated_at = at;
    bots::store::insert(conn, bot);
    templates::store::attach(conn, org_id, bot.id, ids);
    out.bot_ids.push_back(bot.id);
    out.fallback_messages.push_back(bot.fallback_message);
    out.template_ids.push_back(ids);

    for (const auto& [platform, share] : spec.platforms) {
      deployments::Deployment d;
      d.id = demo_id("dep", at, rng);
      d.org_id = org_id;
      d.bot_id = bot.id;
      d.channel = platform;
      if (std::string_view(platform) != "webchat") {
        integrations::Integration i;
        i.id = demo_id("int", at, rng);
        i.org_id = org_id;
        i.platform = platform;
        i.name = unique(std::string(spec.name) + " on " + platform_labels().at(platform),
                        [&](const std::string& n) { return integrations::store::name_taken(conn, org_id, n, ""); });
        i.credentials_sealed = crypto::seal(o.master_key, "{}", i.id);
        i.credentials_key_id = crypto::key_id(o.master_key);
        i.status = "unverified";
        i.status_reason = "Demo data: no account at the platform is connected.";
        i.created_at = i.updated_at = at;
        integrations::store::insert(conn, i);
        d.integration_id = i.id;
      } else {
        d.allowed_origins = {spec.origin};
      }
      d.key = crypto::to_hex(std::to_string(rng.next()) + std::to_string(rng.next())).substr(0, 32);
      d.created_at = d.updated_at = at;
      deployments::store::insert(conn, d);
      out.targets.push_back({b, platform, d.id, spec.share * share});
    }
  }
  return out;
}

// Whether this PostgreSQL user may turn off the foreign-key triggers of its own session (a
// superuser may, as pg_restore --disable-triggers does). The demo rows refer only to rows written
// just before them, so the per-row checks prove nothing here and cost a lookup each.
bool may_skip_foreign_key_checks(db::Database& db) {
  auto conn = db.acquire();
  try {
    conn->execute("SET session_replication_role = replica");
    conn->execute("RESET session_replication_role");
    return true;
  } catch (const db::DbError&) {
    return false;
  }
}

// PostgreSQL settings of one bulk transaction: the text-search index (GIN) gathers new entries in a
// larger pending list and merges them in fewer, bigger steps; no wait for the commit's WAL flush
// (the last batch is flushed by the next checkpoint or the next durable commit).
void bulk_load_settings(db::Connection& conn, bool skip_checks) {
  conn.execute("SET LOCAL gin_pending_list_limit = '64MB'");
  conn.execute("SET LOCAL synchronous_commit = off");
  if (skip_checks) conn.execute("SET LOCAL session_replication_role = replica");
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

Result<SeedDemoResult> seed_demo(db::Database& db, const SeedDemoOptions& o) {
  std::map<std::string, std::string> errors;
  if (o.org_id.has_value() == o.create_org.has_value()) errors["org"] = "Give either --org or --create-org.";
  if (o.create_org && o.create_org->empty()) errors["create_org"] = "The organization needs a name.";
  if (o.owner_email && !o.create_org) errors["owner"] = "An owner is given only with --create-org.";
  if (o.conversations < 1 || o.conversations > 100'000'000) errors["conversations"] = "From 1 to 100,000,000.";
  if (o.days < 1 || o.days > 730) errors["days"] = "From 1 to 730.";
  if (o.master_key.size() != 32) errors["master_key"] = "The master key is needed to seal the demo integrations.";
  if (o.batch_conversations < 0) errors["batch"] = "0 (the default) or more.";
  if (!errors.empty()) return Error::validation(errors);
  auto say = [&](const std::string& line) {
    if (o.progress) o.progress(line);
  };

  const auto t0 = std::chrono::steady_clock::now();
  const std::int64_t now = o.now_ms;
  const std::int64_t begin = now - static_cast<std::int64_t>(o.days) * kDay;
  Rng setup_rng(o.seed ^ 0xdeadbeefULL);
  SeedDemoResult result;
  SetUp setup;
  {
    auto conn = db.acquire();
    db::Transaction tx(*conn);
    auto org = resolve_org(*conn, o, now);
    if (!org) return org.error();
    result.org_id = *org;
    try {
      setup = set_up(*conn, result.org_id, o, begin, setup_rng);
    } catch (const db::DbError& e) {
      if (!e.constraint_violation()) throw;
      return Error::conflict("Demo data from seed " + std::to_string(o.seed) +
                             " is already in this database; give another --seed.");
    }
    tx.commit();
  }
  say("Organization " + result.org_id + ": 3 bots, " + std::to_string(setup.targets.size()) +
      " deployments; writing " + std::to_string(o.conversations) + " conversations over " + std::to_string(o.days) +
      " days…");

  Rng time_rng(o.seed ^ 0x7113ULL);
  const auto counts = hourly_counts(begin, now, o.conversations, time_rng);
  Generator gen(setup, o, begin);
  Writer writer(result.org_id);

  // PostgreSQL: two connections write while this thread generates (each backend has a core's work
  // in index upkeep); SQLite has one writer. A few batches wait at most, so memory stays bounded.
  const bool postgres = db.dialect() == db::Dialect::postgres;
  const std::int64_t batch_size = o.batch_conversations > 0 ? o.batch_conversations : postgres ? 20000 : 5000;
  const bool skip_checks = postgres && may_skip_foreign_key_checks(db);
  const std::size_t writers = postgres ? 2 : 1;
  std::mutex mu;
  std::condition_variable cv_work, cv_space;
  std::deque<Batch> queue;
  bool finished = false;
  std::exception_ptr failure;
  std::int64_t written = 0, next_report = 0;
  auto write_batches = [&] {
    for (;;) {
      Batch b;
      {
        std::unique_lock lock(mu);
        cv_work.wait(lock, [&] { return !queue.empty() || finished || failure; });
        if (failure || queue.empty()) return;
        b = std::move(queue.front());
        queue.pop_front();
      }
      cv_space.notify_one();
      try {
        auto conn = db.acquire();
        db::Transaction tx(*conn);
        if (postgres) bulk_load_settings(*conn, skip_checks);
        writer.write(*conn, b);
        tx.commit();
      } catch (...) {
        std::lock_guard lock(mu);
        if (!failure) failure = std::current_exception();
        cv_space.notify_all();
        cv_work.notify_all();
        return;
      }
      std::lock_guard lock(mu);
      written += static_cast<std::int64_t>(b.sessions.size());
      result.messages += static_cast<std::int64_t>(b.messages.size());
      result.conversions += static_cast<std::int64_t>(b.conversions.size());
      if (written >= next_report || written == o.conversations) {
        const double secs = seconds_since(t0);
        char line[200];
        std::snprintf(line, sizeof line, "%lld / %lld conversations, %lld messages, %.1f s (%.0f messages/s)",
                      static_cast<long long>(written), static_cast<long long>(o.conversations),
                      static_cast<long long>(result.messages), secs, result.messages / std::max(secs, 1e-9));
        say(line);
        next_report = written + std::max<std::int64_t>(o.conversations / 20, 1);
      }
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < writers; ++i) threads.emplace_back(write_batches);
  auto hand_over = [&](Batch& batch) {
    std::unique_lock lock(mu);
    cv_space.wait(lock, [&] { return queue.size() < writers || failure; });
    if (failure) return false;
    queue.push_back(std::move(batch));
    batch = Batch{};
    cv_work.notify_one();
    return true;
  };

  Batch batch;
  std::int64_t done = 0, in_batch = 0;
  std::vector<std::int64_t> starts;
  bool ok = true;
  for (std::size_t h = 0; h < counts.size() && ok; ++h) {
    const std::int64_t hour_start = begin + static_cast<std::int64_t>(h) * kHour;
    const std::int64_t span = std::min(kHour, now - hour_start);
    starts.clear();
    for (std::int64_t i = 0; i < counts[h]; ++i) starts.push_back(hour_start + time_rng.below(span));
    std::sort(starts.begin(), starts.end());
    for (std::int64_t start : starts) {
      gen.conversation(start, batch);
      ++done;
      if (++in_batch >= batch_size) {
        in_batch = 0;
        if (!(ok = hand_over(batch))) break;
      }
    }
  }
  if (ok && !batch.sessions.empty()) hand_over(batch);
  {
    std::lock_guard lock(mu);
    finished = true;
  }
  cv_work.notify_all();
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
  result.conversations = done;
  result.insert_seconds = seconds_since(t0);
  {
    auto conn = db.acquire();
    auto row = conn->query_one(
        "SELECT COUNT(*) AS n FROM (SELECT DISTINCT platform, external_user_id FROM conversation_sessions "
        "WHERE org_id = $1) AS people",
        {result.org_id});
    result.users = row ? row->integer("n") : 0;
  }
  if (o.backfill) {
    say("Rebuilding the analytics rollups…");
    const auto t1 = std::chrono::steady_clock::now();
    // Part A's backfill reports as it goes; a line every few seconds is enough for a person watching.
    auto last_line = std::chrono::steady_clock::now();
    analytics::backfill(db, result.org_id, [&](const analytics::BackfillProgress& p) {
      if (!o.progress || std::chrono::steady_clock::now() - last_line < std::chrono::seconds(5)) return;
      last_line = std::chrono::steady_clock::now();
      say("  rollups: " + std::to_string(p.sessions) + " conversations, " + std::to_string(p.messages) +
          " messages counted, " + std::to_string(static_cast<long long>(seconds_since(t1))) + " s");
    });
    result.backfill_seconds = seconds_since(t1);
  }
  return result;
}

}  // namespace sb::admin
