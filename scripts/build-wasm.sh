#!/usr/bin/env bash
# WebAssembly build in build-wasm/: spiketail.mjs + .wasm (page) and spiketail-node.cjs + .wasm (Node tests).
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs   # emcc 3.1.6 needs acorn from Debian's node modules
emcmake cmake -S . -B build-wasm -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-wasm -j "$(nproc)"
