#!/usr/bin/env bash
# Installs what spiketail needs and is missing: Debian packages (toolchain, libraries, Chromium) and the
# npm packages of package-lock.json. Safe to run again; does nothing when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."

# clang with its runtimes (libFuzzer, ASan, UBSan: libclang-rt-14-dev) and OpenMP for clang (libomp-dev): the
# sanitizer and fuzz builds of scripts/test-sanitizers.sh and scripts/test-fuzz.sh.
# zlib1g-dev: the CLI inflates .npz members with zlib (cli/inflate.cpp). OpenMPI (libopenmpi-dev, openmpi-bin): the
# MPI sweep runner build/spiketail-mpi (scripts/build-native.sh) and its test (tests/cli/mpi.test.mjs). libopenblas-dev: the native products'
# column blocks run OpenBLAS's sgemm (core/block_blas.cpp; without it they fall back to Eigen).
packages=(cmake g++ make python3 emscripten binaryen libeigen3-dev catch2 nlohmann-json3-dev libyaml-cpp-dev libcli11-dev
          zlib1g-dev libopenblas-dev clang libclang-rt-14-dev libomp-dev chromium libopenmpi-dev openmpi-bin)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  echo "setup: npm ci" >&2
  npm ci --no-audit --no-fund >/dev/null
  touch node_modules
fi
