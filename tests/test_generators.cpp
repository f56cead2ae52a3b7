// Synthetic graph generators against sequential reference implementations of the same random
// sequences (Erdos-Renyi, Barabasi-Albert), exact counts and structure (Watts-Strogatz, R-MAT),
// closed-form degree statistics with tolerances from the standard error, thread-count
// independence, and parameter validation.
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <vector>

#include "cascade/builder.hpp"
#include "cascade/error.hpp"
#include "cascade/generators.hpp"
#include "cascade/parallel.hpp"
#include "cascade/random.hpp"
#include "catch.hpp"

using namespace cascade;

namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

// Degree of each vertex counted over edge ends (a self loop counts twice), before any cleaning.
std::vector<double> end_degrees(const EdgeList& list) {
  std::vector<double> degree(list.num_vertices, 0.0);
  for (const Edge& e : list.edges) {
    ++degree[e.src];
    ++degree[e.dst];
  }
  return degree;
}

struct Moments {
  double mean = 0, variance = 0;
};
Moments moments(const std::vector<double>& xs) {
  Moments m;
  for (double x : xs) m.mean += x;
  m.mean /= static_cast<double>(xs.size());
  for (double x : xs) m.variance += (x - m.mean) * (x - m.mean);
  m.variance /= static_cast<double>(xs.size() - 1);
  return m;
}

// Standard error of the sample variance of n draws of a Poisson-like degree with mean lambda:
// Var(s^2) ~ (mu4 - sigma^4) / n with mu4 = lambda + 3 lambda^2.
double variance_se(double lambda, std::size_t n) {
  return std::sqrt((lambda + 2.0 * lambda * lambda) / static_cast<double>(n));
}

// Discrete power-law MLE (Clauset, Shalizi & Newman 2009, eq. 3.7) over degrees >= k_min.
double power_law_exponent(const std::vector<double>& degrees, double k_min) {
  double sum = 0.0, count = 0.0;
  for (double k : degrees)
    if (k >= k_min) {
      sum += std::log(k / (k_min - 0.5));
      ++count;
    }
  return 1.0 + count / sum;
}

std::uint64_t key(Edge e) { return (std::uint64_t{e.src} << 32) | e.dst; }

bool all_distinct(const EdgeList& list) {
  std::vector<std::uint64_t> keys;
  for (const Edge& e : list.edges) keys.push_back(key(e));
  std::sort(keys.begin(), keys.end());
  return std::adjacent_find(keys.begin(), keys.end()) == keys.end();
}

bool no_self_loops(const EdgeList& list) {
  return std::none_of(list.edges.begin(), list.edges.end(),
                      [](const Edge& e) { return e.src == e.dst; });
}

// Generates with 1, 2 and 4 threads and requires identical edge lists and built graphs.
void require_thread_independent(const std::function<EdgeList()>& generate) {
  EdgeList first;
  {
    ThreadLimit limit(1);
    REQUIRE(max_threads() == 1);
    first = generate();
  }
  const Graph reference = build_csr(first);
  for (std::size_t threads : {2, 4}) {
    ThreadLimit limit(threads);
    const EdgeList list = generate();
    REQUIRE(list.num_vertices == first.num_vertices);
    REQUIRE(list.undirected == first.undirected);
    REQUIRE(list.edges == first.edges);
    REQUIRE(build_csr(list) == reference);
  }
}

// The sequential definition of the Erdos-Renyi candidate sequence (same draws as the library).
std::uint64_t er_candidate(std::uint64_t n, bool directed, std::uint64_t seed, std::uint64_t j) {
  const std::uint64_t p = rng::below(rng::hash(seed, rng::Purpose::kGenerator, j), n * (n - 1));
  std::uint64_t u = p / (n - 1), v = p % (n - 1);
  v += v >= u;
  if (!directed && u > v) std::swap(u, v);
  return (u << 32) | v;
}

