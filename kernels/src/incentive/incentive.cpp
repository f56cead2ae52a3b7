// The incentive propagation kernel over a recruitment forest (integer cents, exact budgets),
// and the forest's shape. The schemes themselves: incentive_scheme.cpp.
#include "cascade/incentive.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <string>

#include "cascade/error.hpp"

namespace cascade {

namespace {

__extension__ typedef __int128 Int128;  // exact products of cents

void check_forest(const RecruitmentForest& forest) {
  const std::size_t n = forest.recruiter.size();
  if (forest.joined.size() != n)
    throw InvalidArgument("recruitment forest: joined has " + std::to_string(forest.joined.size()) +
                          " entries, recruiter has " + std::to_string(n));
  for (Vertex f : forest.finders)
    if (f >= n || !forest.joined[f])
      throw InvalidArgument("finder " + std::to_string(f) + " is not a joined vertex");
}

// Shared by the kernel and the oracle: pool scaling (flat), totals, charity, max and Gini.
void summarize(PayoffResult& out, const RecruitmentForest& forest, const IncentiveScheme& scheme,
               std::uint64_t num_targets) {
  auto& pay = out.payoff_cents;
  const std::uint64_t n = pay.size();
  auto total = [&] {
    return tbb::parallel_reduce(
        tbb::blocked_range<std::uint64_t>(0, n, 1 << 14), std::int64_t{0},
        [&](const auto& range, std::int64_t s) {
          for (auto v = range.begin(); v < range.end(); ++v) s += pay[v];
          return s;
        },
        std::plus<>());
  };
  out.budget_cents = scheme.budget_cents(num_targets);
  out.payout_cents = total();
  if (scheme.kind == SchemeKind::kFlatBounty && out.payout_cents > out.budget_cents) {
    // Pro rata, rounded down: sum of floor(x * pool / total) <= pool.
    const Int128 pool = out.budget_cents, claims = out.payout_cents;
    tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, n, 1 << 14), [&](const auto& range) {
      for (auto v = range.begin(); v < range.end(); ++v)
        pay[v] = static_cast<std::int64_t>(static_cast<Int128>(pay[v]) * pool / claims);
    });
    out.payout_cents = total();
  }
  if (scheme.remainder_to_charity) {
    if (scheme.kind == SchemeKind::kFlatBounty)
      out.charity_cents = out.budget_cents - out.payout_cents;
    else if (scheme.pays_for_targets())
      out.charity_cents =
          static_cast<std::int64_t>(forest.finders.size()) * scheme.budget_per_target_cents() -
          out.payout_cents;
  }

  // Payoff distribution over joined vertices: zeros first, then the sorted nonzero payoffs.
  tbb::enumerable_thread_specific<std::vector<std::int64_t>> local_nonzero;
  tbb::enumerable_thread_specific<std::uint64_t> local_joined(0);
  tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, n, 1 << 14), [&](const auto& range) {
    auto& nonzero = local_nonzero.local();
    std::uint64_t joined = 0;
    for (auto v = range.begin(); v < range.end(); ++v) {
      joined += forest.joined[v] ? 1 : 0;
      if (pay[v] > 0) nonzero.push_back(pay[v]);
    }
    local_joined.local() += joined;
  });
  std::vector<std::int64_t> nonzero;
  for (auto& part : local_nonzero) nonzero.insert(nonzero.end(), part.begin(), part.end());
  std::uint64_t people = 0;
  for (auto j : local_joined) people += j;
  tbb::parallel_sort(nonzero.begin(), nonzero.end());
  out.paid_people = nonzero.size();
  out.max_payoff_cents = nonzero.empty() ? 0 : nonzero.back();
  out.gini = 0.0;
  if (!nonzero.empty() && people > 0) {
    // G = (2 * sum_i rank_i x_(i) - (N + 1) * S) / (N * S), ranks 1..N ascending; exact in 128
    // bits.
    people = std::max<std::uint64_t>(people, nonzero.size());
    const Int128 big_n = people;
    Int128 s = 0, w = 0;
    const std::uint64_t first_rank = people - nonzero.size() + 1;
    for (std::size_t i = 0; i < nonzero.size(); ++i) {
      s += nonzero[i];
      w += static_cast<Int128>(first_rank + i) * nonzero[i];
    }
    out.gini = static_cast<double>(static_cast<long double>(2 * w - (big_n + 1) * s) /
                                   static_cast<long double>(big_n * s));
  }
}

}  // namespace

namespace {

// Selfish splits: v's recruiter keeps floor(w * pay(v)) of v's scheme pay (propagate_payoffs).
void withhold(PayoffResult& out, const RecruitmentForest& forest, double share) {
  auto& pay = out.payoff_cents;
  const std::uint64_t n = pay.size();
  out.withheld_cents.assign(n, 0);
  for (std::uint64_t v = 0; v < n; ++v) {
    const Vertex up = forest.recruiter[v];
    if (!forest.joined[v] || up == kNoVertex || pay[v] <= 0) continue;
    out.withheld_cents[v] =
        static_cast<std::int64_t>(std::floor(share * static_cast<double>(pay[v])));
  }
  for (std::uint64_t v = 0; v < n; ++v) {
    const std::int64_t kept = out.withheld_cents[v];
    if (kept == 0) continue;
    pay[v] -= kept;
    pay[forest.recruiter[v]] += kept;
  }
}

}  // namespace

