// Binary segmentation (up to 10 changes, MBIC penalty as the stopping rule) over whole
// panels, CPU backend, mean cost: the real 155-series panel and synthetic 10^2..10^4 x
// 1461 panels. Run: build-<name>/bench/binseg_bench --benchmark_counters_tabular=true
#include "bench/bench_common.hpp"

namespace turnpoint::bench {
namespace {

void BM_binseg_real_mean(benchmark::State& state) {
  run_detect(state, real_panel(), config(Method::binseg, CostKind::mean, 10));
}
void BM_binseg_synthetic_mean(benchmark::State& state) {
  run_detect(state, synthetic(state.range(0)), config(Method::binseg, CostKind::mean, 10));
}

BENCHMARK(BM_binseg_real_mean)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_binseg_synthetic_mean)->RangeMultiplier(10)->Range(100, 10000)
    ->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace turnpoint::bench

BENCHMARK_MAIN();
