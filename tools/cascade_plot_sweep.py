"""Figures of cascade sweep reports: equal-spend frontier, sweep of --set keys, query incentives."""
from cascade_plot_common import fail, regime_label, save


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


def plot_sweep_report(plt, path, report, out_dir, written):
    """The figure of one cascade sweep --json report, chosen by its mode."""
    if report.get("mode") == "budget":
        plot_frontier(plt, report, path, out_dir, written)
    elif report.get("mode") == "query":
        plot_query(plt, report, path, out_dir, written)
    else:
        plot_sweep(plt, report, path, out_dir, written)
