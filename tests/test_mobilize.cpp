// Scenario files and mobilize(): strict parsing with errors naming the key, defaults, round
// trips, report invariants, thread-count invariance, the JSON schema, and the shipped scenarios.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>

#include "cascade/error.hpp"
#include "cascade/mobilize.hpp"
#include "cascade/mobilize_report.hpp"
#include "cascade/parallel.hpp"
#include "cascade/scenario_file.hpp"
#include "cascade/trees_csv.hpp"
#include "catch.hpp"
#include "test_helpers.hpp"

using namespace cascade;

namespace {

// A small scenario: 20k-vertex Barabasi-Albert, strong incentive, visible targets.
const char* kSmall = R"({
  "name": "small", "trials": 4, "horizon_hours": 24, "curve_step_hours": 2,
  "network": {"generator": "barabasi-albert", "vertices": 20000, "degree": 4, "seed": 3},
  "seeds": {"choice": "random", "count": 3},
  "delay": {"distribution": "weibull", "median_hours": 2, "shape": 1.5},
  "population": {"share_probability": 0.05, "join_probability": 0.2},
  "incentive": {"recruit_probability_max": 0.5, "join_probability_max": 0.7},
  "beliefs": {"mode": "assumed"},
  "targets": {"count": 5, "witnesses": 200, "appear_hours": 4, "sighting_median_hours": 1},
  "regimes": [
    {"name": "virality", "scheme": "none"},
    {"name": "incentive", "scheme": "recursive", "reward_dollars": 2000, "split": 0.5},
    {"name": "finder", "scheme": "finder-only"},
    {"name": "bounty", "scheme": "flat-bounty", "bounty_dollars": 5, "bounty_cap": 4, "pool_dollars": 20000},
    {"name": "off", "scheme": "recursive", "strength": 0}
  ]
})";

std::string error_of(const std::string& text) {
  try {
    parse_scenario(text, "test.json");
  } catch (const FileError& e) {
    return e.what();
  }
  return "no error";
}

MobilizationReport run(const Scenario& s, std::size_t threads = 0) {
  const Graph g = build_scenario_network(s);
  MobilizeOptions options;
  options.threads = threads;
  return mobilize(g, s, options);
}

}  // namespace

TEST_CASE("scenario: defaults for missing keys", "[kernels]") {
  const Scenario s = parse_scenario("{}");
  REQUIRE(s.trials == 10);
  REQUIRE(s.horizon_hours == 48.0);
  REQUIRE(s.network.generator == "chung-lu");
  REQUIRE(s.seeds.count == 4);
  REQUIRE(s.targets.count == 10);
  REQUIRE(s.delay.distribution == DelayDistribution::kLogNormal);
  REQUIRE(s.recruitment.share_probability == RecruitmentParams{}.share_probability);
  REQUIRE(s.regimes.size() == 2);
  REQUIRE(s.regimes[0].name == "virality");
  REQUIRE(s.regimes[0].scheme.kind == SchemeKind::kNone);
  REQUIRE(s.regimes[1].scheme.kind == SchemeKind::kRecursive);
  REQUIRE(s.regimes[1].scheme.reward_dollars == 2000.0);
  REQUIRE(s.regimes[1].scheme.split == 0.5);
}

