// The permission table: role ranks, the rules it encodes, and docs/permissions.md staying equal to it.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "orgs/permissions.hpp"

namespace sb::orgs {
namespace {

TEST(PermissionsTest, RolesRankOwnerAdminMemberViewer) {
  EXPECT_GT(role_rank("owner"), role_rank("admin"));
  EXPECT_GT(role_rank("admin"), role_rank("member"));
  EXPECT_GT(role_rank("member"), role_rank("viewer"));
  EXPECT_EQ(role_rank("root"), -1);
  EXPECT_FALSE(valid_role(""));
}

TEST(PermissionsTest, ViewersOnlyReadAndOnlyOwnersDestroy) {
  for (const auto& p : permission_table()) {
    bool read_only = std::string(p.name).ends_with(".read");
    if (!read_only) EXPECT_FALSE(can("viewer", p.action)) << "viewers change nothing: " << p.name;
    EXPECT_TRUE(can("owner", p.action)) << "owners may do everything: " << p.name;
  }
  EXPECT_TRUE(can("viewer", Action::org_read));
  EXPECT_TRUE(can("viewer", Action::members_read));
  EXPECT_FALSE(can("viewer", Action::audit_read));
  EXPECT_FALSE(can("admin", Action::org_delete));
  EXPECT_FALSE(can("admin", Action::ownership_transfer));
  EXPECT_FALSE(can("", Action::org_read)) << "no role, no access";
  AuthContext nobody;
  EXPECT_FALSE(can(nobody, Action::members_read));
}

TEST(PermissionsTest, DocumentationMatchesTheTable) {
  std::ifstream in(std::string(SB_SOURCE_DIR) + "/docs/permissions.md");
  ASSERT_TRUE(in) << "docs/permissions.md is missing";
  std::stringstream text;
  text << in.rdbuf();
  std::string doc = text.str();
  for (const auto& p : permission_table()) {
    std::string row = "| `" + std::string(p.name) + "` |";
    for (bool allowed : p.allowed) row += allowed ? " yes |" : " no |";
    row += " " + std::string(p.description) + " |";
    EXPECT_NE(doc.find(row), std::string::npos) << "docs/permissions.md should have the row:\n" << row;
  }
}

}  // namespace
}  // namespace sb::orgs
