// cascade fit's pieces: tree summaries against a hand-counted tree, every class of bad tree CSV
// named by its line, the summaries file, bad --free keys, bit-identical fits for 1 and 2
// threads, and parameter recovery (90% intervals cover known values in >= 8 of 10 repetitions).
#include <cmath>
#include <string>
#include <vector>

#include "cascade/error.hpp"
#include "cascade/fit.hpp"
#include "cascade/fit_report.hpp"
#include "cascade/mobilize.hpp"
#include "cascade/scenario.hpp"
#include "cascade/sweep.hpp"
#include "catch.hpp"

using namespace cascade;

namespace {

// Small enough that a fit (a few hundred mobilize runs of 8 trials) takes about a second.
const char* kTiny = R"({
  "name": "fit-tiny", "seed": 11, "trials": 8, "horizon_hours": 24, "curve_step_hours": 4,
  "network": {"generator": "barabasi-albert", "vertices": 600, "degree": 3, "seed": 3},
  "seeds": {"choice": "random", "count": 3},
  "delay": {"distribution": "exponential", "median_hours": 3},
  "population": {"share_probability": 0.3, "join_probability": 0.7},
  "beliefs": {"mode": "assumed"},
  "targets": {"count": 2, "witnesses": 20},
  "regimes": [{"name": "virality", "scheme": "none"}]
})";

const char* kHeader = "trial,regime,person,recruiter,join_hours,found_target\n";

std::string csv_error(const std::string& body, const std::string& header = kHeader) {
  try {
    parse_trees_csv(header + body, "t.csv");
  } catch (const FileError& e) {
    return e.what();
  }
  return "no error";
}

// Trees of the tiny scenario with the given key values, simulated with master seed `seed`.
std::vector<TreeSummaries> simulated_data(
    const std::vector<std::pair<std::string, std::string>>& values, std::uint64_t seed) {
  Scenario s = scenario_with(kTiny, "tiny.json", values);
  s.master_seed = seed;
  std::vector<RecruitmentTree> trees;
  MobilizeOptions m;
  m.on_tree = [&](const TrialTree& t) { trees.push_back(tree_of(t, "virality")); };
  mobilize(build_scenario_network(s), s, m);
  return summaries_by_regime(trees, signup_hours(s.horizon_hours));
}

FitOptions two_keys(std::uint64_t seed) {
  FitOptions o;
  o.free = {parse_free_key("population.share_probability=0.05:0.5"),
            parse_free_key("delay.median_hours=1:8")};
  o.particles = 48;
  o.generations = 4;
  o.seed = seed;
  return o;
}

}  // namespace

TEST_CASE("fit: summaries of a hand-counted tree", "[kernels]") {
  // Trial 0: 0 and 1 initial; 0 recruits 2 and 3; 3 recruits 4 (who found a target).
  const auto trees = parse_trees_csv(std::string(kHeader) +
                                         "0,r,0,,0,0\n0,r,1,,0,0\n0,r,2,0,1.5,0\n"
                                         "0,r,3,0,2,0\n0,r,4,3,5,1\n",
                                     "t.csv");
  REQUIRE(trees.size() == 1);
  const TreeSummaries s = summarize_trees(trees, {1, 2, 10});
  CHECK(s.signups == std::vector<double>{2, 4, 5});
  // Offspring: 0 has 2, 3 has 1, the others 0.
  CHECK(s.offspring_share[0] == Approx(3.0 / 5));
  CHECK(s.offspring_share[1] == Approx(1.0 / 5));
  CHECK(s.offspring_share[2] == Approx(1.0 / 5));
  CHECK(s.depth_share[0] == Approx(2.0 / 5));
  CHECK(s.depth_share[1] == Approx(2.0 / 5));
  CHECK(s.depth_share[2] == Approx(1.0 / 5));
  CHECK(s.targets_found == 1);
  CHECK(std::isnan(s.hours_to_all_targets));  // a tree carries no finding times
}

TEST_CASE("fit: every bad tree CSV is one error naming the file and line", "[kernels]") {
  CHECK(csv_error("0,r,0,,0,0\n0,r,1,0,1,0\n0,r,2,5,1,0\n") ==
        "t.csv:4: recruiter 5 of person 2 is not a member of trial 0 regime 'r'");
  CHECK(csv_error("0,r,0,,0,0\n0,r,1,0,3,0\n0,r,2,1,2,0\n") ==
        "t.csv:4: person 2 joins at 2.000000 h, before its recruiter 1 (3.000000 h, line 3)");
  CHECK(csv_error("0,r,0,,0,0\n0,r,1,0,-1,0\n") == "t.csv:3: negative join time -1 h");
  CHECK(csv_error("0,r,0,,0,0\n0,r,1,0,1,0\n0,r,1,0,2,0\n") ==
        "t.csv:4: person 1 appears twice in trial 0 regime 'r' (first on line 3)");
  CHECK(csv_error("0,r,0,,0,0\n0,r,1,2,1,0\n0,r,2,1,1,0\n") ==
        "t.csv:3: recruiter cycle in trial 0 regime 'r': 1 -> 2 -> 1");
  CHECK(csv_error("0,r,0,,0\n", "trial,regime,person,recruiter,join_hours\n") ==
        "t.csv:1: missing column 'found_target' (expected "
        "trial,regime,person,recruiter,join_hours,found_target)");
  CHECK(csv_error("0,r,0,,0\n") == "t.csv:2: expected 6 fields, got 5");
  CHECK(csv_error("0,r,x,,0,0\n") == "t.csv:2: person 'x' is not a non-negative integer");
  CHECK(csv_error("0,r,0,,nan,0\n") == "t.csv:2: join_hours 'nan' is not a finite number");
  CHECK(csv_error("") == "t.csv:2: no rows after the header");
  // The same person id in another trial or regime is another tree, not a duplicate.
  CHECK(csv_error("0,r,0,,0,0\n1,r,0,,0,0\n0,\"s,t\",0,,0,0\n") == "no error");
}

