// build_csr() against a straightforward reference (std::set of arcs) on random edge lists.
#include <map>
#include <random>
#include <set>

#include "cascade/builder.hpp"
#include "cascade/error.hpp"
#include "cascade/parallel.hpp"
#include "catch.hpp"

using namespace cascade;

namespace {

EdgeList random_edges(std::uint64_t n, std::size_t m, bool weighted, unsigned seed) {
  std::mt19937_64 gen(seed);
  EdgeList list;
  list.num_vertices = n;
  if (n == 0) return list;
  std::uniform_int_distribution<Vertex> pick(0, static_cast<Vertex>(n - 1));
  std::uniform_real_distribution<float> weight(0.0f, 1.0f);
  for (std::size_t i = 0; i < m; ++i) {
    Vertex u = pick(gen), v = pick(gen);
    if (i % 7 == 0) v = u;  // self loops
    list.edges.push_back({u, v});
    if (weighted) list.weights.push_back(weight(gen));
    if (i % 5 == 0) {  // duplicates
      list.edges.push_back({u, v});
      if (weighted) list.weights.push_back(weight(gen));
    }
  }
  return list;
}

// Reference: map (u, v) -> max weight, with the same options.
std::map<std::pair<Vertex, Vertex>, float> reference(const EdgeList& list, bool symmetrize) {
  std::map<std::pair<Vertex, Vertex>, float> arcs;
  for (std::size_t i = 0; i < list.edges.size(); ++i) {
    const auto [u, v] = list.edges[i];
    const float w = list.has_weights() ? list.weights[i] : 1.0f;
    for (auto arc : {std::pair{u, v}, std::pair{v, u}}) {
      if (arc.first == arc.second) continue;
      auto [it, fresh] = arcs.emplace(arc, w);
      if (!fresh) it->second = std::max(it->second, w);
      if (!symmetrize) break;
    }
  }
  return arcs;
}

}  // namespace

TEST_CASE("build_csr matches a set-based reference", "[engine]") {
  for (bool weighted : {false, true})
    for (bool symmetrize : {false, true})
      for (std::uint64_t n : {1ULL, 2ULL, 50ULL, 1000ULL}) {
        const EdgeList list = random_edges(n, n * 3, weighted, static_cast<unsigned>(n) + 7);
        BuildOptions opt;
        opt.symmetrize = symmetrize;
        const Graph g = build_csr(list, opt);
        const auto ref = reference(list, symmetrize);
        REQUIRE(g.num_vertices() == n);
        REQUIRE(g.num_arcs() == ref.size());
        if (g.num_arcs() > 0) REQUIRE(g.has_weights() == weighted);  // no arcs, no weights
        REQUIRE(g.is_symmetric() == symmetrize);
        auto it = ref.begin();
        for (Vertex u = 0; u < n; ++u)
          for (std::size_t k = 0; k < g.out_degree(u); ++k, ++it) {
            REQUIRE(it->first == std::pair{u, g.out_neighbors(u)[k]});
            if (weighted) REQUIRE(g.out_weights(u)[k] == it->second);
          }
      }
}

TEST_CASE("build_csr keeps self loops and duplicates when asked", "[engine]") {
  EdgeList list;
  list.num_vertices = 3;
  list.edges = {{0, 0}, {0, 1}, {0, 1}, {2, 1}};
  const Graph g = build_csr(list, {.symmetrize = false, .drop_self_loops = false,
                                   .drop_duplicates = false});
  REQUIRE(g.num_arcs() == 4);
  REQUIRE(g.out_degree(0) == 3);
  REQUIRE(g.out_neighbors(0)[0] == 0);
}

TEST_CASE("build_csr handles empty graphs and isolated vertices", "[engine]") {
  EdgeList empty;
  REQUIRE(build_csr(empty).num_vertices() == 0);
  REQUIRE(build_csr(empty) == Graph());  // a built empty graph is the default-constructed one
  EdgeList one;
  one.num_vertices = 1;
  REQUIRE_FALSE(build_csr(one) == Graph());
  EdgeList isolated;
  isolated.num_vertices = 10;
  isolated.edges = {{3, 4}};
  const Graph g = build_csr(isolated);
  REQUIRE(g.num_vertices() == 10);
  REQUIRE(g.num_arcs() == 1);
  REQUIRE(g.out_degree(9) == 0);
}

TEST_CASE("build_csr rejects bad ids and weights", "[engine]") {
  EdgeList list;
  list.num_vertices = 3;
  list.edges = {{0, 3}};
  REQUIRE_THROWS_AS(build_csr(list), InvalidArgument);
  list.edges = {{0, 1}};
  list.weights = {1.5f};
  REQUIRE_THROWS_AS(build_csr(list), InvalidArgument);
  list.weights = {std::numeric_limits<float>::quiet_NaN()};
  REQUIRE_THROWS_AS(build_csr(list), InvalidArgument);
}

TEST_CASE("build_csr and transpose are identical for 1, 2 and 4 threads", "[engine]") {
  const EdgeList list = random_edges(5000, 40000, true, 99);
  Graph reference_graph;
  Graph reference_transpose;
  for (std::size_t threads : {1, 2, 4}) {
    ThreadLimit limit(threads);
    const Graph g = build_csr(list);
    const Graph t = g.transpose();
    if (threads == 1) {
      reference_graph = g;
      reference_transpose = t;
    }
    REQUIRE(g == reference_graph);
    REQUIRE(t == reference_transpose);
  }
}

TEST_CASE("transpose reverses every arc with its weight", "[engine]") {
  const EdgeList list = random_edges(300, 2000, true, 5);
  const Graph g = build_csr(list);
  const Graph& t = g.transpose();
  REQUIRE(t.num_arcs() == g.num_arcs());
  std::set<std::tuple<Vertex, Vertex, float>> forward, backward;
  for (Vertex u = 0; u < g.num_vertices(); ++u) {
    for (std::size_t k = 0; k < g.out_degree(u); ++k)
      forward.insert({u, g.out_neighbors(u)[k], g.out_weights(u)[k]});
    for (std::size_t k = 0; k < t.out_degree(u); ++k)
      backward.insert({t.out_neighbors(u)[k], u, t.out_weights(u)[k]});
    REQUIRE(g.in_degree(u) == t.out_degree(u));
  }
  REQUIRE(forward == backward);
}

TEST_CASE("Graph validates borrowed CSR arrays", "[engine]") {
  REQUIRE_THROWS_AS(Graph({0, 2}, {0}), InvalidArgument);          // offsets[n] != arcs
  REQUIRE_THROWS_AS(Graph({0, 1, 1}, {2}), InvalidArgument);       // target out of range
  REQUIRE_THROWS_AS(Graph({0, 2, 2}, {1, 0}), InvalidArgument);    // unsorted
  REQUIRE_THROWS_AS(Graph({0, 1, 1}, {1}, {-0.5f}), InvalidArgument);
  REQUIRE_NOTHROW(Graph({0, 1, 1}, {1}, {0.5f}));
}
