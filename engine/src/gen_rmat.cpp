// R-MAT / Kronecker generator (Chakrabarti, Zhan & Faloutsos 2004; Graph500 parameters).
//
// Edge e descends `scale` levels of the adjacency matrix; at each level it picks one quadrant
// -- a (top left), b (top right), c (bottom left), d = 1 - a - b - c -- which fixes one bit of
// the source and one of the target. Edge e owns the counter-based stream (seed, e) and spends 32
// random bits per level, two levels per 64-bit draw, so each edge is independent of every other
// and of the thread that computes it.
//
// As in Graph500 the vertex ids are then relabelled by a seeded random permutation, so that the
// high-degree vertices are not the low ids; the permutation ranks the vertices by a hash of
// their id (a parallel sort).
#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include "cascade/error.hpp"
#include "cascade/generators.hpp"
#include "cascade/random.hpp"
#include "generator_common.hpp"

namespace cascade {
namespace {

constexpr unsigned kMaxScale = 31;

// A seeded random permutation of [0, n): perm[id] = rank of hash(seed, id) (ties, which need a
// 64-bit collision, broken by id).
std::vector<Vertex> random_permutation(std::uint64_t n, std::uint64_t seed) {
  std::vector<std::pair<std::uint64_t, Vertex>> order(n);
  tbb::parallel_for(std::uint64_t{0}, n, [&](std::uint64_t i) {
    order[i] = {rng::hash(seed, rng::Purpose::kPermutation, i), static_cast<Vertex>(i)};
  });
  tbb::parallel_sort(order.begin(), order.end());
  std::vector<Vertex> perm(n);
  tbb::parallel_for(std::uint64_t{0}, n,
                    [&](std::uint64_t r) { perm[order[r].second] = static_cast<Vertex>(r); });
  return perm;
}

}  // namespace

EdgeList generate_rmat(const RmatParams& params, std::uint64_t seed, bool directed) {
  const double a = params.a, b = params.b, c = params.c;
  for (auto [name, p] : {std::pair{"a", a}, std::pair{"b", b}, std::pair{"c", c}})
    if (!(p >= 0.0 && p <= 1.0))
      throw InvalidArgument(std::string("rmat: probability ") + name + " = " + std::to_string(p) +
                            " is not in [0, 1]");
  if (a + b + c > 1.0 + 1e-12)
    throw InvalidArgument("rmat: a + b + c = " + std::to_string(a + b + c) + " exceeds 1");
  if (params.scale > kMaxScale)
    throw InvalidArgument("rmat: scale " + std::to_string(params.scale) + " exceeds " +
                          std::to_string(kMaxScale));

  const unsigned scale = params.scale;
  const std::uint64_t n = std::uint64_t{1} << scale;
  const std::uint64_t m = n * params.edge_factor;

  // Cumulative quadrant thresholds on 32 bits: x < ta -> a, < tab -> b, < tabc -> c, else d.
  auto fixed = [](double p) {
    return static_cast<std::uint64_t>(std::min(p, 1.0) * 4294967296.0);  // p * 2^32
  };
  const std::uint64_t ta = fixed(a), tab = fixed(a + b), tabc = fixed(a + b + c);

  // The permutation comes first so the edge pass writes final ids in one sweep.
  const bool permute = params.permute && n > 1;
  const std::vector<Vertex> perm = permute ? random_permutation(n, seed) : std::vector<Vertex>{};

  EdgeList list;
  list.num_vertices = n;
  list.undirected = !directed;
  detail::allocate_edges(list, m, "rmat");
  tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, m),
                    [&](const tbb::blocked_range<std::uint64_t>& range) {
                      for (std::uint64_t e = range.begin(); e < range.end(); ++e) {
                        rng::Stream stream(seed, rng::Purpose::kGenerator, e);
                        std::uint64_t u = 0, v = 0, bits = 0;
                        for (unsigned level = 0; level < scale; ++level) {
                          if (level % 2 == 0) bits = stream.next();
                          const std::uint64_t x = bits & 0xffffffffULL;
                          bits >>= 32;
                          // Quadrant c or d sets the source bit, b or d the target bit.
                          const std::uint64_t bu = x >= tab;
                          const std::uint64_t bv = (x >= ta) ^ bu ^ (x >= tabc);
                          u = (u << 1) | bu;
                          v = (v << 1) | bv;
                        }
                        list.edges[e] = permute ? Edge{perm[u], perm[v]}
                                                : Edge{static_cast<Vertex>(u), static_cast<Vertex>(v)};
                      }
                    });
  return list;
}

}  // namespace cascade
