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
"""
import argparse
import csv
import json
import math
import os
import sys


def fail(message):
    print(f"plot.py: error: {message}", file=sys.stderr)
    sys.exit(1)


def load_matplotlib():
    try:
        import matplotlib
        matplotlib.use("Agg")  # files only, no display needed
        import matplotlib.pyplot as plt
        return plt
    except ImportError:
        fail("matplotlib is not installed for this python "
             f"({sys.executable}); Debian: apt-get install python3-matplotlib")


# ---- reading ------------------------------------------------------------------------------------

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


def curves_from_csv(rows, path):
    """mobilize CSV -> {regime: {"hours": [...], "joined": {...}, "reached": {...}}}."""
    out = {}
    try:
        for row in rows:
            r = out.setdefault(row["regime"], {"hours": [], "joined": {"mean": [], "lo": [], "hi": []},
                                               "reached": {"mean": [], "lo": [], "hi": []}})
            r["hours"].append(float(row["hour"]))
            for name in ("joined", "reached"):
                for part in ("mean", "lo", "hi"):
                    r[name][part].append(float(row[f"{name}_{part}"]))
    except (KeyError, ValueError) as e:
        fail(f"{path}: bad CSV row: {e}")
    return out


def regime_label(r):
    scheme = r.get("scheme", {})
    kind = scheme.get("kind") if isinstance(scheme, dict) else scheme
    name = r.get("name", "?")
    return name if not kind or kind in name else f"{name} ({kind})"


# ---- figures ------------------------------------------------------------------------------------

FORMAT = "png"  # --format: png, pdf or svg (every figure of a run)

# Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom; 1.96 beyond.
T975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
        2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
        2.056, 2.052, 2.048, 2.045, 2.042)


def t975(trials):
    """The 95% two-sided t multiplier for a mean over `trials` trials (normal beyond 31)."""
    df = int(trials) - 1
    return T975[df - 1] if 1 <= df <= len(T975) else 1.96


def t_band(band, trials, floor=0.0):
    """A mean +- 1.96 SE band widened to Student's t for few trials, clipped at floor (counts
    cannot be negative)."""
    k = t975(trials) / 1.96
    lo = [max(floor, m - k * (m - l)) for m, l in zip(band["mean"], band["lo"])]
    hi = [m + k * (h - m) for m, h in zip(band["mean"], band["hi"])]
    return {"mean": band["mean"], "lo": lo, "hi": hi}


def grouped(v):
    """1048576 -> '1,048,576' for titles; other values as they are."""
    return f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) else str(v)


def legend_outside(ax, **kw):
    """The legend to the right of the axes, never on the data."""
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0,
                  fontsize=kw.get("fontsize", 8))


def symlog_counts(plt, ax):
    """A symlog y axis that stays readable from 0: linear to 1, then decades, grouped labels."""
    from matplotlib.ticker import FuncFormatter, SymmetricalLogLocator
    ax.set_yscale("symlog", linthresh=1, linscale=0.5)
    ax.yaxis.set_major_locator(SymmetricalLogLocator(base=10, linthresh=1))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_ylim(bottom=0)


def save(plt, fig, out_dir, name, written):
    name = os.path.splitext(name)[0] + "." + FORMAT
    path = os.path.join(out_dir, name)
    fig.tight_layout()
    # Like every cascade output: write a temporary name, then rename, so a figure is complete
    # or absent (also when interrupted: the temporary file is removed on the way out).
    tmp = f"{path}.tmp-{os.getpid()}"
    try:
        fig.savefig(tmp, dpi=120, format=FORMAT, bbox_inches="tight")
        os.replace(tmp, path)
    except OSError as e:
        fail(f"cannot write {path}: {e.strerror}")
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    plt.close(fig)
    written.append(path)


def plot_recruits(plt, curves, title, out_dir, written, trials=0):
    """curves: list of (label, hours, joined band, reached band); bands widened to Student's t
    when trials are few (trials > 0)."""
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.5))
    for label, hours, joined, reached in curves:
        for ax, band in ((axes[0], joined), (axes[1], reached)):
            if trials:
                band = t_band(band, trials)
            line, = ax.plot(hours, band["mean"], label=label)
            ax.fill_between(hours, band["lo"], band["hi"], color=line.get_color(), alpha=0.25,
                            linewidth=0)
    for ax, what in ((axes[0], "recruits (joined)"), (axes[1], "reached (heard of it)")):
        ax.set_xlabel("hours")
        ax.set_ylabel(what)
        ax.set_title(f"{what}: mean and 95% band" + (" (Student t)" if 0 < trials <= 31 else ""))
        ax.grid(alpha=0.3)
        if any(max(c[2]["hi"] + [0]) > 0 for c in curves):
            symlog_counts(plt, ax)
    legend_outside(axes[1])
    fig.suptitle(title)
    save(plt, fig, out_dir, "recruits_over_time.png", written)


def plot_payoffs(plt, report, out_dir, written):
    regimes = report["regimes"]
    labels = [regime_label(r) for r in regimes]
    x = range(len(regimes))

    def summary(r, key):
        s = r.get(key) or {}
        mean = s.get("mean", 0.0) or 0.0
        lo, hi = (s.get("ci95") or [mean, mean])
        return mean, max(0.0, mean - lo), max(0.0, hi - mean)

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    payout = [summary(r, "payout") for r in regimes]
    charity = [summary(r, "charity") for r in regimes]
    budget = [r.get("budget", 0.0) or 0.0 for r in regimes]
    ax = axes[0]
    ax.bar(x, [p[0] for p in payout], yerr=[[p[1] for p in payout], [p[2] for p in payout]],
           label="paid to people", capsize=4)
    ax.bar(x, [c[0] for c in charity], bottom=[p[0] for p in payout], label="to charity",
           alpha=0.7)
    ax.scatter(x, budget, marker="_", s=600, color="black", label="budget", zorder=3)
    ax.set_ylabel("dollars per trial")
    ax.set_title("payout and charity (mean, 95% CI)")
    ax.legend()

    ax = axes[1]
    hist = [((r.get("payoff") or {}).get("histogram")) for r in regimes]
    if any(hist):
        # Optional payoff histogram: {"edges_dollars": [...], "counts_mean": [...]}.
        for label, h in zip(labels, hist):
            if h:
                edges, counts = h["edges_dollars"], h["counts_mean"]
                ax.step(edges[:len(counts)], counts, where="post", label=label)
        ax.set_xscale("symlog")
        ax.set_yscale("log")
        ax.set_xlabel("payoff (dollars)")
        ax.set_ylabel("people (mean per trial)")
        ax.set_title("payoff distribution")
        ax.legend()
    else:
        mx = [summary(r.get("payoff") or {}, "max") for r in regimes]
        ax.bar(x, [m[0] for m in mx], yerr=[[m[1] for m in mx], [m[2] for m in mx]], capsize=4)
        ax.set_ylabel("dollars")
        ax.set_title("largest single payoff (mean, 95% CI)")
    ax = axes[2]
    gini = [summary(r.get("payoff") or {}, "gini") for r in regimes]
    ax.bar(x, [g[0] for g in gini], yerr=[[g[1] for g in gini], [g[2] for g in gini]], capsize=4,
           color="tab:purple")
    ax.set_ylim(0, 1)
    ax.set_title("inequality of payoffs (Gini over recruits)")
    for ax in axes:
        ax.set_xticks(list(x))
        ax.set_xticklabels(labels, rotation=20, ha="right")
        ax.grid(alpha=0.3, axis="y")
    fig.suptitle(f"{report.get('scenario', '')}: payoffs over {report.get('trials', '?')} trials")
    save(plt, fig, out_dir, "payoffs.png", written)


def plot_tree(plt, report, out_dir, written):
    regimes = report["regimes"]
    if not any((r.get("tree") or {}).get("depth_histogram") for r in regimes):
        return
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    for r in regimes:
        tree = r.get("tree") or {}
        growth = (r.get("theory") or {}).get("growth_factor", tree.get("r0_theory", float("nan")))
        label = f"{regime_label(r)}, growth factor {growth:.2f}"
        depth = tree.get("depth_histogram") or []
        offspring = tree.get("offspring_histogram") or []
        # Zeros have no place on a log axis: leave gaps instead of plunging lines.
        depth = [x if x and x > 0 else float("nan") for x in depth]
        offspring = [x if x and x > 0 else float("nan") for x in offspring]
        if depth:
            axes[0].plot(range(len(depth)), depth, marker="o", ms=3, label=label)
        if offspring:
            axes[1].plot(range(len(offspring)), offspring, marker="o", ms=3, label=label)
    axes[0].set_xlabel("depth in the recruitment tree")
    axes[0].set_ylabel("recruits (mean per trial)")
    axes[1].set_xlabel("recruits of one person (last bin: that many or more)")
    axes[1].set_ylabel("people (mean per trial)")
    for ax in axes:
        ax.set_yscale("log")
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle("recruitment tree shape")
    save(plt, fig, out_dir, "recruitment_tree.png", written)


def plot_time_to_targets(plt, report, out_dir, written):
    """Empirical CDF of the hours to find every target: the share of all trials that had found
    them all by t. It levels off below 1 when some trials never found them all."""
    trials = report.get("trials", 0)
    series = [(regime_label(r), (r.get("hours_to_all_targets") or {}).get("sorted") or [])
              for r in report["regimes"]]
    if not trials or not any(h for _, h in series):
        return
    horizon = report.get("horizon_hours") or max(max(h) for _, h in series if h)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for label, hours in series:
        share = len(hours) / trials
        xs = [0.0] + list(hours) + [horizon]
        ys = [0.0] + [(i + 1) / trials for i in range(len(hours))] + [share]
        ax.step(xs, ys, where="post", label=f"{label} ({share:.0%} of trials)")
    ax.set_xlabel("hours after the targets appear")
    ax.set_ylabel("share of trials with every target found")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    legend_outside(ax)
    fig.suptitle(f"{report.get('scenario', '')}: time to find all {report.get('targets', '?')} "
                 f"targets, {grouped(trials)} trials")
    save(plt, fig, out_dir, "time_to_all_targets.png", written)


def plot_tree_sizes(plt, report, out_dir, written):
    """Sizes of the recruitment trees grown from each initial member, in powers-of-two bins."""
    regimes = report["regimes"]
    series = [(regime_label(r), (r.get("tree") or {}).get("tree_size_histogram") or [])
              for r in regimes]
    if not any(any(h) for _, h in series):
        return
    fig, ax = plt.subplots(figsize=(8, 4.5))
    last = max(max((k for k, x in enumerate(h) if x > 0), default=0) for _, h in series)
    for label, h in series:
        ys = [x if x > 0 else float("nan") for x in h[:last + 1]]
        ax.plot(range(len(ys)), ys, marker="o", ms=3, label=label)
    ax.set_xticks(range(last + 1))
    ax.set_xticklabels([grouped(2 ** k) for k in range(last + 1)], rotation=45, ha="right")
    ax.set_xlabel("tree size (initial member and everyone below), bins from 2^k to 2^(k+1) - 1")
    ax.set_ylabel("trees (mean per trial)")
    ax.set_yscale("log")
    ax.grid(alpha=0.3)
    legend_outside(ax)
    fig.suptitle(f"{report.get('scenario', '')}: recruitment tree sizes, "
                 f"{grouped(report.get('trials', '?'))} trials")
    save(plt, fig, out_dir, "tree_sizes.png", written)


def size_histogram(kind, data, path):
    if kind == "simulate-json":
        h = data.get("size_histogram")
        if h is None:
            fail(f"{path}: no 'size_histogram' (written by cascade simulate --json)")
        return [(int(s), int(c)) for s, c in h]
    counts = {}
    try:
        for row in data:
            s = int(row["spread"])
            counts[s] = counts.get(s, 0) + 1
    except (KeyError, ValueError) as e:
        fail(f"{path}: bad CSV row: {e}")
    return sorted(counts.items())


def plot_sizes(plt, inputs, out_dir, written):
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    for path, kind, data in inputs:
        hist = size_histogram(kind, data, path)
        total = sum(c for _, c in hist)
        if total == 0:
            continue
        label = os.path.basename(path)
        # Log-binned density: bins [2^k, 2^(k+1)), count / (trials * bin width).
        bins = {}
        for s, c in hist:
            k = int(math.log2(s)) if s > 0 else -1
            bins[k] = bins.get(k, 0) + c
        xs, ys = [], []
        for k in sorted(bins):
            lo, width = (0, 1) if k < 0 else (2 ** k, 2 ** k)
            xs.append(max(lo, 0.5) * (1.41 if k >= 0 else 1))
            ys.append(bins[k] / total / width)
        if len(xs) == 1:  # every trial the same size: a bar, not a lone dot
            axes[0].bar(xs, ys, width=[0.4 * x for x in xs], label=f"{label}: all size {hist[-1][0]:,}")
            axes[0].set_xscale("log")
            axes[0].set_yscale("log")
        else:
            axes[0].loglog(xs, ys, marker="o", ms=4, label=label)
        # Complementary CDF P(size >= s).
        ccdf_x, ccdf_y, above = [], [], total
        for s, c in hist:
            ccdf_x.append(max(s, 0.5))
            ccdf_y.append(above / total)
            above -= c
        axes[1].loglog(ccdf_x, ccdf_y, drawstyle="steps-post", label=label)
    axes[0].set_title("cascade size distribution (log bins)")
    axes[0].set_xlabel("cascade size (vertices)")
    axes[0].set_ylabel("probability density")
    axes[1].set_title("P(size >= s)")
    axes[1].set_xlabel("cascade size s (vertices)")
    from matplotlib.ticker import LogLocator
    for ax in axes:
        ax.grid(alpha=0.3, which="both")
        ax.xaxis.set_major_locator(LogLocator(base=10, numticks=8))
        ax.xaxis.set_minor_locator(LogLocator(base=10, subs="auto", numticks=8))
    legend_outside(axes[1])
    save(plt, fig, out_dir, "cascade_sizes.png", written)


def plot_spread_curve(plt, inputs, out_dir, written):
    curves = [(p, d) for p, k, d in inputs if k == "simulate-json" and d.get("curve")]
    if not curves:
        return
    fig, ax = plt.subplots(figsize=(7, 4.5))
    unit = "step"
    for path, d in curves:
        step = float(d.get("curve_step", 1.0))
        unit = d.get("curve_unit", "step")
        ax.plot([i * step for i in range(len(d["curve"]))], d["curve"], marker=".",
                label=os.path.basename(path))
    ax.set_xlabel(unit + "s" if unit == "hour" else "step")
    ax.set_ylabel("mean active vertices (cumulative)")
    ax.set_title("spread over time")
    ax.grid(alpha=0.3)
    legend_outside(ax)
    save(plt, fig, out_dir, "spread_curve.png", written)


def simulate_param(d, what):
    """The swept parameter of a simulate report: p (uniform IC) or the number of random seeds."""
    if what == "p":
        prob = d.get("probability") or {}
        return prob.get("p") if prob.get("kind") == "uniform" else None
    seeds = d.get("seeds") or {}
    return seeds.get("k") if seeds.get("kind") in ("random", "top-degree") else None


def plot_spread_vs(plt, inputs, what, out_dir, written):
    """Spread against p (the phase transition) or the number of seeds, from several simulate
    reports that differ in it; 95% intervals from Student's t on the standard error."""
    runs = [(p, d) for p, k, d in inputs if k == "simulate-json"]
    points = {}
    for path, d in runs:
        x = simulate_param(d, what)
        if x is not None:
            points[x] = d
    others = {simulate_param(d, "k" if what == "p" else "p") for _, d in runs}
    if len(points) < 2 or len(others) > 1:
        return  # not a sweep of this parameter
    xs = sorted(points)
    means = [points[x]["mean"] for x in xs]
    half = [t975(points[x]["trials"]) * points[x]["stderr"] for x in xs]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.errorbar(xs, means, yerr=half, marker="o", ms=4, capsize=3, label="mean, 95% CI (t)")
    vertices = points[xs[0]].get("graph", {}).get("vertices")
    ax.set_xlabel("arc probability p" if what == "p" else "number of seeds")
    ax.set_ylabel("mean spread (vertices)")
    ax.set_title(("spread vs p" if what == "p" else "spread vs number of seeds") +
                 (f" ({grouped(vertices)} vertices)" if isinstance(vertices, int) else ""))
    ax.grid(alpha=0.3)
    legend_outside(ax)
    save(plt, fig, out_dir, "spread_vs_p.png" if what == "p" else "spread_vs_seeds.png", written)


