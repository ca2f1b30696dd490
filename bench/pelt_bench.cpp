// PELT (and unpruned optimal partitioning) over whole panels, CPU backend, MBIC penalty:
// the real 155-series Carbon Monitor China panel and synthetic 10^2..10^4 x 1461 panels.
// The 10^4 panels run a single iteration (seconds to minutes each on 2 cores).
// Run: build-<name>/bench/pelt_bench --benchmark_counters_tabular=true
#include "bench/bench_common.hpp"

namespace turnpoint::bench {
namespace {

void BM_pelt_real(benchmark::State& state, CostKind cost) {
  run_detect(state, real_panel(), config(Method::pelt, cost));
}
// Same with the BIC penalty: no MBIC log(length) segment term, pruning constant K = 0.
void BM_pelt_real_mean_bic(benchmark::State& state) {
  DetectConfig c = config(Method::pelt, CostKind::mean);
  c.penalty = Penalty{PenaltyKind::bic, 0.0};
  run_detect(state, real_panel(), c);
}
void BM_op_real_mean(benchmark::State& state) {
  run_detect(state, real_panel(), config(Method::op, CostKind::mean));
}
void BM_pelt_synthetic(benchmark::State& state, CostKind cost) {
  run_detect(state, synthetic(state.range(0)), config(Method::pelt, cost));
}

BENCHMARK_CAPTURE(BM_pelt_real, mean_mbic, CostKind::mean)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_pelt_real, meanvar_mbic, CostKind::meanvar)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_pelt_real, regression_mbic, CostKind::regression)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_pelt_real_mean_bic)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_op_real_mean)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_pelt_synthetic, mean_mbic, CostKind::mean)
    ->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_pelt_synthetic, mean_mbic, CostKind::mean)
    ->Arg(10000)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_pelt_synthetic, meanvar_mbic, CostKind::meanvar)
    ->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_pelt_synthetic, meanvar_mbic, CostKind::meanvar)
    ->Arg(10000)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_pelt_synthetic, regression_mbic, CostKind::regression)
    ->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_pelt_synthetic, regression_mbic, CostKind::regression)
    ->Arg(10000)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace turnpoint::bench

BENCHMARK_MAIN();
