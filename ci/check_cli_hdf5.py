#!/usr/bin/env python3
"""Check the run files `cavitas run -o` writes, with h5py (the HDF5 C library).

Usage: python3 ci/check_cli_hdf5.py DIR

DIR (written by ci/check_hdf5.sh) holds finished.h5 + finished.json (a run
and its --json summary), second.h5, merged.h5 (the two merged),
killed-copy.h5.partial + .ckpt (a copy of a run SIGKILLed after a checkpoint)
and killed.h5 + resumed.json (that run resumed). Checks shapes, units and
values against the summaries (layout: crates/cavitas-hdf5/SCHEMA.md,
"Bubble-field runs"). Exit status 0 when everything matches, 1 otherwise.
"""

import json
import os
import sys

import h5py
import numpy as np

FAILURES = []

GROUP_UNITS = {
    "t": "s",
    "gas_volume": "m^3",
    "gas_volume_rate": "m^3/s",
    "gas_volume_acceleration": "m^3/s^2",
    "bubble_gas_co2": "mol", "bubble_gas_n2": "mol", "bubble_gas_o2": "mol",
    "dissolved_gas_co2": "mol", "dissolved_gas_n2": "mol", "dissolved_gas_o2": "mol",
    "active": "1",
}
FINAL_UNITS = {"radius_max": "m", "radius_min": "m", "t_event": "s", "status": "1", "group": "1"}


def check(ok, what):
    if not ok:
        FAILURES.append(what)
        print("FAIL:", what)
    return ok


def s(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def check_run(path, summary):
    n = summary["intervals"] + 1
    g = summary["group_count"]
    b = summary["bubble_count"]
    with h5py.File(path, "r") as f:
        check(s(f.attrs["format"]) == "cavitas-run", f"{path} format")
        check(s(f.attrs["complete"]) == "true", f"{path} complete")
        for key in ["cavitas_version", "git_revision", "config_text", "config_hash",
                    "backend", "adapter", "precision", "start_time", "wall_time_s"]:
            check(key in f.attrs, f"{path} has root attribute {key}")
        check(s(f.attrs["backend"]) == "cpu", f"{path} backend cpu")
        for name, unit in {"t": "s", "radius": "m"}.items():
            ds = f["bubbles/primary/" + name]
            check(ds.shape == (n,), f"{path} primary/{name} shape {ds.shape} == ({n},)")
            check(s(ds.attrs["units"]) == unit, f"{path} primary/{name} units")
        r = f["bubbles/primary/radius"][()]
        check(r.max() <= summary["primary_radius_max_m"], f"{path} primary radius <= its max")
        for name, unit in GROUP_UNITS.items():
            ds = f["bubbles/groups/" + name]
            want = (n,) if name == "t" else (n, g)
            check(ds.shape == want, f"{path} groups/{name} shape {ds.shape} == {want}")
            check(s(ds.attrs["units"]) == unit, f"{path} groups/{name} units")
        for i, grp in enumerate(summary["groups"]):
            check(f["bubbles/groups/gas_volume"][-1, i] == grp["gas_volume_m3"],
                  f"{path} last gas volume of group {i} == summary")
            check(f["bubbles/groups/active"][-1, i] == grp["active"],
                  f"{path} active bubbles of group {i} == summary")
        for name, unit in FINAL_UNITS.items():
            ds = f["bubbles/final/" + name]
            check(ds.shape == (b,), f"{path} final/{name} shape")
            check(s(ds.attrs["units"]) == unit, f"{path} final/{name} units")
        check(np.array_equal(f["bubbles/final/radius_max"][()], np.array(summary["radius_max"])),
              f"{path} radius_max == summary")
        check(np.array_equal(f["bubbles/final/radius_min"][()], np.array(summary["radius_min"])),
              f"{path} radius_min == summary")
        vanished = sum(grp["vanished"] for grp in summary["groups"])
        check(f["events/t"].shape == (vanished,), f"{path} one event per vanished bubble")


def main():
    d = sys.argv[1]
    finished = json.load(open(os.path.join(d, "finished.json")))
    check_run(os.path.join(d, "finished.h5"), finished)
    check_run(os.path.join(d, "second.h5"), json.load(open(os.path.join(d, "second.json"))))
    resumed = json.load(open(os.path.join(d, "resumed.json")))
    check_run(os.path.join(d, "killed.h5"), resumed)
    with h5py.File(os.path.join(d, "finished.h5"), "r") as a, \
            h5py.File(os.path.join(d, "killed.h5"), "r") as k:
        for name in ["bubbles/primary/radius", "bubbles/groups/gas_volume",
                     "bubbles/final/radius_max", "bubbles/final/t_event"]:
            check(np.array_equal(a[name][()], k[name][()], equal_nan=True),
                  f"resumed {name} == uninterrupted")

    with h5py.File(os.path.join(d, "killed-copy.h5.partial"), "r") as f:
        check(s(f.attrs["complete"]) == "false", "killed run: complete = false")
        rows = f["bubbles/primary/radius"].shape[0]
        check(rows <= finished["intervals"] + 1, "killed run: no more rows than a run")
    with h5py.File(os.path.join(d, "killed-copy.h5.ckpt"), "r") as c:
        check(s(c.attrs["format"]) == "cavitas-checkpoint", "checkpoint format")
        step = int(c["checkpoint/step"][0])
        check(1 <= step < finished["intervals"], f"checkpoint step {step} inside the run")
        check(c["checkpoint/state_f64/slot_r"].shape == (finished["bubble_count"],),
              "checkpoint holds every bubble's radius")
        check(c["checkpoint/state_f64/trace_radius"].shape == (step + 1,),
              "checkpoint holds the primary trace up to its step")

    with h5py.File(os.path.join(d, "merged.h5"), "r") as m:
        check(s(m.attrs["format"]) == "cavitas-sweep", "merged format")
        ds = m["bubbles/primary/radius"]
        n = finished["intervals"] + 1
        check(ds.shape == (2, n), f"merged radius shape {ds.shape} == (2, {n})")
        check(ds.is_virtual, "merged radius is a virtual dataset")
        check(s(ds.attrs["units"]) == "m", "merged radius units")
        with h5py.File(os.path.join(d, "finished.h5"), "r") as a:
            check(np.array_equal(ds[0], a["bubbles/primary/radius"][()]),
                  "merged shard 0 == finished.h5")
        check(m["bubbles/groups/gas_volume"].shape == (2, n, finished["group_count"]),
              "merged group sums shape")

    if FAILURES:
        print(f"{len(FAILURES)} check(s) failed")
        sys.exit(1)
    print("check_cli_hdf5: all checks passed")


if __name__ == "__main__":
    main()
