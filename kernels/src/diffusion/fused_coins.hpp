#pragma once
// Internal to fused_ic.cpp: the arc coins of one fused batch (BatchCoins). A batch of K words
// of lanes needs, per arc, rng::coin_block for each word whose lanes need a coin. The portable
// loop does that word by word; on x86-64 the SIMD entry points evaluate four words at once in
// AVX2 registers (one vector mix = plane j of four words), which needs no branch per word and
// half the instructions per mix; the AVX-512 entry point runs the same loop with vpmullq for the
// 64-bit multiplies. Both give rng::coin_block bit for bit (test_fused_ic compares
// every coin loop the CPU has with the portable one and with the one-trial kernel).
// In an unnamed namespace on purpose: fused_ic.cpp is the only includer.
#include <cstdint>

#include "cascade/fused_ic.hpp"
#include "cascade/live_arcs.hpp"
#include "cascade/random.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define CASCADE_COIN_AVX2 1
#else
#define CASCADE_COIN_AVX2 0
#endif

namespace cascade {
namespace {

using CoinWord = std::uint64_t;

// Planes mixed unconditionally before the lazy loop: the exit of that loop is a data-dependent
// branch that mispredicts about once per call, which costs more than the planes it saves at the
// headline's typical 1-60 needed lanes per word (about 15 on average). 8 measured fastest on AMD
// Zen 5 (6 and 10 were 5-25% slower at p = 0.05, equal at p = 0.01); the vector loop stops at
// the slowest of four words, so it needs more planes than one word would. Equal to coin_block:
// past the last plane the threshold's digits are 0, so an extra plane only marks undecided lanes
// dead.
constexpr unsigned kEagerPlanes = 8;

#if CASCADE_COIN_AVX2
// rng::mix64 on four words. AVX2 has no 64-bit multiply: x * C is assembled from three 32 x 32
// -> 64-bit products (the high x high product only reaches bits >= 64).
__attribute__((target("avx2"))) inline __m256i mul_mix_constant(__m256i x) {
  const __m256i c_lo = _mm256_set1_epi64x(rng::kMixMultiplier & 0xffffffff);
  const __m256i c_hi = _mm256_set1_epi64x(rng::kMixMultiplier >> 32);
  const __m256i lo = _mm256_mul_epu32(x, c_lo);
  const __m256i cross =
      _mm256_add_epi64(_mm256_mul_epu32(_mm256_srli_epi64(x, 32), c_lo), _mm256_mul_epu32(x, c_hi));
  return _mm256_add_epi64(lo, _mm256_slli_epi64(cross, 32));
}

// The same product in one instruction where AVX-512DQ/VL exist (vpmullq: one uop on AMD Zen 4/5,
// three on Intel, against seven above). Written as inline asm so the loops keep one source and
// an AVX2 target attribute: only the AVX-512 entry point instantiates kDq = true.
template <bool kDq>
__attribute__((target("avx2"))) inline __m256i mul_mix(__m256i x) {
  if constexpr (kDq) {
    const __m256i c = _mm256_set1_epi64x(static_cast<long long>(rng::kMixMultiplier));
    __m256i product;
    asm("vpmullq %2, %1, %0" : "=v"(product) : "v"(x), "v"(c));
    return product;
  } else {
    return mul_mix_constant(x);
  }
}

// rng::mix64_finish on four words (the spread stage is done once per key and once per arc).
template <bool kDq>
__attribute__((target("avx2"))) inline __m256i mix64_finish_x4(__m256i x) {
  x = mul_mix<kDq>(x);
  x = _mm256_xor_si256(x, _mm256_srli_epi64(x, 28));
  x = mul_mix<kDq>(x);
  return _mm256_xor_si256(x, _mm256_srli_epi64(x, 28));
}

// One plane of four words: the lanes it decides move out of `undecided`, the live ones into
// `live` (the same two lines as rng::coin_block). h and keys are spread (rng::mix64_spread).
// kSameThreshold: every arc of the batch has the same threshold, so a branch on its digit is
// always predicted and replaces the digit's mask arithmetic (one vector operation for a digit 0,
// three for a 1, against five and a broadcast; the batch's first planes are mostly 0 digits).
template <bool kDq, bool kSameThreshold>
__attribute__((target("avx2"))) inline void coin_plane_x4(__m256i h, const CoinWord* keys,
                                                          std::uint64_t one, __m256i& live,
                                                          __m256i& undecided) {
  const __m256i bits = mix64_finish_x4<kDq>(
      _mm256_xor_si256(h, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(keys))));
  if constexpr (kSameThreshold) {
    if (one != 0) {
      live = _mm256_or_si256(live, _mm256_andnot_si256(bits, undecided));
      undecided = _mm256_and_si256(bits, undecided);
    } else {
      undecided = _mm256_andnot_si256(bits, undecided);
    }
  } else {
    const __m256i one_v = _mm256_set1_epi64x(static_cast<long long>(one));
    live = _mm256_or_si256(live, _mm256_andnot_si256(bits, _mm256_and_si256(undecided, one_v)));
    undecided = _mm256_andnot_si256(_mm256_xor_si256(bits, one_v), undecided);
  }
}

// rng::coin_block of four consecutive words; plane_keys + j * kStride are their plane-j keys;
// h and the keys are spread.
template <unsigned kStride, bool kDq, bool kSameThreshold>
__attribute__((target("avx2"))) inline void coin_block_x4(CoinWord h, const CoinWord* plane_keys,
                                                          const CoinWord* need, std::uint64_t thr,
                                                          CoinWord* out) {
  const __m256i hv = _mm256_set1_epi64x(static_cast<long long>(h));
  __m256i undecided = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(need));
  __m256i live = _mm256_setzero_si256();
  unsigned j = 0;
  for (; j < kEagerPlanes; ++j)
    coin_plane_x4<kDq, kSameThreshold>(hv, plane_keys + j * kStride,
                                       rng::threshold_plane_mask(thr, j), live, undecided);
  const unsigned last = rng::last_coin_plane(thr);
  for (; j <= last && !_mm256_testz_si256(undecided, undecided); ++j)
    coin_plane_x4<kDq, kSameThreshold>(hv, plane_keys + j * kStride,
                                       rng::threshold_plane_mask(thr, j), live, undecided);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), live);
}
#endif

