#pragma once
// Internal: the parallel CSR assembly shared by build_csr() and Graph::transpose().
// A producer enumerates arcs item by item (an edge, or a vertex's out-arcs); assembly files them
// by source bucket, lays out each bucket's lists and then sorts and cleans each vertex's list,
// so the result does not depend on the order of production.
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_scan.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>
#include <utility>
#include <vector>

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

/// Exclusive prefix sum of plain counts[0..n) into offsets[0..n], in parallel.
inline void exclusive_scan(const std::vector<std::uint64_t>& counts, std::vector<Offset>& offsets) {
  const std::size_t n = counts.size();
  offsets.assign(n + 1, 0);
  tbb::parallel_scan(
      tbb::blocked_range<std::size_t>(0, n), std::uint64_t{0},
      [&](const tbb::blocked_range<std::size_t>& r, std::uint64_t sum, bool is_final) {
        for (std::size_t i = r.begin(); i < r.end(); ++i) {
          sum += counts[i];
          if (is_final) offsets[i + 1] = sum;
        }
        return sum;
      },
      [](std::uint64_t a, std::uint64_t b) { return a + b; });
}

/// How assemble() partitions the work: sources fall into buckets of 2^bucket_bits consecutive
/// vertices, small enough that a bucket's degree counters and its slice of the target array stay
/// in cache; the items are cut into `chunks` fixed ranges, each with one counter per bucket.
struct Partition {
  unsigned bucket_bits;
  std::uint64_t buckets, chunks, items;
  Partition(std::uint64_t n, std::uint64_t item_count) : items(item_count) {
    bucket_bits = 14;  // 16384 sources: 128 KiB of counters
    // <= 65536 buckets; since n < 2^32, bucket_bits <= 16 and a source's low bits fit 16 bits.
    while ((n >> bucket_bits) >= (std::uint64_t{1} << 16)) ++bucket_bits;
    buckets = (n >> bucket_bits) + 1;
    chunks = std::clamp<std::uint64_t>(item_count / 16384, 1, 256);
  }
  std::uint64_t chunk_begin(std::uint64_t c) const {
    return items / chunks * c + std::min(c, items % chunks);
  }
};

/// Lays out one bucket's arcs, which sit in lists[0..size) in any order with the low bits of
/// their sources in src_low: counts degrees, sets offsets[first..last) (base = the bucket's first
/// arc), and moves each arc into its source's list through a copy in scratch.
template <class T>
void place_bucket(T* lists, const std::uint16_t* src_low, std::uint64_t size, std::uint64_t base,
                  std::uint64_t first, std::uint64_t last, std::vector<Offset>& offsets,
                  std::vector<T>& scratch, std::vector<std::uint64_t>& next) {
  next.assign(last - first, 0);
  for (std::uint64_t a = 0; a < size; ++a) ++next[src_low[a]];
  std::uint64_t at = 0;
  for (std::uint64_t u = first; u < last; ++u) {
    offsets[u] = base + at;
    at += std::exchange(next[u - first], at);  // next[] becomes the list's write cursor
  }
  scratch.assign(lists, lists + size);
  for (std::uint64_t a = 0; a < size; ++a) lists[next[src_low[a]]++] = scratch[a];
}

