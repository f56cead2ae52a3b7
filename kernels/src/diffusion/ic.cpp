// Independent cascade, one trial: a direction-optimizing, level-synchronous traversal of the
// live arcs (Beamer, Asanovic & Patterson, SC 2012; the structure follows GAPBS's bfs.cc).
//
// Determinism. Everything a step produces is a function of the previous steps only:
//  - the set activated at step t+1 is {v inactive : some live arc u->v with step[u] = t};
//  - recruiter[v] is the smallest such u. Top-down, each successful u takes an atomic minimum on
//    recruiter[v]; bottom-up, v scans its in-neighbours in ascending id and stops at the first
//    live one from the frontier. Both give the same minimum, whatever the schedule;
//  - the step's vertices are appended to `order` sorted by id.
// Steps are written only between parallel phases (push) or only by the thread owning the vertex
// (pull), so no thread reads a value that another may be writing.
#include "cascade/ic.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <string>
#include <utility>

#include "cascade/error.hpp"
#include "traversal/frontier.hpp"
#include "traversal/parallel_fill.hpp"

namespace cascade {
namespace {

using detail::append_bitmap;
using detail::queue_to_bitmap;
using detail::sum_out_degrees;
using detail::test_bit;
using detail::weight_at;
using detail::Word;
constexpr std::size_t kPrefetch = 8;  // sequential trials: prefetch distance in arcs

// LiveArcs' coin for arc u->v, skipping the hash where the outcome is certain (p = 0 or p = 1):
// the same answer as coins.live(u, v, w, key), much cheaper for the p = 1 (BFS) case.
inline bool is_live(const LiveArcs& coins, Vertex u, Vertex v, float w,
                    const rng::TrialCoinKey& key) {
  const std::uint64_t t = coins.threshold(v, w);
  if (t == 0) return false;
  if (t >= (std::uint64_t{1} << 53)) return true;
  return rng::coin_lane(coins.arc_hash(u, v), key, t);
}

}  // namespace

struct IcScratch::Impl {
  std::vector<Vertex> frontier, next;      // step t / t+1, sorted by id
  std::vector<Word> front, curr;           // pull: bitmaps of step t / t+1
  std::vector<std::uint64_t> chunk_start;  // bitmap -> list prefix sums
  detail::FoundBuffers found;              // push: newly claimed per thread
};

IcScratch::IcScratch() : impl_(std::make_unique<Impl>()) {}
IcScratch::~IcScratch() = default;

namespace {

// Top-down step t -> t+1: every frontier vertex tries its out-arcs. Fills next (sorted by id),
// sets step and recruiter of the new vertices.
void push_step(const Graph& g, const LiveArcs& coins, const rng::TrialCoinKey& key, std::uint32_t t,
               IcScratch::Impl& s, Cascade& out) {
  detail::clear_found(s.found);
  std::uint32_t* step = out.step.data();
  Vertex* recruiter = out.recruiter.data();
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, s.frontier.size(), 64),
      [&](const tbb::blocked_range<std::size_t>& r) {
        auto& found = s.found.local();
        for (std::size_t i = r.begin(); i < r.end(); ++i) {
          const Vertex u = s.frontier[i];
          const auto targets = g.out_neighbors(u);
          const auto weights = g.out_weights(u);
          for (std::size_t k = 0; k < targets.size(); ++k) {
            const Vertex v = targets[k];
            if (step[v] != kUnreached) continue;  // active before t+1 (written between steps)
            std::atomic_ref<Vertex> claim(recruiter[v]);
            Vertex current = claim.load(std::memory_order_relaxed);
            if (current < u) continue;  // a smaller in-neighbour already succeeded this step
            if (!is_live(coins, u, v, weight_at(weights, k), key)) continue;
            while (u < current) {  // atomic minimum; the first claimer lists v
              if (claim.compare_exchange_weak(current, u, std::memory_order_relaxed)) {
                if (current == kNoVertex) found.push_back(v);
                break;
              }
            }
          }
        }
      });
  detail::merge_found(s.found, s.next);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, s.next.size(), 4096),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t i = r.begin(); i < r.end(); ++i) step[s.next[i]] = t + 1;
                    });
}