TEST_CASE("fit: a summaries file gives the record's statistics, unknown ones NaN", "[kernels]") {
  const auto s = parse_summaries_json(R"({"format": "cascade-summaries", "regimes": [
      {"regime": "recursive", "signups": {"hours": [36], "counts": [4400]},
       "offspring_share": [0.5, null], "targets_found": 10, "hours_to_all_targets": 8.87}]})",
                                      "rec.json");
  REQUIRE(s.size() == 1);
  CHECK(s[0].trials == 1);
  CHECK(s[0].signups == std::vector<double>{4400});
  CHECK(s[0].offspring_share[0] == 0.5);
  CHECK(std::isnan(s[0].offspring_share[1]));
  CHECK(s[0].depth_share.empty());
  CHECK(s[0].hours_to_all_targets == 8.87);
  auto error = [](const std::string& text) {
    try {
      parse_summaries_json(text, "rec.json");
    } catch (const FileError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error(R"({"format": "cascade-summaries", "regimes": [{"regime": "a", "depth": []}]})") ==
        "rec.json: key 'regimes.0.depth': unknown key");
  CHECK(error(R"({"format": "cascade-summaries", "regimes": [{"regime": "a",
      "signups": {"hours": [1, 2], "counts": [3]}}]})") ==
        "rec.json: key 'regimes.0.signups': 'hours' and 'counts' differ in length");
}

TEST_CASE("fit: bad --free keys are one error naming the key", "[kernels]") {
  auto error = [](const std::string& free) {
    try {
      FitOptions o;
      o.free = {parse_free_key(free)};
      fit(kTiny, "tiny.json", simulated_data({}, 1), o);
    } catch (const InvalidArgument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error("population.share_probabilty=0:1") ==
        "--free population.share_probabilty: the scenario has no key "
        "'population.share_probabilty'");
  CHECK(error("population.share_probability=0.5:0.2") ==
        "--free population.share_probability=0.5:0.2: LO must be below HI");
  CHECK(error("population.share_probability=0.2:0.2") ==
        "--free population.share_probability=0.2:0.2: LO must be below HI");
  CHECK(error("network.generator=0:1") ==
        "--free network.generator: not a numeric key (its value is \"barabasi-albert\")");
  CHECK(error("population.share_probability=x:1") ==
        "--free population.share_probability=x:1: 'x' is not a finite number");
  CHECK(error("population.share_probability") ==
        "--free population.share_probability: expected KEY=LO:HI");
  // Bounds the scenario reader rejects fail before any simulation, naming the key.
  CHECK(error("population.share_probability=0.5:2")
            .rfind("--free population.share_probability=2: ", 0) == 0);
}

TEST_CASE("fit: the same fit with 1 and 2 threads is identical", "[kernels]") {
  const auto data = simulated_data({}, 5);
  FitOptions one = two_keys(3), two = two_keys(3);
  one.threads = 1;
  two.threads = 2;
  const FitResult a = fit(kTiny, "tiny.json", data, one), b = fit(kTiny, "tiny.json", data, two);
  CHECK(a.samples == b.samples);
  CHECK(a.weights == b.weights);
  CHECK(a.distances == b.distances);
  CHECK(to_json(a, "d").substr(0, to_json(a, "d").find("\"timing\"")) ==
        to_json(b, "d").substr(0, to_json(b, "d").find("\"timing\"")));
}

TEST_CASE("fit: 90% intervals cover known values in at least 8 of 10 repetitions", "[kernels]") {
  // Truth: share_probability 0.3, median delay 3 h (the scenario's); each repetition simulates
  // its own data (master seed 100 + rep) and fits it with its own seed.
  const double truth[2] = {0.3, 3.0};
  int covered[2] = {0, 0};
  double ratio[2] = {0, 0};
  for (std::uint64_t rep = 0; rep < 10; ++rep) {
    const auto data = simulated_data({}, 100 + rep);
    const FitResult r = fit(kTiny, "tiny.json", data, two_keys(rep + 1));
    for (int k = 0; k < 2; ++k) {
      const FitParameter& p = r.parameters[static_cast<std::size_t>(k)];
      covered[k] += p.lo90 <= truth[k] && truth[k] <= p.hi90;
      ratio[k] += p.width_ratio / 10;
    }
  }
  INFO("coverage " << covered[0] << ", " << covered[1] << "; mean width ratio " << ratio[0] << ", "
                   << ratio[1]);
  CHECK(covered[0] >= 8);
  CHECK(covered[1] >= 8);
  // And the intervals are informative: narrower than the prior on average.
  CHECK(ratio[0] < 0.9);
  CHECK(ratio[1] < 0.9);
}

TEST_CASE("fit: combinations the scenario reader rejects lie outside the prior", "[kernels]") {
  // recruit_probability_max must be >= share_probability: half the prior box is invalid.
  FitOptions o;
  o.free = {parse_free_key("population.share_probability=0.05:0.5"),
            parse_free_key("incentive.recruit_probability_max=0.05:0.5")};
  o.particles = 8;
  o.generations = 1;
  const FitResult r = fit(kTiny, "tiny.json", simulated_data({}, 9), o);
  REQUIRE(r.samples.size() == 8);
  for (const auto& s : r.samples) CHECK(s[0] <= s[1]);
}