PayoffResult propagate_payoffs(const RecruitmentForest& forest, const IncentiveScheme& scheme,
                               std::uint64_t num_targets, double withheld_share) {
  scheme.validate();
  check_forest(forest);
  if (!(withheld_share >= 0.0 && withheld_share <= 1.0))
    throw InvalidArgument("withheld_share = " + std::to_string(withheld_share) +
                          " must be in [0, 1]");
  const auto finish = [&](PayoffResult& out) {
    if (withheld_share > 0.0) withhold(out, forest, withheld_share);
    summarize(out, forest, scheme, num_targets);
  };
  const std::uint64_t n = forest.recruiter.size();
  const std::vector<std::int64_t> pay = scheme.level_payments_cents();
  PayoffResult out;
  out.payoff_cents.assign(n, 0);

  // claims[v]: how many claims sit at v in the current round; one array per parity.
  std::vector<std::atomic<std::uint32_t>> claims[2] = {std::vector<std::atomic<std::uint32_t>>(n),
                                                       std::vector<std::atomic<std::uint32_t>>(n)};
  tbb::enumerable_thread_specific<std::vector<Vertex>> local_next;
  auto gather = [&local_next] {
    std::vector<Vertex> all;
    for (auto& part : local_next) {
      all.insert(all.end(), part.begin(), part.end());
      part.clear();
    }
    return all;
  };

  if (scheme.depends_on_chain()) {
    // Each found target walks its finder's chain twice: once to count its people, once to pay.
    // Finders are few (one per found target), so this runs on the calling thread.
    for (Vertex f : forest.finders) {
      std::size_t people = 0;
      for (Vertex v = f; v != kNoVertex && people <= scheme.max_chain; v = forest.recruiter[v])
        ++people;
      const std::vector<std::int64_t> chain = scheme.chain_payments_cents(people);
      Vertex v = f;
      for (std::size_t k = 0; k < chain.size(); ++k, v = forest.recruiter[v])
        out.payoff_cents[v] += chain[k];
    }
    finish(out);
    return out;
  }

  // Round 0 claims: one per found target at its finder, or one per joined recruit (flat).
  std::vector<Vertex> frontier;
  if (!pay.empty()) {
    if (scheme.pays_for_targets()) {
      for (Vertex f : forest.finders)
        if (claims[0][f].fetch_add(1, std::memory_order_relaxed) == 0) frontier.push_back(f);
    } else {
      tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, n, 1 << 14), [&](const auto& range) {
        auto& next = local_next.local();
        for (auto v = range.begin(); v < range.end(); ++v)
          if (forest.joined[v] && forest.recruiter[v] != kNoVertex) {
            claims[0][v].store(1, std::memory_order_relaxed);
            next.push_back(static_cast<Vertex>(v));
          }
      });
      frontier = gather();
    }
  }

  for (std::size_t k = 0; k < pay.size() && !frontier.empty(); ++k) {
    auto& here = claims[k & 1];
    auto& above = claims[(k + 1) & 1];
    const bool lift = k + 1 < pay.size();
    const bool capped = scheme.kind == SchemeKind::kFlatBounty && scheme.bounty_cap > 0 && k == 1;
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, frontier.size(), 256), [&](const auto& range) {
          auto& next = local_next.local();
          for (std::size_t i = range.begin(); i < range.end(); ++i) {
            const Vertex v = frontier[i];  // each vertex appears once per round: no write race
            const std::uint32_t c = here[v].exchange(0, std::memory_order_relaxed);
            const std::uint64_t paid = capped ? std::min<std::uint64_t>(c, scheme.bounty_cap) : c;
            out.payoff_cents[v] += pay[k] * static_cast<std::int64_t>(paid);
            const Vertex up = forest.recruiter[v];
            if (lift && up != kNoVertex && above[up].fetch_add(c, std::memory_order_relaxed) == 0)
              next.push_back(up);
          }
        });
    frontier = gather();
  }
  finish(out);
  return out;
}

// ---------------------------------------------------------------------------------------------

ForestShape forest_shape(std::span<const Vertex> recruiter, std::span<const std::uint8_t> joined) {
  const std::uint64_t n = recruiter.size();
  if (joined.size() != n)
    throw InvalidArgument("forest_shape: joined has " + std::to_string(joined.size()) +
                          " entries, recruiter has " + std::to_string(n));
  constexpr std::uint32_t kUnknown = std::numeric_limits<std::uint32_t>::max();
  ForestShape out;
  out.depth.assign(n, kUnknown);
  out.offspring.assign(n, 0);
  tbb::enumerable_thread_specific<std::vector<Vertex>> local_path;
  tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, n, 1 << 12), [&](const auto& range) {
    auto& path = local_path.local();
    for (auto i = range.begin(); i < range.end(); ++i) {
      const auto v = static_cast<Vertex>(i);
      if (!joined[v]) continue;
      const Vertex up = recruiter[v];
      if (up != kNoVertex)
        std::atomic_ref<std::uint32_t>(out.offspring[up]).fetch_add(1, std::memory_order_relaxed);
      // Walk up to the first vertex whose depth is known (or past the root), then fill in the
      // path. Two threads may fill the same vertex: they write the same value.
      path.clear();
      std::uint32_t base = kUnknown;  // depth of the vertex above the path; kUnknown = none (-1)
      for (Vertex x = v; x != kNoVertex; x = recruiter[x]) {
        const std::uint32_t d =
            std::atomic_ref<std::uint32_t>(out.depth[x]).load(std::memory_order_relaxed);
        if (d != kUnknown) {
          base = d;
          break;
        }
        path.push_back(x);
      }
      for (std::size_t j = path.size(); j-- > 0;) {
        ++base;  // kUnknown + 1 wraps to 0 for a root
        std::atomic_ref<std::uint32_t>(out.depth[path[j]]).store(base, std::memory_order_relaxed);
      }
    }
  });
  for (Vertex v = 0; v < n; ++v)
    if (joined[v]) out.max_depth = std::max(out.max_depth, out.depth[v]);
  return out;
}

}  // namespace cascade