struct PullCount {
  std::uint64_t awake = 0;    // vertices activated
  std::uint64_t degrees = 0;  // their out-arcs
  PullCount operator+(const PullCount& o) const { return {awake + o.awake, degrees + o.degrees}; }
};

// Bottom-up step t -> t+1: every inactive vertex scans its in-neighbours in ascending id and
// takes the first live arc from the frontier (bitmap s.front). Sets bits in s.curr; each task
// owns whole words, so no atomics.
PullCount pull_step(const Graph& g, const Graph& in, const LiveArcs& coins,
                    const rng::TrialCoinKey& key, std::uint32_t t, IcScratch::Impl& s,
                    Cascade& out) {
  const std::uint64_t n = g.num_vertices();
  s.curr.resize(s.front.size());
  return tbb::parallel_reduce(
      tbb::blocked_range<std::uint64_t>(0, s.front.size(), 16), PullCount{},
      [&](const tbb::blocked_range<std::uint64_t>& r, PullCount count) {
        for (std::uint64_t w = r.begin(); w < r.end(); ++w) {
          Word bits = 0;
          const std::uint64_t end = std::min(n, (w + 1) * 64);
          for (std::uint64_t x = w * 64; x < end; ++x) {
            const auto v = static_cast<Vertex>(x);
            if (out.step[v] != kUnreached) continue;
            const auto sources = in.out_neighbors(v);
            const auto weights = in.out_weights(v);
            for (std::size_t k = 0; k < sources.size(); ++k) {
              const Vertex u = sources[k];
              if (!test_bit(s.front, u)) continue;
              if (!is_live(coins, u, v, weight_at(weights, k), key)) continue;
              out.step[v] = t + 1;
              out.recruiter[v] = u;
              bits |= Word{1} << (x & 63);
              ++count.awake;
              count.degrees += g.out_degree(v);
              break;
            }
          }
          s.curr[w] = bits;
        }
        return count;
      },
      std::plus<>());
}

void check_params(const LiveArcs& coins, const IcParams& params) {
  if (!(params.alpha > 0.0) || !std::isfinite(params.alpha))
    throw InvalidArgument("IC alpha = " + std::to_string(params.alpha) + " is not > 0");
  if (!(params.beta > 0.0) || !std::isfinite(params.beta))
    throw InvalidArgument("IC beta = " + std::to_string(params.beta) + " is not > 0");
  const auto p = coins.probability();
  if (p.model != params.probability.model ||
      (p.model == ProbabilityModel::kUniform && p.p != params.probability.p))
    throw InvalidArgument("run_ic: the LiveArcs were built for other parameters");
}

}  // namespace

