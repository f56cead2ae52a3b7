// Query incentive networks (cascade/query_incentive.hpp): the fixed-payment equilibrium by
// backward induction over the reward, and its simulation on counter-based random trees.
//
// Determinism: every draw of trial t is a pure function of (master, t, depth, index in the
// generation); trials are independent and their results are counted in trial order, so the
// count is the same for any thread count.
#include "cascade/query_incentive.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "cascade/error.hpp"
#include "cascade/random.hpp"

namespace cascade {

namespace {

constexpr std::uint64_t kQueryTag = 0x5155455259000000ULL;  // "QUERY": apart from other traits
constexpr double kMaxPoissonMean = 100.0;
constexpr double kMaxRarity = 1e9;

std::string num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

// gamma(x) = 1 - G(1 - beta): computed as -expm1(log G) so that tiny beta keeps its digits.
double deliver_probability(const QueryIncentiveParams& p, double beta) {
  if (p.offspring == Offspring::kPoisson) return -std::expm1(-p.mean * beta);
  return -std::expm1(static_cast<double>(p.children) * std::log1p(-p.activity * beta));
}

// Active children of one node: d coins (binomial) or Poisson(b) by inversion.
std::uint64_t draw_children(const QueryIncentiveParams& p, rng::Stream& s) {
  if (p.offspring == Offspring::kBinomial) {
    const std::uint64_t t = rng::threshold(p.activity);
    std::uint64_t k = 0;
    for (std::uint32_t i = 0; i < p.children; ++i) k += rng::coin(s.next(), t);
    return k;
  }
  const double u = s.next_unit();
  double term = std::exp(-p.mean), cdf = term;
  std::uint64_t k = 0;
  while (u >= cdf && term > 0.0) {
    ++k;
    term *= p.mean / static_cast<double>(k);
    cdf += term;
  }
  return k;
}

// One trial: generation by generation until an answer, extinction or an offer of 0.
bool trial_found(const QueryIncentiveParams& p, const std::vector<std::uint64_t>& offer,
                 std::uint64_t reward, std::uint64_t master, std::uint64_t trial) {
  const std::uint64_t key = rng::hash(master, rng::Purpose::kVertexTrait, trial, kQueryTag);
  const std::uint64_t answer = rng::threshold(1.0 / p.rarity);
  rng::Stream root(key, rng::Purpose::kVertexTrait, 0, 0);
  std::uint64_t count = draw_children(p, root);  // generation 1, each offered `reward`
  std::uint64_t r = reward;
  for (std::uint64_t depth = 1; count > 0 && r >= 1; ++depth) {
    std::uint64_t next = 0;
    for (std::uint64_t i = 0; i < count; ++i) {
      rng::Stream s(key, rng::Purpose::kVertexTrait, depth, i);
      if (rng::coin(s.next(), answer)) return true;
      next += draw_children(p, s);
    }
    r = offer[r];  // what this generation offers the next
    count = next;
  }
  return false;
}

}  // namespace

void QueryIncentiveParams::validate() const {
  if (offspring == Offspring::kBinomial) {
    if (children < 1 || children > kMaxChildren)
      throw InvalidArgument("children " + std::to_string(children) + " is not in [1, " +
                            std::to_string(kMaxChildren) + "]");
    if (!(activity > 0.0 && activity <= 1.0))
      throw InvalidArgument("activity " + num(activity) + " is not in (0, 1]");
  } else if (!(mean > 0.0 && mean <= kMaxPoissonMean)) {
    throw InvalidArgument("mean " + num(mean) + " is not in (0, " + num(kMaxPoissonMean) + "]");
  }
  if (!(rarity >= 1.0 && rarity <= kMaxRarity))
    throw InvalidArgument("rarity " + num(rarity) + " is not in [1, " + num(kMaxRarity) + "]");
  if (!(success > 0.0 && success < 1.0))
    throw InvalidArgument("success " + num(success) + " is not in (0, 1)");
  if (max_reward < 1 || max_reward > kMaxReward)
    throw InvalidArgument("max_reward " + std::to_string(max_reward) + " is not in [1, " +
                          std::to_string(kMaxReward) + "]");
}

double QueryIncentiveParams::branching() const {
  return offspring == Offspring::kPoisson ? mean : activity * static_cast<double>(children);
}

double QueryIncentiveParams::generating_function(double s) const {
  if (offspring == Offspring::kPoisson) return std::exp(mean * (s - 1.0));
  return std::pow(1.0 - activity + activity * s, static_cast<double>(children));
}

const char* offspring_name(Offspring o) {
  return o == Offspring::kPoisson ? "poisson" : "binomial";
}

Offspring parse_offspring(const std::string& name) {
  if (name == "binomial") return Offspring::kBinomial;
  if (name == "poisson") return Offspring::kPoisson;
  throw InvalidArgument("offspring '" + name + "' is not binomial or poisson");
}

QueryStrategy strategy_success(const QueryIncentiveParams& p, std::vector<std::uint64_t> offer) {
  p.validate();
  QueryStrategy s;
  s.offer = std::move(offer);
  s.beta.assign(s.offer.size(), 0.0);
  s.gamma.assign(s.offer.size(), 0.0);
  const double own = 1.0 / p.rarity;
  for (std::size_t r = 0; r < s.offer.size(); ++r) {
    if (r == 0 ? s.offer[0] != 0 : s.offer[r] >= r)
      throw InvalidArgument("offer " + std::to_string(s.offer[r]) + " for reward " +
                            std::to_string(r) + " is not below the reward");
    if (r == 0) continue;
    s.beta[r] = own + (1.0 - own) * s.gamma[s.offer[r]];
    s.gamma[r] = deliver_probability(p, s.beta[r]);
  }
  return s;
}

void extend_equilibrium(const QueryIncentiveParams& p, QueryStrategy& s, std::uint64_t last,
                        bool stop_at_success) {
  if (s.offer.empty()) s.offer = {0}, s.beta = {0.0}, s.gamma = {0.0};
  const double own = 1.0 / p.rarity;
  for (std::uint64_t r = s.offer.size(); r <= last; ++r) {
    // Best response: the smallest x maximising (r - x) gamma(x), searched from f(r - 1).
    std::uint64_t best = s.offer[r - 1];
    double best_value = static_cast<double>(r - best) * s.gamma[best];
    // gamma is nondecreasing, so (r - x) gamma(r - 1) bounds every later value: stop there.
    for (std::uint64_t x = best + 1; x < r; ++x) {
      if (static_cast<double>(r - x) * s.gamma[r - 1] <= best_value) break;
      const double value = static_cast<double>(r - x) * s.gamma[x];
      if (value > best_value) best = x, best_value = value;
    }
    s.offer.push_back(best);
    s.beta.push_back(own + (1.0 - own) * s.gamma[best]);
    s.gamma.push_back(deliver_probability(p, s.beta.back()));
    if (stop_at_success && s.gamma.back() >= p.success) return;
  }
}

QueryStrategy equilibrium_strategy(const QueryIncentiveParams& p, std::uint64_t beyond) {
  p.validate();
  QueryStrategy s;
  extend_equilibrium(p, s, p.max_reward, true);
  const std::uint64_t r_star = s.offer.size() - 1;
  if (beyond > 0 && r_star < p.max_reward)
    extend_equilibrium(p, s, std::min(p.max_reward, r_star + beyond), false);
  return s;
}

std::uint64_t required_reward(const QueryStrategy& s, double sigma) {
  for (std::size_t r = 1; r < s.gamma.size(); ++r)
    if (s.gamma[r] >= sigma) return r;
  return 0;
}

std::vector<std::uint64_t> split_offers(double share, std::uint64_t max_reward) {
  if (!(share >= 0.0 && share < 1.0))
    throw InvalidArgument("share " + num(share) + " is not in [0, 1)");
  std::vector<std::uint64_t> offer(max_reward + 1, 0);
  for (std::uint64_t r = 1; r <= max_reward; ++r)
    offer[r] = std::min<std::uint64_t>(
        r - 1, static_cast<std::uint64_t>(std::floor(share * static_cast<double>(r))));
  return offer;
}

std::uint64_t simulate_query_found(const QueryIncentiveParams& p,
                                   const std::vector<std::uint64_t>& offer, std::uint64_t reward,
                                   std::uint64_t trials, std::uint64_t master_seed) {
  p.validate();
  if (reward >= offer.size())
    throw InvalidArgument("reward " + std::to_string(reward) + " is beyond the strategy's table (" +
                          std::to_string(offer.size() - 1) + ")");
  std::vector<std::uint8_t> found(trials, 0);
  tbb::parallel_for(std::uint64_t{0}, trials, [&](std::uint64_t t) {
    found[t] = trial_found(p, offer, reward, master_seed, t) ? 1 : 0;
  });
  std::uint64_t count = 0;
  for (const std::uint8_t f : found) count += f;
  return count;
}

std::uint64_t simulated_required_reward(const QueryIncentiveParams& p,
                                        const std::vector<std::uint64_t>& offer,
                                        std::uint64_t trials, std::uint64_t master_seed) {
  if (offer.size() < 2 || trials == 0) return 0;
  const auto reaches = [&](std::uint64_t r) {
    const double found =
        static_cast<double>(simulate_query_found(p, offer, r, trials, master_seed));
    return found >= p.success * static_cast<double>(trials);
  };
  std::uint64_t lo = 0, hi = offer.size() - 1;  // invariant: lo fails (0 always does), hi reaches
  if (!reaches(hi)) return 0;
  while (hi - lo > 1) {
    const std::uint64_t mid = lo + (hi - lo) / 2;
    (reaches(mid) ? hi : lo) = mid;
  }
  return hi;
}

QueryReport run_query_experiment(const QueryExperiment& e, std::uint64_t trials,
                                 std::uint64_t master_seed) {
  const QueryIncentiveParams& p = e.params;
  p.validate();
  if (e.reward > p.max_reward)
    throw InvalidArgument("reward " + std::to_string(e.reward) + " is above max_reward " +
                          std::to_string(p.max_reward));
  QueryReport q;
  q.branching = p.branching();
  q.expected_depth = q.branching > 1.0 ? std::log(p.rarity) / std::log(q.branching) : NAN;
  // h = P(an active node's subtree holds no answer) = (1 - 1/n) G(h), the smallest root.
  double h = 0.0;
  for (int i = 0; i < 100000; ++i) {
    const double next = (1.0 - 1.0 / p.rarity) * p.generating_function(h);
    if (next - h < 1e-15) break;
    h = next;
  }
  q.answer_anywhere = 1.0 - p.generating_function(h);
  QueryStrategy s;
  if (e.split) {
    s = strategy_success(p, split_offers(e.split_share, p.max_reward));
  } else if (p.success >= q.answer_anywhere) {
    // No reward reaches sigma: skip the long search, keep a table up to the probe.
    extend_equilibrium(p, s, std::min(p.max_reward, std::max<std::uint64_t>(e.reward, 64)));
  } else {
    s = equilibrium_strategy(p);
    // Room beyond r* for a simulated r* above the exact one, and up to the probe.
    const std::uint64_t r_star = required_reward(s, p.success);
    if (r_star > 0)
      extend_equilibrium(p, s, std::min(p.max_reward, std::max(e.reward, r_star + r_star / 2 + 8)),
                         false);
  }
  q.required_reward = required_reward(s, p.success);
  q.reward = e.reward > 0 ? e.reward : (q.required_reward > 0 ? q.required_reward : p.max_reward);
  q.reward = std::min<std::uint64_t>(q.reward, s.offer.size() - 1);
  q.offer = s.offer[q.reward];
  q.exact_success = s.gamma[q.reward];
  q.trials = trials;
  q.found = simulate_query_found(p, s.offer, q.reward, trials, master_seed);
  q.simulated_success = trials ? static_cast<double>(q.found) / static_cast<double>(trials) : 0.0;
  q.standard_error =
      trials ? std::sqrt(q.exact_success * (1.0 - q.exact_success) / static_cast<double>(trials))
             : 0.0;
  q.simulated_required_reward = simulated_required_reward(p, s.offer, trials, master_seed);
  return q;
}

}  // namespace cascade