TEST_CASE("scenario: errors name the file and the key", "[kernels]") {
  REQUIRE_THAT(error_of(R"({"attack": {"sybil_share": 1.5}})"),
               Catch::Contains("'attack.sybil_share'") && Catch::Contains("1.5"));
  REQUIRE_THAT(error_of(R"({"attack": {"sybil_share": 0.5, "fakez": 2}})"),
               Catch::Contains("'attack.fakez'") && Catch::Contains("unknown key"));
  REQUIRE_THAT(error_of(R"({"attack": {"fakes": 65}})"), Catch::Contains("'attack.fakes'"));
  REQUIRE_THAT(error_of(R"({"attack": {"sybil_share": 0.5, "role": "miner"}})"),
               Catch::Contains("'attack.role'") && Catch::Contains("miner"));
  REQUIRE_THAT(
      error_of(R"({"regimes": [{"name": "a", "scheme": "almost-uniform", "max_chain": 0}]})"),
      Catch::Contains("'regimes[0].max_chain'"));
  REQUIRE_THAT(
      error_of(R"({"regimes": [{"name": "a", "scheme": "almost-uniform", "split": 0.5}]})"),
      Catch::Contains("'regimes[0].split'") && Catch::Contains("unknown key"));
  REQUIRE_THAT(error_of(R"({"horizon": 48})"), Catch::Contains("test.json") &&
                                                   Catch::Contains("'horizon'") &&
                                                   Catch::Contains("unknown key"));
  REQUIRE_THAT(error_of(R"({"population": {"share_probablity": 0.1}})"),
               Catch::Contains("'population.share_probablity'"));
  REQUIRE_THAT(error_of(R"({"population": {"share_probability": 1.5}})"),
               Catch::Contains("'population.share_probability'") && Catch::Contains("1.5"));
  REQUIRE_THAT(error_of(R"({"delay": {"median_hours": -1}})"),
               Catch::Contains("'delay.median_hours'"));
  REQUIRE_THAT(error_of(R"({"delay": {"distribution": "gamma"}})"),
               Catch::Contains("'delay.distribution'"));
  REQUIRE_THAT(error_of(R"({"network": {"generator": "chung-lu", "degree": 4}})"),
               Catch::Contains("'network.degree'") && Catch::Contains("chung-lu"));
  REQUIRE_THAT(error_of(R"({"network": {"generator": "small-world"}})"),
               Catch::Contains("'network.generator'"));
  REQUIRE_THAT(error_of(R"({"trials": "many"})"), Catch::Contains("'trials'"));
  REQUIRE_THAT(error_of(R"({"trials": -3})"), Catch::Contains("'trials'"));
  REQUIRE_THAT(error_of(R"({"regimes": [{"name": "a", "scheme": "recursive", "split": 1.0}]})"),
               Catch::Contains("'regimes[0].split'"));
  REQUIRE_THAT(
      error_of(
          R"({"regimes": [{"name": "a"}, {"name": "b", "scheme": "finder-only", "split": 0.5}]})"),
      Catch::Contains("'regimes[1].split'"));
  REQUIRE_THAT(error_of(R"({"regimes": [{"name": "a", "scheme": "ponzi"}]})"),
               Catch::Contains("'regimes[0].scheme'"));
  REQUIRE_THAT(error_of(R"({"regimes": [{"name": "a"}, {"name": "a"}]})"),
               Catch::Contains("duplicate"));
  REQUIRE_THAT(error_of(R"({"incentive": {"recruit_probability_max": 0.01}})"),
               Catch::Contains("recruit_probability_max"));
  REQUIRE_THAT(error_of(R"({"incentive": {"motivation": {"greed": 1}}})"),
               Catch::Contains("'incentive.motivation.greed'"));
  REQUIRE_THAT(error_of(R"({"seeds": {"choice": "ids", "ids": []}})"),
               Catch::Contains("'seeds.ids'"));
  REQUIRE_THAT(error_of("{\n  \"trials\": 3,\n  oops\n}"),
               Catch::Contains("invalid JSON") && Catch::Contains("line 3"));
  REQUIRE_THAT(error_of("[1, 2]"), Catch::Contains("expected a JSON object"));
  REQUIRE_THAT(error_of(R"({"incentive": {"perceived_levels": 4294967296}})"),
               Catch::Contains("'incentive.perceived_levels'"));
  REQUIRE_THAT(error_of(R"({"network": {"generator": "rmat", "scale": 40}})"),
               Catch::Contains("'network.scale'"));
  REQUIRE_THAT(error_of(R"({"network": {"gamma": 1e999}})"),
               Catch::Contains("test.json") && Catch::Contains("invalid JSON"));
  REQUIRE_THAT(error_of(R"({"beliefs": {"mode": "rational"}})"), Catch::Contains("'beliefs.mode'"));
  REQUIRE_THAT(error_of(R"({"beliefs": {"damping": 0}})"), Catch::Contains("'beliefs.damping'"));
  REQUIRE_THAT(error_of(R"({"beliefs": {"max_rounds": 0}})"),
               Catch::Contains("'beliefs.max_rounds'"));
  REQUIRE_THAT(error_of(R"({"beliefs": {"tolerance": -1}})"),
               Catch::Contains("'beliefs.tolerance'"));
  REQUIRE_THAT(error_of(R"({"beliefs": {"start": "high"}})"), Catch::Contains("'beliefs.start'"));
  REQUIRE_THAT(error_of(R"({"beliefs": {"rounds": 3}})"), Catch::Contains("'beliefs.rounds'"));
  REQUIRE_THAT(error_of(R"({"preferences": {"probability_weighting": {"gamma": 0.1}}})"),
               Catch::Contains("'preferences.probability_weighting.gamma'"));
  REQUIRE_THAT(error_of(R"({"preferences": {"probability_weighting": true}})"),
               Catch::Contains("'preferences.probability_weighting'"));
  REQUIRE_THAT(error_of(R"({"preferences": {"loss_aversion": 2.25}})"),
               Catch::Contains("'preferences.loss_aversion'"));
  REQUIRE_THROWS_AS(read_scenario("/nonexistent/scenario.json"), FileError);
}

