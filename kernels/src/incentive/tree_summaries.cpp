// Summary statistics of recruitment trees (cascade/tree_summaries.hpp).
#include "cascade/tree_summaries.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "cascade/error.hpp"

namespace cascade {

RecruitmentTree tree_of(const TrialTree& trial, const std::string& regime) {
  RecruitmentTree tree;
  tree.trial = trial.trial;
  tree.regime = regime;
  std::vector<Vertex> members;  // the joiners, ascending: member i is members[i]
  for (const Vertex v : trial.reached)
    if (trial.joined[v]) members.push_back(v), tree.join_hours.push_back(trial.join_hours[v]);
  const auto member = [&members](Vertex v) {
    const auto it = std::lower_bound(members.begin(), members.end(), v);
    return it != members.end() && *it == v ? static_cast<std::uint32_t>(it - members.begin())
                                           : RecruitmentTree::kRootMember;
  };
  tree.parent.assign(members.size(), RecruitmentTree::kRootMember);
  tree.found.assign(members.size(), 0);
  for (std::size_t i = 0; i < members.size(); ++i)
    if (trial.recruiter[members[i]] != kNoVertex)
      tree.parent[i] = member(trial.recruiter[members[i]]);
  for (const Vertex f : trial.finders)
    if (const std::uint32_t i = member(f); i != RecruitmentTree::kRootMember) ++tree.found[i];
  return tree;
}

std::vector<std::uint32_t> member_depths(const RecruitmentTree& tree) {
  constexpr std::uint32_t kUnset = 0xffffffffU;
  std::vector<std::uint32_t> depth(tree.parent.size(), kUnset);
  std::vector<std::uint32_t> path;
  for (std::size_t i = 0; i < tree.parent.size(); ++i) {
    // Walk up to a member of known depth (or a root), then assign depths on the way back down.
    std::uint32_t u = static_cast<std::uint32_t>(i);
    while (depth[u] == kUnset && tree.parent[u] != RecruitmentTree::kRootMember) {
      path.push_back(u);
      u = tree.parent[u];
    }
    if (depth[u] == kUnset) depth[u] = 0;
    for (auto it = path.rbegin(); it != path.rend(); ++it) depth[*it] = depth[u] + 1, u = *it;
    path.clear();
  }
  return depth;
}

TreeSummaries summarize_trees(const std::vector<RecruitmentTree>& trees,
                              const std::vector<double>& hours) {
  if (trees.empty()) throw InvalidArgument("summaries of no trees");
  TreeSummaries s;
  s.regime = trees.front().regime;
  s.trials = trees.size();
  s.hours = hours;
  s.signups.assign(hours.size(), 0.0);
  s.offspring_share.assign(kOffspringClasses, 0.0);
  s.depth_share.assign(kDepthClasses, 0.0);
  double members = 0, found = 0;
  for (const RecruitmentTree& tree : trees) {
    std::vector<double> times = tree.join_hours;
    std::sort(times.begin(), times.end());
    for (std::size_t j = 0; j < hours.size(); ++j)
      s.signups[j] += static_cast<double>(std::upper_bound(times.begin(), times.end(), hours[j]) -
                                          times.begin());
    std::vector<std::uint32_t> children(tree.parent.size(), 0);
    for (const std::uint32_t p : tree.parent)
      if (p != RecruitmentTree::kRootMember) ++children[p];
    for (const std::uint32_t c : children)
      s.offspring_share[std::min<std::size_t>(c, kOffspringClasses - 1)] += 1;
    for (const std::uint32_t d : member_depths(tree))
      s.depth_share[std::min<std::size_t>(d, kDepthClasses - 1)] += 1;
    for (const std::uint32_t f : tree.found) found += f;
    members += static_cast<double>(tree.parent.size());
  }
  const double per_trial = 1.0 / static_cast<double>(trees.size());
  for (double& x : s.signups) x *= per_trial;
  for (double& x : s.offspring_share) x = members > 0 ? x / members : 0.0;
  for (double& x : s.depth_share) x = members > 0 ? x / members : 0.0;
  s.targets_found = found * per_trial;
  return s;
}

std::vector<double> summary_vector(const TreeSummaries& s) {
  std::vector<double> v;
  for (const double x : s.signups) v.push_back(std::log1p(x));  // NaN stays NaN
  v.insert(v.end(), s.offspring_share.begin(), s.offspring_share.end());
  v.insert(v.end(), s.depth_share.begin(), s.depth_share.end());
  v.push_back(s.targets_found);
  v.push_back(s.hours_to_all_targets);
  return v;
}

std::vector<std::string> summary_names(const TreeSummaries& s) {
  auto shortest = [](double x) {
    char buf[32];
    return std::string(buf, std::to_chars(buf, buf + sizeof buf, x).ptr);
  };
  std::vector<std::string> names;
  for (const double h : s.hours) names.push_back("signups@" + shortest(h) + "h");
  for (std::size_t k = 0; k < s.offspring_share.size(); ++k)
    names.push_back("offspring=" + std::to_string(k) + (k + 1 == kOffspringClasses ? "+" : ""));
  for (std::size_t d = 0; d < s.depth_share.size(); ++d)
    names.push_back("depth=" + std::to_string(d) + (d + 1 == kDepthClasses ? "+" : ""));
  names.push_back("targets_found");
  names.push_back("hours_to_all_targets");
  return names;
}

}  // namespace cascade
