// mobilize(): the virality-vs-incentive comparison of a scenario (its JSON / CSV / table:
// frontend/src/mobilize_report.cpp).
#include "cascade/mobilize.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <sstream>

#include "cascade/branching.hpp"
#include "cascade/error.hpp"
#include "cascade/labels.hpp"
#include "cascade/parallel.hpp"
#include "cascade/random.hpp"
#include "cascade/recruitment.hpp"
#include "cascade/seeds.hpp"
#include "cascade/statistics.hpp"
#include "cascade/sybil.hpp"
#include "cascade/timed.hpp"
#include "distributed/byte_io.hpp"

namespace cascade {

Summary Summary::of(const std::vector<double>& values) {
  Summary s;
  if (values.empty()) return s;
  const double n = static_cast<double>(values.size());
  double sum = 0;
  for (double x : values) sum += x;
  s.mean = sum / n;
  double squares = 0;
  for (double x : values) squares += (x - s.mean) * (x - s.mean);
  s.se = spread_of(squares, n).standard_error;
  const Interval ci = normal_ci95(s.mean, s.se);
  s.lo = ci.lo;
  s.hi = ci.hi;
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  s.min = *lo;
  s.max = *hi;
  return s;
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Everything one trial of one regime contributes to the report.
struct TrialResult {
  double recruits = 0, reached = 0, payout = 0, charity = 0, found = 0;
  double max_payoff = 0, gini = 0, depth_max = 0;
  double hours_to_all = kNaN;                            // NaN unless every target was found
  double branching_parents = 0, branching_children = 0;  // censoring-corrected offspring sums
  std::vector<double> target_hours;                      // NaN when not found
  std::vector<std::uint64_t> depth_histogram, offspring_histogram, tree_size_histogram;
  std::vector<std::uint64_t> reached_curve, joined_curve, active_curve;
  RealisedTally tally;  // what the scheme paid, for the realised beliefs
  std::uint64_t network_size = 0;
  double attack_gain = 0, attack_honest_loss = 0, attack_charity_loss = 0, attackers = 0;
};

// The hidden targets of one trial (the same for every regime): witness w of target t and its
// sighting time are drawn from the stream (master, kTarget, trial, t). A target is found by the
// joined witness with the earliest max(join time, sighting time), ties to the smaller id.
struct TargetOutcome {
  std::vector<double> hours;    // after the targets appear; NaN when not found
  std::vector<Vertex> finders;  // one per found target
};

TargetOutcome find_targets(const TimedCascade& c, const Scenario& s, std::uint64_t trial) {
  const std::uint64_t n = c.time.size();
  TargetOutcome out;
  const TargetSpec& spec = s.targets;
  for (std::uint64_t t = 0; t < spec.count; ++t) {
    rng::Stream stream(s.master_seed, rng::Purpose::kTarget, trial, t);
    double best = std::numeric_limits<double>::infinity();
    Vertex finder = kNoVertex;
    for (std::uint64_t i = 0; i < spec.witnesses; ++i) {
      const auto w = static_cast<Vertex>(stream.next_below(n));
      const double sighting = spec.appear_hours + spec.sighting_median_hours *
                                                      -std::log(rng::unit_open0(stream.next())) /
                                                      std::numbers::ln2;
      if (!c.joined[w]) continue;
      const double at = std::max(static_cast<double>(c.time[w]), sighting);
      if (at <= s.horizon_hours && (at < best || (at == best && w < finder))) {
        best = at;
        finder = w;
      }
    }
    out.hours.push_back(finder == kNoVertex ? kNaN : best - spec.appear_hours);
    if (finder != kNoVertex) out.finders.push_back(finder);
  }
  return out;
}

// Counts per grid point: how many times fall at or before hours[j] (cumulative), from a
// difference array filled in parallel with thread-local arrays (integers: deterministic).
struct Curves {
  std::vector<std::uint64_t> reached, joined, active;
};

Curves trial_curves(const TimedCascade& c, const ForestShape& shape, double step,
                    std::size_t points) {
  const std::uint64_t n = c.time.size();
  // Latest join time among each recruiter's recruits (float bits order like the values).
  std::vector<std::uint32_t> last(n, 0);
  tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, n, 1 << 14), [&](const auto& range) {
    for (auto v = range.begin(); v < range.end(); ++v) {
      if (!c.joined[v] || c.recruiter[v] == kNoVertex) continue;
      std::atomic_ref<std::uint32_t> slot(last[c.recruiter[v]]);
      const auto bits = std::bit_cast<std::uint32_t>(c.time[v]);
      std::uint32_t old = slot.load(std::memory_order_relaxed);
      while (bits > old && !slot.compare_exchange_weak(old, bits, std::memory_order_relaxed)) {
      }
    }
  });
  struct Local {
    std::vector<std::int64_t> reached, joined, active;
  };
  tbb::enumerable_thread_specific<Local> locals([points] {
    return Local{std::vector<std::int64_t>(points + 1, 0), std::vector<std::int64_t>(points + 1, 0),
                 std::vector<std::int64_t>(points + 1, 0)};
  });
  auto first_point = [step](double t) { return static_cast<std::size_t>(std::ceil(t / step)); };
  tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, n, 1 << 14), [&](const auto& range) {
    Local& local = locals.local();
    for (auto v = range.begin(); v < range.end(); ++v) {
      if (!std::isfinite(c.time[v])) continue;
      const std::size_t j = first_point(c.time[v]);
      if (j >= points) continue;
      ++local.reached[j];
      if (!c.joined[v]) continue;
      ++local.joined[j];
      if (shape.offspring[v] == 0) continue;  // active from joining until the last recruit
      const auto end = static_cast<std::size_t>(
          std::floor(static_cast<double>(std::bit_cast<float>(last[v])) / step));
      if (j <= end) {
        ++local.active[j];
        --local.active[std::min(end + 1, points)];
      }
    }
  });
  Curves out{std::vector<std::uint64_t>(points), std::vector<std::uint64_t>(points),
             std::vector<std::uint64_t>(points)};
  std::int64_t r = 0, jn = 0, a = 0;
  for (std::size_t j = 0; j < points; ++j) {
    for (const Local& local : locals) {
      r += local.reached[j];
      jn += local.joined[j];
      a += local.active[j];
    }
    out.reached[j] = static_cast<std::uint64_t>(r);
    out.joined[j] = static_cast<std::uint64_t>(jn);
    out.active[j] = static_cast<std::uint64_t>(a);
  }
  return out;
}

