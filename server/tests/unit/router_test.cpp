// Router matching: literals, parameters, precedence, methods and 405 information.
#include <gtest/gtest.h>

#include "http/router.hpp"

namespace sb::http {
namespace {

Handler named(std::string name) {
  return [name](Request&) { return Response::text(200, name); };
}

std::string run(const RouteMatch& m) {
  Request req;
  return m.route ? m.route->handler(req).body : "";
}

TEST(RouterTest, MatchesLiteralsAndCapturesParameters) {
  Router r;
  r.add(Method::get, "/api/orgs/:id", named("org"));
  r.add(Method::get, "/api/orgs/:id/members/:user_id", named("member"));
  auto m = r.match(Method::get, "/api/orgs/org_1/members/usr_2");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(run(m), "member");
  EXPECT_EQ(m.params.at("id"), "org_1");
  EXPECT_EQ(m.params.at("user_id"), "usr_2");
  EXPECT_EQ(run(r.match(Method::get, "/api/orgs/org_1")), "org");
  EXPECT_FALSE(r.match(Method::get, "/api/orgs").route);
  EXPECT_FALSE(r.match(Method::get, "/api/orgs/org_1/extra").route);
}

TEST(RouterTest, TrailingAndDoubleSlashesDoNotMatter) {
  Router r;
  r.add(Method::get, "/api/auth/session", named("s"));
  EXPECT_TRUE(r.match(Method::get, "/api/auth/session/").route);
  EXPECT_TRUE(r.match(Method::get, "/api//auth/session").route);
}

TEST(RouterTest, LiteralSegmentBeatsParameterWhateverTheOrder) {
  Router r;
  r.add(Method::post, "/api/invites/:id", named("param"));
  r.add(Method::post, "/api/invites/accept", named("literal"));
  EXPECT_EQ(run(r.match(Method::post, "/api/invites/accept")), "literal");
  EXPECT_EQ(run(r.match(Method::post, "/api/invites/inv_1")), "param");
}

TEST(RouterTest, WrongMethodReportsWhatIsAllowed) {
  Router r;
  r.add(Method::get, "/api/profile", named("get"));
  r.add(Method::patch, "/api/profile", named("patch"));
  auto m = r.match(Method::delete_, "/api/profile");
  EXPECT_FALSE(m.route);
  ASSERT_EQ(m.allowed.size(), 2u);
  EXPECT_EQ(m.allowed[0], Method::get);
  EXPECT_EQ(m.allowed[1], Method::patch);
  EXPECT_TRUE(r.match(Method::get, "/nowhere").allowed.empty());
}

TEST(RouterTest, HeadUsesGetRoutes) {
  Router r;
  r.add(Method::get, "/healthz", named("h"));
  EXPECT_EQ(run(r.match(Method::head, "/healthz")), "h");
}

TEST(RouterTest, DuplicateRoutesAreABug) {
  Router r;
  r.add(Method::get, "/api/x/:id", named("a"));
  EXPECT_THROW(r.add(Method::get, "/api/x/:other", named("b")), std::logic_error);
}

}  // namespace
}  // namespace sb::http
