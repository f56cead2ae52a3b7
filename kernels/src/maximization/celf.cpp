// CELF (lazy greedy over the Monte Carlo estimator) and the Monte Carlo spread of a seed set.
//
// Every evaluation runs the same trial ids (common random numbers), so the estimator is the
// average of coverage functions of fixed live-edge worlds: monotone and submodular exactly. Gains
// are integer totals over the trials, so the lazy greedy's comparisons are exact and it returns
// the plain greedy's answer (ties to the smallest id).
#include <algorithm>
#include <chrono>
#include <numeric>
#include <optional>

#include "cascade/error.hpp"
#include "cascade/fused_ic.hpp"
#include "cascade/maximize.hpp"

namespace cascade {
namespace {

using Clock = std::chrono::steady_clock;

// The Monte Carlo engine of one model on one graph: fused IC, or the one-trial LT kernels.
class SpreadEvaluator {
 public:
  SpreadEvaluator(const Graph& g, const InfluenceModel& m, const Communicator* comm = nullptr)
      : g_(g), model_(m), comm_(comm) {
    if (m.model == Model::kIc) coins_.emplace(g, m.probability, m.master_seed);
  }
  std::uint64_t total(std::span<const Vertex> seeds, std::uint64_t first, std::uint64_t trials,
                      Estimate* detail) const {
    McOptions mc;
    mc.model = model_.model;
    mc.ic.probability = model_.probability;
    mc.master_seed = model_.master_seed;
    mc.lt.use_weights = model_.lt_use_weights;
    mc.seeds = SeedSpec::list({seeds.begin(), seeds.end()});
    mc.trials = trials;
    mc.first_trial = first;
    mc.communicator = comm_;
    Estimate e = model_.model == Model::kIc
                     ? estimate_with(mc, fused_ic_runner(g_, *coins_, mc.seeds.ids))
                     : estimate_spread(g_, mc);
    const std::uint64_t sum = std::accumulate(e.spreads.begin(), e.spreads.end(), std::uint64_t{0});
    if (detail) *detail = std::move(e);
    return sum;
  }

 private:
  const Graph& g_;
  InfluenceModel model_;
  const Communicator* comm_;
  std::optional<LiveArcs> coins_;
};

}  // namespace

std::uint64_t total_spread(const Graph& g, const InfluenceModel& model,
                           std::span<const Vertex> seeds, std::uint64_t first_trial,
                           std::uint64_t trials, Estimate* estimate, const Communicator* comm) {
  if (trials == 0) throw InvalidArgument("total_spread: at least one trial");
  return SpreadEvaluator(g, model, comm).total(seeds, first_trial, trials, estimate);
}

Estimate validate_seeds(const Graph& g, const InfluenceModel& model, std::span<const Vertex> seeds,
                        std::uint64_t trials, const Communicator* comm) {
  Estimate e;
  total_spread(g, model, seeds, kValidationFirstTrial, trials, &e, comm);
  return e;
}

MaximizeResult celf(const Graph& g, const MaximizeOptions& o) {
  const auto start = Clock::now();
  const SpreadEvaluator eval(g, o.model, o.communicator);
  const std::uint64_t trials = o.celf_trials;
  MaximizeResult result;
  std::vector<Vertex> seeds;
  auto gain_of = [&](Vertex v, std::uint64_t base) {
    seeds.push_back(v);
    const std::uint64_t t = eval.total(seeds, 0, trials, nullptr);
    seeds.pop_back();
    ++result.work;
    return t - base;
  };
  // Heap of (gain upper bound, vertex, round evaluated): larger gain first, then smaller id.
  struct Entry {
    std::uint64_t gain;
    Vertex v;
    std::uint64_t round;
  };
  auto later = [](const Entry& a, const Entry& b) {
    return a.gain != b.gain ? a.gain < b.gain : a.v > b.v;
  };
  std::vector<Entry> heap;
  heap.reserve(g.num_vertices());
  for (Vertex v = 0; v < g.num_vertices(); ++v) heap.push_back({gain_of(v, 0), v, 0});
  std::make_heap(heap.begin(), heap.end(), later);
  std::uint64_t base = 0;
  while (seeds.size() < o.k) {
    std::pop_heap(heap.begin(), heap.end(), later);
    Entry top = heap.back();
    heap.pop_back();
    if (top.round != seeds.size()) {  // stale: re-evaluate against the current seeds
      top = {gain_of(top.v, base), top.v, seeds.size()};
      heap.push_back(top);
      std::push_heap(heap.begin(), heap.end(), later);
      continue;
    }
    seeds.push_back(top.v);
    base += top.gain;
    result.marginal_gains.push_back(static_cast<double>(top.gain) / static_cast<double>(trials));
  }
  result.seeds = seeds;
  result.estimated_spread = static_cast<double>(base) / static_cast<double>(trials);
  result.seconds_selection = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

}  // namespace cascade
