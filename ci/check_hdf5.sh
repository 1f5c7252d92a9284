#!/usr/bin/env bash
# Independent check of every kind of file cavitas-hdf5 writes (a run with its
# XDMF sidecar, a checkpointed-then-killed run, a merged sweep of two shards)
# with the reference HDF5 C library: h5py and h5dump.
#
# Needs: python3 with h5py, numpy, xarray, h5netcdf, pandas, meshio,
# matplotlib (installed below with pip), and h5dump (Debian/Ubuntu: apt-get
# install -y hdf5-tools). ParaView's Xdmf3 readers are checked with pvbatch
# when it is there or can be installed (Debian: paraview python3-paraview,
# about 3 minutes; skipped with a note otherwise). As root, ci/disk_full.sh
# runs too (a full tmpfs).
# Usage: ci/check_hdf5.sh [DIR]   (default: target/hdf5-sample)
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-target/hdf5-sample}"

python3 -m pip install --quiet h5py numpy xarray h5netcdf pandas meshio matplotlib
if ! command -v h5dump > /dev/null && [ "$(id -u)" -eq 0 ]; then
    apt-get install -y -qq hdf5-tools > /dev/null
fi
if ! command -v pvbatch > /dev/null && [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        paraview python3-paraview > /dev/null || echo "note: ParaView did not install; its check is skipped"
fi
# ParaView's Xdmf3 readers on sidecars (their expected values written with h5py first).
paraview_check() {
    if command -v pvbatch > /dev/null; then
        for x in "$@"; do python3 ci/xdmf_expect.py "${x%.xdmf}.h5"; done
        PYTHONPATH=/usr/lib/python3/dist-packages pvbatch ci/check_xdmf_paraview.py "$@"
    else
        echo "note: pvbatch not found; ParaView's Xdmf3 readers not checked"
    fi
}

# Every run file, unfinished file and checkpoint sidecar in a directory opens in h5dump.
h5dump_all() {
    for f in "$1"/*.h5 "$1"/*.h5.partial "$1"/*.h5.ckpt; do
        [ -e "$f" ] || continue
        h5dump -H "$f" > /dev/null
        echo "h5dump -H $f: ok"
    done
}

cargo run --quiet -p cavitas-hdf5 --example write_sample -- "$dir"
# The run-file tables as the Rust code declares them, for check_cli_hdf5.py.
mkdir -p "$dir"
cargo run --quiet -p cavitas-output --example schema_json > "$dir/schema.json"
export CAVITAS_SCHEMA_JSON="$dir/schema.json"
python3 ci/check_hdf5.py "$dir"
h5dump_all "$dir"
paraview_check "$dir/run.xdmf"
if [ "$(id -u)" -eq 0 ]; then bash ci/disk_full.sh; fi

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

# Run the program and SIGKILL it while it is held at the n-th time it reaches a
# named fault point (the test hook CAVITAS_TEST_FAULT=<point>:pause@<n> prints
# "CAVITAS_TEST_FAULT paused at <point>" on stderr and blocks reading stdin): a
# handshake, so the kill lands at the same place on any machine, never a delay.
# Usage: kill_at POINT N PROGRAM ARGS...
kill_at() {
    local point="$1" nth="$2"
    shift 2
    local line found=""
    coproc PAUSED { CAVITAS_TEST_FAULT="$point:pause@$nth" exec "$@" 2>&1 > /dev/null; }
    local pid="$PAUSED_PID" out="${PAUSED[0]}"
    while IFS= read -r line <&"$out"; do
        if [[ "$line" == *"CAVITAS_TEST_FAULT paused at $point"* ]]; then
            found=yes
            break
        fi
    done
    kill -9 "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
    [ -n "$found" ] || { echo "the run ended before reaching $point (time $nth)"; exit 1; }
}

# Build first, then kill a run held after its third checkpoint (one after every
# interval) is committed.
cargo build --quiet -p cavitas-cli
target_dir="$(cargo metadata --format-version 1 --no-deps \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
kill_at checkpoint:committed 3 "$target_dir/debug/cavitas" run "${short[@]}" \
    --set checkpoint_interval_s=0 -o "$cli/killed.h5"
[ -e "$cli/killed.h5.partial" ] || { echo "the run to kill finished first"; exit 1; }
cp "$cli/killed.h5.partial" "$cli/killed-copy.h5.partial"
cp "$cli/killed.h5.ckpt" "$cli/killed-copy.h5.ckpt"
cavitas run --resume "$cli/killed.h5" --json > "$cli/resumed.json"

python3 ci/check_cli_hdf5.py "$cli"
h5dump_all "$cli"

# The coupled joint scenario (`cavitas run` with no scenario: the built-in
# configs/mcp-traction.toml), shortened to a few seconds in a debug build but
# still cracking: a finished run, a second one pulled harder, their merge, and
# a run checkpointed every 0.2 s of wall time that is SIGKILLed held inside its
# first checkpoint, just committed (checked unfinished, then resumed and compared bit for bit with
# an uninterrupted run checkpointed alike).
crack="$dir/cli-crack"
rm -rf "$crack"
mkdir -p "$crack"
quick=(--backend cpu --json --set loading.ramp_s=8.0 --set nuclei.count=40
    --set coupling.duration_s=6.9)
every=(--set output.checkpoint_interval_s=0.2)
# One build for every run of this part, so the bit-for-bit comparisons compare
# runs of the same binary.
cargo build --quiet -p cavitas-cli
bin="$target_dir/debug/cavitas"
"$bin" run "${quick[@]}" -o "$crack/finished.h5" > "$crack/finished.json"
"$bin" run "${quick[@]}" --set loading.peak_force_n=45.0 \
    -o "$crack/second.h5" > "$crack/second.json"
"$bin" merge "$crack/merged.h5" "$crack/finished.h5" "$crack/second.h5"
"$bin" run "${quick[@]}" "${every[@]}" -o "$crack/reference.h5" > "$crack/reference.json"

kill_at checkpoint:committed 1 "$bin" run "${quick[@]}" "${every[@]}" -o "$crack/killed.h5"
[ -e "$crack/killed.h5.ckpt" ] || { echo "the coupled run wrote no checkpoint"; exit 1; }
[ -e "$crack/killed.h5.partial" ] || { echo "the coupled run to kill finished first"; exit 1; }
cp "$crack/killed.h5.partial" "$crack/killed-copy.h5.partial"
cp "$crack/killed.h5.ckpt" "$crack/killed-copy.h5.ckpt"
"$bin" run --resume "$crack/killed.h5" --json > "$crack/resumed.json"

python3 ci/check_cli_hdf5.py "$crack"
h5dump_all "$crack"
paraview_check "$crack/finished.xdmf"

# The reading example runs on both kinds of run file (no plot in CI).
python3 examples/read_output.py --no-plot "$crack/finished.h5"
python3 examples/read_output.py --no-plot "$cli/finished.h5"

# A damaged coupled checkpoint (another encoding version; a state cut short,
# written behind the writer's back) is refused with exit 2 naming the damaged
# dataset (its sha256 no longer matches), and the unfinished file is left as it was.
for damage in "version:1:99:crack_state_header" "length:0:999999999:crack_state_header"; do
    IFS=: read -r name index value expected <<< "$damage"
    bad="$crack/bad-$name.h5"
    cp "$crack/killed-copy.h5.partial" "$bad.partial"
    cp "$crack/killed-copy.h5.ckpt" "$bad.ckpt"
    python3 - "$bad.ckpt" "$index" "$value" <<'PY'
import sys, h5py
with h5py.File(sys.argv[1], "r+") as f:
    f["checkpoint/state_u64/crack_state_header"][int(sys.argv[2])] = int(sys.argv[3])
PY
    set +e
    "$bin" run --resume "$bad" > /dev/null 2> "$bad.err"
    code=$?
    set -e
    [ "$code" -eq 2 ] && grep -q "$expected" "$bad.err" \
        || { echo "damaged checkpoint ($name): exit $code"; cat "$bad.err"; exit 1; }
    cmp -s "$bad.partial" "$crack/killed-copy.h5.partial" \
        || { echo "damaged checkpoint ($name): the unfinished file changed"; exit 1; }
    echo "damaged coupled checkpoint ($name): exit 2, $(head -c 200 "$bad.err" | tr '\n' ' ')"
done

# `cavitas bubble --resume` on a coupled run points to `cavitas run --resume` (exit 2).
wrong="$crack/wrong-command.h5"
cp "$crack/killed-copy.h5.partial" "$wrong.partial"
cp "$crack/killed-copy.h5.ckpt" "$wrong.ckpt"
set +e
"$bin" bubble --resume "$wrong" > /dev/null 2> "$wrong.err"
code=$?
set -e
[ "$code" -eq 2 ] && grep -q "cavitas run --resume" "$wrong.err" \
    || { echo "bubble --resume on a coupled run: exit $code"; cat "$wrong.err"; exit 1; }
echo "bubble --resume on a coupled run: exit 2, $(head -c 160 "$wrong.err" | tr '\n' ' ')"
