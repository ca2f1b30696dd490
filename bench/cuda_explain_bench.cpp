// The explanation kernels on the GPU against the CPU launchers (issue 4): the split test
// (classify_changes_*) and the block bootstrap with B = 200 (bootstrap_changes_*), on the
// CM-like case of datasets/explain_case.hpp (the generator's panel, 155 x k series x 1,461
// days, ~2.6 changes per series). Each case reports wall time per call (host work and
// transfers included) and series_per_s. Without a usable GPU (or without CUDA) it prints
// why and exits 0, or 1 under TURNPOINT_REQUIRE_GPU=1 (bench/gpu_gate.hpp).
// Run: build-*/bench/cuda_explain_bench --benchmark_counters_tabular=true
//      (bench/README.md: portable build; results with the GPU model in bench/RESULTS.md)
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <map>
#include <vector>

#include "bench/gpu_gate.hpp"
#include "datasets/explain_case.hpp"
#include "kernels/bootstrap_batch.hpp"
#include "kernels/classify_batch.hpp"
#include "kernels/detect.hpp"

namespace {

using namespace turnpoint;

const ExplainCase& cached_case(std::int64_t n_series) {
  static std::map<std::int64_t, ExplainCase> cases;
  auto it = cases.find(n_series);
  if (it == cases.end()) it = cases.emplace(n_series, make_explain_case(20261121, n_series)).first;
  return it->second;
}

kernels::BootstrapSettings settings() {
  kernels::BootstrapSettings s;
  s.replicates = 200;
  s.mbic = false;
  s.min_size = 2;
  return s;
}

void counters(benchmark::State& state, const ExplainCase& c) {
  state.counters["series"] = static_cast<double>(c.N);
  state.counters["changes"] = static_cast<double>(c.list.changes.size());
  state.counters["series_per_s"] =
      benchmark::Counter(static_cast<double>(c.N), benchmark::Counter::kIsIterationInvariantRate);
}

template <bool kGpu>
void BM_Classify(benchmark::State& state) {
  const ExplainCase& c = cached_case(state.range(0));
  kernels::ChangeList list = c.list;
  for (auto _ : state) {
#if defined(TURNPOINT_HAVE_CUDA)
    if (kGpu) kernels::classify_changes_cuda(c.y.data(), c.N, c.d, list, 1e-3, nullptr);
    else
#endif
      kernels::classify_changes_cpu(c.y.data(), c.N, c.d, list, 1e-3, nullptr);
    benchmark::DoNotOptimize(list.kinds.data());
  }
  counters(state, c);
}

template <bool kGpu>
void BM_Bootstrap(benchmark::State& state) {
  const ExplainCase& c = cached_case(state.range(0));
  const std::vector<double> pen(static_cast<size_t>(c.N), 58.0);
  std::vector<kernels::ChangeScore> out;
  for (auto _ : state) {
#if defined(TURNPOINT_HAVE_CUDA)
    if (kGpu) kernels::bootstrap_changes_cuda(c.y.data(), c.N, c.d, c.list, pen.data(), settings(), out);
    else
#endif
      kernels::bootstrap_changes_cpu(c.y.data(), c.N, c.d, c.list, pen.data(), settings(), out);
    benchmark::DoNotOptimize(out.data());
  }
  counters(state, c);
}

BENCHMARK(BM_Classify<true>)->Name("cuda_classify")->Arg(155)->Arg(1550)->Arg(15500)
    ->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Classify<false>)->Name("cpu_classify")->Arg(155)->Arg(1550)
    ->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Bootstrap<true>)->Name("cuda_bootstrap_b200")->Arg(155)->Arg(1550)->Arg(15500)
    ->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
BENCHMARK(BM_Bootstrap<false>)->Name("cpu_bootstrap_b200")->Arg(155)
    ->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
#if defined(TURNPOINT_HAVE_CUDA)
  if (!turnpoint::detail::cuda_usable())
    return turnpoint::bench::no_gpu_exit("cuda_explain_bench", "no usable CUDA device");
#else
  return turnpoint::bench::no_gpu_exit("cuda_explain_bench", "this build has no CUDA backend");
#endif
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
