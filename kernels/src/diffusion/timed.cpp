// Timed cascades: parallel delta-stepping over the live subgraph, and a Dijkstra oracle.
//
// The tentative label of a vertex is one 64-bit word: (float32 time bits << 32) | recruiter.
// For non-negative floats the bit pattern orders like the value, so an atomic fetch-min on the
// word keeps the earliest time and, among equal times, the smallest recruiter id. Every
// relaxation from a vertex's final time happens (a vertex is re-queued whenever its time
// drops), and relaxations from larger tentative times can only give larger or equal words from
// the same recruiter, so the final word is schedule independent and equal to Dijkstra's.
#include "cascade/timed.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <queue>
#include <string>

#include "cascade/error.hpp"

namespace cascade {

// ---------------------------------------------------------------------------------------------
// The arc model of one trial, shared by both kernels so they do the same float arithmetic.

namespace {

constexpr std::uint64_t kUnreached = ~std::uint64_t{0};
constexpr std::uint64_t kDenseShare = 16;      // see TrialModel::finish
constexpr std::size_t kPrefetchedLabels = 32;  // see the delta-stepping relaxation

std::uint64_t pack(float time, Vertex recruiter) {
  return (static_cast<std::uint64_t>(std::bit_cast<std::uint32_t>(time)) << 32) | recruiter;
}
float key_time(std::uint64_t key) {
  return std::bit_cast<float>(static_cast<std::uint32_t>(key >> 32));
}

// The vertices with a label, ascending: chunks counted in parallel, then filled in parallel.
std::vector<Vertex> reached_by_scan(const std::uint64_t* keys, std::uint64_t n) {
  constexpr std::uint64_t kChunk = 1 << 16;
  const std::uint64_t chunks = (n + kChunk - 1) / kChunk;
  std::vector<std::uint64_t> start(chunks + 1, 0);
  tbb::parallel_for(std::uint64_t{0}, chunks, [&](std::uint64_t c) {
    for (std::uint64_t v = c * kChunk; v < std::min(n, (c + 1) * kChunk); ++v)
      start[c + 1] += keys[v] != kUnreached;
  });
  for (std::uint64_t c = 0; c < chunks; ++c) start[c + 1] += start[c];
  std::vector<Vertex> out(start[chunks]);
  tbb::parallel_for(std::uint64_t{0}, chunks, [&](std::uint64_t c) {
    std::uint64_t at = start[c];
    for (std::uint64_t v = c * kChunk; v < std::min(n, (c + 1) * kChunk); ++v)
      if (keys[v] != kUnreached) out[at++] = static_cast<Vertex>(v);
  });
  return out;
}

class TrialModel {
 public:
  /// is_seed: n zeros, borrowed; the seeds' entries are set (the caller clears them).
  TrialModel(const Graph& g, const LiveArcs& live, std::span<const Vertex> seeds,
             std::uint64_t trial, const TimedOptions& options, const VertexBehaviour& behaviour,
             std::vector<std::uint8_t>& is_seed)
      : g_(g),
        live_(live),
        delays_(options.delay, live.master_seed()),
        behaviour_(behaviour),
        coin_key_(live.trial_key(trial)),
        delay_key_(delays_.trial_key(trial)),
        join_key_(join_trial_key(live.master_seed(), trial)),
        horizon_(options.horizon_hours),
        is_seed_(is_seed) {
    const std::uint64_t n = g.num_vertices();
    if (!(options.horizon_hours >= 0.0))
      throw InvalidArgument("horizon_hours = " + std::to_string(options.horizon_hours) +
                            " must be >= 0");
    auto check = [n](std::size_t size, const char* what) {
      if (size != 0 && size != n)
        throw InvalidArgument(std::string(what) + " has " + std::to_string(size) +
                              " entries, expected one per vertex (" + std::to_string(n) + ")");
    };
    check(behaviour.share_threshold.size(), "share_threshold");
    check(behaviour.join_threshold.size(), "join_threshold");
    check(behaviour.delay_factor.size(), "delay_factor");
    if (behaviour.rule && (!behaviour.share_threshold.empty() ||
                           !behaviour.join_threshold.empty() || !behaviour.delay_factor.empty()))
      throw InvalidArgument("vertex behaviour: give a rule or arrays, not both");
    for (Vertex s : seeds)  // all checked before any flag is set
      if (s >= n)
        throw InvalidArgument("seed vertex " + std::to_string(s) + " is not < vertex count " +
                              std::to_string(n));
    for (Vertex s : seeds) {
      if (!is_seed_[s]) unique_seeds_.push_back(s);
      is_seed_[s] = 1;
    }
  }

  const Graph& graph() const { return g_; }
  const std::vector<Vertex>& seeds() const { return unique_seeds_; }
  bool is_seed(Vertex v) const { return is_seed_[v] != 0; }

