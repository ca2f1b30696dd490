// Segment neighbourhood for K = 0..10 over whole panels, CPU backend, mean cost, MBIC
// penalty to choose K: the real 155-series panel and synthetic 10^2..10^4 x 1461 panels.
// O(K n^2) per series: the 10^4 panel runs a single iteration.
// Run: build-<name>/bench/segneigh_bench --benchmark_counters_tabular=true
#include "bench/bench_common.hpp"

namespace turnpoint::bench {
namespace {

void BM_segneigh_real_mean(benchmark::State& state) {
  run_detect(state, real_panel(), config(Method::segneigh, CostKind::mean, 10));
}
// The configuration bench/compare_ruptures.py runs against ruptures' Dynp: raw L2 cost
// (--noise none), no MBIC segment term (its log per cost evaluation), penalty 0.
void BM_segneigh_real_l2(benchmark::State& state) {
  DetectConfig c = config(Method::segneigh, CostKind::mean, 10);
  c.noise = NoiseScale::none;
  c.penalty = Penalty{PenaltyKind::manual, 0.0};
  run_detect(state, real_panel(), c);
}
void BM_segneigh_synthetic_mean(benchmark::State& state) {
  run_detect(state, synthetic(state.range(0)), config(Method::segneigh, CostKind::mean, 10));
}

BENCHMARK(BM_segneigh_real_mean)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_segneigh_real_l2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_segneigh_synthetic_mean)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_segneigh_synthetic_mean)->Arg(10000)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace turnpoint::bench

BENCHMARK_MAIN();