void run_ic(const Graph& g, const LiveArcs& coins, std::span<const Vertex> seeds,
            const IcParams& params, std::uint64_t trial, IcScratch& scratch, Cascade& out) {
  check_params(coins, params);
  IcScratch::Impl& s = scratch.impl();
  const std::uint64_t n = g.num_vertices();
  const rng::TrialCoinKey key = coins.trial_key(trial);
  const Graph* in = params.direction == Direction::kPush ? nullptr : &g.transpose();

  s.frontier = sorted_seeds(g, seeds);
  detail::parallel_fill(out.step, n, kUnreached);
  detail::parallel_fill(out.recruiter, n, kNoVertex);
  out.order.reserve(n);  // no reallocation while steps are appended
  out.order.assign(s.frontier.begin(), s.frontier.end());
  out.per_step.assign(1, s.frontier.size());
  out.pull_steps = 0;
  for (Vertex v : s.frontier) out.step[v] = 0;

  std::uint64_t scout_count = sum_out_degrees(g, s.frontier);  // out-arcs of the frontier
  std::uint64_t edges_to_check = g.num_arcs();  // arcs not yet explored top-down (as GAPBS)
  out.arcs_examined = scout_count;
  std::uint32_t t = 0;
  while (!s.frontier.empty()) {
    const bool pull =
        params.direction == Direction::kPull ||
        (params.direction == Direction::kAuto &&
         static_cast<double>(scout_count) > static_cast<double>(edges_to_check) / params.alpha);
    if (pull) {
      queue_to_bitmap(s.frontier, n, s.front);
      std::uint64_t awake = s.frontier.size(), old_awake = 0;
      do {
        old_awake = awake;
        const PullCount count = pull_step(g, *in, coins, key, t, s, out);
        awake = count.awake;
        scout_count = count.degrees;
        out.arcs_examined += scout_count;
        ++t;
        ++out.pull_steps;
        std::swap(s.front, s.curr);
        append_bitmap(s.front, s.chunk_start, out.order);  // ascending: the step's order
        if (awake > 0) out.per_step.push_back(awake);
      } while (awake > 0 && (params.direction == Direction::kPull || awake >= old_awake ||
                             static_cast<double>(awake) > static_cast<double>(n) / params.beta));
      s.frontier.assign(out.order.end() - static_cast<std::ptrdiff_t>(awake), out.order.end());
    } else {
      edges_to_check -= std::min(edges_to_check, scout_count);
      push_step(g, coins, key, t, s, out);
      ++t;
      std::swap(s.frontier, s.next);
      out.order.insert(out.order.end(), s.frontier.begin(), s.frontier.end());
      if (!s.frontier.empty()) out.per_step.push_back(s.frontier.size());
      scout_count = sum_out_degrees(g, s.frontier);
      out.arcs_examined += scout_count;
    }
  }
}

Cascade run_ic(const Graph& g, std::span<const Vertex> seeds, const IcParams& params,
               std::uint64_t master_seed, std::uint64_t trial) {
  const LiveArcs coins(g, params.probability, master_seed);
  IcScratch scratch;
  Cascade out;
  run_ic(g, coins, seeds, params, trial, scratch, out);
  return out;
}

void run_ic_trial(const Graph& g, const LiveArcs& coins, std::span<const Vertex> seeds,
                  std::uint64_t trial, TrialScratch& s, TrialCounts& out) {
  const std::uint64_t n = g.num_vertices();
  detail::start_sequential_trial(s, seeds, n, out, [](Vertex) {});
  const std::uint32_t epoch = s.epoch;
  const rng::TrialCoinKey key = coins.trial_key(trial);
  std::uint32_t* stamp = s.stamp.data();
  const Offset* offsets = g.offsets().data();
  const Vertex* targets_of = g.targets().data();
  // Level by level; within a level the order does not matter: the set reached at t+1 is fixed.
  while (!s.frontier.empty()) {
    s.next.clear();
    for (std::size_t i = 0; i < s.frontier.size(); ++i) {
      // Frontier vertices are scattered too: fetch the offsets, then the arcs, of those ahead.
      if (i + 2 * kPrefetch < s.frontier.size())
        __builtin_prefetch(&offsets[s.frontier[i + 2 * kPrefetch]]);
      if (i + kPrefetch < s.frontier.size())
        __builtin_prefetch(&targets_of[offsets[s.frontier[i + kPrefetch]]]);
      const Vertex u = s.frontier[i];
      const auto targets = g.out_neighbors(u);
      const auto weights = g.out_weights(u);
      out.arcs_examined += targets.size();
      for (std::size_t k = 0; k < targets.size(); ++k) {
        // The stamp lookups are random accesses: ask for the one kPrefetch arcs ahead now.
        if (k + kPrefetch < targets.size()) __builtin_prefetch(&stamp[targets[k + kPrefetch]]);
        const Vertex v = targets[k];
        if (stamp[v] == epoch) continue;  // already active (or reached at this step)
        if (!is_live(coins, u, v, weight_at(weights, k), key)) continue;
        stamp[v] = epoch;
        s.next.push_back(v);
      }
    }
    detail::close_sequential_step(s, out);
  }
}

}  // namespace cascade
