#pragma once
// Which arcs are live in a trial: the one coin every kernel (IC, timed cascades, recruitment)
// flips for arc u->v. The coin is keyed by the vertex pair (u, v), never by the arc's position,
// so push traversals over out-arcs and pull traversals over in-arcs agree, and the virality and
// incentive regimes share it (common random numbers).
#include <cstdint>
#include <string>
#include <vector>

#include "cascade/error.hpp"
#include "cascade/graph.hpp"
#include "cascade/random.hpp"

namespace cascade {

enum class ProbabilityModel {
  kUniform,          ///< every arc has the same p
  kArcWeights,       ///< the graph's per-arc weights are the probabilities
  kWeightedCascade,  ///< p(u->v) = 1 / in-degree(v)
};

struct ArcProbability {
  ProbabilityModel model = ProbabilityModel::kUniform;
  double p = 0.1;  ///< used by kUniform only

  static ArcProbability uniform(double p) { return {ProbabilityModel::kUniform, p}; }
  static ArcProbability arc_weights() { return {ProbabilityModel::kArcWeights, 0.0}; }
  static ArcProbability weighted_cascade() { return {ProbabilityModel::kWeightedCascade, 0.0}; }
};

/// Evaluates live-arc coins of one graph under one probability model and master seed.
/// Construction is O(n) for weighted cascade (per-vertex thresholds), O(1) otherwise.
class LiveArcs {
 public:
  LiveArcs(const Graph& g, ArcProbability probability, std::uint64_t master_seed)
      : probability_(probability), master_(master_seed) {
    switch (probability.model) {
      case ProbabilityModel::kUniform:
        if (!(probability.p >= 0.0 && probability.p <= 1.0))
          throw InvalidArgument("probability p = " + std::to_string(probability.p) +
                                " is not in [0, 1]");
        uniform_threshold_ = rng::threshold(probability.p);
        break;
      case ProbabilityModel::kArcWeights:
        if (!g.has_weights() && g.num_arcs() > 0)
          throw InvalidArgument("probability model 'weights' needs a graph with arc weights");
        break;
      case ProbabilityModel::kWeightedCascade: {
        const Graph& in = g.transpose();
        vertex_threshold_.resize(g.num_vertices());
        for (Vertex v = 0; v < g.num_vertices(); ++v) {
          const auto d = in.out_degree(v);
          vertex_threshold_[v] = d == 0 ? 0 : rng::threshold(1.0 / static_cast<double>(d));
        }
        break;
      }
    }
  }

  ArcProbability probability() const { return probability_; }
  std::uint64_t master_seed() const { return master_; }

  /// Coin key of one trial (its block's plane keys and its lane, rng::coin_lane); compute once
  /// per trial and pass to live().
  rng::TrialCoinKey trial_key(std::uint64_t trial) const {
    return rng::trial_coin_key(master_, rng::Purpose::kArcCoin, trial);
  }
  /// Plane keys of the block of trials 64 block .. 64 block + 63 (rng::coin_block).
  rng::CoinPlaneKeys block_keys(std::uint64_t block) const {
    return rng::coin_plane_keys(master_, rng::Purpose::kArcCoin, block);
  }
  /// Trial-independent hash of arc u->v (cache it to test many trials of one arc).
  std::uint64_t arc_hash(Vertex u, Vertex v) const {
    return rng::arc_hash(master_, rng::Purpose::kArcCoin, u, v);
  }
  /// Success threshold of arc u->v whose weight is w (w is ignored unless kArcWeights).
  std::uint64_t threshold(Vertex v, float w) const {
    switch (probability_.model) {
      case ProbabilityModel::kUniform:
        return uniform_threshold_;
      case ProbabilityModel::kArcWeights:
        return rng::threshold(w);
      case ProbabilityModel::kWeightedCascade:
        return vertex_threshold_[v];
    }
    return 0;
  }
  /// Is arc u->v (weight w) live in the trial whose key is `key`? (2 mixes on average.)
  bool live(Vertex u, Vertex v, float w, const rng::TrialCoinKey& key) const {
    return rng::coin_lane(arc_hash(u, v), key, threshold(v, w));
  }

 private:
  ArcProbability probability_;
  std::uint64_t master_;
  std::uint64_t uniform_threshold_ = 0;
  std::vector<std::uint64_t> vertex_threshold_;
};

}  // namespace cascade
