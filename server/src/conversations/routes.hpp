// HTTP routes of conversations, the test console and the AI provider's status.
#pragma once

#include "accounts/authenticator.hpp"
#include "ai/openrouter.hpp"
#include "conversations/service.hpp"
#include "http/router.hpp"

namespace sb::conversations {

boost::json::object reply_json(const ai::Reply& r);
// Answers an exchange over HTTP: one JSON body (to_json of the exchange) once the reply is recorded,
// or, when the client asks with Accept: text/event-stream, Server-Sent Events: `start` with the
// session id once the inbound message is recorded, a `token` per piece of a streamed model answer,
// and `done` with to_json of the exchange plus `interrupted` (docs/api.md). Errors found before the
// exchange starts are the caller's to answer.
ExchangeCallbacks answer_over_http(const http::Request& req, http::Responder respond,
                                   std::function<boost::json::object(const Exchange&)> to_json);
void add_routes(http::Router& router, ConversationService& conversations, ai::OpenRouterClient& provider,
                const ai::ReplyEngine& engine, const accounts::Authenticator& auth);

}  // namespace sb::conversations
