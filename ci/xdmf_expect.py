#!/usr/bin/env python3
"""Write RUN.xdmf.expect for ci/check_xdmf_paraview.py from RUN.h5 (h5py).
Usage: python3 ci/xdmf_expect.py RUN.h5 [...]"""
import os
import sys

import h5py

for h5 in sys.argv[1:]:
    with h5py.File(h5, "r") as f:
        t = f["capsule/t"][()]
        k = f["capsule/nodes_ref"].shape[0]
        values = [t[0], t[-1], len(t), k] + list(f["capsule/displacement"][-1].ravel()) \
            + list(f["capsule/nodes_ref"][()].ravel())
    with open(os.path.splitext(h5)[0] + ".xdmf.expect", "w") as out:
        out.write("\n".join(repr(float(v)) for v in values) + "\n")
