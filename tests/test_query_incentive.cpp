// Query incentive networks (cascade/query_incentive.hpp): the equilibrium against brute force
// (every tree configuration and every one-shot deviation on a small binary tree), the monotone
// argmax search against the full one, simulation against the exact probabilities within 4
// standard errors, Kleinberg and Raghavan's threshold at b = 2, and thread invariance.
#include <cmath>
#include <functional>
#include <vector>

#include "cascade/error.hpp"
#include "cascade/parallel.hpp"
#include "cascade/query_incentive.hpp"
#include "catch.hpp"

using namespace cascade;

namespace {

QueryIncentiveParams binomial(std::uint32_t d, double q, double n, double sigma = 0.5) {
  QueryIncentiveParams p;
  p.children = d;
  p.activity = q;
  p.rarity = n;
  p.success = sigma;
  return p;
}

// P(the root gets an answer when it offers `reward` to its d children), by enumerating every
// state (inactive, active without the answer, active with it) of every node of the complete
// d-ary tree down to the depth where the offer reaches 0, and propagating the offers explicitly.
double enumerated_success(const QueryIncentiveParams& p, const std::vector<std::uint64_t>& offer,
                          std::uint64_t reward) {
  std::vector<std::uint64_t> offer_at = {reward};  // offer_at[k]: what depth k + 1 is offered
  while (offer_at.back() >= 1) offer_at.push_back(offer[offer_at.back()]);
  const std::size_t depths = offer_at.size() - 1;  // depths 1 .. depths take part
  std::size_t nodes = 0, level = 1;
  for (std::size_t k = 0; k < depths; ++k) nodes += (level *= p.children);
  std::vector<int> state(nodes, 0);  // per node: 0 inactive, 1 active, 2 active with the answer
  const double pr[3] = {1 - p.activity, p.activity * (1 - 1 / p.rarity), p.activity / p.rarity};
  // Depth k (1-based) has d^k nodes starting at first[k]; node pos's children are d pos + c.
  std::vector<std::size_t> first(depths + 2, 0);
  std::size_t width = p.children;
  for (std::size_t k = 1; k <= depths; ++k, width *= p.children) first[k + 1] = first[k] + width;
  std::function<bool(std::size_t, std::size_t)> delivers = [&](std::size_t k, std::size_t pos) {
    const int s = state[first[k] + pos];
    if (s == 0 || offer_at[k - 1] < 1) return false;
    if (s == 2) return true;
    if (k == depths) return false;
    for (std::size_t c = 0; c < p.children; ++c)
      if (delivers(k + 1, pos * p.children + c)) return true;
    return false;
  };
  double total = 0.0;
  for (;;) {
    double weight = 1.0;
    for (const int s : state) weight *= pr[s];
    bool any = false;
    for (std::size_t c = 0; c < p.children && !any; ++c) any = delivers(1, c);
    if (any) total += weight;
    std::size_t i = 0;  // next configuration (odometer)
    while (i < nodes && ++state[i] == 3) state[i++] = 0;
    if (i == nodes) break;
  }
  return total;
}

}  // namespace

TEST_CASE("equilibrium success equals enumeration of every tree configuration", "[kernels]") {
  for (const double n : {2.0, 5.0}) {
    const QueryIncentiveParams p = binomial(2, 0.6, n, 0.99);
    QueryIncentiveParams room = p;
    room.max_reward = 4;
    const QueryStrategy s = equilibrium_strategy(room);
    REQUIRE(s.gamma.size() == 5);
    for (std::uint64_t r = 1; r <= 3; ++r) {
      INFO("n " << n << " reward " << r << " offer " << s.offer[r]);
      CHECK(enumerated_success(p, s.offer, r) == Approx(s.gamma[r]).margin(1e-12));
    }
  }
}

