// sweep(): the base point equals mobilize() bit for bit, strength 0 equals virality inside a
// sweep, thread counts agree, equal-spend scaling hits the budget to the cent, the network is
// rebuilt only when a network key changes, and every bad sweep fails naming its key or value.
#include <cmath>
#include <nlohmann/json.hpp>

#include "cascade/error.hpp"
#include "cascade/mobilize.hpp"
#include "cascade/mobilize_report.hpp"
#include "cascade/monte_carlo.hpp"
#include "cascade/scenario_file.hpp"
#include "cascade/sweep.hpp"
#include "catch.hpp"

using namespace cascade;
using Json = nlohmann::json;

namespace {

// A small scenario (3,000 vertices) whose incentive regimes recruit visibly within the horizon.
const char* kTiny = R"({
  "name": "tiny", "seed": 7, "trials": 4, "horizon_hours": 24, "curve_step_hours": 2,
  "network": {"generator": "barabasi-albert", "vertices": 3000, "degree": 3, "seed": 1},
  "seeds": {"choice": "top-degree", "count": 2},
  "incentive": {"recruit_probability_max": 0.25},
  "targets": {"count": 3, "witnesses": 20},
  "regimes": [
    {"name": "virality", "scheme": "none"},
    {"name": "recursive", "scheme": "recursive", "reward_dollars": 1000, "split": 0.5},
    {"name": "finder", "scheme": "finder-only", "reward_dollars": 2000},
    {"name": "bounty", "scheme": "flat-bounty", "bounty_dollars": 10, "pool_dollars": 6000}
  ]
})";

SweepOptions keys(std::vector<std::string> sets) {
  SweepOptions o;
  for (const auto& s : sets) o.axes.push_back(parse_sweep_axis(s));
  return o;
}

// mobilize's JSON without the timings (which differ run to run).
Json report_json(const MobilizationReport& r) {
  Json j = Json::parse(to_json(r));
  j.erase("timing");
  return j;
}

Json sweep_json(const SweepReport& r) {
  Json j = Json::parse(to_json(r));
  j.erase("timing");
  return j;
}

MobilizationReport mobilize_text(const std::string& text) {
  const Scenario s = parse_scenario(text, "tiny.json");
  return mobilize(build_scenario_network(s), s);
}

