// Scenario generator throughput: series per second in memory (generate_panel) and streamed
// to series.h5 (generate_to_file). The 10^5 x 1461 target run is in bench/RESULTS.md.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>

#include "datasets/generator.hpp"
#include "host/io/generator_io.hpp"

namespace {

turnpoint::GeneratorConfig config(std::int64_t n) {
  turnpoint::GeneratorConfig c;
  c.n_series = n;
  c.n_days = 1461;
  c.seed = 1;
  c.missing = 0.01;
  return c;
}

void BM_GeneratePanel(benchmark::State& state) {
  const auto c = config(state.range(0));
  for (auto _ : state) {
    turnpoint::Truth truth;
    auto panel = turnpoint::generate_panel(c, &truth);
    benchmark::DoNotOptimize(panel.values.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_GeneratePanel)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_GenerateToFile(benchmark::State& state) {
  const auto c = config(state.range(0));
  const std::string path = "generator_bench_tmp.h5";
  for (auto _ : state) turnpoint::generate_to_file(c, path, 4096);
  std::remove(path.c_str());
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_GenerateToFile)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
