// Incentive-aware seeding (see cascade/seed_choice.hpp): greedy over a candidate pool with common
// random numbers; lazy (CELF) for the submodular recruits objective, plain for targets.
#include "cascade/seed_choice.hpp"

#include <algorithm>
#include <chrono>
#include <queue>

#include "cascade/error.hpp"
#include "cascade/mobilize.hpp"
#include "cascade/parallel.hpp"
#include "cascade/seeds.hpp"

namespace cascade {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Greedy over the pool for one regime: each round adds the candidate with the largest total
// (ties to the earlier pool position, i.e. the higher degree). Lazy: stale gains are upper
// bounds (submodularity), so a candidate whose fresh gain still tops the heap is the plain
// greedy's pick.
RegimeSeedChoice greedy(const SeedObjectiveEvaluator& eval, std::size_t regime,
                        const std::vector<Vertex>& pool, std::uint64_t k, bool lazy) {
  RegimeSeedChoice out;
  std::vector<Vertex> seeds;
  std::uint64_t base = 0;
  auto total_with = [&](Vertex v) {
    seeds.push_back(v);
    const std::uint64_t t = eval.total(regime, seeds);
    seeds.pop_back();
    ++out.evaluations;
    return t;
  };
  std::vector<std::uint8_t> taken(pool.size(), 0);
  // (gain, -position, round evaluated): larger gain first, then the earlier position.
  struct Entry {
    std::uint64_t gain;
    std::size_t at;
    std::uint64_t round;
    bool operator<(const Entry& o) const { return gain != o.gain ? gain < o.gain : at > o.at; }
  };
  std::priority_queue<Entry> heap;
  for (std::uint64_t round = 0; round < k; ++round) {
    std::size_t best_at = pool.size();
    std::uint64_t best_total = 0;
    if (!lazy || round == 0) {
      for (std::size_t a = 0; a < pool.size(); ++a) {
        if (taken[a]) continue;
        const std::uint64_t t = total_with(pool[a]);
        if (lazy) heap.push({t - base, a, round});
        if (best_at == pool.size() || t > best_total) {
          best_at = a;
          best_total = t;
        }
      }
      if (lazy) heap.pop();  // the pick is the heap's top (same order)
    } else {
      while (true) {
        Entry e = heap.top();
        heap.pop();
        if (e.round == round) {
          best_at = e.at;
          best_total = base + e.gain;
          break;
        }
        const std::uint64_t t = total_with(pool[e.at]);
        heap.push({t >= base ? t - base : 0, e.at, round});
      }
    }
    taken[best_at] = 1;
    seeds.push_back(pool[best_at]);
    const double trials = static_cast<double>(eval.trials());
    out.gains.push_back(static_cast<double>(best_total - std::min(best_total, base)) / trials);
    base = best_total;
  }
  out.seeds = seeds;
  out.chosen = static_cast<double>(base) / static_cast<double>(eval.trials());
  return out;
}

}  // namespace

std::uint64_t default_seed_pool(std::uint64_t k, std::uint64_t n) {
  return std::min<std::uint64_t>(n, std::max<std::uint64_t>(32, 8 * k));
}

SeedObjectiveEvaluator::SeedObjectiveEvaluator(const Graph& g, const Scenario& s,
                                               const std::vector<Beliefs>& perceived,
                                               std::uint64_t trials, SeedObjective objective)
    : g_(g),
      s_(s),
      trials_(trials),
      objective_(objective),
      arcs_(recruitment_arcs(g, s.recruitment, s.master_seed)) {
  if (perceived.size() != s.regimes.size())
    throw InvalidArgument("SeedObjectiveEvaluator: one belief per regime");
  if (trials == 0) throw InvalidArgument("seed choice: at least one trial");
  for (std::size_t i = 0; i < s.regimes.size(); ++i) {
    const RegimeSpec& r = s.regimes[i];
    behaviours_.push_back(regime_behaviour(g, s.recruitment, r.scheme, r.strength, s.master_seed,
                                           motive_values(r.scheme, perceived[i], s.recruitment)));
  }
}

std::uint64_t SeedObjectiveEvaluator::one(std::size_t regime, std::span<const Vertex> seeds,
                                          std::uint64_t trial) const {
  const TimedOptions timed{s_.delay, s_.horizon_hours, s_.delta_hours};
  const TimedCascade c = recruit(g_, arcs_, behaviours_[regime], seeds, trial, timed);
  ++simulations_;
  if (objective_ == SeedObjective::kRecruits) return c.joined_count;
  return s_.targets.count > 0 && targets_found(c, s_, trial) == s_.targets.count ? 1 : 0;
}

std::uint64_t SeedObjectiveEvaluator::total(std::size_t regime,
                                            std::span<const Vertex> seeds) const {
  std::uint64_t sum = 0;
  for (std::uint64_t t = 0; t < trials_; ++t) sum += one(regime, seeds, t);
  return sum;
}

std::uint64_t SeedObjectiveEvaluator::total_random(std::size_t regime, std::uint64_t k) const {
  std::uint64_t sum = 0;
  for (std::uint64_t t = 0; t < trials_; ++t)
    sum += one(regime, random_seeds(g_, k, s_.master_seed, t), t);
  return sum;
}

SeedChoiceReport choose_seeds(const Graph& g, const Scenario& s, const SeedChoiceOptions& o) {
  const std::uint64_t n = g.num_vertices();
  if (o.k == 0) throw InvalidArgument("--choose-seeds 0: choose at least one seed");
  if (o.k > n)
    throw InvalidArgument("--choose-seeds " + std::to_string(o.k) + ": the network has only " +
                          std::to_string(n) + " people");
  const std::uint64_t pool_size = o.pool ? o.pool : default_seed_pool(o.k, n);
  if (pool_size < o.k || pool_size > n)
    throw InvalidArgument("--seed-pool " + std::to_string(pool_size) + ": must be in [" +
                          std::to_string(o.k) + ", " + std::to_string(n) + "] (k .. people)");
  ThreadLimit limit(o.threads);
  SeedChoiceReport report;
  report.objective = o.objective;
  report.k = o.k;
  report.pool = pool_size;
  report.trials = o.trials ? o.trials : s.trials;
  report.lazy = o.objective == SeedObjective::kRecruits;

  // Beliefs as mobilize() solves them for the scenario as written (few trials would do for
  // assumed beliefs, but one code path keeps them identical to the plain run's).
  auto t = Clock::now();
  std::vector<Beliefs> perceived;
  {
    MobilizeOptions mo;
    mo.trials = report.trials;
    mo.threads = o.threads;
    const MobilizationReport baseline = mobilize(g, s, mo);
    for (const RegimeReport& r : baseline.regimes) perceived.push_back(r.beliefs.perceived);
  }
  report.beliefs_seconds = since(t);

  t = Clock::now();
  const SeedObjectiveEvaluator eval(g, s, perceived, report.trials, o.objective);
  const std::vector<Vertex> pool = top_degree_seeds(g, pool_size);
  const std::vector<Vertex> top = top_degree_seeds(g, o.k);
  const double trials = static_cast<double>(report.trials);
  for (std::size_t i = 0; i < s.regimes.size(); ++i) {
    RegimeSeedChoice c = greedy(eval, i, pool, o.k, report.lazy);
    c.regime = s.regimes[i].name;
    c.top_degree = static_cast<double>(eval.total(i, top)) / trials;
    c.random = static_cast<double>(eval.total_random(i, o.k)) / trials;
    report.regimes.push_back(std::move(c));
  }
  report.simulations = eval.simulations();
  report.seconds = since(t);
  return report;
}

}  // namespace cascade