TEST_CASE("scenario: beliefs and preferences round trip", "[kernels]") {
  const Scenario s = parse_scenario(R"({"beliefs": {"mode": "assumed", "damping": 0.3,
      "tolerance": 0.001, "max_rounds": 7, "trials": 2, "start": "zero"},
      "preferences": {"probability_weighting": {"gamma": 0.7}}})");
  REQUIRE(s.beliefs.mode == BeliefMode::kAssumed);
  REQUIRE(s.beliefs.damping == 0.3);
  REQUIRE(s.beliefs.max_rounds == 7);
  REQUIRE(s.beliefs.trials == 2);
  REQUIRE_FALSE(s.beliefs.start_assumed);
  REQUIRE(s.recruitment.probability_weighting);
  REQUIRE(s.recruitment.weighting_gamma == 0.7);
  const std::string canonical = scenario_to_json(s);
  REQUIRE(scenario_to_json(parse_scenario(canonical)) == canonical);
  const Scenario d = parse_scenario("{}");
  REQUIRE(d.beliefs.mode == BeliefMode::kConsistent);
  REQUIRE(d.beliefs.start_assumed);
  REQUIRE_FALSE(d.recruitment.probability_weighting);
}

TEST_CASE("scenario: canonical JSON round trips", "[kernels]") {
  const Scenario s = parse_scenario(kSmall, "small");
  const std::string canonical = scenario_to_json(s);
  REQUIRE(scenario_to_json(parse_scenario(canonical)) == canonical);
  testing::TempDir dir;
  std::ofstream(dir / "s.json") << canonical;
  REQUIRE(scenario_to_json(read_scenario((dir / "s.json").string())) == canonical);
}

TEST_CASE("mobilize: report invariants on a small network", "[kernels]") {
  const Scenario s = parse_scenario(kSmall, "small");
  const MobilizationReport report = run(s);
  REQUIRE(report.vertices == 20000);
  REQUIRE(report.trials == 4);
  REQUIRE(report.hours.size() == 13);  // 0, 2, ..., 24
  REQUIRE(report.regimes.size() == 5);
  const RegimeReport& virality = report.regimes[0];
  const RegimeReport& incentive = report.regimes[1];
  for (const RegimeReport& r : report.regimes) {
    REQUIRE(r.recruits.mean <= r.reached.mean);
    REQUIRE(r.recruits.min >= 3);  // seeds always join
    REQUIRE(r.payout_dollars.max <= r.budget_dollars);
    REQUIRE(r.charity_dollars.min >= 0);
    REQUIRE(r.targets_found.max <= 5);
    REQUIRE(r.all_targets_count <= 4);
    for (std::size_t j = 1; j < report.hours.size(); ++j) {
      REQUIRE(r.reached_curve.mean[j] >= r.reached_curve.mean[j - 1]);
      REQUIRE(r.joined_curve.mean[j] >= r.joined_curve.mean[j - 1]);
      REQUIRE(r.joined_curve.lo[j] <= r.joined_curve.mean[j]);
      REQUIRE(r.joined_curve.hi[j] >= r.joined_curve.mean[j]);
    }
    // The horizon is on the grid: the last curve point is everything joined within it.
    REQUIRE(r.joined_curve.mean.back() == Approx(r.recruits.mean));
    REQUIRE(r.reached_curve.mean.back() == Approx(r.reached.mean));
    REQUIRE(r.joined_curve.mean.front() == Approx(3.0));  // the seeds at hour 0
    double joined = 0;
    for (double z : r.depth_histogram) joined += z;
    REQUIRE(joined == Approx(r.recruits.mean));
    double offspring = 0;
    for (double z : r.offspring_histogram) offspring += z;
    REQUIRE(offspring == Approx(r.recruits.mean));
  }
  REQUIRE(incentive.recruits.mean > 10 * virality.recruits.mean);
  REQUIRE(incentive.r0_theory > 1.0);
  REQUIRE(virality.r0_theory < 1.0);
  REQUIRE(incentive.targets_found.mean > virality.targets_found.mean);
  REQUIRE(incentive.payout_dollars.mean > 0);
  REQUIRE(virality.payout_dollars.max == 0);
  REQUIRE(report.regimes[3].payout_dollars.max <= 20000);  // flat bounty within its pool
  // Strength 0: the recursive scheme's cascade is the virality cascade (payouts may differ).
  const RegimeReport& off = report.regimes[4];
  REQUIRE(off.recruits.mean == virality.recruits.mean);
  REQUIRE(off.reached.mean == virality.reached.mean);
  REQUIRE(off.joined_curve.mean == virality.joined_curve.mean);
  REQUIRE(off.targets_found.mean == virality.targets_found.mean);
}