// First k distinct candidates, in order of first appearance.
std::vector<std::uint64_t> er_first_distinct(std::uint64_t n, bool directed, std::uint64_t seed,
                                             std::uint64_t k) {
  std::set<std::uint64_t> seen;
  std::vector<std::uint64_t> order;
  for (std::uint64_t j = 0; order.size() < k; ++j) {
    const std::uint64_t c = er_candidate(n, directed, seed, j);
    if (seen.insert(c).second) order.push_back(c);
  }
  return order;
}

}  // namespace

// ---------------------------------------------------------------- Erdos-Renyi

TEST_CASE("erdos_renyi: exactly m distinct edges without self loops", "[engine]") {
  for (bool directed : {false, true})
    for (auto [n, m] : {std::pair{1000ULL, 20000ULL}, std::pair{300ULL, 30000ULL},
                        std::pair{60ULL, 1700ULL}, std::pair{40ULL, 780ULL}}) {
      if (!directed && m > n * (n - 1) / 2) continue;
      const EdgeList list = generate_erdos_renyi(n, m, 11, directed);
      REQUIRE(list.num_vertices == n);
      REQUIRE(list.undirected == !directed);
      REQUIRE(list.edges.size() == m);
      REQUIRE(no_self_loops(list));
      REQUIRE(all_distinct(list));
      if (!directed)
        REQUIRE(std::all_of(list.edges.begin(), list.edges.end(),
                            [](const Edge& e) { return e.src < e.dst; }));
      const Graph g = build_csr(list);
      REQUIRE(g.num_arcs() == (directed ? m : 2 * m));
    }
  // The complete graph, and the trivial cases.
  const Graph complete = build_csr(generate_erdos_renyi(50, 50 * 49 / 2, 3));
  for (Vertex u = 0; u < 50; ++u) REQUIRE(complete.out_degree(u) == 49);
  REQUIRE(generate_erdos_renyi(0, 0, 1).edges.empty());
  REQUIRE(generate_erdos_renyi(1, 0, 1).num_vertices == 1);
  REQUIRE(generate_erdos_renyi(2, 1, 1).edges == std::vector<Edge>{{0, 1}});
}

TEST_CASE("erdos_renyi: the first m distinct pairs of the candidate sequence", "[engine]") {
  // Sparse path: the edges, in order, are the first m distinct candidates.
  for (bool directed : {false, true}) {
    const std::uint64_t n = 2000, m = 30000;
    const std::vector<std::uint64_t> expected = er_first_distinct(n, directed, 5, m);
    const EdgeList list = generate_erdos_renyi(n, m, 5, directed);
    REQUIRE(list.edges.size() == m);
    for (std::uint64_t i = 0; i < m; ++i) REQUIRE(key(list.edges[i]) == expected[i]);
  }
  // Dense path: all pairs except the first P - m distinct candidates, in pair order.
  for (bool directed : {false, true}) {
    const std::uint64_t n = 80, pairs = directed ? n * (n - 1) : n * (n - 1) / 2,
                        m = pairs - pairs / 3;
    const std::vector<std::uint64_t> left_out = er_first_distinct(n, directed, 9, pairs - m);
    const std::set<std::uint64_t> excluded(left_out.begin(), left_out.end());
    std::vector<std::uint64_t> expected;
    for (std::uint64_t u = 0; u < n; ++u)
      for (std::uint64_t v = directed ? 0 : u + 1; v < n; ++v)
        if (u != v && !excluded.count((u << 32) | v)) expected.push_back((u << 32) | v);
    const EdgeList list = generate_erdos_renyi(n, m, 9, directed);
    REQUIRE(list.edges.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) REQUIRE(key(list.edges[i]) == expected[i]);
  }
}

