#pragma once
// Internal: helpers shared by the generators (gen_*.cpp).
#include <cstdint>
#include <new>
#include <stdexcept>
#include <string>

#include "cascade/edge_list.hpp"
#include "cascade/error.hpp"

namespace cascade::detail {

/// Sizes list.edges to m, turning an impossible allocation into a ResourceError that names it.
inline void allocate_edges(EdgeList& list, std::uint64_t m, const char* generator) {
  try {
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
