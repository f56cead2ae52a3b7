#pragma once
// Seed selection: an explicit list, k random vertices (counter-based, per trial), or the k
// highest-degree vertices (ties to the lower id).
#include <cstdint>
#include <string>
#include <vector>

#include "cascade/graph.hpp"

namespace cascade {

/// Validates an explicit seed list: every id < n; duplicates removed, order kept.
std::vector<Vertex> explicit_seeds(const Graph& g, const std::vector<Vertex>& ids);

/// k distinct vertices chosen uniformly at random as a pure function of (master, trial).
/// O(k) expected for k << n. Throws InvalidArgument when k > n.
std::vector<Vertex> random_seeds(const Graph& g, std::uint64_t k, std::uint64_t master,
                                 std::uint64_t trial);

/// The k vertices of largest out-degree, ties broken by the lower id, in that order. O(n log k).
std::vector<Vertex> top_degree_seeds(const Graph& g, std::uint64_t k);

/// Reads one vertex per line ('#' comments and blank lines skipped): a vertex id, or on a
/// labelled graph a label (the whole line, trimmed; cascade/labels.hpp find_vertex). Errors
/// name file:line.
std::vector<Vertex> read_seed_file(const std::string& path, const Graph& g);

}  // namespace cascade