// Sizes of the recruitment trees (log2 bins, kTreeSizeBins): subtree sizes accumulate from the
// deepest joiners up (a recruit's depth is its recruiter's plus one), then each root's size is
// binned. Sequential O(n); the depth buckets come from the depth histogram.
std::vector<std::uint64_t> tree_size_histogram(std::span<const Vertex> recruiter,
                                               std::span<const std::uint8_t> joined,
                                               const ForestShape& shape,
                                               std::span<const std::uint64_t> per_depth) {
  std::vector<std::uint64_t> start(per_depth.size() + 1, 0);
  for (std::size_t d = 0; d < per_depth.size(); ++d) start[d + 1] = start[d] + per_depth[d];
  std::vector<Vertex> by_depth(start.back());
  std::vector<std::uint64_t> next(start.begin(), start.end() - 1);
  for (std::uint64_t v = 0; v < joined.size(); ++v)
    if (joined[v]) by_depth[next[shape.depth[v]]++] = static_cast<Vertex>(v);
  std::vector<std::uint64_t> size(joined.size(), 0);
  std::vector<std::uint64_t> bins(kTreeSizeBins, 0);
  for (std::size_t i = by_depth.size(); i-- > 0;) {
    const Vertex v = by_depth[i];
    size[v] += 1;  // v itself
    if (shape.depth[v] > 0) {
      size[recruiter[v]] += size[v];
    } else {
      ++bins[std::min<std::size_t>(std::bit_width(size[v]) - 1, kTreeSizeBins - 1)];
    }
  }
  return bins;
}

