// What the GPU benches share: the exit when there is no GPU to measure, and the iteration
// count that bench/gpu/run.sh fixes so that the whole device run fits its time budget.
#pragma once
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace turnpoint::bench {

// Without a GPU a bench measures nothing: exit 0 on a build machine (nothing to do), but 1
// under TURNPOINT_REQUIRE_GPU=1 (the GPU machine), where a silent skip would pass as a run.
inline int no_gpu_exit(const char* bench, const char* why) {
  const char* req = std::getenv("TURNPOINT_REQUIRE_GPU");
  const bool required = req != nullptr && std::string(req) == "1";
  std::fprintf(stderr, "%s: %s, nothing measured (%s)\n", bench, why,
               required ? "FAILED: TURNPOINT_REQUIRE_GPU=1" : "skipped");
  return required ? 1 : 0;
}

// TURNPOINT_BENCH_ITERATIONS=k runs every case exactly k times. With UseManualTime Google
// Benchmark sizes the iteration count by the kernel time alone, so a case whose wall time is
// 50x its kernel time would otherwise run for minutes; run.sh sets k to bound the run.
inline benchmark::internal::Benchmark* fixed_iterations(benchmark::internal::Benchmark* b) {
  if (const char* v = std::getenv("TURNPOINT_BENCH_ITERATIONS")) {
    const long k = std::strtol(v, nullptr, 10);
    if (k > 0) b->Iterations(k);
  }
  return b;
}

}  // namespace turnpoint::bench