TEST_CASE("erdos_renyi: every m-subset equally likely (chi-square over seeds)", "[engine]") {
  // n = 5 has P = 10 pairs. m = 3 (sparse path, 120 subsets) and m = 8 (dense path, 45 subsets).
  for (auto [m, subsets] : {std::pair{3ULL, 120.0}, std::pair{8ULL, 45.0}}) {
    const int runs = static_cast<int>(subsets) * 150;
    std::map<std::vector<std::uint64_t>, int> counts;
    for (int seed = 0; seed < runs; ++seed) {
      const EdgeList list = generate_erdos_renyi(5, m, static_cast<std::uint64_t>(seed));
      std::vector<std::uint64_t> keys;
      for (const Edge& e : list.edges) keys.push_back(key(e));
      std::sort(keys.begin(), keys.end());
      ++counts[keys];
    }
    REQUIRE(counts.size() == static_cast<std::size_t>(subsets));
    double chi2 = 0.0;
    for (const auto& [subset, count] : counts) chi2 += (count - 150.0) * (count - 150.0) / 150.0;
    // chi-square with subsets - 1 degrees of freedom: mean df, sd sqrt(2 df); allow 6 sd.
    const double df = subsets - 1.0;
    CHECK(chi2 < df + 6.0 * std::sqrt(2.0 * df));
  }
}

TEST_CASE("erdos_renyi: degree mean and variance match G(n, m)", "[engine]") {
  const std::uint64_t n = 100000, m = 1000000;
  const EdgeList list = generate_erdos_renyi(n, m, 42);
  const Moments d = moments(end_degrees(list));
  REQUIRE(d.mean == Approx(2.0 * m / n).epsilon(1e-12));  // exact: 2m ends
  // deg(v) is hypergeometric: m pairs drawn from P, of which n-1 touch v.
  const double pairs = n * (n - 1) / 2.0, q = (n - 1) / pairs;
  const double variance = m * q * (1.0 - q) * (pairs - m) / (pairs - 1.0);
  CHECK(std::abs(d.variance - variance) < 5.0 * variance_se(d.mean, n));
}

// ---------------------------------------------------------------- R-MAT

TEST_CASE("rmat: edge count, ids and quadrant frequencies", "[engine]") {
  RmatParams params;
  params.scale = 16;
  params.edge_factor = 16;
  params.permute = false;
  const EdgeList list = generate_rmat(params, 7);
  const std::uint64_t n = 1 << 16, m = 16 * n;
  REQUIRE(list.num_vertices == n);
  REQUIRE(list.undirected);
  REQUIRE(list.edges.size() == m);
  REQUIRE_FALSE(generate_rmat(params, 7, true).undirected);

  // Level by level the source bit is 1 with probability c + d, the target bit with b + d, both
  // with d; and vertex 0 is an edge's source with probability (a + b)^scale.
  const double a = params.a, b = params.b, c = params.c, d = 1 - a - b - c;
  auto within = [&](double count, double p) {
    return std::abs(count - m * p) < 5.0 * std::sqrt(m * p * (1 - p)) + 1.0;
  };
  for (unsigned bit : {0u, 7u, 15u}) {
    double src = 0, dst = 0, both = 0;
    for (const Edge& e : list.edges) {
      const bool s = (e.src >> bit) & 1, t = (e.dst >> bit) & 1;
      src += s;
      dst += t;
      both += s && t;
    }
    CHECK(within(src, c + d));
    CHECK(within(dst, b + d));
    CHECK(within(both, d));
  }
  double from_zero = 0, to_zero = 0;
  for (const Edge& e : list.edges) {
    from_zero += e.src == 0;
    to_zero += e.dst == 0;
  }
  CHECK(within(from_zero, std::pow(a + b, 16)));
  CHECK(within(to_zero, std::pow(a + c, 16)));

  // Skew: the largest degree of the cleaned graph is far above the mean.
  const Graph g = build_csr(list);
  std::uint64_t max_degree = 0;
  for (Vertex u = 0; u < n; ++u) max_degree = std::max(max_degree, g.out_degree(u));
  CHECK(max_degree > 100.0 * g.num_arcs() / n);
}

