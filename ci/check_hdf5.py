#!/usr/bin/env python3
"""Independent check of every kind of file cavitas-hdf5 writes, with the
reference HDF5 C library (through h5py, and through the h5dump tool).

Usage: python3 ci/check_hdf5.py DIR [--no-h5dump]

DIR holds the files and the manifest.json written by
`cargo run -p cavitas-hdf5 --example write_sample -- DIR`. For every file the
manifest lists, this checks root attributes, every dataset's shape, dtype,
`units` attribute and values (first and last row exactly, sum, NaN count),
events, the XDMF sidecar's references, the checkpoint sidecar, and that merged
sweep datasets are virtual datasets over the shard files. With h5dump it
checks every dataset's shape and first value again through the C tools.
Exit status 0 when everything matches, 1 otherwise.
"""

import json
import os
import re
import shutil
import subprocess
import sys

import h5py
import numpy as np

from h5checks import FAILURES, check, check_xdmf, verify_checksums
from h5checks import s as as_str


def close(a, b, rtol=1e-12):
    return a == b or abs(a - b) <= rtol * max(abs(a), abs(b), 1e-300)


def check_dataset(f, name, path, exp):
    where = f"{name}:/{path}"
    if not check(path in f, f"{where} exists"):
        return
    ds = f[path]
    check(list(ds.shape) == exp["shape"], f"{where} shape {list(ds.shape)} == {exp['shape']}")
    check(str(ds.dtype) == exp["dtype"], f"{where} dtype {ds.dtype} == {exp['dtype']}")
    check(as_str(ds.attrs.get("units", "<none>")) == exp["units"],
          f"{where} units {as_str(ds.attrs.get('units', '<none>'))!r} == {exp['units']!r}")
    data = ds[()]
    if "first" in exp and ds.shape and ds.shape[0] > 0:
        first = np.asarray(data[0]).ravel()[:8].tolist()
        last = np.asarray(data[-1]).ravel()[:8].tolist()
        check(first == exp["first"], f"{where} first row {first} == {exp['first']}")
        check(last == exp["last"], f"{where} last row {last} == {exp['last']}")
    total = float(np.nansum(data)) if data.size else 0.0
    check(close(total, exp["sum"]), f"{where} sum {total!r} == {exp['sum']!r}")
    nan_count = int(np.isnan(data).sum())
    check(nan_count == exp["nan_count"], f"{where} NaN count {nan_count} == {exp['nan_count']}")
    if exp.get("virtual"):
        check(ds.is_virtual, f"{where} is a virtual dataset")
        if ds.is_virtual:
            sources = sorted({os.path.basename(s.file_name) for s in ds.virtual_sources()})
            check(sources == sorted(exp["sources"]), f"{where} sources {sources} == {exp['sources']}")
        rows = ds.attrs.get("rows_per_shard")
        check(rows is not None and list(map(int, rows)) == exp["rows_per_shard"],
              f"{where} rows_per_shard {rows} == {exp['rows_per_shard']}")


def check_events(f, name, exp):
    t = f["events/t"][()].tolist()
    value = f["events/value"][()].tolist()
    kind = [as_str(k) for k in f["events/kind"][()]]
    check(t == exp["t"], f"{name}:/events/t {t} == {exp['t']}")
    check(value == exp["value"], f"{name}:/events/value == manifest")
    check(kind == exp["kind"], f"{name}:/events/kind {kind} == {exp['kind']}")


def check_units_everywhere(f, name):
    def visit(path, obj):
        if isinstance(obj, h5py.Dataset):
            check("units" in obj.attrs, f"{name}:/{path} has a units attribute")
    f.visititems(visit)


