// Prefixed, time-ordered random identifiers: usr_…, org_…, ses_….
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sb {

// "<prefix>_" + 10 chars of millisecond time + 16 random chars (Crockford base32, lower case),
// so ids sort by creation time and cannot be guessed.
std::string new_id(std::string_view prefix);
std::string new_id(std::string_view prefix, std::int64_t now_ms);

}  // namespace sb
