// Fused Monte Carlo IC: one level-synchronous sweep serves a batch of 64 * K trials.
//
// Per vertex v the workspace holds 2K words side by side: seen[v] (trials in which v is active
// or activated at the step being built) and next[v] (trials in which v is activated at that
// step). The frontier of a step is a list of (vertex, mask) pairs: u appears once, with the mask
// F[u] of the trials in which it was activated at the previous step. For each frontier arc u->v
// only the trials F[u] & ~seen[v] need a coin -- where v is already active nothing changes, and
// where another arc already reached v at this step its activation step stays the same -- so the
// one-trial result is reproduced exactly with far fewer coins than trials x arcs. The arc's pair
// hash is computed once per visit; the coins are bit-sliced (rng::coin_block): each word of the
// masks is one block of 64 trials, and one mixed word (two multiplies) is one bit-plane of all
// its lanes, so a word's needed lanes are decided with about log2(needed) + 2 mixes.
//
// Memory is the other cost: one random access to seen[v] per arc visit. Hence: a bitmap of the
// vertices seen in every lane (skipped without touching their line), software prefetch a fixed
// distance ahead, transparent huge pages for the state (no TLB miss per access), frontiers in
// vertex order (adjacency read sequentially), and wide batches (fewer visits per trial).
//
// Parallelism: batches run independently on oneTBB workers, each with its own workspace, so no
// atomics are needed and a batch's results do not depend on which thread ran it.
#include "cascade/fused_ic.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include "cascade/error.hpp"
#include "cascade/parallel.hpp"
#include "cascade/random.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define CASCADE_FUSED_AVX512 1
#define CASCADE_AVX512_TARGET \
  __attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,bmi,bmi2,popcnt"), flatten))
#define CASCADE_AVX2_TARGET __attribute__((target("avx2,bmi,bmi2,popcnt"), flatten))
#else
#define CASCADE_FUSED_AVX512 0
#endif

namespace cascade {
namespace {

using Word = std::uint64_t;
constexpr unsigned kWordBits = 64;
constexpr std::uint64_t kAlwaysLive = std::uint64_t{1} << 53;  // rng::threshold(1.0)
constexpr unsigned kBlock = 64;                                // arcs per filter pass
constexpr unsigned kPrefetchDistance = 128;  // arcs ahead: two filter blocks, about a DRAM latency

/// Zero-initialised array of words, 64-byte aligned; large ones are backed by transparent huge
/// pages where the OS offers them: the sweep reads it at random, one access per arc, and with
/// 4 KiB pages nearly every access would also miss the TLB.
class WordArray {
 public:
  WordArray() = default;
  ~WordArray() { std::free(data_); }
  WordArray(const WordArray&) = delete;
  WordArray& operator=(const WordArray&) = delete;
  void reset(std::size_t size) {
    if (size != size_) {
      std::free(data_);
      data_ = nullptr;
      size_ = 0;
      constexpr std::size_t kHugePage = std::size_t{1} << 21;
      const std::size_t align = size * sizeof(Word) >= kHugePage ? kHugePage : 64;
      const std::size_t bytes = (size * sizeof(Word) + align - 1) / align * align;
      if (bytes > 0) {
        data_ = static_cast<Word*>(std::aligned_alloc(align, bytes));
        if (data_ == nullptr)
          throw ResourceError("fused IC: cannot allocate " + std::to_string(bytes) +
                              " bytes of per-thread state");
#ifdef MADV_HUGEPAGE
        if (align == kHugePage) ::madvise(data_, bytes, MADV_HUGEPAGE);  // a hint; may fail
#endif
      }
      size_ = size;
    }
    if (size_ > 0) std::memset(data_, 0, size_ * sizeof(Word));
  }
  Word* data() { return data_; }
  std::size_t size() const { return size_; }

 private:
  Word* data_ = nullptr;
  std::size_t size_ = 0;
};

/// One worker thread's memory. Invariant between batches: state and both bitmaps are zero.
struct Workspace {
  // Per vertex 2K words, [seen | next]: seen = trials in which v is active or activated at the
  // step being built, next = trials in which it is activated at that step. Side by side, so the
  // arc that tests seen[v] finds next[v] in the same (or the adjacent) cache line.
  WordArray state;
  WordArray saturated;  // n bits: v is seen in every lane of the batch (skip it without a miss)
  WordArray in_next;    // n bits: v is in next_list
  unsigned words = 0;   // K the arrays were laid out for
  bool dirty = true;    // arrays may be non-zero (new, or a batch threw)
  std::vector<Vertex> frontier, next_list, touched;
  std::vector<Word> frontier_mask;    // K words per frontier entry
  std::vector<std::uint64_t> counts;  // [step][lane] activations

