#!/usr/bin/env bash
# libFuzzer (clang) on every parser and validator that takes outside bytes: the targets of tests/fuzz/, built in
# build-fuzz/ with -fsanitize=fuzzer,address,undefined, each run for SPIKETAIL_FUZZ_SECONDS (default 30) from
# its committed seed corpus (tests/fuzz/corpus/<target>/, read only: new inputs go to a temporary directory), one
# per core at a time (SPIKETAIL_FUZZ_JOBS).
# Fails on any crash, leak, timeout (-timeout=10 s per input), memory blow-up (-rss_limit_mb=2048, which also
# caps a single allocation) or sanitizer report; the input that caused it is kept in build-fuzz/artifacts/<target>/.
# `bash scripts/test-fuzz.sh sweep_json` runs one target. docs/testing.md says how to reproduce a crash.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build-fuzz
seconds="${SPIKETAIL_FUZZ_SECONDS:-30}"
seed="${SPIKETAIL_FUZZ_SEED:-1}"
targets=(config_json reference_yaml sweep_json run_figure sweep_summary sweep_parts npy_file npz_file safetensors_file gguf_file
         tfjs_file csv_file)
[ $# -gt 0 ] && targets=("$@")

# As scripts/build-native.sh: under CI (CI=true, as .ci/run is run) a compiler warning fails the build.
werror=OFF; [ -n "${CI:-}" ] && werror=ON
cmake -S . -B "$dir" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -gline-tables-only" -DSPIKETAIL_FUZZ=ON -DSPIKETAIL_WERROR="$werror" >/dev/null
build_log="$dir/build.log"
if ! cmake --build "$dir" -j 2 --target "${targets[@]/#/fuzz_}" >"$build_log" 2>&1; then
  tail -n 60 "$build_log" >&2
  echo "fuzz: the build failed (whole log: $build_log)" >&2
  exit 1
fi
echo "fuzz: build-fuzz/ built in $SECONDS s" >&2

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=1:strict_init_order=1:check_initialization_order=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
# One target: its log in build-fuzz/fuzz_<target>.log, a line on stderr; non-zero on any failure.
fuzz_one() {
  local t=$1 artifacts="$dir/artifacts/$1" log="$dir/fuzz_$1.log" runs cov
  mkdir -p "$artifacts" "$work/$t"
  # The first corpus directory is the one libFuzzer writes to (the temporary one); the committed seeds are read.
  if "$dir/fuzz_$t" -seed="$seed" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
      -print_final_stats=1 -artifact_prefix="$artifacts/" "$work/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
    echo "fuzz: $t: ${runs:-?} inputs in ${seconds} s, $cov, no failure" >&2
  else
    echo "fuzz: $t FAILED (log: $log); the input is in $artifacts/:" >&2
    grep -v -e '^#[0-9]' -e 'NEW_FUNC' -e '^INFO:' "$log" | tail -n 60 >&2
    return 1
  fi
}

# The targets run SPIKETAIL_FUZZ_JOBS at a time (default: one per core; each fuzzer is one thread), so the pass
# takes seconds × targets / cores.
jobs="${SPIKETAIL_FUZZ_JOBS:-$(nproc)}"
status=0
pids=()
for t in "${targets[@]}"; do
  fuzz_one "$t" &
  pids+=("$!")
  if [ "${#pids[@]}" -ge "$jobs" ]; then
    wait "${pids[0]}" || status=1
    pids=("${pids[@]:1}")
  fi
done
for p in "${pids[@]}"; do wait "$p" || status=1; done
exit "$status"
