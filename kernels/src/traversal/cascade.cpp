#include "cascade/cascade.hpp"

#include <algorithm>
#include <string>

#include "traversal/frontier.hpp"

namespace cascade {

std::vector<Vertex> sorted_seeds(const Graph& g, std::span<const Vertex> seeds) {
  std::vector<Vertex> out(seeds.begin(), seeds.end());
  for (Vertex v : out) detail::check_seed(v, g.num_vertices());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace cascade
