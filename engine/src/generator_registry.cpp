// The generator registry (generators.hpp): names, aliases and defaults of every generator, and
// generate(GeneratorSpec) that maps the common parameters onto each one.
#include <cmath>
#include <string>

#include "cascade/error.hpp"
#include "cascade/generators.hpp"

namespace cascade {
namespace {

constexpr std::string_view kRmatAliases[] = {"r-mat", "kronecker"};
constexpr std::string_view kErAliases[] = {"erdos-renyi", "gnm"};
constexpr std::string_view kBaAliases[] = {"barabasi-albert"};
constexpr std::string_view kWsAliases[] = {"watts-strogatz"};
constexpr std::string_view kChungLuAliases[] = {"chung-lu"};

const GeneratorInfo kGenerators[] = {
    {"rmat", "rmat", kRmatAliases, 0.0,
     "R-MAT / Kronecker: 2^scale vertices, edge_factor edges each"},
    {"er", "erdos-renyi", kErAliases, 16.0, "Erdos-Renyi G(n, m): degree = mean degree"},
    {"ba", "barabasi-albert", kBaAliases, 8.0, "Barabasi-Albert: degree = edges per new vertex"},
    {"ws", "watts-strogatz", kWsAliases, 10.0,
     "Watts-Strogatz: degree = ring neighbours k, beta = rewiring"},
    {"chunglu", "chung-lu", kChungLuAliases, 16.0,
     "Chung-Lu power law: degree = mean degree, gamma = exponent"},
};

std::uint64_t whole_degree(double degree, std::string_view model) {
  if (!(degree >= 1) || degree != std::floor(degree) || degree > 1e18)
    throw InvalidArgument("degree " + std::to_string(degree) + ": " + std::string(model) +
                          " needs a whole number >= 1");
  return static_cast<std::uint64_t>(degree);
}

}  // namespace

std::span<const GeneratorInfo> generator_registry() { return kGenerators; }

const GeneratorInfo& find_generator(std::string_view name) {
  for (const GeneratorInfo& g : kGenerators) {
    if (name == g.name) return g;
    for (std::string_view alias : g.aliases)
      if (name == alias) return g;
  }
  throw InvalidArgument("unknown generator '" + std::string(name) +
                        "': expected rmat, er, ba, ws or chunglu");
}

EdgeList generate(const GeneratorSpec& spec, std::uint64_t seed) {
  const GeneratorInfo& info = find_generator(spec.model);
  const double degree = spec.degree > 0 ? spec.degree : info.default_degree;
  const std::uint64_t n = spec.vertices;
  EdgeList el;
  if (info.name == "rmat") {
    el = generate_rmat(spec.rmat, seed, spec.directed);
  } else if (info.name == "er") {
    std::uint64_t m = spec.edges;
    if (m == 0) {
      const double want = static_cast<double>(n) * degree / (spec.directed ? 1.0 : 2.0);
      m = static_cast<std::uint64_t>(std::llround(want));
    }
    el = generate_erdos_renyi(n, m, seed, spec.directed);
  } else if (info.name == "ba") {
    el = generate_barabasi_albert(n, whole_degree(degree, info.name), seed);
  } else if (info.name == "ws") {
    el = generate_watts_strogatz(n, whole_degree(degree, info.name), spec.beta, seed);
  } else {
    el = generate_chung_lu(n, degree, spec.gamma, seed);
  }
  if (spec.directed) el.undirected = false;
  return el;
}

}  // namespace cascade
