"""cascade: parallel cascade engine (CSR graphs, IC / LT / timed kernels, Monte Carlo, mobilize).

The engines are C++ (the extension cascade._cascade, kernels run with the GIL released); this
package adds what is plain Python: NetworkX conversion with node labels and the mobilize report
as a dict. Vertex ids are 0 .. n-1; graphs built by from_networkx remember the node labels
(``graph.labels``) and run_ic / run_lt / estimate_spread take and give labels with by_label=True.
"""
import json as _json

from . import _cascade
from ._cascade import (  # noqa: F401  (re-exported)
    Error,
    FileError,
    Graph,
    InvalidArgument,
    ResourceError,
    __version__,
    from_edges,
    generate,
    load,
)

__all__ = [
    "Error", "FileError", "Graph", "InvalidArgument", "ResourceError", "__version__",
    "estimate_spread", "from_edges", "from_networkx", "generate", "load", "maximize", "mobilize",
    "run_ic",
    "run_lt", "to_networkx",
]


def from_networkx(graph, weight=None):
    """Build a Graph from a NetworkX graph, keeping its node labels.

    Parameters
      graph   networkx.Graph or DiGraph (undirected: both arcs of every edge are stored)
      weight  name of an edge attribute holding the arc probability / influence in [0, 1]
              (missing on an edge: 1.0); None for an unweighted graph

    Vertex i is the i-th node of graph.nodes(); ``result.labels[i]`` is its label and
    ``result.index[label]`` its id. Self loops and parallel edges are dropped.
    """
    g = _cascade.from_networkx(graph, weight)
    g.labels = list(graph.nodes())
    g.index = {label: i for i, label in enumerate(g.labels)}
    return g


def to_networkx(graph, labels=True, weight="weight"):
    """A NetworkX graph with the arcs of `graph`.

    Parameters
      graph   Graph
      labels  name the nodes by graph.labels when the graph has them (from_networkx), else 0..n-1
      weight  edge attribute that receives the arc weights (weighted graphs only)

    Returns networkx.Graph when graph.is_symmetric (each pair of arcs one edge), else DiGraph.
    """
    import networkx as nx
    import numpy as np

    names = getattr(graph, "labels", None) if labels else None
    out = nx.Graph() if graph.is_symmetric else nx.DiGraph()
    n = graph.num_vertices
    out.add_nodes_from(names if names is not None else range(n))
    offsets = np.asarray(graph.offsets, dtype=np.int64)
    sources = np.repeat(np.arange(n, dtype=np.int64), np.diff(offsets)).tolist()
    targets = np.asarray(graph.targets, dtype=np.int64).tolist()
    if names is not None:
        sources = [names[u] for u in sources]
        targets = [names[v] for v in targets]
    if graph.has_weights:
        weights = np.asarray(graph.weights, dtype=np.float64).tolist()
        out.add_edges_from((u, v, {weight: w}) for u, v, w in zip(sources, targets, weights))
    else:
        out.add_edges_from(zip(sources, targets))
    return out


def _ids(graph, seeds, by_label):
    if not by_label or seeds is None:
        return seeds
    index = getattr(graph, "index", None)
    if index is None:
        raise ValueError("by_label=True needs a graph from from_networkx (it has no labels)")
    try:
        return [index[s] for s in seeds]
    except KeyError as e:
        raise ValueError(f"seed {e.args[0]!r} is not a node of the graph") from None


def _labelled(graph, result):
    names = graph.labels
    order = result["order"].tolist()
    step = result["step"]
    recruiter = result["recruiter"]
    n = graph.num_vertices
    result["order"] = [names[v] for v in order]
    result["step"] = {names[v]: int(step[v]) for v in order}
    result["recruiter"] = {
        names[v]: (names[int(recruiter[v])] if int(recruiter[v]) < n else None) for v in order
    }
    return result


