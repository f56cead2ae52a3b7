#include "graph_util.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <vector>

#include "cascade/builder.hpp"
#include "cascade/error.hpp"
#include "cascade/generators.hpp"
#include "cascade/memory.hpp"
#include "cascade/random.hpp"
#include "cli.hpp"

namespace cascade::cli {

Graph load_input(const std::string& path, const LoadOptions& options) {
  try {
    return load_graph(path, options);
  } catch (const FileError&) {
    throw;
  } catch (const ResourceError&) {
    throw;  // already names the path (load_graph); keeps its type for the CLI's message
  } catch (const Error& e) {
    const std::string what = e.what();
    throw FileError(what.rfind(path, 0) == 0 ? what : path + ": " + what);
  }
}

EdgeList to_edge_list(const Graph& g) {
  EdgeList el;
  el.num_vertices = g.num_vertices();
  el.edges.reserve(g.num_arcs());
  for (Vertex u = 0; u < g.num_vertices(); ++u)
    for (Vertex v : g.out_neighbors(u)) el.edges.push_back({u, v});
  el.weights.assign(g.weights().begin(), g.weights().end());
  el.labels = g.labels();
  return el;
}

WeightRule parse_weight_rule(const std::string& text, const std::string& flag) {
  try {
    return WeightRule::parse(text, flag);
  } catch (const InvalidArgument& e) {
    throw UsageError(e.what());
  }
}

WeightSpec WeightSpec::parse(const std::string& text, const std::string& flag) {
  WeightSpec s;
  if (text == "random") {
    s.kind = Kind::kRandom;
    return s;
  }
  try {
    s.rule = WeightRule::parse(text, flag);
    s.kind = Kind::kRule;
    return s;
  } catch (const InvalidArgument&) {
  }
  std::size_t used = 0;
  double p = -1;
  try {
    p = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || !(p >= 0.0 && p <= 1.0))
    throw UsageError(
        fmt::format("{} '{}': expected a probability in [0, 1], 'random' or a weight rule "
                    "(probability, none, scale:C, max, exp:S, wc, trivalency)",
                    flag, text));
  s.kind = Kind::kConstant;
  s.p = p;
  return s;
}

WeightRule WeightSpec::read_rule() const {
  if (kind == Kind::kKeep) return WeightRule::parse("probability", rule.option);
  if (kind == Kind::kRule && rule.reads_values()) return rule;
  return WeightRule::parse("none", rule.option);
}

Graph apply_weights(const Graph& g, const WeightSpec& spec, std::uint64_t seed) {
  switch (spec.kind) {
    case WeightSpec::Kind::kKeep:
      return g;
    case WeightSpec::Kind::kRule:
      // Value rules were applied while reading; none, wc and trivalency act on the structure.
      return spec.rule.reads_values() ? g : apply_weight_rule(g, spec.rule);
    case WeightSpec::Kind::kConstant:
    case WeightSpec::Kind::kRandom:
      break;
  }
  std::vector<Offset> offsets(g.offsets().begin(), g.offsets().end());
  std::vector<Vertex> targets(g.targets().begin(), g.targets().end());
  std::vector<float> weights;
  weights.reserve(g.num_arcs());
  if (spec.kind == WeightSpec::Kind::kConstant) {
    weights.assign(g.num_arcs(), static_cast<float>(spec.p));
  } else {
    for (Vertex u = 0; u < g.num_vertices(); ++u)
      for (Vertex v : g.out_neighbors(u)) {
        // Keyed by the unordered pair so both arcs of an undirected edge agree; in (0, 1].
        const std::uint64_t h =
            rng::hash(seed, rng::Purpose::kVertexTrait, std::min(u, v), std::max(u, v));
        weights.push_back(static_cast<float>((static_cast<double>(h >> 40) + 1) * 0x1p-24));
      }
  }
  return Graph(std::move(offsets), std::move(targets), std::move(weights), g.is_symmetric())
      .with_labels(g.labels());
}

void add_direction_options(CLI::App* sub, DirectionFlags& flags) {
  auto* u = sub->add_flag("--undirected,--symmetrize", flags.undirected,
                          "read each line as an undirected edge (store both arcs)");
  auto* d = sub->add_flag("--directed", flags.directed,
                          "read as directed even when the file declares itself undirected "
                          "(SNAP '# Undirected', Matrix Market 'symmetric')");
  u->excludes(d);
}

LoadOptions load_options(const DirectionFlags& flags, const WeightRule& weights) {
  LoadOptions load;
  load.build.symmetrize = flags.undirected;
  load.directed = flags.directed;
  load.weights = weights;
  return load;
}

namespace {

// Flags that only some models take.
const std::map<std::string, std::vector<std::string>>& model_flags() {
  static const std::map<std::string, std::vector<std::string>> kFlags = {
      {"--scale", {"rmat"}},
      {"--edge-factor", {"rmat"}},
      {"-a", {"rmat"}},
      {"-b", {"rmat"}},
      {"-c", {"rmat"}},
      {"--no-permute", {"rmat"}},
      {"--vertices", {"er", "ba", "ws", "chunglu"}},
      {"--degree", {"er", "ba", "ws", "chunglu"}},
      {"--edges", {"er"}},
      {"--beta", {"ws"}},
      {"--gamma", {"chunglu"}}};
  return kFlags;
}

double default_degree(const std::string& model) { return find_generator(model).default_degree; }

std::uint64_t whole(double value, const std::string& flag, const std::string& model) {
  if (!(value >= 1) || value != std::floor(value) || value > 1e18)
    throw UsageError(fmt::format("{} {}: {} needs a whole number >= 1", flag, value, model));
  return static_cast<std::uint64_t>(value);
}

}  // namespace

std::string canonical_model(const std::string& name) {
  try {
    return std::string(find_generator(name).name);  // the engine's registry (generators.hpp)
  } catch (const InvalidArgument& e) {
    throw UsageError(e.what());
  }
}

void add_generator_options(CLI::App* sub, GeneratorFlags& f) {
  f.app = sub;
  auto* g = "Generator parameters";
  sub->add_option("--scale", f.scale, "rmat: 2^SCALE vertices")
      ->capture_default_str()
      ->check(CLI::Range(1u, 31u))
      ->group(g);
  sub->add_option("--edge-factor", f.edge_factor, "rmat: EDGE_FACTOR * 2^SCALE generated edges")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1u << 16))
      ->group(g);
  sub->add_option("-a", f.a, "rmat: quadrant probability a (Graph500)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0))
      ->group(g);
  sub->add_option("-b", f.b, "rmat: quadrant probability b")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0))
      ->group(g);
  sub->add_option("-c", f.c, "rmat: quadrant probability c (d = 1 - a - b - c)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0))
      ->group(g);
  sub->add_flag("--no-permute", f.no_permute, "rmat: keep R-MAT's vertex ids (no relabelling)")
      ->group(g);
  sub->add_option("-n,--vertices", f.vertices, "er/ba/ws/chunglu: number of vertices")
      ->capture_default_str()
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{kMaxVertices}))
      ->group(g);
  auto* degree =
      sub->add_option(
             "-d,--degree", f.degree,
             "er: mean degree after symmetrizing (default 16); ba: edges per new vertex (8); "
             "ws: ring neighbours k, even (10); chunglu: mean degree (16)")
          ->check(CLI::PositiveNumber)
          ->group(g);
  sub->add_option("-m,--edges", f.edges, "er: exact number of edges (instead of --degree)")
      ->check(CLI::PositiveNumber)
      ->excludes(degree)
      ->group(g);
  sub->add_option("--beta", f.beta, "ws: rewiring probability")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0))
      ->group(g);
  sub->add_option("--gamma", f.gamma, "chunglu: power-law exponent of the degrees (> 2)")
      ->capture_default_str()
      ->group(g);
  sub->add_flag("--directed", f.directed,
                "store generated edges as one arc each (default: both directions)")
      ->group(g);
}

