// `cascade fit` end to end: mobilize --trees output fitted back (JSON schema, identical for
// --threads 1 and 2, the figures drawn), a summaries file fitted, and every bad --free or bad
// tree CSV one line on stderr with exit 2 (usage) or 1 (the file), leaving no output file.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "catch.hpp"
#include "test_helpers.hpp"

namespace fs = std::filesystem;
using cascade::testing::shell_quote;
using cascade::testing::slurp;
using cascade::testing::TempDir;
using Json = nlohmann::json;

namespace {

const std::string kCli = CASCADE_CLI;

using Run = cascade::testing::CommandRun;

Run cli(const std::string& args, const fs::path& cwd) {
  return cascade::testing::run_command(kCli, args, cwd);
}

void write_file(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

const char* kScenario = R"({
  "name": "fit-cli", "seed": 11, "trials": 4, "horizon_hours": 24, "curve_step_hours": 4,
  "network": {"generator": "barabasi-albert", "vertices": 400, "degree": 3, "seed": 3},
  "seeds": {"choice": "random", "count": 3},
  "delay": {"distribution": "exponential", "median_hours": 3},
  "population": {"share_probability": 0.3, "join_probability": 0.7},
  "beliefs": {"mode": "assumed"},
  "targets": {"count": 2, "witnesses": 20},
  "regimes": [{"name": "virality", "scheme": "none"}]
})";

const std::string kFit =
    "fit trees.csv --scenario s.json --free population.share_probability=0.05:0.5 "
    "--free delay.median_hours=1:8 --particles 8 --generations 1 --quiet";

Json without_timing(const std::string& text) {
  Json j = Json::parse(text);
  j.erase("timing");
  return j;
}

}  // namespace

TEST_CASE("cli fit: mobilize --trees fitted back, identical for --threads 1 and 2", "[cli]") {
  REQUIRE(fs::exists(kCli));
  TempDir dir;
  write_file(dir / "s.json", kScenario);
  REQUIRE(cli("mobilize s.json --trees trees.csv --quiet", dir.path()).rc == 0);
  const Run one = cli(kFit + " --threads 1 --json one.json", dir.path());
  INFO(one.err);
  REQUIRE(one.rc == 0);
  REQUIRE(cli(kFit + " --threads 2 --json two.json", dir.path()).rc == 0);
  const Json a = without_timing(slurp(dir / "one.json"));
  CHECK(a == without_timing(slurp(dir / "two.json")));
  for (const char* key : {"population.share_probability", "delay.median_hours"}) {
    const Json& p = a["parameters"][key];
    CHECK(p["interval90"][0].get<double>() <= p["median"].get<double>());
    CHECK(p["median"].get<double>() <= p["interval90"][1].get<double>());
    const std::string verdict = a["identifiability"]["keys"][key]["verdict"];
    CHECK((verdict == "pinned" || verdict == "not identified"));
  }
  CHECK(a["samples"]["values"].size() == 8);
  CHECK(a["simulations"] == 32);
  CHECK(one.out.empty());  // --quiet with a JSON file: nothing but errors
  const Run table = cli(kFit + " --threads 2", dir.path());  // no file: the table is the result
  CHECK(table.out.find("identifiability") != std::string::npos);
}

TEST_CASE("cli fit: a summaries file is fitted like trees", "[cli]") {
  TempDir dir;
  write_file(dir / "s.json", kScenario);
  write_file(dir / "rec.json", R"({"format": "cascade-summaries", "regimes": [
      {"regime": "virality", "trials": 4, "signups": {"hours": [12, 24], "counts": [40, 90]},
       "targets_found": 1}]})");
  const Run r =
      cli("fit rec.json --scenario s.json --free population.share_probability=0.05:0.5 "
          "--particles 8 --generations 1 --quiet --json f.json",
          dir.path());
  INFO(r.err);
  REQUIRE(r.rc == 0);
  const Json j = Json::parse(slurp(dir / "f.json"));
  CHECK(j["predictive"].size() == 3);  // the three statistics the record gives
  CHECK(j["observed"][0]["offspring_share"][0].is_null());
}

TEST_CASE("cli fit: bad --free and bad trees are one line, exit 2 or 1, no output", "[cli]") {
  TempDir dir;
  write_file(dir / "s.json", kScenario);
  REQUIRE(cli("mobilize s.json --trees trees.csv --quiet", dir.path()).rc == 0);
  auto usage = [&](const std::string& free, const std::string& message) {
    const Run r =
        cli("fit trees.csv --scenario s.json --free " + free + " --json f.json", dir.path());
    CHECK(r.rc == 2);
    CHECK(r.err == "cascade: error: " + message + "\n");
    CHECK_FALSE(fs::exists(dir / "f.json"));
  };
  usage("no.such_key=0:1", "--free no.such_key: the scenario has no key 'no.such_key'");
  usage("delay.median_hours=5:2", "--free delay.median_hours=5:2: LO must be below HI");
  usage("delay.distribution=0:1",
        "--free delay.distribution: not a numeric key (its value is \"exponential\")");

  write_file(dir / "bad.csv",
             "trial,regime,person,recruiter,join_hours,found_target\n0,virality,0,,0,0\n"
             "0,virality,1,0,-2,0\n");
  const Run r =
      cli("fit bad.csv --scenario s.json --free delay.median_hours=1:8 --json f.json", dir.path());
  CHECK(r.rc == 1);
  CHECK(r.err == "cascade: error: bad.csv:3: negative join time -2 h\n");
  CHECK(r.err_line_count() == 1);
  CHECK_FALSE(fs::exists(dir / "f.json"));
}