TEST_CASE("rmat: the permutation is a bijection applied to both ends", "[engine]") {
  RmatParams params;
  params.scale = 13;
  params.edge_factor = 8;
  params.permute = false;
  const EdgeList plain = generate_rmat(params, 3);
  params.permute = true;
  const EdgeList permuted = generate_rmat(params, 3);
  REQUIRE(plain.edges.size() == permuted.edges.size());
  std::vector<std::int64_t> image(plain.num_vertices, -1);
  auto map = [&](Vertex from, Vertex to) {
    if (image[from] < 0) image[from] = to;
    return image[from] == to;
  };
  for (std::size_t i = 0; i < plain.edges.size(); ++i) {
    REQUIRE(map(plain.edges[i].src, permuted.edges[i].src));
    REQUIRE(map(plain.edges[i].dst, permuted.edges[i].dst));
  }
  std::vector<std::int64_t> seen;
  for (std::int64_t x : image)
    if (x >= 0) seen.push_back(x);
  std::sort(seen.begin(), seen.end());
  REQUIRE(std::adjacent_find(seen.begin(), seen.end()) == seen.end());  // injective
  std::size_t fixed_points = 0;
  for (std::size_t v = 0; v < image.size(); ++v) fixed_points += image[v] == std::int64_t(v);
  CHECK(fixed_points < 10);  // a random permutation has about one
  // Degenerate scales work.
  for (unsigned scale : {0u, 1u}) {
    params.scale = scale;
    const EdgeList tiny = generate_rmat(params, 1);
    REQUIRE(tiny.edges.size() == (8u << scale));
    for (const Edge& e : tiny.edges) REQUIRE((e.src >> scale) == 0);
  }
}

// ---------------------------------------------------------------- Barabasi-Albert

TEST_CASE("barabasi_albert: equals the sequential Batagelj-Brandes edge copy", "[engine]") {
  for (std::uint64_t degree : {1ULL, 3ULL, 6ULL}) {
    const std::uint64_t n = 20000, seed = 17;
    const EdgeList list = generate_barabasi_albert(n, degree, seed);
    const std::uint64_t clique = degree * (degree + 1) / 2;
    REQUIRE(list.num_vertices == n);
    REQUIRE(list.undirected);
    REQUIRE(list.edges.size() == clique + (n - degree - 1) * degree);
    // Sequential reference: slot 2i is edge i's creator, slot 2i+1 a copy of slot r <= 2i.
    std::vector<Vertex> slots;
    for (Vertex v = 1; v <= degree; ++v)
      for (Vertex u = 0; u < v; ++u) slots.insert(slots.end(), {u, v});
    for (std::uint64_t i = clique; i < list.edges.size(); ++i) {
      slots.push_back(static_cast<Vertex>(degree + 1 + (i - clique) / degree));
      slots.push_back(slots[rng::below(rng::hash(seed, rng::Purpose::kGenerator, i), 2 * i + 1)]);
    }
    for (std::uint64_t i = 0; i < list.edges.size(); ++i) {
      REQUIRE(list.edges[i].src == slots[2 * i]);
      REQUIRE(list.edges[i].dst == slots[2 * i + 1]);
    }
  }
}

TEST_CASE("barabasi_albert: mean degree 2d and the k^-3 degree law", "[engine]") {
  const std::uint64_t n = 200000, d = 4;
  const EdgeList list = generate_barabasi_albert(n, d, 1);
  const std::vector<double> degrees = end_degrees(list);
  REQUIRE(*std::min_element(degrees.begin(), degrees.end()) >= d);
  const Graph g = build_csr(list);
  const double mean = static_cast<double>(g.num_arcs()) / n;
  CHECK(mean <= 2.0 * d);
  CHECK(mean > 0.995 * 2.0 * d);  // self loops and duplicates are rare
  // Exact stationary law of the BA model: P(deg >= k) = d(d+1) / (k(k+1)) for k >= d.
  for (double k : {8.0, 16.0, 32.0}) {
    const double ccdf = static_cast<double>(std::count_if(degrees.begin(), degrees.end(),
                                                          [&](double x) { return x >= k; })) /
                        n;
    // Standard error of a proportion over n vertices: sqrt(P (1 - P) / n).
    const double law = d * (d + 1.0) / (k * (k + 1.0));
    const double se = std::sqrt(law * (1.0 - law) / static_cast<double>(n));
    INFO("k " << k << " ccdf " << ccdf << " law " << law << " se " << se);
    CHECK(std::abs(ccdf - law) < 4.0 * se);
  }
  CHECK(power_law_exponent(degrees, 20) == Approx(3.0).margin(0.2));
}

