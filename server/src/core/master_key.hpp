// The installation's master key: from SWITCHBOARD_MASTER_KEY or <data-dir>/master.key (created 0600).
#pragma once

#include <string>

#include "core/result.hpp"

namespace sb {

// Returns the 32 raw key bytes. configured_base64 wins when set; otherwise the key file is read,
// or created with fresh random bytes and mode 0600 when missing.
Result<std::string> load_or_create_master_key(const std::string& data_dir, const std::string& configured_base64);

}  // namespace sb
