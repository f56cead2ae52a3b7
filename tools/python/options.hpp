#pragma once
// Keyword arguments shared by the Python bindings (module.cpp, estimate.cpp) turned into library
// options, and the numpy hand-over of result vectors.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <vector>

#include "cascade/error.hpp"
#include "cascade/live_arcs.hpp"
#include "cascade/monte_carlo.hpp"

namespace cascade::python {

namespace py = pybind11;

/// Moves a vector into a numpy array that owns it (no copy).
template <class T>
py::array_t<T> to_numpy(std::vector<T>&& values) {
  auto* owned = new std::vector<T>(std::move(values));
  py::capsule free_when_done(owned, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>(static_cast<py::ssize_t>(owned->size()), owned->data(), free_when_done);
}

/// Exactly one of p=, weights=True, weighted_cascade=True.
inline ArcProbability probability_of(std::optional<double> p, bool weights, bool weighted_cascade) {
  if (static_cast<int>(p.has_value()) + static_cast<int>(weights) +
          static_cast<int>(weighted_cascade) !=
      1)
    throw InvalidArgument("give exactly one of p=, weights=True, weighted_cascade=True");
  if (weights) return ArcProbability::arc_weights();
  if (weighted_cascade) return ArcProbability::weighted_cascade();
  return ArcProbability::uniform(*p);
}

/// Exactly one of seeds= (a list of ids), random_seeds= (k per trial), top_degree= (k).
inline SeedSpec seed_spec(const py::object& seeds, std::optional<std::uint64_t> random,
                          std::optional<std::uint64_t> top_degree) {
  const int given = static_cast<int>(!seeds.is_none()) + static_cast<int>(random.has_value()) +
                    static_cast<int>(top_degree.has_value());
  if (given != 1) throw InvalidArgument("give exactly one of seeds=, random_seeds=, top_degree=");
  if (random) return SeedSpec::random(*random);
  if (top_degree) return SeedSpec::top_degree(*top_degree);
  return SeedSpec::list(seeds.cast<std::vector<Vertex>>());
}

/// Adds estimate_spread (all engines and models) and mobilize to the module (estimate.cpp).
void bind_estimation(py::module_& m);

}  // namespace cascade::python
