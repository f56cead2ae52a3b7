// The binary .csr format (layout in cascade/io.hpp): written in a few large blocks, loaded by
// mmap. The loader checks every header field against the file size before it reads the payload,
// so a hostile header can neither allocate nor read out of bounds.
#include <algorithm>
#include <atomic>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#ifndef XXH_INLINE_ALL
#define XXH_INLINE_ALL
#endif
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <xxhash.h>

#include "cascade/error.hpp"
#include "cascade/io.hpp"
#include "cascade/labels.hpp"
#include "cascade/parallel.hpp"
#include "file_util.hpp"

namespace cascade {

static_assert(std::endian::native == std::endian::little,
              ".csr files are little endian; this build reads them on little-endian hosts only");

namespace {

constexpr char kMagic[8] = {'C', 'A', 'S', 'C', 'S', 'R', '\0', '\0'};
// Version 1: no labels. Version 2 adds the optional label section (flag bit 2); files without
// labels are still written as version 1, byte for byte as before.
constexpr std::uint32_t kVersion = 1;
constexpr std::uint32_t kVersionLabelled = 2;
constexpr std::uint32_t kFlagWeighted = 1u << 0;
constexpr std::uint32_t kFlagSymmetric = 1u << 1;
constexpr std::uint32_t kFlagLabelled = 1u << 2;

struct Header {
  char magic[8];
  std::uint32_t version;
  std::uint32_t flags;
  std::uint64_t vertices;
  std::uint64_t arcs;
  std::uint64_t payload_bytes;
  std::uint64_t checksum;  // XXH3-64 of the payload, seed 0
  std::uint8_t reserved[16];
};
static_assert(sizeof(Header) == 64);
// Byte offsets of the header fields, for error messages.
constexpr std::uint64_t kAtVersion = 8, kAtFlags = 12, kAtVertices = 16, kAtArcs = 24,
                        kAtPayload = 32, kAtReserved = 48;

constexpr std::uint64_t pad8(std::uint64_t bytes) { return (bytes + 7) & ~std::uint64_t{7}; }

struct Sections {
  std::uint64_t offsets_bytes, targets_bytes, weights_bytes, payload_bytes;
};

// Section sizes for n vertices and m arcs; m must be small enough not to overflow (checked by
// the caller against the file size).
Sections sections(std::uint64_t n, std::uint64_t m, bool weighted) {
  Sections s{};
  s.offsets_bytes = 8 * (n + 1);
  s.targets_bytes = pad8(4 * m);
  s.weights_bytes = weighted ? pad8(4 * m) : 0;
  s.payload_bytes = s.offsets_bytes + s.targets_bytes + s.weights_bytes;
  return s;
}

std::string hex(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// The version and flags of a header: a known version, known flags, and the labelled flag set
// exactly for version 2. Throws FileError naming path and the field's byte offset.
void check_version_and_flags(const Header& h, const std::string& path) {
  auto fail = [&](std::uint64_t offset, const std::string& what) {
    throw FileError(detail::at_offset(path, offset, what));
  };
  if (h.version != kVersion && h.version != kVersionLabelled)
    fail(kAtVersion, "unsupported .csr version " + std::to_string(h.version) +
                         " (this build reads versions 1 and 2)");
  if ((h.flags & ~(kFlagWeighted | kFlagSymmetric | kFlagLabelled)) != 0)
    fail(kAtFlags, "unknown flags " + hex(h.flags));
  if (((h.flags & kFlagLabelled) != 0) != (h.version == kVersionLabelled))
    fail(kAtFlags, "flags " + hex(h.flags) + " do not match version " + std::to_string(h.version) +
                       " (version 2 means labelled, flag 0x4)");
}

}  // namespace

void write_csr(const Graph& g, const std::string& path) {
  const std::uint64_t n = g.num_vertices();
  const std::uint64_t m = g.num_arcs();
  const bool weighted = g.has_weights();
  const Offset zero_offset = 0;
  std::span<const Offset> offsets = g.offsets();
  if (offsets.empty()) offsets = {&zero_offset, 1};  // the empty graph still stores offsets[0]
  const Sections s = sections(n, m, weighted);
  static constexpr char kZeros[8] = {};
  const std::size_t target_pad = s.targets_bytes - 4 * m;
  const std::size_t weight_pad = weighted ? s.weights_bytes - 4 * m : 0;
  // The label section: byte offsets of each label in the text (n + 1), then the text, padded.
  std::vector<std::uint64_t> label_offsets;
  std::string label_text;
  if (g.has_labels()) {
    label_offsets.reserve(n + 1);
    label_offsets.push_back(0);
    for (const std::string& name : g.labels()->names()) {
      label_text += name;
      label_offsets.push_back(label_text.size());
    }
    label_text.resize(pad8(label_text.size()), '\0');
  }
  const std::uint64_t label_bytes = 8 * label_offsets.size() + label_text.size();

  // Checksum first (memory speed), so the header goes out in front in one pass.
  std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> state(XXH3_createState(),
                                                                 &XXH3_freeState);
  if (!state) throw ResourceError("write_csr: cannot allocate the XXH3 state");
  XXH3_64bits_reset(state.get());
  XXH3_64bits_update(state.get(), offsets.data(), offsets.size_bytes());
  XXH3_64bits_update(state.get(), g.targets().data(), g.targets().size_bytes());
  XXH3_64bits_update(state.get(), kZeros, target_pad);
  if (weighted) {
    XXH3_64bits_update(state.get(), g.weights().data(), g.weights().size_bytes());
    XXH3_64bits_update(state.get(), kZeros, weight_pad);
  }
  XXH3_64bits_update(state.get(), label_offsets.data(), 8 * label_offsets.size());
  XXH3_64bits_update(state.get(), label_text.data(), label_text.size());

  Header h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.version = g.has_labels() ? kVersionLabelled : kVersion;
  h.flags = (weighted ? kFlagWeighted : 0) | (g.is_symmetric() ? kFlagSymmetric : 0) |
            (g.has_labels() ? kFlagLabelled : 0);
  h.vertices = n;
  h.arcs = m;
  h.payload_bytes = s.payload_bytes + label_bytes;
  h.checksum = XXH3_64bits_digest(state.get());

  detail::AtomicWriter out(path);
  out.write(&h, sizeof h);
  out.write(offsets.data(), offsets.size_bytes());
  out.write(g.targets().data(), g.targets().size_bytes());
  out.write(kZeros, target_pad);
  if (weighted) {
    out.write(g.weights().data(), g.weights().size_bytes());
    out.write(kZeros, weight_pad);
  }
  out.write(label_offsets.data(), 8 * label_offsets.size());
  out.write(label_text);
  out.commit();
}

CsrHeader read_csr_header(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) throw FileError(path + ": cannot open: " + std::strerror(errno));
  Header h{};
  std::size_t got = std::fread(&h, 1, sizeof h, f);
  std::fclose(f);
  if (detail::compression_from_magic({reinterpret_cast<const char*>(&h), got}) !=
      detail::Compression::kNone) {  // a compressed .csr: its header is inside the stream
    const auto file = detail::InputFile::open(path);
    got = std::min(file->size(), sizeof h);
    std::memcpy(&h, file->data(), got);
  }
  auto fail = [&](std::uint64_t offset, const std::string& what) {
    throw FileError(detail::at_offset(path, offset, what));
  };
  if (got < sizeof kMagic || std::memcmp(h.magic, kMagic, sizeof kMagic) != 0)
    fail(0, "not a cascade .csr file (bad magic)");
  if (got < sizeof h)
    fail(got, "truncated header: file has " + std::to_string(got) + " bytes, the header needs " +
                  std::to_string(sizeof h));
  check_version_and_flags(h, path);
  return {h.version, h.flags, h.vertices, h.arcs, h.payload_bytes, h.checksum};
}

namespace {

// Does every arc u->v have its reverse v->u with the same weight, as many times? Rows are
// sorted, so the arcs into v from lower vertices, met in increasing u, are exactly the entries
// of row v below v, in order: a cursor per vertex walks them, one random access per arc
// (O(n + m); the binary search per arc it replaced took 3.3 s on R-MAT 2^20, 2 threads). Each
// worker owns a range of targets and scans every row for the arcs into it.
bool arcs_pair_up(const Graph& g) {
  const std::uint64_t n = g.num_vertices();
  const bool weighted = g.has_weights();
  const auto offsets = g.offsets();
  const auto targets = g.targets();
  const auto weights = g.weights();
  std::vector<Offset> cursor(offsets.begin(), offsets.end() - 1);
  const std::uint64_t parts = std::max<std::uint64_t>(1, std::min<std::uint64_t>(max_threads(), n));
  std::atomic<bool> paired{true};
  tbb::parallel_for(std::uint64_t{0}, parts, [&](std::uint64_t part) {
    const auto lo = static_cast<Vertex>(n * part / parts);
    const auto hi = static_cast<Vertex>(n * (part + 1) / parts);
    for (std::uint64_t u = 0; u < n && paired.load(std::memory_order_relaxed); ++u) {
      const auto row = targets.subspan(offsets[u], offsets[u + 1] - offsets[u]);
      // The arcs u->v with v > u (the others are matched from v's side) and v in [lo, hi).
      const auto first =
          std::lower_bound(row.begin(), row.end(), std::max<std::uint64_t>(u + 1, lo));
      for (auto it = first; it != row.end() && *it < hi; ++it) {
        const Vertex v = *it;
        const Offset b = cursor[v];
        const Offset a = offsets[u] + static_cast<Offset>(it - row.begin());
        if (b == offsets[v + 1] || targets[b] != u || (weighted && weights[b] != weights[a])) {
          paired.store(false, std::memory_order_relaxed);
          return;
        }
        cursor[v] = b + 1;
      }
    }
    for (Vertex v = lo; v < hi && paired.load(std::memory_order_relaxed); ++v) {
      const auto row = g.out_neighbors(v);
      const auto below = std::lower_bound(row.begin(), row.end(), v) - row.begin();
      if (cursor[v] != offsets[v] + static_cast<Offset>(below))
        paired.store(false, std::memory_order_relaxed);
    }
  });
  return paired.load();
}

// "" when every arc u->v has the reverse v->u with the same weight, else the first arc (by u)
// that has not. Only run when arcs_pair_up says no: each reverse is a binary search.
std::string first_unmatched_arc(const Graph& g) {
  const std::uint64_t n = g.num_vertices();
  const bool weighted = g.has_weights();
  const auto reverse_of = [&](Vertex u, std::uint64_t a) {  // the arc v->u, or -1
    const Vertex v = g.targets()[a];
    const auto row = g.out_neighbors(v);
    const auto it = std::lower_bound(row.begin(), row.end(), u);
    if (it == row.end() || *it != u) return std::int64_t{-1};
    return static_cast<std::int64_t>(g.offsets()[v] + static_cast<std::uint64_t>(it - row.begin()));
  };
  const std::uint64_t bad = tbb::parallel_reduce(
      tbb::blocked_range<std::uint64_t>(0, n), n,
      [&](const tbb::blocked_range<std::uint64_t>& r, std::uint64_t first) {
        for (std::uint64_t u = r.begin(); u < r.end() && u < first; ++u)
          for (std::uint64_t a = g.offsets()[u]; a < g.offsets()[u + 1]; ++a) {
            const std::int64_t b = reverse_of(static_cast<Vertex>(u), a);
            if (b < 0 || (weighted && g.weights()[a] != g.weights()[static_cast<std::uint64_t>(b)]))
              return u;
          }
        return first;
      },
      [](std::uint64_t a, std::uint64_t b) { return std::min(a, b); });
  if (bad == n) return "";
  for (std::uint64_t a = g.offsets()[bad]; a < g.offsets()[bad + 1]; ++a) {
    const Vertex v = g.targets()[a];
    const std::string arc = std::to_string(bad) + " -> " + std::to_string(v);
    const std::string back = std::to_string(v) + " -> " + std::to_string(bad);
    const std::int64_t b = reverse_of(static_cast<Vertex>(bad), a);
    if (b < 0) return "arc " + arc + " has no reverse " + back;
    if (weighted && g.weights()[a] != g.weights()[static_cast<std::uint64_t>(b)])
      return "arc " + arc + " and its reverse have different weights";
  }
  return "";  // not reached
}

// The label section at payload + at (its size checked against the header by the caller):
// offsets[n + 1] from 0, nondecreasing, then the text padded with zeros to 8 bytes.
template <class Fail>
std::shared_ptr<const VertexLabels> read_labels(const char* payload, std::uint64_t at,
                                                const Header& h, Fail fail) {
  const std::uint64_t n = h.vertices;
  const std::uint64_t text_at = at + 8 * (n + 1);
  const std::uint64_t text_room = h.payload_bytes - text_at;
  std::vector<std::uint64_t> offsets(n + 1);
  std::memcpy(offsets.data(), payload + at, 8 * (n + 1));
  const std::uint64_t where = sizeof(Header) + at;  // file offset of the section
  if (offsets[0] != 0) fail(where, "label section: the first label offset is not 0");
  for (std::uint64_t v = 0; v < n; ++v)
    if (offsets[v + 1] < offsets[v] || offsets[v + 1] > text_room)
      fail(where + 8 * (v + 1), "label section: label " + std::to_string(v) + " ends at byte " +
                                    std::to_string(offsets[v + 1]) + ", outside the " +
                                    std::to_string(text_room) + " bytes of label text");
  if (pad8(offsets[n]) != text_room)
    fail(where, "label section: " + std::to_string(offsets[n]) + " bytes of labels, but the " +
                    "payload leaves " + std::to_string(text_room) + " (expected " +
                    std::to_string(pad8(offsets[n])) + ")");
  const char* text = payload + text_at;
  for (std::uint64_t b = offsets[n]; b < text_room; ++b)
    if (text[b] != '\0') fail(sizeof(Header) + text_at + b, "label padding is not zero");
  std::vector<std::string> names(n);
  for (std::uint64_t v = 0; v < n; ++v)
    names[v].assign(text + offsets[v], offsets[v + 1] - offsets[v]);
  try {
    return std::make_shared<const VertexLabels>(std::move(names));
  } catch (const InvalidArgument& e) {
    fail(sizeof(Header) + text_at, std::string("invalid labels: ") + e.what());
  }
  return nullptr;  // not reached
}

}  // namespace

Graph load_csr(const std::string& path, const LoadOptions& options) {
  // Verified files are read into memory (a change by another process cannot touch them);
  // trusted ones (--no-verify) are mapped without copying.
  const auto file = detail::InputFile::open(path, /*map=*/!options.verify_checksum);
  const std::uint64_t size = file->size();
  auto fail = [&](std::uint64_t offset, const std::string& what) {
    throw FileError(detail::at_offset(path, offset, what));
  };

  // Header: magic, version, flags, sizes -- all before any payload byte is read.
  if (size == 0) fail(0, "empty file (not a cascade .csr file)");
  if (std::memcmp(file->data(), kMagic, std::min<std::uint64_t>(size, sizeof kMagic)) != 0)
    fail(0, "not a cascade .csr file (bad magic)");
  if (size < sizeof(Header))
    fail(size, "truncated header: file has " + std::to_string(size) + " bytes, the header needs " +
                   std::to_string(sizeof(Header)));
  Header h;
  std::memcpy(&h, file->data(), sizeof h);
  check_version_and_flags(h, path);
  for (std::uint8_t b : h.reserved)
    if (b != 0) fail(kAtReserved, "reserved header bytes are not zero");
  if (h.vertices > kMaxVertices)
    fail(kAtVertices, "header claims " + std::to_string(h.vertices) +
                          " vertices, more than the limit of " + std::to_string(kMaxVertices));
  // Each arc needs at least 4 payload bytes: bound arcs by the file size before any arithmetic.
  if (h.arcs > size / 4)
    fail(kAtArcs, "header claims " + std::to_string(h.arcs) + " arcs, impossible in a file of " +
                      std::to_string(size) + " bytes (truncated or corrupt)");
  const bool weighted = (h.flags & kFlagWeighted) != 0;
  const bool symmetric = (h.flags & kFlagSymmetric) != 0;
  const bool labelled = (h.flags & kFlagLabelled) != 0;
  const Sections s = sections(h.vertices, h.arcs, weighted);
  // The label section follows the arrays: its size is what the payload has beyond them.
  const std::uint64_t label_index_bytes = labelled ? 8 * (h.vertices + 1) : 0;
  if (labelled && (h.payload_bytes < s.payload_bytes + label_index_bytes || h.payload_bytes > size))
    fail(kAtPayload, "payload size " + std::to_string(h.payload_bytes) +
                         " leaves no room for the labels of " + std::to_string(h.vertices) +
                         " vertices after the arrays (" + std::to_string(s.payload_bytes) +
                         " bytes)");
  if (!labelled && h.payload_bytes != s.payload_bytes)
    fail(kAtPayload, "payload size " + std::to_string(h.payload_bytes) + " does not match " +
                         std::to_string(h.vertices) + " vertices and " + std::to_string(h.arcs) +
                         " arcs (expected " + std::to_string(s.payload_bytes) + ")");
  const std::uint64_t expected = sizeof(Header) + h.payload_bytes;
  if (size < expected)
    fail(size, "truncated: header says " + std::to_string(expected) + " bytes, file has " +
                   std::to_string(size));
  if (size > expected)
    fail(expected, "trailing data: header says " + std::to_string(expected) + " bytes, file has " +
                       std::to_string(size));

  const char* payload = file->data() + sizeof(Header);
  if (options.verify_checksum) {
    const std::uint64_t actual = XXH3_64bits(payload, h.payload_bytes);
    if (actual != h.checksum)
      fail(sizeof(Header), "checksum mismatch (file corrupt): header has " + hex(h.checksum) +
                               ", payload hashes to " + hex(actual));
  }

  // Sections are 8-byte aligned in the file and the mapping is page aligned.
  const auto* offsets = reinterpret_cast<const Offset*>(payload);
  const auto* targets = reinterpret_cast<const Vertex*>(payload + s.offsets_bytes);
  const auto* weights = reinterpret_cast<const float*>(payload + s.offsets_bytes + s.targets_bytes);
  Graph g;
  try {
    // Not trusted: a file with a valid checksum can still be hostile; validation is O(n + m).
    g = Graph(std::span<const Offset>(offsets, h.vertices + 1),
              std::span<const Vertex>(targets, h.arcs),
              std::span<const float>(weights, weighted ? h.arcs : 0), symmetric, file);
  } catch (const InvalidArgument& e) {
    fail(sizeof(Header), std::string("invalid graph: ") + e.what());
  }
  if (labelled) g = g.with_labels(read_labels(payload, s.payload_bytes, h, fail));
  // The symmetric flag lets pull traversals use the out-arcs as in-arcs: a false flag (the
  // checksum covers the payload, not the flags) would change results, so it is verified.
  if (symmetric) {
    if (!arcs_pair_up(g)) {
      std::string fault = first_unmatched_arc(g);
      if (fault.empty()) fault = "an arc's reverse appears fewer or more times than the arc";
      fail(kAtFlags, "header flags the graph symmetric, but " + fault);
    }
  }
  return g;
}

}  // namespace cascade
