#pragma once
// Graph helpers shared by the subcommands: loading with CLI-friendly errors, arc weights
// assigned from a command-line spec, and the generator flags of `generate`.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "cascade/edge_list.hpp"
#include "cascade/graph.hpp"
#include "cascade/io.hpp"
#include "cascade/weights.hpp"

namespace cascade::cli {

/// Loads a graph file (any format, by extension). Every failure is a FileError naming the path
/// (an InvalidArgument from building the CSR of a text file is re-thrown as one), or a
/// ResourceError naming it when the graph would not fit in memory.
Graph load_input(const std::string& path, const LoadOptions& options = {});

/// The arcs of g as an edge list (directed, with g's weights).
EdgeList to_edge_list(const Graph& g);

/// --weights of convert and generate: how to (re)assign arc probabilities.
struct WeightSpec {
  enum class Kind { kKeep, kRule, kConstant, kRandom };
  Kind kind = Kind::kKeep;
  double p = 0.0;
  WeightRule rule;  ///< kRule: none, wc, trivalency, or a rule reading the file's values
  /// Parses a weight rule (cascade/weights.hpp), "random" or a probability in [0, 1]; throws
  /// UsageError naming `flag`.
  static WeightSpec parse(const std::string& text, const std::string& flag);
  /// The rule to read the input file with: the spec's own rule when it reads values,
  /// probability for kKeep, none when the weights are replaced afterwards.
  WeightRule read_rule() const;
  /// True when apply_weights() stores new weights (constant, random, wc, trivalency).
  bool assigns_weights() const {
    return kind == Kind::kConstant || kind == Kind::kRandom ||
           (kind == Kind::kRule && (rule.kind == WeightRule::Kind::kWeightedCascade ||
                                    rule.kind == WeightRule::Kind::kTrivalency));
  }
};

/// The help text of --weights in convert and generate.
inline constexpr const char* kWeightsHelp =
    "arc probabilities to store: a weight rule (probability: the file's weights as they are; "
    "none; scale:C; max; exp:S for 1-exp(-w/S); wc for 1/in-degree; trivalency), a constant P "
    "in [0,1], or 'random' (uniform in (0,1], the same for u->v and v->u, from --seed)";

/// The help text of --weights in commands that simulate (the value is optional).
inline constexpr const char* kUseWeightsHelp =
    "use arc weights as probabilities (lt: influence), read by the rule RULE (default "
    "probability; none, scale:C, max, exp:S for 1-exp(-w/S), wc for 1/in-degree, trivalency)";

/// Adds --weights [RULE] (kUseWeightsHelp) and --weighted-cascade (help wc_help) to a command
/// that simulates, in the group "Probabilities": the two and the command's -p option p exclude
/// each other.
void add_arc_model_options(CLI::App* sub, CLI::Option* p, std::string& weights_rule,
                           bool& weighted_cascade, const std::string& wc_help);

/// Parses a weight rule; UsageError naming flag (exit 2).
WeightRule parse_weight_rule(const std::string& text, const std::string& flag);

/// g with weights assigned per spec after reading (kKeep and value rules return g: those were
/// applied while reading). O(n + m).
Graph apply_weights(const Graph& g, const WeightSpec& spec, std::uint64_t seed);

/// How a command reads the direction of a graph file.
struct DirectionFlags {
  bool undirected = false;  ///< --undirected (alias --symmetrize): store both arcs of each line
  bool directed = false;    ///< --directed: ignore the file's own "undirected" declaration
};

/// Adds --undirected (alias --symmetrize) and --directed to a subcommand that reads a graph.
void add_direction_options(CLI::App* sub, DirectionFlags& flags);

/// LoadOptions from the direction flags and a weight rule.
LoadOptions load_options(const DirectionFlags& flags, const WeightRule& weights);

/// Generator choice and parameters as given on the command line.
struct GeneratorFlags {
  std::string model;  ///< rmat, er, ba, ws, chunglu (long names accepted)
  unsigned scale = 20;
  unsigned edge_factor = 16;
  double a = 0.57, b = 0.19, c = 0.19;
  bool no_permute = false;
  std::uint64_t vertices = 1u << 20;
  double degree = 0;  ///< 0: the model's default
  std::uint64_t edges = 0;
  double beta = 0.1;
  double gamma = 2.5;
  bool directed = false;
  CLI::App* app = nullptr;  ///< where the options live (to see which were given)
};

/// Adds the generator parameter flags (not MODEL) to a subcommand.
void add_generator_options(CLI::App* sub, GeneratorFlags& flags);

/// The canonical model name ("rmat", "er", "ba", "ws", "chunglu") or throws UsageError.
std::string canonical_model(const std::string& name);

/// Checks that only flags of the chosen model were given and that rmat's a + b + c <= 1
/// (UsageError naming the flag).
void check_generator_flags(const GeneratorFlags& flags);

/// check_generator_flags(), then runs the generator. Impossible values throw InvalidArgument
/// (exit 2).
EdgeList run_generator(const GeneratorFlags& flags, std::uint64_t seed);

/// Peak bytes `cascade generate` needs for these flags: the generator's edge list (and scratch)
/// plus build_csr, or the graph plus its weighted copy when `weighted` (--weights). O(1); see
/// cascade/memory.hpp.
std::uint64_t generator_memory(const GeneratorFlags& flags, bool weighted);

/// One-line description, e.g. "rmat scale 20, edge factor 16".
std::string describe_generator(const GeneratorFlags& flags);

}  // namespace cascade::cli
