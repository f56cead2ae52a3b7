#pragma once
// Synthetic graph generators. Each is parallel (oneTBB) and a pure function of (seed, params):
// the same EdgeList for any thread count. Randomness is counter-based (rng::hash / rng::Stream of
// seed and edge index, Purpose::kGenerator). All produce EdgeList::undirected = true unless
// `directed` is set, so build_csr() stores both arcs of each edge, and num_vertices = n.
// Erdos-Renyi and Watts-Strogatz give exact edge counts; R-MAT, Barabasi-Albert and Chung-Lu
// are multigraph models whose lists may hold self loops and duplicates (build_csr() drops them).
// Impossible parameters throw InvalidArgument naming the value.
#include <cstdint>

#include "cascade/edge_list.hpp"

namespace cascade {

/// Erdos-Renyi G(n, m): exactly m distinct edges, no self loops, uniform over all such graphs.
/// Undirected pairs (src < dst) when !directed (m <= n(n-1)/2), else ordered pairs
/// (m <= n(n-1)). O(m log m) work, about 25 bytes per edge of scratch.
EdgeList generate_erdos_renyi(std::uint64_t n, std::uint64_t m, std::uint64_t seed,
                              bool directed = false);

struct RmatParams {
  unsigned scale = 20;                  ///< n = 2^scale, scale <= 31
  unsigned edge_factor = 16;            ///< m = edge_factor * n generated edges (before cleaning)
  double a = 0.57, b = 0.19, c = 0.19;  ///< Graph500 quadrant probabilities; d = 1 - a - b - c
  bool permute = true;                  ///< relabel vertices by a seeded pseudorandom permutation
};
/// R-MAT / Kronecker (Graph500 parameters by default, without Graph500's per-level noise):
/// exactly edge_factor * 2^scale edges, self loops and duplicates included. O(m * scale) work,
/// no scratch memory (the permutation is a keyed bijection computed per id).
EdgeList generate_rmat(const RmatParams& params, std::uint64_t seed, bool directed = false);

/// Barabasi-Albert preferential attachment: each new vertex attaches `degree` edges to earlier
/// vertices with probability proportional to degree (the Batagelj-Brandes edge-copy model,
/// resolved in parallel after Sanders & Schulz). Starts from a clique on vertices 0..degree, so
/// it has degree(degree+1)/2 + (n-degree-1)*degree edges and mean degree about 2 * degree;
/// rare self loops and duplicates included. Needs 1 <= degree < n. O(m) expected work.
EdgeList generate_barabasi_albert(std::uint64_t n, std::uint64_t degree, std::uint64_t seed);

/// Watts-Strogatz small world: ring lattice where each vertex links to its k/2 nearest on each
/// side (k even, k < n), each edge's far end rewired with probability beta in [0, 1] to a
/// uniform vertex other than its near end. Exactly n*k/2 edges (duplicates possible after
/// rewiring, never self loops). O(n k) work.
EdgeList generate_watts_strogatz(std::uint64_t n, std::uint64_t k, double beta, std::uint64_t seed);

/// Chung-Lu with power-law expected degrees: vertex i has weight ∝ (i + i0)^(-1/(gamma-1)),
/// scaled to mean degree `mean_degree`; m = round(n * mean_degree / 2) edges whose endpoints are
/// drawn independently proportionally to weight (self loops and duplicates included). The
/// offset i0 >= 1 is chosen so the largest expected degree is about sqrt(n * mean_degree), the
/// structural cutoff. gamma > 2. O(n + m) work (an alias table: 8 bytes per vertex, built
/// sequentially in O(n); 20 bytes per vertex while building).
EdgeList generate_chung_lu(std::uint64_t n, double mean_degree, double gamma, std::uint64_t seed);

}  // namespace cascade