def h5dump_checks(directory, name, datasets):
    """Shape and first value of every dataset through the h5dump tool."""
    path = os.path.join(directory, name)
    r = subprocess.run(["h5dump", "-H", path], capture_output=True, text=True)
    check(r.returncode == 0, f"h5dump -H {name} exits 0 ({r.stderr.strip()[:200]})")
    for ds_path, exp in datasets.items():
        r = subprocess.run(["h5dump", "-H", "-d", "/" + ds_path, path], capture_output=True, text=True)
        if not check(r.returncode == 0, f"h5dump -H -d /{ds_path} {name} exits 0 ({r.stderr.strip()[:200]})"):
            continue
        m = re.search(r"DATASPACE\s+SIMPLE\s*\{\s*\(([^)]*)\)", r.stdout)
        dims = [int(x) for x in m.group(1).split(",")] if m else None
        check(dims == exp["shape"], f"h5dump {name}:/{ds_path} dims {dims} == {exp['shape']}")
        if not exp["shape"] or exp["shape"][0] == 0 or "first" not in exp:
            continue
        rank = len(exp["shape"])
        start = ",".join(["0"] * rank)
        count = ",".join(["1"] * rank)
        r = subprocess.run(["h5dump", "-m", "%.17g", "-d", "/" + ds_path, "-s", start, "-c", count, path],
                           capture_output=True, text=True)
        m = re.search(r"\(0(?:,0)*\):\s*([-+0-9.eEinfa]+)", r.stdout)
        value = float(m.group(1)) if m else None
        check(value is not None and close(value, exp["first"][0], 1e-15),
              f"h5dump {name}:/{ds_path}[0...] {value} == {exp['first'][0]}")


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    use_h5dump = "--no-h5dump" not in sys.argv
    if len(args) != 1:
        print(__doc__)
        return 2
    directory = args[0]
    with open(os.path.join(directory, "manifest.json")) as fh:
        manifest = json.load(fh)
    if use_h5dump and shutil.which("h5dump") is None:
        print("FAIL: h5dump not found (install hdf5-tools, or pass --no-h5dump)")
        return 1
    print(f"h5py {h5py.version.version}, HDF5 C library {h5py.version.hdf5_version}")
    if use_h5dump:
        print(subprocess.run(["h5dump", "--version"], capture_output=True, text=True).stdout.strip())
    # Read from another directory so relative virtual-dataset sources must be
    # resolved against the sweep file's own directory.
    os.chdir("/")
    directory = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", directory)) \
        if not os.path.isabs(directory) else directory
    for entry in manifest["files"]:
        name = entry["file"]
        n_before = len(FAILURES)
        with h5py.File(os.path.join(directory, name), "r") as f:
            for k, v in entry["attrs"].items():
                got = as_str(f.attrs.get(k, "<missing>"))
                check(got == v, f"{name} attribute {k} {got!r} == {v!r}")
            for path, exp in entry["datasets"].items():
                check_dataset(f, name, path, exp)
            check_units_everywhere(f, name)
            if "events" in entry:
                check_events(f, name, entry["events"])
            if "xdmf" in entry:
                sidecar = os.path.splitext(name)[0] + ".xdmf"
                check(entry["xdmf"] == sidecar, f"{name} sidecar {entry['xdmf']} == {sidecar}")
                check_xdmf(os.path.join(directory, name))
            if "shards" in entry:
                got = [as_str(s) for s in f["shards/path"][()]]
                check(got == entry["shards"], f"{name} /shards/path {got} == {entry['shards']}")
        if "checkpoint_file" in entry:
            ck_name = entry["checkpoint_file"]
            with h5py.File(os.path.join(directory, ck_name), "r") as c:
                exp = entry["checkpoint"]
                check(as_str(c.attrs["format"]) == "cavitas-checkpoint", f"{ck_name} format")
                check(float(c["checkpoint/t"][0]) == exp["t"], f"{ck_name} /checkpoint/t == {exp['t']}")
                check(int(c["checkpoint/step"][0]) == exp["step"], f"{ck_name} /checkpoint/step")
                check(int(c["checkpoint/sequence"][0]) == exp["sequence"], f"{ck_name} /checkpoint/sequence")
            if use_h5dump:
                r = subprocess.run(["h5dump", "-H", os.path.join(directory, ck_name)], capture_output=True)
                check(r.returncode == 0, f"h5dump -H {ck_name} exits 0")
        if use_h5dump:
            h5dump_checks(directory, name, entry["datasets"])
        status = "ok" if len(FAILURES) == n_before else f"{len(FAILURES) - n_before} failures"
        print(f"{entry['kind']:>12} {name}: {len(entry['datasets'])} datasets checked: {status}")
    check_python_ecosystem(directory, manifest)
    if FAILURES:
        print(f"{len(FAILURES)} checks failed")
        return 1
    print("all checks passed")
    return 0


