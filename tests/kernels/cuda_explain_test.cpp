// The CUDA twins of the explanation kernels (kernels/classify_cuda.cu,
// kernels/bootstrap_cuda.cu) against the CPU launchers, on a synthetic CM-like panel
// (datasets/explain_case.hpp: 155 series x 1,461 days, the generator's true turning points
// plus spurious ones as the change list, modelled as the explanation does), with missing
// days, per-series penalties, both penalty forms and several chunks.
// GPU tests (label gpu): they skip when no GPU is usable, and fail instead when
// TURNPOINT_REQUIRE_GPU=1. No HDF5 here, so the test runs from the portable build.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "datasets/explain_case.hpp"
#include "kernels/bootstrap_batch.hpp"
#include "kernels/classify_batch.hpp"
#include "kernels/detect.hpp"
#include "gpu_skip.hpp"

namespace turnpoint {
namespace {

// |a - b| <= 1e-9 max(|a|, |b|, 1).
[[maybe_unused]] bool close(double a, double b) {
  return std::fabs(a - b) <= 1e-9 * std::max({std::fabs(a), std::fabs(b), 1.0});
}

// Missing days on the device paths too: every 97th day of every third series.
void punch_missing(ExplainCase& c) {
  for (std::int64_t i = 0; i < c.N; i += 3)
    for (int t = 5; t < c.n; t += 97) c.y[i * c.n + t] = std::nan("");
}

// The harness itself, on every machine: the case the GPU tests compare on is rich (hundreds
// of changes, both kinds; the split test still runs with the missing days), so a GPU run
// cannot pass vacuously.
TEST(CudaExplain, CaseHasManyChangesOfBothKinds) {
  ExplainCase c = make_explain_case(77);
  EXPECT_GT(c.list.changes.size(), 300u);
  const auto seasonal = std::count(c.list.kinds.begin(), c.list.kinds.end(), kernels::kKindSeasonal);
  EXPECT_GT(seasonal, 10);
  EXPECT_GT(static_cast<long>(c.list.kinds.size()) - seasonal, 100);
  std::printf("case: %lld series x %d days, %zu changes, %ld seasonal\n",
              static_cast<long long>(c.N), c.n, c.list.changes.size(), static_cast<long>(seasonal));
  punch_missing(c);
  std::vector<kernels::SplitTest> tests;
  kernels::classify_changes_cpu(c.y.data(), c.N, c.d, c.list, 1e-3, &tests);
  for (const kernels::SplitTest& t : tests) ASSERT_TRUE(std::isfinite(t.rss_full));
}

#if defined(TURNPOINT_HAVE_CUDA)

TEST(CudaExplain, SplitTestMatchesCpu) {
  TURNPOINT_NEED_GPU();
  ExplainCase c = make_explain_case(77);
  punch_missing(c);
  ASSERT_GT(c.list.changes.size(), 300u);
  std::vector<kernels::SplitTest> cpu, gpu, chunked;
  kernels::ChangeList a = c.list, b = c.list, e = c.list;
  kernels::classify_changes_cpu(c.y.data(), c.N, c.d, a, 1e-3, &cpu);
  kernels::classify_changes_cuda(c.y.data(), c.N, c.d, b, 1e-3, &gpu);
  // Chunks of 7 series: the chunk offsets of series and changes matter.
  kernels::classify_changes_cuda(c.y.data(), c.N, c.d, e, 1e-3, &chunked, 7);
  ASSERT_EQ(gpu.size(), cpu.size());
  ASSERT_EQ(chunked.size(), cpu.size());
  int seasonal = 0;
  for (size_t j = 0; j < cpu.size(); ++j) {
    for (const auto* g : {&gpu, &chunked}) {
      const kernels::SplitTest& x = (*g)[j];
      EXPECT_EQ(cpu[j].kind, x.kind) << "change " << j;
      EXPECT_EQ(cpu[j].group, x.group) << "change " << j;
      EXPECT_EQ(cpu[j].df_level, x.df_level) << "change " << j;
      EXPECT_EQ(cpu[j].df_seasonal, x.df_seasonal) << "change " << j;
      EXPECT_TRUE(close(cpu[j].rss_none, x.rss_none)) << "change " << j;
      EXPECT_TRUE(close(cpu[j].rss_level, x.rss_level)) << "change " << j;
      EXPECT_TRUE(close(cpu[j].rss_full, x.rss_full)) << "change " << j;
    }
    EXPECT_EQ(a.kinds[j], b.kinds[j]) << "change " << j;
    EXPECT_EQ(a.kinds[j], e.kinds[j]) << "change " << j;
    seasonal += a.kinds[j] == kernels::kKindSeasonal;
  }
  EXPECT_GT(seasonal, 0);  // both kinds occur
  EXPECT_LT(seasonal, static_cast<int>(cpu.size()));
}

TEST(CudaExplain, BootstrapMatchesCpu) {
  TURNPOINT_NEED_GPU();
  ExplainCase c = make_explain_case(79);
  punch_missing(c);
  // Two of every three changes scored, as --scored leaves some out.
  c.list.score.assign(c.list.changes.size(), 1);
  for (size_t j = 1; j < c.list.score.size(); j += 3) c.list.score[j] = 0;
  std::vector<double> pen(static_cast<size_t>(c.N));
  for (std::int64_t i = 0; i < c.N; ++i) pen[i] = 55.0 + static_cast<double>(i % 7);
  for (const bool mbic : {false, true}) {
    for (const std::int64_t chunk : {std::int64_t{0}, std::int64_t{7}}) {
      kernels::BootstrapSettings s;
      s.replicates = 50;
      s.mbic = mbic;
      s.min_size = 2;
      s.max_chunk_series = chunk;
      std::vector<kernels::ChangeScore> cpu, gpu;
      kernels::bootstrap_changes_cpu(c.y.data(), c.N, c.d, c.list, pen.data(), s, cpu);
      kernels::bootstrap_changes_cuda(c.y.data(), c.N, c.d, c.list, pen.data(), s, gpu);
      ASSERT_EQ(gpu.size(), cpu.size());
      // The CPU factors each window once and the GPU refits it: equal up to rounding, so a
      // replicate's best day can differ only where two days tie to rounding. Allow a
      // handful of changes to differ by one replicate, none by more.
      int differ = 0, confident = 0;
      for (size_t j = 0; j < cpu.size(); ++j) {
        if (!c.list.score[j]) {
          EXPECT_TRUE(std::isnan(gpu[j].confidence)) << "change " << j;
          continue;
        }
        const double d = std::fabs(cpu[j].confidence - gpu[j].confidence);
        EXPECT_LE(d, 1.0 / s.replicates + 1e-12)
            << "change " << j << " mbic " << mbic << " chunk " << chunk;
        differ += d > 0.0 || cpu[j].ci_lo != gpu[j].ci_lo || cpu[j].ci_hi != gpu[j].ci_hi;
        confident += cpu[j].confidence >= 0.9;
      }
      EXPECT_LE(differ, static_cast<int>(cpu.size() / 100) + 1)
          << "mbic " << mbic << " chunk " << chunk;
      EXPECT_GT(confident, 20);  // not vacuous: many true changes are re-found
    }
  }
}

#else

TEST(CudaExplain, SplitTestMatchesCpu) { TURNPOINT_NEED_GPU(); }
TEST(CudaExplain, BootstrapMatchesCpu) { TURNPOINT_NEED_GPU(); }

#endif

}  // namespace
}  // namespace turnpoint