/// The arc coins of one batch: the plane keys of its K blocks of 64 trials (the batch starts at
/// a block boundary, so word w of a mask is block first_block + w). live() is rng::coin_block
/// per word for the needed lanes only: one mix decides up to 64 lanes at once, about
/// log2(popcount(need)) + 2 mixes per needed word. kIsa picks the loop (see the file comment);
/// kSameThreshold says every arc passes the same threshold (the uniform model).
template <unsigned K, CoinIsa kIsa, bool kSameThreshold>
class BatchCoins {
 public:
  BatchCoins(const LiveArcs& coins, std::uint64_t first_block) {
    for (unsigned w = 0; w < K; ++w) {
      const rng::CoinPlaneKeys keys = coins.block_keys(first_block + w);
      for (unsigned j = 0; j < rng::kCoinPlanes; ++j) keys_[j][w] = rng::mix64_spread(keys[j]);
    }
  }
  /// live[w] = the lanes of need[w] in which the arc (pair hash h, threshold thr in (0, 2^53))
  /// is live: rng::coin_block(h, keys of block w, thr, need[w]), bit for bit.
  void live(CoinWord arc_hash, const CoinWord* need, std::uint64_t thr, CoinWord* live) const {
    const CoinWord h = rng::mix64_spread(arc_hash);
#if CASCADE_COIN_AVX2
    if constexpr (kIsa != CoinIsa::kPortable && K % 4 == 0) {
      for (unsigned w = 0; w < K; w += 4)
        coin_block_x4<K, kIsa == CoinIsa::kAvx512, kSameThreshold>(h, &keys_[0][w], need + w, thr,
                                                                   live + w);
      return;
    }
#endif
    for (unsigned w = 0; w < K; ++w) live[w] = need[w] == 0 ? 0 : block(h, w, thr, need[w]);
  }

 private:
  CoinWord block(CoinWord h, unsigned w, std::uint64_t thr, CoinWord lanes) const {
    CoinWord live = 0, undecided = lanes;
    auto plane = [&](unsigned j) {
      const CoinWord bits = rng::mix64_finish(h ^ keys_[j][w]);  // rng::mix64(arc_hash ^ key)
      const CoinWord one = rng::threshold_plane_mask(thr, j);
      if constexpr (kSameThreshold) {  // as in coin_plane_x4
        if (one != 0) {
          live |= undecided & ~bits;
          undecided &= bits;
        } else {
          undecided &= ~bits;
        }
      } else {
        live |= undecided & ~bits & one;
        undecided &= ~(bits ^ one);
      }
    };
    for (unsigned j = 0; j < kEagerPlanes; ++j) plane(j);
    const unsigned last = rng::last_coin_plane(thr);
    for (unsigned j = kEagerPlanes; undecided != 0 && j <= last; ++j) plane(j);
    return live;
  }

  // Plane-major (plane j of K words is a row), each key spread: mix64(arc_hash ^ key) is then
  // mix64_finish(spread(arc_hash) ^ keys_[j][w]), one xor-shift stage fewer per plane.
  alignas(32) CoinWord keys_[rng::kCoinPlanes][K];
};

}  // namespace
}  // namespace cascade
