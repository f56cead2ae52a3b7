// Fingerprints of a rank's inputs, compared across ranks before a distributed run.
#include "cascade/distributed.hpp"

#include <cstdio>
#include <cstring>

#include "cascade/error.hpp"

#ifndef XXH_INLINE_ALL
#define XXH_INLINE_ALL
#endif
#include <xxhash.h>

namespace cascade {
namespace {

std::string hex(std::uint64_t x) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%016llx", static_cast<unsigned long long>(x));
  return text;
}

}  // namespace

std::uint64_t graph_fingerprint(const Graph& g) {
  XXH3_state_t* state = XXH3_createState();
  XXH3_64bits_reset(state);
  const std::uint64_t header[3] = {g.num_vertices(), g.num_arcs(),
                                   (g.is_symmetric() ? 1u : 0u) | (g.has_weights() ? 2u : 0u)};
  XXH3_64bits_update(state, header, sizeof header);
  XXH3_64bits_update(state, g.offsets().data(), g.offsets().size_bytes());
  XXH3_64bits_update(state, g.targets().data(), g.targets().size_bytes());
  XXH3_64bits_update(state, g.weights().data(), g.weights().size_bytes());
  const std::uint64_t h = XXH3_64bits_digest(state);
  XXH3_freeState(state);
  return h;
}

std::uint64_t text_fingerprint(std::string_view text, std::uint64_t seed) {
  return XXH3_64bits_withSeed(text.data(), text.size(), seed);
}

void require_same_inputs(const Communicator& comm, std::uint64_t fingerprint,
                         const std::string& what) {
  if (comm.size() <= 1) return;
  std::byte mine[sizeof fingerprint];
  std::memcpy(mine, &fingerprint, sizeof fingerprint);
  const auto all = comm.gather(mine, /*to_all=*/true);
  std::uint64_t first = 0;
  for (std::size_t r = 0; r < all.size(); ++r) {
    std::uint64_t theirs = 0;
    if (all[r].size() != sizeof theirs)
      throw InvalidArgument("rank " + std::to_string(r) + " sent no input fingerprint");
    std::memcpy(&theirs, all[r].data(), sizeof theirs);
    if (r == 0) first = theirs;
    if (theirs != first)
      throw InvalidArgument("ranks were given different inputs: rank " + std::to_string(r) + "'s " +
                            what + " hash to " + hex(theirs) + ", rank 0's to " + hex(first) +
                            " (give every rank the same files and flags)");
  }
}

}  // namespace cascade
