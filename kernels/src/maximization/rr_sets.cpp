// Reverse-reachable (RR) sets: sampling them (greedy coverage over them is coverage.cpp).
//
// Determinism first: RR set i depends only on (master seed, i). Sets are sampled in fixed blocks
// of kBlock consecutive ids, each block into its own buffer, and the buffers are appended in
// block order, so the stored collection is the same for any thread count and schedule.
//
// IC: the root is uniform; a breadth-first search over in-arcs keeps arc u->w when it is live.
//  - forward coins (InfluenceModel::forward_coins, and always with per-arc weights): LiveArcs'
//    coin of u->w in trial i -- the very coin a forward IC trial i flips, so RR set i is the set
//    of vertices whose trial-i cascade reaches the root. O(in-degree) hashes per visited vertex.
//  - geometric skips (uniform p, weighted cascade: all in-arcs of w share one p): the live in-arcs
//    of w are found by jumping Geometric(p) positions at a time along w's in-arcs, with uniforms
//    from a counter-based stream keyed by (master, i, w) -- the same distribution of live arcs,
//    O(1 + live in-arcs) per visited vertex instead of O(in-degree) (SUBSIM, Guo et al., SIGMOD
//    2020). This is what makes p = 0.01 on hubs with 10^4 in-arcs cheap.
// LT: the live-edge equivalent (Kempe, Kleinberg & Tardos 2003): each vertex w keeps at most one
// in-arc, u->w with probability b(u,w) (none with 1 - sum of b). The choice is the first in-arc
// (ascending source) at which the prefix sum of influences reaches theta_w, the threshold of w in
// trial i (uniform on {1..2^53}, fixed point as in LtModel), so it is exact in fixed point. The RR
// set is the reverse walk from the root until no arc is kept or a vertex repeats.
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <optional>

#include "cascade/error.hpp"
#include "cascade/maximize.hpp"
#include "cascade/memory.hpp"
#include "cascade/parallel.hpp"
#include "cascade/random.hpp"

namespace cascade {
namespace {

// Block and round sizes only schedule work: every set depends on its id alone and sets are
// appended in id order, so neither changes the result.
constexpr std::uint64_t kBlock = 8;                              // RR sets per parallel task
constexpr std::uint64_t kExchangeSets = std::uint64_t{1} << 14;  // RR sets per MPI exchange
constexpr std::uint64_t kRootSalt = 0x5252u;                 // roots: their own stream of kSeeds
constexpr std::uint64_t kSkipSalt = std::uint64_t{1} << 40;  // geometric skips: own kArcCoin stream

// Per-thread scratch: epoch-stamped visit marks, so a set costs O(its size), not O(n).
struct Scratch {
  std::vector<std::uint32_t> mark;
  std::vector<Vertex> live;  // live in-arc positions, then sources, of one vertex
  std::uint32_t epoch = 0;
  void begin(std::uint64_t n) {
    if (mark.size() != n) {
      mark.assign(n, 0);
      epoch = 0;
    }
    if (++epoch == 0) {
      std::fill(mark.begin(), mark.end(), 0);
      epoch = 1;
    }
  }
  bool visit(Vertex v) {
    if (mark[v] == epoch) return false;
    mark[v] = epoch;
    return true;
  }
};

struct BlockOut {
  std::vector<Vertex> vertices;
  std::vector<std::uint32_t> sizes;
  std::uint64_t work = 0;
};

}  // namespace

struct RrSampler::Impl {
  const Graph& g;
  const Graph& in;
  InfluenceModel model;
  std::optional<LiveArcs> coins;  // IC
  std::optional<LtModel> lt;      // LT
  bool geometric = false;         // IC: geometric skips instead of per-arc coins
  double inv_log_q_uniform = 0;   // geometric skips, uniform p: 1 / ln(1 - p)
  mutable tbb::enumerable_thread_specific<Scratch> scratch;

