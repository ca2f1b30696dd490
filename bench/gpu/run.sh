#!/usr/bin/env bash
# The one prepared command for a lent GPU machine (issue 16; bench/README.md says how to call
# it through the device tool). It runs, from a bundle built on a machine without a GPU
# (`cmake --preset gpu-bundle`), in this order and each under its own time limit:
#   1. nvidia-smi (the device and driver go with every figure);
#   2. the GPU tests with TURNPOINT_REQUIRE_GPU=1 (no GPU, a failed launch or a missing real
#      panel is a failure, never a skip), split in parts so that a slow part loses no other;
#   3. one compute-sanitizer memcheck pass over a small filter that launches every kernel,
#      and a racecheck pass over the mean-cost kernels;
#   4. the benchmarks (the targets first), with filters and iteration counts chosen to fit
#      the time budget;
# and writes into OUT, within the device tool's limits (at most 8 files, none deeper):
#   summary.txt              the device, each step's status and time, the headline figures
#   cuda_detect_targets.json Google Benchmark JSON (detection: the issue's targets)
#   cuda_detect_bench.json   Google Benchmark JSON (detection: every other case)
#   cuda_explain_bench.json  Google Benchmark JSON (split test, bootstrap)
#   logs.tar.gz              every step's full log, the gtest JSON reports, nvidia-smi -q
# The step limits add up to 420 s (460 s with the 5 s grace of each kill), so the script ends
# within 8 minutes even if every step runs into its limit. Exit status: 0 when every step passed, 1 when one failed or timed out,
# 2 for bad arguments or an incomplete bundle.
#
#   bash bench/gpu/run.sh BUNDLE OUT            run everything
#   bash bench/gpu/run.sh BUNDLE OUT --dry-run  print the steps and their limits, run nothing
set -u -o pipefail

