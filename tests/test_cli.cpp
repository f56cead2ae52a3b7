// End-to-end tests of the `cascade` program: each subcommand on small data, exit codes and
// one-line messages, JSON parsed back and checked against direct library calls, identical
// output for --threads 1 and 2, atomic output files, and the plot script.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cascade/builder.hpp"
#include "cascade/generators.hpp"
#include "cascade/io.hpp"
#include "cascade/monte_carlo.hpp"
#include "cascade/parallel.hpp"
#include "cascade/seeds.hpp"
#include "catch.hpp"
#include "test_helpers.hpp"

namespace fs = std::filesystem;
using cascade::testing::TempDir;
using Json = nlohmann::json;

extern char** environ;

namespace {

const std::string kCli = CASCADE_CLI;
const std::string kData = CASCADE_DATA_DIR;
const std::string kSource = CASCADE_SOURCE_DIR;

using Run = cascade::testing::CommandRun;

using cascade::testing::shell_quote;

using cascade::testing::slurp;

/// Runs `cascade ARGS` (a shell word list) in directory cwd, capturing stdout, stderr, exit code.
Run cli(const std::string& args, const fs::path& cwd) {
  return cascade::testing::run_command(kCli, args, cwd);
}

// tests/CMakeLists.txt builds this file only with the program (else it registers a SKIP), so a
// missing program is a failure here, never a silent pass.
void require_cli() {
  INFO("the cascade program (CASCADE_CLI) " << kCli);
  REQUIRE_FALSE(kCli.empty());
  REQUIRE(fs::exists(kCli));
}

void write_file(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

/// No "*.tmp-*" file left behind in dir.
bool no_temp_files(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().find(".tmp-") != std::string::npos) return false;
  return true;
}

/// Simulate JSON without the fields that are timings (which legitimately differ per run).
Json without_timings(Json j) {
  j.erase("run");
  j.erase("seconds_per_trial");
  return j;
}

/// A python with matplotlib, or "" (tests that need it are skipped with a message).
std::string python_with_matplotlib() {
  for (const char* py : {"python3", "/usr/bin/python3"}) {
    const std::string cmd = std::string(py) + " -c 'import matplotlib' >/dev/null 2>&1";
    if (std::system(cmd.c_str()) == 0) return py;
  }
  return "";
}

}  // namespace

TEST_CASE("cli: --version and --help of every subcommand", "[cli]") {
  require_cli();
  TempDir dir;
  const Run v = cli("--version", dir.path());
  CHECK(v.rc == 0);
  CHECK(v.out.rfind("cascade ", 0) == 0);
  CHECK(v.err.empty());
  for (const char* sub : {"generate", "convert", "info", "simulate", "mobilize", "sweep"}) {
    INFO(sub);
    const Run h = cli(std::string(sub) + " --help", dir.path());
    CHECK(h.rc == 0);
    CHECK(h.out.find("Usage:") != std::string::npos);
    CHECK(h.out.find("--threads") != std::string::npos);
  }
  // Defaults and units are shown.
  const Run g = cli("generate --help", dir.path());
  CHECK(g.out.find("--scale") != std::string::npos);
  CHECK(g.out.find("=20") != std::string::npos);
  const Run s = cli("simulate --help", dir.path());
  CHECK(s.out.find("--trials") != std::string::npos);
  CHECK(s.out.find("=1000") != std::string::npos);
  CHECK(s.out.find("hours") != std::string::npos);
}

TEST_CASE("cli: usage errors exit 2 with one line on stderr naming the flag", "[cli]") {
  require_cli();
  TempDir dir;
  struct Case {
    std::string args, names;
  };
  const std::vector<Case> cases = {
      {"simulate --no-such-flag", "--no-such-flag"},
      {"", "subcommand"},
      {"frobnicate", "frobnicate"},
      {"generate rmat --scale 99 -o x.csr", "--scale"},
      {"generate rmat --scale 4", "--output"},
      {"generate er --scale 3 -o x.csr", "--scale"},
      {"generate er -n 10 --degree 100 -o x.csr", "45"},  // more edges than pairs
      {"generate nosuchmodel -o x.csr", "nosuchmodel"},
      {"generate ba -n 100 --degree 2.5 -o x.csr", "--degree"},
      {"generate rmat --scale 4 --weights 1.5 -o x.csr", "--weights"},
      {"simulate g.el --p 1.5", "--p"},
      {"simulate g.el --p 0.5 --weights", "--weights"},
      {"simulate g.el --model lt --p 0.5", "--p"},
      {"simulate g.el --model xx", "--model"},
      {"simulate g.el --trials 0", "--trials"},
      {"simulate g.el --seeds 3 --top-degree-seeds 2", "--top-degree-seeds"},
      {"mobilize", "SCENARIO"},
  };
  write_file(dir / "g.el", "0 1\n1 2\n");
  for (const auto& c : cases) {
    INFO("cascade " << c.args);
    const Run r = cli(c.args, dir.path());
    CHECK(r.rc == 2);
    const auto lines = r.err_lines();
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].rfind("cascade: error: ", 0) == 0);
    CHECK(lines[0].find(c.names) != std::string::npos);
    CHECK(r.out.empty());
  }
  CHECK_FALSE(fs::exists(dir / "x.csr"));
  CHECK(no_temp_files(dir.path()));
}

TEST_CASE("cli -q: nothing printed when the results go to files, else the table", "[cli]") {
  require_cli();
  TempDir dir;
  REQUIRE(cli("generate ba -n 400 --degree 2 -o g.csr -q", dir.path()).rc == 0);
  write_file(dir / "tiny.json", R"({"trials": 2, "horizon_hours": 12,
    "network": {"generator": "barabasi-albert", "vertices": 300, "degree": 2}})");
  write_file(dir / "assumed.json", R"({"trials": 2, "horizon_hours": 12,
    "network": {"generator": "barabasi-albert", "vertices": 300, "degree": 2},
    "beliefs": {"mode": "assumed"}})");
  const std::vector<std::pair<std::string, std::string>> quiet_runs = {
      {"simulate g.csr --p 0.1 --trials 20 --json s.json -q", "s.json"},
      {"simulate g.csr --p 0.1:0.2:0.1 --trials 20 -o r.json --csv r.csv -q", "r.csv"},
      {"maximize g.csr --k 2 --p 0.1 --validate-trials 50 --json m.json -q", "m.json"},
      {"maximize g.csr --k 2 --p 0.1 --validate-trials 50 --compare imm,top-degree --json c.json "
       "-q",
       "c.json"},
      {"sweep tiny.json --set seeds.count=1,2 --csv w.csv -q", "w.csv"},
      {"info g.csr --json i.json -q", "i.json"},
      {"mobilize assumed.json --json mo.json --trees t.csv -q", "t.csv"},
      {"fit t.csv --scenario assumed.json --free population.share_probability=0.05:0.3 "
       "--particles 4 --generations 0 --json f.json -q",
       "f.json"}};
  for (const auto& [args, file] : quiet_runs) {
    INFO(args);
    const Run r = cli(args, dir.path());
    CHECK(r.rc == 0);
    CHECK(r.out.empty());
    CHECK(r.err.empty());
    CHECK(fs::file_size(dir / file) > 0);
  }
  // The same commands without -q, or with -q and no file, print their table.
  for (const std::string args :
       {"simulate g.csr --p 0.1 --trials 20 --json s.json", "simulate g.csr --p 0.1 --trials 20 -q",
        "maximize g.csr --k 2 --p 0.1 --validate-trials 50 -q",
        "sweep tiny.json --set seeds.count=1,2 -q", "info g.csr -q",
        "mobilize assumed.json --json mo.json", "mobilize assumed.json -q"}) {
    INFO(args);
    const Run r = cli(args, dir.path());
    CHECK(r.rc == 0);
    CHECK_FALSE(r.out.empty());
  }
}

