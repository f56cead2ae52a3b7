"""Tests of the Python module `cascade` (run by ctest with PYTHONPATH at the built module)."""
import json
import os
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

    def test_save_and_load_round_trip(self):
        g = cascade.generate("er", vertices=500, degree=6, seed=3)
        with tempfile.TemporaryDirectory() as d:
            for name in ("g.csr", "g.el", "g.mtx"):
                path = os.path.join(d, name)
                g.save(path)
                h = cascade.load(path)
                self.assertEqual(h.num_arcs, g.num_arcs)
                np.testing.assert_array_equal(h.targets, g.targets)

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


if __name__ == "__main__":
    unittest.main()
