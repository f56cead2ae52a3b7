// Incentive propagation: the parallel kernel against an independent oracle of the payoff rules,
// exact budgets, the payoff distribution against direct formulas, and the forest shape against
// chain walks.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "cascade/error.hpp"
#include "cascade/incentive.hpp"
#include "cascade/parallel.hpp"
#include "catch.hpp"

using namespace cascade;

namespace {

// A random recruitment forest: `roots` seeds, then each vertex recruited by an earlier joined
// vertex (random recursive trees are deep enough: depth ~ e ln n), some vertices only reached
// (not joined) and some never reached.
struct Forest {
  std::vector<Vertex> recruiter;
  std::vector<std::uint8_t> joined;
  std::vector<Vertex> finders;
  RecruitmentForest view() const { return {recruiter, joined, finders}; }
};

Forest random_forest(std::uint64_t n, std::uint64_t roots, std::uint64_t finds, unsigned seed,
                     bool chain = false) {
  std::mt19937_64 gen(seed);
  Forest f;
  f.recruiter.assign(n, kNoVertex);
  f.joined.assign(n, 0);
  std::vector<Vertex> joined_so_far;
  for (Vertex v = 0; v < n; ++v) {
    const double u = std::uniform_real_distribution<double>(0, 1)(gen);
    if (v < roots) {
      f.joined[v] = 1;
    } else if (u < 0.1) {
      continue;  // never reached
    } else {
      const Vertex r = chain ? joined_so_far.back()
                             : joined_so_far[std::uniform_int_distribution<std::size_t>(
                                   0, joined_so_far.size() - 1)(gen)];
      f.recruiter[v] = r;
      f.joined[v] = u < 0.8 ? 1 : 0;  // reached but did not join: a leaf
    }
    if (f.joined[v]) joined_so_far.push_back(v);
  }
  for (std::uint64_t i = 0; i < finds; ++i)  // repeats allowed: one person finds two targets
    f.finders.push_back(joined_so_far[std::uniform_int_distribution<std::size_t>(
        0, joined_so_far.size() - 1)(gen)]);
  return f;
}

void require_same(const PayoffResult& a, const PayoffResult& b) {
  REQUIRE(a.payoff_cents == b.payoff_cents);
  REQUIRE(a.payout_cents == b.payout_cents);
  REQUIRE(a.budget_cents == b.budget_cents);
  REQUIRE(a.charity_cents == b.charity_cents);
  REQUIRE(a.max_payoff_cents == b.max_payoff_cents);
  REQUIRE(a.paid_people == b.paid_people);
  REQUIRE(a.gini == b.gini);
}

std::vector<IncentiveScheme> schemes() {
  IncentiveScheme no_charity = IncentiveScheme::recursive(2000, 0.5);
  no_charity.remainder_to_charity = false;
  return {IncentiveScheme::none(),
          IncentiveScheme::recursive(2000, 0.5),
          IncentiveScheme::recursive(1234.56, 0.7),
          IncentiveScheme::recursive(10, 0.9),
          IncentiveScheme::recursive(500, 0.0),
          no_charity,
          IncentiveScheme::finder_only(2000),
          IncentiveScheme::flat_bounty(1.5, 0, 1e9),      // pool never binds
          IncentiveScheme::flat_bounty(2.0, 3, 1e9),      // cap binds
          IncentiveScheme::flat_bounty(2.0, 5, 777.77)};  // pool binds: pro rata
}

__extension__ typedef __int128 Int128;  // exact products of cents

// The payoff rules of incentive.hpp written out again, sharing no code with the kernel (not its
// payment table, not its summary): walks up the chain from each finder, counts recruits per
// recruiter, then totals, budget, charity and the payoff distribution directly.
PayoffResult oracle_payoffs(const Forest& f, const IncentiveScheme& s, std::uint64_t targets) {
  const auto cents = [](double dollars) { return std::llround(dollars * 100.0); };
  const std::size_t n = f.recruiter.size();
  PayoffResult out;
  out.payoff_cents.assign(n, 0);
  std::int64_t per_target = 0;    // budget per found target
  std::vector<std::int64_t> pay;  // pay[k]: k levels above the finder
  if (s.kind == SchemeKind::kRecursive) {
    const std::int64_t r = cents(s.reward_dollars);
    per_target = static_cast<std::int64_t>(std::floor(static_cast<double>(r) / (1.0 - s.split)));
    std::int64_t sum = 0;
    for (int k = 0;; ++k) {  // floor(R alpha^k) while > 0 and the running sum fits the budget
      const auto p =
          static_cast<std::int64_t>(std::floor(static_cast<double>(r) * std::pow(s.split, k)));
      if (p <= 0 || sum + p > per_target) break;
      pay.push_back(p);
      sum += p;
    }
  } else if (s.kind == SchemeKind::kFinderOnly) {
    per_target = cents(s.reward_dollars);
    pay = {per_target};
  }
  for (Vertex finder : f.finders) {
    Vertex v = finder;
    for (std::int64_t p : pay) {
      if (v == kNoVertex) break;
      out.payoff_cents[v] += p;
      v = f.recruiter[v];
    }
  }
  if (s.kind == SchemeKind::kFlatBounty) {
    for (Vertex v = 0; v < n; ++v)
      if (f.joined[v] && f.recruiter[v] != kNoVertex) {
        const Vertex r = f.recruiter[v];
        const std::int64_t bounty = cents(s.bounty_dollars);
        if (s.bounty_cap == 0 ||
            out.payoff_cents[r] < static_cast<std::int64_t>(s.bounty_cap) * bounty)
          out.payoff_cents[r] += bounty;
      }
  }
  out.budget_cents = s.kind == SchemeKind::kFlatBounty
                         ? cents(s.pool_dollars)
                         : static_cast<std::int64_t>(targets) * per_target;
  out.payout_cents =
      std::accumulate(out.payoff_cents.begin(), out.payoff_cents.end(), std::int64_t{0});
  if (s.kind == SchemeKind::kFlatBounty && out.payout_cents > out.budget_cents) {
    const Int128 total = out.payout_cents;  // pro rata, rounded down
    for (auto& x : out.payoff_cents)
      x = static_cast<std::int64_t>(static_cast<Int128>(x) * out.budget_cents / total);
    out.payout_cents =
        std::accumulate(out.payoff_cents.begin(), out.payoff_cents.end(), std::int64_t{0});
  }
  if (s.remainder_to_charity && s.kind == SchemeKind::kFlatBounty)
    out.charity_cents = out.budget_cents - out.payout_cents;
  else if (s.remainder_to_charity && s.kind != SchemeKind::kNone)
    out.charity_cents = static_cast<std::int64_t>(f.finders.size()) * per_target - out.payout_cents;
  // Gini over the joined vertices' payoffs, zeros included: sum_i (2i - N - 1) x_(i) / (N S).
  std::vector<std::int64_t> joined_pay;
  for (Vertex v = 0; v < n; ++v) {
    if (f.joined[v]) joined_pay.push_back(out.payoff_cents[v]);
    if (out.payoff_cents[v] > 0) ++out.paid_people;
    out.max_payoff_cents = std::max(out.max_payoff_cents, out.payoff_cents[v]);
  }
  std::sort(joined_pay.begin(), joined_pay.end());
  const long double big_n = static_cast<long double>(joined_pay.size());
  long double weighted = 0, sum = 0;
  for (std::size_t i = 0; i < joined_pay.size(); ++i) {
    weighted += (2.0L * static_cast<long double>(i + 1) - big_n - 1.0L) * joined_pay[i];
    sum += joined_pay[i];
  }
  out.gini = sum > 0 ? static_cast<double>(weighted / (big_n * sum)) : 0.0;
  return out;
}

}  // namespace