  Impl(const Graph& graph, const InfluenceModel& m) : g(graph), in(graph.transpose()), model(m) {
    if (m.model == Model::kIc) {
      coins.emplace(graph, m.probability, m.master_seed);
      geometric = !m.forward_coins && m.probability.model != ProbabilityModel::kArcWeights;
      const double p = m.probability.p;
      if (m.probability.model == ProbabilityModel::kUniform && p > 0.0 && p < 1.0)
        inv_log_q_uniform = 1.0 / std::log1p(-p);
    } else {
      lt.emplace(graph, LtParams{m.lt_use_weights}, m.master_seed);
    }
  }

  Vertex root(std::uint64_t i) const {
    return static_cast<Vertex>(rng::below(
        rng::hash(model.master_seed, rng::Purpose::kSeeds, i, kRootSalt), g.num_vertices()));
  }

  // Appends RR set i (breadth-first from its root over live in-arcs) to out; returns the work
  // done. One loop for both coin kinds: only how the live in-arcs of w are found differs.
  // With a sentinel: a set that reaches it is cut short and stored as {sentinel}.
  std::uint64_t sample_ic(std::uint64_t i, Vertex sentinel, Scratch& s,
                          std::vector<Vertex>& out) const {
    const std::size_t start = out.size();
    // The coin key (53 plane keys) only where coins are flipped.
    const rng::TrialCoinKey key = geometric ? rng::TrialCoinKey{} : coins->trial_key(i);
    std::uint64_t work = 0;
    s.begin(g.num_vertices());
    const Vertex r = root(i);
    s.visit(r);
    out.push_back(r);
    if (r == sentinel) return work;
    for (std::size_t head = start; head < out.size(); ++head) {
      const Vertex w = out[head];
      work += geometric ? live_by_skips(i, w, s) : live_by_coins(key, w, s);
      for (Vertex u : s.live)
        if (s.visit(u)) {
          if (u == sentinel) {
            out.resize(start);
            out.push_back(sentinel);
            return work;
          }
          __builtin_prefetch(&in.offsets()[u]);  // read when u's turn in the queue comes
          out.push_back(u);
        }
    }
    return work;
  }

  // s.live = the sources of w's live in-arcs in trial `key` by LiveArcs' coins -- the very coin
  // forward IC trial i flips. Sources already in the set are skipped without a hash.
  std::uint64_t live_by_coins(const rng::TrialCoinKey& key, Vertex w, Scratch& s) const {
    const bool weighted = in.has_weights();
    const auto sources = in.out_neighbors(w);
    const auto weights = weighted ? in.out_weights(w) : std::span<const float>();
    s.live.clear();
    for (std::size_t a = 0; a < sources.size(); ++a) {
      const Vertex u = sources[a];
      if (s.mark[u] == s.epoch) continue;
      if (coins->live(u, w, weighted ? weights[a] : 0.0f, key)) s.live.push_back(u);
    }
    return sources.size();
  }

  // s.live = the sources of w's live in-arcs by geometric skips (all in-arcs of w share one p).
  std::uint64_t live_by_skips(std::uint64_t i, Vertex w, Scratch& s) const {
    s.live.clear();
    const auto sources = in.out_neighbors(w);
    const std::uint64_t d = sources.size();
    if (d == 0) return 0;
    const bool uniform = model.probability.model == ProbabilityModel::kUniform;
    const double p = uniform ? model.probability.p : 1.0 / static_cast<double>(d);
    if (!(p > 0.0)) return 0;
    if (p >= 1.0) {  // every in-arc is live
      s.live.assign(sources.begin(), sources.end());
      return 1 + d;
    }
    const double inv_log_q = uniform ? inv_log_q_uniform : 1.0 / std::log1p(-p);
    rng::Stream stream(model.master_seed, rng::Purpose::kArcCoin, i, kSkipSalt | w);
    // Skip Geometric(p) dead arcs: P(skip >= s) = P(U <= q^s) = q^s for U uniform on (0, 1].
    // Positions first, then the sources, then the marks: each pass prefetches what the next
    // reads, so the cache misses of one vertex's live arcs overlap (sampling is memory-bound).
    for (std::uint64_t j = 0;;) {
      const double skip = std::floor(std::log(rng::unit_open0(stream.next())) * inv_log_q);
      if (!(skip < static_cast<double>(d - j))) break;
      j += static_cast<std::uint64_t>(skip);
      __builtin_prefetch(&sources[j]);
      s.live.push_back(static_cast<Vertex>(j));
      if (++j >= d) break;
    }
    for (Vertex& j : s.live) {
      j = sources[j];
      __builtin_prefetch(&s.mark[j]);
    }
    return 1 + s.live.size();
  }

