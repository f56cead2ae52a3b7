#!/usr/bin/env python3
"""End-to-end MPI tests of the `cascade` program (registered by tests/CMakeLists.txt when MPI is
found). Runs `cascade simulate` / `cascade mobilize` / `cascade maximize` plainly and under `mpirun -n 1, 2, 3` and
checks that the results are bit-identical:

  * the JSON reports (file and stdout) are compared as parsed JSON after removing the timing
    fields only -- simulate: "run" (engine, threads, ranks, seconds, arcs/s) and
    "seconds_per_trial"; mobilize: "timing" -- so every float must match to the last bit
    (JSON numbers round-trip doubles exactly);
  * the CSV files (per-trial spreads, curves) are compared byte for byte;
  * stdout carries exactly one report (only rank 0 prints).

Also: trial counts not divisible by the rank count, more ranks than trials, early stopping, and
errors (on every rank, or on rank 0 alone after the run) that must end the job non-zero with a
"cascade: error:" line instead of hanging.

Usage: run_mpi_tests.py --cli CASCADE --mpiexec MPIRUN [--group simulate|mobilize|errors]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

TIMEOUT = 120  # seconds per command: a hang fails the test instead of blocking CI

SMALL_SCENARIO = {
    "name": "mpi-tiny", "seed": 7, "trials": 5, "horizon_hours": 24, "curve_step_hours": 2,
    "network": {"generator": "barabasi-albert", "vertices": 3000, "degree": 3, "seed": 1},
    "seeds": {"choice": "random", "count": 2},
    "targets": {"count": 3, "witnesses": 50},
    "regimes": [{"name": "virality", "scheme": "none"},
                {"name": "incentive", "scheme": "recursive", "reward_dollars": 2000,
                 "split": 0.5}],
}


class Runner:
    def __init__(self, cli, mpiexec, workdir):
        self.cli = os.path.abspath(cli)
        self.mpiexec = mpiexec
        self.dir = workdir
        self.env = dict(os.environ)
        # Open MPI as root (containers, CI), more ranks than cores, and no cross-memory-attach
        # (often not permitted in containers). Harmless for other MPIs.
        self.env.update({
            "OMPI_ALLOW_RUN_AS_ROOT": "1",
            "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
            "OMPI_MCA_rmaps_base_oversubscribe": "1",
            "OMPI_MCA_btl_vader_single_copy_mechanism": "none",
        })
        # MPI's own allocations are not ours to leak-check (ASan builds).
        asan = self.env.get("ASAN_OPTIONS", "")
        self.env["ASAN_OPTIONS"] = (asan + ":" if asan else "") + "detect_leaks=0"
        out = subprocess.run([mpiexec, "--version"], capture_output=True, text=True)
        self.open_mpi = "Open MPI" in (out.stdout + out.stderr) or "OpenRTE" in out.stdout
        self.launches = 0
        self.failures = []

    def run(self, args, ranks=None, expect_rc=0):
        """Runs cascade ARGS (plainly, or under mpirun -n RANKS); returns the CompletedProcess."""
        cmd = [self.cli] + args
        if ranks is not None:
            extra = ["--oversubscribe"] if self.open_mpi else []
            cmd = [self.mpiexec, "-n", str(ranks)] + extra + cmd
        self.launches += 1
        try:
            r = subprocess.run(cmd, cwd=self.dir, env=self.env, capture_output=True, text=True,
                               timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.fail(f"HANG (> {TIMEOUT} s): {' '.join(cmd)}")
            return None
        if expect_rc is not None and r.returncode != expect_rc:
            self.fail(f"exit {r.returncode} (expected {expect_rc}): {' '.join(cmd)}\n"
                      f"stdout: {r.stdout[-2000:]}\nstderr: {r.stderr[-2000:]}")
        return r

    def fail(self, message):
        print("FAIL:", message)
        self.failures.append(message)

    def check(self, ok, message):
        if not ok:
            self.fail(message)
        return ok

    def read(self, name):
        with open(os.path.join(self.dir, name)) as f:
            return f.read()


def strip(report, keys):
    report = dict(report)
    for k in keys:
        report.pop(k, None)
    return report


SIM_TIMING = ("run", "seconds_per_trial")
MOB_TIMING = ("timing",)


def one_json(rn, text, what):
    """stdout must hold exactly one JSON document (only rank 0 prints)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        rn.fail(f"{what}: stdout is not one JSON document ({e}): {text[:300]!r}")
        return None


