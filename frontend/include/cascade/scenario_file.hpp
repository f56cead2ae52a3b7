#pragma once
// Scenario files (JSON) in and out: the strict reader (unknown keys are errors, missing keys take
// the defaults of data/scenarios/README.md) and the canonical writer. The Scenario value and its
// limits are the kernels' (cascade/scenario.hpp); this front-end unit owns the JSON.
#include <string>

#include "cascade/scenario.hpp"

namespace cascade {

/// Reads and validates a scenario file. Throws FileError "path: key 'x.y': what" for unreadable
/// files, bad JSON (with its line and column), unknown keys and bad values.
Scenario read_scenario(const std::string& path);

/// Same from JSON text; origin names the source in error messages.
Scenario parse_scenario(const std::string& json_text, const std::string& origin = "<scenario>");

/// The text of a scenario file, unparsed (for tools that edit it, e.g. sweep). Throws FileError.
std::string read_scenario_text(const std::string& path);

/// The scenario in canonical JSON (all keys, defaults filled in). parse_scenario of it gives
/// back the same scenario.
std::string scenario_to_json(const Scenario& scenario);

}  // namespace cascade
