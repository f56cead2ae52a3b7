// The recruitment model: incentive strength 0 is virality bit for bit, the regimes are coupled
// monotonically on common random numbers, and sub/supercritical regimes behave as Galton-Watson
// theory predicts on a sparse Erdos-Renyi graph (locally tree-like, Poisson degrees).
#include <cmath>
#include <numeric>
#include <random>

#include "cascade/builder.hpp"
#include "cascade/error.hpp"
#include "cascade/incentive.hpp"
#include "cascade/parallel.hpp"
#include "cascade/random.hpp"
#include "cascade/recruitment.hpp"
#include "cascade/seeds.hpp"
#include "catch.hpp"

using namespace cascade;

namespace {

// G(n, m) with mean degree c = 2m / n (duplicates dropped by the builder: negligible).
Graph sparse_random_graph(std::uint64_t n, double c, unsigned seed) {
  std::mt19937_64 gen(seed);
  std::uniform_int_distribution<Vertex> pick(0, static_cast<Vertex>(n - 1));
  EdgeList list;
  list.num_vertices = n;
  list.undirected = true;
  const auto m = static_cast<std::uint64_t>(c * static_cast<double>(n) / 2);
  for (std::uint64_t i = 0; i < m; ++i) list.edges.push_back({pick(gen), pick(gen)});
  return build_csr(list);
}

void require_same(const TimedCascade& a, const TimedCascade& b) {
  REQUIRE(a.reached == b.reached);
  REQUIRE(a.joined_count == b.joined_count);
  REQUIRE(a.time == b.time);
  REQUIRE(a.recruiter == b.recruiter);
  REQUIRE(a.joined == b.joined);
}

// Smallest root of eta = exp(-R (1 - eta)): extinction probability of a Poisson(R) GW process.
double poisson_extinction(double r) {
  double eta = 0.0;
  for (int i = 0; i < 10000; ++i) eta = std::exp(-r * (1.0 - eta));
  return eta;
}

const TimedOptions kTimed{
    {DelayDistribution::kLogNormal, 2.0, 1.0}, std::numeric_limits<double>::infinity(), 0.0};

}  // namespace

TEST_CASE("incentive strength 0 equals the virality regime bit for bit", "[kernels]") {
  const Graph g = sparse_random_graph(30000, 8, 1);
  RecruitmentParams params;
  params.share_probability = 0.15;
  params.join_probability = 0.6;
  const LiveArcs arcs = recruitment_arcs(g, params, 2009);
  const RegimeBehaviour virality = regime_behaviour(g, params, IncentiveScheme::none(), 0.0, 2009);
  for (const IncentiveScheme& scheme :
       {IncentiveScheme::recursive(2000, 0.5), IncentiveScheme::finder_only(2000),
        IncentiveScheme::flat_bounty(10, 3, 1000)}) {
    const RegimeBehaviour off = regime_behaviour(g, params, scheme, 0.0, 2009);
    const RegimeBehaviour on = regime_behaviour(g, params, scheme, 1.0, 2009);
    REQUIRE(off.share_threshold == virality.share_threshold);
    REQUIRE(off.join_threshold == virality.join_threshold);
    REQUIRE(off.delay_factor == virality.delay_factor);
    REQUIRE(off.r0 == virality.r0);
    REQUIRE(on.r0 > virality.r0);  // the incentive does something when switched on
    for (std::uint64_t trial = 0; trial < 3; ++trial) {
      const auto seeds = random_seeds(g, 4, 2009, trial);
      require_same(recruit(g, arcs, off, seeds, trial, kTimed),
                   recruit(g, arcs, virality, seeds, trial, kTimed));
    }
  }
  // Scheme none at any strength is virality too.
  const RegimeBehaviour none = regime_behaviour(g, params, IncentiveScheme::none(), 5.0, 2009);
  REQUIRE(none.share_threshold == virality.share_threshold);
  REQUIRE(none.join_threshold == virality.join_threshold);
}

