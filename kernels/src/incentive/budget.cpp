// scale_to_budget(): a scheme's money rescaled to a total budget (cascade/budget.hpp).
#include "cascade/budget.hpp"

#include <cmath>

#include "cascade/error.hpp"

namespace cascade {

IncentiveScheme scale_to_budget(const IncentiveScheme& scheme, std::uint64_t num_targets,
                                std::int64_t budget_cents) {
  if (budget_cents <= 0) throw InvalidArgument("a budget must be at least 1 cent");
  IncentiveScheme s = scheme;
  const auto k = static_cast<std::int64_t>(num_targets);
  switch (s.kind) {
    case SchemeKind::kNone:
      return s;
    case SchemeKind::kRecursive:
    case SchemeKind::kFinderOnly: {
      if (k == 0)
        throw InvalidArgument(s.kind_name() +
                              " pays per target and the scenario has no targets to scale by");
      const std::int64_t per_target = budget_cents / k;
      // The largest whole-cent reward whose per-target budget (the scheme's own rounding) fits.
      auto budget_of = [&s](std::int64_t reward_cents) {
        IncentiveScheme t = s;
        t.reward_dollars = static_cast<double>(reward_cents) / 100.0;
        return t.budget_per_target_cents();
      };
      auto reward = static_cast<std::int64_t>(
          std::floor(static_cast<double>(per_target) *
                     (s.kind == SchemeKind::kRecursive ? 1.0 - s.split : 1.0)));
      while (reward > 0 && budget_of(reward) > per_target) --reward;
      while (budget_of(reward + 1) <= per_target) ++reward;
      s.reward_dollars = static_cast<double>(reward) / 100.0;
      return s;
    }
    case SchemeKind::kAlmostUniform: {
      // R and beta scale together (whole cents, rounded down), so the shape of the table stays.
      const std::int64_t base = s.budget_per_target_cents();
      if (k == 0 || base <= 0)
        throw InvalidArgument(
            "almost-uniform pays per target: it needs targets and a nonzero "
            "reward or level to scale");
      const double factor = static_cast<double>(budget_cents / k) / static_cast<double>(base);
      s.reward_dollars = std::floor(s.reward_dollars * 100.0 * factor) / 100.0;
      s.level_dollars = std::floor(s.level_dollars * 100.0 * factor) / 100.0;
      return s;
    }
    case SchemeKind::kFlatBounty: {
      const std::int64_t pool = s.budget_cents(num_targets);
      if (pool <= 0)
        throw InvalidArgument("flat-bounty with a zero pool: no base to scale the bounty from");
      const double factor = static_cast<double>(budget_cents) / static_cast<double>(pool);
      s.bounty_dollars = std::round(s.bounty_dollars * 100.0 * factor) / 100.0;
      s.pool_dollars = static_cast<double>(budget_cents) / 100.0;
      return s;
    }
  }
  return s;
}

}  // namespace cascade
