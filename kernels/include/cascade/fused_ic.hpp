#pragma once
// Fused Monte Carlo independent cascade: many trials per pass over the arcs.
//
// Trials are simulated in batches of W = 64, 128, 256 or 512 lanes (one bit per trial in a
// per-vertex mask). A level-synchronous sweep visits each frontier vertex u once per step with the
// mask of trials in which u was activated at that step; for each out-arc u->v it hashes the pair
// once (rng::arc_hash) and decides the bit-sliced coins (rng::coin_block: one mixed word is a
// bit-plane of 64 trials) only in the trials where u is in the frontier and v is not yet active
// (mask arithmetic). The sweep is compiled for AVX2 and AVX-512 too and the widest the CPU has
// runs (runtime dispatch; the default build stays portable). InFuseR (Gokturk & Kaya, TPDS 2021)
// and the live-edge view of Ohsaka et al. (AAAI 2014).
//
// Exactness: a trial's coins are those of LiveArcs, as in the one-trial IC kernel, so every trial
// returns EXACTLY the spread and per-step counts that run_ic gives for the same (graph, coins,
// seeds, trial), whatever the batch a trial lands in, the lane width and the thread count.
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "cascade/graph.hpp"
#include "cascade/live_arcs.hpp"
#include "cascade/monte_carlo.hpp"

namespace cascade {

/// Per-trial results of a fused run. Trial t of the run is first_trial + i at index i.
struct FusedTrialResult {
  std::uint64_t first_trial = 0;
  std::uint64_t trials = 0;
  /// Number of active vertices at the end of each trial (seeds included).
  std::vector<std::uint64_t> spread;
  /// per_step[i][s] = vertices first activated at step s of trial i (s = 0: the distinct seeds).
  /// Each row ends at the trial's last step that activated a vertex (row {0} without seeds).
  std::vector<std::vector<std::uint64_t>> per_step;
  /// (arc, trial) pairs an IC cascade attempts: sum over trials of the out-degrees of the active
  /// vertices. Independent of how the kernel batches work (the TEPS numerator).
  std::uint64_t arcs_examined = 0;
  /// (arc, trial) coins actually decided: the attempts not skipped because the target was
  /// already active in that trial. Diagnostic; deterministic for given options and lanes.
  std::uint64_t coins_drawn = 0;
};

/// Instruction sets the fused sweep is compiled for: portable C++, AVX2 and AVX-512 (the same
/// source with the compiler's target set; the bit-sliced coin decides up to 64 trials per mix).
enum class CoinIsa { kPortable, kAvx2, kAvx512 };

struct FusedIcOptions {
  /// Trials per pass: 64, 128, 256 or 512; 0 picks automatically (wide batches for many
  /// trials, narrower ones when there are too few trials to keep every thread busy).
  unsigned lanes = 0;
  /// The widest coin loop allowed; the kernel uses the widest one the CPU supports up to it
  /// (fused_coin_isa). Results are identical for every choice; only the speed differs.
  CoinIsa max_isa = CoinIsa::kAvx512;
};

/// The coin loop run_ic_fused uses on this CPU when at most `max_isa` is allowed.
CoinIsa fused_coin_isa(CoinIsa max_isa = CoinIsa::kAvx512);
/// "portable", "avx2" or "avx512" (for reports and benchmark names).
const char* isa_name(CoinIsa isa);

/// Reusable per-thread working memory (about 16 * lanes / 64 bytes per vertex per worker
/// thread). Keep one across calls on the same graph to avoid reallocating; not thread-safe:
/// one run at a time per scratch object.
class FusedIcScratch {
 public:
  FusedIcScratch();
  ~FusedIcScratch();
  FusedIcScratch(const FusedIcScratch&) = delete;
  FusedIcScratch& operator=(const FusedIcScratch&) = delete;
  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

/// Simulates IC trials first_trial .. first_trial + trials - 1 from the same seed set in every
/// trial. Throws InvalidArgument for a seed id >= n or an unsupported lane count. Work: about
/// one pass over the out-arcs of the frontier per step per batch, plus one coin per attempted
/// (arc, trial); parallel over batches (oneTBB), bit-identical for any thread count.
FusedTrialResult run_ic_fused(const Graph& g, const LiveArcs& coins, std::span<const Vertex> seeds,
                              std::uint64_t first_trial, std::uint64_t trials,
                              const FusedIcOptions& options = {},
                              FusedIcScratch* scratch = nullptr);

/// As above with a seed set per trial: seeds_of(r) gives the seeds of trial r.
FusedTrialResult run_ic_fused(const Graph& g, const LiveArcs& coins, const TrialSeedsFn& seeds_of,
                              std::uint64_t first_trial, std::uint64_t trials,
                              const FusedIcOptions& options = {},
                              FusedIcScratch* scratch = nullptr);

/// The fused kernel as a Monte Carlo engine: a TrialRunner for estimate_with() that simulates
/// each block of trials with run_ic_fused (fixed seeds, or seeds_of(r) per trial) and fills the
/// TrialBlock (spreads, per-step sums, arcs; each trial's time = the block's time / its size).
/// estimate_with(options, fused_ic_runner(...)) gives the same Estimate as estimate_spread() for
/// the same model, seeds and trials, timings aside. g and coins must outlive the runner.
TrialRunner fused_ic_runner(const Graph& g, const LiveArcs& coins, std::vector<Vertex> seeds,
                            const FusedIcOptions& options = {});
TrialRunner fused_ic_runner(const Graph& g, const LiveArcs& coins, TrialSeedsFn seeds_of,
                            const FusedIcOptions& options = {});

}  // namespace cascade