  /// Does a reached vertex u pass the call on (seed, or its join coin succeeds)?
  bool transmits(Vertex u) const {
    if (is_seed_[u] || (behaviour_.join_threshold.empty() && !behaviour_.rule)) return true;
    return rng::coin(
        join_draw(live_.master_seed(), u, join_key_),
        behaviour_.rule ? behaviour_.rule->at(u).join_threshold : behaviour_.join_threshold[u]);
  }

  /// Calls visit(v, arrival) for each live out-arc u->v of a transmitting u reached at tu, whose
  /// arrival is within the horizon; skip(v) may veto a live arc before its delay is drawn (pure
  /// speed).
  template <class Skip, class Visit>
  void for_live_arcs(Vertex u, float tu, Skip&& skip, Visit&& visit) const {
    const auto nbrs = g_.out_neighbors(u);
    const auto weights = g_.out_weights(u);
    const bool per_vertex = !behaviour_.share_threshold.empty() || behaviour_.rule;
    std::uint64_t share = 0;
    double factor = 1.0;
    if (behaviour_.rule) {
      const VertexTraits traits = behaviour_.rule->at(u);
      share = traits.share_threshold;
      factor = static_cast<double>(traits.delay_factor);
    } else {
      if (per_vertex) share = behaviour_.share_threshold[u];
      if (!behaviour_.delay_factor.empty())
        factor = static_cast<double>(behaviour_.delay_factor[u]);
    }
    for (std::size_t k = 0; k < nbrs.size(); ++k) {
      const Vertex v = nbrs[k];
      const std::uint64_t threshold =
          per_vertex ? share : live_.threshold(v, weights.empty() ? 1.0f : weights[k]);
      // The coin before skip(v): most arcs are not live, and the coin is arithmetic while
      // skip(v) reads v's label, a cache miss on a large graph.
      if (!rng::coin_lane(live_.arc_hash(u, v), coin_key_, threshold) || skip(v)) continue;
      const float delay = static_cast<float>(delays_.hours(u, v, delay_key_) * factor);
      // Each hop adds at least one float ulp: recruiters are strictly earlier than their
      // recruits, so the recruiter array is always a forest (no zero-delay cycles).
      float tv = tu + delay;
      if (!(tv > tu)) tv = std::nextafter(tu, std::numeric_limits<float>::infinity());
      // A float sum past FLT_MAX (delays of 1e30 hours) is +infinity: never reached.
      if (static_cast<double>(tv) <= horizon_ && std::isfinite(tv)) visit(v, tv);
    }
  }

  /// Turns final labels into out, whose arrays are n long and unreached. `touched` lists every
  /// vertex whose label was set, each once, in any order: sorted, it is the reached list, and
  /// only those vertices are written, so this costs O(reached), not O(n). (A cascade that reached
  /// more than 1/kDenseShare of the graph reads the list off a scan of the labels instead: the
  /// same list, without an O(r log r) sort.)
  void finish(const std::uint64_t* keys, std::vector<Vertex> touched, TimedCascade& out) const {
    const std::uint64_t n = g_.num_vertices();
    if (touched.size() > n / kDenseShare)
      touched = reached_by_scan(keys, n);
    else
      tbb::parallel_sort(touched.begin(), touched.end());
    std::atomic<std::uint64_t> joined{0};
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, touched.size(), 1 << 14),
                      [&](const auto& range) {
                        std::uint64_t j = 0;
                        for (std::size_t i = range.begin(); i < range.end(); ++i) {
                          const Vertex v = touched[i];
                          out.time[v] = key_time(keys[v]);
                          if (!is_seed_[v]) out.recruiter[v] = static_cast<Vertex>(keys[v]);
                          out.joined[v] = transmits(v) ? 1 : 0;
                          j += out.joined[v];
                        }
                        joined += j;
                      });
    out.reached = touched.size();
    out.joined_count = joined;
    out.reached_vertices = std::move(touched);
  }

 private:
  const Graph& g_;
  const LiveArcs& live_;
  ArcDelays delays_;
  VertexBehaviour behaviour_;
  rng::TrialCoinKey coin_key_;
  std::uint64_t delay_key_, join_key_;
  double horizon_;
  std::vector<std::uint8_t>& is_seed_;
  std::vector<Vertex> unique_seeds_;
};

// A cascade of n vertices with none reached.
void fill_unreached(TimedCascade& c, std::uint64_t n) {
  c.time.assign(n, std::numeric_limits<float>::infinity());
  c.recruiter.assign(n, kNoVertex);
  c.joined.assign(n, 0);
  c.reached_vertices.clear();
  c.reached = c.joined_count = 0;
}

}  // namespace

