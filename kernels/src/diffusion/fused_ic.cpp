// Fused Monte Carlo IC: one level-synchronous sweep serves a batch of 64 * K trials.
//
// Per vertex v the workspace holds 2K words side by side: seen[v] (trials in which v is active
// or activated at the step being built) and next[v] (trials in which v is activated at that
// step). The frontier of a step is a list of (vertex, mask) pairs: u appears once, with the mask
// F[u] of the trials in which it was activated at the previous step. For each frontier arc u->v
// only the trials F[u] & ~seen[v] need a coin -- where v is already active nothing changes, and
// where another arc already reached v at this step its activation step stays the same -- so the
// one-trial result is reproduced exactly with far fewer coins than trials x arcs. The arc's pair
// hash is computed once per visit and each needed coin is one rng::draw (two multiplies),
// eight trials per instruction in the AVX-512 variant.
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
  std::vector<Word> trial_key;        // one per lane
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

// ---- Coin evaluation ------------------------------------------------------------------------
//
// A Coins policy answers: for the arc u->v (pair hash h) and the trials need[0..K) -- a subset
// of the frontier mask F[u] -- in which trials is the arc live? begin(F) is called once per
// frontier vertex, before its arcs, and may precompute per-vertex data.

/// Portable: one rng::draw per set bit.
template <unsigned K>
class ScalarCoins {
 public:
  explicit ScalarCoins(const Word* keys) : keys_(keys) {}
  void begin(const Word*) {}
  void live(Word h, const Word* need, std::uint64_t thr, Word* live) const {
    for (unsigned w = 0; w < K; ++w) {
      Word bits = 0;
      for (Word m = need[w]; m != 0; m &= m - 1) {
        const int lane = std::countr_zero(m);
        if (rng::coin(rng::draw(h, keys_[w * kWordBits + lane]), thr)) bits |= Word{1} << lane;
      }
      live[w] = bits;
    }
  }

 private:
  const Word* keys_;  // trial key of each lane
};

#if CASCADE_FUSED_AVX512
// Bit strings for the SIMD policies: the needed (and the live) lanes of u's packed frontier keys,
// word w's part starting at bit start[w].

// ORs the 64 bits `bits` into the bit string at bit `at`.
inline void put_bits(Word* string, unsigned at, Word bits) {
  const unsigned shift = at % kWordBits;
  string[at / kWordBits] |= bits << shift;
  string[at / kWordBits + 1] |= shift == 0 ? 0 : bits >> (kWordBits - shift);
}
// The 64 bits of the bit string from bit `at`.
inline Word get_bits(const Word* string, unsigned at) {
  const unsigned shift = at % kWordBits;
  const Word lo = string[at / kWordBits] >> shift;
  return shift == 0 ? lo : lo | (string[at / kWordBits + 1] << (kWordBits - shift));
}

#define CASCADE_AVX512_COINS_TARGET \
  __attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,bmi,bmi2,popcnt")))

/// AVX-512: rng::draw of eight trials per instruction (vpmullq). Most lanes of a word are not
/// needed (u is in the frontier of few trials), so the keys of u's frontier lanes are first
/// packed densely, once per frontier vertex (vpcompressq). An arc needs the subset
/// pext(need, F[u]) of them -- usually a large part -- and each chunk of eight packed keys with a
/// needed lane costs one vector draw; results return to their lanes with pdep. Arcs with very
/// few needed trials use scalar draws. (Packing per arc instead would read its pack back across
/// several just-written stores, which defeats store-to-load forwarding.) Must stay bit-for-bit
/// equal to rng::mix64 / rng::coin (tested against ScalarCoins); shifts, xor and multiply use
/// GCC/Clang vector extensions, compress and compare are intrinsics.
template <unsigned K>
class Avx512Coins {
 public:
  explicit Avx512Coins(const Word* keys) : keys_(keys) {}

  void begin(const Word* frontier_mask) {
    frontier_mask_ = frontier_mask;
    packed_ = false;
  }