std::string sweep_error(const std::string& text, const SweepOptions& o) {
  try {
    sweep(text, "tiny.json", o);
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("sweep: the point equal to the base scenario reproduces mobilize bit for bit",
          "[kernels]") {
  const Json base = report_json(mobilize_text(kTiny));
  const SweepReport keyed =
      sweep(kTiny, "tiny.json", keys({"incentive.recruit_probability_max=0.1,0.25"}));
  REQUIRE(keyed.points.size() == 2);
  CHECK(keyed.points[0].values[0] ==
        std::pair<std::string, std::string>("incentive.recruit_probability_max", "0.1"));
  CHECK(report_json(keyed.points[1].report) == base);
  // The other point did change something (the incentive regimes recruit differently).
  CHECK(keyed.points[0].report.regimes[1].recruits.mean !=
        keyed.points[1].report.regimes[1].recruits.mean);
  // Common random numbers: virality does not depend on the incentive key at all.
  CHECK(report_json(keyed.points[0].report)["regimes"][0] == base["regimes"][0]);

  // On the frontier, the scenario's own budget (K * R / (1 - alpha) = 3 * 1000 / 0.5 = 6000 =
  // 3 * 2000 = the pool) scales nothing, so that point is the base scenario too.
  SweepOptions frontier;
  frontier.budgets_dollars = {600, 6000};
  const SweepReport budgets = sweep(kTiny, "tiny.json", frontier);
  REQUIRE(budgets.points.size() == 2);
  CHECK(report_json(budgets.points[1].report) == base);
}

TEST_CASE("sweep: a regime with strength 0 equals virality within the sweep", "[kernels]") {
  const SweepReport r = sweep(kTiny, "tiny.json", keys({"regimes.1.strength=0,1"}));
  REQUIRE(r.points.size() == 2);
  const RegimeReport& virality = r.points[0].report.regimes[0];
  const RegimeReport& off = r.points[0].report.regimes[1];
  CHECK(off.strength == 0.0);
  CHECK(off.recruits.mean == virality.recruits.mean);
  CHECK(off.recruits.se == virality.recruits.se);
  CHECK(off.reached.mean == virality.reached.mean);
  CHECK(off.targets_found.mean == virality.targets_found.mean);
  CHECK(off.all_targets_count == virality.all_targets_count);
  CHECK(off.joined_curve.mean == virality.joined_curve.mean);
  CHECK(off.reached_curve.mean == virality.reached_curve.mean);
  // Strength 1 does respond (so the equality above is not vacuous).
  CHECK(r.points[1].report.regimes[1].recruits.mean > virality.recruits.mean);
}

TEST_CASE("sweep: thread counts 1 and 2 give identical sweeps", "[kernels]") {
  for (const bool frontier : {false, true}) {
    INFO("frontier " << frontier);
    SweepOptions o =
        frontier ? SweepOptions{} : keys({"seeds.count=1,3", "network.vertices=2000,3000"});
    if (frontier) o.budgets_dollars = {600, 60000};
    o.threads = 1;
    const SweepReport one = sweep(kTiny, "tiny.json", o);
    o.threads = 2;
    const SweepReport two = sweep(kTiny, "tiny.json", o);
    CHECK(sweep_json(one) == sweep_json(two));
    CHECK(to_csv(one) == to_csv(two));
  }
}

TEST_CASE("sweep: the network is rebuilt only when a network key changes", "[kernels]") {
  CHECK(sweep(kTiny, "tiny.json", keys({"seeds.count=1,2,3"})).networks_built == 1);
  // network.vertices as the second (fast) key: the points still run grouped by network.
  const SweepReport r =
      sweep(kTiny, "tiny.json", keys({"seeds.count=1,2", "network.vertices=2000,3000"}));
  CHECK(r.networks_built == 2);
  REQUIRE(r.points.size() == 4);
  CHECK(r.points[1].values[1].second == "3000");  // reported in grid order, first key slowest
  CHECK(r.points[0].report.vertices == 2000);
  CHECK(r.points[1].report.vertices == 3000);
  CHECK(r.points[2].report.vertices == 2000);
}

TEST_CASE("sweep: equal-spend scaling gives the budget exactly in cents", "[kernels]") {
  // The red-balloon schemes at the acceptance budgets: every budget exact.
  for (const std::int64_t dollars : {4000, 16000, 40000, 160000}) {
    INFO(dollars);
    const std::int64_t cents = dollars * 100;
    const IncentiveScheme rec = scale_to_budget(IncentiveScheme::recursive(2000, 0.5), 10, cents);
    CHECK(rec.budget_cents(10) == cents);
    CHECK(rec.reward_dollars == static_cast<double>(dollars) / 20.0);  // B (1 - alpha) / K
    const IncentiveScheme fin = scale_to_budget(IncentiveScheme::finder_only(4000), 10, cents);
    CHECK(fin.budget_cents(10) == cents);
    const IncentiveScheme flat =
        scale_to_budget(IncentiveScheme::flat_bounty(10, 0, 40000), 10, cents);
    CHECK(flat.budget_cents(10) == cents);
    CHECK(std::llround(flat.bounty_dollars * 100) == std::llround(1000.0 * dollars / 40000.0));
    const IncentiveScheme none = scale_to_budget(IncentiveScheme::none(), 10, cents);
    CHECK(none.budget_cents(10) == 0);
  }
  // Any budget: never above it, and the reward is the largest whole-cent one that fits (one
  // cent more would pass the per-target budget).
  for (const double split : {0.0, 0.3, 0.5, 0.9}) {
    for (std::int64_t cents = 1; cents < 5000; cents += 37) {
      INFO("split " << split << ", budget " << cents << " cents");
      const std::uint64_t k = 7;
      const IncentiveScheme s = scale_to_budget(IncentiveScheme::recursive(100, split), k, cents);
      CHECK(s.budget_cents(k) <= cents);
      IncentiveScheme more = s;
      more.reward_dollars = (std::llround(s.reward_dollars * 100) + 1) / 100.0;
      CHECK(more.budget_per_target_cents() > cents / static_cast<std::int64_t>(k));
      if (split == 0.5 && cents % 14 == 0) CHECK(s.budget_cents(k) == cents);  // 2K cents
    }
  }
  // Through the sweep: every paying regime's reported budget is the point's budget, and the
  // payout never exceeds it.
  SweepOptions o;
  o.budgets_dollars = {600, 1234.56, 60000};
  const SweepReport r = sweep(kTiny, "tiny.json", o);
  for (const SweepPoint& p : r.points)
    for (const RegimeReport& regime : p.report.regimes) {
      INFO(p.values[0].second << " " << regime.name);
      if (regime.scheme.kind == SchemeKind::kNone) continue;
      const auto want = std::llround(std::stod(p.values[0].second) * 100);
      const auto got = std::llround(regime.budget_dollars * 100);
      if (want % 6 == 0)  // K = 3 targets, alpha = 1/2: exact for multiples of 2K cents
        CHECK(got == want);
      else
        CHECK((got <= want && got > want - 6));
      CHECK(regime.payout_dollars.max <= regime.budget_dollars);
    }
  CHECK_THROWS_AS(scale_to_budget(IncentiveScheme::recursive(10, 0.5), 0, 100), InvalidArgument);
  CHECK_THROWS_AS(scale_to_budget(IncentiveScheme::flat_bounty(1, 0, 0), 3, 100), InvalidArgument);
  CHECK_THROWS_AS(scale_to_budget(IncentiveScheme::finder_only(10), 3, 0), InvalidArgument);
}

TEST_CASE("sweep: JSON and CSV carry every point and regime in the documented order", "[kernels]") {
  const SweepReport r =
      sweep(kTiny, "tiny.json",
            keys({"regimes.3.bounty_dollars=5,20", "network.generator=barabasi-albert"}));
  const auto j = nlohmann::ordered_json::parse(to_json(r));
  REQUIRE(j["points"].size() == 2);
  CHECK(j["mode"] == "keys");
  CHECK(j["keys"] == Json({"regimes.3.bounty_dollars", "network.generator"}));
  const auto& p = j["points"][1];
  CHECK(p["values"]["regimes.3.bounty_dollars"] == 20);
  CHECK(p["values"]["network.generator"] == "barabasi-albert");
  REQUIRE(p["regimes"].size() == 4);
  std::vector<std::string> order;
  for (const auto& item : p["regimes"][3].items()) order.push_back(item.key());
  const std::vector<std::string> expected = {"name",
                                             "scheme",
                                             "strength",
                                             "budget",
                                             "recruits_mean",
                                             "recruits_ci95",
                                             "reached_mean",
                                             "reached_ci95",
                                             "targets_found_mean",
                                             "targets_found_ci95",
                                             "p_all_found",
                                             "p_all_found_ci95",
                                             "all_found_count",
                                             "hours_to_all_mean",
                                             "hours_to_all_ci95",
                                             "spend_mean",
                                             "spend_ci95",
                                             "charity_mean",
                                             "charity_ci95",
                                             "recruits_per_dollar",
                                             "targets_found_per_dollar"};
  CHECK(order == expected);
  CHECK(p["regimes"][3]["scheme"]["bounty_dollars"] == 20.0);
  const RegimeReport& bounty = r.points[1].report.regimes[3];
  CHECK(p["regimes"][3]["recruits_mean"].get<double>() == bounty.recruits.mean);
  CHECK(p["regimes"][3]["p_all_found"].get<double>() ==
        static_cast<double>(bounty.all_targets_count) / 4.0);
  CHECK(p["regimes"][0]["recruits_per_dollar"].is_null());  // virality pays nothing
  // CSV: a header and one row per point x regime, the values first.
  const std::string csv = to_csv(r);
  CHECK(csv.rfind("regimes.3.bounty_dollars,network.generator,regime,scheme,", 0) == 0);
  std::size_t rows = 0;
  for (char c : csv) rows += c == '\n';
  CHECK(rows == 1 + 2 * 4);
  CHECK(csv.find("\n20,barabasi-albert,bounty,flat-bounty,") != std::string::npos);
}

TEST_CASE("sweep: Wilson interval of P(all targets found)", "[kernels]") {
  // Closed forms: 0 of n gives [0, z^2 / (n + z^2)], n of n its mirror image.
  const double z2 = 1.959963984540054 * 1.959963984540054;
  const Interval none = wilson_interval(0, 10);
  CHECK(none.lo == 0.0);
  CHECK(none.hi == Approx(z2 / (10 + z2)).epsilon(1e-12));
  const Interval all = wilson_interval(10, 10);
  CHECK(all.lo == Approx(10 / (10 + z2)).epsilon(1e-12));
  CHECK(all.hi == 1.0);
  const Interval half = wilson_interval(50, 100);  // symmetric about 1/2
  CHECK(half.lo + half.hi == Approx(1.0).epsilon(1e-12));
  CHECK(half.hi - half.lo ==
        Approx(2 * 1.959963984540054 * 0.05 / (1 + z2 / 100) * std::sqrt(1 + z2 / 100))
            .epsilon(1e-12));
}

TEST_CASE("sweep: default regimes can be indexed, and a swept trials or seed key wins",
          "[kernels]") {
  const char* plain = R"({"trials": 2, "horizon_hours": 12,
    "network": {"generator": "barabasi-albert", "vertices": 2000, "degree": 3}})";
  const SweepReport r = sweep(plain, "plain.json", keys({"regimes.1.reward_dollars=100,4000"}));
  REQUIRE(r.points[0].report.regimes.size() == 2);
  CHECK(r.points[0].report.regimes[1].scheme.reward_dollars == 100.0);
  SweepOptions o = keys({"trials=3"});
  o.trials = 1;
  CHECK(sweep(plain, "plain.json", o).points[0].report.trials == 3);
  o = keys({"horizon_hours=6"});
  o.trials = 1;
  o.master_seed = 99;
  const SweepReport s = sweep(plain, "plain.json", o);
  CHECK(s.points[0].report.trials == 1);
  CHECK(s.points[0].report.master_seed == 99);
}

