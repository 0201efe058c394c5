// Helpers every connector shares: one HTTP call to a platform turned into a PlatformAnswer in words,
// secrets scrubbed from anything a platform echoes, form and Basic-auth encoding.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "integrations/connector.hpp"

namespace sb::integrations {

// The request with the configured time limits.
http::ClientRequest with_limits(http::ClientRequest request, const PlatformEndpoints& endpoints);
// What a call came to: a timeout or refused connection becomes an `unavailable` answer naming the
// platform ("Telegram did not answer within 5 s"); a response has its JSON parsed.
CallResult call_result(Result<http::ClientResponse> response, std::string_view platform_name,
                       const PlatformEndpoints& endpoints);
// Both, around one request.
CallResult call_platform(http::HttpClient& client, http::ClientRequest request, std::string_view platform_name,
                         const PlatformEndpoints& endpoints);

// The generic reading of an HTTP status: 401/403 rejected, 408/429/5xx unavailable, other 4xx refused.
PlatformAnswer answer_for_status(std::string_view platform_name, long status, std::string_view detail,
                                 std::string_view what_rejected = "the credentials");
PlatformAnswer not_json(std::string_view platform_name, long status);
// The platform will not deliver to this person or chat: `what_happened` in the user's words ("The
// recipient blocked the bot"), then the platform's own status and words.
PlatformAnswer recipient_unreachable(std::string_view platform_name, long status, std::string_view what_happened,
                                     std::string_view detail);

// Seconds from a Retry-After header, or 0.
int retry_after_header(const http::ClientResponse& response);

// Replaces every credential value (4+ characters) that appears in text; platforms sometimes echo them.
std::string scrub(std::string text, const Credentials& credentials);

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields);
std::string basic_auth(const std::string& user, const std::string& password);
// "5 s", "0.3 s"
std::string seconds_text(long milliseconds);

// Small field checks for credential schemas.
std::optional<std::string> check_pattern(const std::string& value, const char* regex, const std::string& message);

// A string member of a JSON object, or "".
std::string string_at(const boost::json::value& v, std::initializer_list<std::string_view> path);

}  // namespace sb::integrations