  CASCADE_AVX512_COINS_TARGET void live(Word h, const Word* need, std::uint64_t thr, Word* live) {
    unsigned count = 0;
    for (unsigned w = 0; w < K; ++w) count += static_cast<unsigned>(std::popcount(need[w]));
    if (count <= kScalarMax) {
      for (unsigned w = 0; w < K; ++w) {
        Word bits = 0;
        for (Word m = need[w]; m != 0; m &= m - 1) {
          const int lane = std::countr_zero(m);
          if (rng::coin(rng::draw(h, keys_[w * kWordBits + lane]), thr)) bits |= Word{1} << lane;
        }
        live[w] = bits;
      }
      return;
    }
    if (!packed_) pack_frontier_keys();
    // Which packed keys are needed: a bit string, word w's part at bit start_[w].
    alignas(8) Word select[K + 1] = {};
    for (unsigned w = 0; w < K; ++w)
      put_bits(select, start_[w], _pext_u64(need[w], frontier_mask_[w]));
    const auto* select_bytes = reinterpret_cast<const unsigned char*>(select);
    alignas(8) Word result[K + 1] = {};
    auto* result_bytes = reinterpret_cast<unsigned char*>(result);
    const __m512i tv = _mm512_set1_epi64(static_cast<long long>(thr));
    for (unsigned c = 0; c < chunks_; ++c) {
      const __mmask8 k = select_bytes[c];
      if (k == 0) continue;
      V8 x;
      std::memcpy(&x, frontier_keys_ + 8 * c, sizeof x);
      x ^= h;
      x ^= (x >> 49) ^ (x >> 24);
      x *= kMul;
      x ^= x >> 28;
      x *= kMul;
      x ^= x >> 28;
      result_bytes[c] = _mm512_mask_cmplt_epu64_mask(k, reinterpret_cast<__m512i>(x >> 11), tv);
    }
    for (unsigned w = 0; w < K; ++w)
      live[w] = _pdep_u64(get_bits(result, start_[w]), frontier_mask_[w]);
  }

 private:
  typedef unsigned long long V8 __attribute__((vector_size(64)));
  static constexpr unsigned long long kMul = 0x9fb21c651e98df25ULL;  // rng::mix64's multiplier
  static constexpr unsigned kScalarMax = 4;  // up to this many needed trials: scalar draws

  // Packs the keys of u's frontier lanes (once per frontier vertex, on its first dense arc).
  CASCADE_AVX512_COINS_TARGET void pack_frontier_keys() {
    packed_ = true;
    unsigned count = 0;
    for (unsigned w = 0; w < K; ++w) {
      start_[w] = count;
      const Word f = frontier_mask_[w];
      for (unsigned b = 0; b < 8; ++b) {
        const auto k = static_cast<__mmask8>(f >> (8 * b));
        const __m512i lanes = _mm512_loadu_si512(keys_ + w * kWordBits + 8 * b);
        _mm512_storeu_si512(frontier_keys_ + count, _mm512_maskz_compress_epi64(k, lanes));
        count += static_cast<unsigned>(std::popcount(static_cast<unsigned>(k)));
      }
    }
    chunks_ = (count + 7) / 8;
  }

  const Word* keys_;                                        // trial key of each lane
  const Word* frontier_mask_ = nullptr;                     // F[u]
  bool packed_ = false;                                     // frontier_keys_ holds F[u]'s keys
  alignas(64) Word frontier_keys_[K * kWordBits + 8] = {};  // keys of F[u]'s lanes, in order
  unsigned start_[K] = {};                                  // where word w's keys begin
  unsigned chunks_ = 0;                                     // ceil(popcount(F[u]) / 8)
};

#define CASCADE_AVX2_TARGET __attribute__((target("avx2,bmi,bmi2,popcnt"), flatten))
#define CASCADE_AVX2_COINS_TARGET __attribute__((target("avx2,bmi,bmi2,popcnt")))

/// AVX2 (every x86-64 of the last decade, e.g. AMD EPYC without AVX-512): rng::draw of four
/// trials per instruction. The scheme of Avx512Coins with what AVX2 lacks done differently:
/// u's frontier keys are packed by a scalar loop (no vpcompressq), the 64-bit multiply is three
/// 32 x 32 -> 64 products (vpmuludq), and the unsigned compare is a signed one (both sides are
/// below 2^53). Must stay bit-for-bit equal to rng::mix64 / rng::coin (tested).
template <unsigned K>
class Avx2Coins {
 public:
  explicit Avx2Coins(const Word* keys) : keys_(keys) {}

