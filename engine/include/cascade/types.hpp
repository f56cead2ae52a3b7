#pragma once
// Basic vocabulary types shared by the engine and the kernels.
#include <cstdint>
#include <limits>

namespace cascade {

using Vertex = std::uint32_t;  ///< vertex id, 0 .. n-1
using Offset = std::uint64_t;  ///< index into the arc arrays

/// "No vertex": the recruiter of a seed or of an unreached vertex. Never a valid id, so a graph
/// holds at most 2^32 - 1 vertices.
inline constexpr Vertex kNoVertex = std::numeric_limits<Vertex>::max();
inline constexpr std::uint64_t kMaxVertices = kNoVertex;

}  // namespace cascade