TEST_CASE("sweep: bad input fails with one message naming the key or value", "[kernels]") {
  struct Case {
    std::vector<std::string> sets;
    std::vector<double> budgets;
    std::vector<std::string> names;
  };
  const std::vector<Case> cases = {
      {{"incentive.no_such_key=1"}, {}, {"incentive.no_such_key", "unknown key"}},
      {{"nosuch=1"}, {}, {"nosuch", "unknown key"}},
      {{"incentive.recruit_probability_max=abc"}, {}, {"recruit_probability_max", "abc"}},
      {{"incentive.recruit_probability_max=0.2,1.5"}, {}, {"recruit_probability_max", "1.5"}},
      {{"seeds.count=0"}, {}, {"seeds.count"}},
      {{"network.vertices=-5"}, {}, {"network.vertices", "-5"}},
      {{"regimes.9.strength=1"}, {}, {"regimes.9.strength", "index 9"}},
      {{"regimes.1.bounty_dollars=5"}, {}, {"regimes[1].bounty_dollars", "unknown key"}},
      {{"trials.x=1"}, {}, {"trials.x"}},
      {{"seeds.count=1", "trials=1", "horizon_hours=5"}, {}, {"horizon_hours", "at most 2"}},
      {{"seeds.count=1", "seeds.count=2"}, {}, {"seeds.count", "twice"}},
      {{"seeds.count=1"}, {600}, {"--set and --budget"}},
      {{}, {0}, {"--budget 0"}},
      {{}, {-40}, {"--budget -40"}},
  };
  for (const Case& c : cases) {
    SweepOptions o = keys(c.sets);
    o.budgets_dollars = c.budgets;
    const std::string what = sweep_error(kTiny, o);
    INFO(what);
    CHECK(what != "no error");
    CHECK(what.find('\n') == std::string::npos);
    for (const std::string& name : c.names) CHECK(what.find(name) != std::string::npos);
  }
  // The --set / --budget texts themselves.
  for (const char* text : {"incentive.recruit_probability_max=", "noequals", "=1,2", "a=1,,2"}) {
    INFO(text);
    CHECK_THROWS_AS(parse_sweep_axis(text), InvalidArgument);
  }
  for (const char* text : {"", "0", "-1", "4000,abc", "4000,", "nan", "inf"}) {
    INFO(text);
    CHECK_THROWS_AS(parse_budgets(text), InvalidArgument);
  }
  CHECK(parse_budgets("4000,1e4") == std::vector<double>{4000, 10000});
  const SweepAxis axis = parse_sweep_axis("network.generator=rmat,\"chung-lu\"");
  CHECK(axis.key == "network.generator");
  CHECK(axis.values == std::vector<std::string>{"rmat", "\"chung-lu\""});
  // A bad base scenario stays the file's error (FileError, exit 1 in the CLI).
  CHECK_THROWS_AS(sweep(R"({"no_such": 1})", "bad.json", keys({"trials=1"})), FileError);
  // A budget the schemes cannot be scaled to: no targets for a target scheme.
  SweepOptions o;
  o.budgets_dollars = {100};
  const std::string what = sweep_error(R"({"targets": {"count": 0}})", o);
  CHECK(what.find("--budget 100") != std::string::npos);
  CHECK(what.find("incentive") != std::string::npos);  // the default recursive regime's name
}

