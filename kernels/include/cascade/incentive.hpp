#pragma once
// Incentive schemes as values, and the incentive propagation kernel over a recruitment forest.
//
// Money is integer cents (std::int64_t) everywhere in the kernel, so budgets are exact:
//   recursive geometric split (R, alpha): the person k levels above a finder (k = 0: the finder)
//     receives pay[k] = floor(R_cents * alpha^k) cents; the budget per target is
//     floor(R_cents / (1 - alpha)) cents and the table is cut where its running sum would pass
//     the budget (never, mathematically) or where pay[k] reaches 0 cents, so every found target
//     costs at most its budget exactly; what is not paid goes to charity.
//   finder-only (R): pay = [R]; budget per target R.
//   flat per-recruit bounty (b, cap, pool): every joined non-seed earns its recruiter b, at most
//     `cap` bounties per recruiter (0: no cap); if all claims together exceed the pool, each
//     claim is scaled down pro rata and rounded down to whole cents, so the payout never
//     exceeds the pool.
//   almost-uniform (R, beta, H): the (beta, H)-almost-uniform scheme of Babaioff, Dobzinski, Oren
//     and Zohar ("On Bitcoin and Red Balloons", EC 2012), in dollars: for a finder whose chain
//     (the finder and everyone above it up to its initial member) has n <= H people, each of the
//     n - 1 above the finder receives beta and the finder R + (H - n + 1) beta; a chain longer
//     than H is paid nothing. Every paid target costs R + H beta whatever n is (the budget per
//     target), so a finder who inserts fakes below itself only moves money between its own
//     identities (zero gain while n + fakes <= H).
//   none: nothing is paid.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "cascade/types.hpp"

namespace cascade {

enum class SchemeKind { kNone, kRecursive, kFinderOnly, kFlatBounty, kAlmostUniform };

/// One incentive scheme. Construct with the named factories; amounts are in dollars.
struct IncentiveScheme {
  SchemeKind kind = SchemeKind::kNone;
  double reward_dollars = 0.0;       ///< R: the finder's reward (recursive, finder-only)
  double split = 0.0;                ///< alpha in [0, 1): each level up gets alpha times more
  double bounty_dollars = 0.0;       ///< flat: paid to the recruiter per joined recruit
  std::uint64_t bounty_cap = 0;      ///< flat: most bounties one recruiter can earn; 0 = no cap
  double pool_dollars = 0.0;         ///< flat: the total budget
  double level_dollars = 0.0;        ///< almost-uniform: beta, paid to each person above a finder
  std::uint32_t max_chain = 0;       ///< almost-uniform: H, the longest chain that is paid
  bool remainder_to_charity = true;  ///< unspent budget of found targets (or pool) is donated

  static IncentiveScheme none();
  static IncentiveScheme recursive(double reward_dollars, double split);
  static IncentiveScheme finder_only(double reward_dollars);
  static IncentiveScheme flat_bounty(double bounty_dollars, std::uint64_t cap, double pool_dollars);
  static IncentiveScheme almost_uniform(double reward_dollars, double level_dollars,
                                        std::uint32_t max_chain);
  static constexpr std::uint32_t kMaxChain = 100000;  ///< largest H accepted