TEST_CASE("common random numbers: incentives only add joiners, live arcs and speed", "[kernels]") {
  const Graph g = sparse_random_graph(30000, 6, 2);
  RecruitmentParams params;
  params.share_probability = 0.2;
  params.join_probability = 0.4;
  const LiveArcs arcs = recruitment_arcs(g, params, 7);
  const auto virality = regime_behaviour(g, params, IncentiveScheme::none(), 0.0, 7);
  const auto incentive = regime_behaviour(g, params, IncentiveScheme::recursive(2000, 0.5), 1.0, 7);
  for (std::uint64_t trial = 0; trial < 5; ++trial) {
    const auto seeds = random_seeds(g, 10, 7, trial);
    TimedOptions options = kTimed;
    options.horizon_hours = 30.0;
    const auto v = recruit(g, arcs, virality, seeds, trial, options);
    const auto i = recruit(g, arcs, incentive, seeds, trial, options);
    REQUIRE(i.joined_count > v.joined_count);
    std::vector<std::uint8_t> is_seed(g.num_vertices(), 0);
    for (Vertex s : seeds) is_seed[s] = 1;
    for (Vertex x = 0; x < g.num_vertices(); ++x) {
      // A reached person joins iff its one join uniform is below its q (the seeds always).
      if (std::isfinite(i.time[x]) && !is_seed[x])
        REQUIRE(i.joined[x] ==
                rng::coin(join_draw(7, x, join_trial_key(7, trial)), incentive.join_threshold[x]));
      if (v.joined[x]) REQUIRE(i.joined[x]);
      if (std::isfinite(v.time[x])) REQUIRE(i.time[x] <= v.time[x]);
    }
  }
}