TEST_CASE("mobilize: identical reports for 1, 2 and 4 threads", "[kernels]") {
  Scenario s = parse_scenario(kSmall, "small");
  s.trials = 2;
  auto json_of = [&s](std::size_t threads) {
    MobilizationReport report = run(s, threads);
    report.simulate_seconds = 0;
    return to_json(report) + to_csv(report);
  };
  const std::string one = json_of(1);
  REQUIRE(json_of(2) == one);
  REQUIRE(json_of(4) == one);
}

TEST_CASE("mobilize: JSON, CSV and table follow the documented schema", "[kernels]") {
  Scenario s = parse_scenario(kSmall, "small");
  s.trials = 2;
  const MobilizationReport report = run(s);
  const auto j = nlohmann::json::parse(to_json(report));
  REQUIRE(j.at("horizon_hours") == 24.0);
  REQUIRE(j.at("regimes").size() == 5);
  for (const auto& r : j.at("regimes")) {
    for (const char* key : {"name", "scheme", "recruits_mean", "reached_mean", "payout_mean",
                            "budget", "targets_found_mean", "hours_to_all_targets", "curves",
                            "charity_mean", "cost_per_recruit", "targets", "tree", "payoff"})
      REQUIRE(r.contains(key));
    REQUIRE(r.at("hours_to_all_targets").contains("mean"));
    REQUIRE(r.at("hours_to_all_targets").contains("count"));
    REQUIRE(r.at("curves").at("joined").at("mean").size() == report.hours.size());
    REQUIRE(r.at("curves").at("active_recruiters").at("hi").size() == report.hours.size());
    REQUIRE(r.at("targets").size() == 5);
    for (const char* key :
         {"mode", "rounds", "converged", "perceived_join_dollars", "realised_join_dollars",
          "perceived_recruit_dollars", "realised_recruit_dollars", "perceived_charity_dollars"})
      REQUIRE(r.at("beliefs").contains(key));
    REQUIRE(r.at("beliefs").at("mode") == "assumed");
    REQUIRE(r.at("probability_weighting").is_null());
    for (const char* key :
         {"growth_factor", "takeoff_probability", "final_fraction", "doubling_time_hours"})
      REQUIRE(r.at("theory").contains(key));
    for (const char* key : {"takeoff_fraction", "final_fraction", "doubling_time_hours",
                            "offspring_mean", "recruiting_share"})
      REQUIRE(r.at("observed").contains(key));
  }
  REQUIRE(j.at("warnings").empty());
  REQUIRE(j.at("takeoff_recruits") == 142);  // ceil(sqrt(20000))
  REQUIRE(j.at("regimes")[0].at("name") == "virality");
  REQUIRE(j.at("regimes")[1].at("scheme").at("kind") == "recursive");

  const std::string csv = to_csv(report);
  REQUIRE(csv.rfind("regime,hour,reached_mean", 0) == 0);
  REQUIRE(static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n')) ==
          1 + 5 * report.hours.size());

  const std::string table = format_table(report);
  REQUIRE_THAT(table, Catch::Contains("recruits") && Catch::Contains("incentive") &&
                          Catch::Contains("virality") &&
                          Catch::Contains("join $ perceived / realised") &&
                          Catch::Contains("takeoff theory / observed") &&
                          Catch::Contains("offspring mean / share >= 1"));
}

