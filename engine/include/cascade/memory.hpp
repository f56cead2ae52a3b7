#pragma once
// Memory estimates and the memory limit. Before a large allocation the library compares what the
// operation will need with the limit and throws ResourceError up front -- rather than allocating
// terabytes because a file header said so, or being killed by the OOM killer half-way through.
//
// The limit is the memory available to this process, read afresh at each check:
//   min(MemAvailable from /proc/meminfo, the cgroup limit: v2 memory.max or
//       v1 memory.limit_in_bytes of this process's cgroup and its ancestors),
// unless set_memory_limit() overrides it (the CLI's global --max-memory SIZE), in either direction:
// lower (to refuse early, e.g. in tests) or higher (to bypass the check).
//
// Estimates are the peak live bytes of the large arrays (allocator overhead and fixed costs of a
// few KiB are ignored); all arithmetic saturates at UINT64_MAX instead of wrapping.
#include <cstdint>
#include <string>

namespace cascade {

/// Bytes of a CSR graph: (n + 1) offsets of 8 bytes, m targets of 4, m weights of 4 when
/// weighted. O(1).
std::uint64_t csr_bytes(std::uint64_t n, std::uint64_t m, bool weighted);

/// Bytes of an EdgeList holding m edges: 8 per edge, 12 when weighted. O(1).
std::uint64_t edge_list_bytes(std::uint64_t m, bool weighted);

/// Peak bytes build_csr() allocates on top of its input edge list for n vertices and m edges
/// (2m arcs when symmetrizing): degree counters and two offset arrays (24 bytes per vertex), and
/// 4 bytes per arc (16 when weighted) while scattering, sorting and compacting. O(1).
std::uint64_t build_csr_bytes(std::uint64_t n, std::uint64_t m, bool weighted, bool symmetrize);

/// Upper estimate of a Monte Carlo spread estimate's working memory on a graph of n vertices and
/// m arcs: the transposed graph (pull steps, LT), per-worker scratch (at most 160 bytes per
/// vertex, the widest fused batches) for `workers` threads, and 16 bytes per trial (its spread
/// and its time). The graph itself is not included. O(1).
std::uint64_t monte_carlo_bytes(std::uint64_t n, std::uint64_t m, bool weighted,
                                std::uint64_t trials, std::uint64_t workers);

/// Bytes of memory available to this process: min(MemAvailable, cgroup limit), ignoring
/// set_memory_limit(); UINT64_MAX when neither can be read (not Linux). Reads /proc and /sys.
std::uint64_t available_memory();

/// Overrides the limit for the whole process: `bytes` > 0 replaces available_memory() in every
/// check, and `source` names it in messages (e.g. "--max-memory 8G"); 0 restores the automatic
/// limit. Thread-safe.
void set_memory_limit(std::uint64_t bytes, const std::string& source = "set_memory_limit");

/// The limit in force: the override when set, else available_memory().
std::uint64_t memory_limit();

/// Throws ResourceError "<what>: needs about <need> of memory, more than the <limit> available
/// (<where the limit comes from>)" when need > memory_limit(). Without an override, needs below
/// 16 MiB always pass (no /proc read). O(1) plus reading /proc and /sys.
void require_memory(std::uint64_t need, const std::string& what);

/// Human-readable size: "512 bytes", "7.5 KiB", "1.0 GiB", "408.0 GiB" (powers of 1024).
std::string format_bytes(std::uint64_t bytes);

/// Parses a size: a non-negative number with an optional suffix K, M, G or T (powers of 1024,
/// case-insensitive, optionally followed by "B" or "iB"), e.g. "8G", "512M", "1.5g", "4096".
/// Throws InvalidArgument naming the text when it is not one, or exceeds UINT64_MAX bytes.
std::uint64_t parse_bytes(const std::string& text);

}  // namespace cascade
