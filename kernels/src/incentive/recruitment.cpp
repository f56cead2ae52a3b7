// The recruitment model: per-vertex behaviour of a regime, then a timed cascade over joiners.
#include "cascade/recruitment.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "cascade/error.hpp"
#include "cascade/random.hpp"

namespace cascade {

namespace {

void check_probability(double p, const char* field) {
  if (!(p >= 0.0 && p <= 1.0))
    throw InvalidArgument(std::string(field) + " = " + std::to_string(p) + " is not in [0, 1]");
}

void check_non_negative(double x, const char* field) {
  if (!(x >= 0.0) || !std::isfinite(x))
    throw InvalidArgument(std::string(field) + " = " + std::to_string(x) +
                          " must be a finite number >= 0");
}

}  // namespace

void RecruitmentParams::validate() const {
  check_probability(share_probability, "share_probability");
  check_probability(join_probability, "join_probability");
  check_probability(recruit_probability_max, "recruit_probability_max");
  check_probability(join_probability_max, "join_probability_max");
  check_probability(delay_speedup_max, "delay_speedup_max");
  if (recruit_probability_max < share_probability)
    throw InvalidArgument("recruit_probability_max = " + std::to_string(recruit_probability_max) +
                          " is below share_probability = " + std::to_string(share_probability));
  if (join_probability_max < join_probability)
    throw InvalidArgument("join_probability_max = " + std::to_string(join_probability_max) +
                          " is below join_probability = " + std::to_string(join_probability));
  if (delay_speedup_max >= 1.0)
    throw InvalidArgument("delay_speedup_max = " + std::to_string(delay_speedup_max) +
                          " must be < 1 (delays stay positive)");
  if (!(reward_scale_dollars > 0.0) || !std::isfinite(reward_scale_dollars))
    throw InvalidArgument("reward_scale_dollars = " + std::to_string(reward_scale_dollars) +
                          " must be > 0");
  check_probability(perceived_find_chance, "perceived_find_chance");
  check_non_negative(perceived_branching, "perceived_branching");
  check_non_negative(entertainment_dollars, "entertainment_dollars");
  check_probability(withheld_share, "withheld_share");
  if (!(weighting_gamma >= 0.28 && weighting_gamma <= 1.0))
    throw InvalidArgument("probability_weighting.gamma = " + std::to_string(weighting_gamma) +
                          " must be in [0.28, 1] (below 0.28 w(p) is not monotone)");
  if (perceived_levels > 64)
    throw InvalidArgument("perceived_levels = " + std::to_string(perceived_levels) +
                          " must be <= 64");
  check_non_negative(motivation.profit, "motivation.profit");
  check_non_negative(motivation.charity, "motivation.charity");
  check_non_negative(motivation.reciprocity, "motivation.reciprocity");
  check_non_negative(motivation.entertainment, "motivation.entertainment");
  if (motivation.profit + motivation.charity + motivation.reciprocity + motivation.entertainment <=
      0.0)
    throw InvalidArgument("motivation weights are all 0");
}

Beliefs assumed_beliefs(const IncentiveScheme& scheme, const RecruitmentParams& params) {
  Beliefs out;
  if (scheme.kind == SchemeKind::kNone) return out;
  const double phi = params.perceived_find_chance, b = params.perceived_branching;
  // S(d): what a contact's subtree is expected to pay someone d levels above its finders.
  auto subtree = [&](unsigned d) {
    double s = 0.0, reach = 1.0;
    for (unsigned j = 0; j < params.perceived_levels; ++j, reach *= b)
      s += phi * reach * scheme.payment_dollars(d + j);
    return s;
  };
  const bool flat = scheme.kind == SchemeKind::kFlatBounty;
  const double bounty = flat ? scheme.bounty_dollars : 0.0;
  out.recruit_dollars = subtree(1) + bounty;
  out.join_dollars = phi * scheme.payment_dollars(0) + b * out.recruit_dollars;
  out.recruit2_dollars = subtree(2);
  out.join_paid_chance = out.recruit_paid_chance = out.recruit2_paid_chance = flat ? 1.0 : phi;
  if (scheme.remainder_to_charity) {
    if (flat) {
      out.charity_dollars = -bounty;
    } else {
      double chain = 0.0;
      for (unsigned k = 0; k <= params.perceived_levels; ++k) chain += scheme.payment_dollars(k);
      out.charity_dollars =
          phi * (static_cast<double>(scheme.budget_per_target_cents()) / 100.0 - chain);
    }
  }
  return out;
}

double probability_weight(double chance, double gamma) {
  if (chance <= 0.0) return 0.0;
  if (chance >= 1.0) return 1.0;
  const double a = std::pow(chance, gamma), b = std::pow(1.0 - chance, gamma);
  return a / std::pow(a + b, 1.0 / gamma);
}

PerceivedValues motive_values(const IncentiveScheme& scheme, const Beliefs& beliefs,
                              const RecruitmentParams& params) {
  PerceivedValues out;
  // W(x, c): the expected payout x, or x / c * w(c) under probability weighting.
  auto weigh = [&params](double dollars, double chance) {
    if (!params.probability_weighting) return dollars;
    if (!(chance > 0.0)) return 0.0;
    return dollars / chance * probability_weight(chance, params.weighting_gamma);
  };
  enum { kProfit, kCharity, kReciprocity, kEntertainment };
  if (scheme.kind != SchemeKind::kNone) {
    out.join[kProfit] = weigh(beliefs.join_dollars, beliefs.join_paid_chance);
    out.recruit[kProfit] = weigh(beliefs.recruit_dollars, beliefs.recruit_paid_chance);
    out.join[kReciprocity] = weigh(beliefs.recruit_dollars, beliefs.recruit_paid_chance);
    out.recruit[kReciprocity] = weigh(beliefs.recruit2_dollars, beliefs.recruit2_paid_chance);
    if (scheme.remainder_to_charity)
      out.join[kCharity] = out.recruit[kCharity] = beliefs.charity_dollars;
  }
  out.recruit[kEntertainment] = out.join[kEntertainment] = params.entertainment_dollars;
  return out;
}

PerceivedValues perceived_values(const IncentiveScheme& scheme, const RecruitmentParams& params) {
  return motive_values(scheme, assumed_beliefs(scheme, params), params);
}

std::array<double, kMotives> motivation_mix(std::uint64_t master_seed, Vertex v,
                                            const Motivation& motivation) {
  const double weights[kMotives] = {motivation.profit, motivation.charity, motivation.reciprocity,
                                    motivation.entertainment};
  std::array<double, kMotives> mix{};
  double total = 0.0;
  for (std::size_t m = 0; m < kMotives; ++m) {
    if (weights[m] <= 0.0) continue;
    const double e = -std::log(
        rng::unit_open0(rng::hash(master_seed, rng::Purpose::kVertexTrait, v, 0x4d495800U + m)));
    mix[m] = weights[m] * e;
    total += mix[m];
  }
  for (double& x : mix) x = total > 0.0 ? x / total : 0.0;
  return mix;
}

std::vector<std::array<double, kMotives>> motivation_mixes(std::uint64_t n,
                                                           std::uint64_t master_seed,
                                                           const Motivation& motivation) {
  std::vector<std::array<double, kMotives>> mixes(n);
  tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, n, 1 << 12), [&](const auto& range) {
    for (auto v = range.begin(); v < range.end(); ++v)
      mixes[v] = motivation_mix(master_seed, static_cast<Vertex>(v), motivation);
  });
  return mixes;
}

