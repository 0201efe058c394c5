// Getting-started service.
#include "onboarding/service.hpp"

#include "onboarding/store.hpp"
#include "orgs/permissions.hpp"

namespace sb::onboarding {

Result<Progress> OnboardingService::progress(const AuthContext& ctx) {
  if (!orgs::can(ctx, orgs::Action::bots_read)) return Error::forbidden();
  auto conn = db_.acquire();
  auto f = store::facts(*conn, ctx.org_id);
  // Nothing is stored about the checklist itself: a step is done while the state it names exists,
  // so deleting the only bot un-ticks "bot created" again (docs/adr/0033).
  return Progress{{{"bot_created", f.has_bot},
                   {"template_written", f.has_template},
                   {"platform_connected", f.has_connected_integration},
                   {"bot_deployed", f.has_active_deployment},
                   {"first_conversation", f.has_conversation},
                   {"teammate_invited", f.has_teammate_or_invite}}};
}

}  // namespace sb::onboarding
