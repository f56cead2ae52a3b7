#pragma once
// fit(): simulation-based inference of free scenario keys from observed recruitment trees (or a
// published record's summaries), by ABC-SMC: approximate Bayesian computation with sequential
// Monte Carlo (population Monte Carlo; Beaumont, Cornuet, Marin & Robert 2009; Toni et al.
// 2009; adaptive tolerances as in Del Moral, Doucet & Jasra 2012 and Lenormand, Jabot &
// Deffuant 2013).
//
// Prior: independent uniforms on each free key's [lo, hi], restricted to the combinations the
// scenario reader accepts (e.g. share_probability <= recruit_probability_max). Every simulation is
// the scenario with the keys set (scenario_with, the mechanism of `cascade sweep --set`), run by
// mobilize() for as many trials as the data has trees, restricted to the data's regimes, summarised
// like the data (cascade/tree_summaries.hpp) and compared by the distance
//   d = sqrt(sum_i ((s_i - o_i) / scale_i)^2)   over the statistics o_i the data knows,
// scale_i the standard deviation of statistic i over generation 0 (the prior predictive), or 1
// where that is 0.
// Generation 0 draws 2N parameter vectors from the prior and keeps the N nearest (weights
// equal); generation t >= 1 draws 2N proposals, each by picking a particle j of generation t-1
// with probability w_j and perturbing it with a Gaussian kernel of per-key variance twice the
// weighted variance of generation t-1 (Beaumont et al. 2009), picking and perturbing again until
// it lies inside the prior's support, and keeps the N nearest, so the tolerance epsilon_t is the
// 50% quantile of the generation's distances. A kept particle's weight is
//   w_i  proportional to  prior(theta_i) / sum_j w_j K(theta_i | theta_j),
// exact because redrawing j and the perturbation together makes the proposal density the
// kernel mixture restricted to the prior. Integer keys (seeds.count, ...) are rounded when set.
//
// Determinism: proposal i of generation t draws from a counter-based stream keyed by
// (seed, t, i) and its simulation's master seed is drawn from the same stream; proposals run in
// parallel, everything else is sequential, so the result is identical for any thread count.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "cascade/tree_summaries.hpp"

namespace cascade {

/// A free key and its uniform prior [lo, hi].
struct FreeKey {
  std::string key;
  double lo = 0, hi = 0;
  bool integer = false;  ///< set by fit(): the key holds an integer in the scenario
};

/// Parses "KEY=LO:HI" (LO < HI, both finite numbers). Throws InvalidArgument naming the text.
FreeKey parse_free_key(const std::string& text);

/// A posterior 90% interval narrower than this share of the prior's width counts as "pinned"
/// (the data identifies the key); wider is "not identified". A uniform posterior's is 0.9.
inline constexpr double kPinnedWidthRatio = 0.5;

struct FitOptions {
  std::vector<FreeKey> free;
  std::size_t particles = 64;   ///< N, the population kept per generation (>= 4)
  std::size_t generations = 4;  ///< ABC-SMC generations after generation 0
  std::uint64_t seed = 1;
  std::size_t threads = 0;               ///< 0: all cores
  std::function<void(double)> progress;  ///< fraction of all simulations done, in [0, 1]
};

/// One key's marginal posterior (weighted over the final population).
struct FitParameter {
  FreeKey prior;
  double median = 0, mean = 0, sd = 0, lo90 = 0, hi90 = 0;  ///< lo90/hi90: 5% and 95% quantiles
  double width_ratio = 0;                                   ///< (hi90 - lo90) / (hi - lo)
  bool pinned = false;                                      ///< width_ratio < kPinnedWidthRatio
};

struct FitGeneration {
  double epsilon = 0;         ///< the largest kept distance
  double effective_size = 0;  ///< 1 / sum w^2 of the kept particles
  std::uint64_t simulations = 0;
};

/// Posterior predictive check: per statistic of the data, its observed value and the weighted
/// 5%, 50% and 95% quantiles over the final population's simulations.
struct PredictiveStat {
  std::string regime, name;
  double observed = 0, lo = 0, median = 0, hi = 0;
};

struct FitResult {
  std::string scenario;
  std::vector<FitParameter> parameters;
  std::vector<std::vector<double>> samples;  ///< final population: one vector of key values each
  std::vector<double> weights, distances;    ///< per sample (weights sum to 1)
  std::vector<FitGeneration> generations;    ///< generation 0 first
  std::vector<TreeSummaries> observed;
  std::vector<PredictiveStat> predictive;
  std::vector<double> scales;  ///< per statistic (the distance's normalisation)
  std::uint64_t seed = 0, simulations = 0;
  double seconds = 0;
};

/// The sign-up hours fit uses for observed trees: kSignupPoints equal steps up to the horizon.
inline constexpr std::size_t kSignupPoints = 8;
std::vector<double> signup_hours(double horizon_hours);

/// Fits options.free to the observed summaries (one per regime, each regime named in the
/// scenario) with the scenario (JSON text; origin names it in messages). Throws InvalidArgument
/// for a bad --free key (unknown, not numeric, its bounds rejected by the reader), a regime the
/// scenario lacks, or options out of range; FileError for a bad scenario. Cost: 2 N (G + 1)
/// mobilize() runs of as many trials as the data has trees.
FitResult fit(const std::string& scenario_text, const std::string& origin,
              const std::vector<TreeSummaries>& observed, const FitOptions& options);

}  // namespace cascade