TEST_CASE("cli: runtime errors exit 1 naming the file and line and leave no output", "[cli]") {
  require_cli();
  TempDir dir;
  write_file(dir / "bad.el", "0 1\n1 x\n");
  Run r = cli("convert bad.el bad.csr", dir.path());
  CHECK(r.rc == 1);
  REQUIRE(r.err_lines().size() == 1);
  CHECK(r.err.find("cascade: error: ") == 0);
  CHECK(r.err.find("bad.el:2") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "bad.csr"));

  r = cli("info missing.csr", dir.path());
  CHECK(r.rc == 1);
  CHECK(r.err_lines().size() == 1);
  CHECK(r.err.find("missing.csr") != std::string::npos);

  // A truncated .csr and a flipped payload byte (checksum) are refused.
  REQUIRE(cli("generate er -n 100 --degree 4 -o g.csr", dir.path()).rc == 0);
  std::string bytes = slurp(dir / "g.csr");
  write_file(dir / "short.csr", bytes.substr(0, bytes.size() - 9));
  bytes[bytes.size() - 5] ^= 0x40;
  write_file(dir / "flipped.csr", bytes);
  for (const char* f : {"short.csr", "flipped.csr"}) {
    INFO(f);
    r = cli(std::string("info ") + f, dir.path());
    CHECK(r.rc == 1);
    CHECK(r.err_lines().size() == 1);
    CHECK(r.err.find(f) != std::string::npos);
  }
  CHECK(r.err.find("checksum") != std::string::npos);
  // Without the checksum the graph's own validation still refuses the bad target id.
  r = cli("info flipped.csr --no-verify --json", dir.path());
  CHECK(r.rc == 1);
  CHECK(r.err.find("checksum") == std::string::npos);
  CHECK(r.out.empty());

  // A seed file with a bad line: exit 1, file and line named, no -o file written.
  REQUIRE(
      cli("convert " + shell_quote(kData + "/karate.el") + " k.csr --symmetrize", dir.path()).rc ==
      0);
  write_file(dir / "seeds.txt", "0\n# comment\n99999\n");
  r = cli("simulate k.csr --seed-file seeds.txt --trials 10 -o s.json", dir.path());
  CHECK(r.rc != 0);
  CHECK(r.err_lines().size() == 1);
  CHECK(r.err.find("seeds.txt") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "s.json"));

  // An output directory that does not exist: exit 1, naming the path.
  r = cli("generate er -n 100 --degree 4 -o no/such/dir/g.csr", dir.path());
  CHECK(r.rc == 1);
  CHECK(r.err.find("no/such/dir/g.csr") != std::string::npos);
  CHECK(no_temp_files(dir.path()));
}

TEST_CASE("cli generate: the library's graph and byte-identical for 1 and 2 threads", "[cli]") {
  require_cli();
  TempDir dir;
  const std::string rmat = "generate rmat --scale 12 --edge-factor 8 --seed 7 ";
  const Run first = cli(rmat + "--threads 1 -o a.csr", dir.path());
  REQUIRE(first.rc == 0);
  CHECK(first.out.empty());                          // results go to files, notes to stderr
  CHECK(first.err.find('\r') == std::string::npos);  // no progress bar when not a terminal
  CHECK(first.err.find("a.csr") != std::string::npos);
  REQUIRE(cli(rmat + "--threads 2 -o b.csr", dir.path()).rc == 0);
  REQUIRE(cli(rmat + "--threads 2 -o c.el -q", dir.path()).rc == 0);
  REQUIRE(cli(rmat + "--threads 1 -o d.el -q", dir.path()).rc == 0);
  const std::string a = slurp(dir / "a.csr");
  CHECK(!a.empty());
  CHECK(a == slurp(dir / "b.csr"));
  CHECK(slurp(dir / "c.el") == slurp(dir / "d.el"));

  cascade::RmatParams p;
  p.scale = 12;
  p.edge_factor = 8;
  const cascade::Graph expected = cascade::build_csr(cascade::generate_rmat(p, 7));
  CHECK(cascade::load_csr((dir / "a.csr").string()) == expected);
  CHECK(cascade::load_graph((dir / "c.el").string()).num_arcs() == expected.num_arcs());

  // Every model; er's --degree is the mean degree after symmetrizing (exact edge count).
  REQUIRE(cli("generate er -n 1000 --degree 4 --seed 3 -o er.mtx", dir.path()).rc == 0);
  const cascade::Graph er = cascade::load_graph((dir / "er.mtx").string());
  CHECK(er.num_vertices() == 1000);
  CHECK(er.num_arcs() == 4000);
  CHECK(er == cascade::build_csr(cascade::generate_erdos_renyi(1000, 2000, 3)));
  REQUIRE(cli("generate er -n 1000 --edges 1500 --directed -o erd.csr", dir.path()).rc == 0);
  CHECK(cascade::load_csr((dir / "erd.csr").string()).num_arcs() == 1500);
  REQUIRE(cli("generate ba -n 500 --degree 3 --seed 5 -o ba.csr", dir.path()).rc == 0);
  CHECK(cascade::load_csr((dir / "ba.csr").string()) ==
        cascade::build_csr(cascade::generate_barabasi_albert(500, 3, 5)));
  REQUIRE(cli("generate ws -n 500 --degree 6 --beta 0.2 -o ws.csr", dir.path()).rc == 0);
  CHECK(cascade::load_csr((dir / "ws.csr").string()) ==
        cascade::build_csr(cascade::generate_watts_strogatz(500, 6, 0.2, 1)));
  REQUIRE(cli("generate chunglu -n 500 --degree 5 --gamma 2.7 -o cl.csr --weights 0.25", dir.path())
              .rc == 0);
  const cascade::Graph cl = cascade::load_csr((dir / "cl.csr").string());
  CHECK(cl.num_vertices() == 500);
  REQUIRE(cl.has_weights());
  for (float w : cl.weights()) CHECK(w == 0.25f);
  CHECK(no_temp_files(dir.path()));
}

