// Rollup maintenance (ADR 0037). Placeholder bodies until the analytics core lands (issue 21).
#include "analytics/recorder.hpp"

#include <atomic>

namespace sb::analytics {
namespace {
std::atomic<bool> enabled{true};
}

void set_rollups_enabled(bool on) { enabled = on; }
bool rollups_enabled() { return enabled; }

void record_resolved(db::Connection&, const conversations::Session&, std::int64_t) {}
void record_converted(db::Connection&, const conversations::Session&, std::int64_t) {}
void record_rating_asked(db::Connection&, const conversations::Session&) {}
void record_rating(db::Connection&, const conversations::Session&, int) {}

}  // namespace sb::analytics