namespace {

const char* kQuery = R"({
  "name": "query", "seed": 5, "trials": 3000,
  "query_incentive": {"children": 4, "activity": 0.75, "rarity": 100, "success": 0.4}
})";

}  // namespace

TEST_CASE("sweep: a query_incentive scenario reports the exact equilibrium beside simulation",
          "[kernels]") {
  SweepOptions o = keys({"query_incentive.rarity=10,100", "query_incentive.activity=0.45,0.75"});
  o.threads = 1;
  const SweepReport one = sweep(kQuery, "query.json", o);
  o.threads = 2;
  const SweepReport two = sweep(kQuery, "query.json", o);
  CHECK(one.query);
  CHECK(one.networks_built == 0);
  CHECK(sweep_json(one) == sweep_json(two));
  const Json j = Json::parse(to_json(one));
  CHECK(j["mode"] == "query");
  REQUIRE(j["points"].size() == 4);
  for (const SweepPoint& p : one.points) {
    // The reported r* is the kernel's, and the simulated success at it is within 4 SE.
    const QueryIncentiveParams& m = p.scenario.query.params;
    const std::uint64_t r_star = required_reward(equilibrium_strategy(m), m.success);
    CHECK(p.query.required_reward == r_star);
    CHECK(p.query.reward == r_star);
    CHECK(p.query.trials == 3000);
    CHECK(std::abs(p.query.simulated_success - p.query.exact_success) <=
          4 * p.query.standard_error);
  }
  CHECK(to_csv(one).rfind("query_incentive.rarity,query_incentive.activity,offspring,", 0) == 0);
}

