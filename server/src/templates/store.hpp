// SQL of templates and their attachment to bots; every query is scoped to an organisation.
#pragma once

#include <optional>
#include <vector>

#include "db/database.hpp"
#include "templates/model.hpp"

namespace sb::templates::store {

void insert(db::Connection& conn, const Template& t);
void update(db::Connection& conn, const Template& t);
// Another template of the organisation has this name.
bool name_taken(db::Connection& conn, const std::string& org_id, const std::string& name, const std::string& except_id);
void remove(db::Connection& conn, const std::string& org_id, const std::string& id);
std::optional<Template> find(db::Connection& conn, const std::string& org_id, const std::string& id);
std::vector<Template> list(db::Connection& conn, const std::string& org_id);
// The templates attached to a bot, in their attachment order.
std::vector<Template> for_bot(db::Connection& conn, const std::string& org_id, const std::string& bot_id);
std::vector<std::string> ids_for_bot(db::Connection& conn, const std::string& org_id, const std::string& bot_id);
void attach(db::Connection& conn, const std::string& org_id, const std::string& bot_id,
            const std::vector<std::string>& template_ids);

}  // namespace sb::templates::store
