// Writers of GraphML, GML and Pajek, in the layout NetworkX writes (nx.write_graphml,
// nx.write_gml, nx.write_pajek), so that NetworkX, igraph and cascade read them back. A
// symmetric graph is written undirected, each edge once (u <= v). Labels are the node ids
// (GraphML), the node labels (GML) and the vertex names (Pajek); an unlabelled graph uses its
// ids ("0", "1", ...), which read back as no labels.
#include <string>

#include "cascade/error.hpp"
#include "cascade/io.hpp"
#include "cascade/labels.hpp"
#include "file_util.hpp"
#include "text_write.hpp"

namespace cascade {

namespace {

// Escapes the five XML special characters (GraphML attribute values; GML strings as NetworkX
// writes them, with numeric character references).
std::string xml_escape(const std::string& s, bool numeric) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '&':
        out += numeric ? "&#38;" : "&amp;";
        break;
      case '<':
        out += numeric ? "&#60;" : "&lt;";
        break;
      case '>':
        out += numeric ? "&#62;" : "&gt;";
        break;
      case '"':
        out += numeric ? "&#34;" : "&quot;";
        break;
      case '\'':
        out += numeric ? "&#39;" : "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string float_text(float w) {
  char buf[32];
  return std::string(buf, detail::put_float(buf, w));
}

// Calls arc(u, v, w) for every arc to write: all of them, or u <= v of a symmetric graph.
template <class Arc>
void for_each_written_arc(const Graph& g, Arc arc) {
  for (Vertex u = 0; u < g.num_vertices(); ++u) {
    const auto nbrs = g.out_neighbors(u);
    const auto ws = g.out_weights(u);
    for (std::size_t k = 0; k < nbrs.size(); ++k)
      if (!g.is_symmetric() || u <= nbrs[k]) arc(u, nbrs[k], ws.empty() ? 1.0f : ws[k]);
  }
}

// Buffers text and hands it to the file in large pieces.
struct Buffered {
  detail::AtomicWriter& out;
  std::string text;
  void add(const std::string& s) {
    text += s;
    if (text.size() > (std::size_t{1} << 20)) flush();
  }
  void flush() {
    out.write(text);
    text.clear();
  }
};

}  // namespace

void write_graphml(const Graph& g, const std::string& path) {
  detail::AtomicWriter file(path);
  Buffered out{file, {}};
  const bool weighted = g.has_weights();
  out.add(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n");
  if (weighted)
    out.add("  <key id=\"d0\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\" />\n");
  out.add(std::string("  <graph edgedefault=\"") + (g.is_symmetric() ? "undirected" : "directed") +
          "\">\n");
  std::vector<std::string> ids(g.num_vertices());
  for (Vertex v = 0; v < g.num_vertices(); ++v) {
    ids[v] = xml_escape(vertex_name(g, v), false);
    out.add("    <node id=\"" + ids[v] + "\" />\n");
  }
  for_each_written_arc(g, [&](Vertex u, Vertex v, float w) {
    out.add("    <edge source=\"" + ids[u] + "\" target=\"" + ids[v] + "\"" +
            (weighted ? ">\n      <data key=\"d0\">" + float_text(w) + "</data>\n    </edge>\n"
                      : " />\n"));
  });
  out.add("  </graph>\n</graphml>\n");
  out.flush();
  file.commit();
}

void write_gml(const Graph& g, const std::string& path) {
  detail::AtomicWriter file(path);
  Buffered out{file, {}};
  out.add(std::string("graph [\n  directed ") + (g.is_symmetric() ? "0" : "1") + "\n");
  for (Vertex v = 0; v < g.num_vertices(); ++v)
    out.add("  node [\n    id " + std::to_string(v) + "\n    label \"" +
            xml_escape(vertex_name(g, v), true) + "\"\n  ]\n");
  for_each_written_arc(g, [&](Vertex u, Vertex v, float w) {
    out.add("  edge [\n    source " + std::to_string(u) + "\n    target " + std::to_string(v) +
            "\n" + (g.has_weights() ? "    weight " + float_text(w) + "\n" : "") + "  ]\n");
  });
  out.add("]\n");
  out.flush();
  file.commit();
}

void write_pajek(const Graph& g, const std::string& path) {
  if (g.has_labels())
    for (const std::string& name : g.labels()->names())
      if (name.find('"') != std::string::npos)
        throw InvalidArgument(path + ": label " + detail::quote(name) +
                              " holds a '\"', which Pajek cannot quote (write .graphml, .gml "
                              "or .csv instead)");
  detail::AtomicWriter file(path);
  Buffered out{file, {}};
  out.add("*Vertices " + std::to_string(g.num_vertices()) + "\n");
  if (g.has_labels())
    for (Vertex v = 0; v < g.num_vertices(); ++v)
      out.add(std::to_string(std::uint64_t{v} + 1) + " \"" + (*g.labels())[v] + "\"\n");
  out.add(g.is_symmetric() ? "*Edges\n" : "*Arcs\n");
  for_each_written_arc(g, [&](Vertex u, Vertex v, float w) {
    std::string line = std::to_string(std::uint64_t{u} + 1);
    line += ' ';
    line += std::to_string(std::uint64_t{v} + 1);
    if (g.has_weights()) {
      line += ' ';
      line += float_text(w);
    }
    line += '\n';
    out.add(line);
  });
  out.flush();
  file.commit();
}

}  // namespace cascade
