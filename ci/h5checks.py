"""Helpers shared by the independent HDF5 checks (check_hdf5.py, check_cli_hdf5.py):
failures are collected, not raised, so one run lists every mismatch."""

import os
import xml.etree.ElementTree as ET

import h5py
import numpy as np

FAILURES = []


def check(ok, what):
    if not ok:
        FAILURES.append(what)
        print("FAIL:", what)
    return ok


def s(v):
    """An HDF5 string (attribute or element) as str."""
    if isinstance(v, np.ndarray) and v.shape == ():
        v = v[()]
    return v.decode("utf-8") if isinstance(v, bytes) else str(v)


def check_xdmf(h5_path):
    """The sidecar parses, has one grid per /capsule snapshot at its time, and
    references only datasets of h5_path that exist with the stated dims."""
    xdmf = os.path.splitext(h5_path)[0] + ".xdmf"
    if not check(os.path.exists(xdmf), f"{xdmf} exists"):
        return
    try:
        root = ET.parse(xdmf).getroot()
    except ET.ParseError as e:
        check(False, f"{xdmf} parses: {e}")
        return
    check(root.tag == "Xdmf", f"{xdmf} root element Xdmf")
    base = os.path.dirname(xdmf)
    refs = 0
    with h5py.File(h5_path, "r") as f:
        for item in root.iter("DataItem"):
            if item.get("Format") != "HDF":
                continue
            refs += 1
            file_part, _, ds_path = (item.text or "").strip().partition(":")
            target = os.path.join(base, file_part)
            ok = check(os.path.exists(target) and os.path.samefile(target, h5_path),
                       f"{xdmf} references {file_part!r}, the run file")
            ok = ok and check(ds_path.lstrip("/") in f, f"{xdmf} references {ds_path}, which exists")
            if ok:
                dims = tuple(int(x) for x in item.get("Dimensions", "").split())
                check(dims == f[ds_path].shape,
                      f"{xdmf} {ds_path} Dimensions {dims} == {f[ds_path].shape}")
        check(refs > 0, f"{xdmf} references the run file")
        check(root.find("Domain/DataItem[@Name='nodes_ref']") is not None,
              f"{xdmf} has the shared nodes_ref item")
        t = f["capsule/t"][()]
        k = f["capsule/nodes_ref"].shape[0]
        topo = root.find("Domain/Topology")
        if check(topo is not None, f"{xdmf} has a Topology"):
            check(int(topo.get("NumberOfElements", -1)) == k - 1,
                  f"{xdmf} topology: {k - 1} segments for {k} nodes")
        coll = [g for g in root.iter("Grid") if g.get("CollectionType") == "Temporal"]
        if not check(len(coll) == 1, f"{xdmf} has one temporal collection"):
            return
        grids = coll[0].findall("Grid")
        check(len(grids) == len(t), f"{xdmf} {len(grids)} grids == {len(t)} snapshots")
        times, starts = [], []
        for g in grids:
            times.append(float(g.find("Time").get("Value")))
            slab = g.find("Attribute/DataItem/DataItem")  # the hyperslab's start/stride/count
            starts.append(int(slab.text.split()[0]))
        check(np.array_equal(np.array(times), t[:len(times)]), f"{xdmf} grid times == /capsule/t")
        check(starts == list(range(len(grids))), f"{xdmf} grid i reads snapshot i")
        names = [g.get("Name") for g in grids]
        check(names == [f"capsule_{i}" for i in range(len(grids))], f"{xdmf} grids named capsule_<i>")
        # nodes_ref once, then per grid the displacement for the geometry and as attribute.
        check(refs == 1 + 2 * len(grids), f"{xdmf} {refs} HDF references == 1 + 2 per grid")
