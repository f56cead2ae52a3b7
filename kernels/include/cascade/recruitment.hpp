#pragma once
// The recruitment model: two regimes on the same network and the same random numbers.
//
// Per trial, every random number is shared by both regimes (common random numbers):
//   - the arc uniform of u->v (the 53-bit number of the bit-sliced LiveArcs coin, kArcCoin);
//   - the arc delay uniform (Purpose::kArcDelay);
//   - the join uniform of v (Purpose::kVertexTrait, per vertex and trial);
//   - each vertex's motivation mix (Purpose::kVertexTrait, per vertex, trial independent).
// A reached person joins iff its join uniform < q_join(v); only joiners pass the call on, along
// arc u->v iff its arc uniform < p(u) (p_share under virality, p_recruit(u) under incentives);
// the delay of a live arc is the hashed delay times delay_factor(u) (< 1 when u recruits
// actively). Raising q or p only adds joiners and live arcs (monotone coupling).
//
// Incentive response (bounded, signed; documented in data/scenarios/README.md):
//   value(v, a)   = sum over motives m of mix_m(v) * V_m(a)      dollars, a in {join, recruit}
//   r(x)          = 1 - exp(-strength x / scale) for x >= 0, exp(strength x / scale) - 1 for x < 0
//   p_recruit(v)  = p_share + (p_recruit_max - p_share) r   (r >= 0),  p_share (1 + r)  (r < 0)
//   q_join(v)     = q_join  + (q_join_max - q_join) r        (r >= 0),  q_join (1 + r)   (r < 0)
//   delay_factor  = 1 - delay_speedup_max * max(r(value(v, recruit)), 0)
// With strength 0 (or all values 0) r = 0 exactly, so the regime equals virality bit for bit.
//
// Motive values V_m from Beliefs (what a person expects the scheme to pay; consistent beliefs
// measure them in the simulated campaign, cascade/beliefs.hpp), W(x, c) = x with probability
// weighting off, x / c * w(c) with it on (c = the chance of being paid at all):
//   profit:        join W(J, c_J)       recruit W(R1, c_R1)     (own expected payout)
//   reciprocity:   join W(R1, c_R1)     recruit W(R2, c_R2)     (what my recruiter(s) get)
//   charity:       join D               recruit D               (donation per joiner; < 0 when
//                                                              payouts come out of the pool)
//   entertainment: entertainment_dollars in every regime, virality included (default 0)
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "cascade/graph.hpp"
#include "cascade/incentive.hpp"
#include "cascade/live_arcs.hpp"
#include "cascade/timed.hpp"

namespace cascade {

/// Mean motivation weights (any non-negative scale, not all zero).
struct Motivation {
  double profit = 0.4;
  double charity = 0.2;
  double reciprocity = 0.2;
  double entertainment = 0.2;
};

inline constexpr std::size_t kMotives = 4;  ///< profit, charity, reciprocity, entertainment

/// Population behaviour and the incentive response (see data/scenarios/README.md for defaults).
struct RecruitmentParams {
  double share_probability = 0.05;       ///< p_share: a joiner passes the call to a contact
  double join_probability = 0.2;         ///< q_join: a reached person joins
  double recruit_probability_max = 0.5;  ///< p_recruit ceiling under incentives
  double join_probability_max = 0.7;     ///< q_join ceiling under incentives
  double delay_speedup_max = 0.5;        ///< at most this fraction is cut off recruiting delays
  double reward_scale_dollars = 100.0;   ///< perceived value giving r = 1 - 1/e at strength 1
  double perceived_find_chance = 0.01;   ///< phi
  double perceived_branching = 3.0;      ///< b
  unsigned perceived_levels = 5;         ///< L
  double entertainment_dollars = 0.0;    ///< game value of taking part, in every regime
  /// Selfish splits: every recruiter keeps this share of what its recruits are paid
  /// (propagate_payoffs); consistent beliefs see it as money a recruit brings its recruiter.
  double withheld_share = 0.0;
  Motivation motivation;
  /// Cumulative prospect theory probability weighting of the chance of being paid (Tversky &
  /// Kahneman 1992): off by default; gamma 0.61 is their estimate for gains.
  bool probability_weighting = false;
  double weighting_gamma = 0.61;