TEST_CASE("cli convert: edge list to .csr to Matrix Market round trips", "[cli]") {
  require_cli();
  TempDir dir;
  const std::string karate = shell_quote(kData + "/karate.el");
  REQUIRE(cli("convert " + karate + " k.csr --symmetrize", dir.path()).rc == 0);
  REQUIRE(cli("convert k.csr k.el", dir.path()).rc == 0);
  REQUIRE(cli("convert k.el k.mtx", dir.path()).rc == 0);
  REQUIRE(cli("convert k.mtx k2.csr", dir.path()).rc == 0);
  cascade::LoadOptions sym;
  sym.build.symmetrize = true;
  const cascade::Graph expected = cascade::load_graph(kData + "/karate.el", sym);
  CHECK(expected.num_arcs() == 156);
  CHECK(cascade::load_csr((dir / "k.csr").string()) == expected);
  CHECK(cascade::load_csr((dir / "k2.csr").string()).num_arcs() == 156);
  // A directed .csr symmetrized by convert.
  REQUIRE(cli("convert " + karate + " kd.csr --directed", dir.path()).rc == 0);  // not as declared
  CHECK(cascade::load_csr((dir / "kd.csr").string()).num_arcs() == 78);
  REQUIRE(cli("convert kd.csr ks.csr --symmetrize", dir.path()).rc == 0);
  CHECK(cascade::load_csr((dir / "ks.csr").string()) == expected);
  // Weights: kept from a weighted file, assigned, weighted cascade, dropped.
  REQUIRE(cli("convert " + shell_quote(kData + "/weighted.el") + " w.csr", dir.path()).rc == 0);
  const cascade::Graph w = cascade::load_csr((dir / "w.csr").string());
  CHECK(w == cascade::load_graph(kData + "/weighted.el"));
  REQUIRE(cli("convert w.csr wc.el --weights wc", dir.path()).rc == 0);
  const cascade::Graph wc = cascade::load_graph((dir / "wc.el").string());
  for (cascade::Vertex u = 0; u < wc.num_vertices(); ++u)
    for (std::size_t i = 0; i < wc.out_neighbors(u).size(); ++i)
      CHECK(wc.out_weights(u)[i] ==
            Approx(1.0 / static_cast<double>(w.in_degree(wc.out_neighbors(u)[i]))));
  REQUIRE(cli("convert w.csr plain.csr --weights none", dir.path()).rc == 0);
  CHECK_FALSE(cascade::load_csr((dir / "plain.csr").string()).has_weights());
  // A GAPBS-style .wel file is an edge list with weights.
  write_file(dir / "g.wel", "0 1 0.5\n1 2 0.25\n");
  REQUIRE(cli("convert g.wel g.csr", dir.path()).rc == 0);
  CHECK(cascade::load_csr((dir / "g.csr").string()).has_weights());
}

TEST_CASE("cli info --json: strings are written as they are (brackets and spaces kept)", "[cli]") {
  require_cli();
  TempDir dir;
  fs::create_directories(dir / "dir [1 2]");
  write_file(dir / "dir [1 2]" / "g.el", "0 1\n1 2\n");
  const Run r = cli("info 'dir [1 2]/g.el' --json", dir.path());
  INFO(r.err);
  REQUIRE(r.rc == 0);
  CHECK(Json::parse(r.out)["file"] == "dir [1 2]/g.el");  // was "dir [12]/g.el"
}

TEST_CASE("cli info: JSON agrees with the library and Boost.Graph", "[cli]") {
  require_cli();
  TempDir dir;
  // A sparse ER graph: many components.
  REQUIRE(cli("generate er -n 3000 --degree 1.2 --seed 9 -o g.csr", dir.path()).rc == 0);
  const Run r = cli("info g.csr --json", dir.path());
  REQUIRE(r.rc == 0);
  const Json j = Json::parse(r.out);
  const cascade::Graph g = cascade::load_csr((dir / "g.csr").string());
  CHECK(j["vertices"] == g.num_vertices());
  CHECK(j["arcs"] == g.num_arcs());
  CHECK(j["symmetric"] == true);
  CHECK(j["weighted"] == false);
  CHECK(j["checksum"]["status"] == "ok");
  std::uint64_t max_degree = 0, zero = 0;
  for (cascade::Vertex v = 0; v < g.num_vertices(); ++v) {
    max_degree = std::max<std::uint64_t>(max_degree, g.out_degree(v));
    zero += g.out_degree(v) == 0;
  }
  CHECK(j["degree"]["out"]["max"] == max_degree);
  CHECK(j["degree"]["out"]["zero"] == zero);
  CHECK(j["degree"]["out"]["mean"].get<double>() ==
        Approx(static_cast<double>(g.num_arcs()) / static_cast<double>(g.num_vertices())));

  boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS> bg(g.num_vertices());
  for (cascade::Vertex u = 0; u < g.num_vertices(); ++u)
    for (cascade::Vertex v : g.out_neighbors(u))
      if (u < v) boost::add_edge(u, v, bg);
  std::vector<int> comp(g.num_vertices());
  const int count = boost::connected_components(bg, comp.data());
  std::vector<std::uint64_t> size(static_cast<std::size_t>(count), 0);
  for (int c : comp) ++size[static_cast<std::size_t>(c)];
  CHECK(j["components"]["count"] == static_cast<std::uint64_t>(count));
  CHECK(j["components"]["largest"] == *std::max_element(size.begin(), size.end()));
  CHECK(j["components"]["isolated_vertices"] == zero);

  // Same numbers with one thread; the table names the same counts.
  const Run r1 = cli("info g.csr --json --threads 1", dir.path());
  Json j1 = Json::parse(r1.out), j2 = j;
  j1.erase("load_seconds");
  j2.erase("load_seconds");
  CHECK(j1 == j2);
  const Run t = cli("info g.csr", dir.path());
  CHECK(t.rc == 0);
  CHECK(t.out.find("3,000") != std::string::npos);

  // The power-law fit recovers a Chung-Lu exponent roughly.
  REQUIRE(cli("generate chunglu -n 100000 --degree 8 --gamma 2.5 -o cl.csr", dir.path()).rc == 0);
  const Json cl = Json::parse(cli("info cl.csr --json", dir.path()).out);
  CHECK(cl["degree"]["out"]["power_law"]["alpha"].get<double>() == Approx(2.5).margin(0.3));

  // A directed weighted text file.
  const Json w =
      Json::parse(cli("info " + shell_quote(kData + "/weighted.el") + " --json", dir.path()).out);
  CHECK(w["vertices"] == 6);
  CHECK(w["arcs"] == 8);
  CHECK(w["symmetric"] == false);
  CHECK(w["weighted"] == true);
  CHECK(w["checksum"]["status"] == "none");
}