void TimedWorkspace::reset(std::uint64_t n) {
  if (clean_ && keys_.size() == n) {  // undo the last trial only
    for (const Vertex v : cascade_.reached_vertices) {
      keys_[v].store(kUnreached, std::memory_order_relaxed);
      stamp_[v].store(0, std::memory_order_relaxed);
      is_seed_[v] = 0;
      cascade_.time[v] = std::numeric_limits<float>::infinity();
      cascade_.recruiter[v] = kNoVertex;
      cascade_.joined[v] = 0;
    }
    cascade_.reached_vertices.clear();
    cascade_.reached = cascade_.joined_count = 0;
    return;
  }
  clean_ = false;
  keys_ = std::vector<std::atomic<std::uint64_t>>(n);
  stamp_ = std::vector<std::atomic<std::uint32_t>>(n);
  tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, n, 1 << 14), [&](const auto& range) {
    for (auto v = range.begin(); v < range.end(); ++v) {
      keys_[v].store(kUnreached, std::memory_order_relaxed);
      stamp_[v].store(0, std::memory_order_relaxed);
    }
  });
  is_seed_.assign(n, 0);
  fill_unreached(cascade_, n);
}

// ---------------------------------------------------------------------------------------------
// Parallel delta-stepping (after GAPBS sssp.cc): a shared frontier holds the current bucket;
// each thread files improved vertices into its own bins; the next frontier is the lowest
// non-empty bin over all threads (the current one again while relaxations stay in it).

TimedCascade timed_cascade(const Graph& g, const LiveArcs& live, std::span<const Vertex> seeds,
                           std::uint64_t trial, const TimedOptions& options,
                           const VertexBehaviour& behaviour) {
  TimedWorkspace workspace;
  timed_cascade(g, live, seeds, trial, options, behaviour, workspace);
  return workspace.take();
}

const TimedCascade& timed_cascade(const Graph& g, const LiveArcs& live,
                                  std::span<const Vertex> seeds, std::uint64_t trial,
                                  const TimedOptions& options, const VertexBehaviour& behaviour,
                                  TimedWorkspace& workspace) {
  workspace.reset(g.num_vertices());
  const TrialModel model(g, live, seeds, trial, options, behaviour, workspace.is_seed_);
  workspace.clean_ = false;  // until finish() has recorded what this trial touched
  auto& keys = workspace.keys_;
  auto& stamp = workspace.stamp_;
  const double delta =
      options.delta_hours > 0.0 ? options.delta_hours : options.delay.median_hours / 2.0;
  for (Vertex s : model.seeds()) keys[s].store(0, std::memory_order_relaxed);  // time 0

  // Bucket of a time; huge times (heavy-tailed delays, tiny delta) saturate instead of
  // overflowing the conversion.
  auto bin_of = [delta](float t) {
    const double q = static_cast<double>(t) / delta;
    return q < 1e18 ? static_cast<std::size_t>(q) : static_cast<std::size_t>(1e18);
  };
  // Each thread holds the buckets [base, base + kWindow) densely and everything later in one
  // unsorted "far" list; when the window runs empty it moves to the earliest far bucket. So the
  // bins' memory is bounded by kWindow per thread whatever the delays (a log-normal of shape 20
  // or delta_hours 1e-9 once asked for a vector of 10^12 buckets).
  constexpr std::size_t kWindow = std::size_t{1} << 14;
  struct Bins {
    std::vector<std::vector<Vertex>> near;
    std::vector<Vertex> far;
    std::vector<Vertex> touched;  // vertices this thread reached first
  };
  tbb::enumerable_thread_specific<Bins> local_bins;
  std::size_t base = 0;

  std::vector<Vertex> frontier = model.seeds();
  std::size_t bin = 0;
  for (std::uint32_t round = 1; !frontier.empty(); ++round) {
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, frontier.size(), 64), [&](const auto& range) {
          Bins& bins = local_bins.local();
          for (std::size_t i = range.begin(); i < range.end(); ++i) {
            const Vertex u = frontier[i];
            const float tu = key_time(keys[u].load(std::memory_order_relaxed));
            // Stale entries (u settled in an earlier bucket) and duplicates within a round skip.
            if (bin_of(tu) < bin || stamp[u].exchange(round, std::memory_order_relaxed) == round)
              continue;
            if (!model.transmits(u)) continue;
            // The labels of u's out-neighbours are random reads of an n-long array (a cache
            // miss each on a large graph): ask for the first few together before the arc loop.
            for (const Vertex v : g.out_neighbors(u).first(
                     std::min<std::size_t>(g.out_degree(u), kPrefetchedLabels)))
              __builtin_prefetch(&keys[v]);
            model.for_live_arcs(
                u, tu,
                [&](Vertex v) {  // cannot improve: v is already earlier than u
                  return key_time(keys[v].load(std::memory_order_relaxed)) < tu;
                },
                [&](Vertex v, float tv) {
                  const std::uint64_t candidate = pack(tv, u);
                  std::uint64_t old = keys[v].load(std::memory_order_relaxed);
                  while (candidate < old) {
                    if (keys[v].compare_exchange_weak(old, candidate, std::memory_order_relaxed)) {
                      // Re-queue only when the time dropped; a smaller recruiter alone changes
                      // nothing downstream. tv >= tu, so its bucket is >= bin >= base.
                      if (old == kUnreached) bins.touched.push_back(v);
                      if (old == kUnreached || tv < key_time(old)) {
                        const std::size_t b = bin_of(tv) - base;
                        if (b >= kWindow) {
                          bins.far.push_back(v);
                        } else {
                          if (b >= bins.near.size()) bins.near.resize(b + 1);
                          bins.near[b].push_back(v);
                        }
                      }
                      break;
                    }
                  }
                });
          }
        });
    // Next bucket: the lowest non-empty bin >= the current one, over all threads.
    constexpr std::size_t kNone = ~std::size_t{0};
    std::size_t next = kNone;
    for (Bins& bins : local_bins)
      for (std::size_t b = bin - base; b < bins.near.size() && base + b < next; ++b)
        if (!bins.near[b].empty()) {
          next = base + b;
          break;
        }
    if (next == kNone) {  // the window is empty: move it to the earliest pending far bucket
      std::vector<Vertex> far;
      for (Bins& bins : local_bins) {
        far.insert(far.end(), bins.far.begin(), bins.far.end());
        bins.far.clear();
      }
      const auto bucket = [&](Vertex v) {
        return bin_of(key_time(keys[v].load(std::memory_order_relaxed)));
      };
      for (Vertex v : far)
        if (const std::size_t b = bucket(v); b >= bin) next = std::min(next, b);
      if (next == kNone) break;  // only stale entries (settled since they were filed)
      base = next;
      Bins& mine = local_bins.local();
      for (Vertex v : far) {
        const std::size_t b = bucket(v);
        if (b < bin) continue;
        if (b - base >= kWindow) {
          mine.far.push_back(v);
        } else {
          if (b - base >= mine.near.size()) mine.near.resize(b - base + 1);
          mine.near[b - base].push_back(v);
        }
      }
    }
    frontier.clear();
    for (Bins& bins : local_bins)
      if (next - base < bins.near.size()) {
        frontier.insert(frontier.end(), bins.near[next - base].begin(),
                        bins.near[next - base].end());
        bins.near[next - base].clear();
      }
    bin = next;
  }
  std::vector<Vertex> touched = model.seeds();
  for (Bins& bins : local_bins)
    touched.insert(touched.end(), bins.touched.begin(), bins.touched.end());
  static_assert(sizeof(std::atomic<std::uint64_t>) == sizeof(std::uint64_t));
  model.finish(reinterpret_cast<const std::uint64_t*>(keys.data()), std::move(touched),
               workspace.cascade_);
  workspace.clean_ = true;
  return workspace.cascade_;
}

