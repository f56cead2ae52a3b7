#pragma once
// The Monte Carlo engines behind estimate_spread (monte_carlo.cpp chooses one): the one-trial
// engine (one-trial kernels over trials or inside trials), fused IC and timed cascades, each a
// TrialRunner fed to the driver estimate_with(); and the two small helpers they share with it.
#include <chrono>
#include <cstdint>
#include <vector>

#include "cascade/monte_carlo.hpp"

namespace cascade::detail {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// sum[s] += per_step[s], growing sum as needed.
inline void add_per_step(std::vector<std::uint64_t>& sum,
                         const std::vector<std::uint64_t>& per_step) {
  if (sum.size() < per_step.size()) sum.resize(per_step.size(), 0);
  for (std::size_t s = 0; s < per_step.size(); ++s) sum[s] += per_step[s];
}

/// One-trial kernels (IC or LT): over trials or inside trials (resolved from the options).
Estimate estimate_one_trial(const Graph& g, const McOptions& options);
/// Fused IC: batches of trials in parallel, each sequential.
Estimate estimate_fused(const Graph& g, const McOptions& options);
/// Timed cascades: trials in sequence, each parallel inside (delta-stepping).
Estimate estimate_timed(const Graph& g, const McOptions& options);

}  // namespace cascade::detail