def simulate_case(rn, name, flags, rank_counts):
    """Plain run, then each rank count: stdout JSON, -o JSON and --csv must match the plain run."""
    base = ["simulate", "g.csr", "--json", "-q"] + flags
    ref = rn.run(base + ["-o", "ref.json", "--csv", "ref.csv"])
    if ref is None or ref.returncode != 0:
        return
    ref_json = strip(json.loads(rn.read("ref.json")), SIM_TIMING)
    ref_csv = rn.read("ref.csv")
    rn.check(strip(json.loads(ref.stdout), SIM_TIMING) == ref_json, f"{name}: plain stdout != -o")
    for n in rank_counts:
        out, csv = f"n{n}.json", f"n{n}.csv"
        r = rn.run(base + ["-o", out, "--csv", csv], ranks=n)
        if r is None or r.returncode != 0:
            continue
        what = f"simulate {name}, mpirun -n {n}"
        printed = one_json(rn, r.stdout, what)
        got = json.loads(rn.read(out))
        rn.check(got["run"]["ranks"] == n, f"{what}: run.ranks = {got['run'].get('ranks')}")
        rn.check(strip(got, SIM_TIMING) == ref_json, f"{what}: JSON differs from the plain run")
        rn.check(printed is not None and strip(printed, SIM_TIMING) == ref_json,
                 f"{what}: stdout JSON differs")
        rn.check(rn.read(csv) == ref_csv, f"{what}: CSV differs from the plain run")
        rn.check("error" not in r.stderr, f"{what}: stderr: {r.stderr[-500:]}")
    print(f"ok  simulate {name}: ranks {rank_counts} identical to one process "
          f"({ref_json['trials']} trials, mean {ref_json['mean']})")
    return ref_json


def group_simulate(rn):
    rn.run(["generate", "ba", "-n", "4000", "--degree", "3", "-o", "g.csr", "-q", "--seed", "3"])
    # fused engine (ic, >= 128 trials), trial count not divisible by 2 or 3
    simulate_case(rn, "ic fused 301 trials", ["--p", "0.1", "--seeds", "2", "--trials", "301"],
                  [1, 2, 3])
    # one-trial engine with early stop: batches of 70 split over the ranks, stop decided alike
    stop = simulate_case(rn, "ic trial engine, early stop",
                  ["--engine", "trial", "--p", "0.1", "--seeds", "2", "--trials", "3000",
                   "--batch", "70", "--ci-half-width", "10"], [2, 3])
    rn.check(stop is not None and stop["stopped_early"] and stop["trials"] > 70,
             "early stop: expected a stop after a few batches")
    simulate_case(rn, "lt 7 trials", ["--model", "lt", "--top-degree-seeds", "3", "--trials", "7"],
                  [2, 3])
    simulate_case(rn, "timed 5 trials", ["--model", "timed", "--p", "0.15", "--trials", "5",
                                          "--horizon", "30", "--curve-step", "0.5"], [3])
    # more ranks than trials: rank 2 runs nothing
    simulate_case(rn, "ic 2 trials on 3 ranks", ["--engine", "trial", "--p", "0.3",
                                                  "--trials", "2"], [3])


