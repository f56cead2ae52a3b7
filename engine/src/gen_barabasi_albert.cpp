// Barabasi-Albert preferential attachment as the Batagelj-Brandes edge-copy model, resolved in
// parallel as in Sanders & Schulz, "Scalable generation of scale-free graphs" (IPL 2016).
//
// Lay the edges out as an array of 2m slots: edge i is (slot 2i, slot 2i+1). Slot 2i holds the
// vertex that created edge i; slot 2i+1 copies a uniformly random earlier slot r <= 2i. Every
// vertex occupies as many slots as its degree, so copying a uniform slot picks a vertex with
// probability proportional to its degree: preferential attachment (Batagelj & Brandes 2005).
//
// Sanders & Schulz observe that r = hash(seed, i) mod (2i + 1) is known without generating the
// earlier edges: an even r names its vertex directly, an odd r is another edge's copy, so we
// follow r until we land on an even slot. Each edge is thus a pure function of (seed, i), found
// after about two hashes on average, and all edges are generated independently in parallel.
//
// To keep the first vertices well defined the process starts from a clique on vertices
// 0..degree (edges listed as (u, v), u < v, v major); vertex degree + 1 + j then creates edges
// E0 + j*degree .. E0 + (j+1)*degree - 1. Copying one of the new vertex's own slots gives a self
// loop and copying the same vertex twice a duplicate; both are rare and build_csr() drops them.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cmath>
#include <string>

#include "cascade/error.hpp"
#include "cascade/generators.hpp"
#include "cascade/random.hpp"
#include "generator_common.hpp"

namespace cascade {
namespace {

struct BarabasiAlbert {
  std::uint64_t degree;
  std::uint64_t seed;
  std::uint64_t clique_edges;  // E0 = degree (degree + 1) / 2

  // Clique edge e = v(v-1)/2 + u with u < v.
  static Edge clique_edge(std::uint64_t e) {
    auto v =
        static_cast<std::uint64_t>((1.0 + std::sqrt(1.0 + 8.0 * static_cast<double>(e))) / 2.0);
    while (v * (v - 1) / 2 > e) --v;  // fix floating-point rounding
    while ((v + 1) * v / 2 <= e) ++v;
    return {static_cast<Vertex>(e - v * (v - 1) / 2), static_cast<Vertex>(v)};
  }

  // The vertex in slot 2i (the edge's creator).
  Vertex creator(std::uint64_t i) const {
    if (i < clique_edges) return clique_edge(i).src;
    return static_cast<Vertex>(degree + 1 + (i - clique_edges) / degree);
  }

  // The vertex in slot 2i + 1: follow random earlier slots until one holds a creator.
  Vertex target(std::uint64_t i) const {
    while (i >= clique_edges) {
      const std::uint64_t r = rng::below(rng::hash(seed, rng::Purpose::kGenerator, i), 2 * i + 1);
      if (r % 2 == 0) return creator(r / 2);
      i = r / 2;  // slot r = 2i' + 1: edge i's copy is edge i''s copy
    }
    return clique_edge(i).dst;
  }
};

}  // namespace

EdgeList generate_barabasi_albert(std::uint64_t n, std::uint64_t degree, std::uint64_t seed) {
  if (degree == 0) throw InvalidArgument("barabasi_albert: degree must be at least 1, got 0");
  if (n > kMaxVertices)
    throw InvalidArgument("barabasi_albert: n = " + std::to_string(n) +
                          " exceeds the vertex limit " + std::to_string(kMaxVertices));
  if (n <= degree)
    throw InvalidArgument("barabasi_albert: n = " + std::to_string(n) +
                          " must exceed degree = " + std::to_string(degree));

  const BarabasiAlbert model{degree, seed, degree * (degree + 1) / 2};
  const std::uint64_t m = model.clique_edges + (n - degree - 1) * degree;
  EdgeList list;
  list.num_vertices = n;
  list.undirected = true;
  detail::allocate_edges(list, m, "barabasi_albert");
  tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, m),
                    [&](const tbb::blocked_range<std::uint64_t>& range) {
                      for (std::uint64_t i = range.begin(); i < range.end(); ++i)
                        list.edges[i] = {model.creator(i), model.target(i)};
                    });
  return list;
}

}  // namespace cascade
