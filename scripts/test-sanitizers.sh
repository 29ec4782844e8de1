#!/usr/bin/env bash
# The Catch2 suite and the CLI's Node tests under AddressSanitizer + UndefinedBehaviorSanitizer (and LeakSanitizer),
# built in build-asan/ with clang (-O1, assertions on, OpenMP through libomp; -gline-tables-only: reports name file
# and line as with -g, and the build takes a quarter less time). Any sanitizer report fails the
# script, also one in a CLI process whose exit status a test does not look at (a run meant to fail, or killed):
# every report goes to a file under build-asan/reports/, and a file there at the end is a failure. (clang, not
# GCC: GCC 12's combined ASan+UBSan runtime ignores log_path for UBSan reports, which then reach only the
# child's stderr, captured by the Node tests.) See docs/testing.md.
# SPIKETAIL_ASAN_TESTS overrides the Catch2 test spec.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
dir=build-asan

# As scripts/build-native.sh: under CI (CI=true, as .ci/run is run) a compiler warning fails the build.
werror=OFF; [ -n "${CI:-}" ] && werror=ON
cmake -S . -B "$dir" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -gline-tables-only" -DSPIKETAIL_SANITIZE=ON -DSPIKETAIL_WERROR="$werror" >/dev/null
build_log="$dir/build.log"
if ! cmake --build "$dir" -j 2 >"$build_log" 2>&1; then
  tail -n 60 "$build_log" >&2
  echo "sanitizers: the build failed (whole log: $build_log)" >&2
  exit 1
fi
echo "sanitizers: build-asan/ built in $SECONDS s" >&2

reports="$root/$dir/reports"
rm -rf "$reports"
mkdir -p "$reports"
# halt_on_error with -fno-sanitize-recover=all: the first report ends the process; abort_on_error makes that a
# SIGABRT, which the Node tests count as a crash, so no exit status of 1 or 2 that a test expects can hide it.
common="halt_on_error=1:abort_on_error=1:disable_coredump=1:print_summary=1:log_path=$reports/report"
export ASAN_OPTIONS="$common:detect_leaks=1:strict_init_order=1:check_initialization_order=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="$common:print_stacktrace=1"

status=0
# test_study.cpp's [study] tests run the study's full-size configs (n=2000, d=1000, h=1500, 5 repeats): ~12 s
# optimised, 160 s here. They are left out (the optimised build in scripts/test.sh runs them); the same code runs
# in every other test at small sizes, and the one full-size session test ([session][study], 1 s) stays in.
spec="${SPIKETAIL_ASAN_TESTS:-~[study],[session][study]}"
echo "sanitizers: Catch2 ($spec)" >&2
start=$SECONDS
"$dir/spiketail_tests" "$spec" || status=1
echo "sanitizers: Catch2 took $((SECONDS - start)) s; CLI tests" >&2
start=$SECONDS
# tests/cli/mpi.test.mjs runs build/spiketail-mpi (an optimised build, not this one) for every process it starts:
# under this pass it would repeat the main pass's test, so it is left to that one.
cli_tests=()
for f in tests/cli/*.test.mjs; do [ "$f" = tests/cli/mpi.test.mjs ] || cli_tests+=("$f"); done
SPIKETAIL_CLI="$root/$dir/spiketail" node --test --test-concurrency=1 "${cli_tests[@]}" || status=1
echo "sanitizers: CLI tests took $((SECONDS - start)) s" >&2

if compgen -G "$reports/report*" >/dev/null; then
  echo "sanitizers: reports:" >&2
  for f in "$reports"/report*; do
    echo "---- $f" >&2
    cat "$f" >&2
  done
  status=1
fi
[ "$status" -eq 0 ] && echo "sanitizers: no report" >&2
exit "$status"