def group_mobilize(rn):
    for trials, rank_counts in ((5, [1, 2, 3]), (2, [3])):
        scen = dict(SMALL_SCENARIO, trials=trials)
        with open(os.path.join(rn.dir, "tiny.json"), "w") as f:
            json.dump(scen, f)
        base = ["mobilize", "tiny.json", "-q"]
        ref = rn.run(base + ["--json", "ref.json", "--csv", "ref.csv"])
        if ref is None or ref.returncode != 0:
            return
        ref_json = strip(json.loads(rn.read("ref.json")), MOB_TIMING)
        ref_csv = rn.read("ref.csv")
        for n in rank_counts:
            what = f"mobilize {trials} trials, mpirun -n {n}"
            r = rn.run(base + ["--json", f"n{n}.json", "--csv", f"n{n}.csv"], ranks=n)
            if r is None or r.returncode != 0:
                continue
            rn.check(strip(json.loads(rn.read(f"n{n}.json")), MOB_TIMING) == ref_json,
                     f"{what}: JSON differs from the plain run")
            rn.check(rn.read(f"n{n}.csv") == ref_csv, f"{what}: CSV differs from the plain run")
            rn.check(r.stdout.count("virality") == ref.stdout.count("virality"),
                     f"{what}: the table was printed more than once")
        print(f"ok  mobilize {trials} trials: ranks {rank_counts} identical to one process")
    # JSON on stdout: exactly one document
    r = rn.run(["mobilize", "tiny.json", "-q", "--json", "-"], ranks=2)
    if r is not None and r.returncode == 0:
        printed = one_json(rn, r.stdout, "mobilize --json - under mpirun -n 2")
        rn.check(printed is not None and strip(printed, MOB_TIMING) == ref_json,
                 "mobilize --json - under mpirun -n 2 differs")


MAX_TIMING = ("run",)


def group_maximize(rn):
    """RR sampling (IMM, OPIM-C) and CELF's trials split over ranks: the seeds, gains, RR counts
    and validation must equal one process's, for several thread counts too."""
    rn.run(["generate", "ba", "-n", "3000", "--degree", "3", "-o", "g.csr", "-q", "--seed", "5"])
    cases = [
        ("imm ic", ["--k", "5", "--p", "0.05", "--method", "imm", "--epsilon", "0.4"]),
        ("opim ic", ["--k", "5", "--p", "0.05", "--method", "opim", "--epsilon", "0.3"]),
        ("imm ic weighted cascade", ["--k", "4", "--weighted-cascade", "--method", "imm"]),
        ("opim lt", ["--k", "4", "--model", "lt", "--method", "opim"]),
        ("celf ic", ["--k", "2", "--p", "0.05", "--method", "celf", "--celf-trials", "64"]),
    ]
    for name, flags in cases:
        base = ["maximize", "g.csr", "-q", "--validate-trials", "301"] + flags
        ref = rn.run(base + ["--json", "ref.json"])
        if ref is None or ref.returncode != 0:
            continue
        ref_json = strip(json.loads(rn.read("ref.json")), MAX_TIMING)
        for n, threads in ((1, "1"), (2, "2"), (3, "1"), (3, "4")):
            what = f"maximize {name}, mpirun -n {n}, {threads} threads"
            out = f"n{n}t{threads}.json"
            r = rn.run(base + ["--threads", threads, "--json", out], ranks=n)
            if r is None or r.returncode != 0:
                continue
            got = json.loads(rn.read(out))
            rn.check(got["run"]["ranks"] == n, f"{what}: run.ranks = {got['run'].get('ranks')}")
            rn.check(strip(got, MAX_TIMING) == ref_json, f"{what}: JSON differs from the plain run")
            rn.check(r.stdout.count("seed") == ref.stdout.count("seed"),
                     f"{what}: the report was printed more than once")
        print(f"ok  maximize {name}: ranks 1, 2, 3 identical to one process "
              f"(seeds {ref_json['seeds']}, {ref_json.get('rr_sets', 0)} RR sets)")
    # A bad flag on every rank: one line, exit 2, no hang.
    r = rn.run(["maximize", "g.csr", "--k", "0", "--json", "bad.json"], ranks=2, expect_rc=2)
    if r is not None:
        lines = [l for l in r.stderr.splitlines() if l.startswith("cascade: error:")]
        rn.check(len(lines) >= 1 and "--k 0" in lines[0],
                 f"maximize --k 0 under mpirun -n 2: stderr {r.stderr[-500:]}")
        rn.check(not os.path.exists(os.path.join(rn.dir, "bad.json")), "bad.json written")