TEST_CASE("payoff kernel equals an independent oracle of the payoff rules", "[kernels]") {
  for (unsigned seed = 1; seed <= 6; ++seed) {
    const bool chain = seed == 6;  // one long chain: depth ~ n, tables run out before the root
    const Forest f = random_forest(chain ? 3000 : 20000, 1 + seed % 4, 2 + seed * 3, seed, chain);
    for (const IncentiveScheme& scheme : schemes()) {
      INFO("seed " << seed << " scheme " << scheme.kind_name() << " " << scheme.reward_dollars
                   << " " << scheme.split << " " << scheme.bounty_cap);
      const PayoffResult oracle = oracle_payoffs(f, scheme, 10);
      const PayoffResult fast = propagate_payoffs(f.view(), scheme, 10);
      REQUIRE(fast.payoff_cents == oracle.payoff_cents);
      REQUIRE(fast.payout_cents == oracle.payout_cents);
      REQUIRE(fast.budget_cents == oracle.budget_cents);
      REQUIRE(fast.charity_cents == oracle.charity_cents);
      REQUIRE(fast.max_payoff_cents == oracle.max_payoff_cents);
      REQUIRE(fast.paid_people == oracle.paid_people);
      REQUIRE(fast.gini == Approx(oracle.gini).margin(1e-12));
      if (scheme.kind != SchemeKind::kNone) REQUIRE(fast.payout_cents > 0);
    }
  }
}

