#pragma once
// False-name (Sybil) attacks on an incentive scheme, as a transformation of the recruitment
// forest before propagate_payoffs (cascade/incentive.hpp).
//
// A share f of joiners are attackers, each chosen by hashing its id alone (common random
// numbers: the same people in every trial and regime). Attacker a creates s fake identities
// a_1 .. a_s chained below itself, a <- a_1 <- ... <- a_s, and
//   as a finder: reports its targets through the last fake a_s (the fakes sit below it);
//   as a recruiter: re-attaches its recruits below a_s (the fakes sit between it and them),
// as Babaioff, Dobzinski, Oren and Zohar (EC 2012) define the attack (SybilRole picks one side).
// The attacker keeps what a and its fakes are paid. With the per-target budget fixed, every cent
// the attackers gain is a cent that honest participants or charity lose, exactly:
//   attacker_gain = honest_loss + charity_loss   (integer cents, per trial).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "cascade/incentive.hpp"

namespace cascade {

/// Where an attacker's fakes go: below itself for its finds, between itself and its recruits,
/// or both (the default; each alone isolates one side of the attack).
enum class SybilRole { kBoth, kFinder, kRecruiter };

struct SybilAttack {
  double share = 0.0;       ///< f in [0, 1]: chance that a joiner is an attacker
  std::uint32_t fakes = 0;  ///< s: fake identities per attacker, at most kMaxFakes
  SybilRole role = SybilRole::kBoth;
  static constexpr std::uint32_t kMaxFakes = 64;
  /// Throws InvalidArgument naming "sybil_share" or "fakes". O(1).
  void validate() const;
  bool active() const { return share > 0.0 && fakes > 0; }
};

/// Is joiner v an attacker under master seed `master`? A pure hash of (master, v).
bool is_sybil_attacker(const SybilAttack& attack, std::uint64_t master, Vertex v);

/// Attacker flags per vertex: joined and is_sybil_attacker (none unless attack.active()). O(n).
std::vector<std::uint8_t> choose_sybil_attackers(std::span<const std::uint8_t> joined,
                                                 const SybilAttack& attack, std::uint64_t master);

/// A forest with fakes: vertices 0..n-1 as before, fakes n, n+1, ...; owner[x] is the original
/// vertex each vertex belongs to (itself for originals).
struct SybilForest {
  std::vector<Vertex> recruiter;
  std::vector<std::uint8_t> joined;
  std::vector<Vertex> finders;
  std::vector<Vertex> owner;
  RecruitmentForest view() const { return {recruiter, joined, finders}; }
};

/// The forest after every joined attacker (attacker[v] != 0) inserts `fakes` fake identities.
/// Throws InvalidArgument if the fakes would overflow the vertex id range. O(n + fakes).
SybilForest insert_fakes(const RecruitmentForest& forest, std::span<const std::uint8_t> attacker,
                         std::uint32_t fakes, SybilRole role = SybilRole::kBoth);

/// "both", "finder" or "recruiter"; parse_sybil_role throws InvalidArgument for anything else.
const char* sybil_role_name(SybilRole role);
SybilRole parse_sybil_role(const std::string& name);

/// What the attack moved in one trial, in cents: attackers' payoff (their own plus their fakes')
/// with the attack minus without; honest joiners' payoff without minus with; and the extra
/// payout, which comes out of the unspent budget (charity's, or the organiser's when the
/// remainder is not donated): gain_cents == honest_loss_cents + charity_loss_cents exactly.
struct SybilOutcome {
  std::int64_t gain_cents = 0, honest_loss_cents = 0, charity_loss_cents = 0;
  std::uint64_t attackers = 0;  ///< joined attackers in the trial
};

/// Runs propagate_payoffs on the forest with and without the attack and compares them.
/// O(n + fakes + claims * levels).
SybilOutcome sybil_outcome(const RecruitmentForest& forest, const IncentiveScheme& scheme,
                           std::uint64_t num_targets, std::span<const std::uint8_t> attacker,
                           std::uint32_t fakes, SybilRole role = SybilRole::kBoth);

}  // namespace cascade