# ---- cascade sweep ------------------------------------------------------------------------------

SWEEP_OUTCOMES = (("recruits", "recruits (joined)"), ("targets_found", "targets found"),
                  ("p_all_found", "P(all targets found by the horizon)"))


def sweep_series(report, path):
    """{regime label: [(point, regime entry)]} in point order."""
    series = {}
    for point in report["points"]:
        for r in point.get("regimes") or []:
            series.setdefault(regime_label(r), []).append((point, r))
    if not series:
        fail(f"{path}: sweep report without regimes")
    return series


def band(rows, key):
    mean = [r.get(f"{key}_mean", r.get(key)) for _, r in rows]
    ci = [r.get(f"{key}_ci95") or [m, m] for (_, r), m in zip(rows, mean)]
    # Counts, dollars and probabilities are >= 0; a normal-approximation band may dip below.
    return mean, [max(0.0, c[0]) for c in ci], [c[1] for c in ci]


def plot_frontier(plt, report, path, out_dir, written):
    """Equal-spend frontier: outcome vs actual dollars paid, one line per scheme."""
    fig, axes = plt.subplots(1, 3, figsize=(16, 4.8))
    for i, (label, rows) in enumerate(sweep_series(report, path).items()):
        spend = [r["spend_mean"] for _, r in rows]
        color = f"C{i % 10}"
        for ax, (key, _) in zip(axes, SWEEP_OUTCOMES):
            mean, lo, hi = band(rows, key)
            if max(spend) <= 0:  # pays nothing (virality): a reference level, not a curve
                ax.axhline(mean[0], linestyle="--", color=color, label=f"{label} (no spend)")
                ax.axhspan(lo[0], hi[0], color=color, alpha=0.15, linewidth=0)
                continue
            ax.plot(spend, mean, marker="o", color=color, label=label)
            ax.fill_between(spend, lo, hi, color=color, alpha=0.2, linewidth=0)
    for ax, (key, what) in zip(axes, SWEEP_OUTCOMES):
        ax.set_xscale("log")
        ax.set_xlabel("actual spend per campaign (dollars, mean)")
        ax.set_ylabel(what)
        ax.set_title(f"{what}: mean and 95% band")
        ax.grid(alpha=0.3, which="both")
        if key == "recruits":
            ax.set_yscale("symlog", linthresh=10)
        ax.set_ylim(bottom=0)
        ax.legend(fontsize=8)
    # "\$": a bare "$" would start matplotlib's math mode.
    budgets = ", ".join(f"\\${p['values'].get('budget_dollars', 0):,.0f}"
                        for p in report["points"])
    fig.suptitle(f"{report.get('scenario', '')}: equal-spend frontier (budgets {budgets})")
    save(plt, fig, out_dir, "frontier.png", written)


