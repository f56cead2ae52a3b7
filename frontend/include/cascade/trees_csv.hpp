#pragma once
// The CSV form of recruitment forests (cascade/trees.hpp): one row per joiner,
//   trial,regime,person,recruiter,join_hours,found_target
// with recruiter empty for the initial members (seeds) and found_target the number of hidden
// targets this person found (0, 1, ...). Rows are in increasing person id.
#include <string>

#include "cascade/trees.hpp"

namespace cascade {

/// "trial,regime,person,recruiter,join_hours,found_target\n".
std::string trees_csv_header();

/// Appends tree's rows to out, naming the regime regime_name. O(n + joiners).
void append_trees_csv(std::string& out, const TrialTree& tree, const std::string& regime_name);

}  // namespace cascade