TEST_CASE("shipped scenarios parse", "[kernels]") {
  int found = 0;
  for (const auto& entry : std::filesystem::directory_iterator(CASCADE_DATA_DIR "/scenarios")) {
    if (entry.path().extension() != ".json") continue;
    const Scenario s = read_scenario(entry.path().string());
    REQUIRE(s.regimes.size() >= 2);
    ++found;
  }
  REQUIRE(found >= 3);
}

TEST_CASE("mobilize: observed mean offspring agrees with R0 on a tree-like graph", "[kernels]") {
  // G(n, m) with mean degree 8, p q = 0.1: R0 = 0.8, subcritical, so no saturation; 100 seeds a
  // trial give enough parents. The horizon cuts many recruitment windows short: the estimator
  // must correct for recruits still in flight.
  const Scenario s = parse_scenario(R"({
    "trials": 4, "horizon_hours": 30,
    "network": {"generator": "erdos-renyi", "vertices": 200000, "edges": 800000, "seed": 5},
    "seeds": {"choice": "random", "count": 100},
    "delay": {"distribution": "lognormal", "median_hours": 6, "shape": 1.0},
    "population": {"share_probability": 0.2, "join_probability": 0.5},
    "regimes": [{"name": "virality", "scheme": "none"}]
  })");
  const MobilizationReport report = run(s);
  const RegimeReport& r = report.regimes[0];
  REQUIRE(r.r0_theory == Approx(0.8).epsilon(0.03));
  REQUIRE(r.branching_parents > 500);
  // Standard error: a parent u contributes offspring(u) / F_u, offspring ~ Poisson(R F_u) (a
  // Binomial(Poisson(8) further contacts, p q) thinned by the chance F_u that a recruit arrives
  // before the horizon), so its variance is R / F_u <= 2 R: parents are only counted when they
  // joined at least one median delay before the horizon, where F >= F(median) = 1/2. Hence
  // se <= sqrt(2 R / parents), and the observed mean must lie within 4 of those.
  const double se_bound = std::sqrt(2.0 * r.r0_theory / static_cast<double>(r.branching_parents));
  INFO("observed " << r.branching_observed << " theory " << r.r0_theory << " se <= " << se_bound);
  REQUIRE(std::abs(r.branching_observed - r.r0_theory) < 4.0 * se_bound);
}

TEST_CASE("mobilize: on_tree hands out the forests the report summarises", "[kernels]") {
  Scenario s = parse_scenario(kSmall, "small");
  s.trials = 2;
  const Graph g = build_scenario_network(s);
  MobilizeOptions options;
  // Per regime: joiners and targets found summed over trials, from the forests alone.
  std::vector<double> joiners(s.regimes.size(), 0), found(s.regimes.size(), 0);
  std::string csv = trees_csv_header();
  std::uint64_t calls = 0, next_trial = 0;
  options.on_tree = [&](const TrialTree& t) {
    REQUIRE(t.regime == calls % s.regimes.size());  // trial order, regimes in scenario order
    REQUIRE(t.trial == next_trial);
    if (t.regime + 1 == s.regimes.size()) ++next_trial;
    ++calls;
    for (std::size_t v = 0; v < t.joined.size(); ++v) {
      if (!t.joined[v]) continue;
      joiners[t.regime] += 1;
      const Vertex r = t.recruiter[v];
      if (r == kNoVertex) {
        REQUIRE(t.join_hours[v] == 0.0f);  // initial members join at hour 0
        continue;
      }
      REQUIRE(t.joined[r]);
      REQUIRE(t.join_hours[r] <= t.join_hours[v]);
    }
    for (Vertex f : t.finders) REQUIRE(t.joined[f]);
    found[t.regime] += static_cast<double>(t.finders.size());
    append_trees_csv(csv, t, s.regimes[t.regime].name);
  };
  const MobilizationReport report = mobilize(g, s, options);
  REQUIRE(calls == s.trials * s.regimes.size());
  std::size_t rows = 0;
  for (char c : csv) rows += c == '\n';
  double all_joiners = 0;
  for (std::size_t i = 0; i < s.regimes.size(); ++i) {
    REQUIRE(joiners[i] / 2 == Approx(report.regimes[i].recruits.mean));
    REQUIRE(found[i] / 2 == Approx(report.regimes[i].targets_found.mean));
    all_joiners += joiners[i];
  }
  REQUIRE(rows == 1 + static_cast<std::size_t>(all_joiners));  // header + one row per joiner
  REQUIRE(csv.rfind("trial,regime,person,recruiter,join_hours,found_target\n0,virality,", 0) == 0);
}

