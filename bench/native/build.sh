#!/usr/bin/env bash
# Builds build-bench/native-bench against the CLI's core library (build/libcore.a by default).
set -euo pipefail
cd "$(dirname "$0")/../.."
native_dir="${1:-build}"
mkdir -p build-bench
g++ -O3 -march=native -fopenmp -DEIGEN_NO_DEBUG -std=c++17 -Icore -isystem /usr/include/eigen3 \
  bench/native/native_bench.cpp "$native_dir/libcore.a" $(scripts/core-libs.sh "$native_dir/libcore.a") \
  -o build-bench/native-bench
echo build-bench/native-bench
