#pragma once
// Counter-based randomness. Every random decision in cascade is a pure function of
// (master_seed, purpose, trial, u, v): no generator state is shared between threads, so results
// are bit-identical for any thread count and schedule.
//
// Construction: XXH3 hashes the arc's vertex pair once per (master, purpose) -- trial
// independent, so a fused kernel hashes each arc once -- and a strong bijective 64-bit mixer
// combines that with a per-trial key:  draw(u,v,r) = mix64(arc_hash(u,v) ^ trial_key(r)).
// Because the pair, not the arc's position, is hashed, push (out-arcs) and pull (in-arcs)
// traversals see the same coin.
//
// The arc coin (is u->v live in trial r) is bit-sliced instead (coin_block / coin_lane below):
// one mixed word serves 64 trials at once, so a kernel that simulates many trials decides the
// coins of 64 trials with about log2(64) + 2 mixes instead of 64.
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#ifndef XXH_INLINE_ALL
#define XXH_INLINE_ALL
#endif
#include <xxhash.h>

#include "cascade/types.hpp"

namespace cascade::rng {

/// What a random number is for. Distinct purposes give independent streams from one seed.
enum class Purpose : std::uint64_t {
  kArcCoin = 0x9e3779b97f4a7c15ULL,      ///< is arc u->v live in trial r (IC, timed, recruitment)
  kArcDelay = 0xc2b2ae3d27d4eb4fULL,     ///< delay of a live arc
  kThreshold = 0x165667b19e3779f9ULL,    ///< linear-threshold threshold of a vertex
  kSeeds = 0x27d4eb2f165667c5ULL,        ///< random seed choice
  kVertexTrait = 0x85ebca77c2b2ae63ULL,  ///< per-vertex traits (motivation mix, join)
  kGenerator = 0xff51afd7ed558ccdULL,    ///< graph generators
  kPermutation = 0xc4ceb9fe1a85ec53ULL,  ///< vertex relabelling
  kTarget = 0x94d049bb133111ebULL,       ///< hidden targets and witnesses
};

inline constexpr std::uint64_t kMixMultiplier =
    0x9fb21c651e98df25ULL;  ///< mix64's (SIMD copies use it)

/// mix64's two stages: mix64(x) = mix64_finish(mix64_spread(x)). The spread stage is linear over
/// XOR (shifts distribute over it), so mix64(a ^ b) == mix64_finish(mix64_spread(a) ^
/// mix64_spread(b)): a coin loop that mixes one arc hash with many plane keys spreads each key
/// once per batch and the hash once per arc instead of once per plane.
constexpr std::uint64_t mix64_spread(std::uint64_t x) { return x ^ (x >> 49) ^ (x >> 24); }
constexpr std::uint64_t mix64_finish(std::uint64_t x) {
  x *= kMixMultiplier;
  x ^= x >> 28;
  x *= kMixMultiplier;
  return x ^ (x >> 28);
}
/// Bijective 64-bit finalizer after Pelle Evensen's rrmxmx (shifts where it rotates): every
/// input bit affects every output bit.
constexpr std::uint64_t mix64(std::uint64_t x) { return mix64_finish(mix64_spread(x)); }

/// XXH3 of two 64-bit words under (master, purpose). The general-purpose hash.
inline std::uint64_t hash(std::uint64_t master, Purpose purpose, std::uint64_t a,
                          std::uint64_t b = 0) {
  const std::uint64_t words[2] = {a, b};
  return XXH3_64bits_withSeed(words, sizeof words, master ^ static_cast<std::uint64_t>(purpose));
}

/// Trial-independent hash of the ordered vertex pair (u, v). Compute once per arc, reuse for
/// every trial through draw().
inline std::uint64_t arc_hash(std::uint64_t master, Purpose purpose, Vertex u, Vertex v) {
  const std::uint64_t pair = (static_cast<std::uint64_t>(u) << 32) | v;
  return XXH3_64bits_withSeed(&pair, sizeof pair, master ^ static_cast<std::uint64_t>(purpose));
}

/// Per-trial key for draw(); differs for each (master, purpose, trial).
inline std::uint64_t trial_key(std::uint64_t master, Purpose purpose, std::uint64_t trial) {
  return hash(master, purpose, trial, 0x7f4a7c159e3779b9ULL);
}

/// The random 64-bit word of one arc in one trial.
constexpr std::uint64_t draw(std::uint64_t arc_hash_value, std::uint64_t trial_key_value) {
  return mix64(arc_hash_value ^ trial_key_value);
}

/// Probability as an integer threshold on 53 bits: a draw succeeds iff (draw >> 11) < threshold.
/// p <= 0 never succeeds, p >= 1 always does; NaN is treated as 0 (validate earlier).
constexpr std::uint64_t threshold(double p) {
  if (!(p > 0.0)) return 0;
  if (p >= 1.0) return std::uint64_t{1} << 53;
  return static_cast<std::uint64_t>(p * 9007199254740992.0);  // p * 2^53
}

/// Bernoulli trial of a 64-bit draw against a threshold() value.
constexpr bool coin(std::uint64_t draw_value, std::uint64_t threshold_value) {
  return (draw_value >> 11) < threshold_value;
}

// ---- The arc coin: bit-sliced Bernoulli lanes ---------------------------------------------
//
// Trials come in blocks of 64: trial r is lane r % 64 of block r / 64. Plane j (j = 0, 1, ...) of
// arc u->v in block b is the word mix64(arc_hash(u,v) ^ plane_key(b, j)): 64 random bits, one per
// lane. Lane l's bits of planes 0, 1, 2, ... are the binary digits, most significant first, of a
// uniform 53-bit number X; the coin of the lane succeeds iff X < threshold (a threshold() value),
// so P(live) = threshold / 2^53 exactly, as with coin(draw, threshold). Comparing from the top
// decides a lane at the first plane where its bit differs from the threshold's, so one lane costs
// 2 mixes on average (coin_lane) and all 64 lanes about log2(64) + 2 (coin_block), whatever p.
// Lanes are different bits of the same mixed words, arcs and blocks different mixer inputs: the
// coins of different trials and arcs are independent (tested in test_random.cpp).

inline constexpr unsigned kCoinLanes = 64;   ///< trials per coin block
inline constexpr unsigned kCoinPlanes = 53;  ///< at most this many planes decide a lane

/// The plane keys of one block of 64 trials.
using CoinPlaneKeys = std::array<std::uint64_t, kCoinPlanes>;

/// Plane keys of block `block` (trials 64 block .. 64 block + 63) under (master, purpose):
/// one XXH3 and 53 mixes. Compute once per block (or per trial, for one-trial kernels).
inline CoinPlaneKeys coin_plane_keys(std::uint64_t master, Purpose purpose, std::uint64_t block) {
  const std::uint64_t base = hash(master, purpose, block, 0x626974736c696365ULL);  // "bitslice"
  CoinPlaneKeys keys;
  for (unsigned j = 0; j < kCoinPlanes; ++j)
    keys[j] = mix64(base + (j + 1) * 0x9e3779b97f4a7c15ULL);
  return keys;
}

/// The bit of `threshold_value` (< 2^53) that plane j is compared with, as 0 or all ones.
constexpr std::uint64_t threshold_plane_mask(std::uint64_t threshold_value, unsigned j) {
  return 0 - ((threshold_value >> (kCoinPlanes - 1 - j)) & 1);
}

/// The last plane that can decide a lane: the threshold's lowest set bit (threshold in (0, 2^53)).
/// A lane still undecided after it equals the threshold there and fails.
constexpr unsigned last_coin_plane(std::uint64_t threshold_value) {
  return kCoinPlanes - 1 - static_cast<unsigned>(std::countr_zero(threshold_value));
}

/// The coins of one arc (pair hash arc_hash_value) in the `lanes` of one block (plane keys of the
/// block): the mask of the lanes in which the arc is live. Work: one mix per plane until every
/// lane of `lanes` is decided -- about log2(popcount(lanes)) + 2 mixes, at most 53.
constexpr std::uint64_t coin_block(std::uint64_t arc_hash_value, const CoinPlaneKeys& plane_keys,
                                   std::uint64_t threshold_value,
                                   std::uint64_t lanes = ~std::uint64_t{0}) {
  if (threshold_value == 0) return 0;
  if (threshold_value >= (std::uint64_t{1} << 53)) return lanes;
  std::uint64_t live = 0, undecided = lanes;
  const unsigned last = last_coin_plane(threshold_value);
  for (unsigned j = 0; undecided != 0 && j <= last; ++j) {
    const std::uint64_t plane = mix64(arc_hash_value ^ plane_keys[j]);
    const std::uint64_t one = threshold_plane_mask(threshold_value, j);
    live |= undecided & ~plane & one;  // bit 0 where the threshold has 1: X < threshold
    undecided &= ~(plane ^ one);       // equal so far: look at the next plane
  }
  return live;
}

/// What a one-trial kernel needs for the arc coin of trial r: its block's plane keys and lane.
struct TrialCoinKey {
  CoinPlaneKeys planes;
  unsigned lane = 0;
};

/// The coin key of trial `trial` under (master, purpose).
inline TrialCoinKey trial_coin_key(std::uint64_t master, Purpose purpose, std::uint64_t trial) {
  return {coin_plane_keys(master, purpose, trial / kCoinLanes),
          static_cast<unsigned>(trial % kCoinLanes)};
}

/// The coin of one arc in one trial: bit `key.lane` of coin_block(arc_hash_value, key.planes,
/// threshold_value), evaluated for that lane alone (2 mixes on average).
constexpr bool coin_lane(std::uint64_t arc_hash_value, const TrialCoinKey& key,
                         std::uint64_t threshold_value) {
  if (threshold_value == 0) return false;
  if (threshold_value >= (std::uint64_t{1} << 53)) return true;
  // The first differing digit decides X < threshold. Planes 0 and 1 are mixed unconditionally
  // (they decide 3 lanes in 4, and one data-dependent branch is cheaper than two); digits past
  // the last plane are 0 in the threshold, so looking at them never makes a lane live.
  const std::uint64_t t0 = (threshold_value >> (kCoinPlanes - 1)) & 1;
  const std::uint64_t t1 = (threshold_value >> (kCoinPlanes - 2)) & 1;
  const std::uint64_t d0 = ((mix64(arc_hash_value ^ key.planes[0]) >> key.lane) & 1) ^ t0;
  const std::uint64_t d1 = ((mix64(arc_hash_value ^ key.planes[1]) >> key.lane) & 1) ^ t1;
  if ((d0 | d1) != 0) return (d0 != 0 ? t0 : t1) != 0;
  const unsigned last = last_coin_plane(threshold_value);
  for (unsigned j = 2; j <= last; ++j) {
    const std::uint64_t one = (threshold_value >> (kCoinPlanes - 1 - j)) & 1;
    if (((mix64(arc_hash_value ^ key.planes[j]) >> key.lane) & 1) != one) return one != 0;
  }
  return false;  // X == threshold on every digit that matters
}

/// Uniform double in [0, 1) from a 64-bit draw (53 significant bits).
constexpr double unit(std::uint64_t draw_value) {
  return static_cast<double>(draw_value >> 11) * 0x1p-53;
}

/// Uniform double in (0, 1]: safe for log().
constexpr double unit_open0(std::uint64_t draw_value) {
  return static_cast<double>((draw_value >> 11) + 1) * 0x1p-53;
}

/// Uniform integer in [0, bound) by Lemire's multiply-shift (bias < bound / 2^64).
__extension__ typedef unsigned __int128 Uint128;
constexpr std::uint64_t below(std::uint64_t draw_value, std::uint64_t bound) {
  return static_cast<std::uint64_t>((static_cast<Uint128>(draw_value) * bound) >> 64);
}

/// A counter-based stream: a SplitMix64 sequence started from hash(master, purpose, index). It is
/// a pure function of its key, so each index (edge, vertex, ...) gets its own reproducible
/// sequence whatever thread computes it. Cheap per number: use it when one key needs many draws.
class Stream {
 public:
  Stream(std::uint64_t master, Purpose purpose, std::uint64_t index, std::uint64_t sub = 0)
      : state_(hash(master, purpose, index, sub)) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double next_unit() { return unit(next()); }
  std::uint64_t next_below(std::uint64_t bound) { return below(next(), bound); }

 private:
  std::uint64_t state_;
};

}  // namespace cascade::rng
