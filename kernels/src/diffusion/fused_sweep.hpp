#pragma once
// Internal to fused_ic.cpp: one batch of the fused IC engine, its level-synchronous sweep
// (BatchSweep; the coins are BatchCoins in fused_coins.hpp). The file comment of fused_ic.cpp
// explains the design. In an unnamed namespace on purpose: fused_ic.cpp is the only includer, and
// internal linkage keeps the compiler's inlining of this hot loop exactly what it was when it lived
// in that file.
#include <algorithm>
#include <bit>
#include <cstdint>
#include <string>

#include "cascade/error.hpp"
#include "cascade/fused_ic.hpp"
#include "cascade/random.hpp"
#include "diffusion/fused_coins.hpp"
#include "diffusion/fused_workspace.hpp"
#include "traversal/frontier.hpp"

namespace cascade {
namespace {

constexpr std::uint64_t kAlwaysLive = std::uint64_t{1} << 53;  // rng::threshold(1.0)
constexpr unsigned kBlock = 64;                                // arcs per filter pass
constexpr unsigned kPrefetchDistance = 128;  // arcs ahead: two filter blocks, about a DRAM latency

#if CASCADE_COIN_AVX2
// The filter pass of BatchSweep::push_block in AVX2 registers, four words of lanes at a time:
// keeps in todo_need / todo_arc the arcs of [block, block_end) whose target is unseen in some
// lane of fm; returns how many.
template <unsigned K, class Seen, class Prefetch>
__attribute__((target("avx2"))) inline unsigned filter_x4(const Vertex* targets, const Word* fm,
                                                          std::size_t block, std::size_t block_end,
                                                          Seen seen, Prefetch prefetch,
                                                          Word* todo_need,
                                                          std::uint32_t* todo_arc) {
  __m256i frontier[K / 4];
  for (unsigned w = 0; w < K; w += 4)
    frontier[w / 4] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(fm + w));
  unsigned todo = 0;
  for (std::size_t a = block; a < block_end; ++a) {
    prefetch();
    const Word* sv = seen(targets[a]);
    __m256i any = _mm256_setzero_si256();
    for (unsigned w = 0; w < K; w += 4) {
      const __m256i need = _mm256_andnot_si256(
          _mm256_load_si256(reinterpret_cast<const __m256i*>(sv + w)), frontier[w / 4]);
      _mm256_store_si256(reinterpret_cast<__m256i*>(todo_need + todo * K + w), need);
      any = _mm256_or_si256(any, need);
    }
    todo_arc[todo] = static_cast<std::uint32_t>(a - block);
    todo += !_mm256_testz_si256(any, any);
  }
  return todo;
}
#endif

// ---- One batch ------------------------------------------------------------------------------

struct BatchSpec {
  std::uint64_t first_trial;  // trial of lane 0 (a multiple of 64)
  unsigned lane_begin;        // lanes [lane_begin, lane_end) are trials of the run
  unsigned lane_end;
  std::uint64_t result_index;  // index of lane 0 in the result arrays (may be "negative")
};

struct BatchTotals {
  std::uint64_t arcs_examined = 0;
  std::uint64_t coins_drawn = 0;
};

/// One batch of 64 K trials: seeds, then level-synchronous steps until no lane activates
/// anything, then the per-lane rows. Seeds of lane l: a callable (lane) -> range of vertices.
template <unsigned K, bool kUniform, class SeedsOfLane, CoinIsa kIsa>
class BatchSweep {
 public:
  static constexpr unsigned kLanes = K * kWordBits;

  BatchSweep(const Graph& g, const LiveArcs& coins, const BatchSpec& spec, Workspace& ws)
      : g_(g),
        coins_(coins),
        spec_(spec),
        ws_(ws),
        n_(g.num_vertices()),
        weighted_(g.has_weights()),
        uniform_thr_(coins.threshold(0, 0.0f)),
        coin_eval_(coins, spec.first_trial / kWordBits) {
    ws.prepare(n_, K);
    state_ = ws.state.data();
    in_next_ = ws.in_next.data();
    ws.frontier.clear();
    ws.next_list.clear();
    ws.next_before.clear();
    ws.touched.clear();
    ws.frontier_mask.clear();
    ws.counts.clear();
  }

  [[gnu::always_inline]] BatchTotals run(const SeedsOfLane& seeds_of_lane,
                                         FusedTrialResult& result) {
    seed(seeds_of_lane);
    commit();
    while (!ws_.frontier.empty()) {
      push_frontier();
      commit();
    }
    write_rows(result);
    restore();
    return totals_;
  }

 private:
  Word* seen(Vertex v) const { return state_ + std::size_t{v} * K; }
  static bool test(const Word* bits, Vertex v) {
    return (bits[v / kWordBits] >> (v % kWordBits)) & 1;
  }
  static void set(Word* bits, Vertex v) { bits[v / kWordBits] |= Word{1} << (v % kWordBits); }

