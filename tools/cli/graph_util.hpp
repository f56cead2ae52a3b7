#pragma once
// Graph helpers shared by the subcommands: loading with CLI-friendly errors, arc weights
// assigned from a command-line spec, and the generator flags of `generate`.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "cascade/edge_list.hpp"
#include "cascade/graph.hpp"
#include "cascade/io.hpp"

namespace cascade::cli {

/// Loads a graph file (any format, by extension). Every failure is a FileError naming the path
/// (an InvalidArgument from building the CSR of a text file is re-thrown as one), or a
/// ResourceError naming it when the graph would not fit in memory.
Graph load_input(const std::string& path, const LoadOptions& options = {});

/// The arcs of g as an edge list (directed, with g's weights).
EdgeList to_edge_list(const Graph& g);

/// --weights: how to (re)assign arc probabilities.
struct WeightSpec {
  enum class Kind { kKeep, kNone, kConstant, kWeightedCascade, kRandom };
  Kind kind = Kind::kKeep;
  double p = 0.0;
  /// Parses "none", "wc", "random" or a probability in [0, 1]; throws UsageError naming `flag`.
  static WeightSpec parse(const std::string& text, const std::string& flag);
};

/// The help text of --weights.
inline constexpr const char* kWeightsHelp =
    "arc probabilities to store: a constant P in [0,1], 'wc' (1/in-degree of the target), "
    "'random' (uniform in (0,1], the same for u->v and v->u, from --seed) or 'none' (drop)";

/// g with weights assigned per spec (kKeep returns g). O(n + m).
Graph apply_weights(const Graph& g, const WeightSpec& spec, std::uint64_t seed);

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
