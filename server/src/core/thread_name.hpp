// Names the calling thread (at most 15 characters), so `top -H`, `ps -L` and perf show what each
// of the server's threads is.
#pragma once

#include <string>

namespace sb {

void name_this_thread(const std::string& name);

}  // namespace sb
