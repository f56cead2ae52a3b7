#pragma once
// build_csr(): EdgeList -> Graph, in parallel (oneTBB): degree count, prefix sum, scatter,
// per-vertex sort and clean-up. Peak memory beyond the edge list: about twice the final CSR.
#include "cascade/edge_list.hpp"
#include "cascade/graph.hpp"

namespace cascade {

struct BuildOptions {
  bool symmetrize = false;         ///< add v->u for every u->v (also implied by EdgeList::undirected)
  bool drop_self_loops = true;     ///< remove u->u
  bool drop_duplicates = true;     ///< keep one u->v; among duplicates the LARGEST weight is kept
                                   ///< (order independent, so the result is thread-count independent)
};

/// Builds the CSR graph. Throws InvalidArgument when an id is >= num_vertices, num_vertices
/// exceeds kMaxVertices, or a weight is not in [0, 1]. O(m log d) work, parallel.
Graph build_csr(const EdgeList& edges, const BuildOptions& options = {});

}  // namespace cascade
