#pragma once
// Recruitment trees as data (one tree per trial and regime, observed or simulated) and the
// summary statistics that `cascade fit` compares: sign-ups over time, the offspring
// distribution, the depth distribution and the targets found (and, where known, the time to
// find them all). A published record can give the same summaries directly (a summaries file),
// with any statistic it does not report left unknown (NaN): unknown statistics are skipped.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "cascade/trees.hpp"

namespace cascade {

/// One recruitment tree: member i was recruited by member parent[i] (kRootMember for the
/// initial members), joined at join_hours[i] and found found[i] targets.
struct RecruitmentTree {
  static constexpr std::uint32_t kRootMember = 0xffffffffU;
  std::uint64_t trial = 0;
  std::string regime;
  std::vector<std::uint32_t> parent;
  std::vector<double> join_hours;
  std::vector<std::uint32_t> found;
};

/// The joiners of a simulated trial as a tree (members in increasing person id), named regime.
/// O(n).
RecruitmentTree tree_of(const TrialTree& trial, const std::string& regime);

/// Depth of every member (initial members 0). The tree must be acyclic (parse_trees_csv checks
/// it; simulated trees are). O(members).
std::vector<std::uint32_t> member_depths(const RecruitmentTree& tree);

inline constexpr std::size_t kOffspringClasses = 5;  ///< 0, 1, 2, 3, 4 or more recruits
inline constexpr std::size_t kDepthClasses = 8;      ///< depth 0 .. 6, 7 or more
inline constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();

/// The summaries of one regime's trees. Means are over trials; shares pool every member of
/// every trial. NaN marks a statistic the data does not give (skipped when comparing).
struct TreeSummaries {
  std::string regime;
  std::uint64_t trials = 0;
  std::vector<double> hours;               ///< where sign-ups are counted
  std::vector<double> signups;             ///< per hour: mean members with join_hours <= hour
  std::vector<double> offspring_share;     ///< kOffspringClasses: share of members with k recruits
  std::vector<double> depth_share;         ///< kDepthClasses: share of members at depth d
  double targets_found = kUnknown;         ///< mean targets found per trial
  double hours_to_all_targets = kUnknown;  ///< mean hours from the targets' appearance until
                                           ///< the last is found (censored at the horizon)
};

/// Summaries of trees that all belong to one regime, sign-ups counted at hours. Throws
/// InvalidArgument when trees is empty. O(total members + trials * hours).
TreeSummaries summarize_trees(const std::vector<RecruitmentTree>& trees,
                              const std::vector<double>& hours);

/// The statistics as one vector, in a fixed order (sign-ups as log(1 + count), then offspring
/// shares, depth shares, targets found, hours to all targets), with the name of each entry
/// ("signups@12h", "offspring=4+", "depth=3", ...). Unknown entries stay NaN.
std::vector<double> summary_vector(const TreeSummaries& s);
std::vector<std::string> summary_names(const TreeSummaries& s);

}  // namespace cascade