  void prepare(std::uint64_t n, unsigned k) {
    if (dirty || words != k || state.size() != n * 2 * k) {
      state.reset(n * 2 * k);
      saturated.reset((n + kWordBits - 1) / kWordBits);
      in_next.reset((n + kWordBits - 1) / kWordBits);
    }
    words = k;
    dirty = true;
  }
};

}  // namespace

struct FusedIcScratch::Impl {
  tbb::enumerable_thread_specific<Workspace> workspaces;
};

FusedIcScratch::FusedIcScratch() : impl_(std::make_unique<Impl>()) {}
FusedIcScratch::~FusedIcScratch() = default;

namespace {

// ---- Coins ----------------------------------------------------------------------------------

/// The arc coins of one batch: the plane keys of its K blocks of 64 trials (the batch starts at
/// a block boundary, so word w of a mask is block first_block + w). live() is rng::coin_block
/// per word for the needed lanes only: one mix decides up to 64 lanes at once, about
/// log2(popcount(need)) + 2 mixes per needed word. It is the kernel's only coin loop; the entry
/// points below compile it (inlined, flatten) once per instruction set.
template <unsigned K>
class BatchCoins {
 public:
  BatchCoins(const LiveArcs& coins, std::uint64_t first_block) {
    for (unsigned w = 0; w < K; ++w) keys_[w] = coins.block_keys(first_block + w);
  }
  /// live[w] = the lanes of need[w] in which the arc (pair hash h, threshold thr in (0, 2^53))
  /// is live: rng::coin_block(h, keys of block w, thr, need[w]), bit for bit.
  void live(Word h, const Word* need, std::uint64_t thr, Word* live) const {
    for (unsigned w = 0; w < K; ++w) live[w] = need[w] == 0 ? 0 : block(h, keys_[w], thr, need[w]);
  }

 private:
  // rng::coin_block with its first kEagerPlanes planes mixed unconditionally: the exit of the
  // lazy loop is a data-dependent branch that mispredicts about once per call, which costs more
  // than the planes it saves at the headline's typical 1-60 needed lanes (a quarter of the time
  // per word in a micro-benchmark, loaded machine). Equal to coin_block: past the last plane the
  // threshold's digits are 0, so an extra plane only marks undecided lanes dead.
  static constexpr unsigned kEagerPlanes = 6;
  static Word block(Word h, const rng::CoinPlaneKeys& keys, std::uint64_t thr, Word lanes) {
    Word live = 0, undecided = lanes;
    auto plane = [&](unsigned j) {
      const Word bits = rng::mix64(h ^ keys[j]);
      const Word one = rng::threshold_plane_mask(thr, j);
      live |= undecided & ~bits & one;
      undecided &= ~(bits ^ one);
    };
    for (unsigned j = 0; j < kEagerPlanes; ++j) plane(j);
    const unsigned last = rng::last_coin_plane(thr);
    for (unsigned j = kEagerPlanes; undecided != 0 && j <= last; ++j) plane(j);
    return live;
  }

  rng::CoinPlaneKeys keys_[K];
};

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
template <unsigned K, bool kUniform, class SeedsOfLane>
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
    saturated_ = ws.saturated.data();
    in_next_ = ws.in_next.data();
    for (unsigned w = 0; w < K; ++w) {
      lane_mask_[w] =
          lanes_below(spec.lane_end, w * kWordBits) & ~lanes_below(spec.lane_begin, w * kWordBits);
      all_seen_[w] = ~Word{0};
    }
    ws.frontier.clear();
    ws.next_list.clear();
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
  // The lanes of word `lo / 64` below lane `end` (all ones, none, or a low run).
  static Word lanes_below(unsigned end, unsigned lo) {
    return end >= lo + kWordBits ? ~Word{0} : end <= lo ? Word{0} : (Word{1} << (end - lo)) - 1;
  }
  Word* seen(Vertex v) const { return state_ + std::size_t{v} * 2 * K; }
  Word* next(Vertex v) const { return state_ + std::size_t{v} * 2 * K + K; }
  static bool test(const Word* bits, Vertex v) {
    return (bits[v / kWordBits] >> (v % kWordBits)) & 1;
  }
  static void set(Word* bits, Vertex v) { bits[v / kWordBits] |= Word{1} << (v % kWordBits); }

