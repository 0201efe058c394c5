// The version and the commit this binary was built from (generated: cmake/build_info.cpp.in).
#pragma once

namespace sb {

extern const char* const kVersion;    // "0.1.0"
extern const char* const kGitCommit;  // short hash, or "unknown" outside a git checkout

}  // namespace sb
