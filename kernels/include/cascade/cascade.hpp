#pragma once
// The result of one cascade trial, shared by the independent cascade (ic.hpp) and linear
// threshold (lt.hpp) kernels, and the small per-thread scratch of the sequential trial kernels
// that the Monte Carlo estimator runs many of.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "cascade/graph.hpp"
#include "cascade/types.hpp"

namespace cascade {

/// Step of a vertex that was never activated.
inline constexpr std::uint32_t kUnreached = std::numeric_limits<std::uint32_t>::max();

/// One trial of a cascade, in full. Deterministic: identical for any thread count and any
/// traversal direction.
struct Cascade {
  /// Activated vertices: the (distinct) seeds first, then by activation step, within a step by id.
  std::vector<Vertex> order;
  /// Per vertex: activation step (seeds 0), kUnreached if never active. Size n.
  std::vector<std::uint32_t> step;
  /// Per vertex: who activated it (see the kernel's rule), kNoVertex for seeds and unreached.
  std::vector<Vertex> recruiter;
  /// per_step[s] = vertices activated at step s; per_step[0] = seeds. Ends at the last step that
  /// activated a vertex ({0} when there are no seeds).
  std::vector<std::uint64_t> per_step;
  /// Arc attempts of the model: the sum of the out-degrees of the activated vertices (each one
  /// tries every out-arc once). Independent of direction and threads -- the TEPS numerator.
  std::uint64_t arcs_examined = 0;
  /// Diagnostic: how many steps were computed bottom-up (pull) rather than top-down (push).
  std::uint32_t pull_steps = 0;

  /// Number of activated vertices (seeds included).
  std::uint64_t spread() const { return order.size(); }
  /// Number of steps after the seeds (0 when nothing beyond the seeds was activated).
  std::uint32_t num_steps() const {
    return per_step.empty() ? 0 : static_cast<std::uint32_t>(per_step.size() - 1);
  }
};

/// The summary of one trial that Monte Carlo estimation needs (no per-vertex arrays).
struct TrialCounts {
  std::uint64_t spread = 0;             ///< activated vertices, seeds included
  std::vector<std::uint64_t> per_step;  ///< as Cascade::per_step
  std::uint64_t arcs_examined = 0;      ///< as Cascade::arcs_examined
};

/// Working memory of the sequential trial kernels (run_ic_trial, run_lt_trial). Per-vertex state
/// is valid only where stamp[v] == epoch, so starting a new trial costs O(1) instead of O(n): a
/// trial touches (and pays for) only the vertices it reaches or tries. One per thread.
struct TrialScratch {
  std::vector<std::uint32_t> stamp;  ///< epoch in which the vertex's state was last written
  std::uint32_t epoch = 0;
  std::vector<std::uint64_t> sum;      ///< LT: fixed-point in-weight received (kActive: active)
  std::vector<std::uint64_t> theta;    ///< LT: the vertex's threshold in this trial
  std::vector<Vertex> frontier, next;  ///< vertices activated at the current / next step

  /// Starts a trial on a graph of n vertices: bumps the epoch (O(1)), resizing on the first call
  /// or when n changes, and clearing the stamps once every 2^32 - 1 trials.
  void begin_trial(std::uint64_t n) {
    if (stamp.size() != n) {
      stamp.assign(n, 0);
      epoch = 0;
    }
    if (++epoch == 0) {  // wrapped: old stamps could alias the new epoch
      std::fill(stamp.begin(), stamp.end(), 0);
      epoch = 1;
    }
  }
};

/// Validates seed ids (< n) and returns them sorted ascending without duplicates. O(k log k).
std::vector<Vertex> sorted_seeds(const Graph& g, std::span<const Vertex> seeds);

}  // namespace cascade