  // Records that v is activated at the step being built in the trials of `live`. The first
  // activation of v at this step lists it with seen[v] as it was, so that commit() finds the
  // step's new lanes as seen[v] & ~before without a next[] word per vertex.
  void activate(Vertex v, const Word* live) {
    Word* sv = seen(v);
    if (!test(in_next_, v)) {
      set(in_next_, v);
      ws_.next_list.push_back(v);
      ws_.next_before.insert(ws_.next_before.end(), sv, sv + K);
    }
    for (unsigned w = 0; w < K; ++w) sv[w] |= live[w];
  }

  // Step 0: the seeds of every lane.
  void seed(const SeedsOfLane& seeds_of_lane) {
    for (unsigned l = spec_.lane_begin; l < spec_.lane_end; ++l) {
      for (const Vertex s : seeds_of_lane(l)) {
        detail::check_seed(s, n_);
        Word live[K] = {};
        live[l / kWordBits] = Word{1} << (l % kWordBits);
        activate(s, live);
      }
    }
  }

  // Moves the vertices activated at the step being built into the frontier, with the lanes in
  // which they were activated; counts activations per lane at this step.
  void commit() {
    const std::size_t step = ws_.counts.size() / kLanes;
    ws_.counts.resize(ws_.counts.size() + kLanes, 0);
    std::uint64_t* count = ws_.counts.data() + step * kLanes;
    const std::size_t m = ws_.next_list.size();
    const std::uint64_t bitmap_words = (n_ + kWordBits - 1) / kWordBits;
    // A large frontier is put in vertex order (entry i goes to the rank of its vertex in the
    // in_next bitmap): its adjacency is then read in memory order, which the hardware
    // prefetcher streams. A small one keeps the order of activation.
    if (m > (n_ / kWordBits) / 4) {
      ws_.frontier.resize(m);
      ws_.frontier_mask.resize(m * K);
      Word* fm = ws_.frontier_mask.data();
      ws_.rank.resize(bitmap_words);
      std::uint32_t r = 0;
      for (std::uint64_t i = 0; i < bitmap_words; ++i) {
        ws_.rank[i] = r;
        r += static_cast<std::uint32_t>(std::popcount(in_next_[i]));
      }
      for (std::size_t i = 0; i < m; ++i) {
        const Vertex v = ws_.next_list[i];
        const Word below = in_next_[v / kWordBits] & ((Word{1} << (v % kWordBits)) - 1);
        const std::size_t at = ws_.rank[v / kWordBits] + std::popcount(below);
        ws_.frontier[at] = v;
        std::copy_n(ws_.next_before.data() + i * K, K, fm + at * K);
      }
      std::fill_n(in_next_, bitmap_words, Word{0});
    } else {
      for (const Vertex v : ws_.next_list) in_next_[v / kWordBits] = 0;
      ws_.frontier.swap(ws_.next_list);
      ws_.frontier_mask.swap(ws_.next_before);
    }
    ws_.next_list.clear();
    ws_.next_before.clear();
    Word* fm = ws_.frontier_mask.data();  // seen[v] before this step -> the lanes it activated
    for (const Vertex v : ws_.frontier) {
      const Word* sv = seen(v);
      std::uint64_t active = 0;
      for (unsigned w = 0; w < K; ++w, ++fm) {
        Word x = sv[w] & ~*fm;
        *fm = x;
        active += static_cast<std::uint64_t>(std::popcount(x));
        for (; x != 0; x &= x - 1) ++count[w * kWordBits + std::countr_zero(x)];
      }
      totals_.arcs_examined += active * g_.out_degree(v);
    }
    ws_.touched.insert(ws_.touched.end(), ws_.frontier.begin(), ws_.frontier.end());
  }

  // The targets' state is a random access per arc: a second cursor runs kPrefetchDistance arcs
  // ahead over the same frontier arcs and prefetches it, so the misses overlap. It prefetches
  // seen(v) even for a target already seen in every lane (whose test will drop it): a test on
  // this path cost more (8% of the headline on AMD Zen 5) than the line, a hub's, usually cached.
  void prefetch_next() {
    while (prefetch_arc_ == prefetch_end_) {
      if (prefetch_vertex_ == ws_.frontier.size()) return;
      const auto t = g_.out_neighbors(ws_.frontier[prefetch_vertex_++]);
      prefetch_arc_ = t.data();
      prefetch_end_ = t.data() + t.size();
    }
    __builtin_prefetch(seen(*prefetch_arc_++));
  }

  // Steps 1, 2, ...: pushes the frontier's masks along its out-arcs into seen[] (activate()).
  void push_frontier() {
    prefetch_vertex_ = 0;
    prefetch_arc_ = prefetch_end_ = nullptr;
    for (unsigned d = 0; d < kPrefetchDistance; ++d) prefetch_next();
    const Word* fm = ws_.frontier_mask.data();
    for (std::size_t i = 0; i < ws_.frontier.size(); ++i, fm += K) {
      const Vertex u = ws_.frontier[i];
      const auto targets = g_.out_neighbors(u);
      for (std::size_t block = 0; block < targets.size(); block += kBlock)
        push_block(u, fm, block, std::min(targets.size(), block + kBlock));
    }
  }

