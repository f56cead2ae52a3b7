#pragma once
// A scenario: the network, seeds, delays, population behaviour, incentive response, hidden
// targets and the regimes to compare, as a plain value. Scenario files (JSON) are read and
// written by the front end (frontend/: cascade/scenario_file.hpp); every key is documented with
// its default in data/scenarios/README.md.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cascade/beliefs.hpp"
#include "cascade/generators.hpp"
#include "cascade/graph.hpp"
#include "cascade/incentive.hpp"
#include "cascade/io.hpp"
#include "cascade/query_incentive.hpp"
#include "cascade/recruitment.hpp"
#include "cascade/sybil.hpp"
#include "cascade/timed.hpp"

namespace cascade {

/// How to get the network: a generator (engine/generators.hpp) or a graph file.
struct NetworkSpec {
  std::string generator = "chung-lu";   ///< a generator_registry() scenario name (chung-lu,
                                        ///< barabasi-albert, rmat, watts-strogatz, erdos-renyi)
                                        ///< or file
  std::uint64_t vertices = 1 << 20;     ///< all generators but rmat and file
  double mean_degree = 10.0;            ///< chung-lu
  double gamma = 2.5;                   ///< chung-lu power-law exponent (> 2)
  std::uint64_t degree = 5;             ///< barabasi-albert: edges per new vertex
  unsigned scale = 20;                  ///< rmat: 2^scale vertices
  unsigned edge_factor = 8;             ///< rmat
  double a = 0.57, b = 0.19, c = 0.19;  ///< rmat quadrant probabilities
  std::uint64_t k = 10;                 ///< watts-strogatz: ring neighbours (even)
  double beta = 0.1;                    ///< watts-strogatz: rewiring probability
  std::uint64_t edges = 0;              ///< erdos-renyi: m (0: 5 * vertices)
  std::string path;                     ///< file: graph path (relative to the scenario file)
  std::string weights = "none";         ///< file: what its weights mean (cascade/weights.hpp);
                                        ///< recruitment does not use arc weights
  std::optional<bool> undirected;       ///< file: true symmetrizes, false reads as directed,
                                        ///< absent: as the file declares
  std::uint64_t seed = 1;               ///< generator seed
};

struct ScenarioSeeds {
  std::uint64_t count = 4;         ///< random / top-degree
  std::string choice = "random";   ///< random (new seeds each trial), top-degree, ids
  std::vector<Vertex> ids;         ///< choice ids
  std::vector<std::string> names;  ///< choice ids given by vertex label (any entry a string):
                                   ///< every entry as text, resolved on the graph (find_vertex)
};

struct TargetSpec {
  std::uint64_t count = 10;            ///< K hidden targets
  std::uint64_t witnesses = 100;       ///< witness vertices per target (hashed, per trial)
  double appear_hours = 0.0;           ///< targets appear (become visible) at this hour
  double sighting_median_hours = 2.0;  ///< a witness sees its target this long (median,
                                       ///< exponential) after it appears
};

/// One regime: a name, a scheme and an incentive strength (0 turns the response off).
struct RegimeSpec {
  std::string name;
  IncentiveScheme scheme;
  double strength = 1.0;
};

struct Scenario {
  std::string name = "scenario";
  std::string description;
  std::string path;  ///< the file it was read from ("" when parsed from a string)
  NetworkSpec network;
  ScenarioSeeds seeds;
  std::uint64_t master_seed = 2009;
  std::uint64_t trials = 10;
  double horizon_hours = 48.0;
  double curve_step_hours = 1.0;
  DelayModel delay{DelayDistribution::kLogNormal, 2.0, 1.0};
  double delta_hours = 0.0;       ///< delta-stepping bucket width (0: median / 2)
  RecruitmentParams recruitment;  ///< includes the preferences (probability weighting)
  BeliefOptions beliefs;          ///< consistent (default) or assumed
  TargetSpec targets;
  SybilAttack attack;               ///< "attack": false-name attack measured on every regime
  std::vector<RegimeSpec> regimes;  ///< default: virality (none) and incentive (recursive)
  /// "query_incentive": a Kleinberg-Raghavan experiment on random trees instead of a campaign on
  /// the network (cascade sweep runs it; trials and seed are the scenario's).
  QueryExperiment query;
};

/// Limits that bound a scenario's time and memory, checked before any work (read_scenario calls
/// it; call it again after changing trials or hours, as the CLI's --trials / --horizon do):
/// at most kMaxCurvePoints curve points (horizon / step), at most kMaxDelayBuckets delta-stepping
/// buckets (horizon / bucket width), at most kMaxWitnessDraws witnesses over all targets, and the
/// per-trial records of every regime (three curves and the targets' hours) within the memory
/// limit (require_memory, with the estimate). Throws FileError naming s.path and the keys, or
/// ResourceError. O(1).
inline constexpr std::uint64_t kMaxWitnessDraws = 10'000'000;
void check_scenario_limits(const Scenario& s);

/// The network's generator and parameters for the registry (cascade/generators.hpp); throws
/// InvalidArgument for a generator name it does not know (and for "file"). O(1).
GeneratorSpec generator_spec(const NetworkSpec& network);

/// How a 'file' network is read: its weight rule and direction (keys weights, undirected).
LoadOptions network_load_options(const NetworkSpec& network);

/// Generates (through the registry) or loads the scenario's network as a graph. Generators are
/// parallel and deterministic; the result is symmetric for undirected generators.
Graph build_scenario_network(const Scenario& scenario);

}  // namespace cascade