void check_generator_flags(const GeneratorFlags& f) {
  const std::string model = canonical_model(f.model);
  for (const auto& [flag, models] : model_flags()) {
    if (f.app->count(flag) == 0) continue;
    bool ok = false;
    for (const auto& m : models) ok = ok || m == model;
    if (!ok)
      throw UsageError(fmt::format("{} does not apply to generator {} (it is for {})", flag, model,
                                   fmt::join(models, ", ")));
  }
  if (model == "rmat" && f.a + f.b + f.c > 1.0 + 1e-12)
    throw UsageError(fmt::format("-a {} -b {} -c {}: a + b + c must be <= 1", f.a, f.b, f.c));
}

EdgeList run_generator(const GeneratorFlags& f, std::uint64_t seed) {
  check_generator_flags(f);
  GeneratorSpec spec;
  spec.model = canonical_model(f.model);
  spec.vertices = f.vertices;
  spec.degree = f.degree > 0 ? f.degree : default_degree(spec.model);
  if (spec.model == "ba" || spec.model == "ws") whole(spec.degree, "--degree", spec.model);
  if (f.app->count("--edges")) spec.edges = f.edges;
  spec.rmat.scale = f.scale;
  spec.rmat.edge_factor = f.edge_factor;
  spec.rmat.a = f.a;
  spec.rmat.b = f.b;
  spec.rmat.c = f.c;
  spec.rmat.permute = !f.no_permute;
  spec.beta = f.beta;
  spec.gamma = f.gamma;
  spec.directed = f.directed;
  return generate(spec, seed);
}

