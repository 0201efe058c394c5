// The shapes of the platform ids Switchboard puts in outgoing URLs and bodies, and those URLs built
// with Boost.URL, so that no id can carry a path, a query or a header of its own (security issue 17).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace sb::integrations::ids {

// Discord: a snowflake is a 64-bit number written in decimal (17 to 20 digits today).
bool discord_snowflake(std::string_view v);
// Discord: the token of an interaction (base64url: letters, digits, - and _), which the answer's URL
// carries in its path.
bool discord_interaction_token(std::string_view v);
// Telegram: "<bot id>:<secret>", digits, a colon, then letters, digits, - or _.
bool telegram_bot_token(std::string_view v);
// Telegram: a chat id is a 64-bit integer (groups are negative) or @channelusername.
bool telegram_chat_id(std::string_view v);
// Meta Graph: WhatsApp phone_number_id, Messenger Page ids and page-scoped user ids are numbers.
bool meta_numeric_id(std::string_view v);
// WhatsApp: a recipient is a phone number or wa_id, digits with an optional leading +.
bool whatsapp_recipient(std::string_view v);
// Slack: a conversation id (C…, D…, G…) or a user id (U…, W…), upper-case letters and digits.
bool slack_conversation_id(std::string_view v);
// Twilio: an Account SID is AC followed by 32 hexadecimal characters.
bool twilio_account_sid(std::string_view v);
// Twilio: a recipient is an E.164 number, optionally as whatsapp:+…
bool twilio_address(std::string_view v);

// `base` (a configured API base URL, which may have a path of its own) with each of `segments`
// appended as exactly one path segment and `query` as parameters, every value percent-encoded by
// Boost.URL: a '/', '?', '#', '%' or space inside an id stays inside its segment. Throws
// std::invalid_argument for a base that is not a URL or a segment that is empty, "." or "..";
// callers check ids first, so that is a bug, and the call is not made.
std::string api_url(std::string_view base, std::initializer_list<std::string_view> segments,
                    std::initializer_list<std::pair<std::string_view, std::string_view>> query = {});

}  // namespace sb::integrations::ids
