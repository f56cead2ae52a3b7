#pragma once
// Equal budgets: a scheme's money rescaled so that every scheme spends the same (the sweep's
// equal-spend frontier, cascade/sweep.hpp).
#include <cstdint>

#include "cascade/incentive.hpp"

namespace cascade {

/// The scheme with its money rescaled so its total budget for num_targets targets is
/// budget_cents, as exactly as whole cents allow and never more:
///   recursive R: K * floor(R / (1 - alpha)) = B (exact when B is a multiple of K cents and
///                B / K of the attainable per-target budgets, e.g. any even number of cents
///                per target for alpha = 1/2);
///   finder-only R: K * R = B (exact when B is a multiple of K cents);
///   flat bounty: pool = B exactly, bounty scaled by B / (the base pool), rounded to cents;
///   none: unchanged.
/// Throws InvalidArgument when the scheme cannot be scaled (target schemes with K = 0, a flat
/// bounty with a zero pool) or budget_cents <= 0. O(1).
IncentiveScheme scale_to_budget(const IncentiveScheme& scheme, std::uint64_t num_targets,
                                std::int64_t budget_cents);

}  // namespace cascade
