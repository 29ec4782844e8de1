#!/usr/bin/env bash
# Builds the GEMM harness for Node: build-bench/gemm-bench[-TAG].cjs (+ .wasm).
# Usage: bench/gemm/build.sh [TAG -DSPIKETAIL_GEMM_MR=12 ...]   (a tag and -D flags build a variant)
set -euo pipefail
cd "$(dirname "$0")/../.."
export NODE_PATH=/usr/share/nodejs   # emcc 3.1.6 needs acorn from Debian's node modules
tag="${1:-}"; [ $# -gt 0 ] && shift
out="build-bench/gemm-bench${tag:+-$tag}.cjs"
mkdir -p build-bench
emcc -O3 -msimd128 -DEIGEN_NO_DEBUG -std=c++17 "$@" \
  -Icore -isystem /usr/include/eigen3 \
  core/gemm_kernel.cpp core/parallel.cpp bench/gemm/gemm_bench.cpp -o "$out" \
  -sMODULARIZE=1 -sEXPORT_NAME=createGemmBench -sENVIRONMENT=node -sFILESYSTEM=0 \
  -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=4GB -sINITIAL_MEMORY=64MB \
  -sEXPORTED_FUNCTIONS=_gemm_bench_setup,_gemm_bench_run,_gemm_bench_check
echo "$out"
