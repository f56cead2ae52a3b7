"""Shared by every figure of tools/plot.py: errors, matplotlib, labels, t intervals, saving."""
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


def regime_label(r):
    """A regime's name, with its scheme kind when the name does not already say it."""
    scheme = r.get("scheme", {})
    kind = scheme.get("kind") if isinstance(scheme, dict) else scheme
    name = r.get("name", "?")
    return name if not kind or kind in name else f"{name} ({kind})"


# --format: png, pdf or svg (every figure of a run). plot.py's main sets it here, in this
# module, because save() reads it here.
FORMAT = "png"

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