TEST_CASE("mobilize: tree sizes and the time-to-all-targets CDF match the forests", "[kernels]") {
  Scenario s = parse_scenario(kSmall, "small");
  s.trials = 3;
  const Graph g = build_scenario_network(s);
  MobilizeOptions options;
  // Oracle: walk every joiner up to its initial member and count, per trial and regime.
  std::vector<std::vector<double>> bins(s.regimes.size(), std::vector<double>(kTreeSizeBins, 0));
  options.on_tree = [&](const TrialTree& t) {
    std::map<Vertex, std::uint64_t> size_of_root;
    for (std::size_t v = 0; v < t.joined.size(); ++v) {
      if (!t.joined[v]) continue;
      Vertex root = static_cast<Vertex>(v);
      while (t.recruiter[root] != kNoVertex) root = t.recruiter[root];
      ++size_of_root[root];
    }
    for (const auto& [root, size] : size_of_root) {
      std::size_t k = 0;
      while ((std::uint64_t{2} << k) <= size) ++k;  // size in [2^k, 2^(k+1))
      bins[t.regime][k] += 1.0 / static_cast<double>(s.trials);
    }
  };
  const MobilizationReport report = mobilize(g, s, options);
  for (std::size_t i = 0; i < s.regimes.size(); ++i) {
    const RegimeReport& r = report.regimes[i];
    REQUIRE(r.tree_size_histogram.size() == kTreeSizeBins);
    for (std::size_t k = 0; k < kTreeSizeBins; ++k)
      REQUIRE(r.tree_size_histogram[k] == Approx(bins[i][k]).margin(1e-12));
    REQUIRE(r.hours_to_all_sorted.size() == r.all_targets_count);
    REQUIRE(std::is_sorted(r.hours_to_all_sorted.begin(), r.hours_to_all_sorted.end()));
    double sum = 0;
    for (double h : r.hours_to_all_sorted) {
      REQUIRE(h >= 0.0);
      REQUIRE(h <= s.horizon_hours);
      sum += h;
    }
    if (r.all_targets_count > 0)
      REQUIRE(sum / static_cast<double>(r.all_targets_count) == Approx(r.hours_to_all_mean));
  }
  // The incentive regime of this scenario grows trees past one member, so the check bites.
  REQUIRE(std::accumulate(bins[1].begin() + 1, bins[1].end(), 0.0) > 0);
}

TEST_CASE("mobilize: a Sybil attack's gain balances honest and charity losses per regime",
          "[kernels]") {
  Scenario s = parse_scenario(kSmall, "small");
  s.trials = 3;
  s.attack = {0.2, 3};
  const MobilizationReport report = run(s);
  const MobilizationReport plain = run(parse_scenario(kSmall, "small"));
  for (std::size_t i = 0; i < report.regimes.size(); ++i) {
    const RegimeReport& r = report.regimes[i];
    REQUIRE(r.attack);
    REQUIRE_FALSE(plain.regimes[i].attack);
    // Means of exact cents: equal up to the doubles' rounding of the sums.
    REQUIRE(r.attack_gain_dollars.mean ==
            Approx(r.attack_honest_loss_dollars.mean + r.attack_charity_loss_dollars.mean)
                .margin(1e-6));
    REQUIRE(r.attackers_mean > 0);
    if (r.scheme.kind == SchemeKind::kNone || r.scheme.kind == SchemeKind::kFinderOnly)
      REQUIRE(r.attack_gain_dollars.max == 0);
  }
  REQUIRE(report.regimes[1].attack_gain_dollars.mean > 0);  // recursive pays the attackers
  REQUIRE(report.regimes[3].attack_gain_dollars.mean > 0);  // so does the flat bounty
  const auto j = nlohmann::json::parse(to_json(report));
  for (const char* key : {"attacker_gain_dollars", "honest_loss_dollars", "charity_loss_dollars"}) {
    REQUIRE(j["regimes"][1]["attack"][key].contains("mean"));
    REQUIRE(j["regimes"][1]["attack"][key]["ci95"].size() == 2);
  }
  REQUIRE(nlohmann::json::parse(to_json(plain))["regimes"][0]["attack"].is_null());
  // The attack round trips through the canonical scenario and names its keys in errors.
  REQUIRE(parse_scenario(scenario_to_json(s), "rt").attack.fakes == 3);
}

