// Static file serving for the web UI.
#include "http/static_files.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

namespace sb::http {
namespace fs = std::filesystem;

StaticFiles::StaticFiles(std::string root) : root_(std::move(root)) {}

bool StaticFiles::available() const { return fs::is_regular_file(fs::path(root_) / "index.html"); }

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

namespace {
std::optional<std::string> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}
}  // namespace

Response StaticFiles::serve(const Request& req) const {
  // Refuse any path that could climb out of the root.
  if (req.path.find("..") != std::string::npos || req.path.find('\0') != std::string::npos)
    return Response::error(Error::not_found());
  bool is_asset = req.path.rfind("/assets/", 0) == 0;
  fs::path file = fs::path(root_) / req.path.substr(1);
  if (req.path != "/" && fs::is_regular_file(file)) {
    auto body = read_file(file);
    if (!body) return Response::error(Error::not_found());
    Response r = Response::text(200, std::move(*body), mime_type(file.string()));
    r.set_header("Cache-Control", is_asset ? "public, max-age=31536000, immutable" : "no-cache");
    return r;
  }
  if (is_asset || fs::path(req.path).has_extension()) return Response::error(Error::not_found("No such file."));
  auto index = read_file(fs::path(root_) / "index.html");
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
