#pragma once
// What the numbers in a graph file's weight column mean (--weights, scenario key `weights`).
// A file may carry any real weight (GAPBS .wel integers, NetworkX weights, Matrix Market
// values); the rule turns it into an arc probability in [0, 1], or replaces it:
//   probability    the weight is the probability (default); outside [0, 1] is an error
//   none           weights are dropped (alias: ignore)
//   scale:C        p = C * w (C > 0); C * w outside [0, 1] is an error
//   max            p = w / (largest weight of the file); weights must be >= 0
//   exp:S          p = 1 - exp(-w / S) (S > 0); weights must be >= 0
//   wc             weighted cascade: p(u->v) = 1 / in-degree(v), the file's weights ignored
//   trivalency     p(u->v) drawn from {0.1, 0.01, 0.001} by a counter-based hash of (u, v)
#include <cstdint>
#include <string>
#include <string_view>

#include "cascade/edge_list.hpp"
#include "cascade/graph.hpp"

namespace cascade {

struct WeightRule {
  enum class Kind {
    kProbability,
    kNone,
    kScale,
    kMax,
    kExponential,
    kWeightedCascade,
    kTrivalency
  };
  Kind kind = Kind::kProbability;
  double parameter = 1.0;            ///< C of scale:C, S of exp:S
  std::string option = "--weights";  ///< named in error messages (a flag or a scenario key)

  /// Parses "probability", "none", "ignore", "scale:C", "max", "exp:S", "wc", "trivalency";
  /// throws InvalidArgument naming option and text.
  static WeightRule parse(std::string_view text, std::string option = "--weights");
  /// The canonical text of the rule ("scale:0.01", "wc", ...); parse(name()) gives it back.
  std::string name() const;
  /// True when the rule reads the file's weight values (probability, scale, max, exp).
  bool reads_values() const;
  /// Smallest and largest raw weight the rule accepts (finite values only).
  double min_value() const;
  double max_value() const;
  /// Why a raw weight outside [min_value(), max_value()] is refused, e.g. "outside [0, 1], read
  /// as a probability (--weights probability; for other weights give --weights max, scale:C or
  /// exp:S)".
  std::string range_text() const;
};

/// Replaces raw weights by probabilities in place: probability keeps them, none/wc/trivalency
/// drop them (wc and trivalency are assigned on the built graph), scale/max/exp transform them.
/// Throws InvalidArgument (naming rule.option) for a weight the rule refuses. O(m), parallel.
void apply_weight_values(EdgeList& list, const WeightRule& rule);

/// The graph with the rule's weights: wc and trivalency assigned from the structure; for a graph
/// that already carries probabilities (a .csr file) scale/max/exp transform them and none drops
/// them; probability returns g. O(n + m).
Graph apply_weight_rule(const Graph& g, const WeightRule& rule);

/// The trivalency probability of arc u->v: 0.1, 0.01 or 0.001, each with chance 1/3, from a
/// counter-based hash of the ordered pair (master seed 0, so the same for every run). O(1).
float trivalency_probability(Vertex u, Vertex v);

}  // namespace cascade