def group_errors(rn):
    rn.run(["generate", "ba", "-n", "2000", "--degree", "3", "-o", "g.csr", "-q"])
    cases = [
        # every rank fails before any communication: a missing file (1), a usage error (2)
        ("missing graph", ["simulate", "nope.csr", "--trials", "10"], 1, "nope.csr"),
        ("usage error", ["simulate", "g.csr", "--model", "timed", "--ci-half-width", "1"], 2,
         "--ci-half-width"),
        ("bad scenario", ["mobilize", "nope.json"], 1, "nope.json"),
        # rank 0 alone fails after the run (its output directory does not exist)
        ("rank 0 cannot write", ["simulate", "g.csr", "--trials", "50", "-q",
                                 "-o", "no/such/dir/out.json"], 1, "no/such/dir"),
    ]
    for name, args, code, needle in cases:
        start = time.monotonic()
        r = rn.run(args, ranks=2, expect_rc=None)
        if r is None:
            continue
        lines = [l for l in r.stderr.splitlines() if l.startswith("cascade: error:")]
        rn.check(r.returncode == code, f"error '{name}': exit {r.returncode}, expected {code}; "
                                        f"stderr: {r.stderr[-1000:]}")
        rn.check(lines and needle in lines[0],
                 f"error '{name}': no 'cascade: error: ...{needle}...' line; stderr: "
                 f"{r.stderr[-1000:]}")
        print(f"ok  error '{name}' under mpirun -n 2: exit {r.returncode}, "
              f"{len(lines)} error line(s), {time.monotonic() - start:.1f} s")
    rn.check(not os.path.exists(os.path.join(rn.dir, "no")), "a directory was created")

    # Ranks given different graphs (MPMD: rank 1 runs on another file) stop before any trial
    # with one line from rank 0, instead of merging both graphs' trials into one report.
    rn.run(["generate", "ba", "-n", "2000", "--degree", "3", "--seed", "2", "-o", "h.csr", "-q"])
    sim = ["simulate", "--trials", "50", "-q", "-o", "mixed.json"]
    extra = ["--oversubscribe"] if rn.open_mpi else []
    cmd = ([rn.mpiexec, "-n", "1"] + extra + [rn.cli, sim[0], "g.csr"] + sim[1:] + [":", "-n", "1",
           rn.cli, sim[0], "h.csr"] + sim[1:])
    try:
        r = subprocess.run(cmd, cwd=rn.dir, env=rn.env, capture_output=True, text=True,
                           timeout=TIMEOUT)
        lines = [l for l in r.stderr.splitlines() if l.startswith("cascade: error:")]
        rn.check(r.returncode == 2 and lines and "ranks were given different inputs: rank 1's "
                 "graph and parameters hash to 0x" in lines[0],
                 f"different graphs: exit {r.returncode}; stderr: {r.stderr[-1000:]}")
        rn.check(not os.path.exists(os.path.join(rn.dir, "mixed.json")), "mixed.json written")
        print(f"ok  different graphs per rank: exit {r.returncode}, refused before running")
    except subprocess.TimeoutExpired:
        rn.fail(f"HANG (> {TIMEOUT} s): {' '.join(cmd)}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--mpiexec", required=True)
    ap.add_argument("--group", choices=["simulate", "mobilize", "maximize", "errors", "all"],
                    default="all")
    a = ap.parse_args()
    if not shutil.which(a.mpiexec) and not os.path.exists(a.mpiexec):
        print(f"{a.mpiexec} not found")
        return 1
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as d:
        rn = Runner(a.cli, a.mpiexec, d)
        groups = {"simulate": group_simulate, "mobilize": group_mobilize,
                  "maximize": group_maximize, "errors": group_errors}
        for name, fn in groups.items():
            if a.group in (name, "all"):
                fn(rn)
    print(f"{rn.launches} runs, {time.monotonic() - start:.1f} s, {len(rn.failures)} failure(s)")
    return 1 if rn.failures else 0


if __name__ == "__main__":
    sys.exit(main())
