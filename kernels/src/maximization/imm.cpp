// IMM and OPIM-C: influence maximization by reverse-influence sampling (see maximize.hpp).
//
// Both call the same two steps -- RrSampler::sample() and greedy_max_coverage() -- and differ
// only in how many RR sets they draw. Id ranges keep collections independent: IMM's final sets
// are ids 0.., its estimation sets kEstimationIds..; OPIM-C's R1 is 0.., R2 kSecondIds...
#include <chrono>
#include <cmath>
#include <numbers>
#include <string>
#include <utility>

#include "cascade/error.hpp"
#include "cascade/maximize.hpp"
#include "cascade/memory.hpp"

namespace cascade {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::uint64_t kEstimationIds = std::uint64_t{1} << 62;
constexpr std::uint64_t kSecondIds = std::uint64_t{1} << 61;
constexpr std::uint64_t kPilotIds = std::uint64_t{1} << 60;
constexpr std::uint64_t kPilotSets = 256;
constexpr double kOneMinusInvE = 1.0 - 1.0 / std::numbers::e;

double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

double log_choose(double n, double k) {
  return std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1);
}

// The terms both methods' sample sizes are written in: n and k as reals, epsilon, ln C(n, k).
struct Terms {
  double n, k, eps, logc;
};
Terms terms_of(const Graph& g, const MaximizeOptions& o) {
  const double n = static_cast<double>(g.num_vertices());
  const double k = static_cast<double>(o.k);
  return {n, k, o.epsilon, log_choose(n, k)};
}

// One run of IMM or OPIM-C: the RR sampler over g and the result it fills in; tracks time and
// memory while sampling into a collection.
struct Sampling {
  Sampling(const Graph& g, const MaximizeOptions& o) : sampler(g, o.model, o.communicator) {}
  const RrSampler sampler;
  MaximizeResult result;
  void grow(RrSets& rr, std::uint64_t first_id, std::uint64_t target, Vertex sentinel = kNoVertex) {
    if (target <= rr.size()) return;
    const auto t = Clock::now();
    const std::uint64_t before = rr.vertices.size();
    const std::uint64_t count = target - rr.size();
    result.work += sampler.sample(first_id + rr.size(), count, rr, sentinel);
    result.rr_sets += count;
    result.rr_vertices += rr.vertices.size() - before;
    result.seconds_sampling += since(t);
  }
  void note_memory(std::uint64_t bytes) {
    result.peak_rr_bytes = std::max(result.peak_rr_bytes, bytes);
  }
};

Coverage select(const RrSets& rr, std::uint64_t n, std::uint64_t k, bool bound,
                MaximizeResult& result, Vertex sentinel = kNoVertex) {
  const auto t = Clock::now();
  Coverage c = greedy_max_coverage(rr, n, k, bound, sentinel);
  result.seconds_selection += since(t);
  return c;
}

void finish(const Coverage& c, double n, double sets, MaximizeResult& r) {
  r.seeds = c.seeds;
  r.marginal_gains.clear();
  for (std::uint64_t gain : c.gains)
    r.marginal_gains.push_back(n * static_cast<double>(gain) / sets);
  r.estimated_spread = n * static_cast<double>(c.covered) / sets;
}

// The sentinel of IMM's hit-and-stop RR sets: the vertex in most of kPilotSets whole RR sets
// (ties: more out-arcs, then the smaller id). On graphs with a large live component it is a hub
// that almost every large RR set reaches within a few hundred vertices.
Vertex choose_sentinel(const Graph& g, Sampling& sampling) {
  RrSets pilot;
  sampling.grow(pilot, kPilotIds, kPilotSets);
  sampling.note_memory(pilot.bytes());
  std::vector<std::uint32_t> count(g.num_vertices(), 0);
  for (Vertex v : pilot.vertices) ++count[v];
  Vertex best = pilot.vertices.front();
  auto key = [&](Vertex v) { return std::pair{count[v], g.out_degree(v)}; };
  for (Vertex v : pilot.vertices)
    if (key(v) > key(best) || (key(v) == key(best) && v < best)) best = v;
  return best;
}