def plot_sweep(plt, report, path, out_dir, written):
    """Outcomes vs the first swept key; with two keys one line per regime and second value."""
    keys = report.get("keys") or []
    if not keys:
        fail(f"{path}: sweep report without keys")
    first = keys[0]
    xs_all = [p["values"][first] for p in report["points"]]
    numeric = all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in xs_all)
    categories = list(dict.fromkeys(str(x) for x in xs_all))
    lines = {}
    for point in report["points"]:
        rest = ", ".join(f"{k}={point['values'][k]}" for k in keys[1:])
        for r in point.get("regimes") or []:
            label = regime_label(r) + (f", {rest}" if rest else "")
            lines.setdefault(label, []).append((point, r))
    outcomes = SWEEP_OUTCOMES + (("spend", "actual spend (dollars)"),)
    fig, axes = plt.subplots(1, 4, figsize=(20, 4.8))
    for label, rows in lines.items():
        x = [p["values"][first] if numeric else categories.index(str(p["values"][first]))
             for p, _ in rows]
        for ax, (key, _) in zip(axes, outcomes):
            mean, lo, hi = band(rows, key)
            line, = ax.plot(x, mean, marker="o", label=label)
            ax.fill_between(x, lo, hi, color=line.get_color(), alpha=0.2, linewidth=0)
    for ax, (key, what) in zip(axes, outcomes):
        ax.set_xlabel(first)
        if not numeric:
            ax.set_xticks(range(len(categories)))
            ax.set_xticklabels(categories, rotation=20, ha="right")
        ax.set_ylabel(what)
        ax.set_title(f"{what}: mean and 95% band")
        ax.grid(alpha=0.3)
        if key in ("recruits", "spend"):
            ax.set_yscale("symlog", linthresh=10)
        ax.set_ylim(bottom=0)
        ax.legend(fontsize=7)
    fig.suptitle(f"{report.get('scenario', '')}: sweep of {' x '.join(keys)}")
    save(plt, fig, out_dir, "sweep.png", written)


