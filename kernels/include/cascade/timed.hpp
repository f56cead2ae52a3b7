#pragma once
// Timed cascades: live arcs carry delays, activation time = shortest live path from the seeds.
//
//   arc u->v is live      iff  the LiveArcs coin of (u, v, trial) succeeds (the same coin as IC),
//                              or, with VertexBehaviour::share_threshold, iff that coin's draw is
//                              below share_threshold[u] (one uniform per arc and trial);
//   delay of a live arc    =   DelayModel quantile of the hashed uniform (Purpose::kArcDelay,
//                              keyed by the vertex pair and the trial), times delay_factor[u];
//   u transmits            iff u is a seed, or (with join_threshold) its per-vertex, per-trial
//                              join draw (Purpose::kVertexTrait) is below join_threshold[u];
//   time[v]                =   min over live paths whose inner vertices transmit of the path's
//                              float32 left-to-right delay sum (each hop adding at least one
//                              float ulp, so recruiters are strictly earlier), if <= horizon
//                              and finite (a float32 sum past FLT_MAX is not reached);
//   recruiter[v]           =   the smallest id u with time[u] + delay(u, v) == time[v].
//
// Because every random number is a pure function of (seed, trial, vertex pair), the result is a
// shortest-path problem on a fixed weighted graph: the parallel delta-stepping kernel and the
// sequential Dijkstra oracle return bit-identical times and recruiters for any thread count.
#include <atomic>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "cascade/graph.hpp"
#include "cascade/live_arcs.hpp"
#include "cascade/random.hpp"

namespace cascade {

enum class DelayDistribution {
  kExponential,  ///< memoryless; shape unused
  kLogNormal,    ///< shape = sigma of the underlying normal
  kWeibull,      ///< shape = Weibull k (k < 1: heavy tail, k > 1: concentrated)
};

/// The one vocabulary of delay names (scenario files, CLI, Python): "exponential", "lognormal",
/// "weibull". delay_distribution_named returns nullopt for any other name.
const char* delay_distribution_name(DelayDistribution d);
std::optional<DelayDistribution> delay_distribution_named(std::string_view name);
/// The names, for messages and --help: "exponential, lognormal or weibull".
inline constexpr const char* kDelayDistributionNames = "exponential, lognormal or weibull";

/// A delay distribution given by its median (hours) and a shape parameter.
struct DelayModel {
  DelayDistribution distribution = DelayDistribution::kExponential;
  double median_hours = 1.0;
  double shape = 1.0;

  /// Throws InvalidArgument unless median > 0 and shape > 0 (both finite).
  void validate() const;
  /// Inverse CDF at u in (0, 1): the delay in hours whose CDF equals u. O(1).
  double quantile(double u) const;
  /// CDF at x hours (for tests and docs). O(1).
  double cdf(double hours) const;
};

/// Standard normal inverse CDF, accurate to about 1e-15 (Acklam + one Halley step). u in (0, 1).
double normal_quantile(double u);

/// Hashed arc delays of one master seed: delay(u, v, trial) is a pure function of its arguments.
class ArcDelays {
 public:
  ArcDelays(const DelayModel& model, std::uint64_t master_seed);
  /// Per-trial key; compute once per trial.
  std::uint64_t trial_key(std::uint64_t trial) const {
    return rng::trial_key(master_, rng::Purpose::kArcDelay, trial);
  }
  /// Uniform in (0, 1) of arc u->v in the trial with key trial_key_value.
  double uniform(Vertex u, Vertex v, std::uint64_t trial_key_value) const {
    const std::uint64_t d =
        rng::draw(rng::arc_hash(master_, rng::Purpose::kArcDelay, u, v), trial_key_value);
    return (static_cast<double>(d >> 11) + 0.5) * 0x1p-53;
  }
  /// Delay of arc u->v in hours. O(1).
  double hours(Vertex u, Vertex v, std::uint64_t trial_key_value) const {
    return model_.quantile(uniform(u, v, trial_key_value));
  }
  const DelayModel& model() const { return model_; }

