#pragma once
// Internal: the parallel CSR assembly shared by build_csr() and Graph::transpose().
// A producer enumerates arcs item by item (an edge, or a vertex's out-arcs); assembly counts
// degrees, prefix-sums them, scatters arcs into place with atomic cursors and then sorts and
// cleans each vertex's list, so the result does not depend on the scatter order.
#include <algorithm>
#include <atomic>
#include <bit>
#include <cstring>
#include <cstdint>
#include <memory>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_scan.h>
#include <tbb/parallel_sort.h>

#include "cascade/graph.hpp"
#include "file_util.hpp"

namespace cascade::detail {

struct AssemblyOptions {
  bool weighted = false;
  bool drop_self_loops = false;
  bool drop_duplicates = false;  // keeps the largest weight
  bool symmetric = false;        // flag recorded in the result
};

/// An array of trivially constructible values left uninitialised, so that its pages are first
/// touched by the parallel pass that fills it (zeroing it serially would cost more than the
/// scatter on large graphs). Large arrays ask for transparent huge pages: the scatter writes at
/// random, and on a virtual machine a 4 KiB page fault per first touch costs more than the write.
template <class T>
std::unique_ptr<T[]> uninitialized_array(std::uint64_t size) {
  std::unique_ptr<T[]> array(new T[size]);
  advise_huge_pages(array.get(), size * sizeof(T));
  return array;
}

/// Keeps the assembled arrays alive for the Graph that borrows them.
struct AssembledArrays {
  std::vector<Offset> offsets;
  std::unique_ptr<Vertex[]> targets;
  std::unique_ptr<float[]> weights;
};

/// Exclusive prefix sum of counts[0..n) into offsets[0..n], in parallel.
inline void exclusive_scan(const std::vector<std::atomic<std::uint64_t>>& counts,
                           std::vector<Offset>& offsets) {
  const std::size_t n = counts.size();
  offsets.assign(n + 1, 0);
  tbb::parallel_scan(
      tbb::blocked_range<std::size_t>(0, n), std::uint64_t{0},
      [&](const tbb::blocked_range<std::size_t>& r, std::uint64_t sum, bool is_final) {
        for (std::size_t i = r.begin(); i < r.end(); ++i) {
          sum += counts[i].load(std::memory_order_relaxed);
          if (is_final) offsets[i + 1] = sum;
        }
        return sum;
      },
      [](std::uint64_t a, std::uint64_t b) { return a + b; });
}

// Weighted arcs are sorted as one 64-bit key: target in the high half, the weight's bits in the
// low half (non-negative floats order like their bit patterns), so the largest weight of a
// duplicate run comes last.
inline std::uint64_t pack(Vertex dst, float w) {
  return (std::uint64_t{dst} << 32) | std::bit_cast<std::uint32_t>(w);
}
inline Vertex packed_target(std::uint64_t key) { return static_cast<Vertex>(key >> 32); }
inline float packed_weight(std::uint64_t key) {
  return std::bit_cast<float>(static_cast<std::uint32_t>(key));
}

/// Moves each vertex's kept prefix [from[u], from[u] + to[u+1] - to[u]) of data down to
/// to[u], in place (to[u] <= from[u] always: cleaning only drops arcs). Copying into a fresh
/// array would touch as many new pages again; instead blocks of vertices first compact in
/// parallel within their own range, then the blocks slide down in order (a few long memmoves).
template <class T>
void compact_left(T* data, const std::vector<Offset>& from, const std::vector<Offset>& to) {
  const std::uint64_t n = from.size() - 1;
  constexpr std::uint64_t kBlocks = 256;
  const std::uint64_t per_block = (n + kBlocks - 1) / kBlocks;
  auto block_begin = [&](std::uint64_t b) { return std::min(n, b * per_block); };
  tbb::parallel_for(std::uint64_t{0}, kBlocks, [&](std::uint64_t b) {
    const std::uint64_t first = block_begin(b), last = block_begin(b + 1);
    if (first == last) return;
    T* out = data + from[first];
    for (std::uint64_t u = first; u < last; ++u) {
      const std::uint64_t len = to[u + 1] - to[u];
      std::memmove(out, data + from[u], len * sizeof(T));
      out += len;
    }
  });
  for (std::uint64_t b = 0; b < kBlocks; ++b) {
    const std::uint64_t first = block_begin(b), last = block_begin(b + 1);
    if (first != last)
      std::memmove(data + to[first], data + from[first], (to[last] - to[first]) * sizeof(T));
  }
}

/// produce(item, sink) calls sink(src, dst, weight) for each arc of item in [0, items).
template <class Producer>
Graph assemble(std::uint64_t n, std::uint64_t items, Producer produce,
               const AssemblyOptions& opt) {
  std::vector<std::atomic<std::uint64_t>> count(n);
  tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, items),
                    [&](const tbb::blocked_range<std::uint64_t>& r) {
                      for (std::uint64_t i = r.begin(); i < r.end(); ++i)
                        produce(i, [&](Vertex s, Vertex, float) {
                          count[s].fetch_add(1, std::memory_order_relaxed);
                        });
                    });
  std::vector<Offset> offsets;
  exclusive_scan(count, offsets);
  const std::uint64_t total = offsets[n];

  // count[] becomes the scatter cursor.
  tbb::parallel_for(std::uint64_t{0}, n, [&](std::uint64_t u) {
    count[u].store(offsets[u], std::memory_order_relaxed);
  });
  auto packed = uninitialized_array<std::uint64_t>(opt.weighted ? total : 0);
  auto targets = uninitialized_array<Vertex>(opt.weighted ? 0 : total);
  tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, items),
                    [&](const tbb::blocked_range<std::uint64_t>& r) {
                      for (std::uint64_t i = r.begin(); i < r.end(); ++i)
                        produce(i, [&](Vertex s, Vertex d, float w) {
                          const std::uint64_t at = count[s].fetch_add(1, std::memory_order_relaxed);
                          if (opt.weighted)
                            packed[at] = pack(d, w);
                          else
                            targets[at] = d;
                        });
                    });

  // Sort and clean each vertex's list in place; count[u] becomes its final degree.
  auto clean = [&](auto* first, auto* last, Vertex u, auto target_of) {
    std::sort(first, last);
    auto* out = first;
    for (auto* it = first; it != last; ++it) {
      const Vertex d = target_of(*it);
      if (opt.drop_self_loops && d == u) continue;
      if (opt.drop_duplicates && out != first && target_of(out[-1]) == d) {
        out[-1] = *it;  // later = larger weight
        continue;
      }
      *out++ = *it;
    }
    return static_cast<std::uint64_t>(out - first);
  };
  tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, n),
                    [&](const tbb::blocked_range<std::uint64_t>& r) {
                      for (std::uint64_t u = r.begin(); u < r.end(); ++u) {
                        const Vertex v = static_cast<Vertex>(u);
                        const std::uint64_t kept =
                            opt.weighted
                                ? clean(packed.get() + offsets[u], packed.get() + offsets[u + 1],
                                        v, packed_target)
                                : clean(targets.get() + offsets[u],
                                        targets.get() + offsets[u + 1], v,
                                        [](Vertex x) { return x; });
                        count[u].store(kept, std::memory_order_relaxed);
                      }
                    });

  std::vector<Offset> final_offsets;
  exclusive_scan(count, final_offsets);
  count.clear();
  count.shrink_to_fit();
  const std::uint64_t kept_total = final_offsets[n];

  auto arrays = std::make_shared<AssembledArrays>();
  if (!opt.weighted) {
    if (kept_total != total) compact_left(targets.get(), offsets, final_offsets);
    arrays->targets = std::move(targets);  // the lists now sit at their final offsets
  } else {
    arrays->targets = uninitialized_array<Vertex>(kept_total);
    arrays->weights = uninitialized_array<float>(kept_total);
    Vertex* out_targets = arrays->targets.get();
    float* out_weights = arrays->weights.get();
    tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, n),
                      [&](const tbb::blocked_range<std::uint64_t>& r) {
                        for (std::uint64_t u = r.begin(); u < r.end(); ++u) {
                          const std::uint64_t len = final_offsets[u + 1] - final_offsets[u];
                          for (std::uint64_t k = 0; k < len; ++k) {
                            const std::uint64_t key = packed[offsets[u] + k];
                            out_targets[final_offsets[u] + k] = packed_target(key);
                            out_weights[final_offsets[u] + k] = packed_weight(key);
                          }
                        }
                      });
  }
  packed.reset();
  targets.reset();
  arrays->offsets = std::move(final_offsets);
  const std::span<const Offset> offset_span(arrays->offsets);
  const std::span<const Vertex> target_span(arrays->targets.get(), kept_total);
  const std::span<const float> weight_span(arrays->weights.get(), opt.weighted ? kept_total : 0);
  // Trusted: assembly produced sorted, in-range lists from validated input.
  return Graph(offset_span, target_span, weight_span, opt.symmetric, std::move(arrays),
               /*trusted=*/true);
}

}  // namespace cascade::detail