  void begin(const Word* frontier_mask) {
    frontier_mask_ = frontier_mask;
    packed_ = false;
  }

  CASCADE_AVX2_COINS_TARGET void live(Word h, const Word* need, std::uint64_t thr, Word* live) {
    unsigned count = 0;
    for (unsigned w = 0; w < K; ++w) count += static_cast<unsigned>(std::popcount(need[w]));
    if (count <= kScalarMax) {
      for (unsigned w = 0; w < K; ++w) {
        Word bits = 0;
        for (Word m = need[w]; m != 0; m &= m - 1) {
          const int lane = std::countr_zero(m);
          if (rng::coin(rng::draw(h, keys_[w * kWordBits + lane]), thr)) bits |= Word{1} << lane;
        }
        live[w] = bits;
      }
      return;
    }
    if (!packed_) pack_frontier_keys();
    alignas(8) Word select[K + 1] = {};
    for (unsigned w = 0; w < K; ++w)
      put_bits(select, start_[w], _pext_u64(need[w], frontier_mask_[w]));
    alignas(8) Word result[K + 1] = {};
    const __m256i hv = _mm256_set1_epi64x(static_cast<long long>(h));
    const __m256i tv = _mm256_set1_epi64x(static_cast<long long>(thr));
    for (unsigned c = 0; c < chunks_; ++c) {
      const unsigned at = 4 * c;
      const auto k = static_cast<unsigned>(select[at / kWordBits] >> (at % kWordBits)) & 0xFu;
      if (k == 0) continue;
      __m256i x = _mm256_xor_si256(
          _mm256_load_si256(reinterpret_cast<const __m256i*>(frontier_keys_ + at)), hv);
      x = _mm256_xor_si256(x, _mm256_xor_si256(_mm256_srli_epi64(x, 49), _mm256_srli_epi64(x, 24)));
      x = times_mul(x);
      x = _mm256_xor_si256(x, _mm256_srli_epi64(x, 28));
      x = times_mul(x);
      x = _mm256_xor_si256(x, _mm256_srli_epi64(x, 28));
      const __m256i is_live = _mm256_cmpgt_epi64(tv, _mm256_srli_epi64(x, 11));
      const auto bits = static_cast<unsigned>(_mm256_movemask_pd(_mm256_castsi256_pd(is_live))) & k;
      result[at / kWordBits] |= Word{bits} << (at % kWordBits);
    }
    for (unsigned w = 0; w < K; ++w)
      live[w] = _pdep_u64(get_bits(result, start_[w]), frontier_mask_[w]);
  }

 private:
  static constexpr unsigned long long kMul = 0x9fb21c651e98df25ULL;  // rng::mix64's multiplier
  static constexpr unsigned kScalarMax = 2;  // up to this many needed trials: scalar draws

  // x * kMul mod 2^64 per lane: lo(x) lo(M) + ((hi(x) lo(M) + lo(x) hi(M)) << 32).
  CASCADE_AVX2_COINS_TARGET static __m256i times_mul(__m256i x) {
    const __m256i m_lo = _mm256_set1_epi64x(static_cast<long long>(kMul & 0xffffffffULL));
    const __m256i m_hi = _mm256_set1_epi64x(static_cast<long long>(kMul >> 32));
    const __m256i cross = _mm256_add_epi64(_mm256_mul_epu32(_mm256_srli_epi64(x, 32), m_lo),
                                           _mm256_mul_epu32(x, m_hi));
    return _mm256_add_epi64(_mm256_mul_epu32(x, m_lo), _mm256_slli_epi64(cross, 32));
  }

  // Packs the keys of u's frontier lanes (once per frontier vertex, on its first dense arc).
  void pack_frontier_keys() {
    packed_ = true;
    unsigned count = 0;
    for (unsigned w = 0; w < K; ++w) {
      start_[w] = count;
      for (Word m = frontier_mask_[w]; m != 0; m &= m - 1)
        frontier_keys_[count++] = keys_[w * kWordBits + std::countr_zero(m)];
    }
    chunks_ = (count + 3) / 4;
  }

  const Word* keys_;                                        // trial key of each lane
  const Word* frontier_mask_ = nullptr;                     // F[u]
  bool packed_ = false;                                     // frontier_keys_ holds F[u]'s keys
  alignas(32) Word frontier_keys_[K * kWordBits + 4] = {};  // keys of F[u]'s lanes, in order
  unsigned start_[K] = {};                                  // where word w's keys begin
  unsigned chunks_ = 0;                                     // ceil(popcount(F[u]) / 4)
};
#endif

