#pragma once
// The CSV form of recruitment forests (cascade/trees.hpp): one row per joiner,
//   trial,regime,person,recruiter,join_hours,found_target
// with recruiter empty for the initial members (seeds) and found_target the number of hidden
// targets this person found (0, 1, ...). Rows are in increasing person id. On a graph with
// vertex labels (cascade/labels.hpp) two more columns follow, person_label and recruiter_label.
#include <string>

#include "cascade/labels.hpp"
#include "cascade/trees.hpp"

namespace cascade {

/// "trial,regime,person,recruiter,join_hours,found_target\n" (",person_label,recruiter_label"
/// before the newline when labelled).
std::string trees_csv_header(bool labelled = false);

/// Appends tree's rows to out, naming the regime regime_name; with labels (non-null), the two
/// label columns too. O(n + joiners).
void append_trees_csv(std::string& out, const TrialTree& tree, const std::string& regime_name,
                      const VertexLabels* labels = nullptr);

}  // namespace cascade
