#!/usr/bin/env bash
# Compares the physics two builds of cavitas print: every number of `--json` for the
# coupled scenarios, the bubble-field verification cases and the capsule, on the CPU
# backend. Provenance (config echo, origin, wall time, output paths) is left out; every
# other value of the first build must be bitwise equal in the second (keys the second
# adds are listed, not failed).
#
# Usage: ci/compare_builds.sh BEFORE_BINARY AFTER_BINARY [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
before="$1"
after="$2"
work="${3:-$(mktemp -d)}"
mkdir -p "$work/before" "$work/after"

cases=(
    "run-default|run --backend cpu --json"
    "run-facet|run configs/facet-hvla.toml --backend cpu --json"
    "run-refractory|run configs/mcp-refractory.toml --backend cpu --json"
    "capsule-mcp|capsule configs/capsule/mcp.toml --json"
    "capsule-facet|capsule configs/capsule/facet.toml --inject-ml 0.3 --json"
)
for f in configs/bubble/*.toml; do
    cases+=("bubble-$(basename "$f" .toml)|bubble $f --backend cpu --json")
done

for side in before after; do
    bin="$before"
    [ "$side" = after ] && bin="$after"
    for c in "${cases[@]}"; do
        name="${c%%|*}"
        args="${c#*|}"
        # shellcheck disable=SC2086
        "$bin" $args > "$work/$side/$name.json"
    done
done

python3 - "$work" "${cases[@]}" <<'PY'
import json, math, sys
work = sys.argv[1]
names = [c.split("|", 1)[0] for c in sys.argv[2:]]
# Provenance and timing: not physics.
IGNORED = {"config", "config_text", "config_origin", "wall_time_s", "wall_time_s",
           "output", "command"}

def flatten(value, path, out):
    if isinstance(value, dict):
        for k, v in value.items():
            if path == "" and k in IGNORED:
                continue
            if k in ("wall_time_s", "wall_time_s"):
                continue
            flatten(v, f"{path}.{k}" if path else k, out)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            flatten(v, f"{path}[{i}]", out)
    else:
        out[path] = value
    return out

def same(a, b):
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) == type(b) and a == b

failed = 0
for name in names:
    a = flatten(json.load(open(f"{work}/before/{name}.json")), "", {})
    b = flatten(json.load(open(f"{work}/after/{name}.json")), "", {})
    differ = [k for k in a if k not in b or not same(a[k], b[k])]
    added = [k for k in b if k not in a]
    status = "identical" if not differ else f"{len(differ)} DIFFER"
    print(f"{name:<24} {len(a):>4} values {status}; {len(added)} added")
    for k in differ[:20]:
        print(f"    {k}: {a[k]!r} -> {b.get(k, '<missing>')!r}")
    if added:
        print(f"    added: {', '.join(added[:12])}{' …' if len(added) > 12 else ''}")
    failed += bool(differ)
sys.exit(1 if failed else 0)
PY
