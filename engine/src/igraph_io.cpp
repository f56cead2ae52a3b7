// GraphML, GML and Pajek files, read by libigraph (a private dependency of the engine) and
// turned into an EdgeList with labels. igraph's default error handler aborts the process: a
// handler of ours is installed around each read, so that every fault becomes one FileError
// naming the file. igraph's handlers and attribute table are process-wide, hence the mutex.
#include <igraph.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cascade/error.hpp"
#include "cascade/io.hpp"
#include "cascade/labels.hpp"
#include "file_util.hpp"

namespace cascade {

namespace {

std::mutex igraph_mutex;
std::string igraph_fault;  // the first message of the failing call (under igraph_mutex)

void on_igraph_error(const char* reason, const char*, int, igraph_error_t error) {
  if (igraph_fault.empty())
    igraph_fault = reason != nullptr && *reason != '\0' ? reason : igraph_strerror(error);
  IGRAPH_FINALLY_FREE();  // igraph's temporary memory; reason is invalid afterwards
}

void on_igraph_warning(const char*, const char*, int) {}

// Installs our handlers and the C attribute table for one read; restores the previous ones.
class IgraphSession {
 public:
  IgraphSession()
      : lock_(igraph_mutex),
        error_(igraph_set_error_handler(on_igraph_error)),
        warning_(igraph_set_warning_handler(on_igraph_warning)),
        table_(igraph_set_attribute_table(&igraph_cattribute_table)) {
    igraph_fault.clear();
  }
  ~IgraphSession() {
    igraph_set_attribute_table(table_);
    igraph_set_warning_handler(warning_);
    igraph_set_error_handler(error_);
  }
  IgraphSession(const IgraphSession&) = delete;
  IgraphSession& operator=(const IgraphSession&) = delete;

