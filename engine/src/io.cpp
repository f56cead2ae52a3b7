// Format dispatch: by file extension.
#include "cascade/io.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace cascade {

FileFormat format_from_path(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".csr") return FileFormat::kCsr;
  if (ext == ".mtx" || ext == ".mm") return FileFormat::kMatrixMarket;
  return FileFormat::kEdgeList;
}

Graph load_graph(const std::string& path, const LoadOptions& options) {
  switch (format_from_path(path)) {
    case FileFormat::kCsr:
      return load_csr(path, options);
    case FileFormat::kMatrixMarket:
      return build_csr(read_matrix_market(path), options.build);
    case FileFormat::kEdgeList:
      break;
  }
  return build_csr(read_edge_list(path), options.build);
}

void save_graph(const Graph& g, const std::string& path) {
  switch (format_from_path(path)) {
    case FileFormat::kCsr:
      return write_csr(g, path);
    case FileFormat::kMatrixMarket:
      return write_matrix_market(g, path);
    case FileFormat::kEdgeList:
      break;
  }
  write_edge_list(g, path);
}

}  // namespace cascade
