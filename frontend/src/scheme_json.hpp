#pragma once
// Internal to frontend/: the one writer of an incentive scheme's parameters as JSON keys, shared
// by the scenario writer and the mobilize and sweep reports.
#include "cascade/incentive.hpp"

namespace cascade::detail {

/// Adds the parameter keys of scheme s to the JSON object j, in this order: reward_dollars
/// (schemes that pay for targets), split (recursive), level_dollars and max_chain (almost
/// uniform), bounty_dollars, bounty_cap and pool_dollars (flat bounty), remainder_to_charity
/// (every scheme but none). Json: nlohmann::json or nlohmann::ordered_json.
template <class Json>
void put_scheme_fields(Json& j, const IncentiveScheme& s) {
  if (s.pays_for_targets()) j["reward_dollars"] = s.reward_dollars;
  if (s.kind == SchemeKind::kRecursive) j["split"] = s.split;
  if (s.kind == SchemeKind::kAlmostUniform) {
    j["level_dollars"] = s.level_dollars;
    j["max_chain"] = s.max_chain;
  }
  if (s.kind == SchemeKind::kFlatBounty) {
    j["bounty_dollars"] = s.bounty_dollars;
    j["bounty_cap"] = s.bounty_cap;
    j["pool_dollars"] = s.pool_dollars;
  }
  if (s.kind != SchemeKind::kNone) j["remainder_to_charity"] = s.remainder_to_charity;
}

}  // namespace cascade::detail
