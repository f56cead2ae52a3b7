// False-name attacks as a forest transformation (cascade/sybil.hpp).
#include "cascade/sybil.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "cascade/error.hpp"
#include "cascade/random.hpp"

namespace cascade {

namespace {
// Second hash word that keeps the attacker draw apart from the other per-vertex traits.
constexpr std::uint64_t kSybilTag = 0x5359424c00000000ULL;  // "SYBL"
}  // namespace

void SybilAttack::validate() const {
  if (!(share >= 0.0 && share <= 1.0))
    throw InvalidArgument("sybil_share " + std::to_string(share) + " is not in [0, 1]");
  if (fakes > kMaxFakes)
    throw InvalidArgument("fakes " + std::to_string(fakes) + " is more than " +
                          std::to_string(kMaxFakes));
}

bool is_sybil_attacker(const SybilAttack& attack, std::uint64_t master, Vertex v) {
  if (attack.share >= 1.0) return true;
  return rng::unit(rng::hash(master, rng::Purpose::kVertexTrait, v, kSybilTag)) < attack.share;
}

std::vector<std::uint8_t> choose_sybil_attackers(std::span<const std::uint8_t> joined,
                                                 const SybilAttack& attack, std::uint64_t master) {
  attack.validate();
  std::vector<std::uint8_t> attacker(joined.size(), 0);
  if (!attack.active()) return attacker;
  for (std::uint64_t v = 0; v < joined.size(); ++v)
    attacker[v] = joined[v] && is_sybil_attacker(attack, master, static_cast<Vertex>(v));
  return attacker;
}

const char* sybil_role_name(SybilRole role) {
  switch (role) {
    case SybilRole::kFinder:
      return "finder";
    case SybilRole::kRecruiter:
      return "recruiter";
    default:
      return "both";
  }
}

SybilRole parse_sybil_role(const std::string& name) {
  if (name == "both") return SybilRole::kBoth;
  if (name == "finder") return SybilRole::kFinder;
  if (name == "recruiter") return SybilRole::kRecruiter;
  throw InvalidArgument("unknown role '" + name + "' (expected both, finder or recruiter)");
}

SybilForest insert_fakes(const RecruitmentForest& forest, std::span<const std::uint8_t> attacker,
                         std::uint32_t fakes, SybilRole role) {
  const std::uint64_t n = forest.recruiter.size();
  if (attacker.size() != n)
    throw InvalidArgument("insert_fakes: attacker has " + std::to_string(attacker.size()) +
                          " entries, the forest " + std::to_string(n));
  SybilForest out;
  out.recruiter.assign(forest.recruiter.begin(), forest.recruiter.end());
  out.joined.assign(forest.joined.begin(), forest.joined.end());
  out.owner.resize(n);
  for (std::uint64_t v = 0; v < n; ++v) out.owner[v] = static_cast<Vertex>(v);
  // bottom[v]: the identity that v's recruits and finds hang below (v itself, or its last fake).
  std::vector<Vertex> bottom(out.owner);
  for (std::uint64_t v = 0; v < n && fakes > 0; ++v) {
    if (!forest.joined[v] || !attacker[v]) continue;
    Vertex above = static_cast<Vertex>(v);
    for (std::uint32_t k = 0; k < fakes; ++k) {
      if (out.recruiter.size() >= kNoVertex)
        throw InvalidArgument("sybil attack: the fakes overflow the 32-bit vertex ids");
      const auto fake = static_cast<Vertex>(out.recruiter.size());
      out.recruiter.push_back(above);
      out.joined.push_back(1);
      out.owner.push_back(static_cast<Vertex>(v));
      above = fake;
    }
    bottom[v] = above;
  }
  const bool below_recruits = role != SybilRole::kFinder;
  const bool below_finds = role != SybilRole::kRecruiter;
  if (below_recruits)
    for (std::uint64_t v = 0; v < n; ++v)
      if (forest.joined[v] && forest.recruiter[v] != kNoVertex)
        out.recruiter[v] = bottom[forest.recruiter[v]];
  out.finders.reserve(forest.finders.size());
  for (Vertex f : forest.finders) out.finders.push_back(below_finds ? bottom[f] : f);
  return out;
}

SybilOutcome sybil_outcome(const RecruitmentForest& forest, const IncentiveScheme& scheme,
                           std::uint64_t num_targets, std::span<const std::uint8_t> attacker,
                           std::uint32_t fakes, SybilRole role) {
  const PayoffResult honest = propagate_payoffs(forest, scheme, num_targets);
  const SybilForest attacked = insert_fakes(forest, attacker, fakes, role);
  const PayoffResult with = propagate_payoffs(attacked.view(), scheme, num_targets);
  const std::uint64_t n = forest.recruiter.size();
  SybilOutcome o;
  for (std::uint64_t x = 0; x < attacked.owner.size(); ++x) {
    const Vertex v = attacked.owner[x];
    const std::int64_t delta = with.payoff_cents[x] - (x < n ? honest.payoff_cents[x] : 0);
    if (forest.joined[v] && attacker[v])
      o.gain_cents += delta;
    else
      o.honest_loss_cents -= delta;
  }
  for (std::uint64_t v = 0; v < n; ++v) o.attackers += forest.joined[v] && attacker[v];
  o.charity_loss_cents = with.payout_cents - honest.payout_cents;
  return o;
}

}  // namespace cascade