  /// Throws InvalidArgument naming the bad field. O(1).
  void validate() const;
  /// "none", "recursive", "finder-only", "flat-bounty" or "almost-uniform".
  std::string kind_name() const;
  /// Parses a kind_name(); throws InvalidArgument for anything else.
  static SchemeKind parse_kind(const std::string& name);
  /// Is money tied to targets (recursive, finder-only)?
  bool pays_for_targets() const {
    return kind == SchemeKind::kRecursive || kind == SchemeKind::kFinderOnly ||
           kind == SchemeKind::kAlmostUniform;
  }
  /// Does what a level is paid depend on the length of the finder's chain (almost-uniform)?
  bool depends_on_chain() const { return kind == SchemeKind::kAlmostUniform; }
  /// Cents paid k levels above the finder (target schemes) or per recruit at k = 1 (flat):
  /// entry k is the payment at distance k; the table ends after the last nonzero entry. O(L).
  /// Almost-uniform: the table of the longest paid chain (H people), i.e. beta above the finder.
  std::vector<std::int64_t> level_payments_cents() const;
  /// Cents paid k levels above a finder whose chain has `chain_people` people (>= 1): entry k
  /// for k < chain_people; the level table cut to the chain for the other schemes. O(n).
  std::vector<std::int64_t> chain_payments_cents(std::size_t chain_people) const;
  /// Budget per target in cents (target schemes), else 0.
  std::int64_t budget_per_target_cents() const;
  /// Total budget in cents: num_targets * budget per target, the pool (flat) or 0 (none).
  std::int64_t budget_cents(std::uint64_t num_targets) const;
  /// Continuous payment in dollars k levels above a finder (for perceived rewards), no rounding;
  /// almost-uniform: R at k = 0 and beta for 0 < k < H (the finder's chain-length bonus left out).
  double payment_dollars(unsigned k) const;
};

/// Payoffs of one trial.
struct PayoffResult {
  std::vector<std::int64_t> payoff_cents;  ///< per vertex
  std::int64_t payout_cents = 0;           ///< total paid
  std::int64_t budget_cents = 0;           ///< IncentiveScheme::budget_cents(num_targets)
  std::int64_t charity_cents = 0;          ///< unspent budget of found targets (or pool)
  std::int64_t max_payoff_cents = 0;       ///< largest single payoff
  std::uint64_t paid_people = 0;           ///< vertices with payoff > 0
  double gini = 0.0;  ///< Gini of payoffs over joined vertices (0 if none paid)
  /// Selfish splits only (withheld_share > 0): cents each vertex's recruiter kept of its pay.
  std::vector<std::int64_t> withheld_cents;
};

/// The recruitment forest of one trial: recruiter[v] (kNoVertex for roots and unreached) and
/// joined[v]; a joined vertex's recruiter is joined. finders lists one vertex per found target
/// (repeats allowed).
struct RecruitmentForest {
  std::span<const Vertex> recruiter;
  std::span<const std::uint8_t> joined;
  std::span<const Vertex> finders;
};

/// Incentive propagation: round k lifts every pending claim one level up the forest, all claims
/// of a round in parallel, and pays pay[k] per claim arriving at a vertex. Work O(n) for the
/// flat bounty (one level) and O(n + claims * levels) for target schemes; exact integer cents;
/// result independent of the thread count. num_targets sets the budget.
///
/// Selfish splits (Cebrian, Coviello, Vattani and Voulgaris, STOC 2012: a recruit's contract
/// gives part of its reward back to its recruiter): with withheld_share w > 0, every recruiter
/// keeps floor(w * pay(v)) cents of what each of its recruits v is paid by the scheme (one level:
/// what v itself kept from its own recruits is not taken again). Cents move, none are created:
/// payout, budget and charity are unchanged (a flat bounty over its pool: up to the pro-rata
/// rounding, applied after); w = 0 is the scheme itself, bit for bit. O(n) more.
PayoffResult propagate_payoffs(const RecruitmentForest& forest, const IncentiveScheme& scheme,
                               std::uint64_t num_targets, double withheld_share = 0.0);

/// Depth and offspring of every joined vertex of a recruitment forest.
struct ForestShape {
  std::vector<std::uint32_t> depth;      ///< joined: 0 for roots; others: UINT32_MAX
  std::vector<std::uint32_t> offspring;  ///< joined children of each vertex
  std::uint32_t max_depth = 0;
};

/// Depths by memoised walks up the recruiter chains (parallel, benign identical writes) and
/// offspring counts by atomic increments. O(n) work, deterministic.
ForestShape forest_shape(std::span<const Vertex> recruiter, std::span<const std::uint8_t> joined);

}  // namespace cascade
