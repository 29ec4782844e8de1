#!/usr/bin/env bash
# Native build: the core library, the spiketail CLI and the Catch2 tests, in build/.
set -euo pipefail
cd "$(dirname "$0")/.."
# CI (CI=true, as .ci/run is run) fails on any compiler warning; elsewhere warnings are shown, not fatal.
werror=OFF; [ -n "${CI:-}" ] && werror=ON
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DSPIKETAIL_WERROR="$werror" >/dev/null
cmake --build build -j "$(nproc)"