TEST_CASE("mobilize: finders' fakes gain exactly nothing under almost-uniform", "[kernels]") {
  Scenario s = parse_scenario(kSmall, "small");
  s.trials = 3;
  s.regimes = {parse_scenario(R"({"regimes": [
      {"name": "uniform", "scheme": "almost-uniform", "reward_dollars": 2000,
       "level_dollars": 100, "max_chain": 64},
      {"name": "incentive", "scheme": "recursive"}]})")
                   .regimes};
  s.attack = {0.3, 4, SybilRole::kFinder};
  const MobilizationReport report = run(s);
  const RegimeReport& uniform = report.regimes[0];
  REQUIRE(uniform.attackers_mean > 0);
  REQUIRE(uniform.targets_found.mean > 0);
  for (const Summary* x : {&uniform.attack_gain_dollars, &uniform.attack_honest_loss_dollars,
                           &uniform.attack_charity_loss_dollars}) {
    REQUIRE(x->min == 0);  // every trial, exact: chains stay far below H = 64
    REQUIRE(x->max == 0);
  }
  REQUIRE(report.regimes[1].attack_gain_dollars.mean > 0);  // recursive pays the same fakes
  const Scenario back = parse_scenario(scenario_to_json(s), "rt");
  REQUIRE(back.attack.role == SybilRole::kFinder);
  REQUIRE(back.regimes[0].scheme.max_chain == 64);
  REQUIRE(back.regimes[0].scheme.level_dollars == 100);
}

TEST_CASE("mobilize: selfish splits, w = 0 is today bit for bit; only who is paid changes",
          "[kernels]") {
  Scenario s = parse_scenario(kSmall, "small");
  s.trials = 4;
  s.regimes = {s.regimes[0], s.regimes[1], s.regimes[2]};  // virality, recursive, finder-only
  auto json_of = [](const Scenario& scenario) {
    MobilizationReport report = run(scenario);
    report.simulate_seconds = 0;
    return to_json(report) + to_csv(report);
  };
  Scenario zero = parse_scenario(scenario_to_json(s), "small");
  REQUIRE(zero.recruitment.withheld_share == 0.0);
  for (BeliefMode mode : {BeliefMode::kAssumed, BeliefMode::kConsistent}) {
    s.beliefs.mode = zero.beliefs.mode = mode;
    REQUIRE(json_of(zero) == json_of(s));
  }
  // Under assumed beliefs the cascades do not depend on w: recruits, finds, payout and charity
  // stay exactly; what a recruit brings its recruiter (realised R1) rises with w.
  s.beliefs.mode = BeliefMode::kAssumed;
  const MobilizationReport base = run(s);
  REQUIRE(base.regimes[1].targets_found.mean > 0);
  double last_recursive = -1, last_finder = -1;
  for (double w : {0.0, 0.25, 0.5, 1.0}) {
    Scenario t = s;
    t.recruitment.withheld_share = w;
    const MobilizationReport r = run(t);
    for (std::size_t i = 0; i < r.regimes.size(); ++i) {
      REQUIRE(r.regimes[i].recruits.mean == base.regimes[i].recruits.mean);
      REQUIRE(r.regimes[i].targets_found.mean == base.regimes[i].targets_found.mean);
      REQUIRE(r.regimes[i].payout_dollars.mean == Approx(base.regimes[i].payout_dollars.mean));
      REQUIRE(r.regimes[i].charity_dollars.mean == Approx(base.regimes[i].charity_dollars.mean));
    }
    const double recursive = r.regimes[1].beliefs.realised.recruit_dollars;
    const double finder = r.regimes[2].beliefs.realised.recruit_dollars;
    REQUIRE(recursive > last_recursive);
    REQUIRE(finder >= last_finder);
    if (w == 0.0) REQUIRE(finder == 0.0);  // finder-only pays nothing through a recruit
    if (w > 0.0) REQUIRE(finder > 0.0);
    last_recursive = recursive, last_finder = finder;
  }
}
