#pragma once
// Influence maximization: choose k seed vertices that maximize the expected spread of an IC or
// LT cascade.
//
// Methods:
//  - IMM (Tang, Shi & Xiao, SIGMOD 2015): reverse-influence sampling. A random reverse-reachable
//    (RR) set is the set of vertices that reach a uniform random root over the live arcs of one
//    random world; P(S meets an RR set) = spread(S) / n. IMM estimates a lower bound of OPT,
//    samples theta RR sets and takes the greedy maximum coverage. With probability at least
//    1 - 1/n^ell its answer has spread >= (1 - 1/e - epsilon) OPT. Following Chen (2018), the
//    final RR sets are drawn afresh, independent of the estimation phase.
//  - OPIM-C (Tang, Tang, Xiao & Yuan, SIGMOD 2018): the same guarantee, stopping as soon as a
//    lower bound on spread(S) (from a second, independent RR collection) over an upper bound on
//    OPT (from the first) reaches 1 - 1/e - epsilon; usually far fewer RR sets than IMM.
//  - CELF (Leskovec et al., KDD 2007): lazy greedy over the Monte Carlo estimator with common
//    random numbers (every evaluation uses the same trials), which is exactly submodular, so the
//    lazy greedy returns what the plain greedy over the same estimator returns. The small-graph
//    reference: n * k estimates at worst.
//
// Determinism: RR set i is a pure function of (master seed, i): its root is hashed from i, and
// its live arcs are LiveArcs' coins of trial i (IC with forward_coins or arc weights: then RR set
// i is exactly {u : forward trial i from {u} reaches the root}), geometric skips drawn from a
// counter-based stream keyed by (master, i, vertex) (IC, uniform p or weighted cascade), or the
// live-edge (triggering) choice of each vertex hashed from (master, i, vertex) (LT). Sets are
// sampled in parallel and stored in index order; greedy breaks ties by the smallest vertex id and
// sums integer counts. So seeds, gains and counts are bit-identical for any thread count.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "cascade/distributed.hpp"
#include "cascade/graph.hpp"
#include "cascade/live_arcs.hpp"
#include "cascade/lt.hpp"
#include "cascade/monte_carlo.hpp"

namespace cascade {

/// The diffusion model whose spread is maximized.
struct InfluenceModel {
  Model model = Model::kIc;
  ArcProbability probability;   ///< IC: uniform p, per-arc weights or weighted cascade
  bool lt_use_weights = false;  ///< LT: influence from arc weights (else 1/in-degree)
  std::uint64_t master_seed = 0;
  /// IC RR sets: true flips LiveArcs' coins (RR set i = the vertices whose forward trial i reaches
  /// its root; O(in-degree) hashes per visited vertex). false (default): for uniform p and
  /// weighted cascade the live in-arcs are drawn by geometric skips from a counter-based stream
  /// (same distribution, O(1 + live in-arcs) per vertex); per-arc weights always use the coins.
  bool forward_coins = false;
};

/// A collection of RR sets stored flat: set i is vertices[offsets[i] .. offsets[i+1]).
struct RrSets {
  std::vector<std::uint64_t> offsets{0};
  std::vector<Vertex> vertices;

  std::uint64_t size() const { return offsets.size() - 1; }
  std::span<const Vertex> set(std::uint64_t i) const {
    return {vertices.data() + offsets[i], vertices.data() + offsets[i + 1]};
  }
  void clear() {
    offsets.assign(1, 0);
    vertices.clear();
  }
  /// Bytes held (capacity).
  std::uint64_t bytes() const {
    return offsets.capacity() * sizeof(std::uint64_t) + vertices.capacity() * sizeof(Vertex);
  }
};

/// Samples RR sets of one model on one graph. Construction builds g.transpose() (and the LT
/// model's normalisation, or weighted-cascade thresholds): O(n + m). Throws InvalidArgument for
/// a model the graph cannot support (weights requested on an unweighted graph, bad p).
/// With a communicator of several ranks, sample() is collective: each rank draws its contiguous
/// block of the ids (rank_trials) and the blocks are all-gathered in rank order, so every rank
/// holds the very collection one process draws.
class RrSampler {
 public:
  RrSampler(const Graph& g, const InfluenceModel& model, const Communicator* comm = nullptr);
  ~RrSampler();
  RrSampler(const RrSampler&) = delete;
  RrSampler& operator=(const RrSampler&) = delete;

  /// Root of RR set i: uniform on [0, n), hashed from (master seed, i).
  Vertex root(std::uint64_t i) const;
  /// Appends RR sets first .. first + count - 1 to out, in index order, each in breadth-first
  /// order from its root. Parallel over fixed blocks of sets (oneTBB); the result does not depend
  /// on the thread count. Work: the in-arcs of the vertices of the sets (IC), or their sizes (LT).
  /// Returns the in-arcs examined (IC) or vertices visited (LT).
  /// With a sentinel vertex: a set is cut short as soon as it reaches the sentinel and stored as
  /// {sentinel} (hit-and-stop, as in SUBSIM's HIST): a seed set holding the sentinel covers it
  /// either way, and the search stops early in the large sets of high-influence graphs.
  std::uint64_t sample(std::uint64_t first, std::uint64_t count, RrSets& out,
                       Vertex sentinel = kNoVertex) const;

  struct Impl;

