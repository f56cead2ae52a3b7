// fit(): ABC-SMC over free scenario keys (the algorithm and its determinism rule are stated in
// cascade/fit.hpp). One proposal = one parameter vector drawn from its own counter-based stream
// + one mobilize() run; proposals run in parallel, selection and weights are sequential.
#include "cascade/fit.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <nlohmann/json.hpp>
#include <numeric>
#include <set>

#include "cascade/error.hpp"
#include "cascade/mobilize.hpp"
#include "cascade/parallel.hpp"
#include "cascade/random.hpp"
#include "cascade/scenario.hpp"
#include "cascade/scenario_file.hpp"
#include "cascade/sweep.hpp"

namespace cascade {

namespace {

constexpr std::size_t kProposalFactor = 2;  // 2N proposals, N kept: the 50% quantile
constexpr std::uint64_t kFitSalt = 0x4649540000000000ULL;
constexpr int kMaxRedraws = 100000;  // a proposal outside the prior is drawn again (see header)
constexpr double kPi = 3.14159265358979323846;
constexpr double kInf = std::numeric_limits<double>::infinity();

std::string number_text(double x) {
  char buf[32];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, x).ptr);
}

double parse_number(const std::string& text, const std::string& what) {
  char* end = nullptr;
  const double x = text.empty() ? 0.0 : std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(x))
    throw InvalidArgument(what + ": '" + text + "' is not a finite number");
  return x;
}

// Everything a simulation needs, fixed before the first one runs.
struct Problem {
  std::string text, origin;
  std::vector<FreeKey> free;
  std::vector<TreeSummaries> observed;  // offspring / depth padded to full length
  std::vector<double> target;           // summary_vector of every regime, concatenated
  std::uint64_t trials = 1;
  bool network_free = false;
  Graph graph;  // the base network (unless a network key is free)
};

std::string value_text(const FreeKey& k, double x) {
  return k.integer ? std::to_string(std::llround(x)) : number_text(x);
}

double set_value(const FreeKey& k, double x) {
  return k.integer ? static_cast<double>(std::llround(x)) : x;
}

// The scenario with the keys at theta; InvalidArgument when the reader rejects the combination
// (e.g. share_probability above recruit_probability_max), which is outside the prior's support.
Scenario scenario_at(const Problem& p, const std::vector<double>& theta) {
  std::vector<std::pair<std::string, std::string>> values;
  for (std::size_t k = 0; k < p.free.size(); ++k)
    values.emplace_back(p.free[k].key, value_text(p.free[k], theta[k]));
  return scenario_with(p.text, p.origin, values, "--free");
}

// The data's statistics for scenario s (the keys set), master seed sim_seed.
std::vector<double> simulate(const Problem& p, Scenario s, std::uint64_t sim_seed) {
  s.master_seed = sim_seed;
  std::vector<RegimeSpec> regimes;
  for (const TreeSummaries& o : p.observed)
    for (const RegimeSpec& r : s.regimes)
      if (r.name == o.regime) regimes.push_back(r);
  s.regimes = std::move(regimes);
  Graph own;
  if (p.network_free) own = build_scenario_network(s);
  const Graph& g = p.network_free ? own : p.graph;

  std::vector<std::vector<RecruitmentTree>> trees(s.regimes.size());
  MobilizeOptions m;
  m.trials = p.trials;
  m.threads = 0;     // inside fit's own ThreadLimit
  m.theory = false;  // fit compares simulated statistics only
  m.on_tree = [&](const TrialTree& t) {
    trees[t.regime].push_back(tree_of(t, s.regimes[t.regime].name));
  };
  const MobilizationReport report = mobilize(g, s, m);
  std::vector<double> stats;
  for (std::size_t i = 0; i < s.regimes.size(); ++i) {
    TreeSummaries sim = summarize_trees(trees[i], p.observed[i].hours);
    const RegimeReport& r = report.regimes[i];
    if (s.targets.count > 0) {  // mean hours to all targets, censored at the horizon
      const double censor = s.horizon_hours - s.targets.appear_hours;
      const auto all = static_cast<double>(r.all_targets_count);
      const auto n = static_cast<double>(report.trials);
      sim.hours_to_all_targets = (all * r.hours_to_all_mean + (n - all) * censor) / n;
    }
    const std::vector<double> v = summary_vector(sim);
    stats.insert(stats.end(), v.begin(), v.end());
  }
  return stats;
}

