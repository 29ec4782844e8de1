#!/usr/bin/env bash
# Native build: the core library, the spiketail CLI and the Catch2 tests, in build/; with OpenMPI installed
# (mpicxx; scripts/setup.sh installs it) also build/spiketail-mpi, the CLI with the MPI sweep runner (docs/cluster.md),
# linked from the same objects.
set -euo pipefail
cd "$(dirname "$0")/.."
# CI (CI=true, as .ci/run is run) fails on any compiler warning; elsewhere warnings are shown, not fatal.
werror=OFF; [ -n "${CI:-}" ] && werror=ON
mpi=OFF; command -v mpicxx >/dev/null && mpi=ON
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DSPIKETAIL_WERROR="$werror" -DSPIKETAIL_MPI="$mpi" >/dev/null
cmake --build build -j "$(nproc)"