MaximizeResult imm(const Graph& g, const MaximizeOptions& o) {
  Sampling sampling(g, o);
  MaximizeResult& result = sampling.result;
  const auto [n, k, eps, logc] = terms_of(g, o);
  const double ln_n = std::log(n);
  // ell' = ell (1 + ln 2 / ln n): both phases fail with probability <= 1/n^ell' each, so the
  // whole run with <= 2/n^ell' <= 1/n^ell (Tang et al. 2015, section 4.2).
  const double ell = o.ell * (1.0 + std::log(2.0) / ln_n);
  const double eps1 = std::sqrt(2.0) * eps;
  const double lambda1 = (2.0 + 2.0 / 3.0 * eps1) *
                         (logc + ell * ln_n + std::log(std::max(1.0, std::log2(n)))) * n /
                         (eps1 * eps1);
  const double alpha = std::sqrt(ell * ln_n + std::log(2.0));
  const double beta = std::sqrt(kOneMinusInvE * (logc + ell * ln_n + std::log(2.0)));
  const double lambda_star = 2.0 * n * std::pow(kOneMinusInvE * alpha + beta, 2.0) / (eps * eps);

  // Hit-and-stop: every RR set below is cut short at the sentinel (stored as {sentinel}). The
  // coverage of a seed set on the cut sets is at most its coverage on the whole ones (exactly it
  // when the seeds hold the sentinel), so the sampling phase's LB stays a lower bound of OPT.
  const Vertex sentinel = choose_sentinel(g, sampling);

  // Sampling phase: find a lower bound LB of OPT by halving a guess x.
  double lb = 1.0;
  {
    RrSets rr;
    for (int i = 1; i < std::log2(n); ++i) {
      const double x = n / std::exp2(i);
      sampling.grow(rr, kEstimationIds, static_cast<std::uint64_t>(std::ceil(lambda1 / x)),
                    sentinel);
      sampling.note_memory(rr.bytes());
      const Coverage c = select(rr, g.num_vertices(), o.k, false, result);
      const double estimate = n * static_cast<double>(c.covered) / static_cast<double>(rr.size());
      if (estimate >= (1.0 + eps1) * x) {
        lb = estimate / (1.0 + eps1);
        break;
      }
    }
  }
  // Node selection on theta fresh RR sets (Chen 2018: independent of the phase above).
  const auto theta = static_cast<std::uint64_t>(std::ceil(lambda_star / lb));
  auto final_sets = [&](Vertex cut_at) {
    RrSets rr;
    if (result.rr_sets > 0) {  // reserve what the sampling phase's mean set size predicts, +5%
      const double mean =
          static_cast<double>(result.rr_vertices) / static_cast<double>(result.rr_sets);
      const auto expected = static_cast<std::uint64_t>(1.05 * mean * static_cast<double>(theta));
      require_memory(expected * sizeof(Vertex) + (theta + 1) * sizeof(std::uint64_t),
                     "reverse-reachable sets for influence maximization");
      rr.vertices.reserve(expected);
      rr.offsets.reserve(theta + 1);
    }
    sampling.grow(rr, 0, theta, cut_at);
    sampling.note_memory(rr.bytes());
    return rr;
  };
  RrSets rr = final_sets(sentinel);
  Coverage c = select(rr, g.num_vertices(), o.k, true, result, sentinel);
  // IMM's proof needs covered(S) >= (1 - 1/e) covered(S°) on the whole sets; the bound (over
  // prefixes holding the sentinel) caps any k vertices' coverage of them. Should the greedy on
  // the cut sets fall short of that, draw the same theta sets whole and take the plain greedy.
  if (static_cast<double>(c.covered) <
      kOneMinusInvE * static_cast<double>(c.coverage_upper_bound)) {
    rr = {};
    rr = final_sets(kNoVertex);
    c = select(rr, g.num_vertices(), o.k, false, result);
  }
  finish(c, n, static_cast<double>(rr.size()), result);
  result.opt_lower_bound = lb;
  result.approximation = kOneMinusInvE - eps;
  return std::move(result);  // sampling.result
}

