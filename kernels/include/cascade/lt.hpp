#pragma once
// Linear threshold (LT), one trial (Kempe, Kleinberg & Tardos, KDD 2003).
//
// Each vertex v draws a threshold theta_v ~ U(0, 1] per trial by hashing (master seed, trial, v).
// In-arc u->v has influence b(u,v) = w(u,v) / max(1, sum of the in-weights of v) with the graph's
// weights, or 1 / in-degree(v) without. Seeds are active at step 0; an inactive v becomes active
// at step t+1 when the influence of its in-neighbours active by step t reaches theta_v.
//
// Exactness: influences and thresholds are fixed-point integers in units of 2^-53 (theta uniform
// on {1, ..., 2^53}), so the sums are exact and independent of the order in which threads add
// them -- the result is bit-identical for any thread count. Rounding b down to the grid moves a
// vertex's activation probability by less than in-degree * 2^-53.
//
// Recruiter of v (activated at step t+1): the smallest-id in-neighbour u with b(u,v) > 0 that was
// activated at step t. At least one exists -- without a step-t contribution v's sum would have
// reached theta_v a step earlier -- so the rule names one of the in-neighbours that tipped v.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "cascade/cascade.hpp"
#include "cascade/graph.hpp"
#include "cascade/random.hpp"

namespace cascade {

struct LtParams {
  /// true: b(u,v) = w(u,v) / max(1, in-weight sum of v) (needs arc weights); false: 1/in-degree.
  bool use_weights = false;
};

/// The LT model of one graph: per-vertex normalisation and the threshold hash. Construction
/// O(n + m) (builds g.transpose() when needed); throws InvalidArgument when use_weights is set on
/// a graph without weights.
class LtModel {
 public:
  static constexpr std::uint64_t kOne = std::uint64_t{1} << 53;  ///< 1.0 in fixed point

  LtModel(const Graph& g, const LtParams& params, std::uint64_t master_seed);

  const LtParams& params() const { return params_; }
  std::uint64_t master_seed() const { return master_; }
  /// Vertex count of the graph the model was built for.
  std::uint64_t num_vertices() const { return scale_.size(); }
  /// Influence b(u,v) of arc u->v whose stored weight is w (ignored without use_weights), in
  /// units of 2^-53.
  std::uint64_t influence(Vertex v, float w) const {
    return params_.use_weights ? static_cast<std::uint64_t>(static_cast<double>(w) * scale_[v])
                               : static_cast<std::uint64_t>(scale_[v]);
  }
  /// theta_v in trial `trial`, in units of 2^-53: uniform on {1, ..., 2^53}.
  std::uint64_t threshold(std::uint64_t trial, Vertex v) const {
    return (rng::hash(master_, rng::Purpose::kThreshold, trial, v) >> 11) + 1;
  }

 private:
  LtParams params_;
  std::uint64_t master_;
  std::vector<double> scale_;  // kOne / max(1, in-weight sum), or kOne / in-degree
};

/// Reusable working memory of run_lt (frontier, per-vertex sums, per-thread buffers).
class LtScratch {
 public:
  LtScratch();
  ~LtScratch();
  LtScratch(const LtScratch&) = delete;
  LtScratch& operator=(const LtScratch&) = delete;
  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

/// One LT trial from the given seeds (ids < n; duplicates ignored). Level-synchronous, parallel
/// inside the trial (push over out-arcs with atomic fixed-point sums). O(n + arcs of the active
/// vertices + in-arcs of the activated ones). Throws InvalidArgument for a bad seed or model.
Cascade run_lt(const Graph& g, std::span<const Vertex> seeds, const LtParams& params,
               std::uint64_t master_seed, std::uint64_t trial);

/// As above, reusing the model (built for g), scratch and the output's storage across trials.
void run_lt(const Graph& g, const LtModel& model, std::span<const Vertex> seeds,
            std::uint64_t trial, LtScratch& scratch, Cascade& out);

/// One LT trial, sequential, counts only: the same spread, per-step counts and arcs_examined as
/// run_lt. O(seeds + arcs of the active vertices), no O(n) term (epoch-stamped scratch).
void run_lt_trial(const Graph& g, const LtModel& model, std::span<const Vertex> seeds,
                  std::uint64_t trial, TrialScratch& scratch, TrialCounts& out);

}  // namespace cascade
