#include "cascade/graph.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <string>

#include "cascade/error.hpp"
#include "cascade/labels.hpp"
#include "csr_assembly.hpp"

namespace cascade {

// Storage shared by copies of a Graph: the owned arrays (or the owner of borrowed ones) and the
// lazily built transpose.
struct Graph::Shared {
  std::vector<Offset> offsets;
  std::vector<Vertex> targets;
  std::vector<float> weights;
  std::shared_ptr<const void> owner;
  std::once_flag transpose_once;
  std::unique_ptr<Graph> transpose;
};

Graph::Graph() : shared_(std::make_shared<Shared>()) {}

Graph::Graph(std::vector<Offset> offsets, std::vector<Vertex> targets, std::vector<float> weights,
             bool symmetric)
    : symmetric_(symmetric), shared_(std::make_shared<Shared>()) {
  shared_->offsets = std::move(offsets);
  shared_->targets = std::move(targets);
  shared_->weights = std::move(weights);
  offsets_ = shared_->offsets;
  targets_ = shared_->targets;
  weights_ = shared_->weights;
  validate();
}

Graph::Graph(std::span<const Offset> offsets, std::span<const Vertex> targets,
             std::span<const float> weights, bool symmetric, std::shared_ptr<const void> owner,
             bool trusted)
    : offsets_(offsets),
      targets_(targets),
      weights_(weights),
      symmetric_(symmetric),
      shared_(std::make_shared<Shared>()) {
  shared_->owner = std::move(owner);
  if (!trusted) validate();
}

void Graph::validate() const {
  if (offsets_.empty()) {
    if (!targets_.empty()) throw InvalidArgument("CSR: arcs without vertices");
    return;
  }
  const std::uint64_t n = offsets_.size() - 1;
  if (n > kMaxVertices)
    throw InvalidArgument("CSR: " + std::to_string(n) + " vertices exceed the limit of " +
                          std::to_string(kMaxVertices));
  if (offsets_[0] != 0) throw InvalidArgument("CSR: offsets[0] is not 0");
  if (offsets_[n] != targets_.size())
    throw InvalidArgument("CSR: offsets[n] = " + std::to_string(offsets_[n]) + " but there are " +
                          std::to_string(targets_.size()) + " arcs");
  if (!weights_.empty() && weights_.size() != targets_.size())
    throw InvalidArgument("CSR: " + std::to_string(weights_.size()) + " weights for " +
                          std::to_string(targets_.size()) + " arcs");
  // First bad vertex (n if none): offsets monotone, targets in range and sorted, weights in [0,1].
  const std::uint64_t bad = tbb::parallel_reduce(
      tbb::blocked_range<std::uint64_t>(0, n), n,
      [&](const tbb::blocked_range<std::uint64_t>& r, std::uint64_t first) {
        for (std::uint64_t u = r.begin(); u < r.end() && u < first; ++u) {
          if (offsets_[u + 1] < offsets_[u] || offsets_[u + 1] > targets_.size()) return u;
          for (std::uint64_t a = offsets_[u]; a < offsets_[u + 1]; ++a) {
            if (targets_[a] >= n || (a > offsets_[u] && targets_[a] < targets_[a - 1])) return u;
            if (!weights_.empty() && !(weights_[a] >= 0.0f && weights_[a] <= 1.0f)) return u;
          }
        }
        return first;
      },
      [](std::uint64_t a, std::uint64_t b) { return std::min(a, b); });
  if (bad == n) return;
  // Name the exact fault and value of the first bad vertex (a hostile .csr loaded with
  // --no-verify ends here, and "something is wrong with vertex u" does not say what).
  const std::string at = "CSR: vertex " + std::to_string(bad) + ": ";
  const std::uint64_t lo = offsets_[bad], hi = offsets_[bad + 1];
  if (hi < lo)
    throw InvalidArgument(at + "offsets decrease (" + std::to_string(lo) + " then " +
                          std::to_string(hi) + ")");
  if (hi > targets_.size())
    throw InvalidArgument(at + "offset " + std::to_string(hi) + " beyond the " +
                          std::to_string(targets_.size()) + " arcs");
  for (std::uint64_t a = lo; a < hi; ++a) {
    if (targets_[a] >= n)
      throw InvalidArgument(at + "arc " + std::to_string(a) + " has target " +
                            std::to_string(targets_[a]) + ", not below the " + std::to_string(n) +
                            " vertices");
    if (a > lo && targets_[a] < targets_[a - 1])
      throw InvalidArgument(at + "targets not sorted: arc " + std::to_string(a) + " has " +
                            std::to_string(targets_[a]) + " after " +
                            std::to_string(targets_[a - 1]));
    if (!weights_.empty() && !(weights_[a] >= 0.0f && weights_[a] <= 1.0f))
      throw InvalidArgument(at + "arc " + std::to_string(a) + " has weight " +
                            std::to_string(weights_[a]) + " outside [0, 1]");
  }
}

const Graph& Graph::transpose() const {
  if (symmetric_) return *this;
  std::call_once(shared_->transpose_once, [this] {
    const std::uint64_t n = num_vertices();
    detail::AssemblyOptions opt;
    opt.weighted = has_weights();
    auto produce = [this](std::uint64_t u, auto&& sink) {
      const auto nbrs = out_neighbors(static_cast<Vertex>(u));
      const auto ws = out_weights(static_cast<Vertex>(u));
      for (std::size_t k = 0; k < nbrs.size(); ++k)
        sink(nbrs[k], static_cast<Vertex>(u), ws.empty() ? 1.0f : ws[k]);
    };
    shared_->transpose = std::make_unique<Graph>(detail::assemble(n, n, produce, opt));
  });
  return *shared_->transpose;
}

Graph Graph::with_labels(std::shared_ptr<const VertexLabels> labels) const {
  if (labels && labels->size() != num_vertices())
    throw InvalidArgument(std::to_string(labels->size()) + " labels for a graph of " +
                          std::to_string(num_vertices()) + " vertices");
  Graph g = *this;
  g.labels_ = std::move(labels);
  return g;
}

bool same_labels(const Graph& a, const Graph& b) {
  if (!a.has_labels() || !b.has_labels()) return a.has_labels() == b.has_labels();
  return *a.labels() == *b.labels();
}

std::uint64_t Graph::csr_bytes() const {
  return offsets_.size_bytes() + targets_.size_bytes() + weights_.size_bytes();
}

bool operator==(const Graph& a, const Graph& b) {
  // Offsets compare only when there are vertices: an empty Graph() has no offsets at all, an
  // empty built graph has the single offset 0, and both are the graph with no vertices.
  return a.num_vertices() == b.num_vertices() && a.symmetric_ == b.symmetric_ &&
         (a.num_vertices() == 0 ||
          std::equal(a.offsets_.begin(), a.offsets_.end(), b.offsets_.begin(), b.offsets_.end())) &&
         std::equal(a.targets_.begin(), a.targets_.end(), b.targets_.begin(), b.targets_.end()) &&
         std::equal(a.weights_.begin(), a.weights_.end(), b.weights_.begin(), b.weights_.end());
}

}  // namespace cascade
