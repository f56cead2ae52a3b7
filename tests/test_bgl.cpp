// The Boost.Graph adapter: BGL algorithms run on cascade::Graph give the same answers as the same
// algorithms on a boost::adjacency_list holding the same random graph; from_bgl round trips.
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/graph_concepts.hpp>
#include <boost/graph/two_bit_color_map.hpp>

#include <limits>
#include <random>
#include <set>
#include <vector>

#include "cascade/bgl.hpp"
#include "cascade/builder.hpp"
#include "catch.hpp"

using namespace cascade;

BOOST_CONCEPT_ASSERT((boost::IncidenceGraphConcept<Graph>));
BOOST_CONCEPT_ASSERT((boost::AdjacencyGraphConcept<Graph>));
BOOST_CONCEPT_ASSERT((boost::VertexListGraphConcept<Graph>));
BOOST_CONCEPT_ASSERT(
    (boost::ReadablePropertyMapConcept<boost::property_map<Graph, boost::edge_weight_t>::const_type,
                                       bgl::Arc>));
BOOST_CONCEPT_ASSERT(
    (boost::ReadablePropertyMapConcept<boost::property_map<Graph, boost::vertex_index_t>::const_type,
                                       Vertex>));

namespace {

using Directed = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
using Undirected = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
using WeightedDirected =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property,
                          boost::property<boost::edge_weight_t, float>>;

constexpr std::uint64_t kUnreached = std::numeric_limits<std::uint64_t>::max();

// Random edges, with duplicates and self loops unless simple.
EdgeList random_list(std::uint64_t n, std::size_t m, bool weighted, bool simple, unsigned seed) {
  std::mt19937_64 gen(seed);
  std::uniform_int_distribution<Vertex> pick(0, static_cast<Vertex>(n - 1));
  std::uniform_real_distribution<float> weight(0.0f, 1.0f);
  EdgeList list;
  list.num_vertices = n;
  std::set<std::pair<Vertex, Vertex>> seen;
  while (list.edges.size() < m) {
    const Vertex u = pick(gen), v = pick(gen);
    if (simple && (u == v || !seen.insert({u, v}).second)) continue;
    list.edges.push_back({u, v});
    if (weighted) list.weights.push_back(weight(gen));
  }
  return list;
}

template <class G>
std::vector<std::uint64_t> bgl_bfs(const G& g, typename boost::graph_traits<G>::vertex_descriptor s) {
  std::vector<std::uint64_t> dist(num_vertices(g), kUnreached);
  dist[s] = 0;
  boost::breadth_first_search(
      g, s,
      boost::visitor(boost::make_bfs_visitor(boost::record_distances(dist.data(), boost::on_tree_edge()))));
  return dist;
}

// The same BFS on cascade::Graph with an explicit two-bit color map.
std::vector<std::uint64_t> bfs_with_color_map(const Graph& g, Vertex s) {
  std::vector<std::uint64_t> dist(g.num_vertices(), kUnreached);
  dist[s] = 0;
  boost::two_bit_color_map<boost::typed_identity_property_map<Vertex>> color(
      g.num_vertices(), get(boost::vertex_index, g));
  boost::breadth_first_search(
      g, s,
      boost::visitor(boost::make_bfs_visitor(boost::record_distances(dist.data(), boost::on_tree_edge())))
          .color_map(color));
  return dist;
}

}  // namespace

TEST_CASE("BGL breadth_first_search on cascade::Graph equals BFS on adjacency_list", "[engine]") {
  for (auto [n, m] : {std::pair<std::uint64_t, std::size_t>{1, 0}, {2, 1}, {60, 90}, {400, 900},
                      {3000, 12000}}) {
    for (bool symmetric : {false, true}) {
      const EdgeList list = random_list(n, m, false, false, static_cast<unsigned>(n * 7 + m));
      BuildOptions options;
      options.symmetrize = symmetric;
      const Graph g = build_csr(list, options);
      INFO("n=" << n << " m=" << m << " symmetric=" << symmetric);

      Directed directed(n);
      Undirected undirected(n);
      for (const Edge& e : list.edges) {
        if (symmetric)
          boost::add_edge(e.src, e.dst, undirected);
        else
          boost::add_edge(e.src, e.dst, directed);
      }
      for (Vertex s : {Vertex{0}, static_cast<Vertex>(n / 2), static_cast<Vertex>(n - 1)}) {
        const auto expected = symmetric ? bgl_bfs(undirected, s) : bgl_bfs(directed, s);
        CHECK(bgl_bfs(g, s) == expected);  // default color map: vertex_index + num_vertices
        CHECK(bfs_with_color_map(g, s) == expected);
      }
    }
  }
}

