#pragma once
// The recruitment forest of one simulated trial, as mobilize() hands it to a caller
// (MobilizeOptions::on_tree). Its CSV form is the front end's (cascade/trees_csv.hpp).
#include <cstdint>
#include <span>

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
  std::span<const Vertex> reached;       ///< every vertex with finite join_hours, ascending:
                                         ///< iterate these, not all n, for a small cascade
};

}  // namespace cascade
