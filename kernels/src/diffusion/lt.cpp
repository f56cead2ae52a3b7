// Linear threshold, one trial: level-synchronous push. Each frontier vertex adds its fixed-point
// influence to every inactive out-neighbour with an atomic fetch_add; the one addition that
// carries a sum across the threshold lists the vertex (all additions are positive, so exactly
// one does). Integer sums make the activated set independent of the order of the additions.
#include "cascade/lt.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <atomic>
#include <limits>
#include <string>

#include "cascade/error.hpp"
#include "traversal/frontier.hpp"
#include "traversal/parallel_fill.hpp"

namespace cascade {

LtModel::LtModel(const Graph& g, const LtParams& params, std::uint64_t master_seed)
    : params_(params), master_(master_seed) {
  const std::uint64_t n = g.num_vertices();
  if (params.use_weights && !g.has_weights() && g.num_arcs() > 0)
    throw InvalidArgument("LT with arc weights needs a graph with arc weights");
  scale_.resize(n);
  if (n == 0) return;
  const Graph& in = g.transpose();
  tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, n, 1024),
                    [&](const tbb::blocked_range<std::uint64_t>& r) {
                      for (std::uint64_t v = r.begin(); v < r.end(); ++v) {
                        const auto x = static_cast<Vertex>(v);
                        double total = static_cast<double>(in.out_degree(x));
                        if (params_.use_weights) {
                          total = 0.0;  // in ascending source order: deterministic
                          for (float w : in.out_weights(x)) total += w;
                          total = std::max(1.0, total);
                        }
                        scale_[v] = total > 0.0 ? static_cast<double>(kOne) / total : 0.0;
                      }
                    });
}

struct LtScratch::Impl {
  std::vector<Vertex> frontier, next;  // step t / t+1, sorted by id
  std::vector<std::uint64_t> sum;      // influence received so far
  detail::FoundBuffers found;          // newly activated per thread
};

LtScratch::LtScratch() : impl_(std::make_unique<Impl>()) {}
LtScratch::~LtScratch() = default;

namespace {

using detail::weight_at;

void check_model(const Graph& g, const LtModel& model) {
  if (model.num_vertices() != g.num_vertices())
    throw InvalidArgument("LT model built for " + std::to_string(model.num_vertices()) +
                          " vertices, graph has " + std::to_string(g.num_vertices()));
}

}  // namespace

void run_lt(const Graph& g, const LtModel& model, std::span<const Vertex> seeds,
            std::uint64_t trial, LtScratch& scratch, Cascade& out) {
  check_model(g, model);
  LtScratch::Impl& s = scratch.impl();
  const std::uint64_t n = g.num_vertices();
  const Graph& in = n > 0 ? g.transpose() : g;

  s.frontier = sorted_seeds(g, seeds);
  detail::parallel_fill(s.sum, n, std::uint64_t{0});
  detail::parallel_fill(out.step, n, kUnreached);
  detail::parallel_fill(out.recruiter, n, kNoVertex);
  out.order = s.frontier;
  out.per_step.assign(1, s.frontier.size());
  out.pull_steps = 0;
  out.arcs_examined = 0;
  for (Vertex v : s.frontier) out.step[v] = 0;

  std::uint32_t* step = out.step.data();
  std::uint64_t* sum = s.sum.data();
  for (std::uint32_t t = 0; !s.frontier.empty(); ++t) {
    detail::clear_found(s.found);
    out.arcs_examined += tbb::parallel_reduce(
        tbb::blocked_range<std::size_t>(0, s.frontier.size(), 64), std::uint64_t{0},
        [&](const tbb::blocked_range<std::size_t>& r, std::uint64_t arcs) {
          auto& found = s.found.local();
          for (std::size_t i = r.begin(); i < r.end(); ++i) {
            const Vertex u = s.frontier[i];
            const auto targets = g.out_neighbors(u);
            const auto weights = g.out_weights(u);
            arcs += targets.size();
            for (std::size_t k = 0; k < targets.size(); ++k) {
              const Vertex v = targets[k];
              if (step[v] != kUnreached) continue;  // active by step t (written between steps)
              const std::uint64_t add = model.influence(v, weight_at(weights, k));
              if (add == 0) continue;
              const std::uint64_t before =
                  std::atomic_ref<std::uint64_t>(sum[v]).fetch_add(add, std::memory_order_relaxed);
              const std::uint64_t theta = model.threshold(trial, v);
              if (before < theta && before + add >= theta) found.push_back(v);
            }
          }
          return arcs;
        },
        std::plus<>());

    detail::merge_found(s.found, s.next);
    // Recruiter: the smallest in-neighbour with positive influence activated at step t. Steps of
    // the new vertices are written after all recruiters are found, so every scan sees step t.
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, s.next.size(), 256),
        [&](const tbb::blocked_range<std::size_t>& r) {
          for (std::size_t i = r.begin(); i < r.end(); ++i) {
            const Vertex v = s.next[i];
            const auto sources = in.out_neighbors(v);
            const auto weights = in.out_weights(v);
            for (std::size_t k = 0; k < sources.size(); ++k)
              if (step[sources[k]] == t && model.influence(v, weight_at(weights, k)) > 0) {
                out.recruiter[v] = sources[k];
                break;
              }
          }
        });
    for (Vertex v : s.next) step[v] = t + 1;
    std::swap(s.frontier, s.next);
    out.order.insert(out.order.end(), s.frontier.begin(), s.frontier.end());
    if (!s.frontier.empty()) out.per_step.push_back(s.frontier.size());
  }
}

Cascade run_lt(const Graph& g, std::span<const Vertex> seeds, const LtParams& params,
               std::uint64_t master_seed, std::uint64_t trial) {
  const LtModel model(g, params, master_seed);
  LtScratch scratch;
  Cascade out;
  run_lt(g, model, seeds, trial, scratch, out);
  return out;
}

void run_lt_trial(const Graph& g, const LtModel& model, std::span<const Vertex> seeds,
                  std::uint64_t trial, TrialScratch& s, TrialCounts& out) {
  constexpr std::uint64_t kActive = std::numeric_limits<std::uint64_t>::max();
  check_model(g, model);
  const std::uint64_t n = g.num_vertices();
  s.sum.resize(n);
  s.theta.resize(n);
  detail::start_sequential_trial(s, seeds, n, out, [&s](Vertex v) { s.sum[v] = kActive; });
  const std::uint32_t epoch = s.epoch;
  while (!s.frontier.empty()) {
    s.next.clear();
    for (Vertex u : s.frontier) {
      const auto targets = g.out_neighbors(u);
      const auto weights = g.out_weights(u);
      out.arcs_examined += targets.size();
      for (std::size_t k = 0; k < targets.size(); ++k) {
        const Vertex v = targets[k];
        if (s.stamp[v] != epoch) {  // first touch in this trial: state starts fresh
          s.stamp[v] = epoch;
          s.sum[v] = 0;
          s.theta[v] = model.threshold(trial, v);
        }
        if (s.sum[v] == kActive) continue;
        s.sum[v] += model.influence(v, weight_at(weights, k));
        if (s.sum[v] >= s.theta[v]) {  // tipped by this step's sources: active at the next step
          s.sum[v] = kActive;
          s.next.push_back(v);
        }
      }
    }
    detail::close_sequential_step(s, out);
  }
}

}  // namespace cascade
