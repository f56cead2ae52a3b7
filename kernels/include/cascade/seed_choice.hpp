#pragma once
// Incentive-aware seeding: choose the K initial members of a mobilization that maximize, under
// each regime's scheme, the expected recruits by the horizon or the chance that every target is
// found (`cascade mobilize S --choose-seeds K`).
//
// Method: greedy over a candidate pool (the C highest-degree people) with common random numbers:
// every evaluation of every seed set runs the same trials 0 .. T-1 (mobilize's trials, the same
// coins, delays and targets), so comparisons between seed sets are paired, and the objective is a
// sum of integers (joiners, or trials with every target found), so the choice is exact and the
// same for any thread count. Recruits: per trial the joiners by the horizon are the people within
// time T of a seed over the trial's live, joining arcs -- a coverage function, monotone and
// submodular -- so the lazy greedy (CELF) returns exactly what the plain greedy returns, with far
// fewer simulations. Targets: "all found" is not submodular, so the plain greedy evaluates every
// candidate in every round. Reverse-influence sampling is not used: the horizon-limited,
// regime-dependent timed cascade has no cheap reverse sample.
//
// Beliefs: the regimes' behaviour is fixed at the beliefs mobilize() solves for the scenario as
// written (its own seeds); re-solving the belief fixed point for every candidate set would cost
// one solve per evaluation. The chosen seeds are compared with the top-degree seeds and with
// random seeds (new ones each trial, as the scenario's "random" choice) on the same trials.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "cascade/graph.hpp"
#include "cascade/recruitment.hpp"
#include "cascade/scenario.hpp"

namespace cascade {

enum class SeedObjective { kRecruits, kTargets };

struct SeedChoiceOptions {
  std::uint64_t k = 1;
  SeedObjective objective = SeedObjective::kRecruits;
  /// Candidates: the `pool` highest-degree people (ties to the smaller id); 0: max(32, 8 k),
  /// capped at the population.
  std::uint64_t pool = 0;
  std::uint64_t trials = 0;  ///< 0: the scenario's trials
  std::size_t threads = 0;   ///< 0: all cores
};

/// Default pool size for k seeds among n people: min(n, max(32, 8 k)).
std::uint64_t default_seed_pool(std::uint64_t k, std::uint64_t n);

/// The objective of one regime on fixed trials (common random numbers).
class SeedObjectiveEvaluator {
 public:
  /// perceived: the beliefs each regime runs under (one per scenario regime).
  SeedObjectiveEvaluator(const Graph& g, const Scenario& s, const std::vector<Beliefs>& perceived,
                         std::uint64_t trials, SeedObjective objective);
  /// Sum over trials 0 .. trials-1 of the objective of regime `regime` from `seeds`: joiners by
  /// the horizon (seeds included), or 1 per trial in which every target was found.
  std::uint64_t total(std::size_t regime, std::span<const Vertex> seeds) const;
  /// The same with k random seeds per trial (random_seeds(g, k, master seed, trial)).
  std::uint64_t total_random(std::size_t regime, std::uint64_t k) const;
  std::uint64_t trials() const { return trials_; }
  std::uint64_t simulations() const { return simulations_; }

 private:
  std::uint64_t one(std::size_t regime, std::span<const Vertex> seeds, std::uint64_t trial) const;
  const Graph& g_;
  const Scenario& s_;
  std::uint64_t trials_;
  SeedObjective objective_;
  LiveArcs arcs_;
  std::vector<RegimeBehaviour> behaviours_;
  mutable std::uint64_t simulations_ = 0;
};

struct RegimeSeedChoice {
  std::string regime;
  std::vector<Vertex> seeds;      ///< in the order chosen
  std::vector<double> gains;      ///< objective gained by each seed (mean per trial)
  double chosen = 0.0;            ///< objective of the chosen seeds (mean per trial)
  double top_degree = 0.0;        ///< of the k top-degree seeds, same trials
  double random = 0.0;            ///< of k random seeds per trial, same trials
  std::uint64_t evaluations = 0;  ///< seed sets evaluated by the greedy (each `trials` runs)
};

struct SeedChoiceReport {
  SeedObjective objective = SeedObjective::kRecruits;
  std::uint64_t k = 0, pool = 0, trials = 0;
  bool lazy = false;  ///< CELF (recruits) or plain greedy (targets)
  std::vector<RegimeSeedChoice> regimes;
  std::uint64_t simulations = 0;  ///< timed cascades run in all (beliefs excluded)
  double beliefs_seconds = 0.0;   ///< solving the beliefs (one mobilize run)
  double seconds = 0.0;           ///< the greedy and the comparisons
};

/// Chooses k seeds per regime of the scenario on g (its network). Throws InvalidArgument for
/// k = 0 or k > population (naming k) or a pool smaller than k. Deterministic for any threads.
SeedChoiceReport choose_seeds(const Graph& g, const Scenario& s, const SeedChoiceOptions& o);

}  // namespace cascade
