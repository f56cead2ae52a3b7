#pragma once
// Internal: the traversal core of the level-synchronous kernels (IC in ic.cpp, LT in lt.cpp):
// seed validation, the arc-weight lookup, the sparse (sorted list) and dense (bitmap) forms of
// a frontier and the switch between them, the per-thread buffers of a parallel push step and
// their deterministic merge, and the epoch-stamped seed loop of the sequential trial kernels.
// Each piece is the code both kernels had, unchanged, so their results stay bit-identical.
// (The fused IC batch and the delta-stepping timed kernel keep their own specialisations.)
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "cascade/cascade.hpp"
#include "cascade/error.hpp"
#include "cascade/graph.hpp"

namespace cascade::detail {

/// Throws InvalidArgument "seed vertex v is not < vertex count n" unless v < n. O(1).
inline void check_seed(std::uint64_t v, std::uint64_t n) {
  if (v >= n)
    throw InvalidArgument("seed vertex " + std::to_string(v) + " is not < vertex count " +
                          std::to_string(n));
}

/// The weight of the k-th arc of a vertex (0 when the graph has no weights).
inline float weight_at(std::span<const float> weights, std::size_t k) {
  return weights.empty() ? 0.0f : weights[k];
}

/// Sum of the out-degrees of the vertices (the arcs a push step from them tries).
inline std::uint64_t sum_out_degrees(const Graph& g, const std::vector<Vertex>& vertices) {
  return tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, vertices.size(), 1024), std::uint64_t{0},
      [&](const tbb::blocked_range<std::size_t>& r, std::uint64_t sum) {
        for (std::size_t i = r.begin(); i < r.end(); ++i) sum += g.out_degree(vertices[i]);
        return sum;
      },
      std::plus<>());
}

// ---- Per-thread buffers of a push step and their deterministic merge ------------------------

/// The vertices each thread found in a parallel step, in whatever order it found them.
using FoundBuffers = tbb::enumerable_thread_specific<std::vector<Vertex>>;

inline void clear_found(FoundBuffers& found) {
  for (auto& list : found) list.clear();
}

/// Lists larger than this are sorted in parallel.
inline constexpr std::size_t kParallelSortMin = 16384;

/// next = every thread's found vertices, sorted ascending: the same list for any schedule and
/// thread count (each vertex is found by exactly one thread).
inline void merge_found(FoundBuffers& found, std::vector<Vertex>& next) {
  next.clear();
  for (auto& list : found) next.insert(next.end(), list.begin(), list.end());
  if (next.size() > kParallelSortMin)
    tbb::parallel_sort(next.begin(), next.end());
  else
    std::sort(next.begin(), next.end());
}

// ---- Dense frontiers (bitmaps) for bottom-up steps -------------------------------------------

using Word = std::uint64_t;
inline constexpr std::uint64_t kWordsPerChunk = 256;  // bitmap -> list conversion works in chunks

inline bool test_bit(const std::vector<Word>& bits, Vertex v) {
  return (bits[v >> 6] >> (v & 63)) & 1;
}

/// Marks the queue's vertices in a cleared bitmap of n bits.
inline void queue_to_bitmap(const std::vector<Vertex>& queue, std::uint64_t n,
                            std::vector<Word>& bits) {
  bits.assign((n + 63) / 64, 0);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, queue.size(), 4096),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t i = r.begin(); i < r.end(); ++i) {
                        const Vertex v = queue[i];
                        std::atomic_ref<Word>(bits[v >> 6])
                            .fetch_or(Word{1} << (v & 63), std::memory_order_relaxed);
                      }
                    });
}

/// Appends the set bits to queue in ascending order: count per chunk, prefix sum, then write.
/// O(n/64 + count).
inline void append_bitmap(const std::vector<Word>& bits, std::vector<std::uint64_t>& chunk_start,
                          std::vector<Vertex>& queue) {
  const std::uint64_t chunks = (bits.size() + kWordsPerChunk - 1) / kWordsPerChunk;
  chunk_start.assign(chunks + 1, 0);
  tbb::parallel_for(std::uint64_t{0}, chunks, [&](std::uint64_t c) {
    std::uint64_t count = 0;
    const std::uint64_t end = std::min<std::uint64_t>(bits.size(), (c + 1) * kWordsPerChunk);
    for (std::uint64_t w = c * kWordsPerChunk; w < end; ++w) count += std::popcount(bits[w]);
    chunk_start[c + 1] = count;
  });
  chunk_start[0] = queue.size();
  for (std::uint64_t c = 0; c < chunks; ++c) chunk_start[c + 1] += chunk_start[c];
  queue.resize(chunk_start[chunks]);
  tbb::parallel_for(std::uint64_t{0}, chunks, [&](std::uint64_t c) {
    std::uint64_t pos = chunk_start[c];
    const std::uint64_t end = std::min<std::uint64_t>(bits.size(), (c + 1) * kWordsPerChunk);
    for (std::uint64_t w = c * kWordsPerChunk; w < end; ++w)
      for (Word b = bits[w]; b != 0; b &= b - 1)
        queue[pos++] = static_cast<Vertex>(w * 64 + static_cast<unsigned>(std::countr_zero(b)));
  });
}

// ---- Sequential trials: the epoch-stamped seed loop -----------------------------------------

/// Starts a sequential trial on a graph of n vertices (TrialScratch::begin_trial) and puts the
/// distinct seeds, in their first-occurrence order, into s.frontier with their stamps set,
/// calling on_seed(v) once for each; out starts as step 0 = the seeds, no arc examined. Throws
/// InvalidArgument for a seed >= n. O(seeds).
template <typename OnSeed>
void start_sequential_trial(TrialScratch& s, std::span<const Vertex> seeds, std::uint64_t n,
                            TrialCounts& out, OnSeed&& on_seed) {
  s.begin_trial(n);
  const std::uint32_t epoch = s.epoch;
  s.frontier.clear();
  for (Vertex v : seeds) {
    check_seed(v, n);
    if (s.stamp[v] != epoch) {
      s.stamp[v] = epoch;
      on_seed(v);
      s.frontier.push_back(v);
    }
  }
  out.per_step.assign(1, s.frontier.size());
  out.spread = s.frontier.size();
  out.arcs_examined = 0;
}

/// Ends a step of a sequential trial: counts s.next (the vertices activated at it) into out
/// and makes it the frontier of the next step. O(1).
inline void close_sequential_step(TrialScratch& s, TrialCounts& out) {
  if (!s.next.empty()) {
    out.per_step.push_back(s.next.size());
    out.spread += s.next.size();
  }
  std::swap(s.frontier, s.next);
}

}  // namespace cascade::detail