def run_ic(graph, seeds, p=None, weights=False, weighted_cascade=False, seed=0, trial=0,
           by_label=False):
    """One independent-cascade trial.

    Parameters
      graph             Graph
      seeds             seed vertex ids (labels with by_label=True)
      p                 probability of every arc, in [0, 1]
      weights           use the arc weights as probabilities
      weighted_cascade  p(u->v) = 1 / in-degree(v)   (give exactly one of p, weights,
                        weighted_cascade)
      seed, trial       master random seed and trial id: the coins of (seed, trial)
      by_label          seeds and results by node label (graphs from from_networkx)

    Returns a dict: spread (activated vertices), arcs_examined, order (activated vertices, seeds
    first, then by step), step (activation step per vertex; unreached: 2^32 - 1), recruiter (who
    activated each vertex; seeds and unreached: 2^32 - 1), per_step (activations per step), as
    numpy arrays; with by_label, order is a list of labels and step / recruiter are dicts over
    the activated labels (a seed's recruiter is None).
    """
    out = _cascade.run_ic(graph, _ids(graph, seeds, by_label), p, weights, weighted_cascade,
                          seed, trial)
    return _labelled(graph, out) if by_label else out


def run_lt(graph, seeds, weights=False, seed=0, trial=0, by_label=False):
    """One linear-threshold trial (influence 1/in-degree, or the arc weights with weights=True).

    Parameters as run_ic; the thresholds are those of (seed, trial). Same result dict.
    """
    out = _cascade.run_lt(graph, _ids(graph, seeds, by_label), weights, seed, trial)
    return _labelled(graph, out) if by_label else out


def estimate_spread(graph, model="ic", *, seeds=None, by_label=False, **options):
    """Monte Carlo estimate of the expected spread (see cascade._cascade.estimate_spread).

    by_label=True takes seeds= as node labels (graphs from from_networkx). All other keyword
    arguments, their units and the result dict are those of the extension function below.
    """
    return _cascade.estimate_spread(graph, model, seeds=_ids(graph, seeds, by_label), **options)


estimate_spread.__doc__ += "\n" + (_cascade.estimate_spread.__doc__ or "")


def maximize(graph, k, *, by_label=False, **options):
    """Influence maximization: k seeds by IMM, OPIM-C or CELF (see _cascade.maximize below).

    by_label=True gives the chosen seeds as node labels (graphs from from_networkx). All other
    keyword arguments, their units and the result dict are those of the extension function.
    """
    out = _cascade.maximize(graph, k, **options)
    if by_label:
        if getattr(graph, "labels", None) is None:
            raise ValueError("by_label=True needs a graph from from_networkx (it has no labels)")
        out["seeds"] = [graph.labels[int(v)] for v in out["seeds"]]
    return out


maximize.__doc__ += "\n" + (_cascade.maximize.__doc__ or "")


def mobilize(scenario, trials=None, horizon_hours=None, seed=None, threads=0, progress=None,
             choose_seeds=None, objective="recruits", seed_pool=0):
    """Run a mobilization scenario; the report of `cascade mobilize SCENARIO --json` as a dict.

    Parameters
      scenario       path of the scenario file (JSON, data/scenarios/README.md)
      trials         trials per regime (default: the scenario's)
      horizon_hours  simulated hours (default: the scenario's)
      seed           master random seed (default: the scenario's)
      threads        worker threads, 0 = all cores
      progress       callable(fraction done in [0, 1]), after each trial and regime
      choose_seeds   K: instead of the report, choose K initial members per regime and return
                     the dict of `cascade mobilize --choose-seeds K --json` (without "scenario",
                     "vertices", "master_seed"; "pool" is its size); progress is not called
      objective      with choose_seeds: "recruits" (default) or "targets"
      seed_pool      with choose_seeds: candidates, the C highest-degree people (0: max(32, 8K))

    Raises OSError for a bad scenario file, ValueError for a bad choose_seeds / objective,
    KeyboardInterrupt on Ctrl-C (between trials).
    """
    if choose_seeds is not None:
        return _cascade._choose_seeds(scenario, choose_seeds, objective, seed_pool, trials,
                                      horizon_hours, seed, threads)
    return _json.loads(
        _cascade._mobilize_json(scenario, trials, horizon_hours, seed, threads, progress))
