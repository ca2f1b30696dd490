#!/usr/bin/env bash
# The ctest gpu_bundle: builds the GPU bundle with the gpu-bundle preset's settings in a
# sub-build (incremental and ccache'd after the first time), checks it
# (bench/gpu/check_bundle.py: ldd lines, RUNPATH, stripped, SASS only, size) and runs the
# real bundle through bench/gpu/run.sh on this machine without a GPU, where it must fail
# cleanly: every binary loads, the GPU tests and benches refuse to pass without a GPU.
#   bench/gpu/bundle_test.sh SOURCE_DIR BUILD_DIR
# Exit 77 (ctest: skipped) where there is no nvcc to build the bundle with, or no ../shared
# real panel to put in it.
set -u -o pipefail
src=$1
build=$2
if ! command -v nvcc >/dev/null && [ ! -x /usr/local/cuda/bin/nvcc ]; then
  echo "SKIPPED: no nvcc on this machine, so no GPU bundle to check (cmake/bundle.cmake)"
  exit 77
fi
# The bundle carries the real panel (cmake/bundle.cmake, TURNPOINT_CM_DIR's default): a clone
# without ../shared cannot make it, which is a skip, like every test of the shared data.
cm="$src/../shared/datasets/carbon_monitor_china_daily"
if [ ! -f "$cm/Power_result.csv" ]; then
  echo "SKIPPED: $cm (the real panel the GPU bundle carries) is absent"
  exit 77
fi
cmake --preset gpu-bundle -S "$src" -B "$build" >"$build.configure.log" 2>&1 || {
  cat "$build.configure.log"; echo "gpu_bundle: configuring the bundle failed"; exit 1; }
cmake --build "$build" --target bundle -j2 || { echo "gpu_bundle: building the bundle failed"; exit 1; }
python3 "$src/bench/gpu/check_bundle.py" "$build/bundle" || exit 1

# The real bundle through run.sh, with a stand-in nvidia-smi so that the script goes on to
# run the binaries, which must then fail (TURNPOINT_REQUIRE_GPU=1) but load and finish.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin"
printf '#!/bin/sh\necho "stand-in nvidia-smi (no GPU here)"\n' >"$tmp/bin/nvidia-smi"
chmod +x "$tmp/bin/nvidia-smi"
PATH="$tmp/bin:$PATH" TURNPOINT_RUN_MAX_STEP_S=120 bash "$src/bench/gpu/run.sh" "$build/bundle" "$tmp/out" >"$tmp/run.log" 2>&1
rc=$?
cat "$tmp/out/summary.txt"
if [ $rc -ne 1 ]; then
  tail -40 "$tmp/run.log"
  echo "gpu_bundle: run.sh without a GPU exited $rc, expected 1"
  exit 1
fi
problems=0
for step in test_detect_core test_detect_random test_explain bench_targets bench_detect bench_explain; do
  grep -Eq "^$step +FAIL \(exit 1\)" "$tmp/out/summary.txt" ||
    { echo "gpu_bundle: step $step did not fail for the missing GPU"; problems=1; }
done
grep -q "TURNPOINT_REQUIRE_GPU=1 but no usable CUDA device" "$tmp/run.log" ||
  { echo "gpu_bundle: the GPU tests did not fail for the missing GPU"; problems=1; }
[ "$(grep -c "nothing measured (FAILED: TURNPOINT_REQUIRE_GPU=1)" "$tmp/run.log")" -eq 3 ] ||
  { echo "gpu_bundle: the three bench steps did not fail for the missing GPU"; problems=1; }
grep -q "TIMEOUT" "$tmp/out/summary.txt" && { echo "gpu_bundle: a step timed out"; problems=1; }
grep "error while loading shared libraries" "$tmp/run.log" && problems=1
if [ $problems -ne 0 ]; then tail -60 "$tmp/run.log"; exit 1; fi
echo "gpu_bundle: ok (bundle checked; run.sh fails cleanly without a GPU)"