def plot_query(plt, report, path, out_dir, written):
    """Kleinberg-Raghavan threshold: r* vs the expected depth log_b n per branching b (exact
    line, simulated markers), and simulated against exact P(found) at the probed reward."""
    points = report.get("points") or []
    if not points or any("query" not in p for p in points):
        fail(f"{path}: query sweep report without query points")
    keys = report.get("keys") or []
    by_reward = bool(keys) and keys[0] == "query_incentive.reward"
    lines = {}
    for p in points:
        q = p["query"]
        if by_reward:  # one line per value of the other keys
            label = ", ".join(f"{k}={p['values'][k]}" for k in keys[1:]) or f"b = {q['branching']:g}"
        else:
            label = f"b = {q['branching']:g}"
        lines.setdefault(label, []).append(q)
    if by_reward:  # one panel: success vs reward
        fig, ax_r = plt.subplots(1, 1, figsize=(7.5, 4.8))
        ax_p = None
    else:
        fig, (ax_r, ax_p) = plt.subplots(1, 2, figsize=(13, 4.8))
    for i, (label, qs) in enumerate(lines.items()):
        color = f"C{i % 10}"
        if by_reward:
            qs = sorted(qs, key=lambda q: q["reward"])
            x = [q["reward"] for q in qs]
            ax_r.plot(x, [q["exact_success"] for q in qs], color=color, label=f"{label}: exact")
            lo = [q["simulated_success"] - q["simulated_ci95"][0] for q in qs]
            hi = [q["simulated_ci95"][1] - q["simulated_success"] for q in qs]
            ax_r.errorbar(x, [q["simulated_success"] for q in qs], yerr=[lo, hi], fmt="o",
                          color=color, markersize=4, label=f"{label}: simulated (95%)")
            continue
        qs = sorted((q for q in qs if q.get("expected_depth") is not None),
                    key=lambda q: q["expected_depth"])
        exact = [q for q in qs if q.get("required_reward")]
        ax_r.plot([q["expected_depth"] for q in exact], [q["required_reward"] for q in exact],
                  color=color, label=f"{label}: exact equilibrium")
        sim = [q for q in qs if q.get("simulated_required_reward")]
        ax_r.plot([q["expected_depth"] for q in sim], [q["simulated_required_reward"] for q in sim],
                  "o", color=color, markersize=5, fillstyle="none", label=f"{label}: simulated")
        lo = [q["simulated_success"] - q["simulated_ci95"][0] for q in exact]
        hi = [q["simulated_ci95"][1] - q["simulated_success"] for q in exact]
        ax_p.errorbar([q["exact_success"] for q in exact], [q["simulated_success"] for q in exact],
                      yerr=[lo, hi], fmt="o", color=color, markersize=4, label=label)
    sigma = points[0]["query"]["success"]
    if by_reward:
        ax_r.set_xlabel("root reward r")
        ax_r.set_ylabel("P(the root gets the answer)")
        ax_r.axhline(sigma, color="grey", linestyle=":", linewidth=1)
        ax_r.set_title("success vs reward: exact (line) and simulated")
    else:
        ax_r.set_yscale("log")
        ax_r.set_xlabel("expected depth of the nearest answer, log n / log b")
        ax_r.set_ylabel(f"reward r* for success {sigma:g}")
        ax_r.set_title("r*: linear in depth for b > 2, exponential for b < 2")
        lims = [0, 1]
        ax_p.plot(lims, lims, color="grey", linestyle=":", linewidth=1)
        ax_p.set_xlabel("exact P(found) at the exact r*")
        ax_p.set_ylabel("simulated P(found), 95% interval")
        ax_p.set_title("simulation vs exact equilibrium")
        ax_p.legend(fontsize=7)
        ax_p.grid(alpha=0.3)
    ax_r.grid(alpha=0.3, which="both")
    ax_r.legend(fontsize=7, ncol=2)
    fig.suptitle(f"{report.get('scenario', '')}: fixed-payment query incentives "
                 f"(Kleinberg and Raghavan 2005), {points[0].get('trials', '?')} trees per point",
                 fontsize=10)
    save(plt, fig, out_dir, "query_incentive.png", written)