double incentive_response(double value_dollars, double strength, double scale_dollars) {
  const double x = strength * value_dollars / scale_dollars;
  if (x > 0.0) return -std::expm1(-x);
  return x < 0.0 ? std::expm1(x) : 0.0;
}

RegimeBehaviour regime_behaviour(const Graph& g, const RecruitmentParams& params,
                                 const IncentiveScheme& scheme, double strength,
                                 std::uint64_t master_seed) {
  return regime_behaviour(g, params, scheme, strength, master_seed,
                          perceived_values(scheme, params));
}

RecruitmentRule::RecruitmentRule(const RecruitmentParams& params, double strength,
                                 std::uint64_t master_seed, const PerceivedValues& values,
                                 std::span<const std::array<double, kMotives>> mixes)
    : params_(params),
      strength_(strength),
      master_seed_(master_seed),
      values_(values),
      mixes_(mixes) {
  params.validate();
  if (!(strength >= 0.0) || !std::isfinite(strength))
    throw InvalidArgument("incentive strength = " + std::to_string(strength) +
                          " must be a finite number >= 0");
  bool any_value = false;
  for (std::size_t m = 0; m < kMotives; ++m)
    any_value = any_value || values.join[m] != 0.0 || values.recruit[m] != 0.0;
  responds_ = strength > 0.0 && any_value;
}

