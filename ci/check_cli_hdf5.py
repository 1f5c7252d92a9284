#!/usr/bin/env python3
"""Check the run files `cavitas run -o` writes, with h5py (the HDF5 C library).

Usage: python3 ci/check_cli_hdf5.py DIR

DIR is one of the directories ci/check_hdf5.sh writes; what it holds decides
which checks run (layout: crates/cavitas-hdf5/SCHEMA.md).

A bubble-field scenario (DIR/finished.h5 has /bubbles/primary; "Bubble-field
runs"): finished.h5 + finished.json (a run and its --json summary),
second.h5, merged.h5 (the two merged), killed-copy.h5.partial + .ckpt (a copy
of a run SIGKILLed after a checkpoint) and killed.h5 + resumed.json (that run
resumed).

The coupled joint scenario (DIR/finished.h5 has /joint; "/joint" to
"/events and /event_state"): finished.h5 + finished.json, second.h5 +
second.json (another peak force), merged.h5 (the two merged), reference.h5 +
reference.json (finished.h5's run checkpointed every 0.2 s),
killed-copy.h5.partial + .ckpt (a copy of that run SIGKILLed after a
checkpoint) and killed.h5 + resumed.json (that run resumed), each run with
its XDMF sidecar.

Checks shapes, units and values against the summaries. Exit status 0 when
everything matches, 1 otherwise.
"""

import hashlib
import json
import math
import os
import re
import sys

import h5py
import numpy as np

from h5checks import FAILURES, check, check_xdmf, s


# The tables as the Rust code declares them (`cargo run -p cavitas-output --example
# schema_json`, written by ci/check_hdf5.sh): column names, order and units come from the
# one declaration the writer uses, so this check cannot drift from it.
with open(os.environ["CAVITAS_SCHEMA_JSON"]) as schema_file:
    SCHEMA = {name: dict(pairs) for name, pairs in json.load(schema_file).items()}

GROUP_UNITS = {"t": "s", **SCHEMA["bubble_field_groups"]}
FINAL_UNITS = SCHEMA["bubble_field_final"]


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
        check(np.array_equal(f["bubbles/final/radius_max"][()], np.array(summary["radius_max_m"])),
              f"{path} radius_max == summary")
        check(np.array_equal(f["bubbles/final/radius_min"][()], np.array(summary["radius_min_m"])),
              f"{path} radius_min == summary")
        vanished = sum(grp["vanished"] for grp in summary["groups"])
        check(f["events/t"].shape == (vanished,), f"{path} one event per vanished bubble")


def check_bubble_dir(d):
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


# ---------------------------------------------------------------------------
# The coupled joint scenario (`cavitas run`, configs/mcp-traction.toml).

JOINT_UNITS = SCHEMA["joint"]
BUBBLE_FIELDS = SCHEMA["bubble_snapshots"]
BUBBLE_FINAL = {"position": "m", **SCHEMA["bubble_records"]}
ROOT_ATTRS = ["format", "schema_version", "complete", "config_text", "config_hash",
              "backend", "adapter", "precision", "start_time", "wall_time_s", "checkpoints",
              "summary_json"]
# Keys of the --json summary that are not part of the file's summary_json: the
# command and its config, and what only the CLI knows (the output it wrote, its
# wall time).
JSON_ONLY = {"command", "config", "config_origin", "config_text", "output", "wall_time_s",
             "backend_notice", "wav_full_scale_pa", "wav_path"}
WAVES = {"air": None, "tissue": None, "microphone": 44100.0}


def bits_equal(a, b):
    """Same shape and dtype, and the same bytes (NaN payloads included)."""
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    if a.dtype.kind == "O":
        return [s(x) for x in a.ravel()] == [s(x) for x in b.ravel()]
    return a.tobytes() == b.tobytes()


def datasets(f):
    """{path: h5py.Dataset} of every dataset in f."""
    out = {}
    f.visititems(lambda n, o: out.__setitem__(n, o) if isinstance(o, h5py.Dataset) else None)
    return out


