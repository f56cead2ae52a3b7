// Consistent beliefs and the theory beside them: the damped fixed point reaches a closed-form
// realised payout, an oscillating case stops at max_rounds with a warning, charity's sign,
// the recursive remainder to the cent, thread-count invariance, and branching-process theory
// (takeoff, final size) against simulation on a heavy-tailed Chung-Lu network.
#include <cmath>
#include <string>

#include "cascade/beliefs.hpp"
#include "cascade/builder.hpp"
#include "cascade/incentive.hpp"
#include "cascade/mobilize.hpp"
#include "cascade/mobilize_report.hpp"
#include "cascade/scenario_file.hpp"
#include "catch.hpp"

using namespace cascade;

namespace {

MobilizationReport run(const Scenario& s, std::size_t threads = 0) {
  const Graph g = build_scenario_network(s);
  MobilizeOptions options;
  options.threads = threads;
  return mobilize(g, s, options);
}

std::string without_timing(std::string json) {
  const auto a = json.find("\"timing\"");
  const auto b = json.find('}', a);
  return json.erase(a, b - a);
}

}  // namespace

TEST_CASE("beliefs: the damped fixed point of a closed-form map and of an oscillating one",
          "[kernels]") {
  // realise(B) = a constant: B_k = c (1 - (1 - eta)^k); stops once eta (1 - eta)^(k-1) c /
  // B_k < tol.
  BeliefOptions o;
  o.damping = 0.5;
  o.tolerance = 1e-3;
  Beliefs target;
  target.join_dollars = 7.0, target.recruit_dollars = 3.0, target.join_paid_chance = 0.2;
  int calls = 0;
  const BeliefSolution s = solve_beliefs({}, o, [&](const Beliefs&) {
    ++calls;
    return target;
  });
  REQUIRE(s.converged);
  REQUIRE(s.warning.empty());
  REQUIRE(static_cast<int>(s.rounds) == calls);
  REQUIRE(s.perceived.join_dollars == Approx(7.0).epsilon(2e-3));
  REQUIRE(s.perceived.recruit_dollars == Approx(3.0).epsilon(2e-3));
  // Relative change at round k is (1 - eta)^(k-1) eta / (1 - (1 - eta)^k): first < 1e-3 at k = 10.
  REQUIRE(s.rounds == 10);

  // realise flips between two values: undamped (eta = 1) it never settles.
  o.damping = 1.0;
  o.max_rounds = 12;
  const BeliefSolution flip = solve_beliefs({}, o, [](const Beliefs& b) {
    Beliefs r;
    r.join_dollars = b.join_dollars > 5 ? 1.0 : 10.0;
    return r;
  });
  REQUIRE_FALSE(flip.converged);
  REQUIRE(flip.rounds == 12);
  REQUIRE_THAT(flip.warning, Catch::Contains("did not converge in 12 rounds"));
}

TEST_CASE("beliefs: consistent mode converges to the closed-form payout of a flat bounty",
          "[kernels]") {
  // A star: the seed (the hub) reaches all 200 leaves (share and join probability 1), so every
  // trial has 200 recruits, each claiming the $5 bounty from a $600 pool: pro rata, the recruiter
  // gets floor(500 * 60000 / 100000) = 300 cents per recruit: realised recruit value $3.00, join
  // value = 600 / 201 per joiner, charity -600 / 201 per joiner, whatever the beliefs (the star
  // leaves nothing to choose).
  EdgeList star;
  star.num_vertices = 201;
  star.undirected = true;
  for (Vertex v = 1; v <= 200; ++v) star.edges.push_back({0, v});
  const Graph g = build_csr(star);
  Scenario s = parse_scenario(R"({
    "name": "star", "trials": 3, "horizon_hours": 100, "curve_step_hours": 10,
    "network": {"generator": "erdos-renyi", "vertices": 201},
    "seeds": {"choice": "ids", "ids": [0]},
    "delay": {"distribution": "exponential", "median_hours": 1},
    "population": {"share_probability": 1, "join_probability": 1},
    "incentive": {"recruit_probability_max": 1, "join_probability_max": 1},
    "targets": {"count": 0},
    "beliefs": {"damping": 0.5, "tolerance": 0.001},
    "regimes": [{"name": "bounty", "scheme": "flat-bounty", "bounty_dollars": 5, "pool_dollars": 600}]
  })");
  const MobilizationReport report = mobilize(g, s);
  const RegimeReport& r = report.regimes[0];
  REQUIRE(r.recruits.mean == 201);
  REQUIRE(r.payout_dollars.mean == 600.0);  // 200 claims of $5 cut to $3.00 each
  REQUIRE(r.beliefs.converged);
  REQUIRE(r.beliefs.realised.recruit_dollars == 3.0);
  REQUIRE(r.beliefs.realised.join_dollars == Approx(600.0 / 201));
  REQUIRE(r.beliefs.realised.charity_dollars == Approx(-600.0 / 201));
  REQUIRE(r.beliefs.perceived.recruit_dollars == Approx(3.0).epsilon(2e-3));
  REQUIRE(r.beliefs.perceived.join_dollars == Approx(600.0 / 201).epsilon(2e-3));
  REQUIRE(r.beliefs.perceived.recruit_paid_chance == Approx(1.0).epsilon(2e-3));
}