/// produce(item, sink) calls sink(src, dst, weight) for each arc of item in [0, items), the same
/// arcs each time it is called. Two streaming passes file the arcs by source bucket (a counting
/// sort on the bucket, no atomics) straight into the final array, keeping 16 low bits of each
/// source beside it; each bucket then lays out its own lists with cache-resident counters.
/// Scattering at random over the whole target array with one atomic cursor per vertex (the
/// textbook build) spent most of a 2^22 R-MAT build in cache misses.
template <class Producer>
Graph assemble(std::uint64_t n, std::uint64_t items, Producer produce, const AssemblyOptions& opt) {
  const Partition part(n, items);
  const std::uint64_t B = part.buckets;
  const std::uint64_t low_mask = (std::uint64_t{1} << part.bucket_bits) - 1;
  // cursor[c * B + b]: first, then next free, slot of chunk c's arcs in bucket b.
  std::vector<std::uint64_t> cursor(part.chunks * B, 0);
  tbb::parallel_for(std::uint64_t{0}, part.chunks, [&](std::uint64_t c) {
    std::uint64_t* mine = cursor.data() + c * B;
    for (std::uint64_t i = part.chunk_begin(c); i < part.chunk_begin(c + 1); ++i)
      produce(i, [&](Vertex s, Vertex, float) { ++mine[s >> part.bucket_bits]; });
  });
  std::vector<std::uint64_t> bucket_start(B + 1, 0);
  std::uint64_t total = 0;
  for (std::uint64_t b = 0; b < B; ++b) {  // bucket-major: a bucket's arcs are contiguous
    bucket_start[b] = total;
    for (std::uint64_t c = 0; c < part.chunks; ++c) {
      const std::uint64_t k = cursor[c * B + b];
      cursor[c * B + b] = total;
      total += k;
    }
  }
  bucket_start[B] = total;

  // Weighted arcs travel as packed (target, weight) keys, unweighted ones as bare targets.
  auto packed = uninitialized_array<std::uint64_t>(opt.weighted ? total : 0);
  auto targets = uninitialized_array<Vertex>(opt.weighted ? 0 : total);
  auto src_low = uninitialized_array<std::uint16_t>(total);
  tbb::parallel_for(std::uint64_t{0}, part.chunks, [&](std::uint64_t c) {
    std::uint64_t* mine = cursor.data() + c * B;
    for (std::uint64_t i = part.chunk_begin(c); i < part.chunk_begin(c + 1); ++i)
      produce(i, [&](Vertex s, Vertex d, float w) {
        const std::uint64_t at = mine[s >> part.bucket_bits]++;
        if (opt.weighted)
          packed[at] = pack(d, w);
        else
          targets[at] = d;
        src_low[at] = static_cast<std::uint16_t>(s & low_mask);
      });
  });
  cursor.clear();
  cursor.shrink_to_fit();

  // Per bucket: lay out the lists, then sort and clean each in place; kept[u] becomes u's final
  // degree.
  std::vector<Offset> offsets(n + 1);
  offsets[n] = total;
  std::vector<std::uint64_t> kept(n);
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
  struct Scratch {
    std::vector<std::uint64_t> packed, next;
    std::vector<Vertex> targets;
  };
  tbb::enumerable_thread_specific<Scratch> scratch;
  tbb::parallel_for(std::uint64_t{0}, B, [&](std::uint64_t b) {
    const std::uint64_t first = b << part.bucket_bits;
    const std::uint64_t last = std::min(n, (b + 1) << part.bucket_bits);
    if (first >= last) return;
    const std::uint64_t base = bucket_start[b], size = bucket_start[b + 1] - base;
    Scratch& mine = scratch.local();
    if (opt.weighted)
      place_bucket(packed.get() + base, src_low.get() + base, size, base, first, last, offsets,
                   mine.packed, mine.next);
    else
      place_bucket(targets.get() + base, src_low.get() + base, size, base, first, last, offsets,
                   mine.targets, mine.next);
    for (std::uint64_t u = first; u < last; ++u) {
      const Vertex v = static_cast<Vertex>(u);
      // offsets[last] belongs to the next bucket's task: use the bucket's own end.
      const std::uint64_t begin = offsets[u],
                          end = u + 1 < last ? offsets[u + 1] : bucket_start[b + 1];
      kept[u] = opt.weighted ? clean(packed.get() + begin, packed.get() + end, v, packed_target)
                             : clean(targets.get() + begin, targets.get() + end, v,
                                     [](Vertex x) { return x; });
    }
  });
  src_low.reset();

  std::vector<Offset> final_offsets;
  exclusive_scan(kept, final_offsets);
  kept.clear();
  kept.shrink_to_fit();
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
