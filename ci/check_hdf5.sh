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

# Files written by the CLI (`cavitas run -o`): a finished run, a run SIGKILLed
# after a checkpoint (checked unfinished, then resumed), and a merged pair.
cli="$dir/cli"
rm -rf "$cli"
mkdir -p "$cli"
cavitas() { cargo run --quiet -p cavitas-cli -- "$@"; }
short=(configs/bubble/ensemble.toml --set duration_s=5.0e-5 --backend cpu --json)
cavitas run "${short[@]}" -o "$cli/finished.h5" > "$cli/finished.json"
cavitas run "${short[@]}" --set group.0.pressure.amplitude_pa=4.0e4 \
    -o "$cli/second.h5" > "$cli/second.json"
cavitas merge "$cli/merged.h5" "$cli/finished.h5" "$cli/second.h5"

# Build first so the background run starts at once, then kill it after its
# first checkpoint (one after every interval).
cargo build --quiet -p cavitas-cli
target_dir="$(cargo metadata --format-version 1 --no-deps \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
"$target_dir/debug/cavitas" run "${short[@]}" --set checkpoint_interval_s=0 \
    -o "$cli/killed.h5" > /dev/null 2>&1 &
pid=$!
for _ in $(seq 1 6000); do
    [ -e "$cli/killed.h5.ckpt" ] && break
    sleep 0.01
done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
[ -e "$cli/killed.h5.partial" ] || { echo "the run to kill finished first"; exit 1; }
cp "$cli/killed.h5.partial" "$cli/killed-copy.h5.partial"
cp "$cli/killed.h5.ckpt" "$cli/killed-copy.h5.ckpt"
cavitas run --resume "$cli/killed.h5" --json > "$cli/resumed.json"

python3 ci/check_cli_hdf5.py "$cli"
for f in "$cli"/*.h5 "$cli"/*.h5.partial "$cli"/*.h5.ckpt; do
    [ -e "$f" ] || continue
    h5dump -H "$f" > /dev/null
    echo "h5dump -H $f: ok"
done