  // Arcs go in blocks: a branch-free filter pass computes which trials each arc needs (the
  // seen[] load and the mask arithmetic) and keeps only the arcs that need a
  // coin; then the coin pass. The per-arc skip decisions are unpredictable, so as branches they
  // would cost a pipeline flush each.
  void push_block(Vertex u, const Word* fm, std::size_t block, std::size_t block_end) {
    const auto targets = g_.out_neighbors(u);
    const unsigned todo = filter(targets.data(), fm, block, block_end);
    const auto weights = g_.out_weights(u);
    for (unsigned t = 0; t < todo; ++t) {
      const std::size_t a = block + todo_arc_[t];
      const Vertex v = targets[a];
      const Word* need = todo_need_ + t * K;
      const std::uint64_t thr =
          kUniform ? uniform_thr_ : coins_.threshold(v, weighted_ ? weights[a] : 0.0f);
      if (thr == 0) continue;    // p = 0: never live, no coin needed
      if (thr >= kAlwaysLive) {  // p = 1: live in every trial, no coin needed
        activate(v, need);
        continue;
      }
      Word live[K];
      coin_eval_.live(coins_.arc_hash(u, v), need, thr, live);
      Word any_live = 0;
      for (unsigned w = 0; w < K; ++w) {
        totals_.coins_drawn += static_cast<std::uint64_t>(std::popcount(need[w]));
        any_live |= live[w];
      }
      if (any_live != 0) activate(v, live);
    }
  }

  // The filter pass of push_block: keeps, in todo_need_ and todo_arc_, the arcs of
  // [block, block_end) whose target is unseen in some trial of fm; returns how many. A target
  // seen in every lane drops out by the same test. Four words at a time in AVX2
  // registers where the coin loop is SIMD too (one load, and-not, store and test per arc instead
  // of four of each).
  unsigned filter(const Vertex* targets, const Word* fm, std::size_t block, std::size_t block_end) {
    unsigned todo = 0;
#if CASCADE_COIN_AVX2
    if constexpr (kIsa != CoinIsa::kPortable && K % 4 == 0) {
      return filter_x4<K>(
          targets, fm, block, block_end, [this](Vertex v) { return seen(v); },
          [this] { prefetch_next(); }, todo_need_, todo_arc_);
    }
#endif
    for (std::size_t a = block; a < block_end; ++a) {
      prefetch_next();
      const Word* sv = seen(targets[a]);
      Word any = 0;
      for (unsigned w = 0; w < K; ++w) {
        const Word need = fm[w] & ~sv[w];
        todo_need_[todo * K + w] = need;
        any |= need;
      }
      todo_arc_[todo] = static_cast<std::uint32_t>(a - block);
      todo += any != 0;
    }
    return todo;
  }

  // Per-lane rows; the last row of counts is the empty step that ended the sweep.
  void write_rows(FusedTrialResult& result) const {
    const std::size_t steps = ws_.counts.size() / kLanes;
    for (unsigned l = spec_.lane_begin; l < spec_.lane_end; ++l) {
      std::size_t last = 0;
      std::uint64_t spread = 0;
      for (std::size_t s = 0; s < steps; ++s) {
        const std::uint64_t c = ws_.counts[s * kLanes + l];
        spread += c;
        if (c != 0) last = s;
      }
      const std::uint64_t index = spec_.result_index + l;
      auto& row = result.per_step[index];
      row.resize(last + 1);
      for (std::size_t s = 0; s <= last; ++s) row[s] = ws_.counts[s * kLanes + l];
      result.spread[index] = spread;
    }
  }

  // Restores the all-zero invariant touching only what this batch activated (next_before and
  // in_next were cleared by the last commit).
  void restore() {
    for (const Vertex v : ws_.touched) std::fill_n(seen(v), K, Word{0});
    ws_.dirty = false;
  }

  const Graph& g_;
  const LiveArcs& coins_;
  const BatchSpec spec_;
  Workspace& ws_;
  const std::uint64_t n_;
  const bool weighted_;
  const std::uint64_t uniform_thr_;
  const BatchCoins<K, kIsa, kUniform> coin_eval_;
  Word* state_ = nullptr;
  Word* in_next_ = nullptr;
  BatchTotals totals_;
  std::size_t prefetch_vertex_ = 0;
  const Vertex* prefetch_arc_ = nullptr;
  const Vertex* prefetch_end_ = nullptr;
  alignas(64) Word todo_need_[kBlock * K];  // per block: the needed trials of each kept arc
  std::uint32_t todo_arc_[kBlock];          // and its index in the block
};

}  // namespace
}  // namespace cascade