def within(value, want, rel):
    return abs(value - want) <= rel * abs(want)


def event_value(e, summary):
    """What /events/value holds for one event of the summary (SCHEMA.md)."""
    if e["kind"] in ("gap_jump", "re_crack"):
        return e["gap_m"]
    if e["kind"] == "peak_sound":
        return summary["peak_pressure_air_pa"][0]
    return e["pressure_pa"]


def check_crack_run(path, summary, resumed=False):
    n = summary["statistics"]["accepted"] + 1
    nuclei = summary["nuclei_count"]
    with h5py.File(path, "r") as f:
        # Root attributes: all strings.
        for key in ROOT_ATTRS:
            if check(key in f.attrs, f"{path} has root attribute {key}"):
                check(isinstance(f.attrs[key], str), f"{path} root attribute {key} is a string")
        a = {k: s(v) for k, v in f.attrs.items()}
        check(a.get("format") == "cavitas-run", f"{path} format")
        check(a.get("schema_version") == "2", f"{path} schema_version")
        check(a.get("complete") == "true", f"{path} complete")
        text = a.get("config_text", "")
        check(text == summary["config_text"], f"{path} config_text == the summary's")
        check(a.get("config_hash") == "sha256:" + hashlib.sha256(text.encode()).hexdigest(),
              f"{path} config_hash == sha256 of config_text")
        b = summary["backend"]
        check((a.get("backend"), a.get("adapter"), a.get("precision"))
              == (b["kind"], b["adapter"], b["precision"]), f"{path} backend/adapter/precision")
        check(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", a.get("start_time", "")) is not None,
              f"{path} start_time {a.get('start_time')!r} is ISO 8601 UTC")
        wall = float(a.get("wall_time_s", "nan"))
        check(math.isfinite(wall) and wall > 0, f"{path} wall_time_s {wall} > 0")
        ckpts = int(a.get("checkpoints", "-1"))
        if resumed:  # the file counts every session's checkpoints, the JSON this one's
            check(ckpts > summary["output"]["checkpoints"], f"{path} checkpoints {ckpts} counts the killed session's too")
        else:
            check(ckpts == summary["output"]["checkpoints"], f"{path} checkpoints {ckpts} == the summary's")
        inner = json.loads(a.get("summary_json", "{}"))
        check(set(summary) - set(inner) <= JSON_ONLY and set(inner) <= set(summary),
              f"{path} summary_json keys: JSON-only {sorted(set(summary) - set(inner))}, "
              f"file-only {sorted(set(inner) - set(summary))}")
        check(all(inner[k] == summary[k] for k in inner if k in summary),
              f"{path} summary_json == the --json summary, key for key")

        for name, ds in datasets(f).items():
            check("units" in ds.attrs and "description" in ds.attrs,
                  f"{path} /{name} has units and description")
            if name != "events/kind":
                check(ds.dtype == np.float64, f"{path} /{name} float64")

        # /joint: one row per accepted step plus the initial state.
        g = f["joint"]
        check(s(g.attrs.get("kind")) == "time_series", f"{path} /joint kind")
        check(s(g.attrs.get("columns")) == ",".join(JOINT_UNITS), f"{path} /joint columns")
        for name, unit in JOINT_UNITS.items():
            ds = g[name]
            check(ds.shape == (n,), f"{path} joint/{name} shape {ds.shape} == ({n},)")
            check(s(ds.attrs["units"]) == unit, f"{path} joint/{name} units {s(ds.attrs['units'])!r} == {unit!r}")
        t = g["t"][()]
        check(t[0] == 0 and np.all(np.diff(t) > 0), f"{path} joint/t starts at 0 and increases")
        check(math.isclose(t[-1], summary["duration_s"], rel_tol=1e-12),
              f"{path} joint/t ends at duration_s {summary['duration_s']}")
        check(g["pressure"][()].min() == summary["min_pressure_pa"],
              f"{path} min joint/pressure {g['pressure'][()].min()} == min_pressure_pa {summary['min_pressure_pa']}")
        phase = g["phase"][()]
        check(set(np.unique(phase)) <= {0.0, 1.0, 2.0}, f"{path} joint/phase in 0, 1, 2")
        # The cavity apart from its vapour, and the gas budget (issue 12).
        cavity = g["cavity_volume"][()]
        vapour = g["vapour_volume"][()]
        check(np.all(vapour >= 0) and np.all(vapour <= cavity),
              f"{path} 0 <= joint/vapour_volume <= joint/cavity_volume")
        check(math.isclose(cavity.max() * 1e9, summary["cavity_volume_peak_mm3"], rel_tol=1e-12),
              f"{path} max joint/cavity_volume == cavity_volume_peak_mm3")
        i = int(np.argmax(cavity))
        check(math.isclose(vapour[i] * 1e9, summary["vapour_volume_peak_mm3"], rel_tol=1e-12),
              f"{path} joint/vapour_volume at the peak == vapour_volume_peak_mm3")
        species = [name[len("bubble_gas_"):] for name in JOINT_UNITS if name.startswith("bubble_gas_")]
        total = lambda row: sum(g[f"bubble_gas_{k}"][row] + g[f"dissolved_gas_{k}"][row]
                                - g[f"perfusion_gas_{k}"][row] for k in species)
        budget = summary["gas_budget"]
        check(abs(total(-1) - total(0)) <= 1e-10 * budget["initial_total_mol"],
              f"{path} bubbles + dissolved - perfusion closes to 1e-10 over the run")
        for key in ["released_gas_mm3_at_1atm", "released_gas_fraction_of_joint",
                    "residual_cavity_mm3", "residual_dissolution_time_s"]:
            check(key in summary, f"{path} summary has {key}")

        # /capsule
        c = f["capsule"]
        check(s(c.attrs.get("kind")) == "snapshots", f"{path} /capsule kind")
        k = c["nodes_ref"].shape[0]
        check(c["nodes_ref"].shape == (k, 2) and k >= 2, f"{path} capsule/nodes_ref [k, 2]")
        snaps = c["t"].shape[0]
        check(c["displacement"].shape == (snaps, k, 2) and snaps >= 2,
              f"{path} capsule/displacement shape {c['displacement'].shape} == ({snaps}, {k}, 2)")
        for name, unit in {"nodes_ref": "m", "t": "s", "displacement": "m"}.items():
            check(s(c[name].attrs["units"]) == unit, f"{path} capsule/{name} units")
        check(c["t"][0] == 0, f"{path} first capsule snapshot at t = 0")
        check(np.all(c["displacement"][0] == 0), f"{path} capsule displacement zero in the first snapshot")
        check(np.any(c["displacement"][-1] != 0), f"{path} the capsule moved by the last snapshot")
        check(np.all(np.isin(c["t"][()], t)), f"{path} capsule snapshots at /joint times")

        # /bubbles
        bg = f["bubbles"]
        check(s(bg.attrs.get("kind")) == "snapshots", f"{path} /bubbles kind")
        check(s(bg.attrs.get("item_shape")) == str(nuclei), f"{path} /bubbles item_shape")
        check(s(bg.attrs.get("fields")) == ",".join(BUBBLE_FIELDS), f"{path} /bubbles fields")
        check(bg["t"].shape == (snaps,) and s(bg["t"].attrs["units"]) == "s", f"{path} bubbles/t [s] s")
        check(np.array_equal(bg["t"][()], c["t"][()]), f"{path} bubbles/t == capsule/t")
        check(nuclei == 40, f"{path} summary nuclei_count {nuclei} == 40 (--set nuclei.count=40)")
        for name, unit in BUBBLE_FIELDS.items():
            ds = bg[name]
            check(ds.shape == (snaps, nuclei), f"{path} bubbles/{name} shape {ds.shape} == ({snaps}, {nuclei})")
            check(s(ds.attrs["units"]) == unit, f"{path} bubbles/{name} units")
        regime = bg["regime"][()]
        check(set(np.unique(regime)) <= {0.0, 1.0, 2.0, 3.0}, f"{path} bubbles/regime codes")
        check(np.array_equal(np.isnan(bg["radius"][()]), regime == 3),
              f"{path} bubbles/radius NaN exactly where regime = 3 (gone)")
        b_all = nuclei + summary["tribonucleated_count"]
        for name, unit in BUBBLE_FINAL.items():
            ds = bg["final/" + name]
            want = (b_all, 3) if name == "position" else (b_all,)
            check(ds.shape == want, f"{path} bubbles/final/{name} shape {ds.shape} == {want}")
            check(s(ds.attrs["units"]) == unit, f"{path} bubbles/final/{name} units")
        fin = {name: bg["final/" + name][()] for name in BUBBLE_FINAL}
        check(int(np.sum(~np.isnan(fin["activated_at"]))) == summary["activated_count"],
              f"{path} activated bubbles == activated_count {summary['activated_count']}")
        check(int(fin["tribonucleated"].sum()) == summary["tribonucleated_count"], f"{path} tribonucleated_count")
        check(np.all(fin["max_radius"] >= fin["initial_radius"]), f"{path} max_radius >= initial_radius")
        check(np.array_equal(fin["regime"][:nuclei], regime[-1]), f"{path} final regime == last snapshot")
        check(np.allclose(fin["initial_radius"][:nuclei], bg["radius"][0], rtol=1e-12, atol=0),
              f"{path} first snapshot radius == initial_radius (to the last bit or so)")

        # /acoustics
        dist = summary["listener_distances_m"]
        ld = f["acoustics/listener_distance"]
        check(ld.shape == (len(dist),) and np.array_equal(ld[()], dist) and s(ld.attrs["units"]) == "m",
              f"{path} acoustics/listener_distance == {dist} m")
        check(len(dist) == 2, f"{path} two listeners")
        for i in range(len(dist)):
            lg = f[f"acoustics/listener_{i}"]
            peak = {}
            for wave, rate in WAVES.items():
                st, sr, p = lg["start_time_" + wave], lg["sample_rate_" + wave], lg["pressure_" + wave]
                check(st.shape == (1,) and s(st.attrs["units"]) == "s", f"{path} listener_{i}/start_time_{wave} [1] s")
                check(sr.shape == (1,) and s(sr.attrs["units"]) == "Hz", f"{path} listener_{i}/sample_rate_{wave} [1] Hz")
                check(p.ndim == 1 and p.shape[0] > 0 and s(p.attrs["units"]) == "Pa",
                      f"{path} listener_{i}/pressure_{wave} [n] Pa, n > 0")
                if rate is not None:
                    check(sr[0] == rate, f"{path} listener_{i}/sample_rate_{wave} {sr[0]} == {rate}")
                # The record spans the pop: sample k at start + k / rate, inside the run
                # plus the travel time.
                end = st[0] + (p.shape[0] - 1) / sr[0]
                check(0 <= st[0] < end <= summary["duration_s"] + 1.0,
                      f"{path} listener_{i} {wave} time axis [{st[0]}, {end}] s")
                peak[wave] = float(np.max(np.abs(p[()])))
            check(within(peak["air"], summary["peak_pressure_air_pa"][i], 0.01),
                  f"{path} listener_{i} max|pressure_air| {peak['air']} within 1 % of {summary['peak_pressure_air_pa'][i]}")
            check(within(peak["tissue"], summary["peak_pressure_tissue_pa"][i], 0.01),
                  f"{path} listener_{i} max|pressure_tissue| {peak['tissue']} within 1 % of {summary['peak_pressure_tissue_pa'][i]}")
            spl = 20 * math.log10(peak["microphone"] / 20e-6)
            check(abs(spl - summary["spl_db"][i]) <= 0.05,
                  f"{path} listener_{i} SPL of pressure_microphone {spl:.3f} dB == spl_db {summary['spl_db'][i]:.3f}")
            fr, amp = lg["spectrum_frequency"], lg["spectrum_amplitude"]
            check(fr.ndim == 1 and fr.shape == amp.shape and fr.shape[0] > 1,
                  f"{path} listener_{i} spectrum [m], frequency and amplitude alike")
            check(s(fr.attrs["units"]) == "Hz" and s(amp.attrs["units"]) == "Pa", f"{path} listener_{i} spectrum units")
            fv = fr[()]
            check(fv[0] == 0 and np.all(np.diff(fv) > 0) and fv[-1] <= 22050 + 1e-9,
                  f"{path} listener_{i} spectrum_frequency 0 .. Nyquist, increasing")
            check(np.all(amp[()] >= 0), f"{path} listener_{i} spectrum_amplitude >= 0")

        # /events and /event_state
        ev = summary["events"]
        kinds = [s(x) for x in f["events/kind"][()]]
        check(kinds == [e["kind"] for e in ev], f"{path} event kinds {kinds} == the summary's")
        check(np.array_equal(f["events/t"][()], [e["time_s"] for e in ev]), f"{path} event times == the summary's")
        check(s(f["events/t"].attrs["units"]) == "s", f"{path} events/t units")
        check(np.array_equal(f["events/value"][()], [event_value(e, summary) for e in ev]),
              f"{path} event values == the summary's (pressure, gap at the jump, peak sound)")
        for name, key, unit in [("force", "force_n", "N"), ("gap", "gap_m", "m"), ("pressure", "pressure_pa", "Pa")]:
            ds = f["event_state/" + name]
            check(np.array_equal(ds[()], [e[key] for e in ev]), f"{path} event_state/{name} == events[*].{key}")
            check(s(ds.attrs["units"]) == unit, f"{path} event_state/{name} units")
        if summary["crack"]:
            check("gap_jump" in kinds, f"{path} a crack has a gap_jump event")
            jump = kinds.index("gap_jump") if "gap_jump" in kinds else 0
            check(f["events/t"][jump] == summary["t_crack_s"], f"{path} gap_jump at t_crack_s")
    check_xdmf(path)