TrialResult evaluate_trial(const TimedCascade& c, const Scenario& s, const IncentiveScheme& scheme,
                           const RegimeBehaviour& behaviour, std::uint64_t trial,
                           std::size_t points) {
  TrialResult r;
  r.recruits = static_cast<double>(c.joined_count);
  r.reached = static_cast<double>(c.reached);
  r.network_size = c.joined.size();

  const TargetOutcome targets = find_targets(c, s, trial);
  r.target_hours = targets.hours;
  r.found = static_cast<double>(targets.finders.size());
  if (s.targets.count > 0 && targets.finders.size() == s.targets.count)
    r.hours_to_all = *std::max_element(targets.hours.begin(), targets.hours.end());

  const PayoffResult pay = propagate_payoffs({c.recruiter, c.joined, targets.finders}, scheme,
                                             s.targets.count, s.recruitment.withheld_share);
  r.payout = static_cast<double>(pay.payout_cents) / 100.0;
  r.charity = static_cast<double>(pay.charity_cents) / 100.0;
  r.max_payoff = static_cast<double>(pay.max_payoff_cents) / 100.0;
  r.gini = pay.gini;

  if (s.attack.active()) {
    const SybilOutcome o = sybil_outcome(
        {c.recruiter, c.joined, targets.finders}, scheme, s.targets.count,
        choose_sybil_attackers(c.joined, s.attack, s.master_seed), s.attack.fakes, s.attack.role);
    r.attack_gain = static_cast<double>(o.gain_cents) / 100.0;
    r.attack_honest_loss = static_cast<double>(o.honest_loss_cents) / 100.0;
    r.attack_charity_loss = static_cast<double>(o.charity_loss_cents) / 100.0;
    r.attackers = static_cast<double>(o.attackers);
  }

  const ForestShape shape = forest_shape(c.recruiter, c.joined);
  r.tally = realised_tally({c.recruiter, c.joined, targets.finders}, shape.depth, scheme, pay);
  r.depth_max = shape.max_depth;
  r.depth_histogram.assign(shape.max_depth + 1, 0);
  r.offspring_histogram.assign(kOffspringBins, 0);
  for (std::uint64_t v = 0; v < c.joined.size(); ++v) {
    if (!c.joined[v]) continue;
    ++r.depth_histogram[shape.depth[v]];
    ++r.offspring_histogram[std::min<std::size_t>(shape.offspring[v], kOffspringBins - 1)];
    // Horvitz-Thompson: a recruit of v arrives before the horizon with chance F(left / f_v).
    if (shape.depth[v] == 0) continue;
    const double window = (s.horizon_hours - c.time[v]) / behaviour.delay_factor[v];
    const double seen = s.delay.cdf(window);
    if (seen < 0.5) continue;  // joined less than one median delay before the horizon
    r.branching_parents += 1;
    r.branching_children += shape.offspring[v] / seen;
  }
  r.tree_size_histogram = tree_size_histogram(c.recruiter, c.joined, shape, r.depth_histogram);

  Curves curves = trial_curves(c, shape, s.curve_step_hours, points);
  r.reached_curve = std::move(curves.reached);
  r.joined_curve = std::move(curves.joined);
  r.active_curve = std::move(curves.active);
  return r;
}

// The ten sums of a RealisedTally, in declaration order.
std::array<double*, 10> tally_fields(RealisedTally& t) {
  return {&t.joiners,       &t.recruits,     &t.deep_recruits,  &t.payout_cents,  &t.paid_joiners,
          &t.recruit_cents, &t.recruit_paid, &t.recruit2_cents, &t.recruit2_paid, &t.charity_cents};
}

void put_tally(detail::ByteWriter& w, RealisedTally t) {
  for (double* x : tally_fields(t)) w.put(*x);
}

