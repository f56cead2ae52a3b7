#pragma once
// MpiCommunicator: cascade::Communicator (cascade/distributed.hpp) over an MPI communicator.
//
// Header-only on purpose: the cascade libraries never link MPI. A program that wants to split
// its Monte Carlo trials over MPI ranks includes this header, links MPI itself (CMake:
// MPI::MPI_CXX), calls MPI_Init, and passes an MpiCommunicator in McOptions / MobilizeOptions.
// Only the calling thread talks to MPI (MPI_THREAD_FUNNELED is enough); oneTBB's workers never do.
#include <mpi.h>

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "cascade/distributed.hpp"

namespace cascade {

class MpiCommunicator final : public Communicator {
 public:
  /// Wraps `comm` (not owned; MPI must be initialised and stay so while this object is used).
  explicit MpiCommunicator(MPI_Comm comm = MPI_COMM_WORLD) : comm_(comm) {
    MPI_Comm_rank(comm_, &rank_);
    MPI_Comm_size(comm_, &size_);
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }

  /// Sizes first (all-gathered, so every rank makes the same choices), then one
  /// MPI_(All)Gatherv when the total fits MPI's int counts, else chunked broadcasts / sends.
  std::vector<std::vector<std::byte>> gather(std::span<const std::byte> mine,
                                             bool to_all) const override {
    const std::size_t p = static_cast<std::size_t>(size_);
    std::vector<unsigned long long> sizes(p);
    const unsigned long long n = mine.size();
    MPI_Allgather(&n, 1, MPI_UNSIGNED_LONG_LONG, sizes.data(), 1, MPI_UNSIGNED_LONG_LONG, comm_);
    unsigned long long total = 0;
    for (auto s : sizes) total += s;
    const bool receive = to_all || rank_ == 0;
    std::vector<std::vector<std::byte>> parts;
    if (receive) {
      parts.resize(p);
      for (std::size_t r = 0; r < p; ++r) parts[r].resize(sizes[r]);
    }
    if (total <= static_cast<unsigned long long>(INT_MAX)) {
      std::vector<int> counts(p), displs(p);
      std::vector<std::byte> all(receive ? total : 0);
      for (std::size_t r = 0, at = 0; r < p; at += sizes[r], ++r) {
        counts[r] = static_cast<int>(sizes[r]);
        displs[r] = static_cast<int>(at);
      }
      void* send = const_cast<std::byte*>(mine.data());  // MPI-3 takes const; be portable
      if (to_all)
        MPI_Allgatherv(send, static_cast<int>(n), MPI_BYTE, all.data(), counts.data(),
                       displs.data(), MPI_BYTE, comm_);
      else
        MPI_Gatherv(send, static_cast<int>(n), MPI_BYTE, all.data(), counts.data(), displs.data(),
                    MPI_BYTE, 0, comm_);
      if (receive)
        for (std::size_t r = 0; r < p; ++r)
          std::copy_n(all.begin() + displs[r], sizes[r], parts[r].begin());
      return parts;
    }
    // Large: each rank's part in chunks of at most 1 GiB (MPI counts are int).
    constexpr unsigned long long kChunk = 1ull << 30;
    if (receive)
      std::copy(mine.begin(), mine.end(), parts[static_cast<std::size_t>(rank_)].begin());
    auto* own = const_cast<std::byte*>(mine.data());
    for (std::size_t r = 0; r < p; ++r) {
      const int from = static_cast<int>(r);
      for (unsigned long long at = 0; at < sizes[r]; at += kChunk) {
        const int count = static_cast<int>(std::min(kChunk, sizes[r] - at));
        if (to_all)
          MPI_Bcast(parts[r].data() + at, count, MPI_BYTE, from, comm_);
        else if (from != 0 && rank_ == 0)
          MPI_Recv(parts[r].data() + at, count, MPI_BYTE, from, 0, comm_, MPI_STATUS_IGNORE);
        else if (from != 0 && rank_ == from)
          MPI_Send(own + at, count, MPI_BYTE, 0, 0, comm_);
      }
    }
    return parts;
  }

 private:
  MPI_Comm comm_;
  int rank_ = 0, size_ = 1;
};

}  // namespace cascade
