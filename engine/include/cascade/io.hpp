#pragma once
// Graph files. Text: SNAP-style edge lists (also GAPBS .el/.wel), Matrix Market coordinate, CSV
// with a header row, and (read by libigraph) GraphML, GML and Pajek, whose string node ids
// become vertex labels (cascade/labels.hpp).
// Binary: the .csr format, read into private memory and verified on load (checksum, structure,
// the symmetric flag), so a change to the file afterwards cannot reach the graph; with
// LoadOptions::verify_checksum = false (trusted files) memory-mapped without copying.
//
// .csr layout (little endian), all sections 8-byte aligned:
//   header (64 bytes): magic "CASCSR\0\0", u32 version (1; 2 when labelled), u32 flags (bit 0
//     weighted, bit 1 symmetric, bit 2 labelled: exactly the version 2 files), u64 vertices,
//     u64 arcs, u64 payload bytes, u64 XXH3-64 of the payload, 16 reserved bytes (zero)
//   payload: offsets[vertices + 1] (u64), targets[arcs] (u32, padded to 8 bytes),
//            weights[arcs] (f32, only when weighted, padded to 8 bytes),
//            labels, only when labelled: label_offsets[vertices + 1] (u64 byte offsets from 0,
//            nondecreasing) then the label text (UTF-8, padded with zeros to 8 bytes); the
//            loader checks the offsets, the padding and the labels (cascade/labels.hpp)
//
// Every writer goes through cascade::OutputFile (a private temporary file renamed over path; a
// device or FIFO is written through, a symbolic link refused), so a file is complete or
// absent (after any error or crash of the process; there is no fsync, so not after power loss).
// Every reader error is a FileError naming the path and the line (text) or byte offset.
// Text readers parse blocks of the file in parallel; results and the reported error (the first
// bad line) do not depend on the thread count.
#include <cstdint>
#include <string>
#include <vector>

#include "cascade/builder.hpp"
#include "cascade/edge_list.hpp"
#include "cascade/graph.hpp"
#include "cascade/weights.hpp"