TEST_CASE("cli simulate: JSON equals the library estimate and threads 1 and 2 agree", "[cli]") {
  require_cli();
  TempDir dir;
  REQUIRE(cli("generate ba -n 2000 --degree 2 --seed 4 -o g.csr", dir.path()).rc == 0);
  const cascade::Graph g = cascade::load_csr((dir / "g.csr").string());

  struct Case {
    std::string flags;
    cascade::McOptions options;
  };
  std::vector<Case> cases;
  {
    cascade::McOptions o;
    o.ic.probability = cascade::ArcProbability::uniform(0.3);
    o.master_seed = 11;
    o.seeds = cascade::SeedSpec::random(2);
    o.trials = 600;
    cases.push_back({"--model ic --p 0.3 --seeds 2 --trials 600 --seed 11", o});
  }
  {
    cascade::McOptions o;
    o.ic.probability = cascade::ArcProbability::weighted_cascade();
    o.master_seed = 5;
    o.seeds = cascade::SeedSpec::top_degree(3);
    o.trials = 50;
    cases.push_back({"--weighted-cascade --top-degree-seeds 3 --trials 50 --seed 5", o});
  }
  {
    cascade::McOptions o;
    o.model = cascade::Model::kLt;
    o.master_seed = 3;
    o.seeds = cascade::SeedSpec::random(5);
    o.trials = 200;
    cases.push_back({"--model lt --seeds 5 --trials 200 --seed 3", o});
  }
  for (const auto& c : cases) {
    INFO(c.flags);
    const Run r1 = cli("simulate g.csr --json --threads 1 " + c.flags, dir.path());
    const Run r2 = cli("simulate g.csr --json --threads 2 " + c.flags, dir.path());
    REQUIRE(r1.rc == 0);
    REQUIRE(r2.rc == 0);
    const Json j1 = Json::parse(r1.out), j2 = Json::parse(r2.out);
    CHECK(without_timings(j1) == without_timings(j2));

    const cascade::Estimate e = cascade::estimate_spread(g, c.options);
    CHECK(j1["trials"] == e.trials);
    CHECK(j1["mean"].get<double>() == e.mean);
    CHECK(j1["stderr"].get<double>() == e.standard_error);
    CHECK(j1["stddev"].get<double>() == e.stddev);
    CHECK(j1["ci95"][0].get<double>() == e.ci95.lo);
    CHECK(j1["ci95"][1].get<double>() == e.ci95.hi);
    CHECK(j1["curve"].get<std::vector<double>>() == e.curve);
    REQUIRE(j1["quantiles"].size() == e.quantiles.size());
    for (auto [q, v] : e.quantiles) {
      std::ostringstream key;
      key << q;
      CHECK(j1["quantiles"][key.str()].get<double>() == v);
    }
    std::uint64_t histogram_trials = 0;
    for (const auto& bin : j1["size_histogram"]) histogram_trials += bin[1].get<std::uint64_t>();
    CHECK(histogram_trials == e.trials);
    CHECK(j1["seconds_per_trial"].get<double>() >= 0.0);
    CHECK(j1["arcs_examined"] == e.arcs_examined);
  }

  // Both IC engines give the same numbers; a timed cascade without horizon reaches exactly the
  // IC set (same coins), so its spread statistics are the same too.
  const std::string ic = "simulate g.csr --json --p 0.2 --seeds 1 --trials 300 --seed 8 ";
  const Json fused = Json::parse(cli(ic + "--engine fused", dir.path()).out);
  const Json trial = Json::parse(cli(ic + "--engine trial", dir.path()).out);
  CHECK(without_timings(fused) == without_timings(trial));
  const Run timed =
      cli("simulate g.csr --json --model timed --p 0.2 --seeds 1 --trials 300 "
          "--seed 8 --delay weibull --shape 0.7",
          dir.path());
  REQUIRE(timed.rc == 0);
  const Json tj = Json::parse(timed.out);
  CHECK(tj["mean"] == fused["mean"]);
  CHECK(tj["size_histogram"] == fused["size_histogram"]);
  CHECK(tj["curve_unit"] == "hour");
  CHECK(tj["curve"].back().get<double>() == Approx(tj["mean"].get<double>()));
  const Run timed2 =
      cli("simulate g.csr --json --model timed --p 0.2 --seeds 1 --trials 300 "
          "--seed 8 --delay weibull --shape 0.7 --threads 1",
          dir.path());
  CHECK(without_timings(Json::parse(timed2.out)) == without_timings(tj));
  // With a horizon, fewer are reached.
  const Json short_horizon =
      Json::parse(cli("simulate g.csr --json --model timed --p 0.2 --seeds 1 --trials 300 --seed 8 "
                      "--horizon 0.5",
                      dir.path())
                      .out);
  CHECK(short_horizon["mean"].get<double>() < tj["mean"].get<double>());
}

TEST_CASE("cli simulate --p LO:HI:STEP: each run is the single-p report, coupled over p", "[cli]") {
  require_cli();
  TempDir dir;
  REQUIRE(cli("generate ba -n 2000 --degree 2 --seed 4 -o g.csr", dir.path()).rc == 0);
  const std::string flags = " --seeds 2 --trials 200 --seed 7 --json -q";
  const Run range = cli("simulate g.csr --p 0.05:0.25:0.1 --csv r.csv" + flags, dir.path());
  INFO(range.err);
  REQUIRE(range.rc == 0);
  const Json j = Json::parse(range.out);
  CHECK(j["schema"]["name"] == "cascade.simulate-p-range");
  REQUIRE(j["p_values"].get<std::vector<double>>() == std::vector<double>{0.05, 0.15, 0.25});
  REQUIRE(j["runs"].size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    const std::string p = i == 0 ? "0.05" : i == 1 ? "0.15" : "0.25";
    const Run one = cli("simulate g.csr --p " + p + flags, dir.path());
    REQUIRE(one.rc == 0);
    INFO("p = " << p);
    CHECK(without_timings(j["runs"][i]) == without_timings(Json::parse(one.out)));
  }
  // The same coins at every p (a coin is live at p when its hash is below p's threshold), so
  // each trial's spread can only grow with p: a check of the coupling, trial by trial.
  std::map<std::uint64_t, std::vector<std::uint64_t>> by_trial;
  std::istringstream csv(slurp(dir / "r.csv"));
  std::string line;
  std::getline(csv, line);
  REQUIRE(line == "p,trial,spread");
  while (std::getline(csv, line)) {
    const auto a = line.find(','), b = line.rfind(',');
    by_trial[std::stoull(line.substr(a + 1, b - a - 1))].push_back(std::stoull(line.substr(b + 1)));
  }
  REQUIRE(by_trial.size() == 200);
  for (const auto& [trial, spreads] : by_trial) {
    INFO("trial " << trial);
    REQUIRE(spreads.size() == 3);
    CHECK(std::is_sorted(spreads.begin(), spreads.end()));
  }
  CHECK(j["runs"][2]["mean"].get<double>() > j["runs"][0]["mean"].get<double>());
  // Bad ranges: one line naming --p and the value, exit 2, before the graph is read.
  for (const char* bad :
       {"0.3:0.1:0.05", "0.1:0.2:0", "0.1:0.2", "0.1:x:0.1", "abc", "0.1:1.5:0.1", "0:1:0.0001"}) {
    INFO(bad);
    const Run r = cli(std::string("simulate missing.csr --p ") + bad, dir.path());
    CHECK(r.rc == 2);
    REQUIRE(r.err_lines().size() == 1);
    CHECK(r.err.find("--p: ") != std::string::npos);
    CHECK(r.err.find(bad) != std::string::npos);
  }
}