  // seen(v), or all_seen_ when v is saturated -- selected arithmetically: as a branch it would
  // mispredict often.
  const Word* seen_or_all(Vertex v) const {
    const auto real = reinterpret_cast<std::uintptr_t>(seen(v));
    const auto stand_in = reinterpret_cast<std::uintptr_t>(all_seen_);
    const std::uintptr_t use_stand_in = 0 - static_cast<std::uintptr_t>(test(saturated_, v));
    return reinterpret_cast<const Word*>(real ^ ((real ^ stand_in) & use_stand_in));
  }

  // Records that v is activated at the step being built in the trials of `live`.
  void activate(Vertex v, const Word* live) {
    Word* sv = seen(v);
    Word* nx = next(v);
    for (unsigned w = 0; w < K; ++w) {
      sv[w] |= live[w];
      nx[w] |= live[w];
    }
    if (!test(in_next_, v)) {
      set(in_next_, v);
      ws_.next_list.push_back(v);
    }
  }

  // Step 0: the seeds of every lane.
  void seed(const SeedsOfLane& seeds_of_lane) {
    for (unsigned l = spec_.lane_begin; l < spec_.lane_end; ++l) {
      for (const Vertex s : seeds_of_lane(l)) {
        if (s >= n_)
          throw InvalidArgument("seed vertex " + std::to_string(s) + " is not < vertex count " +
                                std::to_string(n_));
        Word live[K] = {};
        live[l / kWordBits] = Word{1} << (l % kWordBits);
        activate(s, live);
      }
    }
  }

  // Moves next[] into the frontier; counts activations per lane at this step.
  void commit() {
    const std::size_t step = ws_.counts.size() / kLanes;
    ws_.counts.resize(ws_.counts.size() + kLanes, 0);
    std::uint64_t* count = ws_.counts.data() + step * kLanes;
    // A large frontier is listed in vertex order (a scan of the in_next bitmap): its adjacency
    // is then read in memory order, which the hardware prefetcher streams.
    if (ws_.next_list.size() > (n_ / kWordBits) / 4) {
      ws_.next_list.clear();
      for (std::uint64_t i = 0; i < (n_ + kWordBits - 1) / kWordBits; ++i) {
        for (Word x = in_next_[i]; x != 0; x &= x - 1)
          ws_.next_list.push_back(static_cast<Vertex>(i * kWordBits + std::countr_zero(x)));
        in_next_[i] = 0;
      }
    } else {
      for (const Vertex v : ws_.next_list) in_next_[v / kWordBits] = 0;
    }
    ws_.frontier.swap(ws_.next_list);
    ws_.next_list.clear();
    ws_.frontier_mask.resize(ws_.frontier.size() * K);
    Word* fm = ws_.frontier_mask.data();
    for (const Vertex v : ws_.frontier) {
      Word* nx = next(v);
      const Word* sv = seen(v);
      std::uint64_t active = 0;
      Word full = ~Word{0};
      for (unsigned w = 0; w < K; ++w) {
        Word x = nx[w];
        nx[w] = 0;
        *fm++ = x;
        full &= sv[w] | ~lane_mask_[w];
        active += static_cast<std::uint64_t>(std::popcount(x));
        for (; x != 0; x &= x - 1) ++count[w * kWordBits + std::countr_zero(x)];
      }
      if (full == ~Word{0}) set(saturated_, v);
      totals_.arcs_examined += active * g_.out_degree(v);
    }
    ws_.touched.insert(ws_.touched.end(), ws_.frontier.begin(), ws_.frontier.end());
  }