TEST_CASE("branching-process theory: subcritical virality dies out, supercritical incentive grows",
          "[kernels]") {
  constexpr double kDegree = 4.0;
  const Graph g = sparse_random_graph(20000, kDegree, 3);
  RecruitmentParams params;
  params.share_probability = 0.25;
  params.join_probability = 0.5;  // virality: R = 4 * 0.25 * 0.5 = 0.5
  params.recruit_probability_max = 0.5;
  params.join_probability_max = 0.8;         // incentive at saturation: R = 4 * 0.5 * 0.8 = 1.6
  params.motivation = {1.0, 0.0, 0.0, 0.0};  // profit only: every vertex responds alike
  const LiveArcs arcs = recruitment_arcs(g, params, 11);
  const auto virality = regime_behaviour(g, params, IncentiveScheme::none(), 0.0, 11);
  const auto incentive =
      regime_behaviour(g, params, IncentiveScheme::recursive(2000, 0.5), 1e6, 11);

  // The theoretical criticality: sum k(k-1) p q / sum k, computed directly.
  double s2 = 0, s1 = 0;
  for (Vertex v = 0; v < g.num_vertices(); ++v) {
    const double k = static_cast<double>(g.out_degree(v));
    s2 += k * (k - 1), s1 += k;
  }
  const double kappa = s2 / s1;  // about the mean degree for Poisson degrees
  REQUIRE(kappa == Approx(kDegree).epsilon(0.05));
  REQUIRE(virality.r0 == Approx(kappa * 0.25 * 0.5).epsilon(1e-9));
  const double p = incentive.mean_share_probability, q = incentive.mean_join_probability;
  REQUIRE(p == Approx(0.5).epsilon(1e-6));
  REQUIRE(q == Approx(0.8).epsilon(1e-6));
  REQUIRE(incentive.r0 == Approx(kappa * p * q).epsilon(1e-9));

  // Generation sizes Z_g of one trial's recruitment tree (depth = generation).
  auto generations = [&](const TimedCascade& c) {
    const ForestShape shape = forest_shape(c.recruiter, c.joined);
    std::vector<double> z(shape.max_depth + 1, 0.0);
    for (Vertex v = 0; v < g.num_vertices(); ++v)
      if (c.joined[v]) z[shape.depth[v]] += 1;
    return z;
  };
  // Harris estimator of the mean offspring over generations 0..3, pooled over trials. The seed
  // has Poisson(c) contacts like everyone else on G(n, m), so generation 0 counts too. Trials are
  // independent, so its standard error is the ratio estimator's (delta method):
  // se = sqrt(sum_i (children_i - mean * parents_i)^2) / sum_i parents_i.
  struct Pool {
    std::vector<double> parents, children;
    void add(const std::vector<double>& z) {
      double p = 0, c = 0;
      for (std::size_t gen = 0; gen < 4 && gen < z.size(); ++gen) {
        p += z[gen];
        if (gen + 1 < z.size()) c += z[gen + 1];
      }
      parents.push_back(p);
      children.push_back(c);
    }
    double mean() const {
      return std::accumulate(children.begin(), children.end(), 0.0) /
             std::accumulate(parents.begin(), parents.end(), 0.0);
    }
    double se() const {
      const double m = mean();
      double ss = 0;
      for (std::size_t i = 0; i < parents.size(); ++i)
        ss += (children[i] - m * parents[i]) * (children[i] - m * parents[i]);
      return std::sqrt(ss) / std::accumulate(parents.begin(), parents.end(), 0.0);
    }
  };

  // Subcritical: every trial dies out; mean total progeny 1 / (1 - R) = 2, variance
  // R / (1 - R)^3 = 4 for Poisson(R) offspring.
  {
    constexpr int kTrials = 2000;
    const double r = kappa * 0.25 * 0.5;
    double sum = 0;
    Pool pool;
    for (int trial = 0; trial < kTrials; ++trial) {
      const Vertex seed[] = {static_cast<Vertex>(random_seeds(g, 1, 5, trial)[0])};
      const auto c = recruit(g, arcs, virality, seed, trial, kTimed);
      REQUIRE(c.joined_count < 200);
      sum += static_cast<double>(c.joined_count);
      pool.add(generations(c));
    }
    const double se = std::sqrt(r / std::pow(1 - r, 3) / kTrials);
    REQUIRE(std::abs(sum / kTrials - 1.0 / (1.0 - r)) < 4 * se + 0.02);
    INFO("Harris mean " << pool.mean() << " se " << pool.se() << " theory " << r);
    REQUIRE(std::abs(pool.mean() - r) < 4 * pool.se());
  }
  // Supercritical: survival probability 1 - eta with eta = exp(-R (1 - eta)); survivors grow
  // into a large outbreak (thousands), extinct trials stay small.
  {
    constexpr int kTrials = 400;
    const double r = kappa * p * q;
    const double survival = 1.0 - poisson_extinction(r);
    int survived = 0;
    Pool pool;
    for (int trial = 0; trial < kTrials; ++trial) {
      const Vertex seed[] = {static_cast<Vertex>(random_seeds(g, 1, 6, trial)[0])};
      const auto c = recruit(g, arcs, incentive, seed, trial, kTimed);
      REQUIRE((c.joined_count < 300 || c.joined_count > 3000));  // no middle ground
      survived += c.joined_count > 3000 ? 1 : 0;
      pool.add(generations(c));
    }
    const double observed = static_cast<double>(survived) / kTrials;
    REQUIRE(std::abs(observed - survival) < 4 * std::sqrt(survival * (1 - survival) / kTrials));
    INFO("Harris mean " << pool.mean() << " se " << pool.se() << " theory " << r);
    REQUIRE(std::abs(pool.mean() - r) < 4 * pool.se());
  }
}

TEST_CASE("recruitment: identical for 1, 2 and 4 threads", "[kernels]") {
  const Graph g = sparse_random_graph(100000, 10, 4);
  RecruitmentParams params;
  const LiveArcs arcs = recruitment_arcs(g, params, 3);
  RegimeBehaviour reference_regime;
  TimedCascade reference;
  const auto seeds = random_seeds(g, 4, 3, 0);
  {
    ThreadLimit one(1);
    reference_regime = regime_behaviour(g, params, IncentiveScheme::recursive(2000, 0.5), 1.0, 3);
    reference = recruit(g, arcs, reference_regime, seeds, 0, kTimed);
  }
  REQUIRE(reference.joined_count > 10000);
  for (std::size_t threads : {2, 4}) {
    ThreadLimit limit(threads);
    const auto regime = regime_behaviour(g, params, IncentiveScheme::recursive(2000, 0.5), 1.0, 3);
    REQUIRE(regime.share_threshold == reference_regime.share_threshold);
    REQUIRE(regime.join_threshold == reference_regime.join_threshold);
    REQUIRE(regime.r0 == reference_regime.r0);
    require_same(recruit(g, arcs, regime, seeds, 0, kTimed), reference);
  }
}