 private:
  DelayModel model_;
  std::uint64_t master_;
};

/// One vertex's behaviour (see VertexBehaviour).
struct VertexTraits {
  std::uint64_t share_threshold = 0;  ///< rng::threshold() scale
  std::uint64_t join_threshold = 0;   ///< rng::threshold() scale
  float delay_factor = 1.0f;          ///< > 0
};

/// Behaviour given as a formula of the vertex, evaluated only for the vertices a trial reaches:
/// for a caller that builds a new behaviour per batch of small cascades (mobilize's belief
/// rounds), where filling n-long arrays each time would cost more than the cascades.
class VertexRule {
 public:
  virtual ~VertexRule() = default;
  virtual VertexTraits at(Vertex v) const = 0;
};

/// Optional per-vertex behaviour (the recruitment model): three n-long arrays, or a rule.
/// Empty spans and no rule mean plain timed IC: LiveArcs' thresholds, every reached vertex
/// transmits, delay factor 1.
struct VertexBehaviour {
  std::span<const std::uint64_t> share_threshold;  ///< per source u, rng::threshold() scale
  std::span<const std::uint64_t> join_threshold;   ///< per vertex v, rng::threshold() scale
  std::span<const float> delay_factor;             ///< per source u, > 0
  const VertexRule* rule = nullptr;  ///< if set (spans empty): every trait of every vertex
};

/// The join draw of vertex v in a trial (one hashed uniform per vertex and trial), compared with
/// rng::coin against a join threshold: join_draw(master, v, join_trial_key(master, trial)).
/// The timed kernel computes the trial key once per trial.
inline std::uint64_t join_trial_key(std::uint64_t master_seed, std::uint64_t trial) {
  return rng::trial_key(master_seed, rng::Purpose::kVertexTrait, trial);
}
inline std::uint64_t join_draw(std::uint64_t master_seed, Vertex v, std::uint64_t join_key) {
  return rng::draw(rng::arc_hash(master_seed, rng::Purpose::kVertexTrait, v, 0x4a4f494eU),
                   join_key);
}

/// Bounds on a timed run's size, checked before work starts: points of a recruits-over-time
/// curve (horizon / curve step), and delta-stepping buckets (horizon / bucket width).
inline constexpr double kMaxCurvePoints = 1e6;
inline constexpr double kMaxDelayBuckets = 1e7;

struct TimedOptions {
  DelayModel delay;
  double horizon_hours = std::numeric_limits<double>::infinity();  ///< stop at T hours
  double delta_hours = 0.0;  ///< delta-stepping bucket width; 0 picks median / 2
};

/// One timed cascade. Dense arrays indexed by vertex, plus the list of reached vertices, so that
/// a caller can summarise a small cascade on a large network in O(reached) instead of O(n).
struct TimedCascade {
  std::vector<float> time;               ///< hours; +infinity when not reached within the horizon
  std::vector<Vertex> recruiter;         ///< kNoVertex for seeds and unreached vertices
  std::vector<std::uint8_t> joined;      ///< 1 when reached and transmitting (seeds: always)
  std::vector<Vertex> reached_vertices;  ///< every vertex with finite time, ascending
  std::uint64_t reached = 0;             ///< vertices with finite time
  std::uint64_t joined_count = 0;        ///< vertices with joined == 1
};

class TimedWorkspace;

/// Parallel delta-stepping (oneTBB) over the live subgraph: buckets of width delta, each
/// bucket relaxed in parallel rounds until stable. O(m + n) expected work per bucket pass;
/// deterministic result. Seeds are validated (< n) and deduplicated.
TimedCascade timed_cascade(const Graph& g, const LiveArcs& live, std::span<const Vertex> seeds,
                           std::uint64_t trial, const TimedOptions& options,
                           const VertexBehaviour& behaviour = {});

/// The same cascade, computed in a reusable workspace: the result is the workspace's, valid until
/// its next use. A trial that reaches r vertices costs O(r + their out-arcs) after the first,
/// not O(n): what to run many small cascades on a large network with.
const TimedCascade& timed_cascade(const Graph& g, const LiveArcs& live,
                                  std::span<const Vertex> seeds, std::uint64_t trial,
                                  const TimedOptions& options, const VertexBehaviour& behaviour,
                                  TimedWorkspace& workspace);

/// Per-vertex memory of timed_cascade kept over a sequence of trials (the habit of GAPBS and
/// Ripples of keeping buffers across runs): each trial resets only the vertices the previous
/// one reached, instead of refilling O(n) arrays. One workspace per concurrent caller; it
/// resizes itself for another graph, and an exception leaves it to be refilled on next use.
class TimedWorkspace {
 public:
  /// The cascade of the last call (empty before the first).
  const TimedCascade& cascade() const { return cascade_; }
  /// Moves the last cascade out; the workspace is refilled on next use.
  TimedCascade take() {
    clean_ = false;
    return std::move(cascade_);
  }

 private:
  friend const TimedCascade& timed_cascade(const Graph&, const LiveArcs&, std::span<const Vertex>,
                                           std::uint64_t, const TimedOptions&,
                                           const VertexBehaviour&, TimedWorkspace&);
  /// Makes every array n long and in its unreached state.
  void reset(std::uint64_t n);

  std::vector<std::atomic<std::uint64_t>> keys_;   // (time bits << 32) | recruiter
  std::vector<std::atomic<std::uint32_t>> stamp_;  // last round that relaxed a vertex
  std::vector<std::uint8_t> is_seed_;
  TimedCascade cascade_;
  bool clean_ = false;  // every array n long; only cascade_.reached_vertices are set
};

/// Sequential Dijkstra with a binary heap, same semantics: the test oracle. O(m log n).
TimedCascade timed_cascade_dijkstra(const Graph& g, const LiveArcs& live,
                                    std::span<const Vertex> seeds, std::uint64_t trial,
                                    const TimedOptions& options,
                                    const VertexBehaviour& behaviour = {});

}  // namespace cascade