TEST_CASE("payoff kernel: identical for 1, 2 and 4 threads", "[kernels]") {
  const Forest f = random_forest(100000, 3, 10, 77);
  for (const IncentiveScheme& scheme : schemes()) {
    PayoffResult reference;
    {
      ThreadLimit one(1);
      reference = propagate_payoffs(f.view(), scheme, 10);
    }
    for (std::size_t threads : {2, 4}) {
      ThreadLimit limit(threads);
      require_same(propagate_payoffs(f.view(), scheme, 10), reference);
    }
  }
}

TEST_CASE("budgets are exact: payout never exceeds them, charity gets the rest", "[kernels]") {
  // The Red Balloon contract on one chain: root - a - b - finder.
  Forest chain;
  chain.recruiter = {kNoVertex, 0, 1, 2};
  chain.joined = {1, 1, 1, 1};
  chain.finders = {3};
  const auto red = propagate_payoffs(chain.view(), IncentiveScheme::recursive(2000, 0.5), 10);
  REQUIRE(red.payoff_cents == std::vector<std::int64_t>{25000, 50000, 100000, 200000});
  REQUIRE(red.payout_cents == 375000);
  REQUIRE(red.budget_cents == 10 * 400000);
  REQUIRE(red.charity_cents == 25000);  // $4000 budget of the one found target - $3750 paid
  REQUIRE(red.max_payoff_cents == 200000);

  // The table is floor(R alpha^k) and sums to at most the budget per target, for many alphas.
  for (double alpha : {0.0, 0.1, 1.0 / 3, 0.5, 0.75, 0.9, 0.99})
    for (double reward : {0.01, 1.0, 33.33, 2000.0, 123456.78}) {
      const auto scheme = IncentiveScheme::recursive(reward, alpha);
      const auto pay = scheme.level_payments_cents();
      const std::int64_t sum = std::accumulate(pay.begin(), pay.end(), std::int64_t{0});
      REQUIRE(sum <= scheme.budget_per_target_cents());
      const auto r = static_cast<std::int64_t>(std::llround(reward * 100));
      REQUIRE(pay.front() == r);
      if (alpha == 0.5)
        for (std::size_t k = 0; k < pay.size(); ++k) REQUIRE(pay[k] == (r >> k));
    }

  // Random forests: every found target costs at most its budget; the pool is never exceeded.
  for (unsigned seed = 10; seed < 14; ++seed) {
    const Forest f = random_forest(30000, 2, 10, seed);
    for (const IncentiveScheme& scheme : schemes()) {
      const auto result = propagate_payoffs(f.view(), scheme, 10);
      REQUIRE(result.payout_cents <= result.budget_cents);
      REQUIRE(result.payout_cents == std::accumulate(result.payoff_cents.begin(),
                                                     result.payoff_cents.end(), std::int64_t{0}));
      if (scheme.pays_for_targets()) {
        REQUIRE(result.payout_cents <=
                static_cast<std::int64_t>(f.finders.size()) * scheme.budget_per_target_cents());
        if (scheme.remainder_to_charity)
          REQUIRE(result.charity_cents ==
                  static_cast<std::int64_t>(f.finders.size()) * scheme.budget_per_target_cents() -
                      result.payout_cents);
        else
          REQUIRE(result.charity_cents == 0);
      }
      if (scheme.kind == SchemeKind::kFlatBounty)
        REQUIRE(result.charity_cents == result.budget_cents - result.payout_cents);
      for (Vertex v = 0; v < f.joined.size(); ++v)
        if (!f.joined[v]) REQUIRE(result.payoff_cents[v] == 0);  // only joiners are paid
    }
  }
  // A binding pool is (nearly) exhausted: pro-rata rounding loses under one cent per person.
  const Forest f = random_forest(30000, 2, 10, 99);
  const auto pooled = propagate_payoffs(f.view(), IncentiveScheme::flat_bounty(2.0, 5, 777.77), 10);
  REQUIRE(pooled.payout_cents <= 77777);
  REQUIRE(pooled.payout_cents > 77777 - static_cast<std::int64_t>(pooled.paid_people) - 1);
}