 private:
  std::lock_guard<std::mutex> lock_;
  igraph_error_handler_t* error_;
  igraph_warning_handler_t* warning_;
  igraph_attribute_table_t* table_;
};

// One line: igraph's messages may end in a newline or a full stop.
std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  while (!s.empty() && (s.back() == ' ' || s.back() == '.')) s.pop_back();
  return s;
}

struct GraphGuard {
  igraph_t* g = nullptr;
  ~GraphGuard() {
    if (g != nullptr) igraph_destroy(g);
  }
};

struct FileGuard {
  std::FILE* f;
  ~FileGuard() { std::fclose(f); }
};

std::string number_label(double v) {
  if (std::nearbyint(v) == v && std::fabs(v) < 1e18)
    return std::to_string(static_cast<long long>(v));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

bool has_attribute(const igraph_t& g, igraph_attribute_elemtype_t kind, const char* name,
                   igraph_attribute_type_t& type) {
  if (!igraph_cattribute_has_attr(&g, kind, name)) return false;
  return igraph_cattribute_table.gettype(&g, &type, kind, name) == IGRAPH_SUCCESS;
}

// Vertex v's name from the first of attributes the file has (a string, or a number).
std::vector<std::string> vertex_names(const igraph_t& g,
                                      std::initializer_list<const char*> attributes) {
  const auto n = static_cast<std::size_t>(igraph_vcount(&g));
  for (const char* attr : attributes) {
    igraph_attribute_type_t type;
    if (!has_attribute(g, IGRAPH_ATTRIBUTE_VERTEX, attr, type)) continue;
    std::vector<std::string> names(n);
    for (std::size_t v = 0; v < n; ++v) {
      const auto id = static_cast<igraph_integer_t>(v);
      if (type == IGRAPH_ATTRIBUTE_STRING)
        names[v] = VAS(&g, attr, id);
      else if (type == IGRAPH_ATTRIBUTE_NUMERIC)
        names[v] = number_label(VAN(&g, attr, id));
      else
        break;
    }
    return names;
  }
  return {};
}

enum class Markup { kGraphMl, kGml, kPajek };

// Appends code point c as UTF-8.
void put_utf8(std::string& out, std::uint32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xc0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xe0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  }
}

// What igraph leaves of the file's escapes, decoded in one left-to-right pass: GML strings keep
// the numeric character references NetworkX writes ("&#34;" for '"', "&#233;" for e-acute;
// igraph decodes only the named ones), and igraph's GraphML reader hands back an escaped '&'
// as "&#38;" (every other reference it decodes).
std::string decode_references(const std::string& s, bool only_ampersand) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '&' && i + 2 < s.size() && s[i + 1] == '#') {
      const std::size_t semi = s.find(';', i + 2);
      std::uint32_t c = 0;
      bool digits = semi != std::string::npos && semi > i + 2 && semi - i <= 9;
      for (std::size_t k = i + 2; digits && k < semi; ++k) {
        digits = s[k] >= '0' && s[k] <= '9';
        c = 10 * c + static_cast<std::uint32_t>(s[k] - '0');
      }
      if (digits && c > 0 && c <= 0x10ffff && (!only_ampersand || c == '&')) {
        put_utf8(out, c);
        i = semi;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

EdgeList read_with_igraph(const std::string& path, const WeightRule& rule, Markup markup) {
  const auto file = detail::InputFile::open(path);  // decompresses .gz / .zst
  std::string_view text = file->text();
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw FileError(path + ": empty file");
  detail::refuse_binary(text, path);
  std::FILE* stream = fmemopen(const_cast<char*>(text.data()), text.size(), "r");
  if (stream == nullptr) throw FileError(path + ": cannot read: " + detail::errno_text(errno));
  FileGuard close_stream{stream};

  const char* format = markup == Markup::kGraphMl ? "GraphML"
                       : markup == Markup::kGml   ? "GML"
                                                  : "Pajek";
  IgraphSession session;
  igraph_t graph;
  igraph_error_t rc = IGRAPH_SUCCESS;
  switch (markup) {
    case Markup::kGraphMl:
      rc = igraph_read_graph_graphml(&graph, stream, 0);
      break;
    case Markup::kGml:
      rc = igraph_read_graph_gml(&graph, stream);
      break;
    case Markup::kPajek:
      rc = igraph_read_graph_pajek(&graph, stream);
      break;
  }
  if (rc != IGRAPH_SUCCESS)
    throw FileError(path + ": not a valid " + format + " file: " +
                    one_line(igraph_fault.empty() ? igraph_strerror(rc) : igraph_fault));
  GraphGuard destroy{&graph};

  const auto n = static_cast<std::uint64_t>(igraph_vcount(&graph));
  const auto m = static_cast<std::uint64_t>(igraph_ecount(&graph));
  if (n > kMaxVertices)
    throw FileError(path + ": " + std::to_string(n) + " nodes, more than the limit of " +
                    std::to_string(kMaxVertices));
  EdgeList list;
  list.num_vertices = n;
  list.undirected = !igraph_is_directed(&graph);
  list.edges.resize(m);
  for (std::uint64_t e = 0; e < m; ++e) {
    igraph_integer_t from = 0, to = 0;
    igraph_edge(&graph, static_cast<igraph_integer_t>(e), &from, &to);
    list.edges[e] = {static_cast<Vertex>(from), static_cast<Vertex>(to)};
  }

  std::vector<std::string> names = markup == Markup::kGraphMl ? vertex_names(graph, {"id"})
                                   : markup == Markup::kGml   ? vertex_names(graph, {"label", "id"})
                                                              : vertex_names(graph, {"name", "id"});
  if (markup != Markup::kPajek)
    for (std::string& name : names) name = decode_references(name, markup == Markup::kGraphMl);
  try {
    if (!names.empty()) list.labels = make_labels(std::move(names));
  } catch (const InvalidArgument& e) {
    throw FileError(path + ": " + e.what());
  }
  auto edge_text = [&](std::uint64_t e) {
    const auto name = [&](Vertex v) {
      return list.labels ? detail::quote((*list.labels)[v]) : std::to_string(v);
    };
    return "edge " + std::to_string(e + 1) + " (" + name(list.edges[e].src) + " -> " +
           name(list.edges[e].dst) + ")";
  };

  igraph_attribute_type_t type;
  if (has_attribute(graph, IGRAPH_ATTRIBUTE_EDGE, "weight", type)) {
    if (type != IGRAPH_ATTRIBUTE_NUMERIC)
      throw FileError(path + ": the edge attribute 'weight' is not a number");
    list.weights.resize(m);
    for (std::uint64_t e = 0; e < m; ++e) {
      const double w = EAN(&graph, "weight", static_cast<igraph_integer_t>(e));
      const std::string value = "weight " + number_label(w);
      if (!std::isfinite(w))
        throw FileError(path + ": " + edge_text(e) + ": " + value + " is not a finite number");
      if (!(w >= rule.min_value() && w <= rule.max_value()))
        throw FileError(path + ": " + edge_text(e) + ": " + value + " " + rule.range_text());
      list.weights[e] = static_cast<float>(w) + 0.0f;
    }
  }
  apply_weight_values(list, rule);  // in range: checked above
  return list;
}

}  // namespace

EdgeList read_graphml(const std::string& path, const WeightRule& weights) {
  return read_with_igraph(path, weights, Markup::kGraphMl);
}

EdgeList read_gml(const std::string& path, const WeightRule& weights) {
  return read_with_igraph(path, weights, Markup::kGml);
}

EdgeList read_pajek(const std::string& path, const WeightRule& weights) {
  return read_with_igraph(path, weights, Markup::kPajek);
}

}  // namespace cascade