  std::uint64_t sample_lt(std::uint64_t i, Vertex sentinel, Scratch& s,
                          std::vector<Vertex>& out) const {
    const std::size_t start = out.size();
    const bool weighted = lt->params().use_weights;
    std::uint64_t work = 0;
    s.begin(g.num_vertices());
    Vertex w = root(i);
    s.visit(w);
    out.push_back(w);
    while (w != sentinel) {
      ++work;
      const auto sources = in.out_neighbors(w);
      if (sources.empty()) break;
      const auto weights = weighted ? in.out_weights(w) : std::span<const float>();
      const std::uint64_t theta = lt->threshold(i, w);
      std::uint64_t sum = 0;
      Vertex chosen = kNoVertex;
      for (std::size_t a = 0; a < sources.size(); ++a) {
        sum += lt->influence(w, weighted ? weights[a] : 0.0f);
        if (sum >= theta) {
          chosen = sources[a];
          break;
        }
      }
      if (chosen == kNoVertex || !s.visit(chosen)) break;
      if (chosen == sentinel) out.resize(start);
      out.push_back(chosen);
      w = chosen;
    }
    return work;
  }
};

RrSampler::RrSampler(const Graph& g, const InfluenceModel& model, const Communicator* comm)
    : impl_(std::make_unique<Impl>(g, model)), comm_(comm) {}
RrSampler::~RrSampler() = default;

Vertex RrSampler::root(std::uint64_t i) const { return impl_->root(i); }

std::uint64_t RrSampler::sample(std::uint64_t first, std::uint64_t count, RrSets& out,
                                Vertex sentinel) const {
  if (comm_ == nullptr || comm_->size() <= 1) return sample_here(first, count, out, sentinel);
  // Chunks of ids bound the messages (each chunk's sets exist about three times while exchanged:
  // this rank's part, the gathered parts, the appended copy); each chunk is split over the ranks
  // and appended in id order, so the collection is the same for any chunk size.
  std::uint64_t work = 0;
  for (std::uint64_t done = 0; done < count; done += kExchangeSets)
    work += exchange(first + done, std::min(kExchangeSets, count - done), out, sentinel);
  return work;
}

std::uint64_t RrSampler::exchange(std::uint64_t first, std::uint64_t count, RrSets& out,
                                  Vertex sentinel) const {
  // Split over ranks: this rank samples its contiguous block of ids, then every rank appends all
  // blocks in rank (= id) order -- the collection one process would have drawn, on every rank.
  const TrialRange mine = rank_trials(count, comm_->rank(), comm_->size());
  RrSets part;
  const std::uint64_t work = sample_here(first + mine.begin, mine.size(), part, sentinel);
  // Message: work, number of sets, the set sizes (u64), the vertices.
  std::vector<std::byte> bytes((2 + part.size()) * 8 + part.vertices.size() * sizeof(Vertex));
  std::byte* at = bytes.data();
  auto put = [&at](const void* data, std::size_t size) {
    if (size) std::memcpy(at, data, size);
    at += size;
  };
  const std::uint64_t sets = part.size();
  put(&work, 8);
  put(&sets, 8);
  for (std::uint64_t i = 0; i < sets; ++i) {
    const std::uint64_t size = part.offsets[i + 1] - part.offsets[i];
    put(&size, 8);
  }
  put(part.vertices.data(), part.vertices.size() * sizeof(Vertex));
  part = {};
  const auto all = comm_->gather(bytes, /*to_all=*/true);
  bytes = {};
  std::uint64_t total_work = 0;
  for (const auto& m : all) {
    const std::byte* in = m.data();
    std::uint64_t w = 0, n_sets = 0;
    std::memcpy(&w, in, 8);
    std::memcpy(&n_sets, in + 8, 8);
    total_work += w;
    const std::byte* sizes = in + 16;
    const std::byte* verts = sizes + n_sets * 8;
    const std::uint64_t n_verts = (m.size() - 16 - n_sets * 8) / sizeof(Vertex);
    const std::uint64_t need = out.vertices.size() + n_verts;
    if (need > out.vertices.capacity()) {
      const std::uint64_t grown = std::max<std::uint64_t>(need, out.vertices.capacity() * 5 / 4);
      require_memory((grown - out.vertices.capacity()) * sizeof(Vertex) + out.bytes(),
                     "reverse-reachable sets for influence maximization");
      out.vertices.reserve(grown);
    }
    const std::size_t old = out.vertices.size();
    out.vertices.resize(need);
    if (n_verts) std::memcpy(out.vertices.data() + old, verts, n_verts * sizeof(Vertex));
    for (std::uint64_t i = 0; i < n_sets; ++i) {
      std::uint64_t size = 0;
      std::memcpy(&size, sizes + i * 8, 8);
      out.offsets.push_back(out.offsets.back() + size);
    }
  }
  return total_work;
}

std::uint64_t RrSampler::sample_here(std::uint64_t first, std::uint64_t count, RrSets& out,
                                     Vertex sentinel) const {
  if (count == 0 || impl_->g.num_vertices() == 0) return 0;
  std::uint64_t work = 0;
  std::vector<BlockOut> blocks;
  // Rounds of a few blocks per thread bound the buffered copies (a set can hold 10^5 vertices).
  const std::uint64_t round_sets = kBlock * 64 * std::max<std::uint64_t>(1, max_threads());
  for (std::uint64_t done = 0; done < count;) {
    const std::uint64_t round = std::min(count - done, round_sets);
    const std::uint64_t nblocks = (round + kBlock - 1) / kBlock;
    blocks.assign(nblocks, {});
    tbb::parallel_for(std::uint64_t{0}, nblocks, [&](std::uint64_t b) {
      Scratch& s = impl_->scratch.local();
      BlockOut& o = blocks[b];
      const std::uint64_t lo = first + done + b * kBlock;
      const std::uint64_t hi = std::min(lo + kBlock, first + done + round);
      o.sizes.reserve(hi - lo);
      for (std::uint64_t i = lo; i < hi; ++i) {
        const std::size_t before = o.vertices.size();
        o.work += impl_->model.model == Model::kLt ? impl_->sample_lt(i, sentinel, s, o.vertices)
                                                   : impl_->sample_ic(i, sentinel, s, o.vertices);
        o.sizes.push_back(static_cast<std::uint32_t>(o.vertices.size() - before));
      }
    });
    // Append in block order. Grow the flat arrays by at least 1/4 so appends stay amortized O(1)
    // without doubling the peak.
    std::uint64_t added = 0;
    for (const BlockOut& o : blocks) added += o.vertices.size();
    const std::uint64_t need = out.vertices.size() + added;
    if (need > out.vertices.capacity()) {
      const std::uint64_t grown = std::max<std::uint64_t>(need, out.vertices.capacity() * 5 / 4);
      require_memory((grown - out.vertices.capacity()) * sizeof(Vertex) + out.bytes(),
                     "reverse-reachable sets for influence maximization");
      out.vertices.reserve(grown);
    }
    std::vector<std::uint64_t> at(nblocks + 1, out.vertices.size());
    for (std::uint64_t b = 0; b < nblocks; ++b) at[b + 1] = at[b] + blocks[b].vertices.size();
    out.vertices.resize(need);
    out.offsets.reserve(out.offsets.size() + round);
    for (BlockOut& o : blocks) {
      for (std::uint32_t size : o.sizes) out.offsets.push_back(out.offsets.back() + size);
      work += o.work;
    }
    tbb::parallel_for(std::uint64_t{0}, nblocks, [&](std::uint64_t b) {
      if (!blocks[b].vertices.empty())
        std::memcpy(out.vertices.data() + at[b], blocks[b].vertices.data(),
                    blocks[b].vertices.size() * sizeof(Vertex));
      blocks[b] = {};
    });
    done += round;
  }
  return work;
}

}  // namespace cascade
