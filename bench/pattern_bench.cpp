// The default pipeline of `turnpoint detect` (docs/seasonality.md Part I): the pattern model
// on the shipped real panel (155 x 1,461, demo/carbon_monitor_china_daily.h5) and on a
// generator panel of the same shape, and the generic model on monthly series, with 1 and 2
// OpenMP threads. The issue-14 target: the real panel <= 20 s on 2 cores.
//   build/bench/pattern_bench
// Results: bench/RESULTS.md.
#include <benchmark/benchmark.h>

#include <cmath>
#include <filesystem>
#include <random>

#include <omp.h>

#include "datasets/generator.hpp"
#include "host/core/calendar.hpp"
#include "host/explain/explain.hpp"
#include "host/io/series_io.hpp"

namespace {

using namespace turnpoint;

void run(benchmark::State& state, const Panel& panel, ExplainModel model) {
  omp_set_num_threads(static_cast<int>(state.range(0)));
  ExplainOptions o;
  o.model = model;
  std::size_t points = 0;
  for (auto _ : state) {
    DetectionSet set;
    explain_panel(panel, DetectConfig{}, o, set);
    points = set.points.size();
    benchmark::DoNotOptimize(set.points.data());
  }
  state.counters["series/s"] = benchmark::Counter(static_cast<double>(panel.n_series()) *
                                                  static_cast<double>(state.iterations()),
                                                  benchmark::Counter::kIsRate);
  state.counters["points"] = static_cast<double>(points);
}

void BM_PatternRealPanel(benchmark::State& state) {
  const std::string path = TURNPOINT_SOURCE_DIR "/demo/carbon_monitor_china_daily.h5";
  if (!std::filesystem::exists(path)) {
    state.SkipWithError("demo/carbon_monitor_china_daily.h5 not found");
    return;
  }
  static const Panel panel = read_series(path);
  run(state, panel, ExplainModel::pattern);
}

void BM_PatternGeneratorPanel(benchmark::State& state) {
  static const Panel panel = [] {
    GeneratorConfig c;  // 155 x 1,461 CM-like series with known turning points
    c.seed = 2001;
    return generate_panel(c, nullptr);
  }();
  run(state, panel, ExplainModel::pattern);
}

// 1,000 monthly AR(1) series of 20 years: the generic model.
void BM_GenericMonthly(benchmark::State& state) {
  static const Panel panel = [] {
    Panel p;
    for (int k = 0; k < 240; ++k) p.time.push_back(days_from_civil(2000 + k / 12, 1 + k % 12, 1));
    p.frequency = Frequency::monthly;
    std::mt19937_64 rng(5);
    std::normal_distribution<double> nd;
    for (int i = 0; i < 1000; ++i) {
      double u = 0.0;
      for (int t = 0; t < 240; ++t) p.values.push_back(100.0 + (u = 0.5 * u + nd(rng)) + (t >= 150 ? 4.0 : 0.0));
      p.region.push_back("R");
      p.sector.push_back("S");
      p.series_id.push_back("R/S" + std::to_string(i));
    }
    return p;
  }();
  run(state, panel, ExplainModel::generic);
}

BENCHMARK(BM_PatternRealPanel)->Arg(1)->Arg(2)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();
BENCHMARK(BM_PatternGeneratorPanel)->Arg(1)->Arg(2)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();
BENCHMARK(BM_GenericMonthly)->Arg(1)->Arg(2)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