RecruitmentRule::Probabilities RecruitmentRule::probabilities(Vertex v) const {
  double recruit_value = 0.0, join_value = 0.0;
  if (responds_) {
    const auto mix =
        mixes_.empty() ? motivation_mix(master_seed_, v, params_.motivation) : mixes_[v];
    for (std::size_t m = 0; m < kMotives; ++m) {
      recruit_value += mix[m] * values_.recruit[m];
      join_value += mix[m] * values_.join[m];
    }
  }
  const double rr = incentive_response(recruit_value, strength_, params_.reward_scale_dollars);
  const double rj = incentive_response(join_value, strength_, params_.reward_scale_dollars);
  // r == 0 gives exactly p_share, q_join and factor 1: the virality regime. A negative value
  // (charity seeing its donation paid out) scales the base probability down.
  Probabilities out;
  out.share = rr >= 0.0 ? params_.share_probability +
                              (params_.recruit_probability_max - params_.share_probability) * rr
                        : params_.share_probability * (1.0 + rr);
  out.join = rj >= 0.0 ? params_.join_probability +
                             (params_.join_probability_max - params_.join_probability) * rj
                       : params_.join_probability * (1.0 + rj);
  out.delay_factor = static_cast<float>(1.0 - params_.delay_speedup_max * std::max(rr, 0.0));
  return out;
}

VertexTraits RecruitmentRule::at(Vertex v) const {
  const Probabilities p = probabilities(v);
  return {rng::threshold(p.share), rng::threshold(p.join), p.delay_factor};
}

RegimeBehaviour regime_behaviour(const Graph& g, const RecruitmentParams& params,
                                 const IncentiveScheme& scheme, double strength,
                                 std::uint64_t master_seed, const PerceivedValues& values,
                                 std::span<const std::array<double, kMotives>> mixes) {
  params.validate();
  scheme.validate();
  const RecruitmentRule rule(params, strength, master_seed, values, mixes);
  const std::uint64_t n = g.num_vertices();
  if (!mixes.empty() && mixes.size() != n)
    throw InvalidArgument("regime_behaviour: " + std::to_string(mixes.size()) +
                          " motivation mixes for " + std::to_string(n) + " vertices");
  RegimeBehaviour out;
  out.share_threshold.resize(n);
  out.join_threshold.resize(n);
  out.delay_factor.resize(n);
  std::vector<double> p(n), q(n);
  tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, n, 1 << 12), [&](const auto& range) {
    for (auto i = range.begin(); i < range.end(); ++i) {
      const RecruitmentRule::Probabilities pv = rule.probabilities(static_cast<Vertex>(i));
      p[i] = pv.share;
      q[i] = pv.join;
      out.share_threshold[i] = rng::threshold(pv.share);
      out.join_threshold[i] = rng::threshold(pv.join);
      out.delay_factor[i] = pv.delay_factor;
    }
  });
  // Deterministic sums: fixed chunks, added in order.
  constexpr std::uint64_t kChunk = 1 << 16;
  const std::uint64_t chunks = (n + kChunk - 1) / kChunk;
  std::vector<double> sum_p(chunks), sum_q(chunks), sum_r0(chunks), sum_k(chunks);
  tbb::parallel_for(std::uint64_t{0}, chunks, [&](std::uint64_t c) {
    for (std::uint64_t v = c * kChunk; v < std::min(n, (c + 1) * kChunk); ++v) {
      const double k = static_cast<double>(g.out_degree(static_cast<Vertex>(v)));
      sum_p[c] += p[v];
      sum_q[c] += q[v];
      sum_r0[c] += k * (k - 1.0) * p[v] * q[v];
      sum_k[c] += k;
    }
  });
  double tp = 0, tq = 0, tr = 0, tk = 0;
  for (std::uint64_t c = 0; c < chunks; ++c) {
    tp += sum_p[c];
    tq += sum_q[c];
    tr += sum_r0[c];
    tk += sum_k[c];
  }
  if (n > 0) {
    out.mean_share_probability = tp / static_cast<double>(n);
    out.mean_join_probability = tq / static_cast<double>(n);
  }
  out.r0 = tk > 0 ? tr / tk : 0.0;
  return out;
}

LiveArcs recruitment_arcs(const Graph& g, const RecruitmentParams& params,
                          std::uint64_t master_seed) {
  return LiveArcs(g, ArcProbability::uniform(params.share_probability), master_seed);
}

TimedCascade recruit(const Graph& g, const LiveArcs& arcs, const RegimeBehaviour& regime,
                     std::span<const Vertex> seeds, std::uint64_t trial,
                     const TimedOptions& options) {
  return timed_cascade(g, arcs, seeds, trial, options, regime.view());
}

const TimedCascade& recruit(const Graph& g, const LiveArcs& arcs, const RegimeBehaviour& regime,
                            std::span<const Vertex> seeds, std::uint64_t trial,
                            const TimedOptions& options, TimedWorkspace& workspace) {
  return timed_cascade(g, arcs, seeds, trial, options, regime.view(), workspace);
}

}  // namespace cascade