RealisedTally get_tally(detail::ByteReader& r) {
  RealisedTally t;
  for (double* x : tally_fields(t)) *x = r.get<double>();
  return t;
}

// One belief round's trial: the cascade, its targets and payoffs, tallied.
RealisedTally belief_trial(const TimedCascade& c, const Scenario& s, const IncentiveScheme& scheme,
                           std::uint64_t trial) {
  const TargetOutcome targets = find_targets(c, s, trial);
  const RecruitmentForest forest{c.recruiter, c.joined, targets.finders};
  const PayoffResult pay =
      propagate_payoffs(forest, scheme, s.targets.count, s.recruitment.withheld_share);
  const ForestShape shape = forest_shape(c.recruiter, c.joined);
  return realised_tally(forest, shape.depth, scheme, pay);
}

// Bit-exact encoding of a trial's record, to gather the records of other ranks.
void put_trial(detail::ByteWriter& w, const TrialResult& t) {
  for (double x : {t.recruits, t.reached, t.payout, t.charity, t.found, t.max_payoff, t.gini,
                   t.depth_max, t.hours_to_all, t.branching_parents, t.branching_children})
    w.put(x);
  w.put_vector(t.target_hours);
  w.put_vector(t.depth_histogram);
  w.put_vector(t.offspring_histogram);
  w.put_vector(t.tree_size_histogram);
  w.put_vector(t.reached_curve);
  w.put_vector(t.joined_curve);
  w.put_vector(t.active_curve);
  put_tally(w, t.tally);
  w.put(t.network_size);
  for (double x : {t.attack_gain, t.attack_honest_loss, t.attack_charity_loss, t.attackers})
    w.put(x);
}

TrialResult get_trial(detail::ByteReader& r) {
  TrialResult t;
  for (double* x :
       {&t.recruits, &t.reached, &t.payout, &t.charity, &t.found, &t.max_payoff, &t.gini,
        &t.depth_max, &t.hours_to_all, &t.branching_parents, &t.branching_children})
    *x = r.get<double>();
  t.target_hours = r.get_vector<double>();
  t.depth_histogram = r.get_vector<std::uint64_t>();
  t.offspring_histogram = r.get_vector<std::uint64_t>();
  t.tree_size_histogram = r.get_vector<std::uint64_t>();
  t.reached_curve = r.get_vector<std::uint64_t>();
  t.joined_curve = r.get_vector<std::uint64_t>();
  t.active_curve = r.get_vector<std::uint64_t>();
  t.tally = get_tally(r);
  t.network_size = r.get<std::uint64_t>();
  for (double* x : {&t.attack_gain, &t.attack_honest_loss, &t.attack_charity_loss, &t.attackers})
    *x = r.get<double>();
  return t;
}

// Replaces each regime's records of this rank's trials by every rank's, in trial order, on rank
// 0 (other ranks end with none).
void gather_trials(const Communicator& comm, std::vector<std::vector<TrialResult>>& results) {
  detail::ByteWriter w;
  for (const auto& regime : results) {
    w.put<std::uint64_t>(regime.size());
    for (const TrialResult& t : regime) put_trial(w, t);
  }
  const auto parts = comm.gather(w.bytes(), /*to_all=*/false);
  for (auto& regime : results) regime.clear();
  for (const auto& part : parts) {  // rank order: contiguous blocks, so trial order
    detail::ByteReader r(part);
    for (auto& regime : results) {
      const auto n = r.get<std::uint64_t>();
      for (std::uint64_t k = 0; k < n; ++k) regime.push_back(get_trial(r));
    }
  }
}

Band band_of(const std::vector<TrialResult>& trials, std::vector<std::uint64_t> TrialResult::*curve,
             std::size_t points) {
  Band b;
  std::vector<double> values(trials.size());
  for (std::size_t j = 0; j < points; ++j) {
    for (std::size_t t = 0; t < trials.size(); ++t)
      values[t] = static_cast<double>((trials[t].*curve)[j]);
    const Summary s = Summary::of(values);
    b.mean.push_back(s.mean);
    b.lo.push_back(std::max(0.0, s.lo));
    b.hi.push_back(s.hi);
  }
  return b;
}

