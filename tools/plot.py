#!/usr/bin/env python3
"""Figures from cascade's JSON / CSV output (PNG, matplotlib).

Inputs (the kind is recognised from the content):
  cascade mobilize --json F   recruits_over_time.png   recruits (joined) and reached per regime,
                                                        mean with the 95% band, over hours
                              payoffs.png              payout, charity and budget per regime;
                                                        largest single payoff and Gini
                              recruitment_tree.png     depth and offspring distributions
                              tree_sizes.png           sizes of the trees grown from each
                                                        initial member (powers-of-two bins)
                              time_to_all_targets.png  CDF of the hours to find every target
  cascade mobilize --csv F    recruits_over_time.png   (from the curves alone)
  cascade simulate --json F   cascade_sizes.png        distribution of cascade sizes (log-log)
                              spread_curve.png         mean active vertices per step / hour
  cascade simulate --csv F    cascade_sizes.png        (from the per-trial spreads)
  cascade simulate --p LO:HI:STEP --json F
                              spread_vs_p.png          mean spread with 95% t intervals vs p
  cascade sweep --json F      frontier.png             --budget: recruits, targets found and
                                                        P(all found) vs actual spend, one line
                                                        per scheme, 95% bands
                              sweep.png                --set: the same outcomes (and spend) vs
                                                        the swept value, one line per regime
                              query_incentive.png      query_incentive scenario: the reward r*
                                                        the root needs vs the depth of the
                                                        nearest answer, one line per branching
                                                        b (exact equilibrium, Kleinberg and
                                                        Raghavan's prediction) with the
                                                        simulated r* beside it, and the
                                                        simulated P(found) at the exact r*
                                                        (95% interval) against the exact one;
                                                        a swept query_incentive.reward gives
                                                        P(found) vs reward instead
  cascade fit --json F        posterior_predictive.png observed summaries (sign-ups over time,
                                                        offspring and depth shares, targets)
                                                        against the posterior's 90% band
                              posterior.png            weighted posterior histogram per free
                                                        key over its prior range

Several simulate inputs are overlaid in one figure, labelled by file name.

Usage: plot.py INPUT [INPUT ...] --out DIR      (cascade mobilize --plot DIR runs this)

The figures live in modules beside this script, one per subcommand's output (Python finds them
because it puts this script's directory first on sys.path; they are installed with it):
  cascade_plot_common.py    errors, matplotlib, regime labels, Student t bands, saving
  cascade_plot_mobilize.py  mobilize JSON / CSV figures
  cascade_plot_simulate.py  simulate JSON / CSV figures
  cascade_plot_sweep.py     sweep JSON figures
  cascade_plot_fit.py       fit JSON figures
This file recognises each input's kind and hands it to them.
"""
import argparse
import csv
import json
import os
import sys

import cascade_plot_common
from cascade_plot_common import fail, load_matplotlib
from cascade_plot_fit import plot_fit_report
from cascade_plot_mobilize import plot_mobilize_csv, plot_mobilize_report
from cascade_plot_simulate import plot_simulate_reports
from cascade_plot_sweep import plot_sweep_report


def read_input(path):
    """Returns (kind, data): kind is mobilize-json, mobilize-csv, sweep-json, fit-json, simulate-json,
    simulate-p-range (simulate --p LO:HI:STEP) or simulate-csv."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        fail(f"cannot read {path}: {e.strerror}")
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            fail(f"{path}:{e.lineno}: not valid JSON: {e.msg}")
        if "points" in data:
            return "sweep-json", data
        if "parameters" in data and "predictive" in data:
            return "fit-json", data
        if "regimes" in data:
            return "mobilize-json", data
        if "runs" in data and "p_values" in data:
            return "simulate-p-range", data
        if "size_histogram" in data or "mean" in data:
            return "simulate-json", data
        fail(f"{path}: JSON is not a 'cascade mobilize', 'cascade sweep', 'cascade fit' or "
             "'cascade simulate' report")
    rows = list(csv.DictReader(text.splitlines()))
    header = rows[0].keys() if rows else []
    if "regime" in header and "joined_mean" in header:
        return "mobilize-csv", rows
    if "spread" in header:
        return "simulate-csv", rows
    fail(f"{path}: unrecognised CSV (expected the output of cascade mobilize --csv or "
         "cascade simulate --csv)")


def main():
    parser = argparse.ArgumentParser(
        description="Draw figures (PNG, PDF or SVG) from cascade mobilize / sweep / fit / simulate JSON or CSV output.")
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="JSON or CSV written by cascade mobilize, sweep, fit or simulate")
    parser.add_argument("--csv", action="append", default=[], metavar="CSV",
                        help="additional CSV input (same as giving it as INPUT)")
    parser.add_argument("-o", "--out", required=True, metavar="DIR",
                        help="directory for the figures (created if missing)")
    parser.add_argument("-q", "--quiet", action="store_true", help="do not list the files written")
    parser.add_argument("--format", choices=("png", "pdf", "svg"), default="png",
                        help="file format of every figure (default png)")
    args = parser.parse_args()
    cascade_plot_common.FORMAT = args.format  # save() reads it there

    inputs = [(p, *read_input(p)) for p in args.inputs + args.csv]
    try:
        os.makedirs(args.out, exist_ok=True)
    except OSError as e:
        fail(f"cannot create {args.out}: {e.strerror}")
    plt = load_matplotlib()
    written = []

    mobilize_json = [(p, d) for p, k, d in inputs if k == "mobilize-json"]
    mobilize_csv = [(p, d) for p, k, d in inputs if k == "mobilize-csv"]
    if mobilize_json:  # one mobilize report per run: the first JSON, else the first CSV
        plot_mobilize_report(plt, *mobilize_json[0], args.out, written)
    elif mobilize_csv:
        plot_mobilize_csv(plt, *mobilize_csv[0], args.out, written)
    for path, kind, data in inputs:
        if kind == "sweep-json":
            plot_sweep_report(plt, path, data, args.out, written)
        elif kind == "fit-json":
            plot_fit_report(plt, data, args.out, written)
    plot_simulate_reports(plt, inputs, args.out, written)

    if not args.quiet:
        for path in written:
            print(f"plot.py: wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
