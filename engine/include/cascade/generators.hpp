#pragma once
// Synthetic graph generators. Each is parallel (oneTBB) and a pure function of (seed, params):
// the same EdgeList for any thread count. Randomness is counter-based (rng::hash / rng::Stream of
// seed and edge index). All produce EdgeList::undirected = true unless `directed` is set, so
// build_csr() stores both arcs of each edge.
#include <cstdint>

#include "cascade/edge_list.hpp"

namespace cascade {

/// Erdos-Renyi G(n, m): exactly m distinct edges, no self loops, uniformly at random.
/// Undirected pairs when !directed (m <= n(n-1)/2), else ordered pairs.
EdgeList generate_erdos_renyi(std::uint64_t n, std::uint64_t m, std::uint64_t seed,
                              bool directed = false);

struct RmatParams {
  unsigned scale = 20;             ///< n = 2^scale
  unsigned edge_factor = 16;       ///< m = edge_factor * n generated edges (before cleaning)
  double a = 0.57, b = 0.19, c = 0.19;  ///< Graph500 quadrant probabilities; d = 1 - a - b - c
  bool permute = true;             ///< relabel vertices by a seeded random permutation
};
/// R-MAT / Kronecker (Graph500 parameters by default).
EdgeList generate_rmat(const RmatParams& params, std::uint64_t seed, bool directed = false);

/// Barabasi-Albert preferential attachment: each new vertex attaches `degree` edges to earlier
/// vertices with probability proportional to degree (the Batagelj-Brandes edge-copy model,
/// resolved in parallel after Sanders & Schulz). Mean degree about 2 * degree.
EdgeList generate_barabasi_albert(std::uint64_t n, std::uint64_t degree, std::uint64_t seed);

/// Watts-Strogatz small world: ring lattice where each vertex links to its k/2 nearest on each
/// side (k even), each edge's far end rewired with probability beta to a uniform vertex.
EdgeList generate_watts_strogatz(std::uint64_t n, std::uint64_t k, double beta,
                                 std::uint64_t seed);

/// Chung-Lu with power-law expected degrees: vertex i has weight ∝ (i + i0)^(-1/(gamma-1)),
/// scaled to mean degree `mean_degree`; m = n * mean_degree / 2 edges with endpoints drawn
/// proportionally to weight. gamma > 2.
EdgeList generate_chung_lu(std::uint64_t n, double mean_degree, double gamma, std::uint64_t seed);

}  // namespace cascade
