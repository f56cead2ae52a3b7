// Fused Monte Carlo IC: one level-synchronous sweep serves a batch of 64 * K trials.
//
// Per vertex v the workspace holds K words, seen[v]: the trials in which v is active or activated
// at the step being built. The lanes in which v is activated at that step are seen[v] minus its
// value at the step's first activation of v, kept in the list of activated vertices (so the
// array read at random is K words per vertex, not 2K). The frontier of a step is a list of
// (vertex, mask) pairs: u appears once, with the mask
// F[u] of the trials in which it was activated at the previous step. For each frontier arc u->v
// only the trials F[u] & ~seen[v] need a coin -- where v is already active nothing changes, and
// where another arc already reached v at this step its activation step stays the same -- so the
// one-trial result is reproduced exactly with far fewer coins than trials x arcs. The arc's pair
// hash is computed once per visit; the coins are bit-sliced (rng::coin_block): each word of the
// masks is one block of 64 trials, and one mixed word (two multiplies) is one bit-plane of all
// its lanes, so a word's needed lanes are decided with about log2(needed) + 2 mixes.
//
// Memory is the other cost: one random access to seen[v] per arc visit. Hence: software
// prefetch a fixed distance ahead, transparent huge pages for the state (no TLB miss per
// access), frontiers in vertex order (adjacency read sequentially), the state no larger than
// seen[] itself (the cache holds twice the vertices), and wide batches (fewer visits per trial:
// 512 lanes by default, where the trials still give every thread a batch). A target already seen in
// every lane of the frontier mask drops out of the filter pass by the same load and test as any
// other (a separate bitmap of such vertices cost more to keep than the lines it spared).
//
// Parallelism: batches run independently on oneTBB workers, each with its own workspace, so no
// atomics are needed and a batch's results do not depend on which thread ran it.
//
// The batch itself is in fused_sweep.hpp, its coins in fused_coins.hpp, the per-thread memory in
// fused_workspace.hpp; this file compiles the sweep once per instruction set and runs batches.
#include "cascade/fused_ic.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <string>

#include "cascade/error.hpp"
#include "cascade/parallel.hpp"
#include "diffusion/fused_sweep.hpp"
#include "diffusion/fused_workspace.hpp"
#include "traversal/frontier.hpp"

// Under AddressSanitizer the SIMD entry points are not flattened: a flattened, instrumented
// sweep per (lanes, ISA, model) took 141 s of a 15-s compile (CI builds this file twice
// sanitized). The code and its results are the same; only how much of it is inlined differs.
#if defined(__SANITIZE_ADDRESS__)
#define CASCADE_FUSED_FLATTEN
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CASCADE_FUSED_FLATTEN
#endif
#endif
#ifndef CASCADE_FUSED_FLATTEN
#define CASCADE_FUSED_FLATTEN , flatten
#endif

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define CASCADE_FUSED_AVX512 1
#define CASCADE_AVX512_TARGET                                                 \
  __attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,bmi,bmi2,popcnt") \
                     CASCADE_FUSED_FLATTEN))
#define CASCADE_AVX2_TARGET __attribute__((target("avx2,bmi,bmi2,popcnt") CASCADE_FUSED_FLATTEN))
#else
#define CASCADE_FUSED_AVX512 0
#endif

