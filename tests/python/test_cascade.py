"""Tests of the Python module `cascade` (run by ctest with PYTHONPATH at the built module)."""
import json
import os
import re
import signal
import subprocess
import tempfile
import unittest

import numpy as np

import cascade

try:
    import networkx as nx
except ImportError:  # pragma: no cover - Debian's python3-networkx is installed by setup
    nx = None


def random_edges(n, m, seed):
    rng = np.random.default_rng(seed)
    return rng.integers(0, n, m, dtype=np.uint64), rng.integers(0, n, m, dtype=np.uint64)


class GraphTest(unittest.TestCase):
    def test_from_edges_builds_clean_csr(self):
        g = cascade.from_edges(np.array([0, 1, 1, 2, 2]), np.array([1, 2, 2, 2, 0]), n=4)
        self.assertEqual(g.num_vertices, 4)
        self.assertEqual(g.num_arcs, 3)  # duplicate 1->2 and loop 2->2 dropped
        np.testing.assert_array_equal(g.offsets, [0, 1, 2, 3, 3])
        np.testing.assert_array_equal(g.targets, [1, 2, 0])
        self.assertFalse(g.targets.flags.writeable)

    def test_undirected_and_weights(self):
        g = cascade.from_edges([0, 1], [1, 2], weights=np.array([0.5, 0.25], dtype=np.float32),
                               undirected=True)
        self.assertTrue(g.is_symmetric)
        self.assertEqual(g.num_arcs, 4)
        np.testing.assert_allclose(g.weights, [0.5, 0.5, 0.25, 0.25])

    def test_bad_input_raises_value_error(self):
        with self.assertRaises(ValueError):
            cascade.from_edges([0, 5], [1, 2], n=3)
        with self.assertRaises(ValueError):
            cascade.from_edges([0], [1], weights=np.array([1.5], dtype=np.float32))
        with self.assertRaises(OSError):
            cascade.load("/nonexistent/graph.csr")

    def test_indices_and_id_arrays_are_checked(self):
        g = cascade.from_edges([0, 1], [1, 2], n=3)
        self.assertEqual(g.out_degree(1), 1)
        for bad in (3, 103, 2**31):  # out of range: an error, never memory beyond the arrays
            with self.assertRaises(IndexError):
                g.out_degree(bad)
            with self.assertRaises(IndexError):
                g.out_neighbors(bad)
        with self.assertRaises(ValueError):  # float ids would be truncated
            cascade.from_edges(np.array([0.5, 1.0]), np.array([1, 2]))
        with self.assertRaises(ValueError):  # negative ids would wrap around
            cascade.from_edges(np.array([-1, 0]), np.array([1, 2]))
        self.assertEqual(cascade.from_edges([], [], n=2).num_arcs, 0)

    def test_save_and_load_round_trip(self):
        g = cascade.generate("er", vertices=500, degree=6, seed=3)
        with tempfile.TemporaryDirectory() as d:
            for name in ("g.csr", "g.el", "g.mtx"):
                path = os.path.join(d, name)
                g.save(path)
                h = cascade.load(path)
                self.assertEqual(h.num_arcs, g.num_arcs)
                np.testing.assert_array_equal(h.targets, g.targets)

    def test_generator_names_are_the_cli_and_scenario_names(self):
        a = cascade.generate("er", vertices=600, degree=5, seed=2)
        b = cascade.generate("erdos-renyi", vertices=600, degree=5, seed=2)
        self.assertTrue(a == b)
        self.assertEqual(a.num_arcs, 2 * 1500)  # m = n * degree / 2 distinct edges, both arcs
        with self.assertRaises(ValueError):
            cascade.generate("ba", vertices=100, degree=2.5)  # edges per new vertex: whole
        with self.assertRaises(ValueError):
            cascade.generate("smallworld", vertices=100)

    def test_generators_are_deterministic(self):
        a = cascade.generate("rmat", scale=10, edge_factor=8, seed=7)
        b = cascade.generate("rmat", scale=10, edge_factor=8, seed=7)
        self.assertTrue(a == b)
        self.assertEqual(a.num_vertices, 1024)


