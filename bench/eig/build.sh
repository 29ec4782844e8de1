#!/usr/bin/env bash
# Builds the ESD eigenvalue bench (bench/eig/eig_bench.cpp) natively and for Node:
#   build-bench/eig-bench      against the CLI's core library (build/libcore.a, -O3 -march=native, OpenMP)
#   build-bench/eig-bench.cjs  against the wasm build's core library (build-wasm/libcore.a, -O3 -msimd128)
# Usage: bench/eig/build.sh [native|wasm]   (both by default; each only when its library is built)
set -euo pipefail
cd "$(dirname "$0")/../.."
what="${1:-both}"
mkdir -p build-bench
if [ "$what" != wasm ] && [ -f build/libcore.a ]; then
  g++ -O3 -march=native -fopenmp -DEIGEN_NO_DEBUG -std=c++17 -Icore -isystem /usr/include/eigen3 \
    bench/eig/eig_bench.cpp build/libcore.a $(scripts/core-libs.sh build/libcore.a) -o build-bench/eig-bench
  echo build-bench/eig-bench
fi
if [ "$what" != native ] && [ -f build-wasm/libcore.a ]; then
  export NODE_PATH=/usr/share/nodejs   # emcc 3.1.6 needs acorn from Debian's node modules
  emcc -O3 -msimd128 -DEIGEN_NO_DEBUG -std=c++17 -Icore -isystem /usr/include/eigen3 \
    bench/eig/eig_bench.cpp build-wasm/libcore.a -o build-bench/eig-bench.cjs \
    -sMODULARIZE=1 -sEXPORT_NAME=createEigBench -sENVIRONMENT=node -sFILESYSTEM=0 \
    -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=4GB -sINITIAL_MEMORY=64MB \
    -sEXPORTED_FUNCTIONS=_eig_bench_setup,_eig_bench_run
  echo build-bench/eig-bench.cjs
fi
