// Replays the fuzz corpora (data/fuzz/<target>/: seeds, and every crash the fuzzers found, kept
// as a regression input) through the same calls as the libFuzzer targets in tests/fuzz/, in the
// ordinary build and under ASan + UBSan (tools/test.sh --sanitize), without needing clang's
// libFuzzer: each input must load or fail with a cascade::Error -- no crash, no other exception.
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include "cascade/builder.hpp"
#include "cascade/error.hpp"
#include "cascade/io.hpp"
#include "cascade/scenario_file.hpp"
#include "catch.hpp"
#include "test_helpers.hpp"

namespace fs = std::filesystem;
using cascade::testing::TempDir;

namespace {

const fs::path kCorpora = fs::path(CASCADE_DATA_DIR) / "fuzz";

using cascade::testing::slurp;

// Runs body on a copy of every file of one corpus, under the name `name` + suffix (the readers
// choose by extension, the fuzz targets use a fixed one). Returns how many inputs were replayed.
std::size_t replay(const std::string& target, const char* suffix,
                   const std::function<void(const std::string&)>& body) {
  TempDir dir;
  const std::string path = (dir / (std::string("input") + suffix)).string();
  std::size_t count = 0;
  for (const auto& e : fs::directory_iterator(kCorpora / target)) {
    INFO(e.path().string());
    fs::copy_file(e.path(), path, fs::copy_options::overwrite_existing);
    try {
      body(path);
    } catch (const cascade::Error&) {
      // a clean, typed refusal is an accepted outcome
    }
    ++count;
  }
  return count;
}

}  // namespace

TEST_CASE("fuzz corpora replay cleanly: edge list, Matrix Market, .csr, scenario, CSV, markup",
          "[engine]") {
  CHECK(replay("fuzz_edge_list", ".el", [](const std::string& path) {
          const cascade::EdgeList list = cascade::read_edge_list(path);
          if (list.num_vertices <= (1u << 20)) cascade::build_csr(list);
        }) > 0);
  CHECK(replay("fuzz_matrix_market", ".mtx", [](const std::string& path) {
          const cascade::EdgeList list = cascade::read_matrix_market(path);
          if (list.num_vertices <= (1u << 20)) cascade::build_csr(list);
        }) > 0);
  CHECK(replay("fuzz_csr", ".csr", [](const std::string& path) {
          for (bool verify : {false, true}) {
            cascade::LoadOptions options;
            options.verify_checksum = verify;
            try {
              const cascade::Graph g = cascade::load_csr(path, options);
              for (cascade::Vertex u = 0; u < g.num_vertices(); ++u)
                for (cascade::Vertex v : g.out_neighbors(u)) REQUIRE(v < g.num_vertices());
            } catch (const cascade::Error&) {
            }
          }
        }) > 0);
  CHECK(replay("fuzz_scenario", ".json", [](const std::string& path) {
          const std::string text = slurp(path);
          const cascade::Scenario s = cascade::parse_scenario(text, "fuzz.json");
          cascade::parse_scenario(cascade::scenario_to_json(s), "round-trip.json");
        }) > 0);
  CHECK(replay("fuzz_csv", ".csv", [](const std::string& path) {
          const cascade::EdgeList list = cascade::read_csv(path);
          if (list.num_vertices <= (1u << 20)) cascade::build_csr(list);
        }) > 0);
  // fuzz_markup: the first byte picks GraphML, GML or Pajek (tests/fuzz/fuzz_markup.cpp).
  TempDir dir;
  CHECK(replay("fuzz_markup", ".bin", [&](const std::string& path) {
          const std::string bytes = slurp(path);
          if (bytes.empty()) return;
          const int kind = static_cast<unsigned char>(bytes[0]) % 3;
          const std::string file = (dir / (kind == 0   ? "in.graphml"
                                           : kind == 1 ? "in.gml"
                                                       : "in.net"))
                                       .string();
          std::ofstream(file, std::ios::binary) << bytes.substr(1);
          const cascade::EdgeList list = kind == 0   ? cascade::read_graphml(file)
                                         : kind == 1 ? cascade::read_gml(file)
                                                     : cascade::read_pajek(file);
          if (list.num_vertices <= (1u << 20)) cascade::build_csr(list);
        }) > 0);
}
