// Erdos-Renyi G(n, m) with exactly m distinct edges.
//
// Think of an endless sequence of uniformly random vertex pairs, pair j drawn from
// hash(seed, j). The first m DISTINCT pairs of that sequence form a uniform random m-subset of
// all pairs (sampling without replacement), and the sequence does not depend on threads. We
// compute them in parallel: draw a batch of candidates by index, sort by (pair, index) so the
// first of each run of equal pairs is its first appearance, top up with more indices if fewer
// than m pairs are distinct, and finally take the m distinct pairs with the lowest first index
// (a flag per index and a prefix count).
//
// When m is more than half of all pairs the candidate count would blow up (coupon collector),
// so we draw the complement instead: the P - m pairs to leave out, then list every other pair.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <new>
#include <string>
#include <vector>

#include "cascade/error.hpp"
#include "cascade/generators.hpp"
#include "cascade/memory.hpp"
#include "cascade/random.hpp"

namespace cascade {
namespace {

// A pair as one sortable key: src in the high half, dst in the low half.
constexpr std::uint64_t pair_key(std::uint64_t u, std::uint64_t v) { return (u << 32) | v; }
constexpr Edge key_edge(std::uint64_t key) {
  return {static_cast<Vertex>(key >> 32), static_cast<Vertex>(key & 0xffffffffULL)};
}

struct Candidate {
  std::uint64_t key;    // the pair
  std::uint64_t index;  // its position in the candidate sequence
  friend bool operator<(const Candidate& x, const Candidate& y) {
    return x.key != y.key ? x.key < y.key : x.index < y.index;
  }
};

struct PairSpace {
  std::uint64_t n;
  bool directed;
  std::uint64_t size() const { return directed ? n * (n - 1) : n * (n - 1) / 2; }
  // Candidate j: a uniform ordered pair u != v (n(n-1) choices), normalised to u < v when
  // undirected -- each unordered pair then has probability 2 / (n(n-1)), still uniform.
  std::uint64_t draw(std::uint64_t seed, std::uint64_t j) const {
    const std::uint64_t p = rng::below(rng::hash(seed, rng::Purpose::kGenerator, j), n * (n - 1));
    const std::uint64_t u = p / (n - 1);
    std::uint64_t v = p % (n - 1);
    v += v >= u;  // skip the self loop
    return directed || u < v ? pair_key(u, v) : pair_key(v, u);
  }
};

// The first k distinct pairs of the candidate sequence, in order of first appearance. Needs
// k <= pairs.size() / 2 so the expected candidate count stays below 1.39 k.
std::vector<Edge> first_distinct(const PairSpace& pairs, std::uint64_t k, std::uint64_t seed) {
  const double total = static_cast<double>(pairs.size());
  std::vector<Candidate> pool;  // all candidates drawn so far, sorted by (pair, index)
  // The first of a run of equal pairs is that pair's first appearance.
  auto is_first = [&](std::size_t i) { return i == 0 || pool[i].key != pool[i - 1].key; };
  std::uint64_t distinct = 0;
  while (distinct < k) {
    // Expected draws to grow from d to k distinct pairs: P ln((P - d) / (P - k)); add slack so a
    // top-up is rare. The batch size only affects speed: the result is the same whatever it is.
    const double expect = total * (std::log1p(-static_cast<double>(distinct) / total) -
                                   std::log1p(-static_cast<double>(k) / total));
    const auto batch = static_cast<std::uint64_t>(std::ceil(expect + 4.0 * std::sqrt(expect))) + 64;
    const std::uint64_t drawn = pool.size();
    pool.resize(drawn + batch);
    tbb::parallel_for(std::uint64_t{0}, batch, [&](std::uint64_t i) {
      pool[drawn + i] = {pairs.draw(seed, drawn + i), drawn + i};
    });
    tbb::parallel_sort(pool.begin(), pool.end());
    distinct = tbb::parallel_reduce(
        tbb::blocked_range<std::size_t>(0, pool.size()), std::uint64_t{0},
        [&](const tbb::blocked_range<std::size_t>& r, std::uint64_t count) {
          for (std::size_t i = r.begin(); i < r.end(); ++i) count += is_first(i);
          return count;
        },
        std::plus<>());
  }

  // Flag each pair's first appearance, then keep the first k flagged candidates in index order:
  // a blocked count and scan instead of a second sort.
  const std::uint64_t drawn = pool.size();
  std::vector<std::uint8_t> first(drawn, 0);
  tbb::parallel_for(std::size_t{0}, pool.size(), [&](std::size_t i) {
    if (is_first(i)) first[pool[i].index] = 1;
  });
  pool = {};
  constexpr std::uint64_t kBlock = 1 << 16;
  const std::uint64_t blocks = (drawn + kBlock - 1) / kBlock;
  std::vector<std::uint64_t> start(blocks + 1, 0);
  tbb::parallel_for(std::uint64_t{0}, blocks, [&](std::uint64_t b) {
    for (std::uint64_t j = b * kBlock; j < std::min(drawn, (b + 1) * kBlock); ++j)
      start[b + 1] += first[j];
  });
  for (std::uint64_t b = 0; b < blocks; ++b) start[b + 1] += start[b];
  std::vector<Edge> chosen(k);
  tbb::parallel_for(std::uint64_t{0}, blocks, [&](std::uint64_t b) {
    std::uint64_t out = start[b];
    for (std::uint64_t j = b * kBlock; j < std::min(drawn, (b + 1) * kBlock) && out < k; ++j)
      if (first[j]) chosen[out++] = key_edge(pairs.draw(seed, j));
  });
  return chosen;
}

// Every pair except the sorted keys in `excluded`, in key order. Parallel over the first vertex:
// u's kept pairs start at (pairs before u) - (excluded pairs before u).
std::vector<Edge> all_pairs_except(const PairSpace& pairs,
                                   const std::vector<std::uint64_t>& excluded) {
  const std::uint64_t n = pairs.n;
  std::vector<Edge> edges(pairs.size() - excluded.size());
  tbb::parallel_for(std::uint64_t{0}, n, [&](std::uint64_t u) {
    const std::uint64_t first_v = pairs.directed ? 0 : u + 1;
    const std::uint64_t before = pairs.directed ? u * (n - 1) : u * (n - 1) - u * (u - 1) / 2;
    auto skip = std::lower_bound(excluded.begin(), excluded.end(), pair_key(u, 0));
    std::uint64_t out = before - static_cast<std::uint64_t>(skip - excluded.begin());
    for (std::uint64_t v = first_v; v < n; ++v) {
      if (v == u) continue;
      if (skip != excluded.end() && *skip == pair_key(u, v)) {
        ++skip;
        continue;
      }
      edges[out++] = {static_cast<Vertex>(u), static_cast<Vertex>(v)};
    }
  });
  return edges;
}

}  // namespace

EdgeList generate_erdos_renyi(std::uint64_t n, std::uint64_t m, std::uint64_t seed, bool directed) {
  if (n > kMaxVertices)
    throw InvalidArgument("erdos_renyi: n = " + std::to_string(n) + " exceeds the vertex limit " +
                          std::to_string(kMaxVertices));
  const PairSpace pairs{n, directed};
  const std::uint64_t max_pairs = n < 2 ? 0 : pairs.size();
  if (m > max_pairs)
    throw InvalidArgument("erdos_renyi: m = " + std::to_string(m) + " exceeds the " +
                          std::to_string(max_pairs) + (directed ? " ordered" : " unordered") +
                          " pairs of n = " + std::to_string(n) + " vertices");
  EdgeList list;
  list.num_vertices = n;
  list.undirected = !directed;
  if (m == 0) return list;

  // About 25-32 bytes of scratch per edge (candidates and the list): refuse up front what cannot
  // fit (cascade/memory.hpp) rather than count on bad_alloc, which overcommit may never raise.
  const double need =
      8.0 * static_cast<double>(m) + 24.0 * static_cast<double>(std::min(m, max_pairs - m));
  require_memory(need >= 0x1p64 ? ~std::uint64_t{0} : static_cast<std::uint64_t>(need),
                 "erdos_renyi: " + std::to_string(m) + " edges");
  try {
    if (m <= max_pairs / 2) {
      list.edges = first_distinct(pairs, m, seed);
    } else {
      // Dense: a uniform (P - m)-subset left out leaves a uniform m-subset.
      const std::vector<Edge> left_out = first_distinct(pairs, max_pairs - m, seed);
      std::vector<std::uint64_t> excluded(left_out.size());
      tbb::parallel_for(std::size_t{0}, left_out.size(), [&](std::size_t i) {
        excluded[i] = pair_key(left_out[i].src, left_out[i].dst);
      });
      tbb::parallel_sort(excluded.begin(), excluded.end());
      list.edges = all_pairs_except(pairs, excluded);
    }
  } catch (const std::bad_alloc&) {
    throw ResourceError("erdos_renyi: m = " + std::to_string(m) + " edges need about " +
                        std::to_string(m / ((std::uint64_t{1} << 20) / 32)) +
                        " MiB of scratch, more than is available");
  }
  return list;
}

}  // namespace cascade
