// The command-line grammar shared by every subcommand (issue 18 items 5 and 6): --json [FILE]
// with one meaning, '-' as standard output, unknown output extensions refused with the list,
// "did you mean" for typos, readable numbers and "not a number" in messages, exit 2 for usage
// errors, and a schema name and version first in every JSON document.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cascade/io.hpp"
#include "catch.hpp"
#include "test_helpers.hpp"

namespace fs = std::filesystem;
using cascade::testing::shell_quote;
using cascade::testing::slurp;
using cascade::testing::TempDir;
using Json = nlohmann::ordered_json;

namespace {

const std::string kCli = CASCADE_CLI;
const std::string kData = CASCADE_DATA_DIR;

using Run = cascade::testing::CommandRun;

Run cli(const std::string& args, const fs::path& cwd) {
  return cascade::testing::run_command(kCli, args, cwd);
}

const std::string karate = shell_quote(kData + "/karate.el");

// A JSON document whose first key is the schema with the given name and a positive version.
void check_schema(const std::string& text, const std::string& name) {
  INFO(text.substr(0, 200));
  const Json j = Json::parse(text);
  REQUIRE(j.is_object());
  if (name.empty()) return;  // a report whose writer has no schema yet
  REQUIRE(j.begin().key() == "schema");
  CHECK(j["schema"]["name"] == "cascade." + name);
  CHECK(j["schema"]["version"].get<int>() >= 1);
}

}  // namespace

TEST_CASE("cli grammar: mistyped flags and subcommands name the closest one", "[cli]") {
  TempDir dir;
  struct Case {
    std::string args, hint;
  };
  const std::vector<Case> cases = {
      {"simulate " + karate + " --trails 10", "did you mean --trials?"},
      {"info " + karate + " --jsn", "did you mean --json?"},
      {"simulat " + karate, "did you mean 'simulate'?"},
      {"mobilise x.json", "did you mean 'mobilize'?"},
      {"generate rmat --scael 4 -o g.el", "did you mean --scale?"},
  };
  for (const auto& c : cases) {
    const Run r = cli(c.args, dir.path());
    INFO("cascade " << c.args << "\nstderr: " << r.err);
    CHECK(r.rc == 2);
    CHECK(r.err_line_count() == 1);
    CHECK(r.err.find(c.hint) != std::string::npos);
  }
  // Nothing close: no suggestion.
  const Run r = cli("simulate " + karate + " --zzzzzzzz 1", dir.path());
  CHECK(r.rc == 2);
  CHECK(r.err.find("did you mean") == std::string::npos);
}

TEST_CASE("cli grammar: numbers in messages are readable, and not a number when not one", "[cli]") {
  TempDir dir;
  struct Case {
    std::string args, message;
  };
  const std::vector<Case> cases = {
      {"simulate " + karate + " --p abc", "--p: 'abc' is not a number"},
      {"simulate " + karate + " --trials abc", "--trials: 'abc' is not a number"},
      {"simulate " + karate + " --seeds 0", "--seeds: value 0 must be positive (> 0)"},
      {"simulate " + karate + " --batch 0", "--batch: value 0 must be positive (> 0)"},
      {"simulate " + karate + " --p 2", "--p: value 2 must be in [0, 1]"},
      {"simulate " + karate + " --threads 9999", "--threads: value 9999 must be in [0, 4096]"},
      {"simulate " + karate + " --p inf", "--p: value inf is not a finite number"},
      {"generate er -n 0 -o g.el", "--vertices: value 0 must be in [1, 4294967295]"},
  };
  for (const auto& c : cases) {
    const Run r = cli(c.args, dir.path());
    INFO("cascade " << c.args << "\nstderr: " << r.err);
    CHECK(r.rc == 2);
    CHECK(r.err_line_count() == 1);
    CHECK(r.err.find(c.message) != std::string::npos);
    CHECK(r.err.size() < 200);  // no 309-digit bound
    CHECK(r.out.empty());
  }
}

