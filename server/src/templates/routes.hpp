// HTTP routes of response templates.
#pragma once

#include <boost/json/object.hpp>

#include "accounts/authenticator.hpp"
#include "http/router.hpp"
#include "templates/service.hpp"

namespace sb::templates {

boost::json::object template_json(const Template& t);
void add_routes(http::Router& router, TemplateService& templates, const accounts::Authenticator& auth);

}  // namespace sb::templates
