#!/usr/bin/env bash
# Independent check of every kind of file cavitas-hdf5 writes (a run with its
# XDMF sidecar, a checkpointed-then-killed run, a merged sweep of two shards)
# with the reference HDF5 C library: h5py and h5dump.
#
# Needs: python3 with h5py and numpy (pip install h5py), and h5dump
# (Debian/Ubuntu: apt-get install -y hdf5-tools).
# Usage: ci/check_hdf5.sh [DIR]   (default: target/hdf5-sample)
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-target/hdf5-sample}"

cargo run --quiet -p cavitas-hdf5 --example write_sample -- "$dir"
python3 ci/check_hdf5.py "$dir"
for f in "$dir"/*.h5 "$dir"/*.h5.partial "$dir"/*.h5.ckpt; do
    [ -e "$f" ] || continue
    h5dump -H "$f" > /dev/null
    echo "h5dump -H $f: ok"
done