// The first time (hours, interpolated in log between grid points) the curve reaches `level`;
// NaN when it does not within the horizon.
double time_to_reach(const std::vector<std::uint64_t>& curve, double step, double level) {
  for (std::size_t j = 0; j < curve.size(); ++j) {
    const double c = static_cast<double>(curve[j]);
    if (c < level) continue;
    if (j == 0) return 0.0;
    const double before = std::max(1.0, static_cast<double>(curve[j - 1]));
    return step * (static_cast<double>(j - 1) +
                   std::log(level / before) / std::log(std::max(c, before * (1 + 1e-12)) / before));
  }
  return kNaN;
}

ObservedReport observe(const std::vector<TrialResult>& trials, const Scenario& s) {
  ObservedReport o;
  const double n = static_cast<double>(trials.empty() ? 0 : trials.front().network_size);
  const double takeoff = std::ceil(std::sqrt(n));
  std::vector<double> fractions;
  double doubling_sum = 0.0;
  for (const TrialResult& t : trials) {
    if (t.recruits < takeoff) continue;
    ++o.takeoff_trials;
    fractions.push_back(t.recruits / n);
    const double t1 = time_to_reach(t.joined_curve, s.curve_step_hours, takeoff / 8.0);
    const double t2 = time_to_reach(t.joined_curve, s.curve_step_hours, takeoff);
    if (std::isnan(t1) || std::isnan(t2)) continue;
    doubling_sum += (t2 - t1) / 3.0;  // takeoff / 8 -> takeoff: three doublings
    ++o.doubling_trials;
  }
  o.takeoff_fraction =
      trials.empty() ? 0.0
                     : static_cast<double>(o.takeoff_trials) / static_cast<double>(trials.size());
  o.final_fraction = Summary::of(fractions);
  o.doubling_time_hours =
      o.doubling_trials ? doubling_sum / static_cast<double>(o.doubling_trials) : kNaN;
  return o;
}

