#!/usr/bin/env python3
"""Read a cavitas run file with h5py: check its checksums, print a summary and
plot the joint gap and the sound.

Usage:
    python3 examples/read_output.py out.h5 [--listener I] [--save plot.png] [--no-plot]
    python3 examples/read_output.py out.h5 --verify-only

Needs h5py and numpy (`pip install h5py`); matplotlib is optional: without it
(or with --no-plot) the script prints a summary instead of plotting.

First, every dataset's `sha256` attribute is recomputed from its values and
the root attribute `attrs_sha256` from the attributes (layout:
crates/cavitas-hdf5/SCHEMA.md, "Checksums"); a damaged file is refused with
exit status 3 and the damaged datasets named. (`--verify-only` stops there.)

A coupled joint run (`cavitas run -o out.h5`, the default scenario) gives the
gap over time (/joint/t, /joint/gap, shown in mm) with the crack marked, a
panel zoomed on the crack, and the sound at listener I (default 0) as a
44.1 kHz microphone records it (/acoustics/listener_<I>/pressure_microphone,
sample k at start_time_microphone + k / sample_rate_microphone), zoomed on
the pop. A bubble-field run (`cavitas run configs/bubble/... -o out.h5`)
gives the radius of its primary bubble (/bubbles/primary, in um). Every group
is optional. Without a display (no DISPLAY, or matplotlib's backend is
non-interactive) the figure is saved as PNG (--save, default out.png).
"""

import argparse
import hashlib
import json
import math
import os
import sys

import h5py
import numpy as np

# Attributes the attrs_sha256 digest leaves out (SCHEMA.md, "Checksums").
NOT_DIGESTED = {"sha256", "attrs_sha256", "CLASS", "NAME", "DIMENSION_LIST",
                "REFERENCE_LIST", "_Netcdf4Dimid"}


def attr(obj, name, default=""):
    v = obj.attrs.get(name, default)
    return v.decode() if isinstance(v, bytes) else str(v)


def dataset_digest(ds):
    """SHA-256 of a dataset's values as stored (SCHEMA.md): C order, little-endian;
    strings as UTF-8 each followed by a NUL byte."""
    data = ds[()]
    if ds.dtype.kind in "OSU":
        items = [x.decode() if isinstance(x, bytes) else str(x) for x in np.asarray(data).ravel()]
        raw = b"".join(x.encode() + b"\0" for x in items)
    else:
        raw = np.ascontiguousarray(data, dtype=ds.dtype.newbyteorder("<")).tobytes()
    return hashlib.sha256(raw).hexdigest()


def attrs_digest(f):
    """SHA-256 of the attributes (SCHEMA.md, "Checksums")."""
    datasets = []
    f.visititems(lambda n, o: datasets.append(n) if isinstance(o, h5py.Dataset) else None)
    groups = sorted({"/".join(p.split("/")[:i]) for p in datasets for i in range(1, p.count("/") + 1)})
    entries = []
    for path, obj, strings_only in [("", f, True)] + [(g, f[g], True) for g in groups] \
            + [(d, f[d], False) for d in datasets]:
        for name, value in obj.attrs.items():
            if name in NOT_DIGESTED:
                continue
            if isinstance(value, str):
                raw = value.encode()
            elif isinstance(value, bytes):
                raw = value
            elif strings_only:
                continue
            else:
                raw = np.ascontiguousarray(value).tobytes()
            entries.append((path, name, raw))
    h = hashlib.sha256()
    for path, name, raw in sorted(entries):
        h.update(path.encode() + b"\0" + name.encode() + b"\0" + len(raw).to_bytes(8, "little") + raw)
    return h.hexdigest()


