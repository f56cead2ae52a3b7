#pragma once
// Internal: helpers shared by the generators (gen_*.cpp).
#include <cstdint>
#include <new>
#include <stdexcept>
#include <string>

#include "cascade/edge_list.hpp"
#include "cascade/error.hpp"
#include "cascade/memory.hpp"
#include "file_util.hpp"

namespace cascade::detail {

/// Sizes list.edges to m, turning an impossible allocation into a ResourceError that names it.
/// Checked against the memory limit first (cascade/memory.hpp): resize() value-initialises the
/// edges, so an over-large list would otherwise be touched page by page until the OOM killer ends
/// the process instead of failing cleanly.
inline void allocate_edges(EdgeList& list, std::uint64_t m, const char* generator) {
  require_memory(edge_list_bytes(m, false),
                 std::string(generator) + ": an edge list of " + std::to_string(m) + " edges");
  try {
    // Huge pages before the first touch: resize() zeroes serially, one page fault per 4 KiB.
    list.edges.reserve(m);
    advise_huge_pages(list.edges.data(), m * sizeof(Edge));
    list.edges.resize(m);
  } catch (const std::bad_alloc&) {
    throw ResourceError(std::string(generator) + ": " + std::to_string(m) + " edges need " +
                        std::to_string(m / ((std::uint64_t{1} << 20) / sizeof(Edge))) +
                        " MiB, more than is available");
  } catch (const std::length_error&) {
    throw ResourceError(std::string(generator) + ": " + std::to_string(m) +
                        " edges exceed the largest possible edge list");
  }
}

}  // namespace cascade::detail