namespace cascade {

enum class FileFormat { kEdgeList, kMatrixMarket, kCsr, kCsv, kGraphMl, kGml, kPajek };

/// The whole of a small input file (a scenario, a seed list) as text, read by the rules of graph
/// inputs: a regular file, or a pipe or FIFO read to its end within the memory limit (a FIFO
/// without a writer reads as empty: nothing waits). A directory or a device (/dev/zero) is a
/// FileError naming the path. O(file size).
std::string read_input_text(const std::string& path);

/// Format from the extension, after a trailing .gz/.zst: .csr -> kCsr; .mtx/.mm ->
/// kMatrixMarket; .csv -> kCsv; .graphml -> kGraphMl; .gml -> kGml; .net/.pajek -> kPajek;
/// anything else (.txt/.el/.wel/.edges/...) -> kEdgeList. (On input, gzip and
/// zstd data is recognised by its magic bytes whatever the name, and decompressed while read.)
FileFormat format_from_path(const std::string& path);

/// Reads a whitespace-separated edge list: "src dst [weight]" per line; '#' and '%' start
/// comment lines; blank lines, CRLF, tabs and a UTF-8 BOM are accepted. num_vertices = max id + 1
/// (or the "# Nodes: N" SNAP header value when larger). Weights are any finite reals, present on
/// every line or on none, turned into probabilities by `weights` (a value the rule refuses is a
/// FileError naming the line and the rule's option). A comment line before the first edge that
/// starts with "Undirected" (SNAP) sets EdgeList::undirected. Ids must be <= 2^32 - 2. An empty
/// file, or one without entry lines and without a "Nodes:" header, is an error. O(file size),
/// parallel.
EdgeList read_edge_list(const std::string& path, const WeightRule& weights = {});

/// Reads Matrix Market "coordinate" (pattern/real/integer, general/symmetric); ids are 1-based
/// in the file, 0-based in the result; symmetric sets EdgeList::undirected; num_vertices =
/// max(rows, columns). real/integer values are weights, read by `weights` as for edge lists.
/// O(file size).
EdgeList read_matrix_market(const std::string& path, const WeightRule& weights = {});

/// Reads a CSV edge table: '#' comment lines may come first ("# Undirected..." declares the
/// graph undirected, "# Nodes: N" a vertex count), then a header row naming the columns: the
/// source (source, src, from, u or node1), the target (target, dst, to, v or node2) and
/// optionally the weight (weight, w, p or probability), in any case and order; other columns
/// are ignored. Fields may be quoted ("a, b"; "" for a quote). When every node id is a
/// non-negative integer the ids are vertex ids; otherwise they are labels, numbered in order
/// of first appearance. Weights as for edge lists. Errors name path:line. O(file size).
EdgeList read_csv(const std::string& path, const WeightRule& weights = {});

/// Read GraphML, GML and Pajek through libigraph (as nx.write_graphml / write_gml /
/// write_pajek write them): directedness from the file (undirected sets EdgeList::undirected),
/// the numeric edge attribute "weight" as weights (read by `weights`), node ids (GraphML), node
/// labels (GML; its numeric ids when a node has none) and vertex names (Pajek) as labels,
/// vertices in file order. Any fault is a FileError naming the path and igraph's message (with
/// its line when igraph gives one). O(file size).
EdgeList read_graphml(const std::string& path, const WeightRule& weights = {});
EdgeList read_gml(const std::string& path, const WeightRule& weights = {});
EdgeList read_pajek(const std::string& path, const WeightRule& weights = {});

/// Writes a CSV edge table "source,target[,weight]" (labels, or ids after a "# Nodes: N"
/// comment), preceded by "# Undirected..." for a symmetric graph (both arcs are listed).
/// Vertices without arcs are kept only when unlabelled (through the Nodes comment). O(m).
void write_csv(const Graph& g, const std::string& path);

/// Write GraphML, GML and Pajek as NetworkX does; a symmetric graph as an undirected one (each
/// edge once), weights as the edge attribute "weight", labels as node ids (GraphML), labels
/// (GML) and vertex names (Pajek; a label holding '"' is an InvalidArgument). O(n + m).
void write_graphml(const Graph& g, const std::string& path);
void write_gml(const Graph& g, const std::string& path);
void write_pajek(const Graph& g, const std::string& path);

/// Writes "src dst[ weight]" lines (one per arc) after a "# Nodes: N Edges: M" header; weights
/// in the shortest form that reads back exactly. O(m), parallel.
void write_edge_list(const Graph& g, const std::string& path);

/// Writes Matrix Market coordinate (real when weighted, else pattern); general, or symmetric
/// with the lower triangle only when g.is_symmetric(). O(m), parallel.
void write_matrix_market(const Graph& g, const std::string& path);

/// Writes the binary .csr file (checksummed).
void write_csr(const Graph& g, const std::string& path);

struct LoadOptions {
  bool verify_checksum = true;  ///< .csr: read a private copy and recompute XXH3 of the payload
                                ///< (O(file), fast); false: trusted, mmap'ed, not hashed
  BuildOptions build;           ///< text formats: how to build the CSR
  WeightRule weights;           ///< what the file's weights mean (cascade/weights.hpp)
  bool directed = false;        ///< read as directed even when the file declares itself
                                ///< undirected (SNAP "Undirected" header, Matrix Market symmetric)
};

/// Memory-maps a .csr file; the Graph borrows the mapping (no copy). Checks magic, version,
/// sizes against the file size and (by default) the checksum before touching the payload, then
/// validates the CSR arrays (offsets, target range and order, weights) in parallel. O(file).
Graph load_csr(const std::string& path, const LoadOptions& options = {});

/// The header of a .csr file (see the layout above).
struct CsrHeader {
  std::uint32_t version = 0;
  std::uint32_t flags = 0;  ///< bit 0 weighted, bit 1 symmetric, bit 2 labelled
  std::uint64_t vertices = 0, arcs = 0, payload_bytes = 0;
  std::uint64_t checksum = 0;  ///< XXH3-64 of the payload, as stored (not recomputed)
  bool weighted() const { return (flags & 1u) != 0; }
  bool symmetric() const { return (flags & 2u) != 0; }
  bool labelled() const { return (flags & 4u) != 0; }
};

/// Reads the 64-byte header of a .csr file without the payload: FileError naming the path and
/// offset for a short file, bad magic, unsupported version or unknown flags. O(1). The payload
/// is checked only by load_csr.
CsrHeader read_csr_header(const std::string& path);

/// Loads any supported format (by extension, see format_from_path), builds it (symmetrized
/// when the file declares itself undirected, unless options.directed) and applies
/// options.weights.
Graph load_graph(const std::string& path, const LoadOptions& options = {});

/// The extensions save_graph writes, in the order messages list them (the one place a new output
/// format is added). The comparison is case-insensitive.
const std::vector<std::string>& graph_output_extensions();

/// Throws InvalidArgument when save_graph cannot write path: an extension not in
/// graph_output_extensions(), after any .gz / .zst ("x.graphml: unknown output format
/// '.graphml'; supported: .csr, ..."). A path without extension is accepted only for an existing
/// device or FIFO
/// (/dev/stdout, /dev/null), written as an edge list. O(1).
void check_graph_output_path(const std::string& path);

/// Saves in the format given by the extension (check_graph_output_path first); .gz / .zst
/// after it compress the file (zlib / libzstd) while it is written.
void save_graph(const Graph& g, const std::string& path);

}  // namespace cascade
