#pragma once
// Query incentive networks (Kleinberg and Raghavan, "Query Incentive Networks", FOCS 2005): the
// exact equilibrium of the fixed-payment game and a simulation of it on random trees.
//
// The model, in the paper's notation. The root v* asks a question. Its descendants form a
// Galton-Watson tree: every active node has d potential children, each active with probability q
// (binomial offspring, branching b = q d), or Poisson(b) children. Every node other than the root
// holds the answer independently with probability 1/n (rarity n; the nearest answer lies at
// depth about log_b n). Rewards are integers. A node offered r >= 1 takes part (one unit is the
// least that pays for its effort; a node offered 0 does nothing): if it holds the answer it
// answers; otherwise it offers f(r) in {0, ..., r - 1} to its children and, if an answer comes
// back through it, keeps r - f(r). Every node plays the same strategy f.
//
// Exact success probabilities for any strategy f. With G the offspring generating function
// (binomial: G(s) = (1 - q + q s)^d; Poisson: G(s) = exp(b (s - 1))),
//   beta(0) = 0,  beta(r) = 1/n + (1 - 1/n) gamma(f(r))   (an active node offered r delivers)
//   gamma(x) = 1 - G(1 - beta(x))    (some child offered x delivers; also the root's success
//                                     when it offers x to its children)
// Equilibrium (backward induction over r, as in the paper): a node that lacks the answer is paid
// only if an answer comes through it, so it maximises (r - x) gamma(x); its siblings and
// ancestors only scale that by a factor it cannot change. Hence
//   f(r) = argmax_{0 <= x < r} (r - x) gamma(x)   (ties: the smallest x)
// computed for r = 1, 2, ... in turn (gamma(x) needs f only below r). The reward the root needs
// for success probability sigma is r*(n, b, sigma) = min { r : gamma(r) >= sigma }.
// The paper's threshold: for b > 2, r* = O(log n) (linear in the depth of the nearest answer);
// for 1 < b < 2, r* grows like n^c (exponential in that depth).
#include <cstdint>
#include <string>
#include <vector>

namespace cascade {

enum class Offspring { kBinomial, kPoisson };

struct QueryIncentiveParams {
  Offspring offspring = Offspring::kBinomial;
  std::uint32_t children = 4;  ///< d: potential children of a node (binomial)
  double activity = 0.75;      ///< q: chance that a potential child is active (binomial)
  double mean = 3.0;           ///< b: mean children (Poisson)
  double rarity = 1000.0;      ///< n >= 1: each node holds the answer with probability 1/n
  double success = 0.5;        ///< sigma in (0, 1): the root's target probability
  std::uint64_t max_reward = 1'000'000;  ///< r is searched up to this (<= kMaxReward)
  static constexpr std::uint64_t kMaxReward = 100'000'000;
  static constexpr std::uint32_t kMaxChildren = 1'000'000;

