#!/usr/bin/env bash
# Native build: the core library, the spiketail CLI and the Catch2 tests, in build/.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)"