def streamed_rows(partial, ckpt):
    """{dataset path: rows it had at the checkpoint} from a killed run's file and
    its sidecar: whole chunks on disk, then the buffered tail (pending_<i>)."""
    out = {}
    with h5py.File(partial, "r") as f, h5py.File(ckpt, "r") as c:
        check(s(c.attrs["format"]) == "cavitas-checkpoint", "checkpoint format")
        paths = [s(p) for p in c["streams/path"][()]]
        shapes = [s(x) for x in c["streams/item_shape"][()]]
        chunk = c["streams/chunk_rows"][()]
        on_disk = c["streams/rows_on_disk"][()]
        for i, (p, shape) in enumerate(zip(paths, shapes)):
            item = tuple(int(x) for x in shape.split(",")) if shape else ()
            disk = f[p][()]
            check(disk.shape[0] == on_disk[i], f"killed run: {p} has {disk.shape[0]} rows == rows_on_disk {on_disk[i]}")
            check(on_disk[i] % chunk[i] == 0, f"killed run: {p} holds whole chunks only")
            key = f"streams/pending_{i}"
            pending = c[key][()] if key in c else np.zeros(0)
            if p.startswith("events/"):
                continue  # a coupled run writes its events when it finishes
            out[p] = (disk, np.concatenate([disk, pending.reshape((-1,) + item)]))
    return out