// ---------------------------------------------------------------- Watts-Strogatz

TEST_CASE("watts_strogatz: beta = 0 is the ring lattice", "[engine]") {
  const std::uint64_t n = 1000, k = 10;
  const EdgeList list = generate_watts_strogatz(n, k, 0.0, 5);
  REQUIRE(list.num_vertices == n);
  REQUIRE(list.undirected);
  REQUIRE(list.edges.size() == n * k / 2);
  const Graph g = build_csr(list);
  REQUIRE(g.num_arcs() == n * k);
  for (std::uint64_t u = 0; u < n; ++u) {
    std::vector<Vertex> expected;
    for (std::uint64_t j = 1; j <= k / 2; ++j)
      expected.insert(expected.end(),
                      {static_cast<Vertex>((u + j) % n), static_cast<Vertex>((u + n - j) % n)});
    std::sort(expected.begin(), expected.end());
    const auto got = g.out_neighbors(static_cast<Vertex>(u));
    REQUIRE(std::vector<Vertex>(got.begin(), got.end()) == expected);
  }
  REQUIRE(generate_watts_strogatz(5, 0, 0.5, 1).edges.empty());
}

TEST_CASE("watts_strogatz: rewiring frequency and the beta = 1 degree variance", "[engine]") {
  const std::uint64_t n = 100000, k = 10, m = n * k / 2;
  {
    const double beta = 0.3;
    const EdgeList list = generate_watts_strogatz(n, k, beta, 8);
    REQUIRE(list.edges.size() == m);
    REQUIRE(no_self_loops(list));
    double moved = 0;
    for (std::uint64_t e = 0; e < m; ++e) {
      REQUIRE(list.edges[e].src == e / (k / 2));
      moved += list.edges[e].dst != (e / (k / 2) + e % (k / 2) + 1) % n;
    }
    // A rewired end lands back on the lattice neighbour with probability 1/(n-1).
    const double p = beta * (1.0 - 1.0 / (n - 1));
    CHECK(std::abs(moved - m * p) < 5.0 * std::sqrt(m * p * (1 - p)));
  }
  {
    // beta = 1: deg(v) = k/2 (own edges) + Binomial((n-1)k/2, 1/(n-1)) far ends.
    const EdgeList list = generate_watts_strogatz(n, k, 1.0, 9);
    REQUIRE(list.edges.size() == m);
    REQUIRE(no_self_loops(list));
    const Moments d = moments(end_degrees(list));
    REQUIRE(d.mean == Approx(static_cast<double>(k)).epsilon(1e-12));
    const double variance = k / 2.0 * (1.0 - 1.0 / (n - 1));
    CHECK(std::abs(d.variance - variance) < 5.0 * variance_se(k / 2.0, n));
  }
}

// ---------------------------------------------------------------- Chung-Lu