// ---- One batch ------------------------------------------------------------------------------

struct BatchSpec {
  std::uint64_t first_trial;   // trial of lane 0
  unsigned lanes;              // active lanes (<= 64 K)
  std::uint64_t result_index;  // index of lane 0 in the result arrays
};

struct BatchTotals {
  std::uint64_t arcs_examined = 0;
  std::uint64_t coins_drawn = 0;
};

/// Seeds of lane l: a callable (lane) -> range of vertices.
template <unsigned K, template <unsigned> class CoinsOf, bool kUniform, class SeedsOfLane>
[[gnu::always_inline]] inline BatchTotals run_batch(const Graph& g, const LiveArcs& coins,
                                                    const BatchSpec& spec,
                                                    const SeedsOfLane& seeds_of_lane, Workspace& ws,
                                                    FusedTrialResult& result) {
  constexpr unsigned kLanes = K * kWordBits;
  const std::uint64_t n = g.num_vertices();
  const bool weighted = g.has_weights();
  const std::uint64_t uniform_thr = coins.threshold(0, 0.0f);
  BatchTotals totals;

  ws.prepare(n, K);
  Word* const state = ws.state.data();
  Word* const saturated = ws.saturated.data();
  Word* const in_next = ws.in_next.data();
  auto seen = [state](Vertex v) { return state + std::size_t{v} * 2 * K; };
  auto next = [state](Vertex v) { return state + std::size_t{v} * 2 * K + K; };
  auto test = [](const Word* bits, Vertex v) {
    return (bits[v / kWordBits] >> (v % kWordBits)) & 1;
  };
  auto set = [](Word* bits, Vertex v) { bits[v / kWordBits] |= Word{1} << (v % kWordBits); };

  // Lanes of this batch: a vertex seen in all of them needs no more coins.
  Word lane_mask[K];
  for (unsigned w = 0; w < K; ++w) {
    const unsigned lo = w * kWordBits;
    lane_mask[w] = spec.lanes >= lo + kWordBits ? ~Word{0}
                   : spec.lanes <= lo           ? Word{0}
                                                : (Word{1} << (spec.lanes - lo)) - 1;
  }

  ws.trial_key.assign(kLanes, 0);
  for (unsigned l = 0; l < spec.lanes; ++l) ws.trial_key[l] = coins.trial_key(spec.first_trial + l);
  CoinsOf<K> coin_eval(ws.trial_key.data());
  Word all_seen[K];  // stands in for seen[v] of a saturated v (no memory access)
  std::fill_n(all_seen, K, ~Word{0});
  // seen(v), or all_seen when v is saturated -- selected arithmetically: as a branch it would
  // mispredict often.
  auto seen_or_all = [&](Vertex v) {
    const auto real = reinterpret_cast<std::uintptr_t>(seen(v));
    const auto stand_in = reinterpret_cast<std::uintptr_t>(all_seen);
    const std::uintptr_t use_stand_in = 0 - static_cast<std::uintptr_t>(test(saturated, v));
    return reinterpret_cast<const Word*>(real ^ ((real ^ stand_in) & use_stand_in));
  };
  alignas(64) Word todo_need[kBlock * K];  // per block: the needed trials of each kept arc
  std::uint32_t todo_arc[kBlock];          // and its index in the block

  ws.frontier.clear();
  ws.next_list.clear();
  ws.touched.clear();
  ws.frontier_mask.clear();
  ws.counts.clear();

  // Records that v is activated at the step being built in the trials of `live`.
  auto activate = [&](Vertex v, const Word* live) {
    Word* sv = seen(v);
    Word* nx = next(v);
    for (unsigned w = 0; w < K; ++w) {
      sv[w] |= live[w];
      nx[w] |= live[w];
    }
    if (!test(in_next, v)) {
      set(in_next, v);
      ws.next_list.push_back(v);
    }
  };

  // Step 0: the seeds of every lane.
  for (unsigned l = 0; l < spec.lanes; ++l) {
    for (const Vertex s : seeds_of_lane(l)) {
      if (s >= n)
        throw InvalidArgument("seed vertex " + std::to_string(s) + " is not < vertex count " +
                              std::to_string(n));
      Word live[K] = {};
      live[l / kWordBits] = Word{1} << (l % kWordBits);
      activate(s, live);
    }
  }

  // Moves next[] into the frontier; counts activations per lane at this step.
  auto commit = [&]() {
    const std::size_t step = ws.counts.size() / kLanes;
    ws.counts.resize(ws.counts.size() + kLanes, 0);
    std::uint64_t* count = ws.counts.data() + step * kLanes;
    // A large frontier is listed in vertex order (a scan of the in_next bitmap): its adjacency
    // is then read in memory order, which the hardware prefetcher streams.
    if (ws.next_list.size() > (n / kWordBits) / 4) {
      ws.next_list.clear();
      for (std::uint64_t i = 0; i < (n + kWordBits - 1) / kWordBits; ++i) {
        for (Word x = in_next[i]; x != 0; x &= x - 1)
          ws.next_list.push_back(static_cast<Vertex>(i * kWordBits + std::countr_zero(x)));
        in_next[i] = 0;
      }
    } else {
      for (const Vertex v : ws.next_list) in_next[v / kWordBits] = 0;
    }
    ws.frontier.swap(ws.next_list);
    ws.next_list.clear();
    ws.frontier_mask.resize(ws.frontier.size() * K);
    Word* fm = ws.frontier_mask.data();
    for (const Vertex v : ws.frontier) {
      Word* nx = next(v);
      const Word* sv = seen(v);
      std::uint64_t active = 0;
      Word full = ~Word{0};
      for (unsigned w = 0; w < K; ++w) {
        Word x = nx[w];
        nx[w] = 0;
        *fm++ = x;
        full &= sv[w] | ~lane_mask[w];
        active += static_cast<std::uint64_t>(std::popcount(x));
        for (; x != 0; x &= x - 1) ++count[w * kWordBits + std::countr_zero(x)];
      }
      if (full == ~Word{0}) set(saturated, v);
      totals.arcs_examined += active * g.out_degree(v);
    }
    ws.touched.insert(ws.touched.end(), ws.frontier.begin(), ws.frontier.end());
  };
  commit();

  // Steps 1, 2, ...: push the frontier's masks along its out-arcs.
  while (!ws.frontier.empty()) {
    // The targets' state is a random access per arc: a second cursor runs kPrefetchDistance
    // arcs ahead over the same frontier arcs and prefetches it, so the misses overlap.
    std::size_t prefetch_vertex = 0;
    const Vertex* prefetch_arc = nullptr;
    const Vertex* prefetch_end = nullptr;
    auto prefetch_next = [&]() {
      while (prefetch_arc == prefetch_end) {
        if (prefetch_vertex == ws.frontier.size()) return;
        const auto t = g.out_neighbors(ws.frontier[prefetch_vertex++]);
        prefetch_arc = t.data();
        prefetch_end = t.data() + t.size();
      }
      __builtin_prefetch(seen_or_all(*prefetch_arc++));
    };
    for (unsigned d = 0; d < kPrefetchDistance; ++d) prefetch_next();

    // Arcs go in blocks: a branch-free filter pass computes which trials each arc needs (the
    // saturated test, the seen[] load and the mask arithmetic) and keeps only the arcs that need
    // a coin; then the coin pass. The per-arc skip decisions are unpredictable, so as branches
    // they would cost a pipeline flush each.
    const Word* fm = ws.frontier_mask.data();
    for (std::size_t i = 0; i < ws.frontier.size(); ++i, fm += K) {
      const Vertex u = ws.frontier[i];
      coin_eval.begin(fm);
      const auto targets = g.out_neighbors(u);
      const auto weights = g.out_weights(u);
      for (std::size_t block = 0; block < targets.size(); block += kBlock) {
        const std::size_t block_end = std::min(targets.size(), block + kBlock);
        unsigned todo = 0;
        for (std::size_t a = block; a < block_end; ++a) {
          prefetch_next();
          const Vertex v = targets[a];
          const Word* sv = seen_or_all(v);
          Word any = 0;
          for (unsigned w = 0; w < K; ++w) {
            const Word need = fm[w] & ~sv[w];
            todo_need[todo * K + w] = need;
            any |= need;
          }
          todo_arc[todo] = static_cast<std::uint32_t>(a - block);
          todo += any != 0;
        }
        for (unsigned t = 0; t < todo; ++t) {
          const std::size_t a = block + todo_arc[t];
          const Vertex v = targets[a];
          const Word* need = todo_need + t * K;
          const std::uint64_t thr =
              kUniform ? uniform_thr : coins.threshold(v, weighted ? weights[a] : 0.0f);
          if (thr == 0) continue;    // p = 0: never live, no coin needed
          if (thr >= kAlwaysLive) {  // p = 1: live in every trial, no coin needed
            activate(v, need);
            continue;
          }
          if constexpr (2 * K * sizeof(Word) > 64) __builtin_prefetch(next(v), 1);  // next line
          const Word h = coins.arc_hash(u, v);
          Word live[K];
          coin_eval.live(h, need, thr, live);
          Word any_live = 0;
          for (unsigned w = 0; w < K; ++w) {
            totals.coins_drawn += static_cast<std::uint64_t>(std::popcount(need[w]));
            any_live |= live[w];
          }
          if (any_live != 0) activate(v, live);
        }
      }
    }
    commit();
  }

  // Per-lane rows; the last row of counts is the empty step that ended the sweep.
  const std::size_t steps = ws.counts.size() / kLanes;
  for (unsigned l = 0; l < spec.lanes; ++l) {
    std::size_t last = 0;
    std::uint64_t spread = 0;
    for (std::size_t s = 0; s < steps; ++s) {
      const std::uint64_t c = ws.counts[s * kLanes + l];
      spread += c;
      if (c != 0) last = s;
    }
    auto& row = result.per_step[spec.result_index + l];
    row.resize(last + 1);
    for (std::size_t s = 0; s <= last; ++s) row[s] = ws.counts[s * kLanes + l];
    result.spread[spec.result_index + l] = spread;
  }

  // Restore the all-zero invariant touching only what this batch activated.
  for (const Vertex v : ws.touched) {
    std::fill_n(seen(v), K, Word{0});
    saturated[v / kWordBits] = 0;
  }
  // (next[] and in_next were cleared by the last commit.)
  ws.dirty = false;
  return totals;
}

