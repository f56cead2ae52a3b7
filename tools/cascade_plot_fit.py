"""Figures of cascade fit reports: posterior predictive check and posterior per free key."""
import os

from cascade_plot_common import save


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


def plot_fit_report(plt, report, out_dir, written):
    """Every figure of one cascade fit --json report."""
    plot_predictive(plt, report, out_dir, written)
    plot_posterior(plt, report, out_dir, written)
