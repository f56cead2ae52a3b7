#pragma once
// Independent cascade (IC), one trial.
//
// Seeds are active at step 0. A vertex activated at step t tries each out-neighbour once at step
// t+1 and succeeds when the arc is live: LiveArcs' coin, a pure function of (master seed, trial,
// u, v). The active set is exactly the set reachable from the seeds over live arcs, and a
// vertex's step is its live-path distance from the seeds. The recruiter of v is the smallest-id
// in-neighbour among those that succeeded on v at the earliest step.
//
// run_ic is level-synchronous and parallel inside the trial (oneTBB), direction-optimizing like
// Beamer's BFS (GAPBS): top-down steps push from the frontier over out-arcs; when the frontier's
// out-arcs outnumber the unexplored arcs / alpha, bottom-up steps let every inactive vertex pull
// over its in-arcs (g.transpose()) from frontier in-neighbours, in ascending id, stopping at the
// first live one -- which is by construction the recruiter. Push takes the minimum with an atomic
// per-vertex word, so both directions and every thread count give bit-identical results.
#include <cstdint>
#include <memory>
#include <span>

#include "cascade/cascade.hpp"
#include "cascade/graph.hpp"
#include "cascade/live_arcs.hpp"

namespace cascade {

enum class Direction {
  kAuto,  ///< direction-optimizing: push while the frontier is small, pull while it is large
  kPush,  ///< top-down only
  kPull,  ///< bottom-up at every step (for testing; slow on small frontiers)
};

struct IcParams {
  ArcProbability probability;  ///< uniform p, per-arc weights or weighted cascade
  Direction direction = Direction::kAuto;
  /// Switch to pull when the frontier's out-arcs exceed (unexplored arcs) / alpha (GAPBS: 15).
  double alpha = 15.0;
  /// Return to push when the frontier shrinks and holds fewer than n / beta vertices (GAPBS: 18).
  double beta = 18.0;
};

/// Reusable working memory of run_ic (frontier queues, bitmaps, per-thread buffers). Keep one to
/// run many trials without reallocating; one run at a time per object.
class IcScratch {
 public:
  IcScratch();
  ~IcScratch();
  IcScratch(const IcScratch&) = delete;
  IcScratch& operator=(const IcScratch&) = delete;
  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

/// One IC trial from the given seeds (ids < n; duplicates ignored). Parallel inside the trial;
/// O(n + arcs of the active vertices) work for push, about O(n + m) per pull step. Throws
/// InvalidArgument for a bad seed, probability or parameter. Pull uses g.transpose().
Cascade run_ic(const Graph& g, std::span<const Vertex> seeds, const IcParams& params,
               std::uint64_t master_seed, std::uint64_t trial);

/// As above, reusing coins (LiveArcs(g, params.probability, master seed): the coins carry the
/// master seed), scratch and the output's storage across trials.
void run_ic(const Graph& g, const LiveArcs& coins, std::span<const Vertex> seeds,
            const IcParams& params, std::uint64_t trial, IcScratch& scratch, Cascade& out);

/// One IC trial, sequential, counts only: same spread, per-step counts and arcs_examined as
/// run_ic for the same (coins, seeds, trial). Work O(seeds + arcs of the active vertices) -- no
/// O(n) term, thanks to the epoch-stamped scratch. For running many trials in parallel.
void run_ic_trial(const Graph& g, const LiveArcs& coins, std::span<const Vertex> seeds,
                  std::uint64_t trial, TrialScratch& scratch, TrialCounts& out);

}  // namespace cascade