usage() { echo "usage: bash bench/gpu/run.sh BUNDLE_DIR OUT_DIR [--dry-run]" >&2; exit 2; }
[ $# -ge 2 ] || usage
bundle=$1
out=$2
dry=0
[ "${3:-}" = "--dry-run" ] && dry=1
[ $# -le 3 ] || usage

bundle=$(cd "$bundle" 2>/dev/null && pwd) || { echo "run.sh: no bundle folder $1" >&2; exit 2; }
mkdir -p "$out" || exit 2
out=$(cd "$out" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/turnpoint-gpu-run.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
summary=$out/summary.txt
: >"$summary"
say() { echo "$*" | tee -a "$summary"; }
failed=0
start_all=$(date +%s)

# The bundle must be complete before any device time is spent on it.
need=(MANIFEST.txt cuda_detect_test cuda_explain_test cuda_detect_bench cuda_explain_bench
      cm_china_daily.tpp)
missing=()
for f in "${need[@]}"; do [ -e "$bundle/$f" ] || missing+=("$f"); done
if ((${#missing[@]})); then
  say "run.sh: the bundle $bundle lacks: ${missing[*]} (build it with: cmake --preset gpu-bundle && cmake --build --preset gpu-bundle)"
  exit 2
fi

export TURNPOINT_REQUIRE_GPU=1                       # skips become failures
export TURNPOINT_CM_PANEL=$bundle/cm_china_daily.tpp  # the real panel, from the bundle
export TURNPOINT_BENCH_ITERATIONS=${TURNPOINT_BENCH_ITERATIONS:-5}  # fixed: bounds bench time
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(nproc 2>/dev/null || echo 2)}

sanitizer=$(command -v compute-sanitizer || true)
for c in /usr/local/cuda/bin/compute-sanitizer /usr/local/cuda/compute-sanitizer/compute-sanitizer; do
  [ -z "$sanitizer" ] && [ -x "$c" ] && sanitizer=$c
done

# step NAME LIMIT_S COMMAND...: runs COMMAND under `timeout`, its output to the console and to
# the step's log, and records the result in summary.txt.
step() {
  local name=$1 limit=$2
  shift 2
  # TURNPOINT_RUN_MAX_STEP_S caps every limit (the tests of this script use it).
  if [ -n "${TURNPOINT_RUN_MAX_STEP_S:-}" ] && [ "$TURNPOINT_RUN_MAX_STEP_S" -lt "$limit" ]; then
    limit=$TURNPOINT_RUN_MAX_STEP_S
  fi
  if ((dry)); then
    printf '%-22s %4ss  %s\n' "$name" "$limit" "$*"
    return 0
  fi
  echo "==== $name (limit ${limit}s): $*"
  local t0 rc status
  t0=$(date +%s)
  timeout --kill-after=5 "$limit" "$@" 2>&1 | tee "$work/$name.log"
  rc=${PIPESTATUS[0]}
  # A gtest filter that matches nothing passes in gtest: here it is a failure.
  if [ "$rc" = 0 ] && grep -q "Running 0 tests from" "$work/$name.log"; then rc=3; fi
  case $rc in
    0) status=ok ;;
    3) status="FAIL (no test matched)"; failed=1 ;;
    124|137) status="TIMEOUT (over ${limit}s)"; failed=1 ;;
    *) status="FAIL (exit $rc)"; failed=1 ;;
  esac
  say "$(printf '%-22s %-22s %4ss' "$name" "$status" "$(( $(date +%s) - t0 ))")"
}

gtest_json() { echo "--gtest_output=json:$work/$1.json"; }
bench_args() {
  echo "--benchmark_out=$out/$1.json" "--benchmark_out_format=json" "--benchmark_counters_tabular=true"
}

if ((dry)); then echo "steps of bench/gpu/run.sh (name, time limit, command):"; fi
if ((!dry)); then
  say "turnpoint GPU run, $(date -u +%Y-%m-%dT%H:%M:%SZ), bundle $(sed -n 2p "$bundle/MANIFEST.txt")"
  if ! command -v nvidia-smi >/dev/null || ! nvidia-smi >"$work/nvidia-smi.txt" 2>&1; then
    cat "$work/nvidia-smi.txt" 2>/dev/null
    say "run.sh: no GPU here (nvidia-smi missing or failing): nothing was run"
    tar czf "$out/logs.tar.gz" -C "$work" . 2>/dev/null
    exit 1
  fi
  cat "$work/nvidia-smi.txt"
  nvidia-smi -q >"$work/nvidia-smi-q.txt" 2>&1 || true
  say "device: $(nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader 2>/dev/null | head -1)"
  say "host: $(nproc) CPUs, OMP_NUM_THREADS=$OMP_NUM_THREADS"
  [ -n "$sanitizer" ] || say "compute-sanitizer: not found (the memcheck step will fail)"
  say "step                   status                 time"
fi

# 2. GPU tests. Part one is quick and decides whether the rest means anything: the usable
#    check, small panels of every method and cost, the real panel, the 40,000 x 1,461 case.
#    (Parameterised suites are named Prefix/Suite.Test/param: hence the leading '*'.)
step test_detect_core 100 "$bundle/cuda_detect_test" $(gtest_json test_detect_core) \
  "--gtest_filter=CudaDetect.*:*CudaSmall.*:*CudaRealPanel.*:CudaLarge.*"
step test_detect_random 85 "$bundle/cuda_detect_test" $(gtest_json test_detect_random) \
  "--gtest_filter=*CudaMatchesCpu.*:*CudaCropsMatchesCpu.*"
step test_explain 35 "$bundle/cuda_explain_test" $(gtest_json test_explain)
# 3. memcheck over every kernel instantiation on small inputs (slow under the sanitizer).
step memcheck 40 "${sanitizer:-compute-sanitizer}" --tool memcheck --error-exitcode 1 \
  --leak-check no "$bundle/cuda_detect_test" "--gtest_filter=*CudaSmall.*"
# 3b. racecheck (shared-memory hazards: a barrier missing between two phases, which the
#     host model of a warp cannot see) on the mean-cost kernels of every method.
step racecheck 25 "${sanitizer:-compute-sanitizer}" --tool racecheck --error-exitcode 1 \
  "$bundle/cuda_detect_test" "--gtest_filter=*CudaSmall.MatchesCpu/*_mean"
# 4. benchmarks, the issue's targets first and on their own (their JSON survives if a later
#    step runs out of time): PELT 10^5 x 1,461 and the batch sizes where the GPU overtakes
#    the CPU backend, segment neighbourhood K = 10 on 10^4 x 1,461; then every other case
#    (OP, binary segmentation, other costs, long series, the real panel); then the
#    explanation kernels.
step bench_targets 60 "$bundle/cuda_detect_bench" $(bench_args cuda_detect_targets) \
  "--benchmark_filter=^(cuda|cpu)_(pelt_mean|segneigh_mean_k10)/[0-9]+/1461"
step bench_detect 45 "$bundle/cuda_detect_bench" $(bench_args cuda_detect_bench) \
  "--benchmark_filter=${TURNPOINT_BENCH_FILTER:-^(cuda|cpu)_(op|binseg|real)|^cuda_pelt_(meanvar|poisson|regression)|^cuda_pelt_mean/[0-9]+/[0-9]{5}}"
step bench_explain 30 "$bundle/cuda_explain_bench" $(bench_args cuda_explain_bench)

if ((dry)); then exit 0; fi

# Headline figures from the bench JSON (python3 is on the GPU machine; skipped if absent).
jsons=()
for j in "$out/cuda_detect_targets.json" "$out/cuda_detect_bench.json"; do [ -s "$j" ] && jsons+=("$j"); done
if command -v python3 >/dev/null && ((${#jsons[@]})); then
  python3 "$(dirname "$0")/summarize.py" "${jsons[@]}" 2>&1 | tee -a "$summary"
fi
say "total: $(( $(date +%s) - start_all ))s; result: $([ $failed = 0 ] && echo PASS || echo FAIL)"
cp "$bundle/MANIFEST.txt" "$work/" 2>/dev/null
tar czf "$out/logs.tar.gz" -C "$work" . || failed=1
echo "---- summary ($summary) ----"
cat "$summary"
exit $failed
