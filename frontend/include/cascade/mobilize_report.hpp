#pragma once
// A mobilize() report (cascade/mobilize.hpp) as JSON, CSV or a terminal table. Each writer
// returns the whole text; the schema is documented in data/scenarios/README.md.
#include <string>

#include "cascade/mobilize.hpp"

namespace cascade {

/// The report as JSON (schema in data/scenarios/README.md), ending with a newline.
std::string to_json(const MobilizationReport& report);
/// The curves as CSV: regime,hour,reached_mean,reached_lo,reached_hi,joined_...,active_...
std::string to_csv(const MobilizationReport& report);
/// A side-by-side text table of the regimes, for terminals.
std::string format_table(const MobilizationReport& report);

}  // namespace cascade