TEST_CASE("chung_lu: edge count, cutoff and power-law tail", "[engine]") {
  const std::uint64_t n = 200000;
  const double mean = 10.0;
  for (double gamma : {2.5, 3.0}) {
    const EdgeList list = generate_chung_lu(n, mean, gamma, 4);
    REQUIRE(list.num_vertices == n);
    REQUIRE(list.undirected);
    REQUIRE(list.edges.size() == static_cast<std::size_t>(n * mean / 2));
    const std::vector<double> degrees = end_degrees(list);
    // Vertex 0 has the largest expected degree, sqrt(n * mean) by construction: its degree is a
    // Binomial(2m, w_0 / W) count of edge ends, standard deviation sqrt(E (1 - w_0 / W)) <
    // sqrt(E), E = sqrt(n * mean).
    const double expected = std::sqrt(static_cast<double>(n) * mean);
    INFO("gamma " << gamma << " degree of vertex 0 " << degrees[0] << " expected " << expected);
    CHECK(std::abs(degrees[0] - expected) < 4.0 * std::sqrt(expected));
    CHECK(degrees[0] == *std::max_element(degrees.begin(), degrees.end()));
    CHECK(power_law_exponent(degrees, 2 * mean) == Approx(gamma).margin(0.15));
  }
  const EdgeList few = generate_chung_lu(7, 2.0, 2.5, 1);
  REQUIRE(few.edges.size() == 7);
  for (const Edge& e : few.edges) REQUIRE((e.src < 7 && e.dst < 7));
  REQUIRE(generate_chung_lu(1000, 0.0, 2.5, 1).edges.empty());
}

// ---------------------------------------------------------------- all generators

TEST_CASE("generators: identical output for 1, 2 and 4 threads; seeds matter", "[engine]") {
  RmatParams rmat;
  rmat.scale = 14;
  const std::vector<std::function<EdgeList(std::uint64_t)>> generators = {
      [](std::uint64_t s) { return generate_erdos_renyi(20000, 200000, s); },
      [](std::uint64_t s) { return generate_erdos_renyi(20000, 200000, s, true); },
      [](std::uint64_t s) { return generate_erdos_renyi(300, 40000, s); },  // dense path
      [&](std::uint64_t s) { return generate_rmat(rmat, s); },
      [](std::uint64_t s) { return generate_barabasi_albert(50000, 5, s); },
      [](std::uint64_t s) { return generate_watts_strogatz(50000, 10, 0.2, s); },
      [](std::uint64_t s) { return generate_chung_lu(50000, 8.0, 2.5, s); },
  };
  for (const auto& generate : generators) {
    require_thread_independent([&] { return generate(1); });
    CHECK(generate(1).edges != generate(2).edges);
  }
}

TEST_CASE("generators: impossible parameters throw InvalidArgument", "[engine]") {
  CHECK_THROWS_AS(generate_erdos_renyi(10, 46, 1), InvalidArgument);
  CHECK_THROWS_AS(generate_erdos_renyi(10, 91, 1, true), InvalidArgument);
  CHECK_THROWS_AS(generate_erdos_renyi(1, 1, 1), InvalidArgument);
  CHECK_THROWS_AS(generate_erdos_renyi(kMaxVertices + 1, 1, 1), InvalidArgument);
  CHECK_THROWS_WITH(generate_erdos_renyi(10, 46, 1),
                    Catch::Contains("46") && Catch::Contains("45"));
  CHECK_NOTHROW(generate_erdos_renyi(10, 45, 1));
  CHECK_NOTHROW(generate_erdos_renyi(10, 90, 1, true));

  auto rmat = [](double a, double b, double c, unsigned scale) {
    RmatParams p;
    p.a = a, p.b = b, p.c = c, p.scale = scale, p.edge_factor = 1;
    return generate_rmat(p, 1);
  };
  CHECK_THROWS_AS(rmat(-0.1, 0.3, 0.3, 4), InvalidArgument);
  CHECK_THROWS_AS(rmat(0.5, 0.3, 0.3, 4), InvalidArgument);
  CHECK_THROWS_AS(rmat(0.5, kNan, 0.1, 4), InvalidArgument);
  CHECK_THROWS_AS(rmat(0.57, 0.19, 0.19, 32), InvalidArgument);
  CHECK_THROWS_WITH(rmat(0.57, 0.19, 0.19, 32), Catch::Contains("32"));
  CHECK_NOTHROW(rmat(0.25, 0.25, 0.5, 4));  // d = 0

  CHECK_THROWS_AS(generate_barabasi_albert(100, 0, 1), InvalidArgument);
  CHECK_THROWS_AS(generate_barabasi_albert(5, 5, 1), InvalidArgument);
  CHECK_NOTHROW(generate_barabasi_albert(6, 5, 1));  // just the clique

  CHECK_THROWS_AS(generate_watts_strogatz(100, 3, 0.1, 1), InvalidArgument);
  CHECK_THROWS_AS(generate_watts_strogatz(10, 10, 0.1, 1), InvalidArgument);
  CHECK_THROWS_AS(generate_watts_strogatz(100, 4, -0.1, 1), InvalidArgument);
  CHECK_THROWS_AS(generate_watts_strogatz(100, 4, 1.5, 1), InvalidArgument);
  CHECK_THROWS_AS(generate_watts_strogatz(100, 4, kNan, 1), InvalidArgument);

  CHECK_THROWS_AS(generate_chung_lu(100, 5.0, 2.0, 1), InvalidArgument);
  CHECK_THROWS_AS(generate_chung_lu(100, 5.0, kNan, 1), InvalidArgument);
  CHECK_THROWS_AS(generate_chung_lu(100, -1.0, 2.5, 1), InvalidArgument);
  CHECK_THROWS_AS(generate_chung_lu(100, kNan, 2.5, 1), InvalidArgument);
  CHECK_THROWS_AS(generate_chung_lu(kMaxVertices + 1, 5.0, 2.5, 1), InvalidArgument);
}