namespace cascade {

struct FusedIcScratch::Impl {
  tbb::enumerable_thread_specific<Workspace> workspaces;
};

FusedIcScratch::FusedIcScratch() : impl_(std::make_unique<Impl>()) {}
FusedIcScratch::~FusedIcScratch() = default;

namespace {

// Entry points per (lanes, instruction set, probability model). The SIMD variants carry a
// target attribute and flatten, so the whole sweep (filter pass, masks, coin loop) is compiled
// for that instruction set; the portable variants run everywhere. The source is the same.
template <unsigned K, bool kUniform, class SeedsOfLane>
BatchTotals batch_portable(const Graph& g, const LiveArcs& coins, const BatchSpec& spec,
                           const SeedsOfLane& seeds, Workspace& ws, FusedTrialResult& result) {
  return BatchSweep<K, kUniform, SeedsOfLane, CoinIsa::kPortable>(g, coins, spec, ws)
      .run(seeds, result);
}

#if CASCADE_FUSED_AVX512
template <unsigned K, bool kUniform, class SeedsOfLane>
CASCADE_AVX512_TARGET BatchTotals batch_avx512(const Graph& g, const LiveArcs& coins,
                                               const BatchSpec& spec, const SeedsOfLane& seeds,
                                               Workspace& ws, FusedTrialResult& result) {
  return BatchSweep<K, kUniform, SeedsOfLane, CoinIsa::kAvx512>(g, coins, spec, ws)
      .run(seeds, result);
}

template <unsigned K, bool kUniform, class SeedsOfLane>
CASCADE_AVX2_TARGET BatchTotals batch_avx2(const Graph& g, const LiveArcs& coins,
                                           const BatchSpec& spec, const SeedsOfLane& seeds,
                                           Workspace& ws, FusedTrialResult& result) {
  return BatchSweep<K, kUniform, SeedsOfLane, CoinIsa::kAvx2>(g, coins, spec, ws)
      .run(seeds, result);
}
#endif

template <unsigned K, class SeedsOfLane>
BatchTotals dispatch_batch(CoinIsa isa, const Graph& g, const LiveArcs& coins,
                           const BatchSpec& spec, const SeedsOfLane& seeds, Workspace& ws,
                           FusedTrialResult& result) {
  const bool uniform = coins.probability().model == ProbabilityModel::kUniform;
#if CASCADE_FUSED_AVX512
  if (isa == CoinIsa::kAvx512)
    return uniform ? batch_avx512<K, true>(g, coins, spec, seeds, ws, result)
                   : batch_avx512<K, false>(g, coins, spec, seeds, ws, result);
  if (isa == CoinIsa::kAvx2)
    return uniform ? batch_avx2<K, true>(g, coins, spec, seeds, ws, result)
                   : batch_avx2<K, false>(g, coins, spec, seeds, ws, result);
#else
  (void)isa;
#endif
  return uniform ? batch_portable<K, true>(g, coins, spec, seeds, ws, result)
                 : batch_portable<K, false>(g, coins, spec, seeds, ws, result);
}

unsigned pick_words(const FusedIcOptions& options, std::uint64_t trials) {
  switch (options.lanes) {
    case 64:
      return 1;
    case 128:
      return 2;
    case 256:
      return 4;
    case 512:
      return 8;
    case 0:
      break;
    default:
      throw InvalidArgument("fused IC lanes = " + std::to_string(options.lanes) +
                            " (expected 0, 64, 128, 256 or 512)");
  }
  // Widest batch that still gives every thread a batch (results do not depend on the choice).
  const std::uint64_t threads = std::max<std::size_t>(1, max_threads());
  unsigned k = 8;
  while (k > 1 && (trials + k * kWordBits - 1) / (k * kWordBits) < threads) k /= 2;
  return k;
}

}  // namespace

CoinIsa fused_coin_isa(CoinIsa max_isa) {
#if CASCADE_FUSED_AVX512
  static const bool avx512 = __builtin_cpu_supports("avx512f") &&
                             __builtin_cpu_supports("avx512dq") &&
                             __builtin_cpu_supports("avx512bw") &&
                             __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("bmi2");
  static const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi2");
  if (max_isa == CoinIsa::kAvx512 && avx512) return CoinIsa::kAvx512;
  if (max_isa != CoinIsa::kPortable && avx2) return CoinIsa::kAvx2;
#else
  (void)max_isa;
#endif
  return CoinIsa::kPortable;
}

const char* isa_name(CoinIsa isa) {
  switch (isa) {
    case CoinIsa::kAvx512:
      return "avx512";
    case CoinIsa::kAvx2:
      return "avx2";
    case CoinIsa::kPortable:
      break;
  }
  return "portable";
}

namespace {

template <class SeedsOfTrial>
FusedTrialResult run_fused(const Graph& g, const LiveArcs& coins, const SeedsOfTrial& seeds_of,
                           std::uint64_t first_trial, std::uint64_t trials,
                           const FusedIcOptions& options, FusedIcScratch* scratch) {
  const unsigned k = pick_words(options, trials);
  FusedTrialResult result;
  result.first_trial = first_trial;
  result.trials = trials;
  result.spread.assign(trials, 0);
  result.per_step.assign(trials, {});
  if (trials == 0) return result;

  std::unique_ptr<FusedIcScratch> own;
  if (scratch == nullptr) {
    own = std::make_unique<FusedIcScratch>();
    scratch = own.get();
  }
  auto& workspaces = scratch->impl().workspaces;
  // Batches start at coin-block boundaries (multiples of 64 trials), so each word of a batch's
  // masks is one block of rng::coin_block; lanes outside the run stay empty.
  const std::uint64_t lanes = std::uint64_t{k} * kWordBits;
  const std::uint64_t aligned_first = first_trial - first_trial % kWordBits;
  const std::uint64_t end_trial = first_trial + trials;
  const std::uint64_t batches = (end_trial - aligned_first + lanes - 1) / lanes;
  std::vector<BatchTotals> totals(batches);
  const CoinIsa isa = fused_coin_isa(options.max_isa);

  tbb::parallel_for(std::uint64_t{0}, batches, [&](std::uint64_t b) {
    BatchSpec spec;
    spec.first_trial = aligned_first + b * lanes;
    spec.lane_begin =
        static_cast<unsigned>(std::max(first_trial, spec.first_trial) - spec.first_trial);
    spec.lane_end =
        static_cast<unsigned>(std::min(end_trial, spec.first_trial + lanes) - spec.first_trial);
    spec.result_index = spec.first_trial - first_trial;  // modulo 2^64: lane_begin maps to >= 0
    auto seeds = [&](unsigned lane) { return seeds_of(spec.first_trial + lane); };
    Workspace& ws = workspaces.local();
    switch (k) {
      case 1:
        totals[b] = dispatch_batch<1>(isa, g, coins, spec, seeds, ws, result);
        break;
      case 2:
        totals[b] = dispatch_batch<2>(isa, g, coins, spec, seeds, ws, result);
        break;
      case 4:
        totals[b] = dispatch_batch<4>(isa, g, coins, spec, seeds, ws, result);
        break;
      default:
        totals[b] = dispatch_batch<8>(isa, g, coins, spec, seeds, ws, result);
        break;
    }
  });
  for (const BatchTotals& t : totals) {
    result.arcs_examined += t.arcs_examined;
    result.coins_drawn += t.coins_drawn;
  }
  return result;
}

}  // namespace

FusedTrialResult run_ic_fused(const Graph& g, const LiveArcs& coins, std::span<const Vertex> seeds,
                              std::uint64_t first_trial, std::uint64_t trials,
                              const FusedIcOptions& options, FusedIcScratch* scratch) {
  for (const Vertex s : seeds) detail::check_seed(s, g.num_vertices());
  return run_fused(
      g, coins, [seeds](std::uint64_t) { return seeds; }, first_trial, trials, options, scratch);
}

namespace {

/// Fills a TrialBlock from a fused run of trials first .. first + count - 1.
template <class Run>
void fill_block(std::uint64_t count, TrialBlock& out, const Run& run) {
  const auto start = std::chrono::steady_clock::now();
  FusedTrialResult r = run();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out.spreads = std::move(r.spread);
  out.per_step_sum.clear();
  for (const auto& row : r.per_step) {
    if (out.per_step_sum.size() < row.size()) out.per_step_sum.resize(row.size(), 0);
    for (std::size_t s = 0; s < row.size(); ++s) out.per_step_sum[s] += row[s];
  }
  out.arcs_examined = r.arcs_examined;
  out.seconds.assign(count, count == 0 ? 0.0 : seconds / static_cast<double>(count));
}

}  // namespace

TrialRunner fused_ic_runner(const Graph& g, const LiveArcs& coins, std::vector<Vertex> seeds,
                            const FusedIcOptions& options) {
  auto scratch = std::make_shared<FusedIcScratch>();
  return [&g, &coins, seeds = std::move(seeds), options, scratch](
             std::uint64_t first, std::uint64_t count, TrialBlock& out) {
    fill_block(count, out,
               [&] { return run_ic_fused(g, coins, seeds, first, count, options, scratch.get()); });
  };
}

TrialRunner fused_ic_runner(const Graph& g, const LiveArcs& coins, TrialSeedsFn seeds_of,
                            const FusedIcOptions& options) {
  if (!seeds_of) throw InvalidArgument("fused IC: empty seed function");
  auto scratch = std::make_shared<FusedIcScratch>();
  return [&g, &coins, seeds_of = std::move(seeds_of), options, scratch](
             std::uint64_t first, std::uint64_t count, TrialBlock& out) {
    fill_block(count, out, [&] {
      return run_ic_fused(g, coins, seeds_of, first, count, options, scratch.get());
    });
  };
}

FusedTrialResult run_ic_fused(const Graph& g, const LiveArcs& coins, const TrialSeedsFn& seeds_of,
                              std::uint64_t first_trial, std::uint64_t trials,
                              const FusedIcOptions& options, FusedIcScratch* scratch) {
  if (!seeds_of) throw InvalidArgument("fused IC: empty seed function");
  return run_fused(g, coins, seeds_of, first_trial, trials, options, scratch);
}

}  // namespace cascade
