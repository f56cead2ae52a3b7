// False-name attacks (cascade/sybil.hpp): the recursive split's arithmetic against closed form,
// conservation of cents on random forests for every scheme, and the attacker draw.
#include <cmath>
#include <random>
#include <vector>

#include "cascade/error.hpp"
#include "cascade/sybil.hpp"
#include "catch.hpp"

using namespace cascade;

namespace {

// The chain 0 <- 1 <- 2: 0 recruited 1, 1 recruited 2, and 2 found the one target.
struct Chain {
  std::vector<Vertex> recruiter = {kNoVertex, 0, 1};
  std::vector<std::uint8_t> joined = {1, 1, 1};
  std::vector<Vertex> finders = {2};
  RecruitmentForest view() const { return {recruiter, joined, finders}; }
};

std::int64_t attacker_payoff(const SybilForest& f, const PayoffResult& pay, Vertex who) {
  std::int64_t sum = 0;
  for (std::size_t x = 0; x < f.owner.size(); ++x)
    if (f.owner[x] == who) sum += pay.payoff_cents[x];
  return sum;
}

}  // namespace

TEST_CASE("sybil: a finder with s fakes under recursive $2000 / 1/2 gets 2000 (2 - 2^-s)",
          "[kernels]") {
  const Chain chain;
  const IncentiveScheme scheme = IncentiveScheme::recursive(2000, 0.5);
  const std::vector<std::uint8_t> finder_attacks = {0, 0, 1};
  for (std::uint32_t s = 0; s <= 6; ++s) {
    const SybilForest f = insert_fakes(chain.view(), finder_attacks, s);
    REQUIRE(f.recruiter.size() == 3 + s);
    const PayoffResult pay = propagate_payoffs(f.view(), scheme, 1);
    const std::int64_t unit = 200000 >> s;  // 2000 * 2^-s dollars in cents, exact for s <= 6
    REQUIRE(attacker_payoff(f, pay, 2) == 2 * 200000 - unit);
    REQUIRE(pay.payoff_cents[1] == unit / 2);  // the honest recruiter, s + 1 levels up
    REQUIRE(pay.payoff_cents[0] == unit / 4);
    const SybilOutcome o = sybil_outcome(chain.view(), scheme, 1, finder_attacks, s);
    REQUIRE(o.gain_cents == 200000 - unit);                        // 2000 (1 - 2^-s)
    REQUIRE(o.honest_loss_cents == 150000 - unit / 2 - unit / 4);  // 1500 (1 - 2^-s)
    // Charity keeps the budget's rest: 2000 * 2^-(s+2) dollars, up to the cents rounded down.
    REQUIRE(pay.charity_cents == unit - unit / 2 - unit / 4);
    REQUIRE(o.charity_loss_cents == 50000 - pay.charity_cents);
    REQUIRE(o.gain_cents == o.honest_loss_cents + o.charity_loss_cents);
    REQUIRE(o.attackers == 1);
  }
}

TEST_CASE("sybil: a recruiter with s fakes between itself and its finder", "[kernels]") {
  const Chain chain;
  const IncentiveScheme scheme = IncentiveScheme::recursive(2000, 0.5);
  const std::vector<std::uint8_t> recruiter_attacks = {0, 1, 0};
  for (std::uint32_t s = 0; s <= 6; ++s) {
    const SybilOutcome o = sybil_outcome(chain.view(), scheme, 1, recruiter_attacks, s);
    // The attacker's identities sit 1 .. s + 1 levels above the finder, each paid
    // floor(200000 / 2^k) cents: 2000 (1 - 2^-(s+1)) dollars up to rounding, instead of 1000.
    std::int64_t identities = 0;
    for (std::uint32_t k = 1; k <= s + 1; ++k) identities += 200000 >> k;
    REQUIRE(o.gain_cents == identities - 100000);
    REQUIRE(o.honest_loss_cents == 50000 - (200000 >> (s + 2)));  // vertex 0, s + 2 levels up
    REQUIRE(o.gain_cents == o.honest_loss_cents + o.charity_loss_cents);
  }
}

