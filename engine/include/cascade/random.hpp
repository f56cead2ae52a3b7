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
  kArcCoin = 0x9e3779b97f4a7c15ULL,  ///< is arc u->v live in trial r (IC, timed, recruitment)
  kArcDelay = 0xc2b2ae3d27d4eb4fULL,  ///< delay of a live arc
  kThreshold = 0x165667b19e3779f9ULL,  ///< linear-threshold threshold of a vertex
  kSeeds = 0x27d4eb2f165667c5ULL,  ///< random seed choice
  kVertexTrait = 0x85ebca77c2b2ae63ULL,  ///< per-vertex traits (motivation mix, join)
  kGenerator = 0xff51afd7ed558ccdULL,  ///< graph generators
  kPermutation = 0xc4ceb9fe1a85ec53ULL,  ///< vertex relabelling
  kTarget = 0x94d049bb133111ebULL,  ///< hidden targets and witnesses
};

/// Bijective 64-bit finalizer (Pelle Evensen's rrmxmx): every input bit affects every output bit.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x ^= (x >> 49) ^ (x >> 24);
  x *= 0x9fb21c651e98df25ULL;
  x ^= x >> 28;
  x *= 0x9fb21c651e98df25ULL;
  return x ^ (x >> 28);
}

/// XXH3 of two 64-bit words under (master, purpose). The general-purpose hash.
inline std::uint64_t hash(std::uint64_t master, Purpose purpose, std::uint64_t a,
                          std::uint64_t b = 0) {
  const std::uint64_t words[2] = {a, b};
  return XXH3_64bits_withSeed(words, sizeof words,
                              master ^ static_cast<std::uint64_t>(purpose));
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
