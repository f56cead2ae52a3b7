// Scenario files: limits and network building (reading and writing the files: frontend/).
#include "cascade/scenario.hpp"

#include <cmath>
#include <cstdio>
#include <string>

#include "cascade/builder.hpp"
#include "cascade/error.hpp"
#include "cascade/generators.hpp"
#include "cascade/io.hpp"
#include "cascade/memory.hpp"

namespace cascade {

void check_scenario_limits(const Scenario& s) {
  const std::string origin = s.path.empty() ? "<scenario>" : s.path;
  const auto fail = [&origin](const std::string& what) { throw FileError(origin + ": " + what); };
  const auto g = [](double x) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", x);
    return std::string(text);
  };
  if (!(std::isfinite(s.horizon_hours) && s.horizon_hours > 0))
    fail("horizon_hours " + g(s.horizon_hours) + ": expected a finite number of hours > 0");
  const double points = s.horizon_hours / s.curve_step_hours + 1;
  if (!(points <= kMaxCurvePoints))
    fail("horizon_hours " + g(s.horizon_hours) + " in steps of curve_step_hours " +
         g(s.curve_step_hours) + " is " + g(points) + " curve points, more than the limit of " +
         g(kMaxCurvePoints) + "; use a larger step or a shorter horizon");
  const double width = s.delta_hours > 0 ? s.delta_hours : s.delay.median_hours / 2;
  const double buckets = s.horizon_hours / width;
  if (!(buckets <= kMaxDelayBuckets))
    fail("horizon_hours " + g(s.horizon_hours) + " in delta-stepping buckets of " + g(width) +
         " hours (delay.delta_hours, or delay.median_hours / 2) is " + g(buckets) +
         " buckets, more than the limit of " + g(kMaxDelayBuckets) +
         "; use a larger delay.delta_hours");
  const double draws =
      static_cast<double>(s.targets.count) * static_cast<double>(s.targets.witnesses);
  if (!(draws <= static_cast<double>(kMaxWitnessDraws)))
    fail("targets.count " + std::to_string(s.targets.count) + " x targets.witnesses " +
         std::to_string(s.targets.witnesses) + " is " + g(draws) +
         " witnesses per trial, more than the limit of " + std::to_string(kMaxWitnessDraws));
  // Per trial and regime: three curves of 8-byte counts, 8 bytes of hours per target, and a
  // fixed record of about 128 bytes.
  const double regimes = s.regimes.empty() ? 2.0 : static_cast<double>(s.regimes.size());
  const double bytes =
      regimes * static_cast<double>(s.trials) *
      (24.0 * std::floor(points) + 8.0 * static_cast<double>(s.targets.count) + 128.0);
  require_memory(bytes >= 1.8e19 ? UINT64_MAX : static_cast<std::uint64_t>(bytes),
                 origin + ": " + std::to_string(s.trials) + " trials x " + g(regimes) +
                     " regimes x " + g(std::floor(points)) + " curve points");
}

// The scenario's network as the registry's GeneratorSpec: the scenario keys keep their names
// (mean_degree, degree, k) and meanings; the registry runs the generator.
GeneratorSpec generator_spec(const NetworkSpec& n) {
  GeneratorSpec spec;
  const std::string_view model = find_generator(n.generator).name;
  spec.model = std::string(model);
  spec.vertices = n.vertices;
  if (model == "rmat") {
    spec.rmat.scale = n.scale;
    spec.rmat.edge_factor = n.edge_factor;
    spec.rmat.a = n.a, spec.rmat.b = n.b, spec.rmat.c = n.c;
  } else if (model == "er") {
    spec.edges = n.edges ? n.edges : 5 * n.vertices;
  } else if (model == "ba") {
    spec.degree = static_cast<double>(n.degree);
  } else if (model == "ws") {
    spec.degree = static_cast<double>(n.k);
    spec.beta = n.beta;
  } else {  // chunglu
    spec.degree = n.mean_degree;
    spec.gamma = n.gamma;
  }
  return spec;
}

LoadOptions network_load_options(const NetworkSpec& n) {
  LoadOptions load;
  load.weights = WeightRule::parse(n.weights, "network.weights");
  load.build.symmetrize = n.undirected.value_or(false);
  load.directed = n.undirected.has_value() && !*n.undirected;
  return load;
}

Graph build_scenario_network(const Scenario& scenario) {
  const NetworkSpec& n = scenario.network;
  if (n.generator == "file") return load_graph(n.path, network_load_options(n));
  return build_csr(generate(generator_spec(n), n.seed));
}

}  // namespace cascade