TEST_CASE("sybil: cents balance on random forests for every scheme; finder-only is immune",
          "[kernels]") {
  std::mt19937_64 gen(11);
  const std::vector<IncentiveScheme> schemes = {IncentiveScheme::none(),
                                                IncentiveScheme::recursive(2000, 0.5),
                                                IncentiveScheme::recursive(1000, 0.9),
                                                IncentiveScheme::finder_only(2000),
                                                IncentiveScheme::flat_bounty(5, 3, 400),
                                                IncentiveScheme::flat_bounty(5, 0, 1e6)};
  for (int rep = 0; rep < 50; ++rep) {
    const std::size_t n = 2 + gen() % 300;
    std::vector<Vertex> recruiter(n, kNoVertex);
    std::vector<std::uint8_t> joined(n, 0);
    for (std::size_t v = 0; v < n; ++v) {
      joined[v] = gen() % 5 != 0;
      if (!joined[v]) continue;
      // recruiter: an earlier joined vertex, or none (a root)
      const std::size_t r = gen() % (v + 1);
      if (r < v && joined[r] && gen() % 4 != 0) recruiter[v] = static_cast<Vertex>(r);
    }
    joined[0] = 1;
    std::vector<Vertex> finders;
    for (int t = 0; t < 5; ++t) {
      Vertex f = static_cast<Vertex>(gen() % n);
      if (joined[f]) finders.push_back(f);
    }
    const SybilAttack attack{0.1 + 0.8 * static_cast<double>(gen() % 100) / 100.0,
                             static_cast<std::uint32_t>(1 + gen() % 8)};
    const std::vector<std::uint8_t> attacker = choose_sybil_attackers(joined, attack, rep);
    const RecruitmentForest forest{recruiter, joined, finders};
    for (const IncentiveScheme& scheme : schemes) {
      const SybilOutcome o = sybil_outcome(forest, scheme, 5, attacker, attack.fakes);
      REQUIRE(o.gain_cents == o.honest_loss_cents + o.charity_loss_cents);
      if (scheme.kind == SchemeKind::kNone || scheme.kind == SchemeKind::kFinderOnly) {
        REQUIRE(o.gain_cents == 0);
        REQUIRE(o.honest_loss_cents == 0);
      }
      if (scheme.kind == SchemeKind::kRecursive) REQUIRE(o.gain_cents >= 0);
    }
  }
}

TEST_CASE("sybil: the attacker draw is a pure hash with the asked share", "[kernels]") {
  const std::size_t n = 200000;
  const std::vector<std::uint8_t> joined(n, 1);
  const SybilAttack attack{0.3, 2};
  const std::vector<std::uint8_t> a = choose_sybil_attackers(joined, attack, 7);
  REQUIRE(a == choose_sybil_attackers(joined, attack, 7));
  REQUIRE(a != choose_sybil_attackers(joined, attack, 8));
  double count = 0;
  for (auto x : a) count += x;
  const double se = std::sqrt(n * 0.3 * 0.7);
  REQUIRE(std::abs(count - 0.3 * n) < 5 * se);
  // Same people at a larger share: the draw is monotone in f (common random numbers).
  const std::vector<std::uint8_t> b = choose_sybil_attackers(joined, {0.5, 2}, 7);
  for (std::size_t v = 0; v < n; ++v) REQUIRE((!a[v] || b[v]));
  REQUIRE_THROWS_AS(SybilAttack({1.5, 1}).validate(), InvalidArgument);
  REQUIRE_THROWS_AS(SybilAttack({0.5, SybilAttack::kMaxFakes + 1}).validate(), InvalidArgument);
  REQUIRE(choose_sybil_attackers(joined, {0.5, 0}, 7) == std::vector<std::uint8_t>(n, 0));
}

TEST_CASE("sybil: almost-uniform pays beta up the chain and R + (H - n + 1) beta to the finder",
          "[kernels]") {
  const Chain chain;  // n = 3 people
  const IncentiveScheme scheme = IncentiveScheme::almost_uniform(2000, 100, 20);
  REQUIRE(scheme.budget_per_target_cents() == 400000);  // R + H beta
  const PayoffResult pay = propagate_payoffs(chain.view(), scheme, 1);
  REQUIRE(pay.payoff_cents == std::vector<std::int64_t>{10000, 10000, 380000});
  REQUIRE(pay.charity_cents == 0);
  // A chain longer than H is not paid: the whole budget goes to charity.
  const PayoffResult none =
      propagate_payoffs(chain.view(), IncentiveScheme::almost_uniform(2000, 100, 2), 1);
  REQUIRE(none.payout_cents == 0);
  REQUIRE(none.charity_cents == 220000);
  REQUIRE(scheme.chain_payments_cents(21).empty());
  REQUIRE(scheme.chain_payments_cents(20) ==
          std::vector<std::int64_t>({210000, 10000, 10000, 10000, 10000, 10000, 10000,
                                     10000,  10000, 10000, 10000, 10000, 10000, 10000,
                                     10000,  10000, 10000, 10000, 10000, 10000}));
}