  /// Throws InvalidArgument naming the field. Requires p_share <= p_recruit_max <= 1, etc.
  void validate() const;
};

/// What people expect a scheme to pay (expected dollars), per joiner and per recruit.
struct Beliefs {
  double join_dollars = 0;          ///< J: expected payout to a joiner
  double join_paid_chance = 0;      ///< c_J: chance a joiner is paid anything
  double recruit_dollars = 0;       ///< R1: expected payout to the recruiter per recruit
  double recruit_paid_chance = 0;   ///< c_R1: chance a recruit brings its recruiter money
  double recruit2_dollars = 0;      ///< R2: expected payout to the recruiter's recruiter
  double recruit2_paid_chance = 0;  ///< c_R2
  double charity_dollars = 0;       ///< D: donation per joiner caused by the people (signed)
};

/// The hand-set beliefs of "assumed" mode, from perceived_find_chance phi, perceived_branching
/// b and perceived_levels L (S(d) = sum_{j<L} phi b^j pay(d + j)): J = phi pay(0) + b R1,
/// R1 = S(1) + bounty, R2 = S(2), chances phi (target schemes) or 1 (flat), D = -bounty (flat)
/// or phi (budget - sum_{k<=L} pay(k)) (target schemes), 0 without remainder to charity. O(L).
Beliefs assumed_beliefs(const IncentiveScheme& scheme, const RecruitmentParams& params);

/// w(c) = c^g / (c^g + (1 - c)^g)^(1/g), the Tversky-Kahneman (1992) weighting. c in [0, 1].
double probability_weight(double chance, double gamma);

/// Perceived values per motive (profit, charity, reciprocity, entertainment), dollars.
struct PerceivedValues {
  std::array<double, kMotives> join{};
  std::array<double, kMotives> recruit{};
};

/// V_m(join) and V_m(recruit) of a scheme under the beliefs (table above). O(1).
PerceivedValues motive_values(const IncentiveScheme& scheme, const Beliefs& beliefs,
                              const RecruitmentParams& params);

/// motive_values under assumed_beliefs. O(L).
PerceivedValues perceived_values(const IncentiveScheme& scheme, const RecruitmentParams& params);

/// The motivation mix of v: weights w_m E_m normalised to sum 1, with E_m ~ Exp(1) hashed from
/// (master_seed, v, m). A weight of 0 gives mix 0; a single nonzero weight gives mix 1. O(1).
std::array<double, kMotives> motivation_mix(std::uint64_t master_seed, Vertex v,
                                            const Motivation& motivation);

/// motivation_mix of every vertex 0 .. n-1, for a caller that builds many behaviours on one
/// network (mobilize's belief rounds): regime_behaviour reads them instead of drawing four
/// logarithms per vertex each time. 32 bytes per vertex; O(n) parallel.
std::vector<std::array<double, kMotives>> motivation_mixes(std::uint64_t n,
                                                           std::uint64_t master_seed,
                                                           const Motivation& motivation);

/// The bounded signed response r(x) in (-1, 1): 1 - exp(-strength x / scale) for x >= 0,
/// exp(strength x / scale) - 1 for x < 0; exactly 0 when strength * x == 0.
double incentive_response(double value_dollars, double strength, double scale_dollars);

/// Per-vertex behaviour of one regime on one graph (trial independent).
struct RegimeBehaviour {
  std::vector<std::uint64_t> share_threshold;  ///< rng::threshold(p(u))
  std::vector<std::uint64_t> join_threshold;   ///< rng::threshold(q(v))
  std::vector<float> delay_factor;
  double mean_share_probability = 0.0;
  double mean_join_probability = 0.0;
  /// Branching-process criticality: sum_v k(k-1) p(v) q(v) / sum_v k (k = out-degree): the mean
  /// number of recruits of a joiner reached along a random arc on a locally tree-like graph.
  double r0 = 0.0;

  VertexBehaviour view() const { return {share_threshold, join_threshold, delay_factor}; }
};

/// The per-vertex formulas of a regime (the table above) as a VertexRule: regime_behaviour
/// evaluates them for every vertex; mobilize's belief rounds hand the rule itself to the timed
/// kernel, which evaluates only the vertices a trial reaches. Keeps a copy of params and a view
/// of mixes (which must outlive it).
class RecruitmentRule final : public VertexRule {
 public:
  /// Throws InvalidArgument for bad params, a negative or non-finite strength, or mixes not
  /// empty and not one per vertex of an n-vertex graph (checked by regime_behaviour).
  RecruitmentRule(const RecruitmentParams& params, double strength, std::uint64_t master_seed,
                  const PerceivedValues& values,
                  std::span<const std::array<double, kMotives>> mixes = {});

  struct Probabilities {
    double share = 0, join = 0;  ///< p(v) and q(v)
    float delay_factor = 1.0f;
  };
  Probabilities probabilities(Vertex v) const;
  VertexTraits at(Vertex v) const override;

 private:
  RecruitmentParams params_;
  double strength_;
  std::uint64_t master_seed_;
  PerceivedValues values_;
  std::span<const std::array<double, kMotives>> mixes_;
  bool responds_;  // strength > 0 and some value nonzero: else every vertex is the virality one
};

/// Builds the regime from motive values: all values 0 or strength 0 gives the virality regime.
/// mixes: motivation_mixes(n, master_seed, params.motivation), or empty to draw them here (the
/// same numbers). O(n) parallel, deterministic.
RegimeBehaviour regime_behaviour(const Graph& g, const RecruitmentParams& params,
                                 const IncentiveScheme& scheme, double strength,
                                 std::uint64_t master_seed, const PerceivedValues& values,
                                 std::span<const std::array<double, kMotives>> mixes = {});

/// Same under assumed beliefs (perceived_values).
RegimeBehaviour regime_behaviour(const Graph& g, const RecruitmentParams& params,
                                 const IncentiveScheme& scheme, double strength,
                                 std::uint64_t master_seed);

/// The LiveArcs every regime shares: uniform p_share coins under master_seed.
LiveArcs recruitment_arcs(const Graph& g, const RecruitmentParams& params,
                          std::uint64_t master_seed);

/// One trial of one regime: the timed cascade over joiners (parallel delta-stepping).
TimedCascade recruit(const Graph& g, const LiveArcs& arcs, const RegimeBehaviour& regime,
                     std::span<const Vertex> seeds, std::uint64_t trial,
                     const TimedOptions& options);
/// The same in a reusable workspace (O(reached) per trial after the first; see TimedWorkspace):
/// the result is the workspace's, valid until its next use.
const TimedCascade& recruit(const Graph& g, const LiveArcs& arcs, const RegimeBehaviour& regime,
                            std::span<const Vertex> seeds, std::uint64_t trial,
                            const TimedOptions& options, TimedWorkspace& workspace);

}  // namespace cascade