def plot_predictive(plt, report, out_dir, written):
    """Posterior predictive check: each statistic the data gives, observed (black) against the
    median and 90% band of the final population's simulations."""
    stats = report.get("predictive") or []
    regimes = list(dict.fromkeys(p["regime"] for p in stats))
    groups = (("signups@", "sign-ups by hour"), ("offspring=", "share with k recruits"),
              ("depth=", "share at depth d"), ("", "targets"))
    fig, axes = plt.subplots(len(regimes) or 1, 4, figsize=(18, 4.2 * max(1, len(regimes))),
                             squeeze=False)
    for row, regime in zip(axes, regimes):
        mine = [p for p in stats if p["regime"] == regime]
        for ax, (prefix, title) in zip(row, groups):
            if prefix:
                sel = [p for p in mine if p["statistic"].startswith(prefix)]
            else:
                sel = [p for p in mine if not any(p["statistic"].startswith(g[0])
                                                  for g in groups[:3])]
            if not sel:
                ax.set_axis_off()
                ax.set_title(f"{regime}: {title} (not in the data)")
                continue
            x = list(range(len(sel)))
            med = [p["median"] for p in sel]
            lo = [p["interval90"][0] for p in sel]
            hi = [p["interval90"][1] for p in sel]
            ax.errorbar(x, med, yerr=[[m - l for m, l in zip(med, lo)],
                                      [h - m for m, h in zip(med, hi)]],
                        fmt="o", color="tab:blue", capsize=3, label="posterior predictive 90%")
            ax.plot(x, [p["observed"] for p in sel], "kx", markersize=9, label="observed")
            ax.set_xticks(x)
            ax.set_xticklabels([p["statistic"].replace(prefix, "") for p in sel],
                               rotation=30 if len(sel) > 4 else 0, fontsize=8)
            ax.set_title(f"{regime}: {title}")
            ax.grid(alpha=0.3)
            ax.legend(fontsize=7)
    fig.suptitle(f"{report.get('scenario', '')}: posterior predictive check of "
                 f"{os.path.basename(str(report.get('data', '')))}")
    save(plt, fig, out_dir, "posterior_predictive.png", written)


