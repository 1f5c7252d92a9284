#!/usr/bin/env python3
"""Read a cavitas run file with h5py and plot the joint gap and the sound.

Usage:
    python3 examples/read_output.py out.h5 [--save plot.png]

Needs h5py and numpy (`pip install h5py`); matplotlib is optional: without it
(or with --no-plot) the script prints a summary instead of plotting. Every
group is optional: a file without /acoustics still plots the gap, and the other
way round. The layout is documented in crates/cavitas-hdf5/SCHEMA.md.
"""

import argparse
import sys

import h5py
import numpy as np


def attr(obj, name, default=""):
    v = obj.attrs.get(name, default)
    return v.decode() if isinstance(v, bytes) else str(v)


def column(f, group, name):
    """(values, unit) of /group/name, or None when absent."""
    path = f"{group}/{name}"
    if path not in f:
        return None
    ds = f[path]
    return ds[()], attr(ds, "units")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", help="run file (out.h5, or out.h5.partial of an unfinished run)")
    p.add_argument("--save", help="write the figure to this file instead of showing it")
    p.add_argument("--no-plot", action="store_true", help="print a summary only")
    args = p.parse_args()

    with h5py.File(args.file, "r") as f:
        fmt = attr(f, "format", "<none>")
        if fmt != "cavitas-run":
            print(f"{args.file}: not a cavitas run file (format={fmt!r})", file=sys.stderr)
            return 2
        print(f"{args.file}: schema {attr(f, 'schema_version')}, cavitas {attr(f, 'cavitas_version')}, "
              f"git {attr(f, 'git_revision')}, backend {attr(f, 'backend')} ({attr(f, 'adapter')}), "
              f"precision {attr(f, 'precision')}, wall time {attr(f, 'wall_time_s')} s")
        if attr(f, "complete") != "true":
            print("  note: unfinished run - data up to its last checkpoint only")

        series = []
        t = column(f, "joint", "t")
        gap = column(f, "joint", "gap")
        if t is not None and gap is not None:
            (tv, tu), (gv, gu) = t, gap
            print(f"  joint: {len(tv)} rows, t in [{tv.min() if len(tv) else 0:g}, {tv.max() if len(tv) else 0:g}] {tu}, "
                  f"gap in [{gv.min() if len(gv) else 0:g}, {gv.max() if len(gv) else 0:g}] {gu}")
            series.append(("joint gap", tv, tu, gv, gu))
        else:
            print("  no /joint/t and /joint/gap in this file")

        ta = column(f, "acoustics", "t")
        pa = column(f, "acoustics", "pressure")
        if ta is not None and pa is not None:
            (tv, tu), (pv, pu) = ta, pa
            peak = float(np.max(np.abs(pv))) if len(pv) else 0.0
            print(f"  acoustics: {len(pv)} samples, peak |p| = {peak:g} {pu}")
            series.append(("sound pressure at the listener", tv, tu, pv, pu))
        else:
            print("  no /acoustics/t and /acoustics/pressure in this file")

        if "events" in f and "events/t" in f:
            kinds = [k.decode() if isinstance(k, bytes) else str(k) for k in f["events/kind"][()]]
            for te, k, v in zip(f["events/t"][()], kinds, f["events/value"][()]):
                print(f"  event {k} at t = {te:g} s: {v:g}")

    if args.no_plot or not series:
        return 0
    try:
        import matplotlib
        if args.save:
            matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("  (matplotlib not installed: pip install matplotlib to plot)")
        return 0
    fig, axes = plt.subplots(len(series), 1, sharex=True, figsize=(8, 3 * len(series)), squeeze=False)
    for ax, (title, x, xu, y, yu) in zip(axes[:, 0], series):
        ax.plot(x, y)
        ax.set_title(title)
        ax.set_ylabel(f"[{yu}]")
    axes[-1, 0].set_xlabel(f"t [{series[-1][2]}]")
    fig.tight_layout()
    if args.save:
        fig.savefig(args.save, dpi=120)
        print(f"  wrote {args.save}")
    else:
        plt.show()
    return 0


if __name__ == "__main__":
    sys.exit(main())
