#pragma once
// Consistent beliefs: what people expect a scheme to pay equals what it pays in the simulated
// campaign. A damped fixed point over Monte Carlo rounds on common random numbers:
//   round k simulates with beliefs B_k and measures the realised beliefs R(B_k) (RealisedTally),
//   B_{k+1} = (1 - eta) B_k + eta R(B_k),
//   stop when relative_change(B_k, B_{k+1}) < tolerance, or after max_rounds (not converged:
//   the caller reports a warning). The state is the seven numbers of Beliefs (recruitment.hpp):
//   expected payout of joining, of one recruit to its recruiter and to its recruiter's
//   recruiter, the chance of each being paid, and the donation per joiner.
#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "cascade/incentive.hpp"
#include "cascade/recruitment.hpp"

namespace cascade {

enum class BeliefMode { kConsistent, kAssumed };

struct BeliefOptions {
  BeliefMode mode = BeliefMode::kConsistent;
  double damping = 0.5;      ///< eta in (0, 1]
  double tolerance = 0.02;   ///< stop when the relative change of the beliefs is below this
  unsigned max_rounds = 30;  ///< at most this many rounds (>= 1)
  std::uint64_t trials =
      0;  ///< trials per round; 0: the run's trials (MobilizeOptions::trials or the scenario's)
  bool start_assumed = true;  ///< B_0: the assumed beliefs (true) or no expectation at all (false)
};

/// Sums over trials from which realised beliefs are measured (integer-valued: cents, counts;
/// stored as doubles, exact below 2^53, so the order of addition does not matter).
struct RealisedTally {
  double joiners = 0, recruits = 0, deep_recruits = 0;  ///< all / depth >= 1 / depth >= 2
  double payout_cents = 0, paid_joiners = 0;
  double recruit_cents = 0, recruit_paid = 0;    ///< paid to a recruit's recruiter through it
  double recruit2_cents = 0, recruit2_paid = 0;  ///< paid two levels above a recruit through it
  double charity_cents = 0;                      ///< donated (target schemes) or -bounty payout

  void add(const RealisedTally& other);
  /// J = payout / joiners, R1 = recruit / recruits, R2 = recruit2 / deep recruits, chances the
  /// same ratios of counts, D = charity / joiners (0 over 0 is 0).
  Beliefs beliefs() const;
};

/// The tally of one trial: forest (recruiters, joined, finders), the depth of every joined
/// vertex, the scheme and its payoffs (propagate_payoffs of that forest). O(n + finders * levels).
RealisedTally realised_tally(const RecruitmentForest& forest, std::span<const std::uint32_t> depth,
                             const IncentiveScheme& scheme, const PayoffResult& payoffs);

/// max over the money entries of |a - b| / max(|a|, |b|, 1 cent) and over the chances of
/// |a - b| / max(a, b, 1e-4). O(1).
double relative_change(const Beliefs& a, const Beliefs& b);

struct BeliefSolution {
  Beliefs perceived;         ///< the beliefs the campaign is simulated with
  Beliefs realised;          ///< what the last round measured under them
  unsigned rounds = 0;       ///< Monte Carlo rounds run
  bool converged = true;     ///< false: stopped at max_rounds
  double last_change = 0.0;  ///< relative change of the last round
  std::string warning;       ///< non-empty when not converged
};

/// The damped fixed point. realise(B) runs one Monte Carlo round under B and returns what it
/// paid. Deterministic when realise is. Throws InvalidArgument for bad options.
BeliefSolution solve_beliefs(const Beliefs& start, const BeliefOptions& options,
                             const std::function<Beliefs(const Beliefs&)>& realise);

/// Throws InvalidArgument naming the field.
void validate(const BeliefOptions& options);

}  // namespace cascade
