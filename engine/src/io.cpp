// Format dispatch: by file extension.
#include "cascade/io.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

#include "cascade/error.hpp"
#include "compression.hpp"

namespace cascade {

namespace {

std::string format_extension(const std::string& path) {
  std::string ext =
      std::filesystem::path(detail::strip_compression_extension(path)).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

}  // namespace

FileFormat format_from_path(const std::string& path) {
  std::string ext = format_extension(path);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".csr") return FileFormat::kCsr;
  if (ext == ".mtx" || ext == ".mm") return FileFormat::kMatrixMarket;
  if (ext == ".csv") return FileFormat::kCsv;
  if (ext == ".graphml") return FileFormat::kGraphMl;
  if (ext == ".gml") return FileFormat::kGml;
  if (ext == ".net" || ext == ".pajek") return FileFormat::kPajek;
  return FileFormat::kEdgeList;
}

const std::vector<std::string>& graph_output_extensions() {
  static const std::vector<std::string> extensions = {
      ".csr", ".el", ".wel", ".txt",     ".edges", ".edgelist", ".tsv",
      ".mtx", ".mm", ".csv", ".graphml", ".gml",   ".net",      ".pajek"};
  return extensions;
}

void check_graph_output_path(const std::string& path) {
  const std::string ext = format_extension(path);  // lower case, after any .gz / .zst
  const auto& known = graph_output_extensions();
  if (std::find(known.begin(), known.end(), ext) != known.end()) return;
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  const bool stream =
      path.rfind("/dev/", 0) == 0 || path.rfind("/proc/self/fd/", 0) == 0 ||
      (!ec && (std::filesystem::is_character_file(status) || std::filesystem::is_fifo(status)));
  if (ext.empty() && stream) return;  // a device or a pipe: an edge list streams through it
  std::string list;
  for (const auto& e : known) list += (list.empty() ? "" : ", ") + e;
  throw InvalidArgument(path + ": " +
                        (ext.empty() ? std::string("no extension to choose the output format")
                                     : "unknown output format '" + ext + "'") +
                        "; supported: " + list + " (each may be followed by .gz or .zst)");
}

namespace {

// build_csr() of a file's edges; a refusal for lack of memory names the file, since the sizes
// came from it (e.g. a Matrix Market size line declaring 2^32 - 1 rows).
Graph build_from_file(const EdgeList& list, const std::string& path, const BuildOptions& build) {
  try {
    return build_csr(list, build);
  } catch (const ResourceError& e) {
    throw ResourceError(path + ": " + e.what());
  }
}

// The text file's edges, read by the weight rule; a file's own undirected declaration is
// dropped when the caller asks for a directed reading.
EdgeList read_text(const std::string& path, const LoadOptions& options) {
  EdgeList list;
  switch (format_from_path(path)) {
    case FileFormat::kMatrixMarket:
      list = read_matrix_market(path, options.weights);
      break;
    case FileFormat::kCsv:
      list = read_csv(path, options.weights);
      break;
    case FileFormat::kGraphMl:
      list = read_graphml(path, options.weights);
      break;
    case FileFormat::kGml:
      list = read_gml(path, options.weights);
      break;
    case FileFormat::kPajek:
      list = read_pajek(path, options.weights);
      break;
    default:
      list = read_edge_list(path, options.weights);
  }
  if (options.directed) list.undirected = false;
  return list;
}

// The structural weight rules (wc, trivalency) on the built graph; an InvalidArgument names the
// file.
Graph weigh(const Graph& g, const std::string& path, const WeightRule& rule) {
  try {
    return apply_weight_rule(g, rule);
  } catch (const InvalidArgument& e) {
    throw FileError(path + ": " + e.what());
  }
}

}  // namespace

Graph load_graph(const std::string& path, const LoadOptions& options) {
  if (format_from_path(path) == FileFormat::kCsr)
    return weigh(load_csr(path, options), path, options.weights);
  const Graph g = build_from_file(read_text(path, options), path, options.build);
  // Value rules were applied while reading; what is left: wc and trivalency.
  const bool structural = options.weights.kind == WeightRule::Kind::kWeightedCascade ||
                          options.weights.kind == WeightRule::Kind::kTrivalency;
  return structural ? weigh(g, path, options.weights) : g;
}

void save_graph(const Graph& g, const std::string& path) {
  check_graph_output_path(path);
  switch (format_from_path(path)) {
    case FileFormat::kCsr:
      return write_csr(g, path);
    case FileFormat::kMatrixMarket:
      return write_matrix_market(g, path);
    case FileFormat::kCsv:
      return write_csv(g, path);
    case FileFormat::kGraphMl:
      return write_graphml(g, path);
    case FileFormat::kGml:
      return write_gml(g, path);
    case FileFormat::kPajek:
      return write_pajek(g, path);
    case FileFormat::kEdgeList:
      break;
  }
  write_edge_list(g, path);
}

}  // namespace cascade
