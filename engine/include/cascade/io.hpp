#pragma once
// Graph files. Text: SNAP-style edge lists (also GAPBS .el/.wel) and Matrix Market coordinate.
// Binary: the .csr format, memory-mapped on load without copying.
//
// .csr layout (little endian), all sections 8-byte aligned:
//   header (64 bytes): magic "CASCSR\0\0", u32 version (1), u32 flags (bit 0 weighted,
//     bit 1 symmetric), u64 vertices, u64 arcs, u64 payload bytes, u64 XXH3-64 of the payload,
//     16 reserved bytes (zero)
//   payload: offsets[vertices + 1] (u64), targets[arcs] (u32, padded to 8 bytes),
//            weights[arcs] (f32, only when weighted, padded to 8 bytes)
//
// Every writer writes to "<path>.tmp-<pid>" and renames it over path, so a file is complete or
// absent. Every reader error is a FileError naming the path and the line (text) or byte offset.
#include <cstdint>
#include <string>

#include "cascade/builder.hpp"
#include "cascade/edge_list.hpp"
#include "cascade/graph.hpp"

namespace cascade {

enum class FileFormat { kEdgeList, kMatrixMarket, kCsr };

/// Format from the extension: .csr -> kCsr; .mtx/.mm -> kMatrixMarket; anything else
/// (.txt/.el/.wel/.edges/...) -> kEdgeList.
FileFormat format_from_path(const std::string& path);

/// Reads a whitespace-separated edge list: "src dst [weight]" per line; '#' and '%' start
/// comment lines; blank lines, CRLF, tabs and a UTF-8 BOM are accepted. num_vertices = max id + 1
/// (or the "# Nodes: N" SNAP header value when larger). Weights must be in [0, 1] and present on
/// every line or on none. O(file size).
EdgeList read_edge_list(const std::string& path);

/// Reads Matrix Market "coordinate" (pattern/real/integer, general/symmetric); ids are 1-based
/// in the file, 0-based in the result; symmetric sets EdgeList::undirected.
EdgeList read_matrix_market(const std::string& path);

/// Writes "src dst[ weight]" lines with a comment header.
void write_edge_list(const Graph& g, const std::string& path);

/// Writes Matrix Market coordinate general (real when weighted, else pattern).
void write_matrix_market(const Graph& g, const std::string& path);

/// Writes the binary .csr file (checksummed).
void write_csr(const Graph& g, const std::string& path);

struct LoadOptions {
  bool verify_checksum = true;  ///< .csr: recompute XXH3 of the payload (O(file), fast)
  BuildOptions build;           ///< text formats: how to build the CSR
};

/// Memory-maps a .csr file; the Graph borrows the mapping (no copy). Checks magic, version,
/// sizes against the file size and (by default) the checksum before touching the payload.
Graph load_csr(const std::string& path, const LoadOptions& options = {});

/// Loads any supported format (by extension, see format_from_path).
Graph load_graph(const std::string& path, const LoadOptions& options = {});

/// Saves in the format given by the extension.
void save_graph(const Graph& g, const std::string& path);

}  // namespace cascade
