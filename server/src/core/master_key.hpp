// The installation's master key: from SWITCHBOARD_MASTER_KEY or <data-dir>/master.key (created 0600),
// and the key files of a rotation (master.key.next while it runs, master.key.previous after).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace sb {

struct MasterKeys {
  std::string primary;            // 32 raw bytes; seals everything written from now on
  std::vector<std::string> all;   // primary first, then keys older rows may still be sealed with
  // The key whose crypto::key_id is key_id, or nullptr.
  const std::string* find(std::string_view key_id) const;
};

// One sealed value during a master key rotation: opened with the key whose id is key_id (any key of
// `keys` or new_key itself when key_id is empty) and sealed again with new_key under the same
// associated data. nullopt when it does not open.
std::optional<std::string> reseal(const MasterKeys& keys, const std::string& new_key, std::string_view sealed,
                                  std::string_view key_id, std::string_view associated_data);

// configured_base64 wins when set; otherwise master.key is read, or created with fresh random
// bytes and mode 0600 when missing. A master.key.next left by an interrupted rotation is kept in
// `all`, so rows it already sealed stay readable.
Result<MasterKeys> load_master_keys(const std::string& data_dir, const std::string& configured_base64);

// 32 raw bytes from standard base64; `where` names the source in the error.
Result<std::string> decode_master_key(const std::string& base64, const std::string& where);

// Key-file rotation, step 1: the key to rotate to — master.key.next when an earlier rotation was
// interrupted, otherwise a fresh key written there (0600, flushed) before any row changes.
Result<std::string> begin_key_file_rotation(const std::string& data_dir);
// Step 3, after every row is resealed and committed: a copy of master.key goes to master.key.previous,
// then master.key.next replaces master.key in one rename, so master.key always exists.
Result<void> finish_key_file_rotation(const std::string& data_dir);

}  // namespace sb
