#pragma once
// Internal: the parallel line parser shared by the edge-list and Matrix Market readers.
// The text is cut into blocks at line boundaries, blocks are parsed in parallel with
// std::from_chars, and the results are concatenated in file order. Errors are reported for the
// first bad line in file order, so the outcome never depends on the thread count.
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "cascade/edge_list.hpp"
#include "cascade/types.hpp"
#include "cascade/weights.hpp"

namespace cascade::detail {

struct TextSpec {
  enum class Weights { kOptional, kNever, kAlways };
  std::uint64_t id_base = 0;               ///< 1 for Matrix Market: ids are stored minus this
  std::uint64_t src_limit = kMaxVertices;  ///< ids (after the base) must be below this
  std::uint64_t dst_limit = kMaxVertices;
  Weights weights = Weights::kOptional;  ///< kOptional: on every line or on none
  bool snap_header = true;               ///< read "Nodes: N" from comment lines
  std::uint64_t max_entries = std::numeric_limits<std::uint64_t>::max();
  std::string src_name = "vertex id";  ///< names in messages ("row index" for Matrix Market)
  std::string dst_name = "vertex id";
  std::string weight_name = "weight";
  double weight_min = 0.0;  ///< accepted raw weights (finite, within these)
  double weight_max = 1.0;
  std::string weight_range_text = "outside [0, 1]";  ///< why a weight outside them is refused
  std::string src_limit_text;  ///< why an id is too large, e.g. "the declared 5 rows"
  std::string dst_limit_text;
  std::string too_many_text;      ///< message for an entry beyond max_entries
  std::string extra_column_text;  ///< appended when a kNever line has a third column
};

struct TextEdges {
  std::vector<Edge> edges;
  std::vector<float> weights;   ///< empty unless the lines carry weights
  std::uint64_t max_id = 0;     ///< largest id seen (after the base); meaningless without edges
  bool nodes_declared = false;  ///< a "Nodes: N" comment was seen
  std::uint64_t declared_nodes = 0;
};

/// Parses "src dst [weight]" lines of text, which holds lines first_line+1, first_line+2, ... of
/// path ('#'/'%' comments, blank lines, any whitespace, CR before LF). Throws FileError
/// "path:line: what" for the first bad line. O(text size), parallel.
TextEdges parse_edge_text(std::string_view text, std::uint64_t first_line, const std::string& path,
                          const TextSpec& spec);

/// Sets the accepted raw weight range and its message from rule (named in the message).
inline void set_weight_rule(TextSpec& spec, const WeightRule& rule) {
  spec.weight_min = rule.min_value();
  spec.weight_max = rule.max_value();
  spec.weight_range_text = rule.range_text();
}

/// Lines in text before position pos (counts '\n').
std::uint64_t count_lines(std::string_view text, std::size_t pos);

}  // namespace cascade::detail
