#pragma once
// The recruitment forest of one simulated trial, as mobilize() hands it to a caller
// (MobilizeOptions::on_tree), and its CSV form: one row per joiner,
//   trial,regime,person,recruiter,join_hours,found_target
// with recruiter empty for the initial members (seeds) and found_target the number of hidden
// targets this person found (0, 1, ...). Rows are in increasing person id.
#include <cstdint>
#include <span>
#include <string>

#include "cascade/graph.hpp"

namespace cascade {

/// Views into one trial's cascade of one regime; valid only during the callback.
struct TrialTree {
  std::uint64_t trial = 0;
  std::size_t regime = 0;                ///< index into the scenario's regimes
  std::span<const Vertex> recruiter;     ///< per vertex; kNoVertex for seeds and non-joiners
  std::span<const float> join_hours;     ///< per vertex; +infinity when not reached
  std::span<const std::uint8_t> joined;  ///< per vertex; 1 when joined
  std::span<const Vertex> finders;       ///< one entry per found target (a person may repeat)
};

/// "trial,regime,person,recruiter,join_hours,found_target\n".
std::string trees_csv_header();

/// Appends tree's rows to out, naming the regime regime_name. O(n + joiners).
void append_trees_csv(std::string& out, const TrialTree& tree, const std::string& regime_name);

}  // namespace cascade
