#pragma once
// Synthetic graph generators. Each is parallel (oneTBB) and a pure function of (seed, params):
// the same EdgeList for any thread count. Randomness is counter-based (rng::hash / rng::Stream of
// seed and edge index, Purpose::kGenerator). All produce EdgeList::undirected = true unless
// `directed` is set, so build_csr() stores both arcs of each edge, and num_vertices = n.
// Erdos-Renyi and Watts-Strogatz give exact edge counts; R-MAT, Barabasi-Albert and Chung-Lu
// are multigraph models whose lists may hold self loops and duplicates (build_csr() drops them).
// Impossible parameters throw InvalidArgument naming the value.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

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

// ---- The registry: every generator by name ---------------------------------------------------
//
// One vocabulary for the command line, Python and scenario files: a canonical short name (rmat,
// er, ba, ws, chunglu) and aliases (the scenario files' long names erdos-renyi, barabasi-albert,
// watts-strogatz, chung-lu among them), and one meaning of each parameter.

/// A generator and all its parameters; fields a model does not use are ignored.
struct GeneratorSpec {
  std::string model = "rmat";         ///< a name or alias of generator_registry()
  std::uint64_t vertices = 1u << 20;  ///< er, ba, ws, chunglu: n
  /// 0: the model's default_degree. er: mean degree (after symmetrizing; directed: out-degree),
  /// ba: edges per new vertex (whole), ws: ring neighbours k (even, whole), chunglu: mean degree.
  double degree = 0.0;
  std::uint64_t edges = 0;  ///< er: the exact number of edges instead of degree (0: from degree)
  RmatParams rmat;          ///< rmat: scale, edge factor, quadrant probabilities, permutation
  double beta = 0.1;        ///< ws: rewiring probability
  double gamma = 2.5;       ///< chunglu: power-law exponent of the degrees (> 2)
  bool directed = false;    ///< store each generated edge as one arc (EdgeList::undirected false)
};

struct GeneratorInfo {
  std::string_view name;           ///< canonical: rmat, er, ba, ws, chunglu
  std::string_view scenario_name;  ///< its name in scenario files (rmat, erdos-renyi, ...)
  std::span<const std::string_view> aliases;  ///< every other accepted name
  double default_degree;                      ///< GeneratorSpec::degree when 0 (rmat: unused)
  std::string_view summary;                   ///< one line: the model and what degree means
};

/// The generators, in a fixed order (rmat, er, ba, ws, chunglu).
std::span<const GeneratorInfo> generator_registry();

/// The entry of a name or alias; InvalidArgument "unknown generator 'x': expected rmat, er, ba,
/// ws or chunglu" otherwise. O(aliases).
const GeneratorInfo& find_generator(std::string_view name);

/// Runs the generator of spec.model with `seed`: the same EdgeList as calling it directly (er:
/// m = edges, or round(n * degree / 2), n * degree directed). InvalidArgument naming the
/// parameter for impossible values (a ba / ws degree that is not a whole number >= 1, ...).
EdgeList generate(const GeneratorSpec& spec, std::uint64_t seed);

}  // namespace cascade
