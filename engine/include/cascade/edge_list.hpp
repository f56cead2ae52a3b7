#pragma once
// EdgeList: the interchange form between readers/generators and build_csr().
#include <cstdint>
#include <memory>
#include <vector>

#include "cascade/labels.hpp"
#include "cascade/types.hpp"

namespace cascade {

struct Edge {
  Vertex src;
  Vertex dst;
  friend bool operator==(const Edge&, const Edge&) = default;
};

struct EdgeList {
  std::uint64_t num_vertices = 0;  ///< ids are < num_vertices (<= kMaxVertices)
  std::vector<Edge> edges;
  std::vector<float> weights;  ///< empty, or one probability in [0,1] per edge
  bool undirected = false;     ///< each edge stands for both directions (build symmetrizes)
  std::shared_ptr<const VertexLabels> labels;  ///< null, or one label per vertex (kept by build)

  bool has_weights() const { return !weights.empty(); }
};

}  // namespace cascade
