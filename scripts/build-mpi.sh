#!/usr/bin/env bash
# The MPI build of the CLI (docs/cluster.md): -DSPIKETAIL_MPI=ON in build-mpi/, only the spiketail target (the
# core and its tests are the default build's). Needs Debian's OpenMPI (libopenmpi-dev, openmpi-bin:
# scripts/setup.sh installs them). Run a sweep with `mpirun -n P build-mpi/spiketail sweep CONFIG --out FILE`.
set -euo pipefail
cd "$(dirname "$0")/.."
werror=OFF; [ -n "${CI:-}" ] && werror=ON
cmake -S . -B build-mpi -DCMAKE_BUILD_TYPE=Release -DSPIKETAIL_MPI=ON -DSPIKETAIL_BUILD_TESTS=OFF \
      -DSPIKETAIL_WERROR="$werror" >/dev/null
cmake --build build-mpi -j 2 --target spiketail