TEST_CASE("sweep: bad query_incentive keys fail naming the key", "[kernels]") {
  const auto message = [](const std::string& text, std::vector<std::string> sets) {
    try {
      sweep(text, "query.json", keys(std::move(sets)));
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(message(kQuery, {"query_incentive.depth=3"}) ==
        "--set query_incentive.depth=3: key 'query_incentive.depth': unknown key (expected "
        "offspring, children, activity, mean, rarity, success, max_reward, strategy, split, "
        "reward)");
  CHECK(message(kQuery, {"query_incentive.rarity=0.5"}) ==
        "--set query_incentive.rarity=0.5: key 'query_incentive.rarity': rarity 0.5 is not in "
        "[1, 1e+09]");
  CHECK(message(kQuery, {"query_incentive.success=1"}).find("key 'query_incentive.success'") !=
        std::string::npos);
  CHECK(message(kQuery, {"query_incentive.offspring=geometric"})
            .find("key 'query_incentive.offspring'") != std::string::npos);
  // In the file itself: a FileError naming the file and the key.
  const std::string bad = R"({"query_incentive": {"children": 4, "activty": 0.5}})";
  CHECK_THROWS_AS(parse_scenario(bad, "bad.json"), FileError);
  CHECK(message(bad, {"query_incentive.rarity=10"}).find("key 'query_incentive.activty'") !=
        std::string::npos);
}