TEST_CASE("equilibrium offer is the best one-shot deviation (by enumeration)", "[kernels]") {
  const QueryIncentiveParams p = binomial(2, 0.7, 3.0, 0.99);
  QueryIncentiveParams room = p;
  room.max_reward = 4;
  const QueryStrategy s = equilibrium_strategy(room);
  for (std::uint64_t r = 1; r <= 4; ++r) {
    // A node offered r that lacks the answer and offers x earns (r - x) P(an answer comes up),
    // the probability enumerated with everyone below playing the equilibrium.
    std::uint64_t best = 0;
    double best_value = -1.0;
    for (std::uint64_t x = 0; x < r; ++x) {
      const double value =
          static_cast<double>(r - x) * (x == 0 ? 0.0 : enumerated_success(p, s.offer, x));
      if (value > best_value + 1e-12) best = x, best_value = value;
    }
    INFO("reward " << r);
    CHECK(s.offer[r] == best);
  }
}

TEST_CASE("monotone argmax search equals the full search", "[kernels]") {
  for (const double q : {0.15, 0.3, 0.45, 0.6, 0.9}) {
    for (const double n : {10.0, 1000.0}) {
      QueryIncentiveParams p = binomial(6, q, n, 0.999999);
      p.max_reward = 300;
      const QueryStrategy s = equilibrium_strategy(p);
      for (std::uint64_t r = 1; r < s.offer.size(); ++r) {
        std::uint64_t best = 0;
        double best_value = 0.0;
        for (std::uint64_t x = 0; x < r; ++x) {
          const double value = static_cast<double>(r - x) * s.gamma[x];
          if (value > best_value) best = x, best_value = value;
        }
        INFO("q " << q << " n " << n << " r " << r);
        REQUIRE(s.offer[r] == best);
      }
    }
  }
}

TEST_CASE("strategy_success reproduces the equilibrium and rejects offers above the reward",
          "[kernels]") {
  const QueryIncentiveParams p = binomial(4, 0.6, 100.0);
  const QueryStrategy e = equilibrium_strategy(p, 10);
  const QueryStrategy again = strategy_success(p, e.offer);
  CHECK(again.gamma == e.gamma);
  CHECK_THROWS_AS(strategy_success(p, {0, 1}), InvalidArgument);
  CHECK(required_reward(e, p.success) > 0);
  CHECK(e.gamma[required_reward(e, p.success)] >= p.success);
  CHECK(e.gamma[required_reward(e, p.success) - 1] < p.success);
}

TEST_CASE("simulated success matches the exact one within 4 standard errors", "[kernels]") {
  constexpr std::uint64_t kTrials = 20000;
  QueryIncentiveParams poisson;
  poisson.offspring = Offspring::kPoisson;
  poisson.mean = 3.0;
  poisson.rarity = 300.0;
  for (const QueryIncentiveParams& p : {binomial(4, 0.5, 100.0), binomial(3, 0.6, 50.0), poisson}) {
    const QueryStrategy s = equilibrium_strategy(p, 6);
    for (const std::vector<std::uint64_t>& offer :
         {s.offer, split_offers(0.5, s.offer.size() - 1)}) {
      const QueryStrategy exact = strategy_success(p, offer);
      for (std::uint64_t r = 1; r < offer.size();
           r += std::max<std::uint64_t>(1, offer.size() / 5)) {
        const double g = exact.gamma[r];
        const double se = std::sqrt(g * (1 - g) / kTrials);
        const double hat =
            static_cast<double>(simulate_query_found(p, offer, r, kTrials, 7)) / kTrials;
        INFO("b " << p.branching() << " n " << p.rarity << " r " << r << " exact " << g);
        CHECK(std::abs(hat - g) <= 4 * se + 1e-12);
      }
    }
    const std::uint64_t r_dp = required_reward(s, p.success);
    const std::uint64_t r_sim = simulated_required_reward(p, s.offer, kTrials, 11);
    // The simulated threshold sits where the exact curve crosses sigma, up to sampling error
    // (where the curve is flat near sigma the two r* may differ by more than 1).
    INFO("b " << p.branching() << " r* " << r_dp << " simulated " << r_sim);
    REQUIRE(r_sim >= 1);
    const double tol = 4 * std::sqrt(p.success * (1 - p.success) / kTrials);
    CHECK(s.gamma[r_sim] >= p.success - tol);
    CHECK(s.gamma[r_sim - 1] <= p.success + tol);
  }
}

