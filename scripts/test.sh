#!/usr/bin/env bash
# Every test: the include graph, the page's use of the wasm API (tsc), the core (Catch2, native), the core and the
# CLI's tests again under ASan+UBSan, the parsers under libFuzzer (docs/testing.md), the wasm module against the
# native CLI (Node), the MPI runner, and the page in headless Chromium (Playwright). Installs what is missing first.
# Exits non-zero on any failure; prints how long each step took.
set -euo pipefail
cd "$(dirname "$0")/.."

step() {
  local start=$SECONDS
  "$@"
  echo "test: '$*' took $((SECONDS - start)) s (total $SECONDS s)" >&2
}

step bash scripts/setup.sh
step python3 scripts/check-includes.py   # the include graph: layers from the leaves up, no cycle
step npm run --silent typecheck          # the page's calls into the engine against wasm/spiketail.d.mts
step bash scripts/build-native.sh        # build/: the CLI, spiketail-mpi (with OpenMPI), the Catch2 tests
step ctest --test-dir build --output-on-failure
step bash scripts/test-sanitizers.sh     # Catch2 and tests/cli/ under ASan+UBSan, build-asan/
step bash scripts/test-fuzz.sh           # each libFuzzer target for 30 s, two at a time, build-fuzz/
step bash scripts/build-wasm.sh
step node scripts/build-web.mjs
step node bench/run.mjs --quick
step node --test --test-concurrency=1 tests/cli/ tests/wasm/ tests/e2e/
