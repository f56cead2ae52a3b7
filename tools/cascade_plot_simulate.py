"""Figures of cascade simulate reports: cascade sizes, spread over time, spread vs p or seeds."""
import math
import os

from cascade_plot_common import fail, grouped, legend_outside, save, t975


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


def plot_simulate_reports(plt, inputs, out_dir, written):
    """The simulate figures over all inputs [(path, kind, data)]: spread_vs_p of each
    simulate --p LO:HI:STEP report on its own, then the figures that overlay every simulate
    JSON / CSV input."""
    for path, kind, data in inputs:
        if kind == "simulate-p-range":  # cascade simulate --p LO:HI:STEP: one report per p
            runs = [(path, "simulate-json", r) for r in data["runs"]]
            plot_spread_vs(plt, runs, "p", out_dir, written)
    simulate = [(p, k, d) for p, k, d in inputs if k in ("simulate-json", "simulate-csv")]
    if simulate:
        plot_sizes(plt, simulate, out_dir, written)
        plot_spread_curve(plt, simulate, out_dir, written)
        plot_spread_vs(plt, simulate, "p", out_dir, written)
        plot_spread_vs(plt, simulate, "k", out_dir, written)
