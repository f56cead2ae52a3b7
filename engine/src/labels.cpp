// Vertex labels (cascade/labels.hpp).
#include "cascade/labels.hpp"

#include <charconv>

#include "cascade/error.hpp"
#include "cascade/graph.hpp"
#include "file_util.hpp"

namespace cascade {

VertexLabels::VertexLabels(std::vector<std::string> names) : names_(std::move(names)) {
  if (names_.size() > kMaxVertices)
    throw InvalidArgument(std::to_string(names_.size()) + " labels exceed the limit of " +
                          std::to_string(kMaxVertices) + " vertices");
  index_.reserve(names_.size());
  for (std::size_t v = 0; v < names_.size(); ++v) {
    const std::string& name = names_[v];
    if (name.empty()) throw InvalidArgument("vertex " + std::to_string(v) + " has an empty label");
    for (const char c : name)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
        throw InvalidArgument("label " + detail::quote(name) + " of vertex " + std::to_string(v) +
                              " holds a control character");
    const auto [at, fresh] = index_.emplace(std::string_view(name), static_cast<Vertex>(v));
    if (!fresh)
      throw InvalidArgument("label " + detail::quote(name) + " names two vertices (" +
                            std::to_string(at->second) + " and " + std::to_string(v) + ")");
  }
}

std::optional<Vertex> VertexLabels::find(std::string_view label) const {
  const auto it = index_.find(label);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

std::shared_ptr<const VertexLabels> make_labels(std::vector<std::string> names) {
  bool identity = true;
  for (std::size_t v = 0; v < names.size() && identity; ++v)
    identity = names[v] == std::to_string(v);
  if (identity) return nullptr;
  return std::make_shared<const VertexLabels>(std::move(names));
}

std::string vertex_name(const Graph& g, Vertex v) {
  return g.has_labels() ? (*g.labels())[v] : std::to_string(v);
}

std::optional<Vertex> find_vertex(const Graph& g, std::string_view text) {
  if (g.has_labels())
    if (const auto v = g.labels()->find(text)) return v;
  std::uint64_t id = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() ||
      id >= g.num_vertices())
    return std::nullopt;
  return static_cast<Vertex>(id);
}

}  // namespace cascade