TEST_CASE("BGL dijkstra on cascade::Graph reads the arc weights", "[engine]") {
  for (auto [n, m, seed] : {std::tuple<std::uint64_t, std::size_t, unsigned>{50, 200, 1},
                            {800, 4000, 2}, {800, 1200, 3}}) {
    const EdgeList list = random_list(n, m, true, true, seed);
    const Graph g = build_csr(list);
    REQUIRE(g.num_arcs() == m);
    WeightedDirected oracle(n);
    for (std::size_t i = 0; i < list.edges.size(); ++i)
      boost::add_edge(list.edges[i].src, list.edges[i].dst, list.weights[i], oracle);
    for (Vertex s : {Vertex{0}, static_cast<Vertex>(n - 1)}) {
      std::vector<double> got(n), expected(n);
      boost::dijkstra_shortest_paths(g, s, boost::distance_map(got.data()));
      boost::dijkstra_shortest_paths(oracle, s, boost::distance_map(expected.data()));
      for (std::uint64_t v = 0; v < n; ++v) {
        INFO("n=" << n << " source " << s << " vertex " << v);
        if (expected[v] == std::numeric_limits<double>::max())
          CHECK(got[v] == expected[v]);
        else
          CHECK(got[v] == Approx(expected[v]).margin(1e-9));
      }
    }
  }
  // An unweighted graph weighs each arc 1: Dijkstra gives BFS hop counts.
  const Graph g = build_csr(random_list(300, 900, false, false, 5));
  std::vector<double> dist(g.num_vertices());
  boost::dijkstra_shortest_paths(g, Vertex{0}, boost::distance_map(dist.data()));
  const auto hops = bgl_bfs(g, 0);
  for (std::uint64_t v = 0; v < g.num_vertices(); ++v)
    CHECK((hops[v] == kUnreached ? dist[v] == std::numeric_limits<double>::max()
                                 : dist[v] == static_cast<double>(hops[v])));
}

TEST_CASE("the adapter's traversal matches the CSR arrays", "[engine]") {
  const Graph g = build_csr(random_list(200, 1000, true, false, 9));
  std::uint64_t arcs = 0;
  const auto weight = get(boost::edge_weight, g);
  for (auto [v, vend] = vertices(g); v != vend; ++v) {
    const auto nbrs = g.out_neighbors(*v);
    REQUIRE(out_degree(*v, g) == nbrs.size());
    std::size_t k = 0;
    for (auto [e, eend] = out_edges(*v, g); e != eend; ++e, ++k) {
      CHECK(source(*e, g) == *v);
      CHECK(target(*e, g) == nbrs[k]);
      CHECK(get(weight, *e) == g.out_weights(*v)[k]);
      CHECK(get(boost::edge_index, g, *e) == arcs);
      ++arcs;
    }
    auto [a, aend] = adjacent_vertices(*v, g);
    CHECK(std::vector<Vertex>(a, aend) == std::vector<Vertex>(nbrs.begin(), nbrs.end()));
  }
  CHECK(arcs == g.num_arcs());
  CHECK(num_vertices(g) == 200);
  CHECK(num_edges(g) == g.num_arcs());
}

TEST_CASE("from_bgl converts adjacency_list graphs", "[engine]") {
  for (unsigned seed : {1u, 2u, 3u}) {
    const EdgeList list = random_list(150 * seed, 600 * seed, true, false, seed);

    // Directed, unweighted and weighted.
    Directed directed(list.num_vertices);
    WeightedDirected weighted(list.num_vertices);
    for (std::size_t i = 0; i < list.edges.size(); ++i) {
      boost::add_edge(list.edges[i].src, list.edges[i].dst, directed);
      boost::add_edge(list.edges[i].src, list.edges[i].dst, list.weights[i], weighted);
    }
    EdgeList plain = list;
    plain.weights.clear();
    CHECK(from_bgl(directed) == build_csr(plain));
    const Graph w = from_bgl(weighted, get(boost::edge_weight, weighted));
    CHECK(w == build_csr(list));
    CHECK(w.has_weights());

    // Undirected: a symmetric Graph with both arcs of every edge.
    Undirected undirected(list.num_vertices);
    for (const Edge& e : list.edges) boost::add_edge(e.src, e.dst, undirected);
    EdgeList sym = plain;
    sym.undirected = true;
    const Graph u = from_bgl(undirected);
    CHECK(u.is_symmetric());
    CHECK(u == build_csr(sym));

    // cascade::Graph -> adjacency_list (through the adapter) -> from_bgl: the same graph.
    const Graph g = build_csr(list);
    WeightedDirected copy(g.num_vertices());
    for (auto [v, vend] = vertices(g); v != vend; ++v)
      for (auto [e, eend] = out_edges(*v, g); e != eend; ++e)
        boost::add_edge(source(*e, g), target(*e, g), get(boost::edge_weight, g, *e), copy);
    CHECK(from_bgl(copy, get(boost::edge_weight, copy)) == g);
  }
  // Options pass through: keep self loops.
  Directed loops(3);
  boost::add_edge(1, 1, loops);
  boost::add_edge(0, 2, loops);
  BuildOptions keep;
  keep.drop_self_loops = false;
  CHECK(from_bgl(loops).num_arcs() == 1);
  CHECK(from_bgl(loops, keep).num_arcs() == 2);
}
