#pragma once
// One statistics vocabulary for every estimator (simulate's Monte Carlo, mobilize's summaries,
// sweep's proportions): the 95% normal quantile, the standard error of a mean, the normal
// interval of a mean and the Wilson interval of a proportion.
#include <cmath>
#include <cstdint>

namespace cascade {

/// The two-sided 95% quantile of the standard normal distribution (often rounded to 1.96).
inline constexpr double kZ95 = 1.959963984540054;

struct Interval {
  double lo = 0.0, hi = 0.0;
};

/// The sample standard deviation and the standard error of the mean of n values whose squared
/// deviations from their mean sum to m2 (both 0 when n < 2). O(1).
struct Spread {
  double stddev = 0.0, standard_error = 0.0;
};
inline Spread spread_of(double m2, double n) {
  if (!(n > 1.0)) return {};
  const double stddev = std::sqrt(m2 / (n - 1.0));
  return {stddev, stddev / std::sqrt(n)};
}

/// The 95% interval of a mean under the normal approximation: mean -/+ kZ95 standard errors.
inline Interval normal_ci95(double mean, double standard_error) {
  return {mean - kZ95 * standard_error, mean + kZ95 * standard_error};
}

/// Wilson score 95% interval of a proportion, successes of trials (trials > 0; [0, 1] when 0).
/// Unlike p +- 1.96 SE it stays inside [0, 1] and is not empty at 0 or all successes. O(1).
Interval wilson_interval(std::uint64_t successes, std::uint64_t trials);

}  // namespace cascade
