"""cascade.maximize (cascade/maximize.hpp) and cascade.mobilize(..., choose_seeds=K)
(cascade/seed_choice.hpp): the Python bindings."""
import json
import os
import subprocess
import unittest

import cascade

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "data")


def karate():
    src, dst = [], []
    with open(os.path.join(DATA, "karate.el")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            u, v = line.split()[:2]
            src.append(int(u))
            dst.append(int(v))
    return cascade.from_edges(src, dst, n=34, undirected=True)


class MaximizeTest(unittest.TestCase):
    def test_same_seeds_for_any_thread_count(self):
        g = karate()
        for method in ("imm", "opim", "celf"):
            one = cascade.maximize(g, 3, p=0.1, method=method, seed=1, threads=1,
                                   validate_trials=2000)
            two = cascade.maximize(g, 3, p=0.1, method=method, seed=1, threads=2,
                                   validate_trials=2000)
            self.assertEqual(len(one["seeds"]), 3)
            self.assertEqual(one["seeds"], two["seeds"])
            self.assertEqual(one["marginal_gains"], two["marginal_gains"])
            self.assertEqual(one["validated_mean"], two["validated_mean"])
            lo, hi = one["validated_ci95"]
            self.assertLess(lo, hi)

    def test_matches_the_cli(self):
        cli = os.environ.get("CASCADE_CLI")
        if not cli:
            self.skipTest("CASCADE_CLI not set (the cascade program was not built)")
        out = subprocess.run(
            [cli, "maximize", os.path.join(DATA, "karate.el"), "--symmetrize", "--k", "4",
             "--p", "0.1", "--seed", "5", "--validate-trials", "1000", "-q", "--json"],
            check=True, capture_output=True, text=True).stdout
        report = json.loads(out)
        r = cascade.maximize(karate(), 4, p=0.1, seed=5, validate_trials=1000)
        self.assertEqual(r["seeds"], report["seeds"])
        self.assertEqual(r["validated_mean"], report["validation"]["mean"])

    def test_bad_arguments_raise(self):
        g = karate()
        for kwargs in ({"k": 0, "p": 0.1}, {"k": 35, "p": 0.1}, {"k": 2, "p": 0.1, "epsilon": 1.0},
                       {"k": 2, "model": "lt", "method": "celf"}, {"k": 2, "method": "x", "p": 0.1}):
            with self.assertRaises(ValueError, msg=str(kwargs)):
                cascade.maximize(g, **kwargs)


TINY = {"name": "tiny", "seed": 7, "trials": 4, "horizon_hours": 24,
        "network": {"generator": "barabasi-albert", "vertices": 400, "degree": 3, "seed": 1},
        "seeds": {"choice": "top-degree", "count": 2}, "targets": {"count": 2, "witnesses": 20},
        "regimes": [{"name": "virality", "scheme": "none"},
                    {"name": "incentive", "scheme": "recursive", "reward_dollars": 2000,
                     "split": 0.5}]}


class ChooseSeedsTest(unittest.TestCase):
    """cascade.mobilize(..., choose_seeds=K): the choice of `cascade mobilize --choose-seeds`."""

    def setUp(self):
        import tempfile
        self.dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.dir.name, "tiny.json")
        with open(self.path, "w") as f:
            json.dump(TINY, f)

    def tearDown(self):
        self.dir.cleanup()

    def test_matches_the_cli(self):
        cli = os.environ.get("CASCADE_CLI")
        if not cli:
            self.skipTest("CASCADE_CLI not set (the cascade program was not built)")
        out = subprocess.run([cli, "mobilize", self.path, "--choose-seeds", "3", "--seed-pool",
                              "10", "-q", "--json", "-"], check=True, capture_output=True,
                             text=True).stdout
        report = json.loads(out)
        r = cascade.mobilize(self.path, choose_seeds=3, seed_pool=10, threads=1)
        self.assertEqual(r["pool"], report["pool"]["size"])
        for mine, theirs in zip(r["regimes"], report["regimes"]):
            for key in ("name", "seeds", "gains", "chosen", "top_degree", "random"):
                self.assertEqual(mine[key], theirs[key], key)
        self.assertEqual(r["cost"]["simulations"], report["cost"]["simulations"])

    def test_bad_arguments_raise(self):
        for kwargs in ({"choose_seeds": 0}, {"choose_seeds": 401},
                       {"choose_seeds": 2, "objective": "reach"},
                       {"choose_seeds": 3, "seed_pool": 2}):
            with self.assertRaises(ValueError, msg=str(kwargs)):
                cascade.mobilize(self.path, **kwargs)


if __name__ == "__main__":
    unittest.main()
