// Monte Carlo estimator: the driver (batches, progress blocks, early stop, in-order reduction)
// and estimate_spread's choice among the engines (engines.cpp: one-trial, fused, timed).
#include "cascade/monte_carlo.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <string>

#include "cascade/error.hpp"
#include "cascade/fused_ic.hpp"
#include "cascade/parallel.hpp"
#include "cascade/random.hpp"
#include "cascade/seeds.hpp"
#include "distributed/byte_io.hpp"
#include "estimation/engines.hpp"

namespace cascade {
namespace {

using detail::add_per_step;
using detail::Clock;
using detail::seconds_since;

void check_options(const McOptions& o) {
  if (o.trials == 0) throw InvalidArgument("Monte Carlo needs at least 1 trial");
  if (o.batch_trials == 0) throw InvalidArgument("Monte Carlo batch_trials must be >= 1");
  if (!(o.target_ci_half_width >= 0.0) || !std::isfinite(o.target_ci_half_width))
    throw InvalidArgument("target CI half-width " + std::to_string(o.target_ci_half_width) +
                          " is not a finite number >= 0");
  for (double q : o.quantiles)
    if (!(q >= 0.0 && q <= 1.0))
      throw InvalidArgument("quantile " + std::to_string(q) + " is not in [0, 1]");
  if (o.model == Model::kTimed && !(o.curve_step_hours > 0.0 && std::isfinite(o.curve_step_hours)))
    throw InvalidArgument("curve step " + std::to_string(o.curve_step_hours) +
                          " hours is not a finite number > 0");
}

// Type-7 quantile of sorted values.
double quantile(const std::vector<std::uint64_t>& sorted, double q) {
  const double h = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  const double a = static_cast<double>(sorted[lo]), b = static_cast<double>(sorted[hi]);
  return a + (h - static_cast<double>(lo)) * (b - a);
}

void append(TrialBlock& out, TrialBlock&& part) {
  if (out.spreads.empty()) {
    out = std::move(part);
    return;
  }
  out.spreads.insert(out.spreads.end(), part.spreads.begin(), part.spreads.end());
  add_per_step(out.per_step_sum, part.per_step_sum);  // integers: exact in any order
  out.arcs_examined += part.arcs_examined;
  out.seconds.insert(out.seconds.end(), part.seconds.begin(), part.seconds.end());
}

// Trials this process runs when nothing stops early: its share of every batch.
std::uint64_t planned_trials(const McOptions& o) {
  const Communicator* comm = o.communicator;
  if (comm == nullptr || comm->size() == 1) return o.trials;
  const std::uint64_t batch = o.target_ci_half_width > 0 ? o.batch_trials : o.trials;
  std::uint64_t mine = 0;
  for (std::uint64_t done = 0; done < o.trials; done += batch)
    mine += rank_trials(std::min(batch, o.trials - done), comm->rank(), comm->size()).size();
  return mine;
}

// Runs this process's trials through the runner: in one call, or with a progress hook in blocks
// of progress_trials, calling the hook after each. A trial's result depends on its id alone, so
// the blocks change nothing but the timings.
class LocalRunner {
 public:
  LocalRunner(const McOptions& o, const TrialRunner& run)
      : o_(o), run_(run), total_(o.progress ? planned_trials(o) : 0) {
    block_ =
        o.progress_trials > 0
            ? o.progress_trials
            : std::max<std::uint64_t>(4 * std::max<std::size_t>(1, max_threads()), o.trials / 50);
  }

  void operator()(std::uint64_t first, std::uint64_t count, TrialBlock& out) {
    if (!o_.progress) {
      run_(first, count, out);
      return;
    }
    for (std::uint64_t done = 0; done < count;) {
      const std::uint64_t k = std::min(block_, count - done);
      TrialBlock part;
      run_(first + done, k, part);
      append(out, std::move(part));
      done += k;
      done_ += k;
      o_.progress(done_, total_);
    }
  }