def check_crack_dir(d):
    def path(name):
        return os.path.join(d, name)

    def summary(name):
        return json.load(open(path(name)))

    finished, second, reference, resumed = (summary(n) for n in
                                            ["finished.json", "second.json", "reference.json", "resumed.json"])
    check_crack_run(path("finished.h5"), finished)
    check_crack_run(path("second.h5"), second)
    check_crack_run(path("reference.h5"), reference)
    check_crack_run(path("killed.h5"), resumed, resumed=True)
    check(finished["crack"] and second["crack"], "both quick runs crack")
    check(second["force_at_crack_n"] != finished["force_at_crack_n"], "the second run (45 N) differs")

    # [output] does not change the physics: checkpointing every 0.2 s gives the
    # datasets of the run without; the resumed run those of the uninterrupted one.
    with h5py.File(path("finished.h5"), "r") as a, h5py.File(path("reference.h5"), "r") as r, \
            h5py.File(path("killed.h5"), "r") as k:
        da, dr, dk = datasets(a), datasets(r), datasets(k)
        check(set(da) == set(dr) == set(dk), "finished, reference and resumed hold the same datasets")
        for name in sorted(set(da) & set(dr) & set(dk)):
            check(bits_equal(dr[name][()], da[name][()]),
                  f"/{name}: checkpointed reference == run without checkpoints, bit for bit")
            check(bits_equal(dk[name][()], dr[name][()]),
                  f"/{name}: resumed == uninterrupted reference, bit for bit")
        check(s(k.attrs["summary_json"]) == s(r.attrs["summary_json"]), "resumed summary_json == reference's")
        check(s(r.attrs["summary_json"]) == s(a.attrs["summary_json"]), "reference summary_json == finished's")
        check(s(k.attrs["config_hash"]) == s(r.attrs["config_hash"]), "resumed config_hash == reference's")
        check(int(s(r.attrs["checkpoints"])) >= 1, "the reference run checkpointed")
    for key in set(reference) - JSON_ONLY:
        check(resumed.get(key) == reference[key], f"resumed.json {key} == reference.json's")
    check(not os.path.exists(path("killed.h5.partial")) and not os.path.exists(path("killed.h5.ckpt")),
          "the resumed run removed its .partial and .ckpt")
    with open(path("reference.xdmf")) as x, open(path("killed.xdmf")) as y:
        check(x.read().replace("reference.h5:", "killed.h5:") == y.read(),
              "resumed XDMF == reference's (but for the file name)")

    # The killed copy: readable, unfinished, and a prefix of the uninterrupted run.
    n_ref = reference["statistics"]["accepted"] + 1
    with h5py.File(path("killed-copy.h5.partial"), "r") as f:
        check(s(f.attrs["format"]) == "cavitas-run", "killed run: format")
        check(s(f.attrs["complete"]) == "false", "killed run: complete = false")
        check(s(f.attrs["config_hash"]) == reference_hash(path("reference.h5")), "killed run: config of the reference")
        check("summary_json" not in f.attrs, "killed run: no summary_json yet")
        check(f["events/t"].shape == (0,), "killed run: /events empty until the run finishes")
        check(f["capsule/nodes_ref"].shape[0] > 0, "killed run: fixed capsule nodes_ref written")
        joint_disk = f["joint/t"].shape[0]
        check(joint_disk <= n_ref, "killed run: no more /joint rows than the run")
    with h5py.File(path("killed-copy.h5.ckpt"), "r") as c:
        step = int(c["checkpoint/step"][0])
        t_ckpt = float(c["checkpoint/t"][0])
        check(1 <= step < n_ref - 1, f"checkpoint step {step} inside the run ({n_ref - 1} steps)")
        check(int(c["checkpoint/sequence"][0]) >= 1, "checkpoint sequence >= 1")
        check("checkpoint/state_u64/crack_state" in c, "checkpoint holds the crack state")
    rows = streamed_rows(path("killed-copy.h5.partial"), path("killed-copy.h5.ckpt"))
    with h5py.File(path("reference.h5"), "r") as r, h5py.File(path("finished.h5"), "r") as a:
        for p, (disk, full) in rows.items():
            ref = r[p][()]
            check(bits_equal(disk, ref[:disk.shape[0]]),
                  f"killed run: its {disk.shape[0]} rows of /{p} on disk == the reference's first rows")
            check(bits_equal(full, ref[:full.shape[0]]),
                  f"killed run: /{p} to the checkpoint ({full.shape[0]} rows, disk + sidecar) == the reference's first rows")
            if p.startswith("joint/"):
                check(full.shape[0] == step + 1, f"killed run: /{p} has step + 1 = {step + 1} rows at the checkpoint")
                check(bits_equal(full, a[p][:full.shape[0]]),
                      f"killed run: /{p} == the run without checkpoints, first {full.shape[0]} rows")
        check(rows["joint/t"][1][-1] == t_ckpt == r["joint/t"][step], "checkpoint t == /joint/t at its step")
    print(f"killed run: checkpoint at step {step} (t = {t_ckpt} s), "
          f"{joint_disk} /joint rows on disk + {step + 1 - joint_disk} in the sidecar")

    # The merged pair.
    n = [finished["statistics"]["accepted"] + 1, second["statistics"]["accepted"] + 1]
    with h5py.File(path("merged.h5"), "r") as m, \
            h5py.File(path("finished.h5"), "r") as a, h5py.File(path("second.h5"), "r") as b:
        check(s(m.attrs["format"]) == "cavitas-sweep", "merged format cavitas-sweep")
        check(s(m.attrs["complete"]) == "true" and s(m.attrs["n_shards"]) == "2", "merged complete, 2 shards")
        check([s(x) for x in m["shards/config_hash"][()]] == [s(a.attrs["config_hash"]), s(b.attrs["config_hash"])],
              "merged shards/config_hash == the shards'")
        check(s(m["joint"].attrs.get("kind")) == "time_series"
              and s(m["joint"].attrs.get("columns")) == ",".join(JOINT_UNITS), "merged /joint keeps kind and columns")
        check(s(m["capsule"].attrs.get("kind")) == "snapshots", "merged /capsule keeps its kind")
        check(s(m["bubbles"].attrs.get("kind", "")) == "snapshots"
              and s(m["bubbles"].attrs.get("fields", "")) == s(a["bubbles"].attrs["fields"]),
              "merged /bubbles keeps kind and fields (its subgroup final sorts first)")
        top = max(n)
        for name, unit in JOINT_UNITS.items():
            ds = m["joint/" + name]
            check(ds.shape == (2, top), f"merged joint/{name} shape {ds.shape} == (2, {top})")
            check(ds.is_virtual and s(ds.attrs["units"]) == unit, f"merged joint/{name} virtual, units {unit}")
            check(list(ds.attrs["rows_per_shard"]) == n, f"merged joint/{name} rows_per_shard == {n}")
            v = ds[()]
            for shard, src in enumerate([a, b]):
                check(bits_equal(v[shard, :n[shard]], src["joint/" + name][()]),
                      f"merged joint/{name} shard {shard} == its file")
                check(np.all(np.isnan(v[shard, n[shard]:])), f"merged joint/{name} shard {shard} NaN after its rows")
        check(n[0] != n[1], f"the shards have different row counts {n} (so there is padding)")
        snaps = [a["capsule/t"].shape[0], b["capsule/t"].shape[0]]
        k = a["capsule/nodes_ref"].shape[0]
        check(m["capsule/displacement"].shape == (2, max(snaps), k, 2), "merged capsule/displacement shape")
        check(m["bubbles/radius"].shape == (2, max(snaps), finished["nuclei_count"]), "merged bubbles/radius shape")
        check(bits_equal(m["bubbles/radius"][1, :snaps[1]], b["bubbles/radius"][()]), "merged bubbles/radius shard 1")
        kinds = [s(x) for x in m["events/kind"][()]]
        check(kinds == [e["kind"] for e in finished["events"]] + [e["kind"] for e in second["events"]],
              "merged events: the shards' in order")
        check(list(m["events/shard"][()]) == [0] * len(finished["events"]) + [1] * len(second["events"]),
              "merged events/shard")


def reference_hash(h5_path):
    with h5py.File(h5_path, "r") as f:
        return s(f.attrs["config_hash"])


def main():
    d = sys.argv[1]
    with h5py.File(os.path.join(d, "finished.h5"), "r") as f:
        coupled = "joint" in f
    if coupled:
        check_crack_dir(d)
    else:
        check_bubble_dir(d)
    if FAILURES:
        print(f"{len(FAILURES)} check(s) failed")
        sys.exit(1)
    print(f"check_cli_hdf5 ({'coupled' if coupled else 'bubble-field'} runs in {d}): all checks passed")


if __name__ == "__main__":
    main()