def check_python_ecosystem(directory, manifest):
    """Checksums recomputed with h5py; xarray (h5netcdf) sees the dimension
    scales; pandas in one line; category columns with their names; a damaged
    file refused by examples/read_output.py naming the dataset."""
    import subprocess
    import tempfile

    import pandas as pd
    import xarray as xr

    for entry in manifest["files"]:
        name = entry["file"]
        damaged, checked, unchecked = verify_checksums(os.path.join(directory, name))
        check(not damaged, f"{name}: h5py recomputes every checksum ({damaged})")
        if entry["kind"] in ("run", "sweep"):
            check(checked > 0 and not unchecked, f"{name}: {checked} datasets checked, none without a checksum")
    run = os.path.join(directory, "run.h5")
    joint = xr.open_dataset(run, group="joint", engine="h5netcdf")
    check("t" in joint.coords and joint["gap"].dims == ("t",),
          f"xarray: /joint has t as its coordinate ({dict(joint.sizes)}, coords {list(joint.coords)})")
    check(str(joint["gap"].attrs.get("units")) == "m", "xarray: /joint/gap units m")
    # The documented one-liner (SCHEMA.md, "Reading"):
    df = xr.open_dataset(run, group="joint", engine="h5netcdf").to_dataframe()
    check(isinstance(df, pd.DataFrame) and df.index.name == "t" and "gap" in df.columns
          and len(df) == joint.sizes["t"], f"pandas: /joint as a DataFrame indexed by t ({df.shape})")
    bubbles = xr.open_dataset(run, group="bubbles", engine="h5netcdf")
    check(bubbles["radius"].dims == ("t", "bubble"), f"xarray: /bubbles/radius dims {bubbles['radius'].dims}")
    capsule = xr.open_dataset(run, group="capsule", engine="h5netcdf")
    check(capsule["nodes_ref"].dims == ("node", "component")
          and capsule["displacement"].dims == ("t", "node", "component"),
          f"xarray: /capsule dims {capsule['displacement'].dims}, nodes_ref {capsule['nodes_ref'].dims}")
    cat = xr.open_dataset(os.path.join(directory, "categories.h5"), group="joint", engine="h5netcdf")
    phase = cat["phase"]
    check(phase.dtype == np.int32 and list(phase.attrs["flag_values"]) == [0, 1, 2]
          and phase.attrs["flag_meanings"] == "creep crack cavity",
          f"xarray: category /joint/phase int32 with flag_values/flag_meanings ({phase.dtype}, {dict(phase.attrs)})")
    # One line from codes to names with pandas (SCHEMA.md, "Category datasets"):
    names = pd.Series(phase.values).map(dict(zip(phase.attrs["flag_values"], phase.attrs["flag_meanings"].split())))
    check(list(names[:1]) == ["creep"] and names.iloc[-1] == "cavity", "pandas: phase codes mapped to names")
    regime = xr.open_dataset(os.path.join(directory, "categories.h5"), group="bubbles", engine="h5netcdf")
    check(regime["regime"].dims == ("t", "bubble"), f"xarray: named item axis {regime['regime'].dims}")
    # A damaged copy is refused, the dataset named, exit 3.
    with tempfile.TemporaryDirectory() as tmp:
        bad = os.path.join(tmp, "bad.h5")
        with h5py.File(run, "r") as f:
            offset = f["capsule/nodes_ref"].id.get_offset()
        data = bytearray(open(run, "rb").read())
        data[offset + 5] ^= 0x10
        open(bad, "wb").write(data)
        here = os.path.dirname(os.path.abspath(__file__))
        r = subprocess.run([sys.executable, os.path.join(here, "..", "examples", "read_output.py"),
                            "--no-plot", bad], capture_output=True, text=True)
        check(r.returncode == 3 and "/capsule/nodes_ref" in r.stderr,
              f"read_output.py refuses a damaged file naming /capsule/nodes_ref (exit {r.returncode}: {r.stderr.strip()[:200]})")
        r = subprocess.run([sys.executable, os.path.join(here, "..", "examples", "read_output.py"),
                            run, "--listener", "0"], capture_output=True, text=True,
                           env={k: v for k, v in os.environ.items() if k != "DISPLAY"}, cwd=tmp)
        png = os.path.join(directory, "run.png")
        check(r.returncode == 0 and os.path.exists(png), f"read_output.py saves {png} without a display")
    print("python ecosystem (h5py checksums, xarray, pandas, meshio): checked")


if __name__ == "__main__":
    sys.exit(main())