  /// Throws InvalidArgument naming the bad field (children, activity, mean, rarity, success,
  /// max_reward). O(1).
  void validate() const;
  /// b: q d (binomial) or the Poisson mean.
  double branching() const;
  /// G(s), the offspring generating function at s in [0, 1].
  double generating_function(double s) const;
};

/// "binomial" or "poisson"; parse_offspring throws InvalidArgument for anything else.
const char* offspring_name(Offspring o);
Offspring parse_offspring(const std::string& name);

/// A symmetric strategy f and its exact success probabilities, for rewards 0 .. size - 1.
struct QueryStrategy {
  std::vector<std::uint64_t> offer;  ///< f(r) < r (f(0) = 0)
  std::vector<double> beta;          ///< beta(r): an active node offered r delivers the answer
  std::vector<double> gamma;         ///< gamma(r): the root offering r gets the answer
};

/// The success probabilities of a given strategy (offer[r] < r for r >= 1, offer[0] = 0).
/// Throws InvalidArgument for an offer that is not below its reward. O(size).
QueryStrategy strategy_success(const QueryIncentiveParams& p, std::vector<std::uint64_t> offer);

/// The equilibrium f(r) and its probabilities for r = 0 .. r* + beyond, r* the smallest r with
/// gamma(r) >= sigma (at most max_reward; up to max_reward when sigma is not reached). The argmax
/// for r is searched from f(r - 1) up (f is nondecreasing in r: (r - x) gamma(x) has increasing
/// differences since gamma is nondecreasing) and stops where (r - x) gamma(r - 1) cannot beat the
/// best value so far: at most O(r*^2), in practice close to O(r*).
QueryStrategy equilibrium_strategy(const QueryIncentiveParams& p, std::uint64_t beyond = 0);

/// Continues an equilibrium table s (empty: from r = 0) up to reward `last`, stopping early at
/// the first r with gamma(r) >= sigma when stop_at_success. Same cost per reward as above.
void extend_equilibrium(const QueryIncentiveParams& p, QueryStrategy& s, std::uint64_t last,
                        bool stop_at_success = false);

/// r*: the smallest r with gamma(r) >= sigma in a strategy (0 if none).
std::uint64_t required_reward(const QueryStrategy& s, double sigma);

/// The split strategy f(r) = floor(share r) (passes a fixed share on, like the 1/2-split contract
/// of the Red Balloon team), for r = 0 .. max_reward. share in [0, 1).
std::vector<std::uint64_t> split_offers(double share, std::uint64_t max_reward);

/// Simulation on random trees: in trial t the root offers `reward` to its children; every
/// participating node draws (answer?, number of active children) from a counter-based stream of
/// (master, t, depth, index in its generation), answers if it holds the answer, else passes
/// offer[its reward] on. Generations are expanded in order and a trial stops at the first answer
/// (found), at extinction or when the offer falls to 0. Returns the number of trials (of
/// `trials`) in which the root got the answer. Trials run in parallel; the result is the same
/// for any thread count. Expected cost O(n) node draws per trial.
std::uint64_t simulate_query_found(const QueryIncentiveParams& p,
                                   const std::vector<std::uint64_t>& offer, std::uint64_t reward,
                                   std::uint64_t trials, std::uint64_t master_seed);

/// The simulated r*: the smallest reward r <= offer.size() - 1 at which the simulated success
/// fraction (common random numbers: the same trees at every r) reaches sigma, found by
/// bisection (success is nondecreasing in r when f is); 0 if not reached. O(log r) simulations.
std::uint64_t simulated_required_reward(const QueryIncentiveParams& p,
                                        const std::vector<std::uint64_t>& offer,
                                        std::uint64_t trials, std::uint64_t master_seed);

/// A query-incentive experiment (the scenario key "query_incentive"): the model, the strategy
/// every node plays and the reward at which the root's success is simulated.
struct QueryExperiment {
  bool enabled = false;  ///< the scenario has "query_incentive" (sweep runs it, not mobilize)
  QueryIncentiveParams params;
  bool split = false;        ///< false: the equilibrium; true: f(r) = floor(split_share r)
  double split_share = 0.5;  ///< the split strategy's share passed on, in [0, 1)
  std::uint64_t reward = 0;  ///< the probed root reward (0: the exact r*, or max_reward)
};

/// What one experiment gives: the exact equilibrium (the prediction) beside the simulation.
struct QueryReport {
  double branching = 0.0;        ///< b
  double expected_depth = 0.0;   ///< log n / log b, the depth of the nearest answer (NaN: b <= 1)
  double answer_anywhere = 0.0;  ///< P(the tree holds an answer): the success of an unbounded r
  std::uint64_t required_reward = 0;            ///< exact r* (0: sigma not reached by max_reward)
  std::uint64_t simulated_required_reward = 0;  ///< r* from the simulated success (0: not reached)
  std::uint64_t reward = 0;                     ///< the probed reward r
  std::uint64_t offer = 0;                      ///< f(r): what the root's children pass on
  double exact_success = 0.0;                   ///< gamma(r)
  std::uint64_t trials = 0, found = 0;          ///< simulated trials and successes at r
  double simulated_success = 0.0, standard_error = 0.0;  ///< found / trials and its SE
};

/// Runs the experiment: the strategy's exact probabilities, r*, the simulated success at the
/// probed reward and the simulated r* (trials trees, common random numbers from master_seed).
/// When sigma >= answer_anywhere no reward reaches it: r* = 0 and the equilibrium table stops at
/// max(reward, 64) (the probe, 0 meaning max_reward, is then cut to the table).
/// Throws InvalidArgument naming the bad parameter. Cost: the strategy (see
/// equilibrium_strategy) plus O(log r* trials n) node draws.
QueryReport run_query_experiment(const QueryExperiment& e, std::uint64_t trials,
                                 std::uint64_t master_seed);

}  // namespace cascade