TEST_CASE("the required reward is linear in depth above b = 2, exponential below", "[kernels]") {
  // r*(n) for n = 4^k: the expected depth of the nearest answer, log_b n, grows linearly in k.
  const auto increments = [](QueryIncentiveParams p) {
    std::vector<double> r;
    for (int k = 2; k <= 6; ++k) {
      p.rarity = std::pow(4.0, k);
      const std::uint64_t rs = required_reward(equilibrium_strategy(p), p.success);
      REQUIRE(rs > 0);
      r.push_back(static_cast<double>(rs));
    }
    std::vector<double> ratio;  // (r_{k+2} - r_{k+1}) / (r_{k+1} - r_k)
    for (std::size_t i = 0; i + 2 < r.size(); ++i)
      ratio.push_back((r[i + 2] - r[i + 1]) / std::max(1.0, r[i + 1] - r[i]));
    return std::pair{r, ratio};
  };
  // sigma below the chance that the tree holds an answer at all (0.64 at b = 1.5)
  const QueryIncentiveParams above = binomial(8, 0.375, 1, 0.5);   // b = 3
  const QueryIncentiveParams below = binomial(8, 0.1875, 1, 0.3);  // b = 1.5
  const auto [ra, qa] = increments(above);
  const auto [rb, qb] = increments(below);
  // Linear: the last increments stay bounded (ratio about 1); exponential: they grow by a
  // factor clearly above 1 per step of depth.
  for (const double x : qa) CHECK(x <= 2.0);
  for (const double x : qb) CHECK(x >= 5.0);
  CHECK(rb.back() > 20 * ra.back());
}

TEST_CASE("simulation is identical for any thread count and differs between seeds", "[kernels]") {
  const QueryIncentiveParams p = binomial(4, 0.6, 200.0);
  const QueryStrategy s = equilibrium_strategy(p, 4);
  const std::uint64_t r = s.offer.size() - 3;
  std::vector<std::uint64_t> counts;
  for (const std::size_t threads : {1, 2, 4}) {
    ThreadLimit limit(threads);
    counts.push_back(simulate_query_found(p, s.offer, r, 5000, 3));
  }
  CHECK(counts[0] == counts[1]);
  CHECK(counts[0] == counts[2]);
  CHECK(simulate_query_found(p, s.offer, r, 5000, 4) != counts[0]);
}

TEST_CASE("query parameters are validated by name", "[kernels]") {
  const auto message = [](QueryIncentiveParams p) {
    try {
      p.validate();
    } catch (const InvalidArgument& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  QueryIncentiveParams p;
  p.children = 0;
  CHECK(message(p).rfind("children", 0) == 0);
  p = {};
  p.activity = 1.5;
  CHECK(message(p).rfind("activity", 0) == 0);
  p = {};
  p.rarity = 0.5;
  CHECK(message(p).rfind("rarity", 0) == 0);
  p = {};
  p.success = 1.0;
  CHECK(message(p).rfind("success", 0) == 0);
  p = {};
  p.max_reward = 0;
  CHECK(message(p).rfind("max_reward", 0) == 0);
  p = {};
  p.offspring = Offspring::kPoisson;
  p.mean = -1;
  CHECK(message(p).rfind("mean", 0) == 0);
  CHECK_THROWS_AS(parse_offspring("geometric"), InvalidArgument);
  CHECK(message(QueryIncentiveParams{}).empty());
}
