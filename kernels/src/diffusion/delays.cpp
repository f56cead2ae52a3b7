// Delay distributions of timed cascades (cascade/timed.hpp): median-and-shape families, their
// quantile and CDF, and the hashed per-arc delays.
#include <cmath>
#include <numbers>
#include <string>

#include "cascade/error.hpp"
#include "cascade/timed.hpp"

namespace cascade {

const char* delay_distribution_name(DelayDistribution d) {
  switch (d) {
    case DelayDistribution::kExponential:
      return "exponential";
    case DelayDistribution::kLogNormal:
      return "lognormal";
    case DelayDistribution::kWeibull:
      return "weibull";
  }
  return "exponential";
}

std::optional<DelayDistribution> delay_distribution_named(std::string_view name) {
  for (const auto d : {DelayDistribution::kExponential, DelayDistribution::kLogNormal,
                       DelayDistribution::kWeibull})
    if (name == delay_distribution_name(d)) return d;
  return std::nullopt;
}

void DelayModel::validate() const {
  if (!(median_hours > 0.0) || !std::isfinite(median_hours))
    throw InvalidArgument("delay median_hours = " + std::to_string(median_hours) +
                          " must be a positive number");
  if (!(shape > 0.0) || !std::isfinite(shape))
    throw InvalidArgument("delay shape = " + std::to_string(shape) + " must be a positive number");
}

double normal_quantile(double u) {
  // Acklam's rational approximation (relative error 1.15e-9) refined by one Halley step.
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double kLow = 0.02425;
  double x;
  if (u < kLow) {
    const double q = std::sqrt(-2.0 * std::log(u));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  } else if (u <= 1.0 - kLow) {
    const double q = u - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
  } else {
    const double q = std::sqrt(-2.0 * std::log1p(-u));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  }
  const double e = 0.5 * std::erfc(-x / std::numbers::sqrt2) - u;
  const double step = e * std::sqrt(2.0 * std::numbers::pi) * std::exp(0.5 * x * x);
  return x - step / (1.0 + 0.5 * x * step);
}

double DelayModel::quantile(double u) const {
  switch (distribution) {
    case DelayDistribution::kExponential:  // rate ln 2 / median
      return median_hours * (-std::log1p(-u)) / std::numbers::ln2;
    case DelayDistribution::kLogNormal:  // median = e^mu
      return median_hours * std::exp(shape * normal_quantile(u));
    case DelayDistribution::kWeibull:  // median = lambda (ln 2)^(1/k)
      return median_hours * std::pow(-std::log1p(-u) / std::numbers::ln2, 1.0 / shape);
  }
  return 0.0;
}

double DelayModel::cdf(double hours) const {
  if (!(hours > 0.0)) return 0.0;
  switch (distribution) {
    case DelayDistribution::kExponential:
      return 1.0 - std::exp(-std::numbers::ln2 * hours / median_hours);
    case DelayDistribution::kLogNormal:
      return 0.5 * std::erfc(-std::log(hours / median_hours) / (shape * std::numbers::sqrt2));
    case DelayDistribution::kWeibull:
      return 1.0 - std::exp(-std::numbers::ln2 * std::pow(hours / median_hours, shape));
  }
  return 0.0;
}

ArcDelays::ArcDelays(const DelayModel& model, std::uint64_t master_seed)
    : model_(model), master_(master_seed) {
  model_.validate();
}

}  // namespace cascade
