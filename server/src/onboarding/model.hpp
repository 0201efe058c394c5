// Getting started: the first steps of a new organisation and whether each is done yet.
#pragma once

#include <string>
#include <vector>

namespace sb::onboarding {

// One step of the dashboard checklist; `key` is stable, the wording lives in the web UI.
struct Step {
  std::string key;
  bool done = false;
};

struct Progress {
  std::vector<Step> steps;  // in the order a new team usually takes them
};

}  // namespace sb::onboarding