class KernelTest(unittest.TestCase):
    @unittest.skipIf(nx is None, "networkx not installed")
    def test_ic_at_p1_equals_networkx_reachability(self):
        G = nx.gnm_random_graph(300, 500, seed=11, directed=True)
        g = cascade.from_networkx(G)
        for seeds in ([0], [3, 17], [42]):
            out = cascade.run_ic(g, seeds, p=1.0, seed=5)
            reach = set()
            for s in seeds:
                reach |= set(nx.descendants(G, s)) | {s}
            self.assertEqual(set(out["order"].tolist()), reach)
            dist = nx.multi_source_dijkstra_path_length(G, seeds)
            for v in reach:
                self.assertEqual(out["step"][v], dist[v])

    def test_ic_p0_only_seeds_and_recruiters(self):
        g = cascade.generate("ba", vertices=2000, degree=3, seed=2)
        out = cascade.run_ic(g, [0, 1], p=0.0)
        self.assertEqual(out["spread"], 2)
        out = cascade.run_ic(g, [0], p=0.3, seed=9)
        rec = out["recruiter"]
        for v in out["order"][1:]:
            self.assertIn(v, g.out_neighbors(int(rec[v])).tolist())

    def test_estimate_is_thread_count_independent(self):
        g = cascade.generate("er", vertices=4000, degree=4, seed=3)
        one = cascade.estimate_spread(g, p=0.3, random_seeds=1, trials=300, seed=11, threads=1)
        two = cascade.estimate_spread(g, p=0.3, random_seeds=1, trials=300, seed=11, threads=2)
        self.assertEqual(one["mean"], two["mean"])
        np.testing.assert_array_equal(one["spreads"], two["spreads"])
        lo, hi = one["ci95"]
        self.assertLess(lo, one["mean"])
        self.assertGreater(hi, one["mean"])

    @unittest.skipUnless(os.environ.get("CASCADE_CLI"), "CLI path not given")
    def test_estimate_equals_the_cli(self):
        g = cascade.generate("er", vertices=3000, degree=4, seed=3)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "g.csr")
            g.save(path)
            cli = subprocess.run(
                [os.environ["CASCADE_CLI"], "simulate", path, "--model", "ic", "--p", "0.4",
                 "--seeds", "1", "--trials", "200", "--seed", "11", "--json"],
                check=True, capture_output=True, text=True)
        expected = json.loads(cli.stdout)
        got = cascade.estimate_spread(g, p=0.4, random_seeds=1, trials=200, seed=11)
        self.assertEqual(got["mean"], expected["mean"])
        self.assertEqual(got["stderr"], expected["stderr"])


TINY_SCENARIO = {
    "name": "tiny", "seed": 7, "trials": 3, "horizon_hours": 24, "curve_step_hours": 2,
    "network": {"generator": "barabasi-albert", "vertices": 3000, "degree": 3, "seed": 1},
    "seeds": {"choice": "random", "count": 2},
    "targets": {"count": 3, "witnesses": 50},
    "regimes": [{"name": "virality", "scheme": "none"},
                {"name": "incentive", "scheme": "recursive", "reward_dollars": 2000,
                 "split": 0.5}],
}


def without_timing(report):
    report = dict(report)
    report.pop("timing", None)
    return report


class PackageTest(unittest.TestCase):
    def test_version_is_the_project_version(self):
        with open(os.path.join(os.path.dirname(__file__), "..", "..", "CMakeLists.txt")) as f:
            text = f.read()
        version = re.search(r"project\(cascade VERSION ([0-9.]+)", text).group(1)
        self.assertEqual(cascade.__version__, version)

    def test_engines_give_the_same_estimate(self):
        g = cascade.generate("er", vertices=3000, degree=5, seed=4)
        base = dict(p=0.15, random_seeds=2, trials=400, seed=3, threads=2)
        fused = cascade.estimate_spread(g, **base)
        self.assertEqual(fused["engine"], "fused")  # the default for IC with >= 128 trials
        trial = cascade.estimate_spread(g, engine="trial", **base)
        self.assertEqual(trial["engine"], "trial")
        np.testing.assert_array_equal(fused["spreads"], trial["spreads"])
        np.testing.assert_array_equal(fused["curve"], trial["curve"])
        self.assertEqual(fused["mean"], trial["mean"])
        self.assertEqual(fused["arcs_examined"], trial["arcs_examined"])
        with self.assertRaises(ValueError):
            cascade.estimate_spread(g, model="lt", engine="fused", random_seeds=1, trials=10)
        with self.assertRaises(ValueError):
            cascade.estimate_spread(g, engine="warp", p=0.1, random_seeds=1)

    def test_progress_reaches_the_total_and_ctrl_c_interrupts(self):
        g = cascade.generate("er", vertices=2000, degree=4, seed=5)
        calls = []
        e = cascade.estimate_spread(g, "timed", p=0.3, random_seeds=1, trials=12, seed=2,
                                    progress=lambda done, total: calls.append((done, total)))
        self.assertEqual(calls, [(i, 12) for i in range(1, 13)])  # timed: one trial per block
        self.assertEqual(e["engine"], "timed")
        self.assertEqual(e["curve_unit"], "hour")

        def interrupt(done, total):  # Ctrl-C arrives during the first block
            calls.append(done)
            os.kill(os.getpid(), signal.SIGINT)

        calls = []
        with self.assertRaises(KeyboardInterrupt):
            cascade.estimate_spread(g, p=0.3, random_seeds=1, trials=5000, engine="trial",
                                    threads=1, progress=interrupt)
        self.assertEqual(len(calls), 1)  # checked again before the next block's callback

        def stop(fraction):
            raise RuntimeError("stop")

        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "tiny.json")
            with open(path, "w") as f:
                json.dump(TINY_SCENARIO, f)
            with self.assertRaises(RuntimeError):
                cascade.mobilize(path, progress=stop)

    @unittest.skipUnless(os.environ.get("CASCADE_CLI"), "CLI path not given")
    def test_timed_and_mobilize_equal_the_cli(self):
        cli = os.environ["CASCADE_CLI"]
        g = cascade.generate("ba", vertices=2500, degree=3, seed=6)
        with tempfile.TemporaryDirectory() as d:
            graph = os.path.join(d, "g.csr")
            g.save(graph)
            out = subprocess.run(
                [cli, "simulate", graph, "--model", "timed", "--p", "0.2", "--seeds", "2",
                 "--trials", "30", "--seed", "4", "--delay", "weibull", "--median-hours", "3",
                 "--shape", "0.7", "--horizon", "40", "--curve-step", "2", "--json"],
                check=True, capture_output=True, text=True)
            expected = json.loads(out.stdout)
            got = cascade.estimate_spread(g, "timed", p=0.2, random_seeds=2, trials=30, seed=4,
                                          delay="weibull", median_hours=3, shape=0.7,
                                          horizon_hours=40, curve_step_hours=2)
            self.assertEqual(got["mean"], expected["mean"])
            self.assertEqual(got["stderr"], expected["stderr"])
            self.assertEqual(got["curve"].tolist(), expected["curve"])
            self.assertEqual(got["arcs_examined"], expected["arcs_examined"])

            scenario = os.path.join(d, "tiny.json")
            with open(scenario, "w") as f:
                json.dump(TINY_SCENARIO, f)
            report = os.path.join(d, "report.json")
            subprocess.run([cli, "mobilize", scenario, "--json", report, "--trials", "2", "-q"],
                           check=True, capture_output=True)
            with open(report) as f:
                expected = json.load(f)
            fractions = []
            got = cascade.mobilize(scenario, trials=2, progress=fractions.append)
            self.assertEqual(without_timing(got), without_timing(expected))
            self.assertEqual(fractions[-1], 1.0)
            self.assertGreater(got["regimes"][1]["recruits"]["mean"], 0)