double distance(const std::vector<double>& stats, const std::vector<double>& target,
                const std::vector<double>& scales) {
  double sum = 0;
  for (std::size_t c = 0; c < target.size(); ++c) {
    if (std::isnan(target[c])) continue;  // the data does not know this statistic
    if (std::isnan(stats[c])) return kInf;
    const double z = (stats[c] - target[c]) / scales[c];
    sum += z * z;
  }
  return std::sqrt(sum);
}

// Weighted q-quantile: the smallest value whose cumulative weight reaches q.
double weighted_quantile(std::vector<std::pair<double, double>> value_weight, double q) {
  std::sort(value_weight.begin(), value_weight.end());
  double total = 0;
  for (const auto& vw : value_weight) total += vw.second;
  double cum = 0;
  for (const auto& [v, w] : value_weight) {
    cum += w;
    if (cum >= q * total * (1 - 1e-12)) return v;
  }
  return value_weight.back().first;
}

double normal(rng::Stream& stream) {
  const double u1 = rng::unit_open0(stream.next()), u2 = stream.next_unit();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * kPi * u2);
}

struct Population {
  std::vector<std::vector<double>> theta, stats;
  std::vector<double> weights, distances;
};

// Each bound must give a valid scenario with the other free keys at some corner of their
// ranges (or at the scenario's values): a bound the reader rejects whatever the others are is a
// bad --free, named with the reader's message; combinations it rejects are outside the prior.
void check_bounds(const Problem& p) {
  constexpr std::size_t kMaxCornerKeys = 6;
  for (std::size_t k = 0; k < p.free.size(); ++k)
    for (const double bound : {p.free[k].lo, p.free[k].hi}) {
      const std::vector<std::pair<std::string, std::string>> alone = {
          {p.free[k].key, value_text(p.free[k], bound)}};
      try {
        scenario_with(p.text, p.origin, alone, "--free");
        continue;
      } catch (const InvalidArgument& e) {
        const std::size_t others = p.free.size() - 1;
        bool valid = false;
        for (std::uint64_t corner = 0;
             others <= kMaxCornerKeys && corner < (1ULL << others) && !valid; ++corner) {
          std::vector<std::pair<std::string, std::string>> values = alone;
          for (std::size_t j = 0, bit = 0; j < p.free.size(); ++j)
            if (j != k)
              values.emplace_back(
                  p.free[j].key,
                  value_text(p.free[j], corner >> bit++ & 1 ? p.free[j].hi : p.free[j].lo));
          try {
            scenario_with(p.text, p.origin, values, "--free");
            valid = true;
          } catch (const InvalidArgument&) {
          }
        }
        if (!valid) throw;
      }
    }
}

Problem make_problem(const std::string& text, const std::string& origin,
                     const std::vector<TreeSummaries>& observed, const FitOptions& o) {
  if (o.free.empty()) throw InvalidArgument("fit: give at least one --free KEY=LO:HI");
  if (o.particles < 4) throw InvalidArgument("--particles must be at least 4");
  if (observed.empty()) throw InvalidArgument("fit: the data has no trees");
  Problem p;
  p.text = text;
  p.origin = origin;
  const Scenario base = parse_scenario(text, origin);
  std::set<std::string> seen;
  for (FreeKey k : o.free) {
    if (!seen.insert(k.key).second) throw InvalidArgument("--free " + k.key + ": given twice");
    const std::string value = scenario_value_at(base, k.key);
    if (value.empty())
      throw InvalidArgument("--free " + k.key + ": the scenario has no key '" + k.key + "'");
    const nlohmann::json v = nlohmann::json::parse(value);
    if (!v.is_number() || k.key == "seed")
      throw InvalidArgument("--free " + k.key + ": not a numeric key (its value is " + value + ")");
    k.integer = v.is_number_integer() || v.is_number_unsigned();
    p.network_free |= k.key.rfind("network.", 0) == 0;
    p.free.push_back(k);
  }
  check_bounds(p);
  for (TreeSummaries s : observed) {
    bool known = false;
    for (const RegimeSpec& r : base.regimes) known |= r.name == s.regime;
    if (!known) {
      std::string names;
      for (const RegimeSpec& r : base.regimes) names += (names.empty() ? "" : ", ") + r.name;
      throw InvalidArgument("the data's regime '" + s.regime + "' is not in the scenario (" +
                            names + ")");
    }
    if (s.offspring_share.size() > kOffspringClasses || s.depth_share.size() > kDepthClasses ||
        s.signups.size() != s.hours.size())
      throw InvalidArgument("fit: regime '" + s.regime + "': malformed summaries");
    s.offspring_share.resize(kOffspringClasses, kUnknown);
    s.depth_share.resize(kDepthClasses, kUnknown);
    p.trials = std::max<std::uint64_t>(p.trials, s.trials);
    const std::vector<double> v = summary_vector(s);
    p.target.insert(p.target.end(), v.begin(), v.end());
    p.observed.push_back(std::move(s));
  }
  if (!p.network_free) p.graph = build_scenario_network(base);
  return p;
}

}  // namespace