TEST_CASE("cli simulate: seed files and output files", "[cli]") {
  require_cli();
  TempDir dir;
  REQUIRE(
      cli("convert " + shell_quote(kData + "/karate.el") + " k.csr --symmetrize", dir.path()).rc ==
      0);
  write_file(dir / "seeds.txt", "# two seeds\n0\n33\n");
  Run r =
      cli("simulate k.csr --model ic --p 1 --seed-file seeds.txt --trials 1 --json", dir.path());
  REQUIRE(r.rc == 0);
  Json j = Json::parse(r.out);
  CHECK(j["mean"] == 34.0);  // karate is connected
  CHECK(j["seeds"]["ids"] == Json::array({0, 33}));
  CHECK(j["curve"][0] == 2.0);

  r = cli("simulate k.csr --p 0 --top-degree-seeds 4 --trials 3 --json", dir.path());
  REQUIRE(r.rc == 0);
  CHECK(Json::parse(r.out)["mean"] == 4.0);

  // -o and --csv write files; stdout gets the table.
  r = cli("simulate k.csr --p 0.2 --seeds 1 --trials 40 -o s.json --csv s.csv", dir.path());
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("95% interval") != std::string::npos);
  const Json file = Json::parse(slurp(dir / "s.json"));
  CHECK(file["trials"] == 40);
  const std::string csv = slurp(dir / "s.csv");
  CHECK(csv.rfind("trial,spread\n", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 41);
  // Early stop on the CI half-width.
  r =
      cli("simulate k.csr --p 0.1 --seeds 1 --trials 100000 --batch 100 --ci-half-width 1 "
          "--json",
          dir.path());
  REQUIRE(r.rc == 0);
  j = Json::parse(r.out);
  CHECK(j["stopped_early"] == true);
  CHECK(j["trials"].get<std::uint64_t>() < 100000);
  CHECK(j["trials"].get<std::uint64_t>() % 100 == 0);
  CHECK(no_temp_files(dir.path()));
}

TEST_CASE("cli mobilize --choose-seeds: report, thread-independent, bad K exits 2", "[cli]") {
  require_cli();
  TempDir dir;
  write_file(dir / "tiny.json", R"({
    "name": "tiny", "seed": 7, "trials": 4, "horizon_hours": 24,
    "network": {"generator": "barabasi-albert", "vertices": 500, "degree": 3, "seed": 1},
    "seeds": {"choice": "top-degree", "count": 2},
    "targets": {"count": 2, "witnesses": 20},
    "regimes": [{"name": "virality", "scheme": "none"},
                {"name": "incentive", "scheme": "recursive", "reward_dollars": 2000, "split": 0.5}]
  })");
  Run r = cli("mobilize tiny.json --choose-seeds 3 --seed-pool 12 --json a.json --threads 1 -q",
              dir.path());
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("gain vs top") != std::string::npos);
  Json a = Json::parse(slurp(dir / "a.json"));
  CHECK(a["objective"] == "recruits");
  CHECK(a["method"] == "lazy-greedy");
  CHECK(a["pool"]["size"] == 12);
  REQUIRE(a["regimes"].size() == 2);
  for (const auto& regime : a["regimes"]) {
    CHECK(regime["seeds"].size() == 3);
    CHECK(regime["gains"].size() == 3);
    double sum = 0;
    for (const auto& g : regime["gains"]) sum += g.get<double>();
    CHECK(std::abs(sum - regime["chosen"].get<double>()) < 1e-9);  // gains add up to the value
    CHECK(regime["gain_over_top_degree"].get<double>() ==
          regime["chosen"].get<double>() - regime["top_degree"].get<double>());
  }
  CHECK(a["cost"]["simulations"].get<std::uint64_t>() > 0);
  REQUIRE(cli("mobilize tiny.json --choose-seeds 3 --seed-pool 12 --json b.json --threads 2 -q",
              dir.path())
              .rc == 0);
  Json b = Json::parse(slurp(dir / "b.json"));
  a.erase("cost");  // timings (and the simulation count, checked by the library tests)
  b.erase("cost");
  CHECK(a == b);
  r = cli("mobilize tiny.json --choose-seeds 2 --objective targets --json - -q", dir.path());
  REQUIRE(r.rc == 0);
  CHECK(Json::parse(r.out)["method"] == "greedy");
  for (const std::string& bad :
       {std::string("--choose-seeds 0"), std::string("--choose-seeds 501"),
        std::string("--choose-seeds 2 --seed-pool 1"), std::string("--objective targets"),
        std::string("--choose-seeds 2 --objective reach"),
        std::string("--choose-seeds 2 --csv c.csv")}) {
    INFO(bad);
    r = cli("mobilize tiny.json -q --json bad.json " + bad, dir.path());
    CHECK(r.rc == 2);
    const auto lines = r.err_lines();
    CHECK(lines.size() == 1);
    CHECK(r.err.rfind("cascade: error: ", 0) == 0);
    CHECK(!fs::exists(dir / "bad.json"));
  }
}

