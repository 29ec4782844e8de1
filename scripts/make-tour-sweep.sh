#!/usr/bin/env bash
# Regenerates web/tour/lr-sweep.json, the stored learning-rate sweep the guided tour opens at once (its
# "Recompute live" runs the same sweep in the browser: the "reduced-lr" preset of web/sweep/spec.js).
# The reduced LR sweep: n=400, d=200, h=300, GD and Adam, 9 learning rates, 5 repeats, 10 steps (90 runs,
# about 20 s with --jobs 2 on a 2-core machine; the file is about 200 KB). Needs build/spiketail
# (scripts/build-native.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
config=$(mktemp)
trap 'rm -f "$config"' EXIT
cat > "$config" <<'JSON'
{"n": 400, "d": 200, "h": 300, "num_steps": 10, "probe_every": 10, "optimizer": ["gd", "adam"],
 "lr": [0.001, 0.01, 0.1, 1, 10, 100, 1000, 2000, 3000], "repeat": 5}
JSON
build/spiketail sweep "$config" --jobs 2 --quiet --out web/tour/lr-sweep.json