 private:
  std::uint64_t sample_here(std::uint64_t first, std::uint64_t count, RrSets& out,
                            Vertex sentinel) const;
  std::uint64_t exchange(std::uint64_t first, std::uint64_t count, RrSets& out,
                         Vertex sentinel) const;
  std::unique_ptr<Impl> impl_;
  const Communicator* comm_ = nullptr;
};

/// Greedy maximum coverage of the RR sets of rr by k vertices of [0, n): each step takes the
/// vertex covering the most uncovered sets, ties to the smallest id. Exact counts kept by
/// rescanning the uncovered sets after each pick: O(total size + k (n + size of the uncovered
/// sets)), parallel, no inverted index (memory O(n per thread + sets)). Needs rr.size() < 2^32.
struct Coverage {
  std::vector<Vertex> seeds;
  std::vector<std::uint64_t> gains;  ///< sets newly covered by each seed, in order
  std::uint64_t covered = 0;         ///< sets covered by all seeds
  /// With `bound`: an upper bound on the sets any k vertices cover, min over the greedy prefixes
  /// S_j of covered(S_j) + the k largest marginal counts given S_j (OPIM-C's bound). With a
  /// sentinel (rr sampled with it), the min runs over the prefixes that hold the sentinel, so it
  /// bounds the coverage of the whole (uncut) sets; it stays 2^64 - 1 if the sentinel is not
  /// chosen.
  std::uint64_t coverage_upper_bound = 0;
};
Coverage greedy_max_coverage(const RrSets& rr, std::uint64_t n, std::uint64_t k, bool bound = false,
                             Vertex sentinel = kNoVertex);

/// Sets of rr (all of them) that meet the vertex set `seeds`. O(total size).
std::uint64_t count_covered(const RrSets& rr, std::uint64_t n, std::span<const Vertex> seeds);

enum class MaximizeMethod { kImm, kOpimC, kCelf };

struct MaximizeOptions {
  InfluenceModel model;
  std::uint64_t k = 1;
  MaximizeMethod method = MaximizeMethod::kImm;
  double epsilon = 0.5;  ///< IMM / OPIM-C: approximation slack, in (0, 1)
  double ell = 1.0;      ///< IMM / OPIM-C: failure probability at most 1 / n^ell (> 0)
  /// CELF: Monte Carlo trials per evaluation (the same trials, ids 0.., for every seed set).
  std::uint64_t celf_trials = 1000;
  /// null: this process draws every RR set. Else a collective call on every rank of the group:
  /// RR sampling (IMM / OPIM-C) and CELF's trials are split over the ranks; every rank returns
  /// the same result, bit-identical to one process's (timings aside).
  const Communicator* communicator = nullptr;
};

/// What maximize() found. All fields but the timings are deterministic.
struct MaximizeResult {
  std::vector<Vertex> seeds;  ///< in the order chosen
  /// Estimated marginal gain in expected spread (vertices) of each seed, in order: n * (sets
  /// newly covered) / (RR sets) for IMM / OPIM-C, the Monte Carlo difference for CELF.
  std::vector<double> marginal_gains;
  /// The method's own estimate of spread(seeds): IMM n * covered / sets of its final RR sets (the
  /// sum of the gains); OPIM-C the same on its second, independent collection; CELF the MC mean.
  double estimated_spread = 0.0;
  /// OPIM-C: the certified ratio spread(seeds) / OPT lower bound (>= 1 - 1/e - epsilon when it
  /// stopped on the bound); IMM: 1 - 1/e - epsilon; CELF: 0 (no certificate).
  double approximation = 0.0;
  double opt_lower_bound = 0.0;     ///< IMM: the LB of the sampling phase; OPIM-C: the spread LB
  std::uint64_t rr_sets = 0;        ///< RR sets sampled in all (IMM / OPIM-C)
  std::uint64_t rr_vertices = 0;    ///< vertices stored in them, all phases
  std::uint64_t work = 0;           ///< arcs examined (RR sampling) or MC evaluations (CELF)
  std::uint64_t peak_rr_bytes = 0;  ///< largest RR storage held at once
  double seconds_sampling = 0.0;
  double seconds_selection = 0.0;
};

/// Checks options against a graph of n vertices: 1 <= k <= n, epsilon in (0, 1), ell > 0,
/// celf_trials >= 1. Throws InvalidArgument naming the value.
void check_maximize_options(const MaximizeOptions& options, std::uint64_t n);

/// Chooses options.k seeds on g by options.method. Throws InvalidArgument (check_maximize_options,
/// a model the graph cannot support), ResourceError when the RR sets would not fit in memory.
MaximizeResult maximize(const Graph& g, const MaximizeOptions& options);

/// Trial ids of the independent validation Monte Carlo: far from the ids RR sets and CELF use.
inline constexpr std::uint64_t kValidationFirstTrial = std::uint64_t{1} << 56;

/// Independent Monte Carlo estimate of the spread of `seeds` under the model: trials
/// kValidationFirstTrial .. + trials - 1, fused IC engine (run_ic_fused) for IC, one-trial LT
/// kernels for LT. Same numbers for any thread count and (with comm, collective) rank count.
Estimate validate_seeds(const Graph& g, const InfluenceModel& model, std::span<const Vertex> seeds,
                        std::uint64_t trials, const Communicator* comm = nullptr);

/// Monte Carlo spread estimate of `seeds` over trials first_trial .. + trials - 1 (the engine of
/// validate_seeds and CELF). Returns the total spread over the trials (an integer, so sums and
/// differences are exact); Estimate detail in *estimate when non-null.
std::uint64_t total_spread(const Graph& g, const InfluenceModel& model,
                           std::span<const Vertex> seeds, std::uint64_t first_trial,
                           std::uint64_t trials, Estimate* estimate = nullptr,
                           const Communicator* comm = nullptr);

}  // namespace cascade