TEST_CASE("cli mobilize: table and JSON and CSV on a small scenario", "[cli]") {
  require_cli();
  TempDir dir;
  write_file(dir / "tiny.json", R"({
    "name": "tiny", "seed": 7, "trials": 3, "horizon_hours": 24, "curve_step_hours": 2,
    "network": {"generator": "barabasi-albert", "vertices": 3000, "degree": 3, "seed": 1},
    "seeds": {"choice": "top-degree", "count": 2},
    "targets": {"count": 3, "witnesses": 20},
    "regimes": [{"name": "virality", "scheme": "none"},
                {"name": "incentive", "scheme": "recursive", "reward_dollars": 2000, "split": 0.5}]
  })");
  Run r = cli("mobilize tiny.json --json a.json --csv a.csv --threads 1", dir.path());
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("virality") != std::string::npos);
  CHECK(r.out.find("incentive") != std::string::npos);
  const Json a = Json::parse(slurp(dir / "a.json"));
  CHECK(a["horizon_hours"] == 24.0);
  REQUIRE(a["regimes"].size() == 2);
  for (const auto& regime : a["regimes"]) {
    for (const char* key : {"name", "scheme", "recruits_mean", "reached_mean", "payout_mean",
                            "budget", "targets_found_mean", "hours_to_all_targets", "curves"})
      CHECK(regime.contains(key));
    CHECK(regime["payout_mean"].get<double>() <= regime["budget"].get<double>());
  }
  CHECK(a["network"]["vertices"] == 3000);
  CHECK(a["trials"] == 3);
  CHECK(slurp(dir / "a.csv").rfind("regime,hour,", 0) == 0);

  r = cli("mobilize tiny.json --json b.json --trees t2.csv --threads 2 -q", dir.path());
  REQUIRE(r.rc == 0);
  REQUIRE(cli("mobilize tiny.json --trees t1.csv --threads 1 -q", dir.path()).rc == 0);
  // --trees: one row per joiner (so rows = recruits summed over trials), the same bytes for any
  // thread count, recruiter empty exactly for the initial members (2 top-degree seeds a trial).
  const std::string trees = slurp(dir / "t2.csv");
  CHECK(trees == slurp(dir / "t1.csv"));
  REQUIRE(trees.rfind("trial,regime,person,recruiter,join_hours,found_target\n", 0) == 0);
  std::size_t rows = 0, roots = 0;
  for (std::size_t at = trees.find('\n') + 1; at < trees.size(); at = trees.find('\n', at) + 1) {
    const std::string row = trees.substr(at, trees.find('\n', at) - at);
    ++rows;
    std::size_t commas[5], k = 0;
    for (std::size_t i = 0; i < row.size() && k < 5; ++i)
      if (row[i] == ',') commas[k++] = i;
    REQUIRE(k == 5);
    if (commas[3] == commas[2] + 1) ++roots;
  }
  double recruits = 0;
  for (const auto& regime : a["regimes"]) recruits += 3 * regime["recruits_mean"].get<double>();
  CHECK(static_cast<double>(rows) == Approx(recruits));
  CHECK(roots == 3 * 2 * 2);  // trials x regimes x seeds
  Json b = Json::parse(slurp(dir / "b.json")), a2 = a;
  a2.erase("timing");
  b.erase("timing");
  CHECK(a2 == b);

  // Overrides: trials, seed, the network from the command line or a file.
  r = cli("mobilize tiny.json --trials 1 --generator ws -n 2000 --degree 4 --json - -q",
          dir.path());
  REQUIRE(r.rc == 0);
  const Json w = Json::parse(r.out);
  CHECK(w["trials"] == 1);
  CHECK(w["network"]["vertices"] == 2000);
  REQUIRE(
      cli("convert " + shell_quote(kData + "/karate.el") + " k.csr --symmetrize", dir.path()).rc ==
      0);
  r = cli("mobilize tiny.json --trials 1 --graph k.csr --json - -q", dir.path());
  REQUIRE(r.rc == 0);
  CHECK(Json::parse(r.out)["network"]["vertices"] == 34);

  // Errors: a flag of another generator (2), a bad scenario key (1, file named).
  r = cli("mobilize tiny.json --gamma 2.5", dir.path());
  CHECK(r.rc == 2);
  CHECK(r.err.find("--gamma") != std::string::npos);
  write_file(dir / "bad.json", R"({"trials": 1, "no_such_key": 3})");
  r = cli("mobilize bad.json --json out.json", dir.path());
  CHECK(r.rc == 1);
  CHECK(r.err_lines().size() == 1);
  CHECK(r.err.find("bad.json") != std::string::npos);
  CHECK(r.err.find("no_such_key") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "out.json"));
  // A bad attack key or value: in the file, exit 1 like every scenario-file error; on the
  // command line (sweep --set), exit 2 like every usage error. One line naming the key.
  write_file(dir / "attack.json", R"({"trials": 1, "attack": {"sybil_share": 0.5, "rol": "x"}})");
  r = cli("mobilize attack.json --json out.json", dir.path());
  CHECK(r.rc == 1);
  CHECK(r.err_lines().size() == 1);
  CHECK(r.err.find("'attack.rol': unknown key") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "out.json"));
  r = cli("sweep tiny.json --set attack.fakes=99 --json out.json", dir.path());
  CHECK(r.rc == 2);
  CHECK(r.err_lines().size() == 1);
  CHECK(r.err.find("'attack.fakes'") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "out.json"));
}

// [plots] tests need python3 with matplotlib. Without it they print "SKIP: <reason>" and stop:
// tests/CMakeLists.txt registers them with SKIP_REGULAR_EXPRESSION, so ctest reports a SKIP,
// never a pass.
TEST_CASE("cli plots: mobilize and plot.py write PNG files", "[cli][plots]") {
  require_cli();
  const std::string python = python_with_matplotlib();
  if (python.empty()) {
    WARN("SKIP: python3 with matplotlib not found");
    return;
  }
  TempDir dir;
  write_file(dir / "tiny.json", R"({
    "name": "tiny", "trials": 2, "horizon_hours": 12,
    "network": {"generator": "chung-lu", "vertices": 2000, "mean_degree": 6, "gamma": 2.5},
    "seeds": {"choice": "random", "count": 3}
  })");
  Run r = cli("mobilize tiny.json --plot plots -q", dir.path());
  INFO(r.err);
  REQUIRE(r.rc == 0);
  for (const char* png : {"recruits_over_time.png", "payoffs.png"}) {
    INFO(png);
    REQUIRE(fs::exists(dir / "plots" / png));
    CHECK(fs::file_size(dir / "plots" / png) > 1000);
    CHECK(slurp(dir / "plots" / png).substr(1, 3) == "PNG");
  }
  REQUIRE(cli("generate ba -n 500 --degree 2 -o g.csr", dir.path()).rc == 0);
  REQUIRE(cli("simulate g.csr --p 0.3 --trials 100 -o s.json --csv s.csv -q", dir.path()).rc == 0);
  const std::string cmd = python + " " + shell_quote(kSource + "/tools/plot.py") + " " +
                          shell_quote((dir / "s.json").string()) + " --out " +
                          shell_quote((dir / "simplots").string()) + " --quiet";
  REQUIRE(std::system(cmd.c_str()) == 0);
  CHECK(fs::file_size(dir / "simplots" / "cascade_sizes.png") > 1000);
  CHECK(fs::file_size(dir / "simplots" / "spread_curve.png") > 1000);
  // A file that is not cascade output: a clear error, non-zero exit.
  write_file(dir / "junk.json", "{\"x\": 1}");
  const std::string bad = python + " " + shell_quote(kSource + "/tools/plot.py") + " " +
                          shell_quote((dir / "junk.json").string()) + " --out " +
                          shell_quote((dir / "junk").string()) + " 2>/dev/null";
  CHECK(std::system(bad.c_str()) != 0);
}

