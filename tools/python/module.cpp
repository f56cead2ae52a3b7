// The extension `cascade._cascade` (wrapped by the package tools/python/cascade): graphs from
// numpy arrays or NetworkX, .csr files, generators, the IC / LT kernels; estimate.cpp adds the
// Monte Carlo estimator and mobilize. Results come back as numpy arrays that
// take over the C++ vectors (no copy); kernels run with the GIL released.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "cascade/builder.hpp"
#include "cascade/error.hpp"
#include "cascade/generators.hpp"
#include "cascade/io.hpp"
#include "cascade/maximize.hpp"
#include "cascade/monte_carlo.hpp"
#include "cascade/parallel.hpp"
#include "cascade/seeds.hpp"
#include "options.hpp"

namespace py = pybind11;
using namespace cascade;
using cascade::python::probability_of;
using cascade::python::to_numpy;

namespace {

// A read-only numpy view of a graph array, keeping the graph's storage alive.
template <class T>
py::array_t<T> view(const Graph& g, std::span<const T> values) {
  auto* keep = new Graph(g);  // copies share the arrays
  py::capsule owner(keep, [](void* p) { delete static_cast<Graph*>(p); });
  py::array_t<T> out(static_cast<py::ssize_t>(values.size()), values.data(), owner);
  py::detail::array_proxy(out.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return out;
}

// Vertex ids from Python: an integer array or sequence. Floats would be truncated and negative
// ids wrapped by a forced cast, so both are errors here instead.
py::array_t<std::uint64_t, py::array::c_style | py::array::forcecast> id_array(
    const py::object& ids, const std::string& name) {
  const py::array a = py::array::ensure(ids);
  if (!a) throw InvalidArgument(name + " must be an array of vertex ids");
  if (a.size() > 0) {
    const char kind = a.dtype().kind();
    if (kind != 'i' && kind != 'u')
      throw InvalidArgument(name + " must hold integer vertex ids, not dtype " +
                            py::str(a.dtype()).cast<std::string>());
    if (kind == 'i' && a.attr("min")().cast<std::int64_t>() < 0)
      throw InvalidArgument(name + " holds a negative vertex id");
  }
  return py::array_t<std::uint64_t, py::array::c_style | py::array::forcecast>::ensure(a);
}

// A vertex argument checked against the graph (IndexError, as for a Python sequence).
Vertex checked_vertex(const Graph& g, Vertex u) {
  if (u >= g.num_vertices())
    throw py::index_error("vertex " + std::to_string(u) + " out of range [0, " +
                          std::to_string(g.num_vertices()) + ")");
  return u;
}

Graph from_edges(
    const py::object& src_ids, const py::object& dst_ids, std::optional<std::uint64_t> n,
    std::optional<py::array_t<float, py::array::c_style | py::array::forcecast>> weights,
    bool undirected) {
  const auto src = id_array(src_ids, "src");
  const auto dst = id_array(dst_ids, "dst");
  if (src.ndim() != 1 || dst.ndim() != 1 || src.size() != dst.size())
    throw InvalidArgument("src and dst must be 1-D arrays of equal length");
  EdgeList list;
  list.undirected = undirected;
  const auto s = src.unchecked<1>();
  const auto d = dst.unchecked<1>();
  std::uint64_t max_id = 0;
  list.edges.reserve(static_cast<std::size_t>(src.size()));
  for (py::ssize_t i = 0; i < src.size(); ++i) {
    if (s(i) >= kMaxVertices || d(i) >= kMaxVertices)
      throw InvalidArgument("edge " + std::to_string(i) + " has an id >= 2^32 - 1");
    max_id = std::max({max_id, s(i) + 1, d(i) + 1});
    list.edges.push_back({static_cast<Vertex>(s(i)), static_cast<Vertex>(d(i))});
  }
  list.num_vertices = n.value_or(max_id);
  if (weights) {
    if (weights->ndim() != 1 || weights->size() != src.size())
      throw InvalidArgument("weights must be a 1-D array with one value per edge");
    list.weights.assign(weights->data(), weights->data() + weights->size());
  }
  py::gil_scoped_release release;
  return build_csr(list);
}

Graph from_networkx(const py::object& nx_graph, std::optional<std::string> weight) {
  EdgeList list;
  list.undirected = !nx_graph.attr("is_directed")().cast<bool>();
  py::dict index;
  for (const auto& node : nx_graph.attr("nodes")()) {
    index[node] = py::int_(list.num_vertices++);
  }
  const py::object edges =
      weight ? nx_graph.attr("edges")(py::arg("data") = *weight, py::arg("default") = 1.0)
             : nx_graph.attr("edges")();
  for (const auto& edge : edges) {
    const auto t = edge.cast<py::tuple>();
    list.edges.push_back({index[t[0]].cast<Vertex>(), index[t[1]].cast<Vertex>()});
    if (weight) list.weights.push_back(t[2].cast<float>());
  }
  py::gil_scoped_release release;
  return build_csr(list);
}

py::dict cascade_dict(Cascade&& c) {
  py::dict out;
  out["spread"] = c.spread();
  out["arcs_examined"] = c.arcs_examined;
  out["order"] = to_numpy(std::move(c.order));
  out["step"] = to_numpy(std::move(c.step));
  out["recruiter"] = to_numpy(std::move(c.recruiter));
  out["per_step"] = to_numpy(std::move(c.per_step));
  return out;
}

}  // namespace

PYBIND11_MODULE(_cascade, m) {
  m.doc() = "cascade: parallel cascade engine (CSR graphs, IC/LT/timed kernels, Monte Carlo)";
  // pybind11 tries translators newest first: register the base class before its subclasses.
  py::register_exception<Error>(m, "Error", PyExc_RuntimeError);
  py::register_exception<InvalidArgument>(m, "InvalidArgument", PyExc_ValueError);
  py::register_exception<FileError>(m, "FileError", PyExc_OSError);
  py::register_exception<ResourceError>(m, "ResourceError", PyExc_MemoryError);

  m.attr("__version__") = CASCADE_VERSION;
  // dynamic_attr: the Python layer attaches node labels (from_networkx).
  py::class_<Graph>(m, "Graph", py::dynamic_attr(),
                    "Immutable CSR graph (uint32 vertices, uint64 offsets).")
      .def_property_readonly("num_vertices", &Graph::num_vertices)
      .def_property_readonly("num_arcs", &Graph::num_arcs)
      .def_property_readonly("has_weights", &Graph::has_weights)
      .def_property_readonly("is_symmetric", &Graph::is_symmetric)
      .def_property_readonly(
          "offsets", [](const Graph& g) { return view(g, g.offsets()); },
          "CSR offsets (n+1), read-only view without copy")
      .def_property_readonly(
          "targets", [](const Graph& g) { return view(g, g.targets()); },
          "CSR targets (m), read-only view without copy")
      .def_property_readonly(
          "weights", [](const Graph& g) { return view(g, g.weights()); },
          "per-arc probabilities (m, or empty), read-only view")
      .def(
          "out_degree", [](const Graph& g, Vertex u) { return g.out_degree(checked_vertex(g, u)); },
          py::arg("u"), "Out-degree of vertex u; IndexError unless 0 <= u < num_vertices.")
      .def(
          "out_neighbors",
          [](const Graph& g, Vertex u) { return view(g, g.out_neighbors(checked_vertex(g, u))); },
          py::arg("u"), "Out-neighbours of u (sorted), read-only view; IndexError out of range.")
      .def("transpose", [](const Graph& g) { return Graph(g.transpose()); })
      .def(
          "save", [](const Graph& g, const std::string& path) { save_graph(g, path); },
          py::arg("path"), "Write .csr / .el / .mtx by extension (atomic rename).")
      .def("__eq__", [](const Graph& a, const Graph& b) { return a == b; })
      .def("__repr__", [](const Graph& g) {
        return "<cascade.Graph vertices=" + std::to_string(g.num_vertices()) +
               " arcs=" + std::to_string(g.num_arcs()) + ">";
      });

  m.def(
      "from_edges", &from_edges, py::arg("src"), py::arg("dst"), py::arg("n") = py::none(),
      py::arg("weights") = py::none(), py::arg("undirected") = false,
      "Build a graph from edge arrays (self loops and duplicates dropped; largest weight kept).\n\n"
      "Parameters\n"
      "  src, dst    1-D integer arrays of vertex ids (< 2^32 - 1), one entry per edge\n"
      "  n           number of vertices (default: largest id + 1)\n"
      "  weights     1-D float array, one probability / influence in [0, 1] per edge\n"
      "  undirected  store both arcs of every edge");
  m.def("from_networkx", &from_networkx, py::arg("graph"), py::arg("weight") = py::none(),
        "Build a graph from a NetworkX graph; vertex i is the i-th node of graph.nodes().");
  m.def(
      "load",
      [](const std::string& path, bool verify_checksum) {
        LoadOptions options;
        options.verify_checksum = verify_checksum;
        py::gil_scoped_release release;
        return load_graph(path, options);
      },
      py::arg("path"), py::arg("verify_checksum") = true,
      "Load .csr (memory-mapped), edge list or Matrix Market by extension.\n\n"
      "Parameters\n"
      "  path             file path (.csr, .mtx/.mm, anything else: edge list)\n"
      "  verify_checksum  .csr: recompute the XXH3 checksum of the payload\n"
      "Raises OSError naming the file and line or byte offset of a problem.");

  m.def(
      "generate",
      [](const std::string& model, std::uint64_t vertices, std::optional<double> degree,
         unsigned scale, unsigned edge_factor, std::optional<std::uint64_t> edges, double beta,
         double gamma, std::uint64_t seed, bool directed) {
        GeneratorSpec spec;  // the engine's generator registry: the CLI's names and meanings
        spec.model = model;
        spec.vertices = vertices;
        spec.degree = degree.value_or(0.0);
        spec.edges = edges.value_or(0);
        spec.rmat.scale = scale;
        spec.rmat.edge_factor = edge_factor;
        spec.beta = beta;
        spec.gamma = gamma;
        spec.directed = directed;
        py::gil_scoped_release release;
        return build_csr(generate(spec, seed));
      },
      py::arg("model"), py::arg("vertices") = 0, py::arg("degree") = py::none(),
      py::arg("scale") = 16, py::arg("edge_factor") = 16, py::arg("edges") = py::none(),
      py::arg("beta") = 0.1, py::arg("gamma") = 2.5, py::arg("seed") = 1,
      py::arg("directed") = false,
      "Generate and build a graph (the names and parameters of `cascade generate`).\n\n"
      "Parameters\n"
      "  model        rmat, er, ba, ws or chunglu (or erdos-renyi, barabasi-albert,\n"
      "               watts-strogatz, chung-lu, r-mat, kronecker, gnm)\n"
      "  vertices     er/ba/ws/chunglu: number of vertices\n"
      "  degree       er: mean degree (16), ba: edges per new vertex (8), ws: ring neighbours\n"
      "               k, even (10), chunglu: mean degree (16); None: the default in brackets\n"
      "  scale        rmat: 2^scale vertices;  edge_factor  rmat: edges per vertex\n"
      "  edges        er: exact number of edges instead of degree\n"
      "  beta         ws: rewiring probability;  gamma  chunglu: power-law exponent (> 2)\n"
      "  seed         generator seed;  directed  one arc per edge (default: both directions)\n"
      "Raises ValueError for impossible parameters.");

  m.def(
      "run_ic",
      [](const Graph& g, std::vector<Vertex> seeds, std::optional<double> p, bool weights,
         bool weighted_cascade, std::uint64_t seed, std::uint64_t trial) {
        IcParams params;
        params.probability = probability_of(p, weights, weighted_cascade);
        Cascade c;
        {
          py::gil_scoped_release release;
          c = run_ic(g, seeds, params, seed, trial);
        }
        return cascade_dict(std::move(c));
      },
      py::arg("graph"), py::arg("seeds"), py::arg("p") = py::none(), py::arg("weights") = false,
      py::arg("weighted_cascade") = false, py::arg("seed") = 0, py::arg("trial") = 0,
      "One independent-cascade trial: dict of order, step, recruiter, per_step (numpy arrays).");

  m.def(
      "run_lt",
      [](const Graph& g, std::vector<Vertex> seeds, bool weights, std::uint64_t seed,
         std::uint64_t trial) {
        LtParams params;
        params.use_weights = weights;
        Cascade c;
        {
          py::gil_scoped_release release;
          c = run_lt(g, seeds, params, seed, trial);
        }
        return cascade_dict(std::move(c));
      },
      py::arg("graph"), py::arg("seeds"), py::arg("weights") = false, py::arg("seed") = 0,
      py::arg("trial") = 0, "One linear-threshold trial (same result dict as run_ic).");

  // estimate_spread (every engine, the timed model, progress, Ctrl-C) and mobilize.
  cascade::python::bind_estimation(m);

  m.def(
      "maximize",
      [](const Graph& g, std::uint64_t k, const std::string& model, std::optional<double> p,
         bool weights, bool weighted_cascade, const std::string& method, double epsilon, double ell,
         std::uint64_t celf_trials, std::uint64_t validate_trials, std::uint64_t seed,
         std::size_t threads) {
        MaximizeOptions o;
        if (model == "ic") {
          o.model.probability = probability_of(p, weights, weighted_cascade);
        } else if (model == "lt") {
          if (p || weighted_cascade) throw InvalidArgument("p= and weighted_cascade= are for ic");
          o.model.model = Model::kLt;
          o.model.lt_use_weights = weights;
        } else {
          throw InvalidArgument("unknown model '" + model + "' (ic, lt)");
        }
        o.model.master_seed = seed;
        o.k = k;
        o.epsilon = epsilon;
        o.ell = ell;
        o.celf_trials = celf_trials;
        if (method == "imm")
          o.method = MaximizeMethod::kImm;
        else if (method == "opim")
          o.method = MaximizeMethod::kOpimC;
        else if (method == "celf")
          o.method = MaximizeMethod::kCelf;
        else
          throw InvalidArgument("unknown method '" + method + "' (imm, opim, celf)");
        MaximizeResult r;
        Estimate e;
        {
          py::gil_scoped_release release;
          ThreadLimit limit(threads);
          r = maximize(g, o);
          if (validate_trials > 0) e = validate_seeds(g, o.model, r.seeds, validate_trials);
        }
        py::dict out;
        out["seeds"] = r.seeds;
        out["marginal_gains"] = r.marginal_gains;
        out["estimated_spread"] = r.estimated_spread;
        out["approximation"] = r.approximation;
        out["rr_sets"] = r.rr_sets;
        if (validate_trials > 0) {
          out["validated_mean"] = e.mean;
          out["validated_ci95"] = py::make_tuple(e.ci95.lo, e.ci95.hi);
        }
        out["seconds"] = r.seconds_sampling + r.seconds_selection;
        return out;
      },
      py::arg("graph"), py::arg("k"), py::arg("model") = "ic", py::arg("p") = py::none(),
      py::arg("weights") = false, py::arg("weighted_cascade") = false, py::arg("method") = "imm",
      py::arg("epsilon") = 0.5, py::arg("ell") = 1.0, py::arg("celf_trials") = 1000,
      py::arg("validate_trials") = 10000, py::arg("seed") = 0, py::arg("threads") = 0,
      "Influence maximization (IMM, OPIM-C or CELF; cascade/maximize.hpp): dict of seeds, "
      "marginal_gains, estimated_spread, validated_mean and validated_ci95.");
}
