// HTTP routes of conversations, the test console and the AI provider's status.
#pragma once

#include "accounts/authenticator.hpp"
#include "ai/openrouter.hpp"
#include "conversations/service.hpp"
#include "http/router.hpp"

namespace sb::conversations {

boost::json::object reply_json(const ai::Reply& r);
void add_routes(http::Router& router, ConversationService& conversations, ai::OpenRouterClient& provider,
                const accounts::Authenticator& auth);

}  // namespace sb::conversations