TEST_CASE("cli sweep: the base point is mobilize's, threads 1 and 2 agree, budgets exact",
          "[cli]") {
  require_cli();
  TempDir dir;
  write_file(dir / "tiny.json", R"({
    "name": "tiny", "seed": 7, "trials": 3, "horizon_hours": 24, "curve_step_hours": 2,
    "network": {"generator": "barabasi-albert", "vertices": 3000, "degree": 3, "seed": 1},
    "seeds": {"choice": "top-degree", "count": 2},
    "incentive": {"recruit_probability_max": 0.25},
    "targets": {"count": 3, "witnesses": 20},
    "regimes": [{"name": "virality", "scheme": "none"},
                {"name": "incentive", "scheme": "recursive", "reward_dollars": 1000, "split": 0.5},
                {"name": "bounty", "scheme": "flat-bounty", "bounty_dollars": 10,
                 "pool_dollars": 6000}]
  })");
  const std::string set = "sweep tiny.json --set incentive.recruit_probability_max=0.1,0.25 ";
  Run r = cli(set + "--json a.json --csv a.csv --threads 1", dir.path());
  INFO(r.err);
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("incentive") != std::string::npos);  // the table
  Json a = Json::parse(slurp(dir / "a.json"));
  REQUIRE(a["points"].size() == 2);
  CHECK(a["points"][1]["values"]["incentive.recruit_probability_max"] == 0.25);
  REQUIRE(cli("mobilize tiny.json --json m.json -q", dir.path()).rc == 0);
  const Json m = Json::parse(slurp(dir / "m.json"));
  for (std::size_t i = 0; i < 3; ++i) {
    INFO(i);
    const Json& point = a["points"][1]["regimes"][i];
    CHECK(point["recruits_mean"] == m["regimes"][i]["recruits"]["mean"]);
    CHECK(point["recruits_ci95"] == m["regimes"][i]["recruits"]["ci95"]);
    CHECK(point["spend_mean"] == m["regimes"][i]["payout"]["mean"]);
    CHECK(point["targets_found_mean"] == m["regimes"][i]["targets_found"]["mean"]);
  }
  const std::string csv = slurp(dir / "a.csv");
  CHECK(csv.rfind("incentive.recruit_probability_max,regime,", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 1 + 2 * 3);

  REQUIRE(cli(set + "--json b.json --csv b.csv --threads 2 -q", dir.path()).rc == 0);
  Json b = Json::parse(slurp(dir / "b.json"));
  a.erase("timing");
  b.erase("timing");
  CHECK(a == b);
  CHECK(slurp(dir / "b.csv") == csv);

  r = cli("sweep tiny.json --budget 600,6000,60000 --trials 2 --json - -q", dir.path());
  REQUIRE(r.rc == 0);
  const Json f = Json::parse(r.out);
  CHECK(f["mode"] == "budget");
  REQUIRE(f["points"].size() == 3);
  for (const auto& point : f["points"]) {
    const double budget = point["values"]["budget_dollars"].get<double>();
    CHECK(point["trials"] == 2);
    for (const auto& regime : point["regimes"])
      if (regime["scheme"]["kind"] != "none") CHECK(regime["budget"].get<double>() == budget);
  }
  CHECK(no_temp_files(dir.path()));
}

TEST_CASE("cli sweep: bad input exits 2 with one line naming the key or value, no output",
          "[cli]") {
  require_cli();
  TempDir dir;
  write_file(dir / "tiny.json", R"({"trials": 1, "horizon_hours": 6,
    "network": {"generator": "barabasi-albert", "vertices": 2000, "degree": 3}})");
  struct Case {
    std::string args, names;
  };
  const std::vector<Case> cases = {
      {"--set incentive.no_such_key=1", "incentive.no_such_key"},
      {"--set incentive.recruit_probability_max=abc", "abc"},
      {"--set incentive.recruit_probability_max=0.1,1.5", "1.5"},
      {"--set seeds.count=0", "seeds.count"},
      {"--set regimes.5.strength=1", "regimes.5.strength"},
      {"--set seeds.count=", "seeds.count"},
      {"--set seeds.count=1 --set trials=1 --set horizon_hours=2", "horizon_hours"},
      {"--budget 0", "--budget 0"},
      {"--budget -40", "--budget -40"},
      {"--budget 4000,x", "--budget x"},
      {"--budget ''", "--budget"},
      {"--set seeds.count=1 --budget 4000", "--budget"},
      {"", "--set"},
  };
  for (const auto& c : cases) {
    INFO("cascade sweep tiny.json " << c.args);
    const Run r = cli("sweep tiny.json " + c.args + " --json out.json --csv out.csv", dir.path());
    CHECK(r.rc == 2);
    const auto lines = r.err_lines();
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].rfind("cascade: error: ", 0) == 0);
    CHECK(lines[0].find(c.names) != std::string::npos);
    CHECK(r.out.empty());
  }
  CHECK_FALSE(fs::exists(dir / "out.json"));
  CHECK_FALSE(fs::exists(dir / "out.csv"));
  CHECK(no_temp_files(dir.path()));
}

TEST_CASE("cli sweep --plot: the frontier and the key sweep figures", "[cli][plots]") {
  require_cli();
  if (python_with_matplotlib().empty()) {  // a SKIP in ctest (see "cli plots" above)
    WARN("SKIP: python3 with matplotlib not found");
    return;
  }
  TempDir dir;
  write_file(dir / "tiny.json", R"({"trials": 2, "horizon_hours": 12,
    "network": {"generator": "barabasi-albert", "vertices": 2000, "degree": 3},
    "targets": {"count": 2, "witnesses": 20}})");
  Run r = cli("sweep tiny.json --budget 400,4000 --plot figs -q", dir.path());
  INFO(r.err);
  REQUIRE(r.rc == 0);
  CHECK(fs::file_size(dir / "figs" / "frontier.png") > 1000);
  CHECK(slurp(dir / "figs" / "frontier.png").substr(1, 3) == "PNG");
  CHECK(Json::parse(slurp(dir / "figs" / "sweep.json"))["mode"] == "budget");
  r = cli("sweep tiny.json --set seeds.count=1,4 --json s.json --plot figs -q", dir.path());
  REQUIRE(r.rc == 0);
  CHECK(fs::file_size(dir / "figs" / "sweep.png") > 1000);
}

