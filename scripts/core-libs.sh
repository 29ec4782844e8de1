#!/usr/bin/env bash
# Prints the libraries a program linked by hand against a native libcore.a needs besides OpenMP (the bench's and
# profile's programs): OpenBLAS when the core was built with it (CMakeLists.txt, SPIKETAIL_OPENBLAS).
#   scripts/core-libs.sh build/libcore.a   ->  "-lopenblas" or nothing
set -euo pipefail
symbols=$(nm "$1" 2>/dev/null || true)
if grep -q ' U cblas_sgemm$' <<<"$symbols"; then echo "-lopenblas"; fi
