// Serves the built web UI: hashed assets cached for a year, index.html for client-side routes.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace sb::http {

class StaticFiles {
 public:
  explicit StaticFiles(std::string root);
  // For GET/HEAD of a non-API path: the file, or index.html for an app route, or 404 for a
  // missing asset.
  Response serve(const Request& req) const;
  const std::string& root() const { return root_; }
  bool available() const;
  // The regular file under the canonical root that a decoded request path names, or nothing.
  std::optional<std::filesystem::path> resolve(std::string_view path) const;
  // A decoded request path's non-empty segments, or nothing when the path can name no file of
  // the UI (controls, backslashes, non-ASCII bytes, a segment starting with a dot).
  static std::optional<std::vector<std::string>> segments(std::string_view path);

 private:
  std::string root_;
  std::filesystem::path canonical_root_;
};

// The folder to serve: the configured one, else web/dist under the working folder, else
// ../web/dist beside the binary's folder.
std::string locate_static_dir(const std::string& configured);
std::string mime_type(const std::string& path);

}  // namespace sb::http
