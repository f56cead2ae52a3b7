#pragma once
// Branching-process theory of a recruitment regime on the configuration model with the graph's
// actual degree sequence (locally tree-like; degree correlations and clustering ignored).
//
// An "arc-reached" person v (reached along a random arc: chosen with probability k_v / sum k)
// joins with q(v) and then passes the call along each of its other k_v - 1 arcs with p(v):
//   growth factor      m = sum_v k_v (k_v - 1) p_v q_v / sum_v k_v  (mean arc-reached recruits
//                      of an arc-reached person; > 1: a large cascade is possible)
//   lineage extinction x = sum_v (k_v / K) [1 - q_v + q_v (1 - p_v + p_v x)^(k_v - 1)]
//   takeoff            1 - prod_{s in seeds} (1 - p_s + p_s x)^(k_s)   (seeds have joined)
//   final size         y = sum_u (k_u / K) [1 - p_u q_u (1 - y^(k_u - 1))] (an arc brings nobody),
//                      final fraction = (1 / n) sum_v q_v (1 - y^(k_v)), given takeoff, no horizon
//   doubling time      ln 2 / lambda, lambda > 0 solving the Euler-Lotka equation
//                      sum_v k_v (k_v - 1) p_v q_v E[exp(-lambda f_v T)] / K = 1, T the delay, f_v
//                      the sender's delay factor (NaN when m <= 1).
// Smallest roots by Newton's method from 0 (the maps are convex and increasing). Sums over fixed
// vertex chunks in order: deterministic for any thread count.
#include <span>
#include <vector>

#include "cascade/graph.hpp"
#include "cascade/recruitment.hpp"
#include "cascade/timed.hpp"

namespace cascade {

struct BranchingTheory {
  double growth_factor = 0.0;
  double lineage_extinction = 1.0;   ///< x
  double final_fraction = 0.0;       ///< joined fraction of the network given takeoff
  double doubling_time_hours = 0.0;  ///< NaN when the growth factor is <= 1
};

/// The theory of one regime (p, q and delay factors from the behaviour). O(n) per Newton step.
BranchingTheory branching_theory(const Graph& g, const RegimeBehaviour& behaviour,
                                 const DelayModel& delay);

/// Takeoff probability from one set of seeds: 1 - prod_s (1 - p_s + p_s x)^(k_s). O(|seeds|).
double takeoff_probability(const Graph& g, const RegimeBehaviour& behaviour,
                           const BranchingTheory& theory, std::span<const Vertex> seeds);

}  // namespace cascade
