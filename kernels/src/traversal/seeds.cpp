#include "cascade/seeds.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include "cascade/error.hpp"
#include "cascade/io.hpp"
#include "cascade/random.hpp"
#include "traversal/frontier.hpp"

namespace cascade {

std::vector<Vertex> explicit_seeds(const Graph& g, const std::vector<Vertex>& ids) {
  std::vector<Vertex> out;
  std::unordered_set<Vertex> seen;
  for (Vertex v : ids) {
    detail::check_seed(v, g.num_vertices());
    if (seen.insert(v).second) out.push_back(v);
  }
  return out;
}

std::vector<Vertex> random_seeds(const Graph& g, std::uint64_t k, std::uint64_t master,
                                 std::uint64_t trial) {
  const std::uint64_t n = g.num_vertices();
  if (k > n)
    throw InvalidArgument("cannot pick " + std::to_string(k) + " seeds from " + std::to_string(n) +
                          " vertices");
  rng::Stream stream(master, rng::Purpose::kSeeds, trial);
  std::vector<Vertex> out;
  out.reserve(k);
  if (2 * k > n) {  // dense: partial Fisher-Yates over all ids
    std::vector<Vertex> all(n);
    for (std::uint64_t i = 0; i < n; ++i) all[i] = static_cast<Vertex>(i);
    for (std::uint64_t i = 0; i < k; ++i) std::swap(all[i], all[i + stream.next_below(n - i)]);
    all.resize(k);
    return all;
  }
  std::unordered_set<Vertex> seen;  // sparse: rejection
  while (out.size() < k) {
    const auto v = static_cast<Vertex>(stream.next_below(n));
    if (seen.insert(v).second) out.push_back(v);
  }
  return out;
}

std::vector<Vertex> top_degree_seeds(const Graph& g, std::uint64_t k) {
  const std::uint64_t n = g.num_vertices();
  if (k > n)
    throw InvalidArgument("cannot pick " + std::to_string(k) + " seeds from " + std::to_string(n) +
                          " vertices");
  // "Better" = larger degree, then smaller id. Keep a heap of the k best seen so far.
  auto better = [&g](Vertex a, Vertex b) {
    const auto da = g.out_degree(a), db = g.out_degree(b);
    return da != db ? da > db : a < b;
  };
  std::vector<Vertex> heap;
  heap.reserve(k + 1);
  for (std::uint64_t i = 0; i < n && k > 0; ++i) {
    const auto v = static_cast<Vertex>(i);
    if (heap.size() < k) {
      heap.push_back(v);
      std::push_heap(heap.begin(), heap.end(), better);
    } else if (better(v, heap.front())) {
      std::pop_heap(heap.begin(), heap.end(), better);
      heap.back() = v;
      std::push_heap(heap.begin(), heap.end(), better);
    }
  }
  std::sort(heap.begin(), heap.end(), better);
  return heap;
}

std::vector<Vertex> read_seed_file(const std::string& path, const Graph& g) {
  std::istringstream in(read_input_text(path));  // refuses devices, never waits on a FIFO
  std::vector<Vertex> ids;
  std::string line;
  for (std::uint64_t number = 1; std::getline(in, line); ++number) {
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    const auto last = line.find_last_not_of(" \t\r");
    const char* begin = line.data() + first;
    const char* end = line.data() + last + 1;
    std::uint64_t id = 0;
    const auto [ptr, ec] = std::from_chars(begin, end, id);
    if (ec != std::errc() || ptr != end)
      throw FileError(
          located(path, number, "expected one vertex id, got '" + std::string(begin, end) + "'"));
    if (id >= g.num_vertices())
      throw FileError(located(path, number,
                              "vertex " + std::to_string(id) + " is not < vertex count " +
                                  std::to_string(g.num_vertices())));
    ids.push_back(static_cast<Vertex>(id));
  }
  if (ids.empty()) throw FileError(located(path, 0, "no seed vertices in file"));
  return explicit_seeds(g, ids);
}

}  // namespace cascade
