#include "cascade/builder.hpp"

#include <cmath>
#include <string>

#include "cascade/error.hpp"
#include "csr_assembly.hpp"

namespace cascade {

Graph build_csr(const EdgeList& list, const BuildOptions& options) {
  const std::uint64_t n = list.num_vertices;
  if (n > kMaxVertices)
    throw InvalidArgument("vertex count " + std::to_string(n) + " exceeds the limit of " +
                          std::to_string(kMaxVertices));
  const std::uint64_t m = list.edges.size();
  if (list.has_weights() && list.weights.size() != m)
    throw InvalidArgument("edge list has " + std::to_string(list.weights.size()) +
                          " weights for " + std::to_string(m) + " edges");
  // Validate once up front so the parallel passes below never see a bad id or weight.
  for (std::uint64_t i = 0; i < m; ++i) {
    const Edge e = list.edges[i];
    if (e.src >= n || e.dst >= n)
      throw InvalidArgument("edge " + std::to_string(i) + " (" + std::to_string(e.src) + ", " +
                            std::to_string(e.dst) + ") has an id >= vertex count " +
                            std::to_string(n));
    if (list.has_weights() && !(list.weights[i] >= 0.0f && list.weights[i] <= 1.0f))
      throw InvalidArgument("edge " + std::to_string(i) + " has weight " +
                            std::to_string(list.weights[i]) + " outside [0, 1]");
  }

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
  return detail::assemble(n, m, produce, opt);
}

}  // namespace cascade
