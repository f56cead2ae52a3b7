#pragma once
// Boost.Graph adapter (header-only): BGL algorithms run directly on a `const cascade::Graph&`,
// without copying it, and from_bgl() turns a BGL graph into a cascade::Graph.
//
//   cascade::Graph g = ...;
//   std::vector<std::uint64_t> dist(g.num_vertices());
//   boost::breadth_first_search(g, source, boost::visitor(boost::make_bfs_visitor(
//       boost::record_distances(dist.data(), boost::on_tree_edge()))));
//   boost::dijkstra_shortest_paths(g, source, boost::distance_map(d.data()));  // arc weights
//
// cascade::Graph models IncidenceGraph, AdjacencyGraph and VertexListGraph (directed, no
// parallel arcs). vertex_descriptor = Vertex; edge_descriptor = cascade::bgl::Arc {source, index
// of the arc in targets()}. Property maps: vertex_index (identity), edge_index (the arc's
// position) and edge_weight (the arc's probability; 1 on an unweighted graph), all read-only.
//
// This is the only cascade header that includes Boost, and the cascade CMake package does not
// link Boost: a program including it brings Boost itself, e.g.
//   find_package(Boost 1.74 REQUIRED)  ...  target_link_libraries(app cascade::cascade Boost::headers)
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <span>
#include <type_traits>
#include <utility>

#include <boost/graph/graph_traits.hpp>
#include <boost/graph/properties.hpp>
#include <boost/iterator/counting_iterator.hpp>
#include <boost/iterator/iterator_facade.hpp>
#include <boost/property_map/property_map.hpp>

#include "cascade/builder.hpp"
#include "cascade/edge_list.hpp"
#include "cascade/graph.hpp"
#include "cascade/types.hpp"

namespace cascade::bgl {

/// A BGL edge descriptor: the arc at position index of targets(), leaving source.
struct Arc {
  Vertex source = kNoVertex;
  Offset index = 0;
  friend bool operator==(const Arc&, const Arc&) = default;
};

/// Iterates the out-arcs of one vertex (random access over arc positions).
class OutArcIterator
    : public boost::iterator_facade<OutArcIterator, Arc, std::random_access_iterator_tag, Arc,
                                    std::ptrdiff_t> {
 public:
  OutArcIterator() = default;
  OutArcIterator(Vertex source, Offset index) : source_(source), index_(index) {}

 private:
  friend class boost::iterator_core_access;
  Arc dereference() const { return {source_, index_}; }
  bool equal(const OutArcIterator& other) const { return index_ == other.index_; }
  void increment() { ++index_; }
  void decrement() { --index_; }
  void advance(std::ptrdiff_t d) { index_ = static_cast<Offset>(static_cast<std::ptrdiff_t>(index_) + d); }
  std::ptrdiff_t distance_to(const OutArcIterator& other) const {
    return static_cast<std::ptrdiff_t>(other.index_) - static_cast<std::ptrdiff_t>(index_);
  }
  Vertex source_ = kNoVertex;
  Offset index_ = 0;
};

/// Read-only property map: the probability of an arc (1 when the graph has no weights).
class ArcWeightMap {
 public:
  using key_type = Arc;
  using value_type = float;
  using reference = float;
  using category = boost::readable_property_map_tag;

  ArcWeightMap() = default;
  explicit ArcWeightMap(const Graph& g) : weights_(g.weights()) {}
  float operator[](Arc e) const { return weights_.empty() ? 1.0f : weights_[e.index]; }
  friend float get(const ArcWeightMap& map, Arc e) { return map[e]; }

 private:
  std::span<const float> weights_;
};

/// Read-only property map: the position of an arc in targets() (dense, 0 .. num_arcs - 1).
struct ArcIndexMap {
  using key_type = Arc;
  using value_type = Offset;
  using reference = Offset;
  using category = boost::readable_property_map_tag;
  Offset operator[](Arc e) const { return e.index; }
  friend Offset get(const ArcIndexMap&, Arc e) { return e.index; }
};

}  // namespace cascade::bgl