def verify(f):
    """(damaged [(object, why)], checked count, unchecked [paths]) of an open file."""
    damaged, unchecked, checked = [], [], 0
    required = attr(f, "checksums") == "sha256" and attr(f, "complete") == "true"
    datasets = []
    f.visititems(lambda n, o: datasets.append(n) if isinstance(o, h5py.Dataset) else None)
    for path in sorted(datasets):
        ds = f[path]
        want = ds.attrs.get("sha256")
        if want is None:
            if required:
                damaged.append(("/" + path, "no sha256 checksum"))
            else:
                unchecked.append("/" + path)
            continue
        try:
            got = dataset_digest(ds)
        except Exception as e:  # unreadable chunk, bad filter data, ...
            damaged.append(("/" + path, f"cannot be read: {e}"))
            continue
        if got != (want.decode() if isinstance(want, bytes) else str(want)):
            damaged.append(("/" + path, "values do not match their sha256 checksum"))
        else:
            checked += 1
    if "attrs_sha256" in f.attrs:
        if attrs_digest(f) != attr(f, "attrs_sha256"):
            damaged.append(("attributes", "do not match attrs_sha256"))
    elif required:
        damaged.append(("attributes", "no attrs_sha256"))
    return damaged, checked, unchecked


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
    """(t, p, rate) of the sound at a listener, or None when the file has none."""
    group = f"acoustics/listener_{listener}"
    names = [f"{group}/{n}_{wave}" for n in ("pressure", "start_time", "sample_rate")]
    if not all(n in f for n in names):
        return None
    p = f[names[0]][()]
    start = float(f[names[1]][0])
    rate = float(f[names[2]][0])
    return start + np.arange(len(p)) / rate, p, rate


def crack_time(f):
    """Time of the crack (s): the gap_jump event, else summary_json's t_crack_s."""
    if "events/kind" in f:
        kinds = [k.decode() if isinstance(k, bytes) else str(k) for k in f["events/kind"][()]]
        for k, t in zip(kinds, f["events/t"][()]):
            if k == "gap_jump":
                return float(t)
    if "summary_json" in f.attrs:
        t = json.loads(attr(f, "summary_json")).get("t_crack_s")
        if isinstance(t, (int, float)) and math.isfinite(t):
            return float(t)
    return None


