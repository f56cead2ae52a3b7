#pragma once
// One trial of one mobilize regime (mobilize.cpp runs them and summarises): the hidden targets,
// everything a trial contributes to the report, and the bit-exact encoding that gathers the
// trials of other ranks.
#include <cstdint>
#include <limits>
#include <vector>

#include "cascade/beliefs.hpp"
#include "cascade/distributed.hpp"
#include "cascade/mobilize.hpp"
#include "cascade/recruitment.hpp"
#include "cascade/timed.hpp"
#include "distributed/byte_io.hpp"

namespace cascade::detail {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Everything one trial of one regime contributes to the report.
struct TrialResult {
  double recruits = 0, reached = 0, payout = 0, charity = 0, found = 0;
  double max_payoff = 0, gini = 0, depth_max = 0;
  double hours_to_all = kNaN;                            // NaN unless every target was found
  double branching_parents = 0, branching_children = 0;  // censoring-corrected offspring sums
  std::vector<double> target_hours;                      // NaN when not found
  std::vector<std::uint64_t> depth_histogram, offspring_histogram, tree_size_histogram;
  std::vector<std::uint64_t> reached_curve, joined_curve, active_curve;
  RealisedTally tally;  // what the scheme paid, for the realised beliefs
  std::uint64_t network_size = 0;
  double attack_gain = 0, attack_honest_loss = 0, attack_charity_loss = 0, attackers = 0;
};

// The hidden targets of one trial (the same for every regime): witness w of target t and its
// sighting time are drawn from the stream (master, kTarget, trial, t). A target is found by the
// joined witness with the earliest max(join time, sighting time), ties to the smaller id.
struct TargetOutcome {
  std::vector<double> hours;    // after the targets appear; NaN when not found
  std::vector<Vertex> finders;  // one per found target
};

TargetOutcome find_targets(const TimedCascade& c, const Scenario& s, std::uint64_t trial);

/// The trial's joiners as a compact forest: member i is vertex vertex[i] (ascending ids, so every
/// loop over members visits vertices in the order a loop over all n would), its recruiter a
/// member index. The payoff, Sybil and shape kernels run on it in O(joiners), whatever n is:
/// a red-balloon trial joins a few hundred people of a network of 262,144.
struct CompactTrial {
  std::vector<Vertex> vertex;        // member -> vertex
  std::vector<Vertex> recruiter;     // member -> its recruiter's member index, or kNoVertex
  std::vector<std::uint8_t> joined;  // all 1: the kernels' forest form
  std::vector<Vertex> finders;       // member indices, one per found target
  RecruitmentForest forest() const { return {recruiter, joined, finders}; }
};

CompactTrial compact_trial(const TimedCascade& c, const TargetOutcome& targets);

/// The report's share of one trial: targets, payoffs, the attack, tree shape, curves with
/// `points` grid points.
TrialResult evaluate_trial(const TimedCascade& c, const Scenario& s, const IncentiveScheme& scheme,
                           const RegimeBehaviour& behaviour, std::uint64_t trial,
                           std::size_t points);

/// One belief round's trial: the cascade, its targets and payoffs, tallied.
RealisedTally belief_trial(const TimedCascade& c, const Scenario& s, const IncentiveScheme& scheme,
                           std::uint64_t trial);

void put_tally(ByteWriter& w, RealisedTally t);
RealisedTally get_tally(ByteReader& r);

/// Replaces each regime's records of this rank's trials by every rank's, in trial order, on rank
/// 0 (other ranks end with none).
void gather_trials(const Communicator& comm, std::vector<std::vector<TrialResult>>& results);

}  // namespace cascade::detail