@unittest.skipIf(nx is None, "networkx not installed")
class NetworkxTest(unittest.TestCase):
    def setUp(self):
        G = nx.gnm_random_graph(200, 600, seed=3, directed=True)
        self.G = nx.relabel_nodes(G, {v: f"v{v}" for v in G})  # labels that are not ids
        self.g = cascade.from_networkx(self.G)

    def test_labels_map_back(self):
        self.assertEqual(self.g.labels, list(self.G.nodes()))
        self.assertEqual(self.g.index["v7"], self.g.labels.index("v7"))

    def test_results_by_label_equal_networkx_reachability(self):
        out = cascade.run_ic(self.g, ["v1", "v50"], p=1.0, by_label=True)
        reach = nx.descendants(self.G, "v1") | nx.descendants(self.G, "v50") | {"v1", "v50"}
        self.assertEqual(set(out["order"]), reach)
        dist = nx.multi_source_dijkstra_path_length(self.G, ["v1", "v50"])
        self.assertEqual(out["step"], {v: dist[v] for v in reach})
        for v, r in out["recruiter"].items():
            if r is None:
                self.assertIn(v, ("v1", "v50"))
            else:
                self.assertTrue(self.G.has_edge(r, v))
                self.assertEqual(dist[r] + 1, dist[v])
        by_id = cascade.estimate_spread(self.g, p=0.2, seeds=[self.g.index["v1"]], trials=200)
        by_label = cascade.estimate_spread(self.g, p=0.2, seeds=["v1"], by_label=True,
                                           trials=200)
        self.assertEqual(by_id["mean"], by_label["mean"])
        with self.assertRaises(ValueError):
            cascade.run_ic(self.g, ["nope"], p=0.5, by_label=True)

    def test_to_networkx_round_trip(self):
        H = cascade.to_networkx(self.g)
        self.assertTrue(H.is_directed())
        self.assertEqual(set(H.nodes()), set(self.G.nodes()))
        self.assertEqual(set(H.edges()), set(self.G.edges()))
        U = nx.karate_club_graph()
        for u, v, data in U.edges(data=True):
            data["weight"] /= 10.0  # probabilities in [0, 1]
        h = cascade.to_networkx(cascade.from_networkx(U, weight="weight"))
        self.assertFalse(h.is_directed())
        self.assertEqual(set(map(frozenset, h.edges())), set(map(frozenset, U.edges())))
        for u, v, w in U.edges(data="weight"):
            self.assertAlmostEqual(h[u][v]["weight"], float(np.float32(w)), places=6)


if __name__ == "__main__":
    unittest.main()
