#pragma once
// Splitting Monte Carlo trials over cooperating processes (MPI ranks) without MPI in the kernels.
//
// A Communicator is the one collective the estimators need: gather every rank's bytes, in rank
// order. The kernels see only this interface; SingleProcess (here) is the default, and an MPI
// implementation lives in cascade/mpi_communicator.hpp (header-only, for programs that link MPI
// themselves, like the `cascade` CLI). Why results stay bit-identical for any number of ranks:
// a trial's result depends only on its global index (counter-based randomness), each rank runs a
// contiguous block of trial indices, and the per-trial records are gathered in trial order and
// reduced by the same code as in one process.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cascade/graph.hpp"

namespace cascade {

/// A group of `size()` processes running the same program; this one is `rank()`.
class Communicator {
 public:
  virtual ~Communicator() = default;
  /// This process's index, in [0, size()).
  virtual int rank() const = 0;
  /// Number of processes (>= 1).
  virtual int size() const = 0;
  /// Collective (every rank must call it, in the same order): returns each rank's `mine`, indexed
  /// by rank, on every rank (to_all) or on rank 0 only (other ranks get an empty vector).
  virtual std::vector<std::vector<std::byte>> gather(std::span<const std::byte> mine,
                                                     bool to_all) const = 0;
};

/// The trivial group: one process, rank 0 of 1.
class SingleProcess final : public Communicator {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  std::vector<std::vector<std::byte>> gather(std::span<const std::byte> mine, bool) const override {
    return {std::vector<std::byte>(mine.begin(), mine.end())};
  }
};

/// Half-open range of trial offsets [begin, end).
struct TrialRange {
  std::uint64_t begin = 0, end = 0;
  std::uint64_t size() const { return end - begin; }
};

/// The contiguous block of `count` trials that `rank` of `size` runs: sizes differ by at most
/// one, lower ranks take the extra trials; ranks beyond `count` get an empty block. O(1).
inline TrialRange rank_trials(std::uint64_t count, int rank, int size) {
  const auto r = static_cast<std::uint64_t>(rank), p = static_cast<std::uint64_t>(size);
  const std::uint64_t base = count / p, extra = count % p;
  const std::uint64_t begin = r * base + (r < extra ? r : extra);
  return {begin, begin + base + (r < extra ? 1 : 0)};
}

/// XXH3 of a graph's arrays (offsets, targets, weights) and its symmetric flag: equal on two
/// ranks iff they hold the same graph. O(n + m), one pass.
std::uint64_t graph_fingerprint(const Graph& g);

/// XXH3 of text (a scenario's canonical JSON, the run's parameters) mixed with `seed` (e.g. a
/// graph_fingerprint), so one number covers everything a rank's results depend on. O(size).
std::uint64_t text_fingerprint(std::string_view text, std::uint64_t seed = 0);

/// Collective (every rank calls it, before any trial): gathers each rank's fingerprint of its
/// inputs and throws InvalidArgument "ranks were given different inputs: rank R's <what> hash
/// to 0x..., rank 0's to 0x..." on every rank when one differs from rank 0's, so no report ever
/// merges trials of different graphs, scenarios or parameters. One 8-byte gather.
void require_same_inputs(const Communicator& comm, std::uint64_t fingerprint,
                         const std::string& what);

}  // namespace cascade