def pop_window(t, y, frac=0.05, pad=0.2):
    """(t0, t1) around where |y| exceeds frac of its peak, padded by pad of the width."""
    if len(y) == 0 or not np.any(y):
        return None
    loud = np.nonzero(np.abs(y) >= frac * np.max(np.abs(y)))[0]
    t0, t1 = t[loud[0]], t[loud[-1]]
    w = max(t1 - t0, 1e-4)
    return t0 - pad * w, t1 + pad * w


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", help="run file (out.h5, or out.h5.partial of an unfinished run)")
    p.add_argument("--listener", type=int, default=0, help="listener whose sound to show (default 0)")
    p.add_argument("--save", help="write the figure to this file (PNG) instead of showing it")
    p.add_argument("--no-plot", action="store_true", help="print a summary only")
    p.add_argument("--verify-only", action="store_true", help="check the checksums and stop")
    args = p.parse_args()

    # Each panel: (title, x, x label, y, y label, marks [(t, text)], (x0, x1) or None)
    panels = []
    try:
        f = h5py.File(args.file, "r")
    except OSError as e:
        print(f"{args.file}: cannot be opened as HDF5 ({e}); the file is damaged or not a run file",
              file=sys.stderr)
        return 3
    with f:
        damaged, checked, unchecked = verify(f)
        if damaged:
            print(f"{args.file} is damaged; refusing to read it:", file=sys.stderr)
            for obj, why in damaged:
                print(f"  {obj}: {why}", file=sys.stderr)
            return 3
        print(f"{args.file}: checksums of {checked} datasets and the attributes match"
              + (f" ({len(unchecked)} datasets carry none)" if unchecked else ""))
        if args.verify_only:
            return 0
        fmt = attr(f, "format", "<none>")
        if fmt != "cavitas-run":
            print(f"{args.file}: not a cavitas run file (format={fmt!r})", file=sys.stderr)
            return 2
        print(f"  schema {attr(f, 'schema_version')}, cavitas {attr(f, 'cavitas_version')}, "
              f"git {attr(f, 'git_revision')}, backend {attr(f, 'backend')} ({attr(f, 'adapter')}), "
              f"precision {attr(f, 'precision')}, wall time {attr(f, 'wall_time_s')} s")
        if attr(f, "complete") != "true":
            print("  note: unfinished run - data up to its last checkpoint only "
                  "(rows after the last whole chunk are in the .ckpt sidecar)")
        t_crack = crack_time(f)

        # Coupled joint run: the gap over time, and zoomed on the crack.
        t = column(f, "joint", "t")
        gap = column(f, "joint", "gap")
        if t is not None and gap is not None:
            (tv, tu), (gv, gu) = t, gap
            scale, unit = (1e3, "mm") if gu == "m" else (1.0, gu)
            gmm = gv * scale
            print(f"  joint: {len(tv)} rows, t in {span(tv)} {tu}, gap in {span(gmm)} {unit}")
            marks = []
            if t_crack is not None:
                marks.append((t_crack, f"crack at {t_crack:.4g} s"))
                print(f"    crack at t = {t_crack:.6g} s")
            elif len(tv) > 1:
                jump = int(np.argmax(np.diff(gmm) / np.diff(tv)))
                marks.append((tv[jump], "fastest opening"))
            panels.append(("joint gap over the whole run", tv, f"time t [{tu}]", gmm,
                           f"gap h [{unit}]", marks, None))
            if marks:
                tc = marks[0][0]
                where = "the crack" if t_crack is not None else "the fastest opening"
                panels.append((f"joint gap around {where} (zoom, +-20 ms)", tv, f"time t [{tu}]", gmm,
                               f"gap h [{unit}]", marks, (tc - 0.02, tc + 0.02)))

        # Coupled joint run: the sound at a listener, zoomed on the pop.
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
                marks = [(t_crack, "crack")] if t_crack is not None else []
                panels.append((f"sound at {dist[args.listener]:g} m (microphone, {rate:g} Hz), zoomed on the pop",
                               ts, "listener time t [s]", ps, "acoustic pressure p [Pa]", marks,
                               pop_window(ts, ps)))

        # Bubble-field run: the primary bubble.
        tb = column(f, "bubbles/primary", "t")
        rb = column(f, "bubbles/primary", "radius")
        if tb is not None and rb is not None:
            (tv, tu), (rv, ru) = tb, rb
            scale, unit = (1e6, "um") if ru == "m" else (1.0, ru)
            print(f"  primary bubble: {len(tv)} rows, t in {span(tv)} {tu}, "
                  f"radius in {span(rv[~np.isnan(rv)] * scale)} {unit}")
            panels.append(("primary bubble radius", tv, f"time t [{tu}]", rv * scale,
                           f"bubble radius R [{unit}]", [], None))
        if "bubbles/groups/active" in f:
            active = f["bubbles/groups/active"][()]
            if len(active):
                print(f"  groups: {active.shape[1]}, active bubbles at the end: {int(active[-1].sum())}")

        if not panels:
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

    if args.no_plot or not panels:
        return 0
    try:
        import matplotlib
        headless = not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") \
            and sys.platform.startswith("linux")
        if args.save or headless:
            matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("  (matplotlib not installed: pip install matplotlib to plot)")
        return 0
    interactive = matplotlib.get_backend().lower() not in ("agg", "pdf", "svg", "ps", "cairo", "template")
    save = args.save or (None if interactive else os.path.splitext(args.file)[0] + ".png")
    fig, axes = plt.subplots(len(panels), 1, figsize=(9, 3 * len(panels)), squeeze=False)
    for ax, (title, x, xlabel, y, ylabel, marks, window) in zip(axes[:, 0], panels):
        if window is not None:
            keep = (x >= window[0]) & (x <= window[1])
            if np.count_nonzero(keep) > 1:
                x, y = x[keep], y[keep]
        ax.plot(x, y, linewidth=0.8)
        for tm, text in marks:
            if x[0] <= tm <= x[-1]:
                ax.axvline(tm, color="tab:red", linestyle="--", linewidth=0.8)
                ax.annotate(text, (tm, 1.0), xycoords=("data", "axes fraction"),
                            xytext=(3, -12), textcoords="offset points", color="tab:red", fontsize=8)
        ax.set_title(title)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
    fig.tight_layout()
    if save:
        fig.savefig(save, dpi=120)
        print(f"  wrote {save}")
    else:
        plt.show()
    return 0


if __name__ == "__main__":
    sys.exit(main())
