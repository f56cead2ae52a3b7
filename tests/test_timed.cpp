// Timed cascades: parallel delta-stepping against the Dijkstra oracle, the horizon, reachability
// against a BFS over live arcs, delay distributions against theory, thread-count invariance.
#include <algorithm>
#include <cmath>
#include <numbers>
#include <queue>
#include <random>

#include "cascade/builder.hpp"
#include "cascade/error.hpp"
#include "cascade/parallel.hpp"
#include "cascade/timed.hpp"
#include "catch.hpp"

using namespace cascade;

namespace {

Graph random_graph(std::uint64_t n, std::uint64_t m, bool undirected, unsigned seed) {
  std::mt19937_64 gen(seed);
  std::uniform_int_distribution<Vertex> pick(0, static_cast<Vertex>(n - 1));
  EdgeList list;
  list.num_vertices = n;
  list.undirected = undirected;
  for (std::uint64_t i = 0; i < m; ++i) list.edges.push_back({pick(gen), pick(gen)});
  return build_csr(list);
}

// Random per-vertex behaviour, as the recruitment model would build it.
struct RandomBehaviour {
  std::vector<std::uint64_t> share, join;
  std::vector<float> factor;
  RandomBehaviour(std::uint64_t n, unsigned seed) {
    std::mt19937_64 gen(seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (std::uint64_t v = 0; v < n; ++v) {
      share.push_back(rng::threshold(0.1 + 0.5 * unit(gen)));
      join.push_back(rng::threshold(0.3 + 0.6 * unit(gen)));
      factor.push_back(static_cast<float>(0.4 + 0.6 * unit(gen)));
    }
  }
  VertexBehaviour view() const { return {share, join, factor}; }
};

// The same behaviour as a rule: the kernel asks for it vertex by vertex.
struct RuleOf final : VertexRule {
  const RandomBehaviour& b;
  explicit RuleOf(const RandomBehaviour& behaviour) : b(behaviour) {}
  VertexTraits at(Vertex v) const override { return {b.share[v], b.join[v], b.factor[v]}; }
};

// The reached list, from the times alone.
std::vector<Vertex> finite_times(const TimedCascade& c) {
  std::vector<Vertex> out;
  for (std::size_t v = 0; v < c.time.size(); ++v)
    if (std::isfinite(c.time[v])) out.push_back(static_cast<Vertex>(v));
  return out;
}

void require_same(const TimedCascade& a, const TimedCascade& b) {
  REQUIRE(a.reached_vertices == finite_times(a));
  REQUIRE(a.reached_vertices == b.reached_vertices);
  REQUIRE(a.reached == a.reached_vertices.size());
  REQUIRE(a.reached == b.reached);
  REQUIRE(a.joined_count == b.joined_count);
  REQUIRE(a.time == b.time);  // bit-identical floats (infinity == infinity)
  REQUIRE(a.recruiter == b.recruiter);
  REQUIRE(a.joined == b.joined);
}

const DelayModel kModels[] = {
    {DelayDistribution::kExponential, 2.0, 1.0},
    {DelayDistribution::kLogNormal, 1.5, 1.2},
    {DelayDistribution::kWeibull, 3.0, 0.7},
};

}  // namespace

TEST_CASE("delta-stepping equals Dijkstra: times and recruiters", "[kernels]") {
  int checked = 0;
  for (bool undirected : {false, true})
    for (const DelayModel& model : kModels)
      for (double p : {0.3, 0.8}) {
        const Graph g = random_graph(3000, undirected ? 6000 : 12000, undirected,
                                     static_cast<unsigned>(p * 10) + (undirected ? 100 : 0));
        const LiveArcs live(g, ArcProbability::uniform(p), 42);
        const RandomBehaviour behaviour(g.num_vertices(), 9);
        for (double horizon : {std::numeric_limits<double>::infinity(), 4.0})
          for (bool with_behaviour : {false, true}) {
            TimedOptions options{model, horizon, 0.0};
            const std::vector<Vertex> seeds = {0, 17, 17, 2999};
            const VertexBehaviour vb = with_behaviour ? behaviour.view() : VertexBehaviour{};
            for (std::uint64_t trial : {0, 5}) {
              const auto oracle = timed_cascade_dijkstra(g, live, seeds, trial, options, vb);
              for (double delta : {0.0, 0.05, 50.0}) {
                options.delta_hours = delta;
                require_same(timed_cascade(g, live, seeds, trial, options, vb), oracle);
              }
              options.delta_hours = 0.0;
              if (oracle.reached > 100) ++checked;
            }
          }
      }
  REQUIRE(checked > 20);  // the comparisons were not all trivial
}

TEST_CASE("timed cascade: a reused workspace and a behaviour rule give the fresh result",
          "[kernels]") {
  // A workspace undoes only what the last trial touched: a big cascade then small ones, another
  // graph (resize), a call that throws (bad seed) and a moved-out result must all leave it
  // giving exactly what a fresh call gives; a rule must give what its arrays give.
  const Graph big = random_graph(5000, 20000, true, 21), small = random_graph(700, 2000, false, 22);
  const RandomBehaviour big_b(big.num_vertices(), 3), small_b(small.num_vertices(), 4);
  const RuleOf big_rule(big_b);
  const LiveArcs big_live(big, ArcProbability::uniform(0.4), 8);
  const LiveArcs small_live(small, ArcProbability::uniform(0.7), 9);
  const TimedOptions options{kModels[1], 20.0, 0.0};
  TimedWorkspace ws;
  std::uint64_t large = 0;
  for (std::uint64_t trial = 0; trial < 12; ++trial) {
    const Graph& g = trial % 4 == 3 ? small : big;
    const LiveArcs& live = trial % 4 == 3 ? small_live : big_live;
    const VertexBehaviour arrays = trial % 4 == 3 ? small_b.view() : big_b.view();
    const std::vector<Vertex> seeds = {static_cast<Vertex>(trial), 5, 5, 600};
    const TimedCascade fresh = timed_cascade(g, live, seeds, trial, options, arrays);
    large += fresh.reached > 1000;
    require_same(timed_cascade(g, live, seeds, trial, options, arrays, ws), fresh);
    require_same(ws.cascade(), fresh);
    if (&g == &big) {
      VertexBehaviour by_rule;
      by_rule.rule = &big_rule;
      require_same(timed_cascade(g, live, seeds, trial, options, by_rule, ws), fresh);
      require_same(timed_cascade_dijkstra(g, live, seeds, trial, options, by_rule), fresh);
    }
    if (trial == 5) {
      const std::vector<Vertex> bad = {1, static_cast<Vertex>(g.num_vertices())};
      REQUIRE_THROWS_AS(timed_cascade(g, live, bad, trial, options, arrays, ws), InvalidArgument);
    }
    if (trial == 8) REQUIRE(ws.take().reached_vertices == fresh.reached_vertices);
  }
  REQUIRE(large >= 3);  // some cascades were big, so later small ones had much to undo
  VertexBehaviour both = big_b.view();
  both.rule = &big_rule;
  REQUIRE_THROWS_AS(timed_cascade(big, big_live, std::vector<Vertex>{0}, 0, options, both),
                    InvalidArgument);
}

TEST_CASE("delta-stepping: heavy-tailed delays and tiny buckets stay exact and bounded",
          "[kernels]") {
  // Log-normal of shape 20 and Weibull of shape 0.01 give delays from 1e-30 to 1e30 hours; with
  // delta_hours 1e-9 the bucket of a vertex is up to 1e18 (a dense bucket array would need
  // exabytes). Buckets beyond the window are held in the far list, so each of these runs in
  // bounded memory and must still equal Dijkstra bit for bit; delta 1e-4 moves the window
  // thousands of times.
  const Graph g = random_graph(2000, 8000, true, 77);
  const LiveArcs live(g, ArcProbability::uniform(0.7), 5);
  int reached_many = 0;
  for (const DelayModel& model : {DelayModel{DelayDistribution::kLogNormal, 2.0, 20.0},
                                  DelayModel{DelayDistribution::kWeibull, 2.0, 0.01},
                                  DelayModel{DelayDistribution::kExponential, 1.5, 1.0}})
    for (double delta : {1e-9, 1e-4, 0.0}) {
      TimedOptions options{model, std::numeric_limits<double>::infinity(), delta};
      const std::vector<Vertex> seeds = {0, 1999};
      const auto oracle = timed_cascade_dijkstra(g, live, seeds, 3, options);
      require_same(timed_cascade(g, live, seeds, 3, options), oracle);
      if (oracle.reached > 500) ++reached_many;
    }
  REQUIRE(reached_many >= 6);
}

TEST_CASE("timed cascade: same result for 1, 2 and 4 threads", "[kernels]") {
  const Graph g = random_graph(20000, 60000, true, 3);
  const LiveArcs live(g, ArcProbability::uniform(0.6), 7);
  const RandomBehaviour behaviour(g.num_vertices(), 4);
  const TimedOptions options{kModels[1], 30.0, 0.0};
  const std::vector<Vertex> seeds = {1, 2, 3};
  // A trial whose cascade is large (three seeds can die out early: take the first big one).
  TimedCascade reference;
  std::uint64_t trial = 0;
  for (; trial < 20; ++trial) {
    ThreadLimit one(1);
    reference = timed_cascade(g, live, seeds, trial, options, behaviour.view());
    if (reference.reached > 1000) break;
  }
  REQUIRE(reference.reached > 1000);
  for (std::size_t threads : {2, 4}) {
    ThreadLimit limit(threads);
    require_same(timed_cascade(g, live, seeds, trial, options, behaviour.view()), reference);
  }
}

TEST_CASE(
    "timed cascade: reached set is the live-arc reachable set; recruiters are live and earlier",
    "[kernels]") {
  const Graph g = random_graph(5000, 15000, false, 11);
  const LiveArcs live(g, ArcProbability::uniform(0.35), 5);
  const std::vector<Vertex> seeds = {10, 20};
  for (std::uint64_t trial = 0; trial < 4; ++trial) {
    const auto c = timed_cascade(g, live, seeds, trial, TimedOptions{kModels[0]});
    // BFS over live arcs (independent of delays).
    std::vector<char> seen(g.num_vertices(), 0);
    std::queue<Vertex> queue;
    for (Vertex s : seeds) seen[s] = 1, queue.push(s);
    const auto key = live.trial_key(trial);
    while (!queue.empty()) {
      const Vertex u = queue.front();
      queue.pop();
      for (Vertex v : g.out_neighbors(u))
        if (!seen[v] && live.live(u, v, 1.0f, key)) seen[v] = 1, queue.push(v);
    }
    std::uint64_t count = 0;
    for (Vertex v = 0; v < g.num_vertices(); ++v) {
      REQUIRE(std::isfinite(c.time[v]) == (seen[v] != 0));
      count += seen[v];
      if (seen[v] && c.recruiter[v] != kNoVertex) {
        const Vertex u = c.recruiter[v];
        REQUIRE(c.time[u] < c.time[v]);
        REQUIRE(live.live(u, v, 1.0f, key));
      }
    }
    REQUIRE(c.reached == count);
    REQUIRE(c.joined_count == count);  // no join thresholds: everyone reached transmits
    for (Vertex s : seeds) REQUIRE((c.time[s] == 0.0f && c.recruiter[s] == kNoVertex));
  }
}

TEST_CASE("timed cascade: the horizon cuts exactly the later vertices", "[kernels]") {
  const Graph g = random_graph(8000, 30000, true, 21);
  const LiveArcs live(g, ArcProbability::uniform(0.4), 13);
  const std::vector<Vertex> seeds = {5};
  const auto full = timed_cascade(g, live, seeds, 1, TimedOptions{kModels[2]});
  float latest = 0;
  for (float t : full.time)
    if (std::isfinite(t)) latest = std::max(latest, t);
  REQUIRE(latest > 10.0f);
  for (double horizon : {0.0, 1.0, 5.0, 10.0}) {
    const auto cut = timed_cascade(g, live, seeds, 1, TimedOptions{kModels[2], horizon, 0.0});
    std::uint64_t within = 0;
    for (Vertex v = 0; v < g.num_vertices(); ++v) {
      if (full.time[v] <= horizon) {
        ++within;
        REQUIRE(cut.time[v] == full.time[v]);
        REQUIRE(cut.recruiter[v] == full.recruiter[v]);
      } else {
        REQUIRE(std::isinf(cut.time[v]));
      }
    }
    REQUIRE(cut.reached == within);
  }
}

TEST_CASE("delay distributions: hashed delays follow the stated law", "[kernels]") {
  constexpr std::uint64_t kDraws = 200000;
  for (const DelayModel& model : kModels) {
    const ArcDelays delays(model, 99);
    const auto key = delays.trial_key(3);
    std::vector<double> x;
    x.reserve(kDraws);
    for (std::uint64_t i = 0; i < kDraws; ++i)
      x.push_back(delays.hours(static_cast<Vertex>(i % 1000), static_cast<Vertex>(i / 1000), key));
    std::sort(x.begin(), x.end());
    // Kolmogorov-Smirnov against the closed-form CDF: D < 1.95 / sqrt(N) (alpha = 0.001).
    double d = 0.0;
    for (std::uint64_t i = 0; i < kDraws; ++i) {
      const double f = model.cdf(x[i]);
      d = std::max(
          {d, f - static_cast<double>(i) / kDraws, static_cast<double>(i + 1) / kDraws - f});
    }
    REQUIRE(d < 1.95 / std::sqrt(static_cast<double>(kDraws)));
    // Sample median and quartiles against the theoretical ones (binomial SE of the rank).
    for (double q : {0.25, 0.5, 0.75}) {
      const double theory = model.quantile(q);
      const double below =
          static_cast<double>(std::lower_bound(x.begin(), x.end(), theory) - x.begin()) / kDraws;
      REQUIRE(std::abs(below - q) < 5.0 * std::sqrt(q * (1 - q) / kDraws));
    }
    REQUIRE(model.quantile(0.5) == Approx(model.median_hours).epsilon(1e-12));
  }
  // Independent moments: exponential mean = median / ln 2; log-normal log-sd = sigma;
  // Weibull mean = lambda Gamma(1 + 1/k).
  auto sample_mean = [](const DelayModel& model, auto&& f) {
    const ArcDelays delays(model, 5);
    const auto key = delays.trial_key(0);
    double s = 0, s2 = 0;
    for (Vertex i = 0; i < kDraws; ++i) {
      const double y = f(delays.hours(i, i + 1, key));
      s += y, s2 += y * y;
    }
    const double mean = s / kDraws;
    return std::pair{mean, std::sqrt((s2 / kDraws - mean * mean) / kDraws)};
  };
  {
    const auto [mean, se] = sample_mean(kModels[0], [](double y) { return y; });
    REQUIRE(std::abs(mean - 2.0 / std::numbers::ln2) < 5 * se);
  }
  {
    const auto [mean, se] = sample_mean(kModels[1], [](double y) { return std::log(y / 1.5); });
    REQUIRE(std::abs(mean) < 5 * se);
    const auto [var, se2] =
        sample_mean(kModels[1], [](double y) { return std::pow(std::log(y / 1.5), 2); });
    REQUIRE(std::abs(var - 1.2 * 1.2) < 5 * se2);
  }
  {
    const double lambda = 3.0 / std::pow(std::numbers::ln2, 1 / 0.7);
    const auto [mean, se] = sample_mean(kModels[2], [](double y) { return y; });
    REQUIRE(std::abs(mean - lambda * std::tgamma(1 + 1 / 0.7)) < 5 * se);
  }
  REQUIRE(normal_quantile(0.975) == Approx(1.959963984540054).epsilon(1e-13));
  REQUIRE(normal_quantile(1e-10) == Approx(-6.361340902404056).epsilon(1e-12));
}

TEST_CASE("timed cascade: bad parameters are typed errors", "[kernels]") {
  const Graph g = random_graph(10, 20, false, 1);
  const LiveArcs live(g, ArcProbability::uniform(0.5), 1);
  const std::vector<Vertex> seeds = {0};
  REQUIRE_THROWS_AS(
      timed_cascade(g, live, seeds, 0, TimedOptions{{DelayDistribution::kWeibull, 0.0, 1.0}}),
      InvalidArgument);
  REQUIRE_THROWS_AS(
      timed_cascade(g, live, seeds, 0, TimedOptions{{DelayDistribution::kLogNormal, 1.0, -1.0}}),
      InvalidArgument);
  REQUIRE_THROWS_AS(timed_cascade(g, live, std::vector<Vertex>{10}, 0, TimedOptions{}),
                    InvalidArgument);
  REQUIRE_THROWS_AS(timed_cascade(g, live, seeds, 0, TimedOptions{{}, -1.0, 0.0}), InvalidArgument);
  const std::vector<std::uint64_t> short_thresholds(3, 0);
  REQUIRE_THROWS_AS(
      timed_cascade(g, live, seeds, 0, TimedOptions{}, VertexBehaviour{short_thresholds, {}, {}}),
      InvalidArgument);
}