TEST_CASE("beliefs: an undamped bounty split oscillates to max_rounds and settles when damped",
          "[kernels]") {
  // A hub (the seed) and 1000 leaves; profit only. Each leaf the hub calls joins with q(J), the
  // hub calls with p(R1), and a $100 pool split over N = 1000 p q recruits pays about 100 / N
  // to both J and R1: the realised map has slope about -1.4 at its fixed point, so eta = 1
  // jumps between two states and eta = 0.5 converges.
  EdgeList star;
  star.num_vertices = 1001;
  star.undirected = true;
  for (Vertex v = 1; v <= 1000; ++v) star.edges.push_back({0, v});
  const Graph g = build_csr(star);
  auto scenario = [](double damping) {
    return parse_scenario(R"({
      "name": "split", "trials": 4, "horizon_hours": 100, "curve_step_hours": 10,
      "network": {"generator": "erdos-renyi", "vertices": 1001},
      "seeds": {"choice": "ids", "ids": [0]},
      "population": {"share_probability": 0.05, "join_probability": 0.05},
      "incentive": {"recruit_probability_max": 1, "join_probability_max": 1,
                    "reward_scale_dollars": 1,
                    "motivation": {"profit": 1, "charity": 0, "reciprocity": 0, "entertainment": 0}},
      "targets": {"count": 0},
      "beliefs": {"damping": )" +
                          std::to_string(damping) +
                          R"(, "tolerance": 0.01, "max_rounds": 25},
      "regimes": [{"name": "split", "scheme": "flat-bounty", "bounty_dollars": 10, "pool_dollars": 100}]
    })");
  };
  const MobilizationReport undamped = mobilize(g, scenario(1.0));
  REQUIRE_FALSE(undamped.regimes[0].beliefs.converged);
  REQUIRE(undamped.regimes[0].beliefs.rounds == 25);
  REQUIRE(undamped.warnings.size() == 1);
  REQUIRE_THAT(undamped.warnings[0], Catch::Contains("split: beliefs did not converge in 25"));
  REQUIRE_THAT(format_table(undamped), Catch::Contains("warning: split: beliefs did not converge"));
  REQUIRE_THAT(to_json(undamped), Catch::Contains("\"converged\": false"));

  const MobilizationReport damped = mobilize(g, scenario(0.5));
  const BeliefSolution& b = damped.regimes[0].beliefs;
  REQUIRE(b.converged);
  REQUIRE(damped.warnings.empty());
  REQUIRE(b.rounds < 25);
  // Consistent: the final run pays what people expect, within tolerance / eta (plus the cent
  // rounding of the pro-rata split).
  REQUIRE(b.realised.recruit_dollars == Approx(b.perceived.recruit_dollars).epsilon(0.03));
  REQUIRE(b.realised.join_dollars == Approx(b.perceived.join_dollars).epsilon(0.03));
  REQUIRE(damped.regimes[0].payout_dollars.mean <= 100.0);
}

