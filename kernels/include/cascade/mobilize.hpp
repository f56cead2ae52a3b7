#pragma once
// mobilize(): runs a scenario's regimes on one network with common random numbers, trial by
// trial, and summarises recruits, reach, targets, payouts, the recruitment tree and curves over
// time. The report's JSON / CSV / table forms are the front end's (cascade/mobilize_report.hpp);
// the schema is documented in data/scenarios/README.md.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "cascade/beliefs.hpp"
#include "cascade/distributed.hpp"
#include "cascade/graph.hpp"
#include "cascade/incentive.hpp"
#include "cascade/scenario.hpp"
#include "cascade/sybil.hpp"
#include "cascade/timed.hpp"
#include "cascade/trees.hpp"

namespace cascade {

struct MobilizeOptions {
  std::uint64_t trials = 0;              ///< 0: the scenario's trials
  std::size_t threads = 0;               ///< 0: all cores (a ThreadLimit while running)
  std::function<void(double)> progress;  ///< called with the fraction done, in [0, 1]
  /// null: this process runs every trial. Else a collective call on every rank of the group:
  /// each runs a contiguous block of trials (rank_trials; progress counts its block) and rank 0
  /// gathers the per-trial results in trial order; see mobilize().
  const Communicator* communicator = nullptr;
  /// Optional: called with the recruitment forest of every final trial of every regime that this
  /// process runs (with a communicator: this rank's block), in trial order, regimes in scenario
  /// order, from the calling thread. The views are valid during the call only.
  std::function<void(const TrialTree&)> on_tree;
  /// false: leave each regime's `theory` (branching-process predictions: O(n) Newton solves)
  /// at zero, for a caller that only reads the simulated quantities (cascade fit).
  bool theory = true;
};

/// A quantity over trials: mean, standard error, 95% interval of the mean (normal_ci95 of
/// cascade/statistics.hpp: mean -/+ kZ95 SE),
/// min and max.
struct Summary {
  double mean = 0, se = 0, lo = 0, hi = 0, min = 0, max = 0;
  static Summary of(const std::vector<double>& values);
};

/// A curve on the hour grid: per point the mean over trials and the 95% band of the mean.
struct Band {
  std::vector<double> mean, lo, hi;
};

struct TargetReport {
  std::uint64_t found_count = 0;  ///< trials in which it was found within the horizon
  double found_fraction = 0.0;
  double hours_mean = 0.0;  ///< hours after it appeared, over trials where found
};

/// Branching theory of a regime (cascade/branching.hpp) on the network's degree sequence.
struct TheoryReport {
  double growth_factor = 0.0;        ///< mean arc-reached recruits of an arc-reached person
  double takeoff_probability = 0.0;  ///< mean over trials of the takeoff chance of its seeds
  double final_fraction = 0.0;       ///< joined fraction given takeoff, no horizon
  double doubling_time_hours = 0.0;  ///< NaN when the growth factor is <= 1
};

/// What the trials did, to set beside the theory. A trial "takes off" when its recruits within
/// the horizon reach MobilizationReport::takeoff_recruits.
struct ObservedReport {
  std::uint64_t takeoff_trials = 0;
  double takeoff_fraction = 0.0;
  Summary final_fraction;             ///< recruits / n over the trials that took off
  double doubling_time_hours = 0.0;   ///< NaN unless some trial grew from takeoff / 8 to takeoff
  std::uint64_t doubling_trials = 0;  ///< trials the doubling time averages over
  double offspring_mean = 0.0;        ///< mean recruits per joiner
  double recruiting_share = 0.0;      ///< share of joiners who recruited at least one
};

struct RegimeReport {
  std::string name;
  IncentiveScheme scheme;
  double strength = 0.0;
  /// Beliefs the regime ran under (perceived) and what the final trials paid (realised); in
  /// consistent mode the fixed point's rounds and convergence (cascade/beliefs.hpp).
  BeliefMode belief_mode = BeliefMode::kConsistent;
  BeliefSolution beliefs;
  /// Profit-motive decision values after probability weighting (equal to the expected values
  /// when weighting is off).
  double weighted_join_dollars = 0.0, weighted_recruit_dollars = 0.0;
  double mean_share_probability = 0.0, mean_join_probability = 0.0;
  double r0_theory = 0.0;  ///< sum_v k(k-1) p q / sum_v k
  Summary recruits, reached, payout_dollars, charity_dollars, targets_found;
  Summary max_payoff_dollars, gini, depth_max;
  /// Observed mean offspring, corrected for the horizon: over non-seed joiners u that joined at
  /// least one median delay (times u's delay factor) before the horizon, pooled over trials,
  /// sum offspring(u) / F((T - t_u) / f_u) divided by their number, where F is the delay CDF
  /// (the chance that a recruit of u arrives before T). Compare with r0_theory; saturation of a
  /// finite network (and recruits claimed first by someone else) pull it below.
  double branching_observed = 0.0;
  std::uint64_t branching_parents = 0;     ///< joiners the estimate averages over
  std::vector<double> branching_by_depth;  ///< generation growth: mean Z_{d+1} / mean Z_d
  double budget_dollars = 0.0;
  double cost_per_recruit = 0.0;        ///< payout mean / recruits mean (dollars)
  std::uint64_t all_targets_count = 0;  ///< trials in which every target was found
  double hours_to_all_mean = 0.0;       ///< mean over those trials (hours after appearing)
  Summary hours_to_all;                 ///< the same over those trials, with its 95% interval
  /// Hours to all targets of each trial that found them all, ascending: the empirical CDF of the
  /// time to all targets is (index + 1) / trials (it levels off at all_targets_count / trials).
  std::vector<double> hours_to_all_sorted;
  std::vector<TargetReport> targets;
  std::vector<double> depth_histogram;      ///< mean joiners at each depth
  std::vector<double> offspring_histogram;  ///< mean joiners with 0, 1, ... recruits (last: more)
  /// Recruitment-tree sizes (an initial member and everyone below it, the member included):
  /// bin k = mean trees per trial with size in [2^k, 2^(k+1)); kTreeSizeBins bins.
  std::vector<double> tree_size_histogram;
  Band reached_curve, joined_curve, active_curve;
  TheoryReport theory;
  ObservedReport observed;
  /// The scenario's false-name attack (cascade/sybil.hpp), when it has one: per trial, in
  /// dollars (exact cents / 100), attackers' gain = honest loss + charity loss.
  bool attack = false;
  Summary attack_gain_dollars, attack_honest_loss_dollars, attack_charity_loss_dollars;
  double attackers_mean = 0.0;               ///< joined attackers per trial
  SybilRole attack_role = SybilRole::kBoth;  ///< which side of the attack was measured
};

struct MobilizationReport {
  std::string scenario;
  std::string generator;
  std::uint64_t vertices = 0, arcs = 0;
  std::uint64_t trials = 0, master_seed = 0, seeds_per_trial = 0, num_targets = 0;
  double horizon_hours = 0.0, curve_step_hours = 0.0, targets_appear_hours = 0.0;
  std::vector<double> hours;           ///< the curve grid: 0, step, 2 step, ... <= horizon
  std::uint64_t takeoff_recruits = 0;  ///< a trial takes off at ceil(sqrt(n)) recruits
  std::vector<RegimeReport> regimes;
  bool probability_weighting = false;
  double weighting_gamma = 0.0;
  std::vector<std::string> warnings;  ///< e.g. beliefs that did not converge
  double network_seconds = 0.0;       ///< filled in by the caller that built the network
  double simulate_seconds = 0.0;      ///< mobilize() itself
};

inline constexpr std::size_t kOffspringBins = 33;  ///< 0 .. 31 recruits, then 32 or more
inline constexpr std::size_t kTreeSizeBins = 33;   ///< sizes [2^k, 2^(k+1)), k = 0 .. 32

/// Runs every regime of the scenario for the trials on g (the scenario's network). Trials run
/// one after another, each cascade in parallel; results are identical for any thread count.
/// Memory O(n) per regime plus O(n) per running trial. With options.communicator, rank 0's report
/// is bit-identical to one process's (timings aside); other ranks get the report without regimes.
MobilizationReport mobilize(const Graph& g, const Scenario& scenario,
                            const MobilizeOptions& options = {});

/// Hidden targets that the joiners of cascade c find in trial `trial` (mobilize's rule: witnesses
/// and sightings hashed from the scenario's master seed and the trial). O(targets * witnesses).
std::uint64_t targets_found(const TimedCascade& c, const Scenario& s, std::uint64_t trial);

}  // namespace cascade