RegimeReport summarize(const RegimeSpec& spec, const RegimeBehaviour& behaviour,
                       const std::vector<TrialResult>& trials, const Scenario& s,
                       std::size_t points) {
  RegimeReport r;
  r.name = spec.name;
  r.scheme = spec.scheme;
  r.strength = spec.strength;
  r.mean_share_probability = behaviour.mean_share_probability;
  r.mean_join_probability = behaviour.mean_join_probability;
  r.r0_theory = behaviour.r0;
  auto summary = [&trials](double TrialResult::*field) {
    std::vector<double> values;
    for (const TrialResult& t : trials) values.push_back(t.*field);
    return Summary::of(values);
  };
  r.recruits = summary(&TrialResult::recruits);
  r.reached = summary(&TrialResult::reached);
  r.payout_dollars = summary(&TrialResult::payout);
  r.charity_dollars = summary(&TrialResult::charity);
  r.targets_found = summary(&TrialResult::found);
  r.max_payoff_dollars = summary(&TrialResult::max_payoff);
  r.gini = summary(&TrialResult::gini);
  r.depth_max = summary(&TrialResult::depth_max);
  r.budget_dollars = static_cast<double>(spec.scheme.budget_cents(s.targets.count)) / 100.0;
  r.cost_per_recruit = r.recruits.mean > 0 ? r.payout_dollars.mean / r.recruits.mean : 0.0;

  double all_sum = 0;
  std::vector<double> all_hours;
  for (const TrialResult& t : trials)
    if (!std::isnan(t.hours_to_all)) ++r.all_targets_count, all_sum += t.hours_to_all;
  for (const TrialResult& t : trials)
    if (!std::isnan(t.hours_to_all)) all_hours.push_back(t.hours_to_all);
  r.hours_to_all = Summary::of(all_hours);
  r.hours_to_all_sorted = all_hours;
  std::sort(r.hours_to_all_sorted.begin(), r.hours_to_all_sorted.end());
  r.hours_to_all_mean =
      r.all_targets_count ? all_sum / static_cast<double>(r.all_targets_count) : 0;

  r.targets.resize(s.targets.count);
  for (std::size_t k = 0; k < s.targets.count; ++k) {
    double sum = 0;
    for (const TrialResult& t : trials)
      if (!std::isnan(t.target_hours[k])) ++r.targets[k].found_count, sum += t.target_hours[k];
    r.targets[k].found_fraction =
        static_cast<double>(r.targets[k].found_count) / static_cast<double>(trials.size());
    r.targets[k].hours_mean = r.targets[k].found_count ? sum / r.targets[k].found_count : 0;
  }

  std::size_t depths = 0;
  for (const TrialResult& t : trials) depths = std::max(depths, t.depth_histogram.size());
  r.depth_histogram.assign(depths, 0.0);
  r.offspring_histogram.assign(kOffspringBins, 0.0);
  r.tree_size_histogram.assign(kTreeSizeBins, 0.0);
  const double scale = 1.0 / static_cast<double>(trials.size());
  for (const TrialResult& t : trials) {
    for (std::size_t d = 0; d < t.depth_histogram.size(); ++d)
      r.depth_histogram[d] += scale * static_cast<double>(t.depth_histogram[d]);
    for (std::size_t k = 0; k < kOffspringBins; ++k)
      r.offspring_histogram[k] += scale * static_cast<double>(t.offspring_histogram[k]);
    for (std::size_t k = 0; k < kTreeSizeBins; ++k)
      r.tree_size_histogram[k] += scale * static_cast<double>(t.tree_size_histogram[k]);
  }
  double parents = 0, children = 0;
  for (const TrialResult& t : trials)
    parents += t.branching_parents, children += t.branching_children;
  r.branching_observed = parents > 0 ? children / parents : 0.0;
  r.branching_parents = static_cast<std::uint64_t>(parents);
  for (std::size_t d = 0; d + 1 < r.depth_histogram.size(); ++d)
    r.branching_by_depth.push_back(
        r.depth_histogram[d] > 0 ? r.depth_histogram[d + 1] / r.depth_histogram[d] : 0.0);
  r.reached_curve = band_of(trials, &TrialResult::reached_curve, points);
  r.joined_curve = band_of(trials, &TrialResult::joined_curve, points);
  r.active_curve = band_of(trials, &TrialResult::active_curve, points);
  RealisedTally tally;
  for (const TrialResult& t : trials) tally.add(t.tally);
  r.beliefs.realised = tally.beliefs();
  r.observed = observe(trials, s);
  r.attack = s.attack.active();
  if (r.attack) {
    r.attack_gain_dollars = summary(&TrialResult::attack_gain);
    r.attack_honest_loss_dollars = summary(&TrialResult::attack_honest_loss);
    r.attack_charity_loss_dollars = summary(&TrialResult::attack_charity_loss);
    r.attackers_mean = summary(&TrialResult::attackers).mean;
    r.attack_role = s.attack.role;
  }
  double joiners = 0, recruiting = 0, recruits = 0;
  for (std::size_t k = 0; k < kOffspringBins; ++k) {
    joiners += r.offspring_histogram[k];
    if (k > 0) recruiting += r.offspring_histogram[k];
  }
  for (std::size_t d = 1; d < r.depth_histogram.size(); ++d) recruits += r.depth_histogram[d];
  r.observed.offspring_mean = joiners > 0 ? recruits / joiners : 0.0;
  r.observed.recruiting_share = joiners > 0 ? recruiting / joiners : 0.0;
  return r;
}

}  // namespace

