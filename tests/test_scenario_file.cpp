// Scenario networks go through the one generator registry: every scenario generator name and
// its registry aliases build the same graph as calling the generator directly (the oracle is the
// generator function itself, as the scenario code called it before the registry), and the
// scenario file round-trips through the front end's writer.
#include <algorithm>
#include <string>

#include "cascade/builder.hpp"
#include "cascade/error.hpp"
#include "cascade/generators.hpp"
#include "cascade/scenario_file.hpp"
#include "catch.hpp"

using namespace cascade;

namespace {

bool same_graph(const Graph& a, const Graph& b) {
  return a.num_vertices() == b.num_vertices() && a.num_arcs() == b.num_arcs() &&
         std::equal(a.offsets().begin(), a.offsets().end(), b.offsets().begin()) &&
         std::equal(a.targets().begin(), a.targets().end(), b.targets().begin());
}

Scenario with_network(const std::string& network_json) {
  return parse_scenario(R"({"network": )" + network_json + "}", "test.json");
}

}  // namespace

TEST_CASE("scenario networks built through the registry equal the direct generator calls") {
  struct Case {
    std::string json;
    EdgeList direct;
  };
  RmatParams rmat;
  rmat.scale = 10;
  rmat.edge_factor = 4;
  const Case cases[] = {
      {R"({"generator": "chung-lu", "vertices": 3000, "mean_degree": 6, "gamma": 2.3, "seed": 5})",
       generate_chung_lu(3000, 6.0, 2.3, 5)},
      {R"({"generator": "barabasi-albert", "vertices": 3000, "degree": 3, "seed": 6})",
       generate_barabasi_albert(3000, 3, 6)},
      {R"({"generator": "rmat", "scale": 10, "edge_factor": 4, "seed": 7})",
       generate_rmat(rmat, 7)},
      {R"({"generator": "watts-strogatz", "vertices": 3000, "k": 6, "beta": 0.2, "seed": 8})",
       generate_watts_strogatz(3000, 6, 0.2, 8)},
      {R"({"generator": "erdos-renyi", "vertices": 3000, "seed": 9})",
       generate_erdos_renyi(3000, 5 * 3000, 9)},
      {R"({"generator": "erdos-renyi", "vertices": 3000, "edges": 7000, "seed": 9})",
       generate_erdos_renyi(3000, 7000, 9)},
  };
  for (const Case& c : cases) {
    INFO(c.json);
    const Scenario s = with_network(c.json);
    CHECK(same_graph(build_scenario_network(s), build_csr(c.direct)));
  }
}

TEST_CASE("scenario files accept the registry's short names and aliases, stored canonically") {
  const std::pair<const char*, const char*> names[] = {
      {"er", "erdos-renyi"},    {"gnm", "erdos-renyi"},  {"ba", "barabasi-albert"},
      {"ws", "watts-strogatz"}, {"chunglu", "chung-lu"}, {"kronecker", "rmat"}};
  for (const auto& [alias, canonical] : names) {
    INFO(alias);
    const Scenario s = with_network(std::string(R"({"generator": ")") + alias + R"(", "seed": 3})");
    CHECK(s.network.generator == canonical);
    const Scenario back = parse_scenario(scenario_to_json(s), "back.json");
    CHECK(back.network.generator == canonical);
    CHECK(scenario_to_json(back) == scenario_to_json(s));
  }
  CHECK_THROWS_WITH(with_network(R"({"generator": "smallworld"})"),
                    Catch::Contains("test.json: key 'network.generator': unknown generator "
                                    "'smallworld'"));
}
