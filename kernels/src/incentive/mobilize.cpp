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
#include "incentive/mobilize_trial.hpp"

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

using detail::kNaN;
using detail::TrialResult;

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
  TimedWorkspace workspace;  // every trial below runs in it, one after another
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
  // Consistent beliefs evaluate the behaviour every round: draw the motivation mixes once.
  const auto mixes =
      s.beliefs.mode == BeliefMode::kConsistent
          ? motivation_mixes(g.num_vertices(), s.master_seed, s.recruitment.motivation)
          : std::vector<std::array<double, kMotives>>{};
  for (const RegimeSpec& regime : s.regimes) {
    auto behaviour_under = [&](const Beliefs& b) {
      return regime_behaviour(g, s.recruitment, regime.scheme, regime.strength, s.master_seed,
                              motive_values(regime.scheme, b, s.recruitment), mixes);
    };
    BeliefSolution solution;
    const Beliefs assumed = assumed_beliefs(regime.scheme, s.recruitment);
    if (s.beliefs.mode == BeliefMode::kAssumed) {
      solution.perceived = assumed;
    } else if (regime.scheme.kind != SchemeKind::kNone) {
      auto realise = [&](const Beliefs& b) {
        // The behaviour as a rule: a round's cascades evaluate only the people they reach.
        const RecruitmentRule rule(s.recruitment, regime.strength, s.master_seed,
                                   motive_values(regime.scheme, b, s.recruitment), mixes);
        VertexBehaviour behaviour;
        behaviour.rule = &rule;
        const TrialRange block = comm ? rank_trials(belief_trials, comm->rank(), comm->size())
                                      : TrialRange{0, belief_trials};
        RealisedTally tally;
        for (std::uint64_t trial = block.begin; trial < block.end; ++trial) {
          const TimedCascade& c =
              timed_cascade(g, arcs, seeds_of(trial), trial, timed, behaviour, workspace);
          tally.add(detail::belief_trial(c, s, regime.scheme, trial));
        }
        if (comm) {
          detail::ByteWriter w;
          detail::put_tally(w, tally);
          tally = {};
          for (const auto& part : comm->gather(w.bytes(), /*to_all=*/true)) {
            detail::ByteReader r(part);
            tally.add(detail::get_tally(r));
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
      const TimedCascade& c = recruit(g, arcs, behaviours[i], seeds, trial, timed, workspace);
      results[i].push_back(
          detail::evaluate_trial(c, s, s.regimes[i].scheme, behaviours[i], trial, points));
      if (options.on_tree) {
        const detail::TargetOutcome targets = detail::find_targets(c, s, trial);
        options.on_tree(
            {trial, i, c.recruiter, c.time, c.joined, targets.finders, c.reached_vertices});
      }
      if (options.progress)
        options.progress(static_cast<double>((trial - mine.begin) * s.regimes.size() + i + 1) /
                         total_steps);
    }
  }
  if (comm) {
    detail::gather_trials(*comm, results);
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
    if (options.theory) {
      const BranchingTheory theory = branching_theory(g, behaviours[i], s.delay);
      r.theory.growth_factor = theory.growth_factor;
      r.theory.final_fraction = theory.final_fraction;
      r.theory.doubling_time_hours = theory.doubling_time_hours;
      double takeoff = 0.0;
      for (std::uint64_t trial = 0; trial < trials; ++trial)
        takeoff += takeoff_probability(g, behaviours[i], theory, seeds_of(trial));
      r.theory.takeoff_probability = takeoff / static_cast<double>(trials);
    }
    report.regimes.push_back(std::move(r));
  }
  report.simulate_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

std::uint64_t targets_found(const TimedCascade& c, const Scenario& s, std::uint64_t trial) {
  return detail::find_targets(c, s, trial).finders.size();
}

}  // namespace cascade
