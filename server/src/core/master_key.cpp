// Master key loading, creation and the key files of a rotation.
#include "core/master_key.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/crypto.hpp"

namespace sb {
namespace {
namespace fs = std::filesystem;
constexpr std::size_t kKeyBytes = 32;

Result<std::string> read_key_file(const fs::path& path) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return decode_master_key(text, path.string());
}

// Writes base64 of the key with mode 0600 from the start, and flushes it to disk.
Result<void> write_key_file(const fs::path& path, const std::string& raw) {
  std::string text = crypto::base64_encode(raw) + "\n";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Error{"master_key_write_failed", "could not write " + path.string(), {}};
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  ::chmod(path.c_str(), 0600);
  if (!ok) return Error{"master_key_write_failed", "could not write " + path.string(), {}};
  return {};
}

void sync_dir(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}
}  // namespace

const std::string* MasterKeys::find(std::string_view key_id) const {
  for (const auto& k : all)
    if (crypto::key_id(k) == key_id) return &k;
  return nullptr;
}

std::optional<std::string> reseal(const MasterKeys& keys, const std::string& new_key, std::string_view sealed,
                                  std::string_view key_id, std::string_view associated_data) {
  std::vector<const std::string*> ring;
  for (const auto& k : keys.all) ring.push_back(&k);
  ring.push_back(&new_key);
  for (const auto* key : ring) {
    if (!key_id.empty() && crypto::key_id(*key) != key_id) continue;
    if (auto plain = crypto::open(*key, sealed, associated_data)) return crypto::seal(new_key, *plain, associated_data);
  }
  return std::nullopt;
}

Result<std::string> decode_master_key(const std::string& base64, const std::string& where) {
  std::string text = base64;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  auto raw = crypto::base64_decode(text);
  if (!raw || raw->size() != kKeyBytes)
    return Error{"invalid_master_key", where + " must hold 32 bytes in standard base64", {}};
  return *raw;
}

Result<MasterKeys> load_master_keys(const std::string& data_dir, const std::string& configured_base64) {
  MasterKeys keys;
  if (!configured_base64.empty()) {
    auto key = decode_master_key(configured_base64, "SWITCHBOARD_MASTER_KEY");
    if (!key) return key.error();
    keys.primary = *key;
    keys.all = {*key};
    return keys;
  }
  fs::path dir(data_dir);
  fs::path path = dir / "master.key";
  if (fs::exists(path)) {
    auto key = read_key_file(path);
    if (!key) return key.error();
    keys.primary = *key;
  } else {
    keys.primary = crypto::random_bytes(kKeyBytes);
    if (auto w = write_key_file(path, keys.primary); !w) return w.error();
    sync_dir(dir);
  }
  keys.all = {keys.primary};
  if (fs::exists(dir / "master.key.next")) {
    auto next = read_key_file(dir / "master.key.next");
    if (!next) return next.error();
    keys.all.push_back(*next);
  }
  return keys;
}

Result<std::string> begin_key_file_rotation(const std::string& data_dir) {
  fs::path next = fs::path(data_dir) / "master.key.next";
  if (fs::exists(next)) return read_key_file(next);
  std::string raw = crypto::random_bytes(kKeyBytes);
  if (auto w = write_key_file(next, raw); !w) return w.error();
  sync_dir(data_dir);
  return raw;
}

Result<void> finish_key_file_rotation(const std::string& data_dir) {
  fs::path dir(data_dir);
  std::error_code ec;
  // master.key exists at every instant: keep a copy of the old key, then replace it atomically.
  fs::remove(dir / "master.key.previous", ec);
  fs::copy_file(dir / "master.key", dir / "master.key.previous", ec);
  if (!ec) fs::rename(dir / "master.key.next", dir / "master.key", ec);
  if (ec) return Error{"master_key_write_failed", "could not replace master.key: " + ec.message(), {}};
  sync_dir(dir);
  return {};
}

}  // namespace sb