MobilizationReport mobilize(const Graph& g, const Scenario& s, const MobilizeOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  ThreadLimit limit(options.threads);
  if (g.num_vertices() == 0) throw InvalidArgument("mobilize: the network has no vertices");
  if (s.regimes.empty()) throw InvalidArgument("mobilize: the scenario has no regimes");
  const std::uint64_t trials = options.trials ? options.trials : s.trials;

  MobilizationReport report;
  report.scenario = s.name;
  report.generator = s.network.generator;
  report.vertices = g.num_vertices();
  report.arcs = g.num_arcs();
  report.trials = trials;
  report.master_seed = s.master_seed;
  report.num_targets = s.targets.count;
  report.horizon_hours = s.horizon_hours;
  report.curve_step_hours = s.curve_step_hours;
  report.targets_appear_hours = s.targets.appear_hours;
  const auto points =
      static_cast<std::size_t>(std::floor(s.horizon_hours / s.curve_step_hours + 1e-9)) + 1;
  for (std::size_t j = 0; j < points; ++j)
    report.hours.push_back(static_cast<double>(j) * s.curve_step_hours);
  report.takeoff_recruits =
      static_cast<std::uint64_t>(std::ceil(std::sqrt(static_cast<double>(g.num_vertices()))));

  std::vector<Vertex> fixed_seeds;
  if (s.seeds.choice == "ids" && !s.seeds.names.empty()) {
    std::vector<Vertex> ids;
    for (const std::string& name : s.seeds.names) {
      const auto v = find_vertex(g, name);
      if (!v)
        throw InvalidArgument("seeds.ids: no vertex labelled '" + name + "' in the network" +
                              (g.has_labels() ? "" : " (it has no labels: give vertex ids)"));
      ids.push_back(*v);
    }
    fixed_seeds = explicit_seeds(g, ids);
  } else if (s.seeds.choice == "ids") {
    fixed_seeds = explicit_seeds(g, s.seeds.ids);
  }
  if (s.seeds.choice == "top-degree") fixed_seeds = top_degree_seeds(g, s.seeds.count);
  if (s.seeds.choice == "random" && s.seeds.count > g.num_vertices())
    throw InvalidArgument("scenario asks for " + std::to_string(s.seeds.count) +
                          " seeds but the network has " + std::to_string(g.num_vertices()) +
                          " vertices");
  report.seeds_per_trial = s.seeds.choice == "random" ? s.seeds.count : fixed_seeds.size();

  // Common random numbers: one LiveArcs and one master seed for every regime.
  const LiveArcs arcs = recruitment_arcs(g, s.recruitment, s.master_seed);
  const TimedOptions timed{s.delay, s.horizon_hours, s.delta_hours};
  auto seeds_of = [&](std::uint64_t trial) {
    return s.seeds.choice == "random" ? random_seeds(g, s.seeds.count, s.master_seed, trial)
                                      : fixed_seeds;
  };
  const Communicator* comm =
      options.communicator && options.communicator->size() > 1 ? options.communicator : nullptr;

  // Beliefs per regime: assumed, or the damped fixed point over rounds of belief trials (the
  // same trial indices every round: common random numbers), split over ranks like the trials.
  validate(s.beliefs);
  const std::uint64_t belief_trials = s.beliefs.trials ? s.beliefs.trials : trials;
  std::vector<RegimeBehaviour> behaviours;
  std::vector<BeliefSolution> solutions;
  for (const RegimeSpec& regime : s.regimes) {
    auto behaviour_under = [&](const Beliefs& b) {
      return regime_behaviour(g, s.recruitment, regime.scheme, regime.strength, s.master_seed,
                              motive_values(regime.scheme, b, s.recruitment));
    };
    BeliefSolution solution;
    const Beliefs assumed = assumed_beliefs(regime.scheme, s.recruitment);
    if (s.beliefs.mode == BeliefMode::kAssumed) {
      solution.perceived = assumed;
    } else if (regime.scheme.kind != SchemeKind::kNone) {
      auto realise = [&](const Beliefs& b) {
        const RegimeBehaviour behaviour = behaviour_under(b);
        const TrialRange block = comm ? rank_trials(belief_trials, comm->rank(), comm->size())
                                      : TrialRange{0, belief_trials};
        RealisedTally tally;
        for (std::uint64_t trial = block.begin; trial < block.end; ++trial) {
          const TimedCascade c = recruit(g, arcs, behaviour, seeds_of(trial), trial, timed);
          tally.add(belief_trial(c, s, regime.scheme, trial));
        }
        if (comm) {
          detail::ByteWriter w;
          put_tally(w, tally);
          tally = {};
          for (const auto& part : comm->gather(w.bytes(), /*to_all=*/true)) {
            detail::ByteReader r(part);
            tally.add(get_tally(r));
          }
        }
        return tally.beliefs();
      };
      solution = solve_beliefs(s.beliefs.start_assumed ? assumed : Beliefs{}, s.beliefs, realise);
      if (!solution.converged) report.warnings.push_back(regime.name + ": " + solution.warning);
    }
    behaviours.push_back(behaviour_under(solution.perceived));
    solutions.push_back(solution);
  }

  // This rank's trials: all of them, or a contiguous block of them.
  const TrialRange mine =
      comm ? rank_trials(trials, comm->rank(), comm->size()) : TrialRange{0, trials};
  std::vector<std::vector<TrialResult>> results(s.regimes.size());
  const double total_steps = static_cast<double>(mine.size() * s.regimes.size());
  for (std::uint64_t trial = mine.begin; trial < mine.end; ++trial) {
    const std::vector<Vertex> seeds = seeds_of(trial);
    for (std::size_t i = 0; i < s.regimes.size(); ++i) {
      const TimedCascade c = recruit(g, arcs, behaviours[i], seeds, trial, timed);
      results[i].push_back(evaluate_trial(c, s, s.regimes[i].scheme, behaviours[i], trial, points));
      if (options.on_tree) {
        const TargetOutcome targets = find_targets(c, s, trial);
        options.on_tree({trial, i, c.recruiter, c.time, c.joined, targets.finders});
      }
      if (options.progress)
        options.progress(static_cast<double>((trial - mine.begin) * s.regimes.size() + i + 1) /
                         total_steps);
    }
  }
  if (comm) {
    gather_trials(*comm, results);
    if (comm->rank() != 0) results.clear();  // only rank 0 summarises
  }
  report.probability_weighting = s.recruitment.probability_weighting;
  report.weighting_gamma = s.recruitment.weighting_gamma;
  for (std::size_t i = 0; i < results.size(); ++i) {
    RegimeReport r = summarize(s.regimes[i], behaviours[i], results[i], s, points);
    const Beliefs realised = r.beliefs.realised;
    r.belief_mode = s.beliefs.mode;
    r.beliefs = solutions[i];
    r.beliefs.realised = realised;  // from the final trials
    const PerceivedValues v =
        motive_values(s.regimes[i].scheme, solutions[i].perceived, s.recruitment);
    r.weighted_join_dollars = v.join[0];
    r.weighted_recruit_dollars = v.recruit[0];
    const BranchingTheory theory = branching_theory(g, behaviours[i], s.delay);
    r.theory.growth_factor = theory.growth_factor;
    r.theory.final_fraction = theory.final_fraction;
    r.theory.doubling_time_hours = theory.doubling_time_hours;
    double takeoff = 0.0;
    for (std::uint64_t trial = 0; trial < trials; ++trial)
      takeoff += takeoff_probability(g, behaviours[i], theory, seeds_of(trial));
    r.theory.takeoff_probability = takeoff / static_cast<double>(trials);
    report.regimes.push_back(std::move(r));
  }
  report.simulate_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

std::uint64_t targets_found(const TimedCascade& c, const Scenario& s, std::uint64_t trial) {
  return find_targets(c, s, trial).finders.size();
}

}  // namespace cascade
