// Consistent beliefs: the realised payouts of a trial and the damped fixed point over rounds.
#include "cascade/beliefs.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_set>
#include <vector>

#include "cascade/error.hpp"

namespace cascade {

void RealisedTally::add(const RealisedTally& o) {
  joiners += o.joiners, recruits += o.recruits, deep_recruits += o.deep_recruits;
  payout_cents += o.payout_cents, paid_joiners += o.paid_joiners;
  recruit_cents += o.recruit_cents, recruit_paid += o.recruit_paid;
  recruit2_cents += o.recruit2_cents, recruit2_paid += o.recruit2_paid;
  charity_cents += o.charity_cents;
}

Beliefs RealisedTally::beliefs() const {
  auto ratio = [](double a, double b) { return b > 0 ? a / b : 0.0; };
  Beliefs out;
  out.join_dollars = ratio(payout_cents, joiners) / 100.0;
  out.join_paid_chance = ratio(paid_joiners, joiners);
  out.recruit_dollars = ratio(recruit_cents, recruits) / 100.0;
  out.recruit_paid_chance = ratio(recruit_paid, recruits);
  out.recruit2_dollars = ratio(recruit2_cents, deep_recruits) / 100.0;
  out.recruit2_paid_chance = ratio(recruit2_paid, deep_recruits);
  out.charity_dollars = ratio(charity_cents, joiners) / 100.0;
  return out;
}

RealisedTally realised_tally(const RecruitmentForest& forest, std::span<const std::uint32_t> depth,
                             const IncentiveScheme& scheme, const PayoffResult& payoffs) {
  RealisedTally t;
  const std::uint64_t n = forest.joined.size();
  for (std::uint64_t v = 0; v < n; ++v) {
    if (!forest.joined[v]) continue;
    t.joiners += 1;
    if (depth[v] >= 1) t.recruits += 1;
    if (depth[v] >= 2) t.deep_recruits += 1;
    if (payoffs.payoff_cents[v] > 0) t.paid_joiners += 1;
    // Flat bounty: a recruit brings its recruiter the (pro-rata) bounty.
    if (scheme.kind == SchemeKind::kFlatBounty && depth[v] >= 1 &&
        payoffs.payoff_cents[forest.recruiter[v]] > 0)
      t.recruit_paid += 1;
  }
  t.payout_cents = static_cast<double>(payoffs.payout_cents);
  if (scheme.kind == SchemeKind::kFlatBounty) {
    t.recruit_cents = t.payout_cents;  // every bounty is paid to a recruiter for a recruit
    if (scheme.remainder_to_charity) t.charity_cents = -t.payout_cents;
  } else if (scheme.pays_for_targets()) {
    // Walk up from each finder: the vertex k levels up is paid pay[k], through the vertex
    // k - 1 levels up (to its recruiter) and k - 2 levels up (two levels above it).
    // Chain-dependent schemes (almost-uniform) take the table of each finder's chain length.
    const std::vector<std::int64_t> levels = scheme.level_payments_cents();
    const std::size_t walk = scheme.depends_on_chain() ? scheme.max_chain + 1 : levels.size();
    std::unordered_set<Vertex> through1, through2;
    std::vector<Vertex> chain;
    std::vector<std::int64_t> pay;
    for (Vertex f : forest.finders) {
      chain.clear();
      for (Vertex v = f; v != kNoVertex && chain.size() < walk; v = forest.recruiter[v])
        chain.push_back(v);
      pay = scheme.depends_on_chain() ? scheme.chain_payments_cents(chain.size()) : levels;
      if (pay.size() < chain.size()) chain.resize(pay.size());
      for (std::size_t k = 1; k < chain.size(); ++k) {
        if (pay[k] <= 0) continue;
        t.recruit_cents += static_cast<double>(pay[k]);
        through1.insert(chain[k - 1]);
        if (k >= 2) {
          t.recruit2_cents += static_cast<double>(pay[k]);
          through2.insert(chain[k - 2]);
        }
      }
    }
    // Selfish splits: what a recruiter kept of its recruit's pay also came through the recruit.
    if (!payoffs.withheld_cents.empty())
      for (std::uint64_t v = 0; v < n; ++v)
        if (forest.joined[v] && depth[v] >= 1 && payoffs.withheld_cents[v] > 0) {
          t.recruit_cents += static_cast<double>(payoffs.withheld_cents[v]);
          through1.insert(static_cast<Vertex>(v));
        }
    t.recruit_paid = static_cast<double>(through1.size());
    t.recruit2_paid = static_cast<double>(through2.size());
    if (scheme.remainder_to_charity) t.charity_cents = static_cast<double>(payoffs.charity_cents);
  }
  return t;
}

double relative_change(const Beliefs& a, const Beliefs& b) {
  auto money = [](double x, double y) {
    return std::abs(x - y) / std::max({std::abs(x), std::abs(y), 0.01});
  };
  auto chance = [](double x, double y) { return std::abs(x - y) / std::max({x, y, 1e-4}); };
  return std::max(
      {money(a.join_dollars, b.join_dollars), money(a.recruit_dollars, b.recruit_dollars),
       money(a.recruit2_dollars, b.recruit2_dollars), money(a.charity_dollars, b.charity_dollars),
       chance(a.join_paid_chance, b.join_paid_chance),
       chance(a.recruit_paid_chance, b.recruit_paid_chance),
       chance(a.recruit2_paid_chance, b.recruit2_paid_chance)});
}

void validate(const BeliefOptions& o) {
  if (!(o.damping > 0.0 && o.damping <= 1.0))
    throw InvalidArgument("beliefs.damping = " + std::to_string(o.damping) + " must be in (0, 1]");
  if (!(o.tolerance > 0.0) || !std::isfinite(o.tolerance))
    throw InvalidArgument("beliefs.tolerance = " + std::to_string(o.tolerance) + " must be > 0");
  if (o.max_rounds < 1 || o.max_rounds > 1000)
    throw InvalidArgument("beliefs.max_rounds = " + std::to_string(o.max_rounds) +
                          " must be in 1 .. 1000");
}

namespace {

Beliefs blend(const Beliefs& b, const Beliefs& r, double eta) {
  auto mix = [eta](double x, double y) { return (1.0 - eta) * x + eta * y; };
  Beliefs out;
  out.join_dollars = mix(b.join_dollars, r.join_dollars);
  out.join_paid_chance = mix(b.join_paid_chance, r.join_paid_chance);
  out.recruit_dollars = mix(b.recruit_dollars, r.recruit_dollars);
  out.recruit_paid_chance = mix(b.recruit_paid_chance, r.recruit_paid_chance);
  out.recruit2_dollars = mix(b.recruit2_dollars, r.recruit2_dollars);
  out.recruit2_paid_chance = mix(b.recruit2_paid_chance, r.recruit2_paid_chance);
  out.charity_dollars = mix(b.charity_dollars, r.charity_dollars);
  return out;
}

}  // namespace

BeliefSolution solve_beliefs(const Beliefs& start, const BeliefOptions& options,
                             const std::function<Beliefs(const Beliefs&)>& realise) {
  validate(options);
  BeliefSolution out;
  Beliefs b = start;
  out.converged = false;
  for (out.rounds = 1; out.rounds <= options.max_rounds; ++out.rounds) {
    const Beliefs realised = realise(b);
    out.realised = realised;
    const Beliefs next = blend(b, realised, options.damping);
    out.last_change = relative_change(b, next);
    b = next;
    if (out.last_change < options.tolerance) {
      out.converged = true;
      break;
    }
  }
  if (!out.converged) {
    out.rounds = options.max_rounds;
    out.warning = "beliefs did not converge in " + std::to_string(options.max_rounds) +
                  " rounds (last relative change " + std::to_string(out.last_change) +
                  ", tolerance " + std::to_string(options.tolerance) + ")";
  }
  out.perceived = b;
  return out;
}

}  // namespace cascade
