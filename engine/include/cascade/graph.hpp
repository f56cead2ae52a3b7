#pragma once
// Graph: an immutable directed graph in compressed-sparse-row form.
//
//   offsets[u] .. offsets[u+1]  index the out-arcs of u in targets (and weights, if present);
//   targets of one vertex are sorted ascending, without self loops or duplicates by default.
//
// The arrays are either owned (built in memory) or borrowed from a loaded .csr file (its private
// copy, or its mapping when loaded as trusted);
// copies of a Graph share them. The transpose (in-arcs) is built on first use and shared too;
// a symmetric graph is its own transpose and costs nothing extra.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "cascade/types.hpp"

namespace cascade {
class VertexLabels;
}

namespace cascade {

class Graph {
 public:
  /// The empty graph (0 vertices).
  Graph();

  /// Takes ownership of CSR arrays. offsets has n+1 entries, offsets[0] == 0, nondecreasing,
  /// offsets[n] == targets.size(); weights is empty or has one probability per arc.
  /// symmetric promises that u->v exists iff v->u does with the same weight. Validates: O(n + m).
  Graph(std::vector<Offset> offsets, std::vector<Vertex> targets, std::vector<float> weights = {},
        bool symmetric = false);

  /// Borrows CSR arrays kept alive by owner (e.g. a memory map). Validates like the owning
  /// constructor unless trusted is true.
  Graph(std::span<const Offset> offsets, std::span<const Vertex> targets,
        std::span<const float> weights, bool symmetric, std::shared_ptr<const void> owner,
        bool trusted = false);

  std::uint64_t num_vertices() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  std::uint64_t num_arcs() const { return targets_.size(); }
  bool has_weights() const { return !weights_.empty(); }
  bool is_symmetric() const { return symmetric_; }

  std::uint64_t out_degree(Vertex u) const { return offsets_[u + 1] - offsets_[u]; }
  /// Out-neighbours of u, sorted ascending. O(1).
  std::span<const Vertex> out_neighbors(Vertex u) const {
    return targets_.subspan(offsets_[u], offsets_[u + 1] - offsets_[u]);
  }
  /// Per-arc probabilities aligned with out_neighbors(u); empty when the graph is unweighted.
  std::span<const float> out_weights(Vertex u) const {
    return weights_.empty() ? weights_
                            : weights_.subspan(offsets_[u], offsets_[u + 1] - offsets_[u]);
  }

  /// The reverse graph (arc v->u for each u->v, same weights). Built in parallel on first call,
  /// O(n + m) time and memory, thread-safe; a symmetric graph returns itself.
  const Graph& transpose() const;
  std::uint64_t in_degree(Vertex v) const { return transpose().out_degree(v); }
  std::span<const Vertex> in_neighbors(Vertex v) const { return transpose().out_neighbors(v); }
  std::span<const float> in_weights(Vertex v) const { return transpose().out_weights(v); }

  /// Raw arrays, e.g. for serialisation.
  std::span<const Offset> offsets() const { return offsets_; }
  std::span<const Vertex> targets() const { return targets_; }
  std::span<const float> weights() const { return weights_; }

  /// Vertex labels (string node ids read from GraphML, GML, Pajek or CSV; cascade/labels.hpp),
  /// null when the vertices are known by their ids only.
  const std::shared_ptr<const VertexLabels>& labels() const { return labels_; }
  bool has_labels() const { return labels_ != nullptr; }
  /// This graph (sharing its arrays and transpose) with labels attached, or removed when null.
  /// Throws InvalidArgument when labels has not one entry per vertex. O(1).
  Graph with_labels(std::shared_ptr<const VertexLabels> labels) const;

  /// Bytes held by the CSR arrays (offsets + targets + weights), not counting a transpose.
  std::uint64_t csr_bytes() const;

  /// True when both graphs have the same vertices, arcs, weights and symmetry flag (labels are
  /// not compared: see same_labels()).
  friend bool operator==(const Graph& a, const Graph& b);

 private:
  struct Shared;
  void validate() const;

  std::span<const Offset> offsets_;
  std::span<const Vertex> targets_;
  std::span<const float> weights_;
  bool symmetric_ = false;
  std::shared_ptr<Shared> shared_;  // owned storage + lazily built transpose
  std::shared_ptr<const VertexLabels> labels_;
};

/// True when both graphs have no labels, or equal ones. O(n).
bool same_labels(const Graph& a, const Graph& b);

}  // namespace cascade