TEST_CASE("charity: raising a flat bounty lowers the join probability and the remainder is exact",
          "[kernels]") {
  // Charity the only motive: each bounty is a dollar less donated, so people join less.
  std::vector<double> join;
  for (int bounty : {0, 2, 10}) {
    const std::string text = R"({
      "name": "charity", "trials": 4, "horizon_hours": 48,
      "network": {"generator": "barabasi-albert", "vertices": 20000, "degree": 4, "seed": 3},
      "seeds": {"choice": "random", "count": 20},
      "population": {"share_probability": 0.1, "join_probability": 0.3},
      "incentive": {"motivation": {"profit": 0, "charity": 1, "reciprocity": 0, "entertainment": 0}},
      "targets": {"count": 0},
      "regimes": [{"name": "b", "scheme": "flat-bounty", "bounty_dollars": )" +
                             std::to_string(bounty) + R"(, "pool_dollars": 100000}]})";
    const MobilizationReport report = run(parse_scenario(text));
    join.push_back(report.regimes[0].mean_join_probability);
    if (bounty > 0) REQUIRE(report.regimes[0].beliefs.perceived.charity_dollars < 0);
  }
  REQUIRE(join[0] == Approx(0.3));
  REQUIRE(join[1] < join[0]);
  REQUIRE(join[2] < join[1]);

  // Recursive split R = $1000.01, alpha 1/2: pay(k) = floor(100001 / 2^k) cents, budget
  // floor(100001 / 0.5) = 200002 cents per target. Two chains: finder at depth 5 and at depth 2.
  const IncentiveScheme scheme = IncentiveScheme::recursive(1000.01, 0.5);
  std::vector<Vertex> recruiter = {kNoVertex, 0, 1, 2, 3, 4, 0, 6};
  std::vector<std::uint8_t> joined(8, 1);
  std::vector<Vertex> finders = {5, 7};
  std::vector<std::uint32_t> depth = {0, 1, 2, 3, 4, 5, 1, 2};
  const PayoffResult pay = propagate_payoffs({recruiter, joined, finders}, scheme, 2);
  std::int64_t chain5 = 0, chain2 = 0;
  for (int k = 0; k <= 5; ++k) chain5 += 100001 >> k;
  for (int k = 0; k <= 2; ++k) chain2 += 100001 >> k;
  REQUIRE(pay.charity_cents == 2 * 200002 - chain5 - chain2);
  const RealisedTally t = realised_tally({recruiter, joined, finders}, depth, scheme, pay);
  REQUIRE(t.charity_cents == static_cast<double>(2 * 200002 - chain5 - chain2));
  REQUIRE(t.recruit_cents == static_cast<double>(chain5 - 100001 + chain2 - 100001));
  REQUIRE(t.recruit_paid == 5 + 2);  // vertices 5,4,3,2,1 and 7,6 pass money to their recruiter
}

TEST_CASE("beliefs: consistent mobilize is identical for 1 and 2 threads", "[kernels]") {
  const Scenario s = parse_scenario(R"({
    "name": "threads", "trials": 3, "horizon_hours": 30,
    "network": {"generator": "barabasi-albert", "vertices": 30000, "degree": 4, "seed": 5},
    "seeds": {"choice": "random", "count": 10},
    "population": {"share_probability": 0.08, "join_probability": 0.3},
    "targets": {"count": 5, "witnesses": 300},
    "beliefs": {"trials": 2, "max_rounds": 6},
    "preferences": {"probability_weighting": {"gamma": 0.61}},
    "regimes": [{"name": "v", "scheme": "none"},
                {"name": "r", "scheme": "recursive"},
                {"name": "f", "scheme": "flat-bounty", "bounty_dollars": 3, "pool_dollars": 500}]})");
  const std::string one = without_timing(to_json(run(s, 1)));
  const std::string two = without_timing(to_json(run(s, 2)));
  REQUIRE(one == two);
  REQUIRE_THAT(one, Catch::Contains("\"probability_weighting\": {"));
}

TEST_CASE("branching theory: takeoff and final size on a heavy-tailed Chung-Lu network",
          "[kernels][slow]") {
  constexpr int kTrials = 240;
  const Scenario s = parse_scenario(R"({
    "name": "theory", "trials": 240, "horizon_hours": 1000000, "curve_step_hours": 100000,
    "network": {"generator": "chung-lu", "vertices": 262144, "mean_degree": 6, "gamma": 2.5, "seed": 7},
    "seeds": {"choice": "random", "count": 3},
    "delay": {"distribution": "exponential", "median_hours": 1},
    "population": {"share_probability": 0.1, "join_probability": 0.5},
    "incentive": {"recruit_probability_max": 0.15, "join_probability_max": 0.7},
    "targets": {"count": 0},
    "beliefs": {"mode": "assumed"},
    "regimes": [{"name": "virality", "scheme": "none"},
                {"name": "bounty", "scheme": "flat-bounty", "bounty_dollars": 30, "pool_dollars": 1e9}]})");
  const MobilizationReport report = run(s);
  for (const RegimeReport& r : report.regimes) {
    INFO(r.name << ": growth " << r.theory.growth_factor << ", takeoff "
                << r.theory.takeoff_probability << " vs " << r.observed.takeoff_fraction
                << ", final " << r.theory.final_fraction << " vs " << r.observed.final_fraction.mean
                << " +- " << r.observed.final_fraction.se);
    REQUIRE(r.theory.growth_factor > 1.1);
    const double p = r.theory.takeoff_probability;
    REQUIRE(std::abs(r.observed.takeoff_fraction - p) < 4 * std::sqrt(p * (1 - p) / kTrials));
    REQUIRE(r.observed.takeoff_trials >= 10);
    REQUIRE(std::abs(r.observed.final_fraction.mean - r.theory.final_fraction) <
            4 * r.observed.final_fraction.se);
  }
  REQUIRE(report.regimes[1].theory.growth_factor > report.regimes[0].theory.growth_factor);
}
