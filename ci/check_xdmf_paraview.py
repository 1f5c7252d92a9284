"""Open cavitas XDMF sidecars with ParaView's Xdmf3 readers (both variants).

Usage: pvbatch ci/check_xdmf_paraview.py RUN.xdmf [...]
(Debian: apt-get install paraview python3-paraview, and run pvbatch with
PYTHONPATH=/usr/lib/python3/dist-packages.)

For each sidecar and each of Xdmf3ReaderS and Xdmf3ReaderT: as many time steps
as the run file has capsule snapshots, at the same times; at the last step a
polyline of k points and k - 1 cells, a 2-component `displacement` point array
equal to /capsule/displacement[-1], and points at /capsule/nodes_ref. Reads the
run file with ParaView's own HDF5 through vtk, not h5py (pvbatch's Python may
not have it), so the expected values come from an `.expect` text written by
the caller: `t_first t_last n_steps k` then the last displacement, then the
reference nodes, one number per line.
"""
import sys

from paraview import servermanager as sm
from paraview.simple import Xdmf3ReaderS, Xdmf3ReaderT

failures = 0
for xdmf in sys.argv[1:]:
    expect = [float(v) for v in open(xdmf + ".expect").read().split()]
    t0, t1, n_steps, k = expect[0], expect[1], int(expect[2]), int(expect[3])
    disp = expect[4:4 + 2 * k]
    nodes = expect[4 + 2 * k:4 + 4 * k]
    for make in (Xdmf3ReaderS, Xdmf3ReaderT):
        reader = make(FileName=[xdmf])
        times = list(reader.TimestepValues)
        reader.UpdatePipeline(times[-1] if times else 0.0)
        data = sm.Fetch(reader)
        if data.IsA("vtkMultiBlockDataSet"):
            data = data.GetBlock(0)
        arr = data.GetPointData().GetArray("displacement")
        got_disp = [arr.GetComponent(i, c) for i in range(arr.GetNumberOfTuples()) for c in range(2)] if arr else []
        got_nodes = [data.GetPoint(i)[c] for i in range(data.GetNumberOfPoints()) for c in range(2)]
        ok = (len(times) == n_steps and times[0] == t0 and times[-1] == t1
              and data.GetNumberOfPoints() == k and data.GetNumberOfCells() == k - 1
              and arr is not None and arr.GetNumberOfComponents() == 2
              and got_disp == disp and got_nodes == nodes)
        name = make.__name__
        print(f"{'ok' if ok else 'FAIL'}: ParaView {name} {xdmf}: {len(times)} steps "
              f"[{times[0] if times else None}, {times[-1] if times else None}], "
              f"{data.GetNumberOfPoints()} points, {data.GetNumberOfCells()} cells, displacement "
              f"{'equal' if got_disp == disp else 'DIFFERENT'}, points {'equal' if got_nodes == nodes else 'DIFFERENT'}")
        failures += not ok
sys.exit(1 if failures else 0)