  // The targets' state is a random access per arc: a second cursor runs kPrefetchDistance arcs
  // ahead over the same frontier arcs and prefetches it, so the misses overlap.
  void prefetch_next() {
    while (prefetch_arc_ == prefetch_end_) {
      if (prefetch_vertex_ == ws_.frontier.size()) return;
      const auto t = g_.out_neighbors(ws_.frontier[prefetch_vertex_++]);
      prefetch_arc_ = t.data();
      prefetch_end_ = t.data() + t.size();
    }
    __builtin_prefetch(seen_or_all(*prefetch_arc_++));
  }

  // Steps 1, 2, ...: pushes the frontier's masks along its out-arcs into next[].
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
  // saturated test, the seen[] load and the mask arithmetic) and keeps only the arcs that need a
  // coin; then the coin pass. The per-arc skip decisions are unpredictable, so as branches they
  // would cost a pipeline flush each.
  void push_block(Vertex u, const Word* fm, std::size_t block, std::size_t block_end) {
    const auto targets = g_.out_neighbors(u);
    unsigned todo = 0;
    for (std::size_t a = block; a < block_end; ++a) {
      prefetch_next();
      const Word* sv = seen_or_all(targets[a]);
      Word any = 0;
      for (unsigned w = 0; w < K; ++w) {
        const Word need = fm[w] & ~sv[w];
        todo_need_[todo * K + w] = need;
        any |= need;
      }
      todo_arc_[todo] = static_cast<std::uint32_t>(a - block);
      todo += any != 0;
    }
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
      if constexpr (2 * K * sizeof(Word) > 64) __builtin_prefetch(next(v), 1);  // next line
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

  // Restores the all-zero invariant touching only what this batch activated (next[] and
  // in_next were cleared by the last commit).
  void restore() {
    for (const Vertex v : ws_.touched) {
      std::fill_n(seen(v), K, Word{0});
      saturated_[v / kWordBits] = 0;
    }
    ws_.dirty = false;
  }

  const Graph& g_;
  const LiveArcs& coins_;
  const BatchSpec spec_;
  Workspace& ws_;
  const std::uint64_t n_;
  const bool weighted_;
  const std::uint64_t uniform_thr_;
  const BatchCoins<K> coin_eval_;
  Word* state_ = nullptr;
  Word* saturated_ = nullptr;
  Word* in_next_ = nullptr;
  Word lane_mask_[K];  // lanes of this batch: a vertex seen in all of them needs no more coins
  Word all_seen_[K];   // stands in for seen[v] of a saturated v (no memory access)
  BatchTotals totals_;
  std::size_t prefetch_vertex_ = 0;
  const Vertex* prefetch_arc_ = nullptr;
  const Vertex* prefetch_end_ = nullptr;
  alignas(64) Word todo_need_[kBlock * K];  // per block: the needed trials of each kept arc
  std::uint32_t todo_arc_[kBlock];          // and its index in the block
};

// Entry points per (lanes, instruction set, probability model). The SIMD variants carry a
// target attribute and flatten, so the whole sweep (filter pass, masks, coin loop) is compiled
// for that instruction set; the portable variants run everywhere. The source is the same.
template <unsigned K, bool kUniform, class SeedsOfLane>
BatchTotals batch_portable(const Graph& g, const LiveArcs& coins, const BatchSpec& spec,
                           const SeedsOfLane& seeds, Workspace& ws, FusedTrialResult& result) {
  return BatchSweep<K, kUniform, SeedsOfLane>(g, coins, spec, ws).run(seeds, result);
}

#if CASCADE_FUSED_AVX512
template <unsigned K, bool kUniform, class SeedsOfLane>
CASCADE_AVX512_TARGET BatchTotals batch_avx512(const Graph& g, const LiveArcs& coins,
                                               const BatchSpec& spec, const SeedsOfLane& seeds,
                                               Workspace& ws, FusedTrialResult& result) {
  return BatchSweep<K, kUniform, SeedsOfLane>(g, coins, spec, ws).run(seeds, result);
}

template <unsigned K, bool kUniform, class SeedsOfLane>
CASCADE_AVX2_TARGET BatchTotals batch_avx2(const Graph& g, const LiveArcs& coins,
                                           const BatchSpec& spec, const SeedsOfLane& seeds,
                                           Workspace& ws, FusedTrialResult& result) {
  return BatchSweep<K, kUniform, SeedsOfLane>(g, coins, spec, ws).run(seeds, result);
}
#endif

template <unsigned K, class SeedsOfLane>
BatchTotals dispatch_batch(CoinIsa isa, const Graph& g, const LiveArcs& coins,
                           const BatchSpec& spec, const SeedsOfLane& seeds, Workspace& ws,
                           FusedTrialResult& result) {
  const bool uniform = coins.probability().model == ProbabilityModel::kUniform;
#if CASCADE_FUSED_AVX512
  if (isa == CoinIsa::kAvx512)
    return uniform ? batch_avx512<K, true>(g, coins, spec, seeds, ws, result)
                   : batch_avx512<K, false>(g, coins, spec, seeds, ws, result);
  if (isa == CoinIsa::kAvx2)
    return uniform ? batch_avx2<K, true>(g, coins, spec, seeds, ws, result)
                   : batch_avx2<K, false>(g, coins, spec, seeds, ws, result);
#else
  (void)isa;
#endif
  return uniform ? batch_portable<K, true>(g, coins, spec, seeds, ws, result)
                 : batch_portable<K, false>(g, coins, spec, seeds, ws, result);
}

unsigned pick_words(const FusedIcOptions& options, std::uint64_t trials) {
  switch (options.lanes) {
    case 64:
      return 1;
    case 128:
      return 2;
    case 256:
      return 4;
    case 512:
      return 8;
    case 0:
      break;
    default:
      throw InvalidArgument("fused IC lanes = " + std::to_string(options.lanes) +
                            " (expected 0, 64, 128, 256 or 512)");
  }
  // Widest batch that still gives every thread a batch (results do not depend on the choice).
  const std::uint64_t threads = std::max<std::size_t>(1, max_threads());
  unsigned k = 4;
  while (k > 1 && (trials + k * kWordBits - 1) / (k * kWordBits) < threads) k /= 2;
  return k;
}

}  // namespace

CoinIsa fused_coin_isa(CoinIsa max_isa) {
#if CASCADE_FUSED_AVX512
  static const bool avx512 = __builtin_cpu_supports("avx512f") &&
                             __builtin_cpu_supports("avx512dq") &&
                             __builtin_cpu_supports("avx512bw") &&
                             __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("bmi2");
  static const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi2");
  if (max_isa == CoinIsa::kAvx512 && avx512) return CoinIsa::kAvx512;
  if (max_isa != CoinIsa::kPortable && avx2) return CoinIsa::kAvx2;
#else
  (void)max_isa;
#endif
  return CoinIsa::kPortable;
}

const char* isa_name(CoinIsa isa) {
  switch (isa) {
    case CoinIsa::kAvx512:
      return "avx512";
    case CoinIsa::kAvx2:
      return "avx2";
    case CoinIsa::kPortable:
      break;
  }
  return "portable";
}

namespace {

template <class SeedsOfTrial>
FusedTrialResult run_fused(const Graph& g, const LiveArcs& coins, const SeedsOfTrial& seeds_of,
                           std::uint64_t first_trial, std::uint64_t trials,
                           const FusedIcOptions& options, FusedIcScratch* scratch) {
  const unsigned k = pick_words(options, trials);
  FusedTrialResult result;
  result.first_trial = first_trial;
  result.trials = trials;
  result.spread.assign(trials, 0);
  result.per_step.assign(trials, {});
  if (trials == 0) return result;

  std::unique_ptr<FusedIcScratch> own;
  if (scratch == nullptr) {
    own = std::make_unique<FusedIcScratch>();
    scratch = own.get();
  }
  auto& workspaces = scratch->impl().workspaces;
  // Batches start at coin-block boundaries (multiples of 64 trials), so each word of a batch's
  // masks is one block of rng::coin_block; lanes outside the run stay empty.
  const std::uint64_t lanes = std::uint64_t{k} * kWordBits;
  const std::uint64_t aligned_first = first_trial - first_trial % kWordBits;
  const std::uint64_t end_trial = first_trial + trials;
  const std::uint64_t batches = (end_trial - aligned_first + lanes - 1) / lanes;
  std::vector<BatchTotals> totals(batches);
  const CoinIsa isa = fused_coin_isa(options.max_isa);

  tbb::parallel_for(std::uint64_t{0}, batches, [&](std::uint64_t b) {
    BatchSpec spec;
    spec.first_trial = aligned_first + b * lanes;
    spec.lane_begin =
        static_cast<unsigned>(std::max(first_trial, spec.first_trial) - spec.first_trial);
    spec.lane_end =
        static_cast<unsigned>(std::min(end_trial, spec.first_trial + lanes) - spec.first_trial);
    spec.result_index = spec.first_trial - first_trial;  // modulo 2^64: lane_begin maps to >= 0
    auto seeds = [&](unsigned lane) { return seeds_of(spec.first_trial + lane); };
    Workspace& ws = workspaces.local();
    switch (k) {
      case 1:
        totals[b] = dispatch_batch<1>(isa, g, coins, spec, seeds, ws, result);
        break;
      case 2:
        totals[b] = dispatch_batch<2>(isa, g, coins, spec, seeds, ws, result);
        break;
      case 4:
        totals[b] = dispatch_batch<4>(isa, g, coins, spec, seeds, ws, result);
        break;
      default:
        totals[b] = dispatch_batch<8>(isa, g, coins, spec, seeds, ws, result);
        break;
    }
  });
  for (const BatchTotals& t : totals) {
    result.arcs_examined += t.arcs_examined;
    result.coins_drawn += t.coins_drawn;
  }
  return result;
}

}  // namespace

FusedTrialResult run_ic_fused(const Graph& g, const LiveArcs& coins, std::span<const Vertex> seeds,
                              std::uint64_t first_trial, std::uint64_t trials,
                              const FusedIcOptions& options, FusedIcScratch* scratch) {
  for (const Vertex s : seeds)
    if (s >= g.num_vertices())
      throw InvalidArgument("seed vertex " + std::to_string(s) + " is not < vertex count " +
                            std::to_string(g.num_vertices()));
  return run_fused(
      g, coins, [seeds](std::uint64_t) { return seeds; }, first_trial, trials, options, scratch);
}

namespace {

/// Fills a TrialBlock from a fused run of trials first .. first + count - 1.
template <class Run>
void fill_block(std::uint64_t count, TrialBlock& out, const Run& run) {
  const auto start = std::chrono::steady_clock::now();
  FusedTrialResult r = run();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out.spreads = std::move(r.spread);
  out.per_step_sum.clear();
  for (const auto& row : r.per_step) {
    if (out.per_step_sum.size() < row.size()) out.per_step_sum.resize(row.size(), 0);
    for (std::size_t s = 0; s < row.size(); ++s) out.per_step_sum[s] += row[s];
  }
  out.arcs_examined = r.arcs_examined;
  out.seconds.assign(count, count == 0 ? 0.0 : seconds / static_cast<double>(count));
}

}  // namespace

TrialRunner fused_ic_runner(const Graph& g, const LiveArcs& coins, std::vector<Vertex> seeds,
                            const FusedIcOptions& options) {
  auto scratch = std::make_shared<FusedIcScratch>();
  return [&g, &coins, seeds = std::move(seeds), options, scratch](
             std::uint64_t first, std::uint64_t count, TrialBlock& out) {
    fill_block(count, out,
               [&] { return run_ic_fused(g, coins, seeds, first, count, options, scratch.get()); });
  };
}

TrialRunner fused_ic_runner(const Graph& g, const LiveArcs& coins, TrialSeedsFn seeds_of,
                            const FusedIcOptions& options) {
  if (!seeds_of) throw InvalidArgument("fused IC: empty seed function");
  auto scratch = std::make_shared<FusedIcScratch>();
  return [&g, &coins, seeds_of = std::move(seeds_of), options, scratch](
             std::uint64_t first, std::uint64_t count, TrialBlock& out) {
    fill_block(count, out, [&] {
      return run_ic_fused(g, coins, seeds_of, first, count, options, scratch.get());
    });
  };
}

FusedTrialResult run_ic_fused(const Graph& g, const LiveArcs& coins, const TrialSeedsFn& seeds_of,
                              std::uint64_t first_trial, std::uint64_t trials,
                              const FusedIcOptions& options, FusedIcScratch* scratch) {
  if (!seeds_of) throw InvalidArgument("fused IC: empty seed function");
  return run_fused(g, coins, seeds_of, first_trial, trials, options, scratch);
}

}  // namespace cascade