def plot_posterior(plt, report, out_dir, written):
    samples = report.get("samples") or {}
    keys = samples.get("keys") or []
    if not keys:
        return
    values, weights = samples.get("values") or [], samples.get("weights") or []
    verdicts = (report.get("identifiability") or {}).get("keys") or {}
    fig, axes = plt.subplots(1, len(keys), figsize=(5 * len(keys), 4), squeeze=False)
    for k, (ax, key) in enumerate(zip(axes[0], keys)):
        p = report["parameters"][key]
        lo, hi = p["prior"]
        ax.hist([v[k] for v in values], bins=20, range=(lo, hi), weights=weights,
                color="tab:blue", alpha=0.7)
        for q in p["interval90"]:
            ax.axvline(q, color="k", linestyle="--", linewidth=1)
        ax.axvline(p["median"], color="k", linewidth=1.5)
        ax.set_xlim(lo, hi)
        ax.set_xlabel(f"{key} (prior range)")
        ax.set_ylabel("posterior weight")
        verdict = verdicts.get(key, {})
        ax.set_title(f"{key}: {verdict.get('verdict', '')} "
                     f"(90% width / prior {verdict.get('width_ratio', float('nan')):.2f})",
                     fontsize=9)
    fig.suptitle(f"{report.get('scenario', '')}: posterior (median, 90% interval)")
    save(plt, fig, out_dir, "posterior.png", written)