TEST_CASE("perceived values and the response function follow their formulas", "[kernels]") {
  RecruitmentParams params;  // phi 0.01, b 3, L 5, entertainment $0
  params.entertainment_dollars = 20;
  const auto red = perceived_values(IncentiveScheme::recursive(2000, 0.5), params);
  // S(1) = sum_{j<5} 0.01 * 3^j * 2000 * 0.5^(j+1) = 10 * (1 + 1.5 + 2.25 + 3.375 + 5.0625)
  REQUIRE(red.recruit[0] == Approx(131.875));
  REQUIRE(red.join[0] == Approx(20 + 3 * 131.875));
  REQUIRE(red.recruit[2] == Approx(131.875 / 2));  // reciprocity: one level further up
  REQUIRE(red.join[2] == Approx(131.875));         // my recruiter's gain from me
  // Charity: the donation phi * (budget - chain of L + 1 levels) = 0.01 * (4000 - 3937.5).
  REQUIRE(red.recruit[1] == Approx(0.625));
  REQUIRE(red.recruit[3] == 20.0);
  const auto finder = perceived_values(IncentiveScheme::finder_only(2000), params);
  REQUIRE(finder.recruit[0] == 0.0);  // finder-only pays nothing for recruiting
  REQUIRE(finder.join[0] == Approx(20.0));
  REQUIRE(finder.join[1] == 0.0);  // budget = reward: nothing left to donate
  const auto flat = perceived_values(IncentiveScheme::flat_bounty(10, 0, 100), params);
  REQUIRE(flat.recruit[0] == 10.0);
  REQUIRE(flat.join[2] == 10.0);
  REQUIRE(flat.join[1] == -10.0);  // each bounty is a dollar less for the charity
  // Entertainment is the same in every regime, virality included.
  const auto none = perceived_values(IncentiveScheme::none(), params);
  for (std::size_t m = 0; m < 3; ++m) REQUIRE((none.join[m] == 0.0 && none.recruit[m] == 0.0));
  REQUIRE(none.join[3] == 20.0);

  // Probability weighting (Tversky & Kahneman 1992, gamma 0.61): w(0.5) = 0.421 (their
  // Figure 3 shape), small chances overweighted, and the weighted value is x / c * w(c).
  REQUIRE(probability_weight(0.5, 0.61) == Approx(0.4206).epsilon(1e-3));
  REQUIRE(probability_weight(0.01, 0.61) == Approx(0.0552).epsilon(1e-2));
  REQUIRE(probability_weight(0.0, 0.61) == 0.0);
  REQUIRE(probability_weight(1.0, 0.61) == 1.0);
  REQUIRE(probability_weight(0.3, 1.0) == Approx(0.3));
  Beliefs b;
  b.join_dollars = 5.0, b.join_paid_chance = 0.01;
  RecruitmentParams weighted;
  weighted.probability_weighting = true;
  const auto w = motive_values(IncentiveScheme::recursive(2000, 0.5), b, weighted);
  REQUIRE(w.join[0] == Approx(5.0 / 0.01 * probability_weight(0.01, 0.61)));
  REQUIRE(motive_values(IncentiveScheme::recursive(2000, 0.5), b, {}).join[0] == 5.0);

  REQUIRE(incentive_response(0.0, 1.0, 100.0) == 0.0);
  REQUIRE(incentive_response(100.0, 0.0, 100.0) == 0.0);
  REQUIRE(incentive_response(100.0, 1.0, 100.0) == Approx(1 - std::exp(-1.0)));
  REQUIRE(incentive_response(1e9, 1.0, 100.0) <= 1.0);
  REQUIRE(incentive_response(-100.0, 1.0, 100.0) == Approx(std::exp(-1.0) - 1));
  REQUIRE(incentive_response(-1e9, 1.0, 100.0) >= -1.0);

  const Motivation weights{0.4, 0.0, 0.2, 0.4};
  for (Vertex v = 0; v < 100; ++v) {
    const auto mix = motivation_mix(1, v, weights);
    REQUIRE(mix[0] + mix[1] + mix[2] + mix[3] == Approx(1.0));
    REQUIRE(mix[1] == 0.0);
    REQUIRE(mix == motivation_mix(1, v, weights));
  }
  const auto single = motivation_mix(1, 5, Motivation{0, 0, 3, 0});
  REQUIRE(single[2] == 1.0);
}

