"""Figures of cascade mobilize reports: recruits, payoffs, tree shape and sizes, time to targets."""
import os

from cascade_plot_common import (fail, grouped, legend_outside, regime_label, save,
                                 symlog_counts, t_band)


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


def plot_mobilize_report(plt, path, report, out_dir, written):
    """Every figure of one cascade mobilize --json report."""
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
    plot_recruits(plt, curves, title, out_dir, written,
                  trials if isinstance(trials, int) else 0)
    plot_payoffs(plt, report, out_dir, written)
    plot_tree(plt, report, out_dir, written)
    plot_tree_sizes(plt, report, out_dir, written)
    plot_time_to_targets(plt, report, out_dir, written)


def plot_mobilize_csv(plt, path, rows, out_dir, written):
    """recruits_over_time from a cascade mobilize --csv file: the curves alone, with no trial
    count to widen them by, so the bands stay the CSV's mean +- 1.96 SE."""
    per_regime = curves_from_csv(rows, path)
    curves = [(name, c["hours"], c["joined"], c["reached"]) for name, c in per_regime.items()]
    plot_recruits(plt, curves, os.path.basename(path), out_dir, written)
