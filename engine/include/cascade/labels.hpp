#pragma once
// Vertex labels: the string node ids of GraphML, GML, Pajek and CSV files ("alice", "Mr. Hi"),
// kept with the graph so that seeds can be named and outputs can print people, not numbers.
// Vertex v of a labelled graph is the v-th distinct node of its file (file order); a graph
// whose labels would all be their own ids ("0", "1", ... in order) carries none.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cascade/types.hpp"

namespace cascade {

class Graph;

class VertexLabels {
 public:
  /// Takes one label per vertex. Throws InvalidArgument for an empty label, a label with a
  /// control character (a byte below 0x20 or 0x7f: it could not be named on one line) or a
  /// label given twice, naming the vertices. O(n) expected.
  explicit VertexLabels(std::vector<std::string> names);
  VertexLabels(const VertexLabels&) = delete;  // the index points into names_
  VertexLabels& operator=(const VertexLabels&) = delete;

  std::uint64_t size() const { return names_.size(); }
  const std::string& operator[](Vertex v) const { return names_[v]; }
  const std::vector<std::string>& names() const { return names_; }
  /// The vertex with this label, if any. O(1) expected.
  std::optional<Vertex> find(std::string_view label) const;

  friend bool operator==(const VertexLabels& a, const VertexLabels& b) {
    return a.names_ == b.names_;
  }

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string_view, Vertex> index_;
};

/// Labels for a graph from one name per vertex: null when every names[v] is the decimal text of
/// v (nothing to keep), else VertexLabels (throws as its constructor does).
std::shared_ptr<const VertexLabels> make_labels(std::vector<std::string> names);

/// The label of v, or its decimal id when g has no labels. O(1).
std::string vertex_name(const Graph& g, Vertex v);

/// The vertex a user named: a label of g (when g has labels), else a decimal id below
/// num_vertices(). A label wins over an id of the same text. nullopt when neither. O(1)
/// expected.
std::optional<Vertex> find_vertex(const Graph& g, std::string_view text);

}  // namespace cascade
