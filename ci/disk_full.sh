#!/usr/bin/env bash
# A full disk during a run (finding 5 of "Outputs a researcher can trust"):
# the writer must remove its temporary files, keep the last good checkpoint,
# and the run must resume, once space is freed, to the same data as a run on
# a roomy disk.
#
# Mounts a 10 MiB tmpfs (needs root: CI has it), fills part of it, and runs the
# write_sample example's `--disk-full` mode there (a toy run of 20000 steps,
# a checkpoint every 500, each checkpoint also copying the run file); it stops
# at the first ENOSPC, printing `ERROR ...` and exiting 3 as a dying run does.
# Checks: exit 3 with "No space left on device"; no *.tmp file; a .ckpt and its
# base copy remain and verify; after the filler is removed, `--resume` finishes
# the run and its datasets equal, bit for bit, those of the same run written
# uninterrupted (h5py), and its checksums verify (examples/read_output.py).
# Needs: python3 with h5py, numpy. Usage: sudo ci/disk_full.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "ci/disk_full.sh needs root (mount -t tmpfs)"; exit 1; }

cargo build --quiet -p cavitas-hdf5 --example write_sample
target_dir="$(cargo metadata --format-version 1 --no-deps \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
bin="$target_dir/debug/examples/write_sample"

work="$(mktemp -d)"
mnt="$work/small"
mkdir -p "$mnt"
mount -t tmpfs -o size=10m tmpfs "$mnt"
trap 'umount "$mnt" 2>/dev/null || true; rm -rf "$work"' EXIT

"$bin" --reference "$work/reference.h5" 20000 > /dev/null
# Leave 4 MiB: a few checkpoints fit, not the whole run (2.4 MB, and a checkpoint
# briefly needs the run file three times over: itself, the old and the new copy).
dd if=/dev/zero of="$mnt/filler" bs=1K count=6144 status=none
set +e
"$bin" --disk-full "$mnt/run.h5" 20000 > "$work/full.log" 2>&1
code=$?
set -e
cat "$work/full.log" | tail -n 3
[ "$code" -eq 3 ] || { echo "FAIL: expected exit 3 (a full disk), got $code"; exit 1; }
grep -q "No space left on device" "$work/full.log" \
    || { echo "FAIL: the error does not say the disk is full"; exit 1; }
ls -la "$mnt"
df -k "$mnt" | tail -n 1
if ls "$mnt" | grep -q '\.tmp$'; then echo "FAIL: temporary files left on the full disk"; exit 1; fi
[ -e "$mnt/run.h5.ckpt" ] || { echo "FAIL: the last good checkpoint is gone"; exit 1; }
bases=$(ls "$mnt" | grep -c '\.base$' || true)
[ "$bases" -eq 1 ] || { echo "FAIL: expected one checkpoint copy, found $bases"; exit 1; }
python3 examples/read_output.py --verify-only "$mnt/run.h5.ckpt"

# Free the space the filler took; resume and finish.
rm "$mnt/filler"
"$bin" --resume "$mnt/run.h5" 20000 | tail -n 2
python3 examples/read_output.py --verify-only "$mnt/run.h5"
python3 - "$work/reference.h5" "$mnt/run.h5" <<'PY'
import sys, h5py, numpy as np
a, b = (h5py.File(p, "r") for p in sys.argv[1:3])
names = []
a.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) else None)
def same(x, y):
    x, y = x[()], y[()]
    if x.dtype.kind == "O":
        return x.tolist() == y.tolist()
    return x.dtype == y.dtype and x.shape == y.shape and x.tobytes() == y.tobytes()
bad = [n for n in names if n not in b or not same(a[n], b[n])]
assert not bad, f"resumed run differs from the uninterrupted one in {bad}"
print(f"disk full: resumed run equals the uninterrupted run in all {len(names)} datasets")
PY
left=$(ls "$mnt" | grep -v '^run\.h5$' || true)
[ -z "$left" ] || { echo "FAIL: left behind: $left"; exit 1; }
echo "disk_full.sh: ok"