// ---------------------------------------------------------------------------------------------
// Dijkstra oracle: a binary heap of (time, vertex), lazy deletion.

TimedCascade timed_cascade_dijkstra(const Graph& g, const LiveArcs& live,
                                    std::span<const Vertex> seeds, std::uint64_t trial,
                                    const TimedOptions& options, const VertexBehaviour& behaviour) {
  const std::uint64_t n = g.num_vertices();
  std::vector<std::uint8_t> is_seed(n, 0);
  const TrialModel model(g, live, seeds, trial, options, behaviour, is_seed);
  std::vector<std::uint64_t> keys(n, kUnreached);
  std::vector<std::uint8_t> settled(n, 0);
  using Entry = std::pair<float, Vertex>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap;
  std::vector<Vertex> touched = model.seeds();
  for (Vertex s : model.seeds()) {
    keys[s] = 0;
    heap.push({0.0f, s});
  }
  while (!heap.empty()) {
    const float tu = heap.top().first;  // not a structured binding: lambdas capture these
    const Vertex u = heap.top().second;
    heap.pop();
    if (settled[u]) continue;
    settled[u] = 1;
    if (!model.transmits(u)) continue;
    model.for_live_arcs(
        u, tu, [](Vertex) { return false; },
        [&](Vertex v, float tv) {
          const std::uint64_t candidate = pack(tv, u);
          if (candidate < keys[v]) {
            if (keys[v] == kUnreached) touched.push_back(v);
            const bool earlier = keys[v] == kUnreached || tv < key_time(keys[v]);
            keys[v] = candidate;
            if (earlier) heap.push({tv, v});
          }
        });
  }
  TimedCascade out;
  fill_unreached(out, n);
  model.finish(keys.data(), std::move(touched), out);
  return out;
}

}  // namespace cascade