 private:
  const McOptions& o_;
  const TrialRunner& run_;
  std::uint64_t total_;
  std::uint64_t block_ = 1;
  std::uint64_t done_ = 0;
};

// Runs trials first .. first + count - 1 into `out`: all of them here, or with a communicator of
// several ranks this rank's block, then every rank's block gathered in rank order, which is
// trial order. Timings travel too (the median is over all trials).
void run_batch(const McOptions& o, LocalRunner& run, std::uint64_t first, std::uint64_t count,
               TrialBlock& out) {
  const Communicator* comm = o.communicator;
  if (comm == nullptr || comm->size() == 1) {
    run(first, count, out);
  } else {
    const TrialRange mine = rank_trials(count, comm->rank(), comm->size());
    TrialBlock local;
    if (mine.size() > 0) run(first + mine.begin, mine.size(), local);
    detail::ByteWriter w;
    w.put_vector(local.spreads);
    w.put_vector(local.per_step_sum);
    w.put(local.arcs_examined);
    w.put_vector(local.seconds);
    for (const auto& part : comm->gather(w.bytes(), /*to_all=*/true)) {
      detail::ByteReader r(part);
      const auto spreads = r.get_vector<std::uint64_t>();
      const auto per_step = r.get_vector<std::uint64_t>();
      const auto arcs = r.get<std::uint64_t>();
      const auto seconds = r.get_vector<double>();
      out.spreads.insert(out.spreads.end(), spreads.begin(), spreads.end());
      add_per_step(out.per_step_sum, per_step);  // integers: exact in any order
      out.arcs_examined += arcs;
      out.seconds.insert(out.seconds.end(), seconds.begin(), seconds.end());
    }
  }
  // Checked after the gather, so every rank sees the same count and fails alike.
  if (out.spreads.size() != count)
    throw InvalidArgument("trial runner returned " + std::to_string(out.spreads.size()) +
                          " results for " + std::to_string(count) + " trials");
}

// Trials per progress block of each engine: about 1/50 of the run, and at least enough to keep
// every thread busy (fused: a batch of at least 128 lanes per thread; one-trial: a few trials
// each; timed: one trial, which is parallel inside). A fused run of fewer than 4096 trials per
// thread reports up to 8 times (blocks of whole passes), so a bar does not jump from 0 to 100%;
// but never in blocks smaller than a 128-lane pass of every thread: blocks of one 64-lane batch
// ran on one thread at 64 lanes, and made a 256-trial estimate 2.3x slower with a progress hook
// (which Python always sets, for Ctrl-C) than without.
std::uint64_t progress_block(McEngine engine, const McOptions& o) {
  const std::uint64_t threads = std::max<std::size_t>(1, max_threads());
  const std::uint64_t fiftieth = o.trials / 50;
  if (o.model == Model::kTimed) return std::max<std::uint64_t>(1, fiftieth);
  if (engine == McEngine::kFused) {
    const std::uint64_t eighth = (o.trials / 8 + 63) / 64 * 64;
    const std::uint64_t pass = 128 * threads;
    return std::max<std::uint64_t>(
        {std::min<std::uint64_t>(512 * threads, eighth), fiftieth, pass});
  }
  return std::max<std::uint64_t>(4 * threads, fiftieth);
}

}  // namespace

McParallelism resolve_parallelism(McParallelism requested, std::uint64_t trials) {
  if (requested != McParallelism::kAuto) return requested;
  const std::size_t threads = max_threads();
  return threads > 1 && trials < 2 * threads ? McParallelism::kInsideTrial
                                             : McParallelism::kOverTrials;
}

Estimate estimate_with(const McOptions& o, const TrialRunner& run) {
  check_options(o);
  const auto start = Clock::now();
  Estimate e;
  e.parallelism = o.parallelism;
  std::vector<std::uint64_t> per_step_sum;
  std::vector<double> seconds;
  TrialBlock block;
  LocalRunner local(o, run);
  // Welford's running mean / M2, updated in trial order, for the stopping rule.
  double run_mean = 0.0, run_m2 = 0.0;
  const bool stopping = o.target_ci_half_width > 0.0;
  while (e.trials < o.trials) {
    const std::uint64_t count =
        stopping ? std::min(o.batch_trials, o.trials - e.trials) : o.trials - e.trials;
    block = TrialBlock{};
    run_batch(o, local, o.first_trial + e.trials, count, block);
    e.spreads.insert(e.spreads.end(), block.spreads.begin(), block.spreads.end());
    seconds.insert(seconds.end(), block.seconds.begin(), block.seconds.end());
    add_per_step(per_step_sum, block.per_step_sum);
    e.arcs_examined += block.arcs_examined;
    for (std::uint64_t x : block.spreads) {
      ++e.trials;
      const double d = static_cast<double>(x) - run_mean;
      run_mean += d / static_cast<double>(e.trials);
      run_m2 += d * (static_cast<double>(x) - run_mean);
    }
    if (stopping && e.trials >= 2 && e.trials < o.trials) {
      const double se =
          std::sqrt(run_m2 / static_cast<double>(e.trials - 1) / static_cast<double>(e.trials));
      if (kZ95 * se <= o.target_ci_half_width) {
        e.stopped_early = true;
        break;
      }
    }
  }

  // Final statistics, reduced in trial order: exact integer sum for the mean, then two-pass.
  const auto t = static_cast<double>(e.trials);
  rng::Uint128 total = 0;
  for (std::uint64_t x : e.spreads) total += x;
  e.mean = static_cast<double>(total) / t;
  double m2 = 0.0;
  for (std::uint64_t x : e.spreads) {
    const double d = static_cast<double>(x) - e.mean;
    m2 += d * d;
  }
  const Spread spread = spread_of(m2, t);
  e.stddev = spread.stddev;
  e.standard_error = spread.standard_error;
  e.ci95 = normal_ci95(e.mean, e.standard_error);

  std::vector<std::uint64_t> sorted = e.spreads;
  std::sort(sorted.begin(), sorted.end());
  for (double q : o.quantiles) e.quantiles.emplace_back(q, quantile(sorted, q));

  rng::Uint128 cumulative = 0;
  for (std::uint64_t s : per_step_sum) {
    cumulative += s;
    e.curve.push_back(static_cast<double>(cumulative) / t);
  }
  if (!seconds.empty()) {
    auto mid = seconds.begin() + static_cast<std::ptrdiff_t>(seconds.size() / 2);
    std::nth_element(seconds.begin(), mid, seconds.end());
    e.seconds_per_trial_median = *mid;
  }
  e.seconds = seconds_since(start);
  return e;
}

McEngine resolve_engine(const McOptions& o) {
  if (o.engine == McEngine::kFused && o.model != Model::kIc)
    throw InvalidArgument("the fused engine runs the IC model only");
  if (o.engine != McEngine::kAuto) return o.engine;
  // Fused batches pay off once there are enough trials to fill 64-lane batches.
  return o.model == Model::kIc && o.trials >= 128 && o.parallelism != McParallelism::kInsideTrial
             ? McEngine::kFused
             : McEngine::kTrial;
}

Estimate estimate_spread(const Graph& g, const McOptions& options) {
  check_options(options);
  const McEngine engine = resolve_engine(options);
  McOptions o = options;
  if (o.progress && o.progress_trials == 0) o.progress_trials = progress_block(engine, o);
  Estimate e = o.model == Model::kTimed     ? detail::estimate_timed(g, o)
               : engine == McEngine::kFused ? detail::estimate_fused(g, o)
                                            : detail::estimate_one_trial(g, o);
  e.engine = engine;
  return e;
}

}  // namespace cascade