TEST_CASE("payoff distribution: Gini and max match direct formulas", "[kernels]") {
  const Forest f = random_forest(3000, 2, 40, 5);
  for (const IncentiveScheme& scheme : schemes()) {
    const auto result = propagate_payoffs(f.view(), scheme, 40);
    std::vector<double> x;
    for (Vertex v = 0; v < f.joined.size(); ++v)
      if (f.joined[v]) x.push_back(static_cast<double>(result.payoff_cents[v]));
    const double total = std::accumulate(x.begin(), x.end(), 0.0);
    double pairs = 0;  // G = sum_ij |x_i - x_j| / (2 N^2 mean)
    for (double a : x)
      for (double b : x) pairs += std::abs(a - b);
    const double gini = total > 0 ? pairs / (2.0 * x.size() * total) : 0.0;
    REQUIRE(result.gini == Approx(gini).epsilon(1e-9).margin(1e-12));
    REQUIRE(result.max_payoff_cents ==
            static_cast<std::int64_t>(*std::max_element(x.begin(), x.end())));
  }
}

TEST_CASE("forest shape: depths and offspring match chain walks", "[kernels]") {
  for (unsigned seed : {3u, 4u}) {
    const Forest f = random_forest(50000, 4, 0, seed, seed == 4);
    const ForestShape shape = forest_shape(f.recruiter, f.joined);
    // Recruiters have smaller ids than their recruits here, so one pass in id order is an
    // independent oracle: depth[v] = depth[recruiter[v]] + 1.
    std::vector<std::uint32_t> offspring(f.recruiter.size(), 0), depths(f.recruiter.size(), 0);
    std::uint32_t max_depth = 0;
    for (Vertex v = 0; v < f.recruiter.size(); ++v) {
      if (!f.joined[v]) continue;
      const std::uint32_t depth = f.recruiter[v] == kNoVertex ? 0 : depths[f.recruiter[v]] + 1;
      depths[v] = depth;
      REQUIRE(shape.depth[v] == depth);
      max_depth = std::max(max_depth, depth);
      if (f.recruiter[v] != kNoVertex) ++offspring[f.recruiter[v]];
    }
    REQUIRE(shape.offspring == offspring);
    REQUIRE(shape.max_depth == max_depth);
  }
}

TEST_CASE("incentive schemes: bad values are typed errors", "[kernels]") {
  REQUIRE_THROWS_AS(IncentiveScheme::recursive(2000, 1.0).validate(), InvalidArgument);
  REQUIRE_THROWS_AS(IncentiveScheme::recursive(-1, 0.5).validate(), InvalidArgument);
  REQUIRE_THROWS_AS(IncentiveScheme::flat_bounty(1, 0, -5).validate(), InvalidArgument);
  REQUIRE_THROWS_AS(IncentiveScheme::parse_kind("pyramid"), InvalidArgument);
  REQUIRE(IncentiveScheme::parse_kind("finder-only") == SchemeKind::kFinderOnly);
  Forest f = random_forest(100, 1, 1, 1);
  f.finders = {static_cast<Vertex>(f.recruiter.size())};
  REQUIRE_THROWS_AS(propagate_payoffs(f.view(), IncentiveScheme::finder_only(1), 1),
                    InvalidArgument);
}

TEST_CASE("incentive: selfish splits move floor(w pay) cents from each recruit to its recruiter",
          "[kernels]") {
  const std::vector<Vertex> recruiter = {kNoVertex, 0, 1};
  const std::vector<std::uint8_t> joined = {1, 1, 1};
  const std::vector<Vertex> finders = {2};
  const RecruitmentForest forest{recruiter, joined, finders};
  const IncentiveScheme scheme = IncentiveScheme::recursive(2000, 0.5);
  const PayoffResult honest = propagate_payoffs(forest, scheme, 1);
  const PayoffResult zero = propagate_payoffs(forest, scheme, 1, 0.0);
  REQUIRE(zero.payoff_cents == honest.payoff_cents);
  REQUIRE(zero.withheld_cents.empty());
  const PayoffResult selfish = propagate_payoffs(forest, scheme, 1, 0.25);
  // Scheme pay 500 / 1000 / 2000 dollars; 2 gives 500 to 1, 1 gives 250 (of its own 1000) to 0.
  REQUIRE(selfish.payoff_cents == std::vector<std::int64_t>{75000, 125000, 150000});
  REQUIRE(selfish.withheld_cents == std::vector<std::int64_t>{0, 25000, 50000});
  REQUIRE(selfish.payout_cents == honest.payout_cents);
  REQUIRE(selfish.charity_cents == honest.charity_cents);
  // Finder-only turns into a two-level scheme: the finder's recruiter keeps w R.
  const PayoffResult finder = propagate_payoffs(forest, IncentiveScheme::finder_only(2000), 1, 1.0);
  REQUIRE(finder.payoff_cents == std::vector<std::int64_t>{0, 200000, 0});
  REQUIRE_THROWS_AS(propagate_payoffs(forest, scheme, 1, 1.5), InvalidArgument);
}
