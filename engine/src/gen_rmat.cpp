// R-MAT / Kronecker generator (Chakrabarti, Zhan & Faloutsos 2004; Graph500 parameters).
//
// Edge e descends `scale` levels of the adjacency matrix; at each level it picks one quadrant
// -- a (top left), b (top right), c (bottom left), d = 1 - a - b - c -- which fixes one bit of
// the source and one of the target. Edge e owns the counter-based stream (seed, e) and spends 32
// random bits per level, two levels per 64-bit draw, so each edge is independent of every other
// and of the thread that computes it.
//
// As in Graph500 the vertex ids are then relabelled by a seeded random permutation, so that the
// high-degree vertices are not the low ids and not clustered. Like Graph500's generator
// (its scramble()) we compute the permutation per id -- here a 4-round Feistel network keyed by
// the seed, a bijection of [0, 2^scale) -- rather than store it: a stored table of 2^scale ids
// costs two cache misses per edge, which made scale 22 several times slower.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "cascade/error.hpp"
#include "cascade/generators.hpp"
#include "cascade/random.hpp"
#include "generator_common.hpp"

namespace cascade {
namespace {

constexpr unsigned kMaxScale = 31;

// A seeded pseudorandom permutation of [0, 2^scale): the id splits into a high and a low half
// (scale - scale/2 and scale/2 bits) and four Feistel rounds alternately xor one half with a
// keyed hash of the other. Each round is invertible, so the whole map is a bijection; with a
// strong round function (mix64) four rounds mix every input bit into every output bit.
class Scramble {
 public:
  Scramble(unsigned scale, std::uint64_t seed)
      : low_bits_(scale / 2),
        low_mask_((std::uint64_t{1} << (scale / 2)) - 1),
        high_mask_((std::uint64_t{1} << (scale - scale / 2)) - 1) {
    for (std::uint64_t r = 0; r < kRounds; ++r)
      keys_[r] = rng::hash(seed, rng::Purpose::kPermutation, r);
  }
  Vertex operator()(std::uint64_t id) const {
    std::uint64_t low = id & low_mask_, high = id >> low_bits_;
    for (unsigned r = 0; r < kRounds; r += 2) {
      high ^= rng::mix64(low ^ keys_[r]) & high_mask_;
      low ^= rng::mix64(high ^ keys_[r + 1]) & low_mask_;
    }
    return static_cast<Vertex>((high << low_bits_) | low);
  }

 private:
  static constexpr unsigned kRounds = 4;
  unsigned low_bits_;
  std::uint64_t low_mask_, high_mask_;
  std::uint64_t keys_[kRounds];
};

}  // namespace

EdgeList generate_rmat(const RmatParams& params, std::uint64_t seed, bool directed) {
  const double a = params.a, b = params.b, c = params.c;
  for (auto [name, p] : {std::pair{"a", a}, std::pair{"b", b}, std::pair{"c", c}})
    if (!(p >= 0.0 && p <= 1.0))
      throw InvalidArgument(std::string("rmat: probability ") + name + " = " + std::to_string(p) +
                            " is not in [0, 1]");
  if (a + b + c > 1.0 + 1e-12)
    throw InvalidArgument("rmat: a + b + c = " + std::to_string(a + b + c) + " exceeds 1");
  if (params.scale > kMaxScale)
    throw InvalidArgument("rmat: scale " + std::to_string(params.scale) + " exceeds " +
                          std::to_string(kMaxScale));

  const unsigned scale = params.scale;
  const std::uint64_t n = std::uint64_t{1} << scale;
  const std::uint64_t m = n * params.edge_factor;

  // Cumulative quadrant thresholds on 32 bits: x < ta -> a, < tab -> b, < tabc -> c, else d.
  auto fixed = [](double p) {
    return static_cast<std::uint64_t>(std::min(p, 1.0) * 4294967296.0);  // p * 2^32
  };
  const std::uint64_t ta = fixed(a), tab = fixed(a + b), tabc = fixed(a + b + c);

  const bool permute = params.permute;
  const Scramble scramble(scale, seed);

  EdgeList list;
  list.num_vertices = n;
  list.undirected = !directed;
  detail::allocate_edges(list, m, "rmat");
  tbb::parallel_for(
      tbb::blocked_range<std::uint64_t>(0, m), [&](const tbb::blocked_range<std::uint64_t>& range) {
        for (std::uint64_t e = range.begin(); e < range.end(); ++e) {
          rng::Stream stream(seed, rng::Purpose::kGenerator, e);
          std::uint64_t u = 0, v = 0, bits = 0;
          for (unsigned level = 0; level < scale; ++level) {
            if (level % 2 == 0) bits = stream.next();
            const std::uint64_t x = bits & 0xffffffffULL;
            bits >>= 32;
            // Quadrant c or d sets the source bit, b or d the target bit.
            const std::uint64_t bu = x >= tab;
            const std::uint64_t bv = (x >= ta) ^ bu ^ (x >= tabc);
            u = (u << 1) | bu;
            v = (v << 1) | bv;
          }
          list.edges[e] = permute ? Edge{scramble(u), scramble(v)}
                                  : Edge{static_cast<Vertex>(u), static_cast<Vertex>(v)};
        }
      });
  return list;
}

}  // namespace cascade
