// Embedding example: build a graph, pick seeds, run the independent cascade.
#include <cascade/builder.hpp>
#include <cascade/seeds.hpp>
#include <cstdio>

int main() {
  cascade::EdgeList edges;
  edges.num_vertices = 4;
  edges.undirected = true;
  edges.edges = {{0, 1}, {1, 2}, {2, 3}, {0, 3}, {1, 3}};
  const cascade::Graph g = cascade::build_csr(edges);
  const auto seeds = cascade::top_degree_seeds(g, 1);
  std::printf("vertices=%llu arcs=%llu top=%u\n",
              static_cast<unsigned long long>(g.num_vertices()),
              static_cast<unsigned long long>(g.num_arcs()), seeds.at(0));
  return g.num_arcs() == 10 && seeds[0] == 1 ? 0 : 1;
}