TEST_CASE("sybil: a finder's fakes gain nothing under almost-uniform (exact cents)", "[kernels]") {
  const Chain chain;
  const IncentiveScheme scheme = IncentiveScheme::almost_uniform(2000, 100, 20);
  const std::vector<std::uint8_t> finder_attacks = {0, 0, 1};
  for (SybilRole role : {SybilRole::kFinder, SybilRole::kBoth}) {
    for (std::uint32_t s = 0; s <= 17; ++s) {  // n + s <= H: zero gain, zero loss
      const SybilOutcome o = sybil_outcome(chain.view(), scheme, 1, finder_attacks, s, role);
      REQUIRE(o.gain_cents == 0);
      REQUIRE(o.honest_loss_cents == 0);
      REQUIRE(o.charity_loss_cents == 0);
    }
    // One fake too many (n + s = 21 > H): nobody is paid, the attacker loses its 3800 dollars.
    const SybilOutcome o = sybil_outcome(chain.view(), scheme, 1, finder_attacks, 18, role);
    REQUIRE(o.gain_cents == -380000);
    REQUIRE(o.honest_loss_cents == 20000);
    REQUIRE(o.charity_loss_cents == -400000);
  }
  // The same attack under recursive $2000 / 1/2 gains 2000 (1 - 2^-s) (test above): s = 1.
  REQUIRE(sybil_outcome(chain.view(), IncentiveScheme::recursive(2000, 0.5), 1, finder_attacks, 1,
                        SybilRole::kFinder)
              .gain_cents == 100000);
}

TEST_CASE("sybil: a recruiter's fakes take s beta from the finder under almost-uniform",
          "[kernels]") {
  const Chain chain;
  const IncentiveScheme scheme = IncentiveScheme::almost_uniform(2000, 100, 20);
  const std::vector<std::uint8_t> recruiter_attacks = {0, 1, 0};
  for (std::uint32_t s = 0; s <= 17; ++s) {
    const SybilOutcome o =
        sybil_outcome(chain.view(), scheme, 1, recruiter_attacks, s, SybilRole::kRecruiter);
    REQUIRE(o.gain_cents == 10000 * static_cast<std::int64_t>(s));
    REQUIRE(o.honest_loss_cents == o.gain_cents);  // the finder's (H - n + 1) beta shrinks
    REQUIRE(o.charity_loss_cents == 0);
    // As a finder-side attacker the same vertex has nothing to move: it finds nothing.
    REQUIRE(sybil_outcome(chain.view(), scheme, 1, recruiter_attacks, s, SybilRole::kFinder)
                .gain_cents == 0);
  }
}

TEST_CASE("sybil: on random forests almost-uniform and finder-only never pay a finder's fakes",
          "[kernels]") {
  std::mt19937_64 gen(29);
  const IncentiveScheme uniform = IncentiveScheme::almost_uniform(1500, 25.5, 100000);
  const IncentiveScheme short_uniform = IncentiveScheme::almost_uniform(1500, 25.5, 6);
  const IncentiveScheme finder = IncentiveScheme::finder_only(2000);
  for (int rep = 0; rep < 50; ++rep) {
    const std::size_t n = 2 + gen() % 300;
    std::vector<Vertex> recruiter(n, kNoVertex);
    std::vector<std::uint8_t> joined(n, 1);
    for (std::size_t v = 1; v < n; ++v)
      if (gen() % 6 != 0) recruiter[v] = static_cast<Vertex>(gen() % v);
    std::vector<Vertex> finders;
    for (int t = 0; t < 5; ++t) finders.push_back(static_cast<Vertex>(gen() % n));
    const SybilAttack attack{0.5, static_cast<std::uint32_t>(1 + gen() % 8)};
    const std::vector<std::uint8_t> attacker = choose_sybil_attackers(joined, attack, rep);
    const RecruitmentForest forest{recruiter, joined, finders};
    for (SybilRole role : {SybilRole::kFinder, SybilRole::kRecruiter, SybilRole::kBoth}) {
      const SybilOutcome f = sybil_outcome(forest, finder, 5, attacker, attack.fakes, role);
      REQUIRE(f.gain_cents == 0);
      const SybilOutcome u = sybil_outcome(forest, uniform, 5, attacker, attack.fakes, role);
      REQUIRE(u.gain_cents == u.honest_loss_cents + u.charity_loss_cents);
      REQUIRE(u.charity_loss_cents == 0);  // no chain reaches H = 100000
      if (role == SybilRole::kFinder) REQUIRE(u.gain_cents == 0);
      if (role != SybilRole::kFinder) REQUIRE(u.gain_cents >= 0);
      // With a short H, a finder's fakes can only push its chain past H: never a gain.
      const SybilOutcome h =
          sybil_outcome(forest, short_uniform, 5, attacker, attack.fakes, SybilRole::kFinder);
      REQUIRE(h.gain_cents <= 0);
      REQUIRE(h.gain_cents == h.honest_loss_cents + h.charity_loss_cents);
    }
  }
  REQUIRE(parse_sybil_role("recruiter") == SybilRole::kRecruiter);
  REQUIRE_THROWS_AS(parse_sybil_role("miner"), InvalidArgument);
}
