#!/usr/bin/env bash
# WebAssembly build in build-wasm/: spiketail.mjs + .wasm (page) and spiketail-node.cjs + .wasm (Node tests).
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs   # emcc 3.1.6 needs acorn from Debian's node modules
# CI (CI=true, as .ci/run is run) fails on any compiler warning; elsewhere warnings are shown, not fatal.
werror=OFF; [ -n "${CI:-}" ] && werror=ON
emcmake cmake -S . -B build-wasm -DCMAKE_BUILD_TYPE=Release -DSPIKETAIL_WERROR="$werror" >/dev/null
cmake --build build-wasm -j "$(nproc)"