// ---------------------------------------------------------------- Registry

TEST_CASE("generator registry: names, aliases and generate() equal the direct calls", "[engine]") {
  REQUIRE(generator_registry().size() == 5);
  for (const GeneratorInfo& info : generator_registry()) {
    REQUIRE(find_generator(info.name).name == info.name);
    REQUIRE(find_generator(info.scenario_name).name == info.name);
    for (std::string_view alias : info.aliases) REQUIRE(find_generator(alias).name == info.name);
  }
  REQUIRE_THROWS_AS(find_generator("smallworld"), InvalidArgument);
  auto same = [](const EdgeList& a, const EdgeList& b) {
    REQUIRE(a.num_vertices == b.num_vertices);
    REQUIRE(a.undirected == b.undirected);
    REQUIRE(a.edges.size() == b.edges.size());
    for (std::size_t i = 0; i < a.edges.size(); ++i) {
      REQUIRE(a.edges[i].src == b.edges[i].src);
      REQUIRE(a.edges[i].dst == b.edges[i].dst);
    }
  };
  GeneratorSpec spec;
  spec.rmat.scale = 10;
  spec.rmat.edge_factor = 4;
  same(generate(spec, 3), generate_rmat(spec.rmat, 3));
  spec.vertices = 1000;
  spec.model = "erdos-renyi";  // the scenario name; degree 0: the default 16 (m = n 16 / 2)
  same(generate(spec, 3), generate_erdos_renyi(1000, 8000, 3));
  spec.degree = 5;
  spec.directed = true;  // directed: m = n * degree
  same(generate(spec, 3), generate_erdos_renyi(1000, 5000, 3, true));
  spec.directed = false;
  spec.edges = 1234;
  same(generate(spec, 3), generate_erdos_renyi(1000, 1234, 3));
  spec.model = "ba";
  spec.degree = 3;
  same(generate(spec, 4), generate_barabasi_albert(1000, 3, 4));
  spec.model = "watts-strogatz";
  spec.degree = 6;
  spec.beta = 0.3;
  same(generate(spec, 5), generate_watts_strogatz(1000, 6, 0.3, 5));
  spec.model = "chung-lu";
  spec.degree = 7.5;
  spec.gamma = 2.7;
  same(generate(spec, 6), generate_chung_lu(1000, 7.5, 2.7, 6));
  spec.model = "ba";
  spec.degree = 2.5;  // edges per new vertex must be whole
  REQUIRE_THROWS_AS(generate(spec, 1), InvalidArgument);
}