MaximizeResult opim_c(const Graph& g, const MaximizeOptions& o) {
  Sampling sampling(g, o);
  MaximizeResult& result = sampling.result;
  const auto [n, k, eps, logc] = terms_of(g, o);
  const double log_inv_delta = o.ell * std::log(n);  // delta = 1 / n^ell
  const double ln6 = std::log(6.0) + log_inv_delta;
  const double theta_max =
      2.0 * n *
      std::pow(kOneMinusInvE * std::sqrt(ln6) + std::sqrt(kOneMinusInvE * (logc + ln6)), 2.0) /
      (eps * eps * k);
  const double theta0 = theta_max * eps * eps * k / n;
  const int i_max = std::max(1, static_cast<int>(std::ceil(std::log2(theta_max / theta0))));
  // Both bounds concern one fixed set each (the optimum S°, the chosen S judged on independent
  // R2), so neither needs a union bound over the C(n, k) sets: a = ln(3 i_max / delta).
  const double a = std::log(3.0 * i_max) + log_inv_delta;
  const double a1 = a, a2 = a;

  RrSets r1, r2;
  double size = std::ceil(theta0);
  for (int i = 1;; ++i) {
    if (i >= i_max) size = std::max(size, std::ceil(theta_max));  // the last round: theta_max
    sampling.grow(r1, 0, static_cast<std::uint64_t>(size));
    sampling.grow(r2, kSecondIds, static_cast<std::uint64_t>(size));
    sampling.note_memory(r1.bytes() + r2.bytes());
    const Coverage c = select(r1, g.num_vertices(), o.k, true, result);
    const double t1 = static_cast<double>(r1.size()), t2 = static_cast<double>(r2.size());
    const double covered2 = static_cast<double>(count_covered(r2, g.num_vertices(), c.seeds));
    const double upper_cov = std::min(static_cast<double>(c.covered) / kOneMinusInvE,
                                      static_cast<double>(c.coverage_upper_bound));
    const double lower =
        (std::pow(std::sqrt(covered2 + 2.0 * a2 / 9.0) - std::sqrt(a2 / 2.0), 2.0) - a2 / 18.0) *
        n / t2;
    const double upper =
        std::pow(std::sqrt(upper_cov + a1 / 2.0) + std::sqrt(a1 / 2.0), 2.0) * n / t1;
    const double ratio = upper > 0 ? lower / upper : 0.0;
    if (ratio >= kOneMinusInvE - eps || i >= i_max) {
      finish(c, n, t1, result);
      result.estimated_spread = n * covered2 / t2;  // unbiased: R2 did not choose the seeds
      result.opt_lower_bound = std::max(0.0, lower);
      // At i_max the sample size alone carries the guarantee (theta_max, as IMM's theta).
      result.approximation = ratio >= kOneMinusInvE - eps ? ratio : kOneMinusInvE - eps;
      return std::move(result);  // sampling.result
    }
    size *= 2;
  }
}

}  // namespace

MaximizeResult celf(const Graph& g, const MaximizeOptions& o);  // celf.cpp

void check_maximize_options(const MaximizeOptions& o, std::uint64_t n) {
  if (o.k == 0) throw InvalidArgument("k = 0: choose at least one seed");
  if (o.k > n)
    throw InvalidArgument("k = " + std::to_string(o.k) + " is more than the graph's " +
                          std::to_string(n) + " vertices");
  if (!(o.epsilon > 0.0 && o.epsilon < 1.0))
    throw InvalidArgument("epsilon = " + std::to_string(o.epsilon) + " is not in (0, 1)");
  if (!(o.ell > 0.0 && std::isfinite(o.ell)))
    throw InvalidArgument("ell = " + std::to_string(o.ell) + " must be > 0");
  if (o.method == MaximizeMethod::kCelf && o.celf_trials == 0)
    throw InvalidArgument("CELF needs at least one Monte Carlo trial per evaluation");
  if (o.method == MaximizeMethod::kCelf && o.model.model != Model::kIc)
    throw InvalidArgument(
        "CELF supports the IC model only (LT with fixed thresholds is not submodular per trial, "
        "so lazy evaluation would not be exact); use IMM or OPIM-C for LT");
}

MaximizeResult maximize(const Graph& g, const MaximizeOptions& options) {
  check_maximize_options(options, g.num_vertices());
  if (g.num_vertices() == 1) {  // the only choice (and ln n = 0 would break the bounds)
    MaximizeResult r;
    r.seeds = {0};
    r.marginal_gains = {1.0};
    r.estimated_spread = 1.0;
    r.approximation = 1.0;
    r.opt_lower_bound = 1.0;
    return r;
  }
  switch (options.method) {
    case MaximizeMethod::kImm:
      return imm(g, options);
    case MaximizeMethod::kOpimC:
      return opim_c(g, options);
    case MaximizeMethod::kCelf:
      return celf(g, options);
  }
  return {};
}

}  // namespace cascade
