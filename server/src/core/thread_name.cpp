// Thread names through pthread_setname_np (Linux keeps 15 characters and a terminator).
#include "core/thread_name.hpp"

#include <pthread.h>

namespace sb {

void name_this_thread(const std::string& name) { pthread_setname_np(pthread_self(), name.substr(0, 15).c_str()); }

}  // namespace sb