// Entry points per (lanes, instruction set, probability model). The AVX-512 variants carry the
// target attribute and flatten, so the whole sweep is compiled for AVX-512 with the coin loop
// inlined; the portable variants run everywhere.
template <unsigned K, bool kUniform, class SeedsOfLane>
BatchTotals batch_portable(const Graph& g, const LiveArcs& coins, const BatchSpec& spec,
                           const SeedsOfLane& seeds, Workspace& ws, FusedTrialResult& result) {
  return run_batch<K, ScalarCoins, kUniform>(g, coins, spec, seeds, ws, result);
}

#if CASCADE_FUSED_AVX512
template <unsigned K, bool kUniform, class SeedsOfLane>
CASCADE_AVX512_TARGET BatchTotals batch_avx512(const Graph& g, const LiveArcs& coins,
                                               const BatchSpec& spec, const SeedsOfLane& seeds,
                                               Workspace& ws, FusedTrialResult& result) {
  return run_batch<K, Avx512Coins, kUniform>(g, coins, spec, seeds, ws, result);
}

template <unsigned K, bool kUniform, class SeedsOfLane>
CASCADE_AVX2_TARGET BatchTotals batch_avx2(const Graph& g, const LiveArcs& coins,
                                           const BatchSpec& spec, const SeedsOfLane& seeds,
                                           Workspace& ws, FusedTrialResult& result) {
  return run_batch<K, Avx2Coins, kUniform>(g, coins, spec, seeds, ws, result);
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
  const std::uint64_t lanes = std::uint64_t{k} * kWordBits;
  const std::uint64_t batches = (trials + lanes - 1) / lanes;
  std::vector<BatchTotals> totals(batches);
  const CoinIsa isa = fused_coin_isa(options.max_isa);

  tbb::parallel_for(std::uint64_t{0}, batches, [&](std::uint64_t b) {
    BatchSpec spec;
    spec.result_index = b * lanes;
    spec.first_trial = first_trial + spec.result_index;
    spec.lanes = static_cast<unsigned>(std::min(lanes, trials - spec.result_index));
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