TEST_CASE("recruitment parameters: impossible values are typed errors naming the field",
          "[kernels]") {
  const Graph g = sparse_random_graph(100, 4, 1);
  RecruitmentParams params;
  params.recruit_probability_max = 0.01;  // below share_probability
  REQUIRE_THROWS_WITH(regime_behaviour(g, params, IncentiveScheme::none(), 0, 1),
                      Catch::Contains("recruit_probability_max"));
  params = {};
  params.join_probability = 1.5;
  REQUIRE_THROWS_WITH(params.validate(), Catch::Contains("join_probability"));
  params = {};
  params.motivation = {0, 0, 0, 0};
  REQUIRE_THROWS_AS(params.validate(), InvalidArgument);
  REQUIRE_THROWS_AS(regime_behaviour(g, {}, IncentiveScheme::none(), -1.0, 1), InvalidArgument);
}

TEST_CASE("the behaviour rule, cached motivation mixes and the arrays agree bit for bit",
          "[kernels]") {
  // regime_behaviour fills its arrays from RecruitmentRule; mobilize's belief rounds use the rule
  // directly and the cached mixes: all three must give the same traits for every vertex (a
  // negative charity value included), and the rule's cascade the arrays' cascade.
  const Graph g = sparse_random_graph(4000, 6, 3);
  RecruitmentParams params;
  params.share_probability = 0.1;
  params.recruit_probability_max = 0.5;
  const IncentiveScheme scheme = IncentiveScheme::recursive(2000, 0.5);
  PerceivedValues values = perceived_values(scheme, params);
  values.join[1] = -40.0;  // charity's donation paid out
  const auto mixes = motivation_mixes(g.num_vertices(), 77, params.motivation);
  const RegimeBehaviour drawn = regime_behaviour(g, params, scheme, 1.5, 77, values);
  const RegimeBehaviour cached = regime_behaviour(g, params, scheme, 1.5, 77, values, mixes);
  const RecruitmentRule rule(params, 1.5, 77, values, mixes);
  REQUIRE(drawn.share_threshold == cached.share_threshold);
  REQUIRE(drawn.join_threshold == cached.join_threshold);
  REQUIRE(drawn.delay_factor == cached.delay_factor);
  REQUIRE(drawn.r0 == cached.r0);
  std::size_t differs = 0;
  for (Vertex v = 0; v < g.num_vertices(); ++v) {
    const VertexTraits t = rule.at(v);
    REQUIRE(t.share_threshold == drawn.share_threshold[v]);
    REQUIRE(t.join_threshold == drawn.join_threshold[v]);
    REQUIRE(t.delay_factor == drawn.delay_factor[v]);
    differs += drawn.share_threshold[v] != drawn.share_threshold[0];
  }
  REQUIRE(differs > 1000);  // the traits vary by vertex: the comparison is not trivial
  const LiveArcs arcs = recruitment_arcs(g, params, 77);
  VertexBehaviour by_rule;
  by_rule.rule = &rule;
  const std::vector<Vertex> seeds = top_degree_seeds(g, 5);
  for (std::uint64_t trial = 0; trial < 4; ++trial)
    require_same(timed_cascade(g, arcs, seeds, trial, kTimed, by_rule),
                 recruit(g, arcs, drawn, seeds, trial, kTimed));
  REQUIRE_THROWS_AS(
      regime_behaviour(g, params, scheme, 1.5, 77, values, std::span(mixes).first(10)),
      InvalidArgument);
}
