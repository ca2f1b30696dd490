// The CUDA backend against the CPU backend (the reference): identical turning points,
// costs and gains within 1e-9 relative, for every method and cost, on >= 10^4 random
// series of mixed lengths, on 40,000 series of 1,461 days in several chunks, on small panels
// of every method and cost (CudaSmall, also run under compute-sanitizer) and on the real
// 155-series Carbon Monitor China panel.
// GPU tests (label gpu): they skip when no GPU is usable, and fail instead when
// TURNPOINT_REQUIRE_GPU=1. No HDF5 here, so the test runs from the portable build.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "kernels/error.hpp"
#include "kernels/detect.hpp"
#include "kernels/detect_cuda.cuh"
#include "bench/cm_panel.hpp"
#include "gpu_skip.hpp"
#include "tests/testing.hpp"

namespace turnpoint {
namespace {

#if defined(TURNPOINT_HAVE_CUDA)
DetectResult run_cuda(const std::vector<double>& v, std::int64_t ns, int nt,
                      const std::vector<std::int32_t>& days, const DetectConfig& c) {
  return detail::detect_cuda(v.data(), ns, nt, days.data(), c);
}
#else
DetectResult run_cuda(const std::vector<double>&, std::int64_t, int,
                      const std::vector<std::int32_t>&, const DetectConfig&) {
  return {};
}
#endif

// |a - b| <= 1e-9 max(|a|, |b|, 1): relative for values >= 1 (costs are in units of the
// noise variance, so nearly all are), absolute 1e-9 below.
bool close(double a, double b) {
  if (std::isinf(a) || std::isinf(b)) return a == b;
  return std::fabs(a - b) <= 1e-9 * std::max({std::fabs(a), std::fabs(b), 1.0});
}

// Counts mismatches, reporting the first few in detail.
int compare(const DetectResult& cpu, const DetectResult& gpu, const std::string& what) {
  EXPECT_EQ(gpu.backend_used, Backend::cuda) << what;
  EXPECT_EQ(cpu.series.size(), gpu.series.size()) << what;
  int bad = 0;
  const size_t n = std::min(cpu.series.size(), gpu.series.size());
  for (size_t i = 0; i < n; ++i) {
    const SeriesDetection& c = cpu.series[i];
    const SeriesDetection& g = gpu.series[i];
    std::ostringstream err;
    if (c.status != g.status) err << " status " << to_string(c.status) << "/" << to_string(g.status);
    if (c.n_valid != g.n_valid) err << " n_valid";
    if (c.sigma != g.sigma) err << " sigma";
    if (c.penalty != g.penalty) err << " penalty";
    if (c.changes != g.changes) {
      err << " changes cpu [";
      for (int t : c.changes) err << t << ' ';
      err << "] gpu [";
      for (int t : g.changes) err << t << ' ';
      err << "]";
    }
    if (!close(c.cost, g.cost)) err << " cost " << c.cost << " vs " << g.cost;
    if (c.gains.size() != g.gains.size()) {
      err << " gains size";
    } else {
      for (size_t j = 0; j < c.gains.size(); ++j)
        if (!close(c.gains[j], g.gains[j])) err << " gain[" << j << "] " << c.gains[j] << " vs " << g.gains[j];
    }
    if (c.path != g.path) err << " path";
    if (c.path_cost.size() != g.path_cost.size()) {
      err << " path_cost size";
    } else {
      for (size_t j = 0; j < c.path_cost.size(); ++j)
        if (!close(c.path_cost[j], g.path_cost[j])) err << " path_cost[" << j << "]";
    }
    if (c.crops.size() != g.crops.size()) {
      err << " crops size " << c.crops.size() << " vs " << g.crops.size();
    } else {
      for (size_t j = 0; j < c.crops.size(); ++j) {
        const CropsSegmentation &a = c.crops[j], &b = g.crops[j];
        if (a.changes != b.changes || !close(a.cost, b.cost) || !close(a.pen_lo, b.pen_lo) ||
            !close(a.pen_hi, b.pen_hi))
          err << " crops[" << j << "]";
      }
    }
    if (!err.str().empty()) {
      if (++bad <= 5) ADD_FAILURE() << what << ", series " << i << ":" << err.str();
    }
  }
  EXPECT_EQ(bad, 0) << what << ": " << bad << " of " << n << " series differ";
  return bad;
}

// ---- random panels -------------------------------------------------------------------

struct Panel {
  int n_time = 0;
  std::int64_t n_series = 0;
  std::vector<double> values;
  std::vector<std::int32_t> days;
};

// Piecewise series with 0..4 changes in level (and, for meanvar, scale), 2% missing days,
// some leading/trailing missing runs (so the effective lengths vary within a panel), and a
// few constant and all-missing series.
Panel random_panel(int n_time, std::int64_t n_series, CostKind cost, std::uint32_t seed) {
  Panel p;
  p.n_time = n_time;
  p.n_series = n_series;
  p.values.resize(static_cast<size_t>(n_time) * n_series);
  p.days.resize(static_cast<size_t>(n_time));
  for (int i = 0; i < n_time; ++i) p.days[i] = 17897 + i;  // from 2019-01-01
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (std::int64_t s = 0; s < n_series; ++s) {
    double* x = p.values.data() + s * n_time;
    const int k = static_cast<int>(rng() % 5);
    std::vector<int> cuts{0, n_time};
    for (int j = 0; j < k; ++j) cuts.push_back(static_cast<int>(rng() % std::max(n_time, 1)));
    std::sort(cuts.begin(), cuts.end());
    for (size_t seg = 0; seg + 1 < cuts.size(); ++seg) {
      const double level = 10.0 * unit(rng) - 5.0;
      const double scale = cost == CostKind::meanvar ? 0.2 + 2.0 * unit(rng) : 1.0;
      const double rate = 0.5 + 20.0 * unit(rng);
      std::poisson_distribution<int> pois(rate);
      for (int i = cuts[seg]; i < cuts[seg + 1]; ++i) {
        x[i] = cost == CostKind::poisson ? static_cast<double>(pois(rng))
                                         : level + scale * normal(rng) + 0.3 * std::sin(i * 0.9);
      }
    }
    for (int i = 0; i < n_time; ++i)
      if (unit(rng) < 0.02) x[i] = std::nan("");
    if (unit(rng) < 0.2) {
      const int lead = static_cast<int>(rng() % (n_time / 3 + 1));
      for (int i = 0; i < lead; ++i) x[i] = std::nan("");
    }
    if (unit(rng) < 0.2) {
      const int trail = static_cast<int>(rng() % (n_time / 3 + 1));
      for (int i = n_time - trail; i < n_time; ++i) x[i] = std::nan("");
    }
    if (s % 997 == 5)
      for (int i = 0; i < n_time; ++i) x[i] = 3.0;  // constant
    if (s % 1499 == 7)
      for (int i = 0; i < n_time; ++i) x[i] = std::nan("");  // empty
  }
  return p;
}

DetectConfig config_for(Method method, CostKind cost, int n_time) {
  DetectConfig c;
  c.method = method;
  c.cost = cost;
  c.penalty = {PenaltyKind::mbic, 0.0};  // MBIC: exercises the MbicCost wrapper
  c.max_changes = method == Method::segneigh ? 5 : 8;
  c.min_size = 2;
  if (cost == CostKind::regression) {
    c.basis.trend = true;
    c.basis.weekly = 1;
    c.basis.dummy_names = {"every_30th_day"};
    c.basis.dummies.assign(static_cast<size_t>(n_time), 0);
    for (int i = 0; i < n_time; i += 30) c.basis.dummies[static_cast<size_t>(i)] = 1;
  }
  return c;
}

// Five lengths x 2000 series = 10^4 series per method and cost; alternate panels use the
// BIC penalty, i.e. the plain cost without the MBIC wrapper.
const int kLengths[] = {9, 31, 90, 180, 300};
constexpr std::int64_t kSeriesPerLength = 2000;

using Case = std::tuple<Method, CostKind>;
// Every method with every cost, named "pelt_mean" and so on.
const auto kAllMethodsAndCosts =
    ::testing::Combine(::testing::Values(Method::op, Method::pelt, Method::segneigh, Method::binseg),
                       ::testing::Values(CostKind::mean, CostKind::meanvar, CostKind::poisson, CostKind::regression));
std::string case_name(const ::testing::TestParamInfo<Case>& param_info) {
  return std::string(to_string(std::get<0>(param_info.param))) + "_" + to_string(std::get<1>(param_info.param));
}
class CudaMatchesCpu : public ::testing::TestWithParam<Case> {};

TEST_P(CudaMatchesCpu, RandomSeriesOfMixedLengths) {
  TURNPOINT_NEED_GPU();
  const auto [method, cost] = GetParam();
  std::int64_t total = 0;
  for (size_t li = 0; li < std::size(kLengths); ++li) {
    const int n = kLengths[li];
    const Panel p = random_panel(n, kSeriesPerLength, cost, 1000u + static_cast<unsigned>(li) * 7u +
                                                               static_cast<unsigned>(cost) * 131u);
    DetectConfig c = config_for(method, cost, n);
    if (li % 2 == 1) c.penalty = {PenaltyKind::bic, 0.0};
    const DetectResult cpu = detail::detect_cpu(p.values.data(), p.n_series, n, p.days.data(), c);
    const DetectResult gpu = run_cuda(p.values, p.n_series, n, p.days, c);
    compare(cpu, gpu, std::string(to_string(method)) + "/" + to_string(cost) + " n=" + std::to_string(n));
    total += p.n_series;
  }
  EXPECT_GE(total, 10000);
}

INSTANTIATE_TEST_SUITE_P(AllMethodsAndCosts, CudaMatchesCpu, kAllMethodsAndCosts, case_name);

class CudaCropsMatchesCpu : public ::testing::TestWithParam<CostKind> {};

TEST_P(CudaCropsMatchesCpu, RandomSeriesOfMixedLengths) {
  TURNPOINT_NEED_GPU();
  const CostKind cost = GetParam();
  // The CPU reference of CROPS with the regression cost is the slowest part of the GPU run
  // (306 s of the 2-core build machine for 10^4 series): 2,000 series for that cost.
  const std::int64_t per_length = cost == CostKind::regression ? kSeriesPerLength / 5 : kSeriesPerLength;
  for (size_t li = 0; li < std::size(kLengths); ++li) {
    const int n = kLengths[li];
    const Panel p = random_panel(n, per_length, cost, 5000u + static_cast<unsigned>(li));
    DetectConfig c = config_for(Method::pelt, cost, n);
    c.crops_min = 0.5;
    c.crops_max = 60.0;
    const DetectResult cpu = detail::detect_cpu(p.values.data(), p.n_series, n, p.days.data(), c);
    const DetectResult gpu = run_cuda(p.values, p.n_series, n, p.days, c);
    compare(cpu, gpu, std::string("crops/") + to_string(cost) + " n=" + std::to_string(n));
  }
}

INSTANTIATE_TEST_SUITE_P(AllCosts, CudaCropsMatchesCpu,
                         ::testing::Values(CostKind::mean, CostKind::meanvar, CostKind::poisson,
                                           CostKind::regression),
                         [](const ::testing::TestParamInfo<CostKind>& param_info) {
                           return std::string(to_string(param_info.param));
                         });

// Every kernel instantiation (4 methods x 4 costs, with and without the MBIC term) on small
// panels, and PELT on series longer than its shared candidate store: quick enough to run
// under compute-sanitizer's memcheck (bench/gpu/run.sh runs CudaSmall.* there).
class CudaSmall : public ::testing::TestWithParam<Case> {};

TEST_P(CudaSmall, MatchesCpu) {
  TURNPOINT_NEED_GPU();
  const auto [method, cost] = GetParam();
  for (const int n : {120, 600}) {
    if (n > 120 && method != Method::pelt) continue;
    for (const bool mbic : {true, false}) {
      const Panel p = random_panel(n, 40, cost, 31u + static_cast<unsigned>(n) + (mbic ? 7u : 0u));
      DetectConfig c = config_for(method, cost, n);
      if (!mbic) c.penalty = {PenaltyKind::bic, 0.0};
      const DetectResult cpu = detail::detect_cpu(p.values.data(), p.n_series, n, p.days.data(), c);
      const DetectResult gpu = run_cuda(p.values, p.n_series, n, p.days, c);
      compare(cpu, gpu, std::string("small ") + to_string(method) + "/" + to_string(cost) +
                            (mbic ? "+mbic" : "") + " n=" + std::to_string(n));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllMethodsAndCosts, CudaSmall, kAllMethodsAndCosts, case_name);

TEST(CudaSmall, Crops) {
  TURNPOINT_NEED_GPU();
  const Panel p = random_panel(150, 24, CostKind::mean, 77u);
  DetectConfig c = config_for(Method::pelt, CostKind::mean, 150);
  c.crops_min = 1.0;
  c.crops_max = 40.0;
  const DetectResult cpu = detail::detect_cpu(p.values.data(), p.n_series, 150, p.days.data(), c);
  compare(cpu, run_cuda(p.values, p.n_series, 150, p.days, c), "small crops");
}

#if defined(TURNPOINT_HAVE_CUDA)
// detect_cuda with at most `max_chunk` series per chunk, and how many chunks it took.
DetectResult run_cuda_chunked(const Panel& p, const DetectConfig& c, std::int64_t max_chunk,
                              int* chunks) {
  detail::CudaTimings t;
  detail::CudaOptions o;
  o.max_chunk_series = max_chunk;
  DetectResult r = detail::detect_cuda_timed(p.values.data(), p.n_series, p.n_time, p.days.data(), c, &t, o);
  *chunks = t.chunks;
  return r;
}
#else
DetectResult run_cuda_chunked(const Panel&, const DetectConfig&, std::int64_t, int*) { return {}; }
#endif

// More chunks than buffer sets: the two-stream pipeline and the chunk bookkeeping (chunks are
// sized by device memory, so the test caps them; one H100 would hold the whole batch).
TEST(CudaDetect, ManyChunks) {
  TURNPOINT_NEED_GPU();
  const int n = 40;
  const Panel p = random_panel(n, 40000, CostKind::mean, 77u);
  for (Method m : {Method::pelt, Method::binseg, Method::segneigh, Method::op}) {
    DetectConfig c = config_for(m, CostKind::mean, n);
    const DetectResult cpu = detail::detect_cpu(p.values.data(), p.n_series, n, p.days.data(), c);
    int chunks = 0;
    const DetectResult gpu = run_cuda_chunked(p, c, 7000, &chunks);
    EXPECT_GE(chunks, 5) << to_string(m);
    compare(cpu, gpu, std::string("chunks/") + to_string(m));
  }
}

// The target's series length at scale: 40,000 series x 1,461 days (the real panel's four
// years), PELT and binary segmentation with the mean cost and MBIC, in three chunks.
TEST(CudaLarge, FortyThousandSeriesOfFourYears) {
  TURNPOINT_NEED_GPU();
  const int n = 1461;
  const Panel p = random_panel(n, 40000, CostKind::mean, 4242u);
  for (Method m : {Method::pelt, Method::binseg}) {
    DetectConfig c = config_for(m, CostKind::mean, n);
    const DetectResult cpu = detail::detect_cpu(p.values.data(), p.n_series, n, p.days.data(), c);
    int chunks = 0;
    const DetectResult gpu = run_cuda_chunked(p, c, 15000, &chunks);
    EXPECT_EQ(chunks, 3) << to_string(m);
    std::size_t changes = 0;
    for (const SeriesDetection& r : cpu.series) changes += r.changes.size();
    EXPECT_GT(changes, 40000u) << "the panel must have turning points to find";
    compare(cpu, gpu, std::string("40000x1461/") + to_string(m));
  }
}

TEST(CudaDetect, EmptyBatchAndBackendSelection) {
  TURNPOINT_NEED_GPU();
  const DetectConfig c;
  const std::vector<double> none;
  const std::vector<std::int32_t> days(10);
  EXPECT_TRUE(run_cuda(none, 0, 10, days, c).series.empty());
  const Panel p = random_panel(50, 3, CostKind::mean, 3u);
  const DetectResult r = detect(p.values.data(), 3, 50, p.days.data(), c, Backend::cuda);
  EXPECT_EQ(r.backend_used, Backend::cuda);
  const DetectResult a = detect(p.values.data(), 3, 50, p.days.data(), c, Backend::automatic);
  EXPECT_EQ(a.backend_used, Backend::cuda);
}

TEST(CudaDetect, BadInputIsReportedLikeOnTheCpu) {
  TURNPOINT_NEED_GPU();
  Panel p = random_panel(20, 4, CostKind::mean, 9u);
  p.values[2 * 20 + 5] = INFINITY;
  const DetectConfig c;
  try {
    run_cuda(p.values, 4, 20, p.days, c);
    FAIL() << "expected invalid_input";
  } catch (const invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("series 2"), std::string::npos) << e.what();
  }
}

// ---- the real panel --------------------------------------------------------------------


// The real panel (bench/cm_panel.hpp): $TURNPOINT_CM_PANEL, the bundle's panel file next to
// this executable, or the CSV files of ../shared/datasets/carbon_monitor_china_daily.
const bench::CmPanel& carbon_monitor_china() {
  static const bench::CmPanel p =
      bench::find_cm_panel({testing::shared_path("datasets/carbon_monitor_china_daily")});
  return p;
}

class CudaRealPanel : public ::testing::TestWithParam<Case> {};

TEST_P(CudaRealPanel, MatchesCpu) {
  TURNPOINT_NEED_GPU();
  const bench::CmPanel& p = carbon_monitor_china();
  // On a GPU machine (TURNPOINT_REQUIRE_GPU=1) the panel is part of the bundle: missing is a
  // failure there, not a skip that would let a run pass without the real data.
  if (!p.ok() && testing::gpu_required()) FAIL() << p.error;
  if (!p.ok()) GTEST_SKIP() << p.error << " (set TURNPOINT_SHARED or TURNPOINT_CM_PANEL)";
  ASSERT_EQ(p.n_series, 155);
  ASSERT_EQ(p.n_time, 1461);
  const auto [method, cost] = GetParam();
  DetectConfig c = config_for(method, cost, p.n_time);
  c.basis.dummy_names.clear();
  c.basis.dummies.clear();
  c.max_changes = method == Method::segneigh ? 5 : 10;
  const DetectResult cpu = detail::detect_cpu(p.values.data(), p.n_series, p.n_time, p.days.data(), c);
  const DetectResult gpu = run_cuda(p.values, p.n_series, p.n_time, p.days, c);
  compare(cpu, gpu, std::string("panel ") + to_string(method) + "/" + to_string(cost));
}

INSTANTIATE_TEST_SUITE_P(AllMethodsAndCosts, CudaRealPanel, kAllMethodsAndCosts, case_name);

// Runs everywhere: asking for the GPU must never crash or print, with or without a driver.
TEST(CudaDetect, UsableQueryIsSafe) {
  const bool first = testing::cuda_available();
  EXPECT_EQ(first, testing::cuda_available());
}

}  // namespace
}  // namespace turnpoint
