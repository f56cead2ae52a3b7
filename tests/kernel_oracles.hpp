#pragma once
// Independent oracles for the cascade kernels' tests: Boost.Graph BFS, exact expected spreads by
// enumerating live-edge worlds, and a way to run code with exactly k threads.
#include <tbb/task_arena.h>

#include <algorithm>
#include <array>
#include <bit>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/visitors.hpp>
#include <boost/pending/queue.hpp>
#include <cstdint>
#include <functional>
#include <random>
#include <vector>

#include "cascade/builder.hpp"
#include "cascade/cascade.hpp"
#include "cascade/graph.hpp"
#include "cascade/parallel.hpp"

namespace cascade::testing {

/// Runs fn with exactly `threads` threads (a ThreadLimit raises the global cap, an arena of that
/// size makes TBB use it even on a machine with fewer cores).
template <class Fn>
auto with_threads(std::size_t threads, Fn&& fn) {
  ThreadLimit limit(threads);
  tbb::task_arena arena(static_cast<int>(threads));
  return arena.execute(std::forward<Fn>(fn));
}

/// m random arcs on n vertices (self loops and duplicates possible; the builder drops them).
inline EdgeList random_edge_list(std::uint64_t n, std::uint64_t m, unsigned seed, bool weighted,
                                 bool undirected = false) {
  std::mt19937_64 gen(seed);
  std::uniform_int_distribution<Vertex> pick(0, static_cast<Vertex>(n - 1));
  std::uniform_real_distribution<float> weight(0.0f, 1.0f);
  EdgeList list;
  list.num_vertices = n;
  list.undirected = undirected;
  for (std::uint64_t i = 0; i < m; ++i) {
    list.edges.push_back({pick(gen), pick(gen)});
    if (weighted) list.weights.push_back(weight(gen));
  }
  return list;
}

/// Builds a graph from (u, v) pairs; weights optional.
inline Graph make_graph(std::uint64_t n, const std::vector<Edge>& edges,
                        const std::vector<float>& weights = {}, bool undirected = false) {
  EdgeList list;
  list.num_vertices = n;
  list.edges = edges;
  list.weights = weights;
  list.undirected = undirected;
  return build_csr(list);
}

/// Multi-source BFS distances with Boost.Graph over the arcs of g for which keep(u, v, k) holds
/// (k = index of the arc in u's out-arcs). kUnreached where not reachable.
inline std::vector<std::uint32_t> boost_bfs(
    const Graph& g, const std::vector<Vertex>& seeds,
    const std::function<bool(Vertex, Vertex, std::size_t)>& keep) {
  using BG = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
  BG bg(g.num_vertices());
  for (Vertex u = 0; u < g.num_vertices(); ++u) {
    const auto targets = g.out_neighbors(u);
    for (std::size_t k = 0; k < targets.size(); ++k)
      if (keep(u, targets[k], k)) boost::add_edge(u, targets[k], bg);
  }
  std::vector<std::uint32_t> dist(g.num_vertices(), kUnreached);
  std::vector<boost::default_color_type> color(g.num_vertices(), boost::white_color);
  auto index = boost::get(boost::vertex_index, bg);
  auto dist_map = boost::make_iterator_property_map(dist.begin(), index);
  auto color_map = boost::make_iterator_property_map(color.begin(), index);
  for (Vertex s : seeds) dist[s] = 0;
  boost::queue<BG::vertex_descriptor> queue;
  boost::breadth_first_visit(
      bg, seeds.begin(), seeds.end(), queue,
      boost::make_bfs_visitor(boost::record_distances(dist_map, boost::on_tree_edge())), color_map);
  return dist;
}

/// The Cascade fields implied by activation steps and the kernel's recruiter rule: order (by
/// step, then id), per_step and arcs_examined; recruiter[v] = smallest u with is_recruiter(u, v).
inline Cascade cascade_from_steps(const Graph& g, const std::vector<std::uint32_t>& step,
                                  const std::function<bool(Vertex, Vertex)>& is_recruiter) {
  Cascade c;
  c.step = step;
  c.recruiter.assign(g.num_vertices(), kNoVertex);
  const Graph& in = g.transpose();
  std::uint32_t last = 0;
  for (Vertex v = 0; v < g.num_vertices(); ++v) {
    if (step[v] == kUnreached) continue;
    last = std::max(last, step[v]);
    c.arcs_examined += g.out_degree(v);
    if (step[v] > 0)
      for (Vertex u : in.out_neighbors(v))
        if (is_recruiter(u, v)) {
          c.recruiter[v] = u;
          break;
        }
  }
  c.per_step.assign(last + 1, 0);
  for (std::uint32_t s = 0; s <= last; ++s)
    for (Vertex v = 0; v < g.num_vertices(); ++v)
      if (step[v] == s) {
        c.order.push_back(v);
        ++c.per_step[s];
      }
  return c;
}

/// A live-edge world model on a small graph: a list of independent choices, each picking one
/// of several arc sets with given probabilities (IC: per arc {dead, live}; LT triggering: per
/// vertex one in-arc or none). Returns the expected number of vertices reachable from each seed
/// set, averaged over the seed sets. Exhaustive: product of the choice counts worlds.
struct Choice {
  std::vector<double> probability;                           // of each option
  std::vector<std::vector<std::pair<Vertex, Vertex>>> arcs;  // live arcs of each option
};

inline double exact_spread(std::uint64_t n, const std::vector<Choice>& choices,
                           const std::vector<std::vector<Vertex>>& seed_sets) {
  std::vector<std::size_t> pick(choices.size(), 0);
  double expected = 0.0;
  while (true) {
    double p = 1.0;
    std::array<std::uint32_t, 32> adj{};  // bit w of adj[u]: live arc u->w (n <= 32)
    for (std::size_t c = 0; c < choices.size(); ++c) {
      p *= choices[c].probability[pick[c]];
      for (auto [u, v] : choices[c].arcs[pick[c]]) adj[u] |= 1u << v;
    }
    if (p > 0.0) {
      // Transitive closure (Warshall on bitmasks): reach[v] = vertices reachable from v.
      std::array<std::uint32_t, 32> reach{};
      for (std::uint64_t v = 0; v < n; ++v) reach[v] = adj[v] | (1u << v);
      for (std::uint64_t k = 0; k < n; ++k)
        for (std::uint64_t i = 0; i < n; ++i)
          if (reach[i] >> k & 1) reach[i] |= reach[k];
      double total = 0.0;
      for (const auto& seeds : seed_sets) {
        std::uint32_t r = 0;
        for (Vertex s : seeds) r |= reach[s];
        total += std::popcount(r);
      }
      expected += p * total / static_cast<double>(seed_sets.size());
    }
    std::size_t c = 0;  // next world: odometer over the choices
    while (c < choices.size() && ++pick[c] == choices[c].probability.size()) pick[c++] = 0;
    if (c == choices.size()) break;
  }
  return expected;
}

/// All single-vertex seed sets {0}, {1}, ..., {n-1} (what SeedSpec::random(1) averages over).
inline std::vector<std::vector<Vertex>> every_single_seed(std::uint64_t n) {
  std::vector<std::vector<Vertex>> sets;
  for (Vertex v = 0; v < n; ++v) sets.push_back({v});
  return sets;
}

}  // namespace cascade::testing