namespace {

// Starts `cascade generate rmat --scale 17 ... -o out` with stderr to /dev/null (its
// "interrupted" note is not test output).
pid_t spawn_generate(const std::string& out) {
  std::vector<std::string> args = {kCli, "generate", "rmat", "--scale", "17", "--edge-factor",
                                   "16", "-q",       "-o",   out};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t quiet;
  posix_spawn_file_actions_init(&quiet);
  posix_spawn_file_actions_addopen(&quiet, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, kCli.c_str(), &quiet, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&quiet);
  REQUIRE(spawned == 0);
  return pid;
}

int exit_code(pid_t pid) {
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

TEST_CASE("cli: an interrupted generate leaves a complete file or none", "[cli]") {
  require_cli();
  TempDir dir;
  const std::string out = (dir / "big.csr").string();
  // Uninterrupted: the complete file.
  REQUIRE(exit_code(spawn_generate(out)) == 0);
  CHECK(cascade::load_csr(out).num_vertices() == (1u << 17));
  fs::remove(out);

  // Interrupted while the output is being written, deterministically: the child is stopped
  // (SIGSTOP) at a moment when its temporary file exists, so the final rename has not happened;
  // SIGINT is then pending and runs first when it continues. It must exit 130 leaving nothing.
  // (Should the rename fall between the poll and the stop, the run completes: start again.)
  bool caught = false;
  pid_t pid = 0;
  for (int attempt = 0; attempt < 5 && !caught; ++attempt) {
    pid = spawn_generate(out);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (!caught && std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) break;  // finished before we caught it
      if (no_temp_files(dir.path())) {
        std::this_thread::sleep_for(std::chrono::microseconds(100));
        continue;
      }
      ::kill(pid, SIGSTOP);
      ::waitpid(pid, &status, WUNTRACED);
      caught = !no_temp_files(dir.path());  // still writing (not renamed) while stopped
      if (caught) ::kill(pid, SIGINT);
      ::kill(pid, SIGCONT);
    }
    if (!caught) {
      ::waitpid(pid, nullptr, 0);
      fs::remove(out);
    }
  }
  REQUIRE(caught);  // the write of a 2^17-vertex .csr lasts far longer than one poll
  CHECK(exit_code(pid) == 130);
  CHECK_FALSE(fs::exists(out));
  CHECK(no_temp_files(dir.path()));
}

TEST_CASE("cli: graph-reading flags (--weights RULE, --undirected/--directed, compressed files)",
          "[cli]") {
  require_cli();
  TempDir dir;
  const std::string karate = shell_quote(kData + "/karate.el");
  // karate declares itself undirected: the default reading equals --undirected, not --directed.
  auto mean = [&](const std::string& flags) {
    const Run r =
        cli("simulate " + karate + " --p 0.2 --trials 200 -q --json " + flags, dir.path());
    REQUIRE(r.rc == 0);
    return Json::parse(r.out)["mean"].get<double>();
  };
  CHECK(mean("") == mean("--undirected"));
  CHECK(mean("") == mean("--symmetrize"));
  CHECK(mean("--directed") < mean(""));
  Run r = cli("info " + karate + " --json -q", dir.path());
  REQUIRE(r.rc == 0);
  CHECK(Json::parse(r.out)["direction"] == "undirected");
  CHECK(Json::parse(r.out)["arcs"] == 156);
  CHECK(cli("info " + karate + " --undirected --directed -q", dir.path()).rc == 2);

  // A GAPBS .wel: refused as probabilities (naming the option), read by max, simulated.
  write_file(dir / "g.wel", "0 1 218\n1 2 4\n2 0 255\n");
  r = cli("convert g.wel g.csr -q", dir.path());
  CHECK(r.rc == 1);
  CHECK(r.err.find("g.wel:1: weight '218' outside [0, 1]") != std::string::npos);
  CHECK(r.err.find("--weights") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "g.csr"));
  REQUIRE(cli("convert g.wel g.csr --weights max -q", dir.path()).rc == 0);
  const cascade::Graph g = cascade::load_csr((dir / "g.csr").string());
  CHECK(g.out_weights(2)[0] == 1.0f);
  CHECK(g.out_weights(0)[0] == static_cast<float>(218.0 / 255.0));
  CHECK(cli("simulate g.wel --weights scale:0.001 --trials 10 -q", dir.path()).rc == 0);
  CHECK(cli("simulate g.wel --weights --trials 10 -q", dir.path()).rc == 1);  // as probabilities
  CHECK(cli("simulate g.wel --p 0.5 --trials 10 -q", dir.path()).rc == 0);    // weights unused
  CHECK(cli("simulate g.wel --weights bogus -q", dir.path()).rc == 2);

  // Compressed in and out: the same graph as the plain file.
  REQUIRE(cli("convert " + karate + " k.el.gz -q", dir.path()).rc == 0);
  REQUIRE(cli("convert k.el.gz k.csr.zst -q", dir.path()).rc == 0);
  REQUIRE(cli("convert k.csr.zst k.csr -q", dir.path()).rc == 0);
  CHECK(cascade::load_csr((dir / "k.csr").string()) == cascade::load_graph(kData + "/karate.el"));
  // An extension cascade cannot write is an error, and no file is left.
  r = cli("generate rmat --scale 4 -o x.gexf -q", dir.path());
  CHECK(r.rc != 0);
  CHECK(r.err.find("unknown output format '.gexf'") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "x.gexf"));
}

TEST_CASE("cli labels: NetworkX GraphML in, labels in seed files and outputs", "[cli]") {
  require_cli();
  TempDir dir;
  const std::string people = shell_quote(kSource + "/tests/data/networkx/people.graphml");
  // convert keeps the labels: GraphML -> .csr -> CSV lists the arcs by name.
  REQUIRE(cli("convert " + people + " p.csr -q", dir.path()).rc == 0);
  REQUIRE(cli("convert p.csr p.csv -q", dir.path()).rc == 0);
  const std::string csv = slurp(dir / "p.csv");
  CHECK(csv.find("source,target,weight\nalice,bob,0.5\nalice,Mr. Hi,0.125\n") != std::string::npos);
  // Seeds by label and by id give the same run (p = 1: everyone alice reaches).
  write_file(dir / "names.txt", "alice\n");
  write_file(dir / "ids.txt", "0\n");
  Run by_label = cli("simulate p.csr --p 1 --seed-file names.txt --trials 2 --json", dir.path());
  Run by_id = cli("simulate p.csr --p 1 --seed-file ids.txt --trials 2 --json", dir.path());
  REQUIRE(by_label.rc == 0);
  REQUIRE(by_id.rc == 0);
  CHECK(Json::parse(by_label.out)["mean"] == 4.0);  // alice, bob, carol, Mr. Hi
  CHECK(without_timings(Json::parse(by_label.out))["seeds"]["ids"] ==
        without_timings(Json::parse(by_id.out))["seeds"]["ids"]);
  CHECK(Json::parse(by_label.out)["mean"] == Json::parse(by_id.out)["mean"]);
  // maximize names its seed.
  Run m = cli("maximize p.csr --k 1 --p 1 --method celf --celf-trials 2 --validate-trials 0 --json",
              dir.path());
  REQUIRE(m.rc == 0);
  CHECK(Json::parse(m.out)["seed_labels"] == Json::array({"alice"}));
  // A bad label and a broken file: one line each, exit 1, no output.
  write_file(dir / "bad.txt", "mallory\n");
  Run bad = cli("simulate p.csr --seed-file bad.txt --trials 1", dir.path());
  CHECK(bad.rc == 1);
  CHECK(bad.err_lines().size() == 1);
  CHECK(bad.err.find("bad.txt:1: no vertex labelled 'mallory'") != std::string::npos);
  write_file(dir / "broken.gml", "graph [\n node [ id 0\n");
  Run broken = cli("convert broken.gml out.csv", dir.path());
  CHECK(broken.rc == 1);
  CHECK(broken.err_lines().size() == 1);
  CHECK(broken.err.find("broken.gml: not a valid GML file: Parse error in GML file, line 3") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(dir / "out.csv"));
}
