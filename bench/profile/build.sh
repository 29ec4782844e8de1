#!/usr/bin/env bash
# Builds bench/profile/profile_core for the browser engine (wasm, run by node) and natively, against the
# core library of a build dir: build-bench/profile-wasm.cjs and build-bench/profile-native.
# Usage: bench/profile/build.sh WASM_BUILD_DIR NATIVE_BUILD_DIR   (either may be "-" to skip)
set -euo pipefail
cd "$(dirname "$0")/../.."
wasm_dir="${1:-build-wasm}"; native_dir="${2:-build}"
mkdir -p build-bench
if [ "$wasm_dir" != "-" ]; then
  export NODE_PATH=/usr/share/nodejs
  em++ -O3 -msimd128 -DEIGEN_NO_DEBUG -std=c++17 -Icore -isystem /usr/include/eigen3 \
    bench/profile/profile_core.cpp "$wasm_dir/libcore.a" \
    -o build-bench/profile-wasm.cjs -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=4GB -sENVIRONMENT=node -sSINGLE_FILE=1
  echo build-bench/profile-wasm.cjs
fi
if [ "$native_dir" != "-" ]; then
  g++ -O3 -march=native -fopenmp -DEIGEN_NO_DEBUG -std=c++17 -Icore -isystem /usr/include/eigen3 \
    bench/profile/profile_core.cpp "$native_dir/libcore.a" $(scripts/core-libs.sh "$native_dir/libcore.a") \
    -o build-bench/profile-native
  echo build-bench/profile-native
fi
