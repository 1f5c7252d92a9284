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
    """The sidecar parses, is a temporal collection of one uniform grid per
    /capsule snapshot at its time, each with an explicit Polyline topology
    (inline), XY geometry read whole from the run file's /capsule/nodes_ref,
    and the snapshot's displacement inline, equal bit for bit to the file's;
    no Function and no Reference (which ParaView's Xdmf3 readers and meshio
    refuse); and meshio's TimeSeriesReader reads it back."""
    xdmf = os.path.splitext(h5_path)[0] + ".xdmf"
    if not check(os.path.exists(xdmf), f"{xdmf} exists"):
        return
    try:
        root = ET.parse(xdmf).getroot()
    except ET.ParseError as e:
        check(False, f"{xdmf} parses: {e}")
        return
    check(root.tag == "Xdmf" and root.get("Version", "").startswith("3"), f"{xdmf} root element Xdmf 3")
    text = open(xdmf).read()
    check("Function" not in text and "Reference" not in text, f"{xdmf} uses no Function and no Reference")
    base = os.path.dirname(xdmf)
    with h5py.File(h5_path, "r") as f:
        t = f["capsule/t"][()]
        nodes = f["capsule/nodes_ref"][()]
        disp = f["capsule/displacement"][()]
        k = nodes.shape[0]
        coll = [g for g in root.iter("Grid") if g.get("CollectionType") == "Temporal"]
        if not check(len(coll) == 1, f"{xdmf} has one temporal collection"):
            return
        grids = coll[0].findall("Grid")
        check(len(grids) == len(t), f"{xdmf} {len(grids)} grids == {len(t)} snapshots")
        names = [g.get("Name") for g in grids]
        check(names == [f"capsule_{i}" for i in range(len(grids))], f"{xdmf} grids named capsule_<i>")
        times, ok_topo, ok_geo, ok_disp = [], True, True, True
        segments = " ".join(f"{i} {i + 1}" for i in range(k - 1))
        for i, g in enumerate(grids):
            times.append(float(g.find("Time").get("Value")))
            topo = g.find("Topology")
            item = topo.find("DataItem") if topo is not None else None
            ok_topo &= (topo is not None and topo.get("TopologyType") == "Polyline"
                        and int(topo.get("NumberOfElements", -1)) == k - 1
                        and item is not None and item.get("Format") == "XML"
                        and (item.text or "").strip() == segments)
            geo = g.find("Geometry")
            gi = geo.find("DataItem") if geo is not None else None
            if gi is not None and gi.get("Format") == "HDF":
                file_part, _, ds_path = (gi.text or "").strip().partition(":")
                target = os.path.join(base, file_part)
                ok_geo &= (geo.get("GeometryType") == "XY" and os.path.exists(target)
                           and os.path.samefile(target, h5_path) and ds_path == "/capsule/nodes_ref"
                           and tuple(int(x) for x in gi.get("Dimensions").split()) == nodes.shape)
            else:
                ok_geo = False
            a = g.find("Attribute")
            ai = a.find("DataItem") if a is not None else None
            if i < len(disp) and ai is not None and ai.get("Format") == "XML":
                values = np.array([float(v) for v in ai.text.split()]).reshape(k, 2)
                ok_disp &= (a.get("Name") == "displacement" and a.get("Center") == "Node"
                            and values.tobytes() == disp[i].tobytes())
            else:
                ok_disp = False
        check(ok_topo, f"{xdmf} every grid has an explicit Polyline topology of {k - 1} segments")
        check(ok_geo, f"{xdmf} every grid's XY geometry is the run file's /capsule/nodes_ref")
        check(ok_disp, f"{xdmf} every grid's displacement == /capsule/displacement[i], bit for bit")
        check(np.array_equal(np.array(times), t[:len(times)]), f"{xdmf} grid times == /capsule/t")
        try:
            import meshio
        except ImportError:
            check(False, "meshio is installed (pip install meshio)")
            return
        with meshio.xdmf.TimeSeriesReader(xdmf) as r:
            points, cells = r.read_points_cells()
            check(np.array_equal(points, nodes), f"meshio: {xdmf} points == /capsule/nodes_ref")
            check(len(cells) == 1 and cells[0].type == "line" and len(cells[0].data) == k - 1,
                  f"meshio: {xdmf} has {k - 1} line cells")
            check(r.num_steps == len(t), f"meshio: {xdmf} {r.num_steps} steps == {len(t)} snapshots")
            last, data, _ = r.read_data(r.num_steps - 1)
            check(last == t[-1] and np.array_equal(data["displacement"], disp[-1]),
                  f"meshio: {xdmf} last step at t = {last} with the last displacement")


def verify_checksums(path):
    """Recompute every checksum of a file with h5py (examples/read_output.py's
    verify); returns (damaged, checked, unchecked)."""
    import importlib.util
    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location(
        "read_output", os.path.join(here, "..", "examples", "read_output.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    with h5py.File(path, "r") as f:
        return mod.verify(f)
