// Watts-Strogatz small world (Watts & Strogatz 1998).
//
// Edge e = u * (k/2) + (j - 1) is the lattice edge from u to its j-th neighbour clockwise,
// (u + j) mod n, for j = 1..k/2, so the ring has exactly n*k/2 edges and, since k < n, no two
// of them coincide. With probability beta the far end is rewired to a uniform vertex other than
// u. Edge e decides from its own stream (seed, e): the coin, then the new end. We keep the edge
// count exact and do not retry a rewired edge that duplicates another (a fraction of about k/n
// of them); build_csr() removes duplicates.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <string>

#include "cascade/error.hpp"
#include "cascade/generators.hpp"
#include "cascade/random.hpp"
#include "generator_common.hpp"

namespace cascade {

EdgeList generate_watts_strogatz(std::uint64_t n, std::uint64_t k, double beta,
                                 std::uint64_t seed) {
  if (n > kMaxVertices)
    throw InvalidArgument("watts_strogatz: n = " + std::to_string(n) +
                          " exceeds the vertex limit " + std::to_string(kMaxVertices));
  if (k % 2 != 0)
    throw InvalidArgument("watts_strogatz: k = " + std::to_string(k) + " must be even");
  if (k >= n && k > 0)
    throw InvalidArgument("watts_strogatz: k = " + std::to_string(k) +
                          " must be less than n = " + std::to_string(n));
  if (!(beta >= 0.0 && beta <= 1.0))
    throw InvalidArgument("watts_strogatz: beta = " + std::to_string(beta) + " is not in [0, 1]");

  const std::uint64_t half = k / 2;
  const std::uint64_t m = n * half;
  const std::uint64_t rewire = rng::threshold(beta);
  EdgeList list;
  list.num_vertices = n;
  list.undirected = true;
  detail::allocate_edges(list, m, "watts_strogatz");
  tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, m),
                    [&](const tbb::blocked_range<std::uint64_t>& range) {
                      for (std::uint64_t e = range.begin(); e < range.end(); ++e) {
                        const std::uint64_t u = e / half;
                        std::uint64_t v = (u + e % half + 1) % n;
                        if (rewire != 0) {
                          rng::Stream stream(seed, rng::Purpose::kGenerator, e);
                          if (rng::coin(stream.next(), rewire)) {
                            v = stream.next_below(n - 1);
                            v += v >= u;  // never u itself
                          }
                        }
                        list.edges[e] = {static_cast<Vertex>(u), static_cast<Vertex>(v)};
                      }
                    });
  return list;
}

}  // namespace cascade