void add_arc_model_options(CLI::App* sub, CLI::Option* p, std::string& weights_rule,
                           bool& weighted_cascade, const std::string& wc_help) {
  auto* w = sub->add_option("--weights", weights_rule, kUseWeightsHelp)
                ->expected(0, 1)
                ->default_str("probability")
                ->group("Probabilities");
  auto* wc = sub->add_flag("--weighted-cascade", weighted_cascade, wc_help)->group("Probabilities");
  p->excludes(w)->excludes(wc);
  w->excludes(wc);
}

std::uint64_t generator_memory(const GeneratorFlags& f, bool weighted) {
  const std::string model = canonical_model(f.model);
  const double degree = f.degree > 0 ? f.degree : default_degree(model);
  // Generated edges m and vertices n as the generators compute them (long double: no overflow
  // for any flag values; the result saturates).
  long double n = static_cast<long double>(f.vertices), m = 0, scratch = 0;
  if (model == "rmat") {
    n = std::ldexp(1.0L, static_cast<int>(f.scale));
    m = n * f.edge_factor;
  } else if (model == "er") {
    m = f.app->count("--edges") ? static_cast<long double>(f.edges)
                                : n * degree / (f.directed ? 1.0L : 2.0L);
    scratch = 24 * m;  // candidate pool of first_distinct (upper bound)
  } else if (model == "ba") {
    m = n * std::floor(degree);
  } else if (model == "ws") {
    m = n * std::floor(degree) / 2;
  } else {
    m = n * degree / 2;
    scratch = 20 * n;  // alias table while building
  }
  // Whole counts, saturating; the bytes per vertex and edge are memory.hpp's, the one owner of
  // the layouts. The peak is the edge list while build_csr() runs, or the graph with (when
  // weights are assigned) its weighted copy.
  auto whole = [](long double x) {
    return x >= 0x1p64L ? ~std::uint64_t{0} : static_cast<std::uint64_t>(x);
  };
  const std::uint64_t vertices = whole(n), edges = whole(m);
  const std::uint64_t arcs = whole(f.directed ? m : 2 * m);
  const long double building =
      static_cast<long double>(edge_list_bytes(edges, false)) + scratch +
      static_cast<long double>(build_csr_bytes(vertices, edges, false, !f.directed));
  const long double loaded =
      static_cast<long double>(csr_bytes(vertices, arcs, false)) +
      (weighted ? static_cast<long double>(csr_bytes(vertices, arcs, true)) : 0);
  return whole(std::max(building, loaded));
}

std::string describe_generator(const GeneratorFlags& f) {
  const std::string model = canonical_model(f.model);
  const double degree = f.degree > 0 ? f.degree : default_degree(model);
  std::string s;
  if (model == "rmat")
    s = fmt::format("rmat scale {}, edge factor {}, a={} b={} c={}", f.scale, f.edge_factor, f.a,
                    f.b, f.c);
  else if (model == "er")
    s = f.app->count("--edges") ? fmt::format("er {} vertices, {} edges", f.vertices, f.edges)
                                : fmt::format("er {} vertices, mean degree {}", f.vertices, degree);
  else if (model == "ba")
    s = fmt::format("ba {} vertices, {} edges per new vertex", f.vertices, degree);
  else if (model == "ws")
    s = fmt::format("ws {} vertices, k={}, beta={}", f.vertices, degree, f.beta);
  else
    s = fmt::format("chunglu {} vertices, mean degree {}, gamma={}", f.vertices, degree, f.gamma);
  return f.directed ? s + ", directed" : s;
}

}  // namespace cascade::cli
