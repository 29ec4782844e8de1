#!/usr/bin/env bash
# Every test: the include graph, the page's use of the wasm API (tsc), the core (Catch2, native), the core and the
# CLI's tests again under ASan+UBSan, the MPI build, the parsers under libFuzzer (docs/testing.md), the wasm module against the
# native CLI (Node), and the page in headless Chromium (Playwright). Installs what is missing first. Exits non-zero
# on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
python3 scripts/check-includes.py   # the include graph: layers from the leaves up, no cycle
npm run --silent typecheck          # the page's calls into the engine against wasm/spiketail.d.mts
bash scripts/build-native.sh
bash scripts/build-mpi.sh           # the MPI runner, build-mpi/ (tests/cli/mpi.test.mjs)
ctest --test-dir build --output-on-failure
bash scripts/test-sanitizers.sh     # Catch2 and tests/cli/ under ASan+UBSan, build-asan/
bash scripts/test-fuzz.sh           # each libFuzzer target for 30 s, build-fuzz/
bash scripts/build-wasm.sh
node scripts/build-web.mjs
node bench/run.mjs --quick
node --test --test-concurrency=1 tests/cli/ tests/wasm/ tests/e2e/
