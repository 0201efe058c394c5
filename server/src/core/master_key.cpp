// Master key loading and creation.
#include "core/master_key.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "core/crypto.hpp"

namespace sb {
namespace {
constexpr std::size_t kKeyBytes = 32;

Result<std::string> decode(const std::string& b64, const std::string& where) {
  std::string raw(kKeyBytes + 8, '\0');
  std::size_t len = 0;
  std::string text = b64;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), text.data(), text.size(), nullptr,
                        &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      len != kKeyBytes)
    return Error{"invalid_master_key", where + " must hold 32 bytes in standard base64", {}};
  raw.resize(len);
  return raw;
}
}  // namespace

Result<std::string> load_or_create_master_key(const std::string& data_dir, const std::string& configured_base64) {
  if (!configured_base64.empty()) return decode(configured_base64, "SWITCHBOARD_MASTER_KEY");
  namespace fs = std::filesystem;
  fs::path path = fs::path(data_dir) / "master.key";
  if (fs::exists(path)) {
    std::ifstream in(path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return decode(text, path.string());
  }
  std::string raw = crypto::random_bytes(kKeyBytes);
  std::string b64(sodium_base64_ENCODED_LEN(kKeyBytes, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(b64.data(), b64.size(), reinterpret_cast<const unsigned char*>(raw.data()), kKeyBytes,
                    sodium_base64_VARIANT_ORIGINAL);
  b64.resize(std::char_traits<char>::length(b64.c_str()));
  // Create with 0600 from the start so the key is never readable by others, even briefly.
  mode_t old = ::umask(077);
  {
    std::ofstream out(path, std::ios::trunc);
    out << b64 << "\n";
    if (!out) {
      ::umask(old);
      return Error{"master_key_write_failed", "could not write " + path.string(), {}};
    }
  }
  ::umask(old);
  ::chmod(path.c_str(), 0600);
  return raw;
}

}  // namespace sb
