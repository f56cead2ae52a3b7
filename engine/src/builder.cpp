#include "cascade/builder.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "cascade/error.hpp"
#include "cascade/memory.hpp"
#include "csr_assembly.hpp"

namespace cascade {

Graph build_csr(const EdgeList& list, const BuildOptions& options) {
  const std::uint64_t n = list.num_vertices;
  if (n > kMaxVertices)
    throw InvalidArgument("vertex count " + std::to_string(n) + " exceeds the limit of " +
                          std::to_string(kMaxVertices));
  const std::uint64_t m = list.edges.size();
  if (list.has_weights() && list.weights.size() != m)
    throw InvalidArgument("edge list has " + std::to_string(list.weights.size()) + " weights for " +
                          std::to_string(m) + " edges");
  // Refuse up front what cannot fit (cascade/memory.hpp): n comes from a file header or a
  // caller and may be 2^32 - 1 with a handful of edges, which would mean 100 GiB of offsets.
  const bool symmetric = options.symmetrize || list.undirected;
  require_memory(
      build_csr_bytes(n, m, list.has_weights(), symmetric),
      "building a graph of " + std::to_string(n) + " vertices and " + std::to_string(m) + " edges");
  // Validate once up front (in parallel: it is a full pass over the edges) so the assembly never
  // sees a bad id or weight; report the first bad edge.
  const bool weighted = list.has_weights();
  const std::uint64_t bad = tbb::parallel_reduce(
      tbb::blocked_range<std::uint64_t>(0, m), m,
      [&](const tbb::blocked_range<std::uint64_t>& r, std::uint64_t first) {
        for (std::uint64_t i = r.begin(); i < r.end() && i < first; ++i) {
          const Edge e = list.edges[i];
          if (e.src >= n || e.dst >= n) return i;
          if (weighted && !(list.weights[i] >= 0.0f && list.weights[i] <= 1.0f)) return i;
        }
        return first;
      },
      [](std::uint64_t a, std::uint64_t b) { return std::min(a, b); });
  if (bad != m) {
    const Edge e = list.edges[bad];
    if (e.src >= n || e.dst >= n)
      throw InvalidArgument("edge " + std::to_string(bad) + " (" + std::to_string(e.src) + ", " +
                            std::to_string(e.dst) + ") has an id >= vertex count " +
                            std::to_string(n));
    throw InvalidArgument("edge " + std::to_string(bad) + " has weight " +
                          std::to_string(list.weights[bad]) + " outside [0, 1]");
  }

  if (list.labels && list.labels->size() != n)
    throw InvalidArgument("edge list has " + std::to_string(list.labels->size()) + " labels for " +
                          std::to_string(n) + " vertices");
  const bool symmetrize = options.symmetrize || list.undirected;
  detail::AssemblyOptions opt;
  opt.weighted = list.has_weights();
  opt.drop_self_loops = options.drop_self_loops;
  opt.drop_duplicates = options.drop_duplicates;
  opt.symmetric = symmetrize;
  auto produce = [&](std::uint64_t i, auto&& sink) {
    const Edge e = list.edges[i];
    const float w = list.has_weights() ? list.weights[i] : 1.0f;
    sink(e.src, e.dst, w);
    if (symmetrize) sink(e.dst, e.src, w);
  };
  return detail::assemble(n, m, produce, opt).with_labels(list.labels);
}

}  // namespace cascade
