// Static file serving for the web UI.
#include "http/static_files.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

namespace sb::http {
namespace fs = std::filesystem;

namespace {
fs::path canonical_root(const std::string& root) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(fs::absolute(root, ec), ec);
  return ec ? fs::absolute(root).lexically_normal() : canonical;
}

// Whether `inner` is `outer` itself or lies beneath it, comparing whole path components.
bool within(const fs::path& outer, const fs::path& inner) {
  auto [o, i] = std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end());
  return o == outer.end() || (std::next(o) == outer.end() && o->empty());
}

std::optional<std::string> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}
}  // namespace

StaticFiles::StaticFiles(std::string root) : root_(std::move(root)), canonical_root_(canonical_root(root_)) {}

bool StaticFiles::available() const { return fs::is_regular_file(canonical_root_ / "index.html"); }

std::string mime_type(const std::string& path) {
  static const std::map<std::string, std::string> types = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},   {".json", "application/json"},
      {".svg", "image/svg+xml"},             {".png", "image/png"},
      {".jpg", "image/jpeg"},                {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},              {".woff", "font/woff"},
      {".txt", "text/plain; charset=utf-8"}, {".map", "application/json"},
      {".webmanifest", "application/manifest+json"}};
  auto it = types.find(fs::path(path).extension().string());
  return it == types.end() ? "application/octet-stream" : it->second;
}

std::optional<std::vector<std::string>> StaticFiles::segments(std::string_view path) {
  // The built UI names its files in plain ASCII. Anything else (controls, NUL, backslashes, bytes
  // of any UTF-8 sequence, overlong or not) names no file of ours, so it is refused before the
  // file system sees it.
  for (unsigned char c : path)
    if (c < 0x20 || c >= 0x7f || c == '\\') return std::nullopt;
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = std::min(path.find('/', start), path.size());
    std::string_view seg = path.substr(start, end - start);
    // Empty segments (repeated slashes) are skipped, so no remainder is ever absolute; a segment
    // that starts with a dot (".", "..", hidden files) is never served.
    if (!seg.empty()) {
      if (seg.front() == '.') return std::nullopt;
      parts.emplace_back(seg);
    }
    start = end + 1;
  }
  return parts;
}

std::optional<fs::path> StaticFiles::resolve(std::string_view path) const {
  auto parts = segments(path);
  if (!parts || parts->empty()) return std::nullopt;
  fs::path file = canonical_root_;
  for (const auto& part : *parts) file /= part;
  // Symlinks are followed, and the file they reach must still be under the root.
  std::error_code ec;
  fs::path real = fs::canonical(file, ec);
  if (ec || !within(canonical_root_, real) || !fs::is_regular_file(real, ec)) return std::nullopt;
  return real;
}

Response StaticFiles::serve(const Request& req) const {
  bool is_asset = req.path.rfind("/assets/", 0) == 0;
  if (!segments(req.path)) return Response::error(Error::not_found("No such file."));
  if (auto file = resolve(req.path)) {
    auto body = read_file(*file);
    if (!body) return Response::error(Error::not_found());
    Response r = Response::text(200, std::move(*body), mime_type(file->string()));
    r.set_header("Cache-Control", is_asset ? "public, max-age=31536000, immutable" : "no-cache");
    return r;
  }
  if (is_asset || fs::path(req.path).has_extension()) return Response::error(Error::not_found("No such file."));
  auto index = read_file(canonical_root_ / "index.html");
  if (!index)
    return Response::text(503, "The web UI is not built. Run `make build` and restart the server.\n");
  Response r = Response::text(200, std::move(*index), "text/html; charset=utf-8");
  r.set_header("Cache-Control", "no-cache");
  return r;
}

std::string locate_static_dir(const std::string& configured) {
  if (!configured.empty()) return configured;
  if (fs::is_regular_file("web/dist/index.html")) return fs::absolute("web/dist").string();
  char exe[4096];
  ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    fs::path beside = fs::path(std::string(exe, static_cast<std::size_t>(n))).parent_path().parent_path() / "web/dist";
    if (fs::is_regular_file(beside / "index.html")) return beside.string();
  }
  return fs::absolute("web/dist").string();
}

}  // namespace sb::http