FreeKey parse_free_key(const std::string& text) {
  const std::size_t eq = text.find('=');
  const std::size_t colon = text.find(':', eq == std::string::npos ? 0 : eq);
  if (eq == std::string::npos || eq == 0 || colon == std::string::npos)
    throw InvalidArgument("--free " + text + ": expected KEY=LO:HI");
  FreeKey k;
  k.key = text.substr(0, eq);
  k.lo = parse_number(text.substr(eq + 1, colon - eq - 1), "--free " + text);
  k.hi = parse_number(text.substr(colon + 1), "--free " + text);
  if (!(k.lo < k.hi)) throw InvalidArgument("--free " + text + ": LO must be below HI");
  return k;
}

std::vector<double> signup_hours(double horizon_hours) {
  std::vector<double> hours;
  for (std::size_t j = 1; j <= kSignupPoints; ++j)
    hours.push_back(horizon_hours * static_cast<double>(j) / kSignupPoints);
  return hours;
}

FitResult fit(const std::string& scenario_text, const std::string& origin,
              const std::vector<TreeSummaries>& observed, const FitOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  ThreadLimit limit(options.threads);
  const Problem p = make_problem(scenario_text, origin, observed, options);
  const std::size_t n = options.particles, m = kProposalFactor * n, dims = p.free.size();
  const double total = static_cast<double>(m * (options.generations + 1));
  std::atomic<std::uint64_t> done{0};

  FitResult result;
  result.scenario = parse_scenario(scenario_text, origin).name;
  result.seed = options.seed;
  result.observed = p.observed;
  Population prev;
  std::vector<double> sigma(dims);
  for (std::size_t t = 0; t <= options.generations; ++t) {
    if (t > 0)  // the kernel: per-key variance twice the weighted variance of generation t-1
      for (std::size_t k = 0; k < dims; ++k) {
        double mean = 0, var = 0;
        for (std::size_t j = 0; j < n; ++j) mean += prev.weights[j] * prev.theta[j][k];
        for (std::size_t j = 0; j < n; ++j)
          var += prev.weights[j] * (prev.theta[j][k] - mean) * (prev.theta[j][k] - mean);
        sigma[k] = std::max(std::sqrt(2.0 * var), 1e-9 * (p.free[k].hi - p.free[k].lo));
      }
    std::vector<double> cumulative(prev.weights.size());
    std::partial_sum(prev.weights.begin(), prev.weights.end(), cumulative.begin());

    Population proposals;
    proposals.theta.assign(m, std::vector<double>(dims));
    proposals.stats.resize(m);
    tbb::parallel_for(std::size_t{0}, m, [&](std::size_t i) {
      rng::Stream stream(options.seed, rng::Purpose::kSeeds, t, kFitSalt ^ i);
      const std::uint64_t sim_seed = stream.next();
      std::vector<double>& theta = proposals.theta[i];
      Scenario scenario;
      for (int attempt = 0;; ++attempt) {
        if (attempt == kMaxRedraws)
          throw InvalidArgument(
              "fit: no proposal inside the prior after many draws (do the --free ranges allow "
              "a valid scenario?)");
        bool inside = true;
        if (t == 0) {
          for (std::size_t k = 0; k < dims; ++k)
            theta[k] = p.free[k].lo + (p.free[k].hi - p.free[k].lo) * stream.next_unit();
        } else {
          const double u = stream.next_unit() * cumulative.back();
          const auto j = static_cast<std::size_t>(std::min<std::ptrdiff_t>(
              std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin(),
              static_cast<std::ptrdiff_t>(n - 1)));
          for (std::size_t k = 0; k < dims; ++k) {
            theta[k] = prev.theta[j][k] + sigma[k] * normal(stream);
            inside &= theta[k] >= p.free[k].lo && theta[k] <= p.free[k].hi;
          }
        }
        if (!inside) continue;
        try {
          scenario = scenario_at(p, theta);
          break;
        } catch (const InvalidArgument&) {  // keys valid alone, not together: outside the prior
        }
      }
      proposals.stats[i] = simulate(p, std::move(scenario), sim_seed);
      const std::uint64_t d = ++done;
      if (options.progress) options.progress(static_cast<double>(d) / total);
    });

    if (t == 0) {  // scales from the prior predictive: the standard deviation of each statistic
      result.scales.assign(p.target.size(), 1.0);
      for (std::size_t c = 0; c < p.target.size(); ++c) {
        double sum = 0, sq = 0, count = 0;
        for (const auto& s : proposals.stats)
          if (std::isfinite(s[c])) sum += s[c], sq += s[c] * s[c], ++count;
        const double var = count > 1 ? (sq - sum * sum / count) / (count - 1) : 0.0;
        if (var > 1e-24) result.scales[c] = std::sqrt(var);
      }
    }
    proposals.distances.resize(m);
    for (std::size_t i = 0; i < m; ++i)
      proposals.distances[i] = distance(proposals.stats[i], p.target, result.scales);
    std::vector<std::size_t> order(m);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return proposals.distances[a] < proposals.distances[b];
    });

    Population kept;
    for (std::size_t r = 0; r < n; ++r) {
      const std::size_t i = order[r];
      kept.theta.push_back(proposals.theta[i]);
      kept.stats.push_back(std::move(proposals.stats[i]));
      kept.distances.push_back(proposals.distances[i]);
      double w = 1.0;
      if (t > 0) {  // prior (uniform: constant) over the kernel mixture that proposed it
        double mixture = 0;
        for (std::size_t j = 0; j < n; ++j) {
          double log_k = 0;
          for (std::size_t k = 0; k < dims; ++k) {
            const double z = (proposals.theta[i][k] - prev.theta[j][k]) / sigma[k];
            log_k -= 0.5 * z * z;
          }
          mixture += prev.weights[j] * std::exp(log_k);
        }
        w = mixture > 0 ? 1.0 / mixture : 0.0;
      }
      kept.weights.push_back(w);
    }
    const double wsum = std::accumulate(kept.weights.begin(), kept.weights.end(), 0.0);
    double sq = 0;
    for (double& w : kept.weights) w /= wsum, sq += w * w;
    result.generations.push_back({kept.distances.back(), 1.0 / sq, m});
    result.simulations += m;
    prev = std::move(kept);
  }

  for (std::size_t k = 0; k < dims; ++k) {
    FitParameter f;
    f.prior = p.free[k];
    std::vector<std::pair<double, double>> vw;
    for (std::size_t j = 0; j < n; ++j) {
      const double x = set_value(p.free[k], prev.theta[j][k]);
      vw.emplace_back(x, prev.weights[j]);
      f.mean += prev.weights[j] * x;
    }
    for (const auto& [x, w] : vw) f.sd += w * (x - f.mean) * (x - f.mean);
    f.sd = std::sqrt(f.sd);
    f.median = weighted_quantile(vw, 0.5);
    f.lo90 = weighted_quantile(vw, 0.05);
    f.hi90 = weighted_quantile(vw, 0.95);
    f.width_ratio = (f.hi90 - f.lo90) / (f.prior.hi - f.prior.lo);
    f.pinned = f.width_ratio < kPinnedWidthRatio;
    result.parameters.push_back(f);
  }
  for (std::size_t j = 0; j < n; ++j) {
    std::vector<double> sample;
    for (std::size_t k = 0; k < dims; ++k) sample.push_back(set_value(p.free[k], prev.theta[j][k]));
    result.samples.push_back(std::move(sample));
  }
  result.weights = prev.weights;
  result.distances = prev.distances;

  std::size_t c = 0;
  for (const TreeSummaries& o : p.observed) {
    for (const std::string& name : summary_names(o)) {
      if (!std::isnan(p.target[c])) {
        // Sign-ups are compared as log(1 + count); report them as counts.
        const bool logged = name.rfind("signups@", 0) == 0;
        auto back = [logged](double x) { return logged ? std::expm1(x) : x; };
        std::vector<std::pair<double, double>> vw;
        for (std::size_t j = 0; j < n; ++j) vw.emplace_back(prev.stats[j][c], prev.weights[j]);
        result.predictive.push_back(
            {o.regime, name, back(p.target[c]), back(weighted_quantile(vw, 0.05)),
             back(weighted_quantile(vw, 0.5)), back(weighted_quantile(vw, 0.95))});
      }
      ++c;
    }
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace cascade
