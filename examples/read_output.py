#!/usr/bin/env python3
"""Read a cavitas run file with h5py and plot the joint gap and the sound.

Usage:
    python3 examples/read_output.py out.h5 [--listener I] [--save plot.png] [--no-plot]

Needs h5py and numpy (`pip install h5py`); matplotlib is optional: without it
(or with --no-plot) the script prints a summary instead of plotting.

A coupled joint run (`cavitas run -o out.h5`, the default scenario) gives the
gap over time (/joint/t, /joint/gap, shown in mm) and the sound at listener I
(default 0) as a 44.1 kHz microphone records it
(/acoustics/listener_<I>/pressure_microphone, sample k at start_time_microphone
+ k / sample_rate_microphone). A bubble-field run (`cavitas run
configs/bubble/... -o out.h5`) gives the radius of its primary bubble
(/bubbles/primary, in um). Every group is optional: a file without /acoustics
(nothing was heard, or an unfinished run) still plots the gap, and the other
way round. The layout is documented in crates/cavitas-hdf5/SCHEMA.md.
"""

import argparse
import json
import math
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


def span(v):
    return f"[{v.min():g}, {v.max():g}]" if len(v) else "[]"


def sound(f, listener, wave="microphone"):
    """(t, p) of the sound at a listener: pressure_<wave> with its time axis,
    or None when the file has none (nothing heard, or an unfinished run)."""
    group = f"acoustics/listener_{listener}"
    names = [f"{group}/{n}_{wave}" for n in ("pressure", "start_time", "sample_rate")]
    if not all(n in f for n in names):
        return None
    p = f[names[0]][()]
    start = float(f[names[1]][0])
    rate = float(f[names[2]][0])
    return start + np.arange(len(p)) / rate, p, rate


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", help="run file (out.h5, or out.h5.partial of an unfinished run)")
    p.add_argument("--listener", type=int, default=0, help="listener whose sound to show (default 0)")
    p.add_argument("--save", help="write the figure to this file instead of showing it")
    p.add_argument("--no-plot", action="store_true", help="print a summary only")
    args = p.parse_args()

    # (title, x, x unit, y, y unit, "line" or a matplotlib style)
    series = []
    with h5py.File(args.file, "r") as f:
        fmt = attr(f, "format", "<none>")
        if fmt != "cavitas-run":
            print(f"{args.file}: not a cavitas run file (format={fmt!r})", file=sys.stderr)
            return 2
        print(f"{args.file}: schema {attr(f, 'schema_version')}, cavitas {attr(f, 'cavitas_version')}, "
              f"git {attr(f, 'git_revision')}, backend {attr(f, 'backend')} ({attr(f, 'adapter')}), "
              f"precision {attr(f, 'precision')}, wall time {attr(f, 'wall_time_s')} s")
        if attr(f, "complete") != "true":
            print("  note: unfinished run - data up to its last checkpoint only "
                  "(rows after the last whole chunk are in the .ckpt sidecar)")

        # Coupled joint run: the gap over time.
        t = column(f, "joint", "t")
        gap = column(f, "joint", "gap")
        if t is not None and gap is not None:
            (tv, tu), (gv, gu) = t, gap
            scale, unit = (1e3, "mm") if gu == "m" else (1.0, gu)
            gmm = gv * scale
            print(f"  joint: {len(tv)} rows, t in {span(tv)} {tu}, gap in {span(gmm)} {unit}")
            if len(tv) > 1:
                jump = int(np.argmax(np.diff(gmm) / np.diff(tv)))
                print(f"    fastest opening at t = {tv[jump]:.6g} {tu} "
                      f"(gap {gmm[jump]:.4g} -> {gmm[jump + 1]:.4g} {unit})")
            series.append(("joint gap", tv, tu, gmm, unit))

        # Coupled joint run: the sound at a listener.
        if "acoustics/listener_distance" in f:
            dist = f["acoustics/listener_distance"][()]
            heard = sound(f, args.listener)
            if not 0 <= args.listener < len(dist):
                print(f"  no listener {args.listener}: the file has {len(dist)} (0..{len(dist) - 1})")
            elif heard is None:
                print(f"  acoustics: nothing recorded at listener {args.listener}")
            else:
                ts, ps, rate = heard
                peak = float(np.max(np.abs(ps))) if len(ps) else 0.0
                spl = 20 * math.log10(peak / 20e-6) if peak > 0 else float("-inf")
                print(f"  sound at listener {args.listener} ({dist[args.listener]:g} m, microphone, "
                      f"{rate:g} Hz): {len(ps)} samples, t in {span(ts)} s, peak |p| = {peak:g} Pa "
                      f"({spl:.1f} dB SPL)")
                series.append((f"sound at {dist[args.listener]:g} m (microphone)", ts, "s", ps, "Pa"))

        # Bubble-field run: the primary bubble.
        tb = column(f, "bubbles/primary", "t")
        rb = column(f, "bubbles/primary", "radius")
        if tb is not None and rb is not None:
            (tv, tu), (rv, ru) = tb, rb
            scale, unit = (1e6, "um") if ru == "m" else (1.0, ru)
            print(f"  primary bubble: {len(tv)} rows, t in {span(tv)} {tu}, "
                  f"radius in {span(rv[~np.isnan(rv)] * scale)} {unit}")
            series.append(("primary bubble radius", tv, tu, rv * scale, unit))
        if "bubbles/groups/active" in f:
            active = f["bubbles/groups/active"][()]
            if len(active):
                print(f"  groups: {active.shape[1]}, active bubbles at the end: {int(active[-1].sum())}")

        if not series:
            print("  no /joint, /acoustics or /bubbles/primary series in this file")

        if "events/t" in f:
            kinds = [k.decode() if isinstance(k, bytes) else str(k) for k in f["events/kind"][()]]
            for te, k, v in list(zip(f["events/t"][()], kinds, f["events/value"][()]))[:20]:
                print(f"  event {k} at t = {te:.6g} s: {v:g}")
            if len(kinds) > 20:
                print(f"  ... {len(kinds) - 20} more events")
        if "summary_json" in f.attrs:
            summary = json.loads(attr(f, "summary_json"))
            if "t_crack_s" in summary:
                print(f"  summary: crack {summary.get('crack')}, t_crack {summary.get('t_crack_s')} s, "
                      f"spl_db {summary.get('spl_db')}")

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
    # Separate x axes: the sound is in listener time and spans only the pop.
    fig, axes = plt.subplots(len(series), 1, figsize=(8, 3 * len(series)), squeeze=False)
    for ax, (title, x, xu, y, yu) in zip(axes[:, 0], series):
        ax.plot(x, y, linewidth=0.8)
        ax.set_title(title)
        ax.set_xlabel(f"t [{xu}]")
        ax.set_ylabel(f"[{yu}]")
    fig.tight_layout()
    if args.save:
        fig.savefig(args.save, dpi=120)
        print(f"  wrote {args.save}")
    else:
        plt.show()
    return 0


if __name__ == "__main__":
    sys.exit(main())