def main():
    parser = argparse.ArgumentParser(
        description="Draw figures (PNG, PDF or SVG) from cascade mobilize / sweep / simulate JSON or CSV output.")
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="JSON or CSV written by cascade mobilize or cascade simulate")
    parser.add_argument("--csv", action="append", default=[], metavar="CSV",
                        help="additional CSV input (same as giving it as INPUT)")
    parser.add_argument("-o", "--out", required=True, metavar="DIR",
                        help="directory for the PNG files (created if missing)")
    parser.add_argument("-q", "--quiet", action="store_true", help="do not list the files written")
    parser.add_argument("--format", choices=("png", "pdf", "svg"), default="png",
                        help="file format of every figure (default png)")
    args = parser.parse_args()
    global FORMAT
    FORMAT = args.format

    inputs = [(p, *read_input(p)) for p in args.inputs + args.csv]
    try:
        os.makedirs(args.out, exist_ok=True)
    except OSError as e:
        fail(f"cannot create {args.out}: {e.strerror}")
    plt = load_matplotlib()
    written = []

    mobilize_json = [(p, d) for p, k, d in inputs if k == "mobilize-json"]
    mobilize_csv = [(p, d) for p, k, d in inputs if k == "mobilize-csv"]
    if mobilize_json:
        path, report = mobilize_json[0]
        curves = []
        for r in report["regimes"]:
            c = r.get("curves") or {}
            if not c.get("hours"):
                fail(f"{path}: regime '{r.get('name')}' has no curves")
            curves.append((regime_label(r), c["hours"], c["joined"], c["reached"]))
        title = (f"{report.get('scenario', '')}: "
                 f"{grouped(report.get('network', {}).get('vertices', '?'))} "
                 f"vertices, {grouped(report.get('trials', '?'))} trials")
        trials = report.get("trials", 0)
        plot_recruits(plt, curves, title, args.out, written,
                      trials if isinstance(trials, int) else 0)
        plot_payoffs(plt, report, args.out, written)
        plot_tree(plt, report, args.out, written)
        plot_tree_sizes(plt, report, args.out, written)
        plot_time_to_targets(plt, report, args.out, written)
    elif mobilize_csv:
        path, rows = mobilize_csv[0]
        per_regime = curves_from_csv(rows, path)
        curves = [(name, c["hours"], c["joined"], c["reached"]) for name, c in per_regime.items()]
        plot_recruits(plt, curves, os.path.basename(path), args.out, written)

    for path, kind, data in inputs:
        if kind == "sweep-json":
            if data.get("mode") == "budget":
                plot_frontier(plt, data, path, args.out, written)
            elif data.get("mode") == "query":
                plot_query(plt, data, path, args.out, written)
            else:
                plot_sweep(plt, data, path, args.out, written)
        elif kind == "fit-json":
            plot_predictive(plt, data, args.out, written)
            plot_posterior(plt, data, args.out, written)

    for path, kind, data in inputs:
        if kind == "simulate-p-range":  # cascade simulate --p LO:HI:STEP: one report per p
            runs = [(path, "simulate-json", r) for r in data["runs"]]
            plot_spread_vs(plt, runs, "p", args.out, written)
    simulate = [(p, k, d) for p, k, d in inputs if k in ("simulate-json", "simulate-csv")]
    if simulate:
        plot_sizes(plt, simulate, args.out, written)
        plot_spread_curve(plt, simulate, args.out, written)
        plot_spread_vs(plt, simulate, "p", args.out, written)
        plot_spread_vs(plt, simulate, "k", args.out, written)

    if not args.quiet:
        for path in written:
            print(f"plot.py: wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