TEST_CASE("cli grammar: --json [FILE] means the same on every subcommand", "[cli]") {
  TempDir dir;
  const std::string scenario = shell_quote(kData + "/scenarios/red-balloon-2009.json");
  const std::string small = " --trials 2 --generator er -n 200 -d 4";
  struct Case {
    std::string command, schema;
  };
  const std::vector<Case> cases = {
      {"info " + karate, "info"},
      {"simulate " + karate + " --trials 20", "simulate"},
      {"generate er -n 50 -d 2 -o g.el", "generate"},
      {"convert " + karate + " k.csr", "convert"},
      {"maximize " + karate + " --k 2 --validate-trials 10", "maximize"},
      {"mobilize " + scenario + small, "mobilize"},
  };
  for (const auto& c : cases) {
    INFO("cascade " << c.command);
    // Alone, and with '-': the JSON document on stdout, nothing else there.
    for (const std::string form : {" --json -q", " --json - -q", " -q --json"}) {
      const Run r = cli(c.command + form, dir.path());
      INFO(form << "\nstderr: " << r.err);
      REQUIRE(r.rc == 0);
      check_schema(r.out, c.schema);
    }
    // With a file: the same document there (stdout may carry the table).
    fs::remove(dir / "r.json");
    const Run f = cli(c.command + " -q --json r.json", dir.path());
    INFO("stderr: " << f.err);
    REQUIRE(f.rc == 0);
    check_schema(slurp(dir / "r.json"), c.schema);
    // A value starting with '-' is never a file name: -q stays the quiet flag.
    fs::remove(dir / "-q");
    const Run q = cli(c.command + " --json -q", dir.path());
    CHECK(q.rc == 0);
    CHECK_FALSE(fs::exists(dir / "-q"));
  }
  const Run bad = cli("simulate " + karate + " --json=-x.json", dir.path());
  CHECK(bad.rc == 2);
  CHECK(bad.err.find("not a file name") != std::string::npos);
}

TEST_CASE("cli grammar: -o - writes to stdout, and unknown output extensions are refused",
          "[cli]") {
  TempDir dir;
  // generate / convert -o -: the edge list on stdout, readable back as the same graph.
  Run r = cli("convert " + karate + " - -q", dir.path());
  REQUIRE(r.rc == 0);
  {
    std::ofstream(dir / "back.el") << r.out;
    const auto a = cascade::load_graph(kData + "/karate.el");
    const auto b = cascade::load_graph((dir / "back.el").string());
    CHECK(a.num_arcs() == b.num_arcs());
    CHECK(a.num_vertices() == b.num_vertices());
  }
  r = cli("generate er -n 30 -d 2 -q -o -", dir.path());
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("\n") != std::string::npos);
  // simulate / info -o -: the JSON on stdout.
  r = cli("simulate " + karate + " --trials 10 -q -o -", dir.path());
  REQUIRE(r.rc == 0);
  check_schema(r.out, "simulate");
  r = cli("info " + karate + " -o -", dir.path());
  REQUIRE(r.rc == 0);
  check_schema(r.out, "info");
  // Two outputs on stdout are a usage error.
  r = cli("simulate " + karate + " --trials 10 --json - --csv -", dir.path());
  CHECK(r.rc == 2);
  CHECK(r.err.find("stdout") != std::string::npos);

  // An unknown extension: exit 2, the list from the library, nothing written, nothing run.
  std::string list;
  for (const auto& e : cascade::graph_output_extensions()) list += (list.empty() ? "" : ", ") + e;
  for (const std::string& args : std::vector<std::string>{"generate rmat --scale 6 -o x.gexf",
                                                          "convert " + karate + " x.gexf"}) {
    r = cli(args, dir.path());
    INFO(args << "\nstderr: " << r.err);
    CHECK(r.rc == 2);
    CHECK(r.err_line_count() == 1);
    CHECK(r.err.find("unknown output format '.gexf'") != std::string::npos);
    CHECK(r.err.find(list) != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "x.gexf"));
  }
  r = cli("generate rmat --scale 6 -o noext", dir.path());
  CHECK(r.rc == 2);
  CHECK(r.err.find("no extension") != std::string::npos);
}
