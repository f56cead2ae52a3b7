// Edge-list text files (SNAP .txt, GAPBS .el / .wel): "src dst [weight]" per line.
#include <algorithm>
#include <cstring>

#include "cascade/error.hpp"
#include "cascade/io.hpp"
#include "file_util.hpp"
#include "text_parse.hpp"
#include "text_write.hpp"

namespace cascade {

namespace {

// True when a comment line before the first entry declares the graph undirected: SNAP's
// "# Undirected graph: ..." (and data/karate.el's "# Undirected: ...").
bool declares_undirected(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    const std::size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) continue;
    if (line[first] != '#' && line[first] != '%') return false;  // the first entry line
    line.remove_prefix(first + 1);
    const std::size_t word = line.find_first_not_of(" \t");
    if (word != std::string_view::npos && line.substr(word).starts_with("Undirected")) return true;
  }
  return false;
}

}  // namespace

EdgeList read_edge_list(const std::string& path, const WeightRule& weights) {
  const auto file = detail::InputFile::open(path);
  std::string_view text = file->text();
  if (text.empty()) throw FileError(path + ": empty file");
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 byte order mark
  detail::refuse_binary(text, path);

  detail::TextSpec spec;
  spec.src_limit_text = spec.dst_limit_text =
      "the largest allowed id " + std::to_string(kMaxVertices - 1);
  detail::set_weight_rule(spec, weights);
  detail::TextEdges parsed = detail::parse_edge_text(text, 0, path, spec);
  if (parsed.edges.empty() && !parsed.nodes_declared)
    throw FileError(path + ": no edges (only comments or blank lines)");

  EdgeList list;
  list.num_vertices = parsed.edges.empty() ? 0 : parsed.max_id + 1;
  list.num_vertices = std::max(list.num_vertices, parsed.declared_nodes);
  list.edges = std::move(parsed.edges);
  list.weights = std::move(parsed.weights);
  list.undirected = declares_undirected(text);
  apply_weight_values(list, weights);  // in range: checked line by line above
  return list;
}

void write_edge_list(const Graph& g, const std::string& path) {
  detail::AtomicWriter out(path);
  const bool weighted = g.has_weights();
  // A symmetric graph says so, so that it reads back undirected (both arcs are listed).
  out.write("# cascade edge list: one arc \"src dst" + std::string(weighted ? " weight" : "") +
            "\" per line, ids from 0\n" +
            (g.is_symmetric() ? "# Undirected: both arcs of each edge listed\n" : "") +
            "# Nodes: " + std::to_string(g.num_vertices()) +
            " Edges: " + std::to_string(g.num_arcs()) + "\n");
  const std::size_t bytes_per_arc = 10 + 1 + 10 + 1 + (weighted ? 33 : 0);
  detail::write_vertex_text(out, g, bytes_per_arc, [&](Vertex u, char* o) {
    char head[24];
    char* head_end = detail::put_uint(head, u);
    *head_end++ = ' ';
    const auto head_len = static_cast<std::size_t>(head_end - head);
    const auto nbrs = g.out_neighbors(u);
    const auto ws = g.out_weights(u);
    for (std::size_t k = 0; k < nbrs.size(); ++k) {
      std::memcpy(o, head, head_len);
      o = detail::put_uint(o + head_len, nbrs[k]);
      if (weighted) {
        *o++ = ' ';
        o = detail::put_float(o, ws[k]);
      }
      *o++ = '\n';
    }
    return o;
  });
  out.commit();
}

}  // namespace cascade
