#pragma once
// Internal: writes one text block per vertex range in parallel (std::to_chars into big buffers)
// and hands the blocks to the file in vertex order, so the output is the same for any thread
// count. Used by write_edge_list and write_matrix_market.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string>
#include <vector>

#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include "cascade/graph.hpp"
#include "file_util.hpp"

namespace cascade::detail {

/// format(u, out) writes the lines of vertex u at out and returns the end; it may write at most
/// bytes_per_arc * out_degree(u) bytes.
template <class Format>
void write_vertex_text(AtomicWriter& out, const Graph& g, std::size_t bytes_per_arc,
                       Format format) {
  const std::uint64_t n = g.num_vertices();
  if (n == 0) return;
  const auto offsets = g.offsets();
  // Ranges of about kArcs arcs (and at most kVertices vertices) each.
  constexpr std::uint64_t kArcs = std::uint64_t{1} << 16;
  constexpr std::uint64_t kVertices = std::uint64_t{1} << 16;
  std::vector<std::uint64_t> cuts{0};
  for (std::uint64_t u = 0; u < n;) {
    const auto at = std::lower_bound(offsets.begin() + u + 1, offsets.begin() + n + 1,
                                     offsets[u] + kArcs);
    std::uint64_t next = static_cast<std::uint64_t>(at - offsets.begin());
    next = std::clamp(next, u + 1, std::min(n, u + kVertices));
    cuts.push_back(next);
    u = next;
  }
  const std::size_t ranges = cuts.size() - 1;
  std::size_t next_range = 0;
  const auto tokens = static_cast<std::size_t>(2 * tbb::this_task_arena::max_concurrency());
  tbb::parallel_pipeline(
      tokens,
      tbb::make_filter<void, std::size_t>(tbb::filter_mode::serial_in_order,
                                          [&](tbb::flow_control& fc) -> std::size_t {
                                            if (next_range == ranges) fc.stop();
                                            return next_range++;
                                          }) &
          tbb::make_filter<std::size_t, std::string>(
              tbb::filter_mode::parallel,
              [&](std::size_t r) {
                std::string text;
                if (r >= ranges) return text;  // the token after stop()
                const std::uint64_t lo = cuts[r], hi = cuts[r + 1];
                text.resize((offsets[hi] - offsets[lo]) * bytes_per_arc);
                char* end = text.data();
                for (std::uint64_t u = lo; u < hi; ++u) end = format(static_cast<Vertex>(u), end);
                text.resize(static_cast<std::size_t>(end - text.data()));
                return text;
              }) &
          tbb::make_filter<std::string, void>(tbb::filter_mode::serial_in_order,
                                              [&](const std::string& text) { out.write(text); }));
}

/// Appends the decimal digits of v (at most 20 bytes).
inline char* put_uint(char* out, std::uint64_t v) { return std::to_chars(out, out + 20, v).ptr; }

/// Appends the shortest decimal form that reads back as exactly w (at most 32 bytes).
inline char* put_float(char* out, float w) { return std::to_chars(out, out + 32, w).ptr; }

}  // namespace cascade::detail
