// Incentive schemes as values (cascade/incentive.hpp): factories, validation, budgets and the
// payment tables in integer cents that the propagation kernel (incentive.cpp) pays out.
#include <cmath>
#include <string>

#include "cascade/error.hpp"
#include "cascade/incentive.hpp"

namespace cascade {

namespace {

constexpr double kMaxDollars = 1e12;        // keeps every sum of cents far inside int64
constexpr std::size_t kMaxLevels = 100000;  // recursive tables end long before (alpha^k R < 1 cent)

std::int64_t to_cents(double dollars) { return std::llround(dollars * 100.0); }

void check_dollars(double value, const char* field) {
  if (!(value >= 0.0) || !(value <= kMaxDollars))
    throw InvalidArgument(std::string("incentive scheme ") + field + " = " + std::to_string(value) +
                          " must be in [0, 1e12] dollars");
}

}  // namespace

IncentiveScheme IncentiveScheme::none() { return {}; }

IncentiveScheme IncentiveScheme::recursive(double reward_dollars, double split) {
  IncentiveScheme s;
  s.kind = SchemeKind::kRecursive;
  s.reward_dollars = reward_dollars;
  s.split = split;
  return s;
}

IncentiveScheme IncentiveScheme::finder_only(double reward_dollars) {
  IncentiveScheme s;
  s.kind = SchemeKind::kFinderOnly;
  s.reward_dollars = reward_dollars;
  return s;
}

IncentiveScheme IncentiveScheme::flat_bounty(double bounty_dollars, std::uint64_t cap,
                                             double pool_dollars) {
  IncentiveScheme s;
  s.kind = SchemeKind::kFlatBounty;
  s.bounty_dollars = bounty_dollars;
  s.bounty_cap = cap;
  s.pool_dollars = pool_dollars;
  return s;
}

IncentiveScheme IncentiveScheme::almost_uniform(double reward_dollars, double level_dollars,
                                                std::uint32_t max_chain) {
  IncentiveScheme s;
  s.kind = SchemeKind::kAlmostUniform;
  s.reward_dollars = reward_dollars;
  s.level_dollars = level_dollars;
  s.max_chain = max_chain;
  return s;
}

void IncentiveScheme::validate() const {
  check_dollars(reward_dollars, "reward");
  check_dollars(level_dollars, "level");
  if (kind == SchemeKind::kAlmostUniform && (max_chain < 1 || max_chain > kMaxChain))
    throw InvalidArgument("incentive scheme max_chain = " + std::to_string(max_chain) +
                          " must be in 1 .. " + std::to_string(kMaxChain));
  if (kind == SchemeKind::kAlmostUniform &&
      !(reward_dollars + level_dollars * static_cast<double>(max_chain) <= kMaxDollars))
    throw InvalidArgument("incentive scheme reward + max_chain x level = " +
                          std::to_string(reward_dollars + level_dollars * max_chain) +
                          " must be at most 1e12 dollars per target");
  check_dollars(bounty_dollars, "bounty");
  check_dollars(pool_dollars, "pool");
  if (!(split >= 0.0 && split < 1.0))
    throw InvalidArgument("incentive scheme split = " + std::to_string(split) +
                          " must be in [0, 1)");
}

std::string IncentiveScheme::kind_name() const {
  switch (kind) {
    case SchemeKind::kNone:
      return "none";
    case SchemeKind::kRecursive:
      return "recursive";
    case SchemeKind::kFinderOnly:
      return "finder-only";
    case SchemeKind::kFlatBounty:
      return "flat-bounty";
    case SchemeKind::kAlmostUniform:
      return "almost-uniform";
  }
  return "none";
}

SchemeKind IncentiveScheme::parse_kind(const std::string& name) {
  if (name == "none") return SchemeKind::kNone;
  if (name == "recursive") return SchemeKind::kRecursive;
  if (name == "finder-only") return SchemeKind::kFinderOnly;
  if (name == "flat-bounty") return SchemeKind::kFlatBounty;
  if (name == "almost-uniform") return SchemeKind::kAlmostUniform;
  throw InvalidArgument("unknown incentive scheme '" + name +
                        "' (expected none, recursive, finder-only, flat-bounty or almost-uniform)");
}

std::int64_t IncentiveScheme::budget_per_target_cents() const {
  switch (kind) {
    case SchemeKind::kRecursive:
      return static_cast<std::int64_t>(
          std::floor(static_cast<double>(to_cents(reward_dollars)) / (1.0 - split)));
    case SchemeKind::kFinderOnly:
      return to_cents(reward_dollars);
    case SchemeKind::kAlmostUniform:
      return to_cents(reward_dollars) +
             static_cast<std::int64_t>(max_chain) * to_cents(level_dollars);
    default:
      return 0;
  }
}

std::int64_t IncentiveScheme::budget_cents(std::uint64_t num_targets) const {
  if (kind == SchemeKind::kFlatBounty) return to_cents(pool_dollars);
  return static_cast<std::int64_t>(num_targets) * budget_per_target_cents();
}

std::vector<std::int64_t> IncentiveScheme::level_payments_cents() const {
  std::vector<std::int64_t> pay;
  switch (kind) {
    case SchemeKind::kNone:
      break;
    case SchemeKind::kFinderOnly:
      pay.push_back(to_cents(reward_dollars));
      break;
    case SchemeKind::kFlatBounty:
      pay = {0, to_cents(bounty_dollars)};
      break;
    case SchemeKind::kRecursive: {
      const double r = static_cast<double>(to_cents(reward_dollars));
      const std::int64_t budget = budget_per_target_cents();
      std::int64_t sum = 0;
      for (std::size_t k = 0; k < kMaxLevels; ++k) {
        std::int64_t p = static_cast<std::int64_t>(std::floor(r * std::pow(split, k)));
        if (p <= 0) break;
        p = std::min(p, budget - sum);  // never binds mathematically; guards rounding
        if (p <= 0) break;
        pay.push_back(p);
        sum += p;
      }
      break;
    }
    case SchemeKind::kAlmostUniform:
      pay = chain_payments_cents(max_chain);
      break;
  }
  while (!pay.empty() && pay.back() == 0) pay.pop_back();
  return pay;
}

std::vector<std::int64_t> IncentiveScheme::chain_payments_cents(std::size_t chain_people) const {
  if (kind != SchemeKind::kAlmostUniform) {
    std::vector<std::int64_t> pay = level_payments_cents();
    if (pay.size() > chain_people) pay.resize(chain_people);
    return pay;
  }
  if (chain_people == 0 || chain_people > max_chain) return {};
  const std::int64_t beta = to_cents(level_dollars);
  std::vector<std::int64_t> pay(chain_people, beta);
  pay[0] = to_cents(reward_dollars) +
           static_cast<std::int64_t>(max_chain - chain_people + 1) * beta;  // R + (H - n + 1) beta
  return pay;
}

double IncentiveScheme::payment_dollars(unsigned k) const {
  switch (kind) {
    case SchemeKind::kRecursive:
      return reward_dollars * std::pow(split, k);
    case SchemeKind::kFinderOnly:
      return k == 0 ? reward_dollars : 0.0;
    case SchemeKind::kAlmostUniform:
      return k == 0 ? reward_dollars : (k < max_chain ? level_dollars : 0.0);
    default:
      return 0.0;
  }
}

}  // namespace cascade