namespace boost {

template <>
struct graph_traits<cascade::Graph> {
  using vertex_descriptor = cascade::Vertex;
  using edge_descriptor = cascade::bgl::Arc;
  using directed_category = directed_tag;
  using edge_parallel_category = disallow_parallel_edge_tag;
  struct traversal_category : incidence_graph_tag, adjacency_graph_tag, vertex_list_graph_tag {};
  using out_edge_iterator = cascade::bgl::OutArcIterator;
  using adjacency_iterator = const cascade::Vertex*;
  using vertex_iterator = counting_iterator<cascade::Vertex>;
  using degree_size_type = std::uint64_t;
  using vertices_size_type = std::uint64_t;
  using edges_size_type = std::uint64_t;
  using in_edge_iterator = void;  // not a BidirectionalGraph: use g.transpose() instead
  using edge_iterator = void;     // not an EdgeListGraph
  static vertex_descriptor null_vertex() { return cascade::kNoVertex; }
};
template <>
struct graph_traits<const cascade::Graph> : graph_traits<cascade::Graph> {};

template <>
struct property_map<cascade::Graph, vertex_index_t> {
  using type = typed_identity_property_map<cascade::Vertex>;
  using const_type = type;
};
template <>
struct property_map<const cascade::Graph, vertex_index_t>
    : property_map<cascade::Graph, vertex_index_t> {};

template <>
struct property_map<cascade::Graph, edge_weight_t> {
  using type = cascade::bgl::ArcWeightMap;
  using const_type = type;
};
template <>
struct property_map<const cascade::Graph, edge_weight_t>
    : property_map<cascade::Graph, edge_weight_t> {};

template <>
struct property_map<cascade::Graph, edge_index_t> {
  using type = cascade::bgl::ArcIndexMap;
  using const_type = type;
};
template <>
struct property_map<const cascade::Graph, edge_index_t>
    : property_map<cascade::Graph, edge_index_t> {};

}  // namespace boost

// The BGL free functions, found by argument-dependent lookup on cascade::Graph. All O(1).
namespace cascade {

inline std::pair<bgl::OutArcIterator, bgl::OutArcIterator> out_edges(Vertex u, const Graph& g) {
  return {bgl::OutArcIterator(u, g.offsets()[u]), bgl::OutArcIterator(u, g.offsets()[u + 1])};
}
inline std::uint64_t out_degree(Vertex u, const Graph& g) { return g.out_degree(u); }
inline Vertex source(bgl::Arc e, const Graph&) { return e.source; }
inline Vertex target(bgl::Arc e, const Graph& g) { return g.targets()[e.index]; }

inline std::pair<const Vertex*, const Vertex*> adjacent_vertices(Vertex u, const Graph& g) {
  const auto nbrs = g.out_neighbors(u);
  return {nbrs.data(), nbrs.data() + nbrs.size()};
}

inline std::pair<boost::counting_iterator<Vertex>, boost::counting_iterator<Vertex>> vertices(
    const Graph& g) {
  return {boost::counting_iterator<Vertex>(0),
          boost::counting_iterator<Vertex>(static_cast<Vertex>(g.num_vertices()))};
}
inline std::uint64_t num_vertices(const Graph& g) { return g.num_vertices(); }
inline std::uint64_t num_edges(const Graph& g) { return g.num_arcs(); }

inline boost::typed_identity_property_map<Vertex> get(boost::vertex_index_t, const Graph&) {
  return {};
}
inline Vertex get(boost::vertex_index_t, const Graph&, Vertex v) { return v; }
inline bgl::ArcWeightMap get(boost::edge_weight_t, const Graph& g) { return bgl::ArcWeightMap(g); }
inline float get(boost::edge_weight_t, const Graph& g, bgl::Arc e) {
  return bgl::ArcWeightMap(g)[e];
}
inline bgl::ArcIndexMap get(boost::edge_index_t, const Graph&) { return {}; }
inline Offset get(boost::edge_index_t, const Graph&, bgl::Arc e) { return e.index; }

/// Converts a BGL graph (an EdgeListGraph with a vertex_index map, e.g. any adjacency_list with
/// vecS vertices) into a Graph through build_csr(). An undirected BGL graph becomes a symmetric
/// Graph (both arcs of each edge). weight maps an edge descriptor to its probability in [0, 1].
/// O(V + E log d); throws InvalidArgument like build_csr() for a bad weight.
template <class BglGraph, class WeightMap>
Graph from_bgl(const BglGraph& g, WeightMap weight, const BuildOptions& options = {}) {
  EdgeList list;
  list.num_vertices = static_cast<std::uint64_t>(num_vertices(g));
  list.undirected = !boost::is_directed(g);
  const auto index = get(boost::vertex_index, g);
  for (auto [it, end] = edges(g); it != end; ++it) {
    list.edges.push_back({static_cast<Vertex>(get(index, source(*it, g))),
                          static_cast<Vertex>(get(index, target(*it, g)))});
    if constexpr (!std::is_same_v<WeightMap, std::nullptr_t>)
      list.weights.push_back(static_cast<float>(get(weight, *it)));
  }
  return build_csr(list, options);
}

/// Converts a BGL graph without weights (see above).
template <class BglGraph>
Graph from_bgl(const BglGraph& g, const BuildOptions& options = {}) {
  return from_bgl(g, nullptr, options);
}

}  // namespace cascade
