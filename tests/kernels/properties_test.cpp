// The metamorphic properties of tests/kernels/properties.hpp on the CPU backend, over
// thousands of random panels and settings (seconds in all), and the numerical range
// (docs/reliability.md): a series with a clear level shift keeps its turning point when
// multiplied by 10^k, |k| <= 300, or is refused with its name; never a silent "no change".
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <omp.h>

#include "kernels/detect.hpp"
#include "kernels/error.hpp"
#include "kernels/series_prep.hpp"
#include "tests/kernels/properties.hpp"

namespace tp = turnpoint::testing::props;
using namespace turnpoint;

namespace {

constexpr Backend kCpu = Backend::cpu;

// One OpenMP thread, except where the thread count is the property: thousands of tiny
// panels would spend their time waking threads (and the machine's cores are shared).
class Properties : public ::testing::Test {
 protected:
  void SetUp() override {
    threads_ = omp_get_max_threads();
    omp_set_num_threads(1);
  }
  void TearDown() override { omp_set_num_threads(threads_); }
  int threads_ = 1;
};

TEST_F(Properties, NanPaddingShiftsTurningPointsOnly) { EXPECT_EQ(tp::padding_property(1500, 1000000, kCpu), 1500); }
TEST_F(Properties, SeriesOrderDoesNotMatter) { EXPECT_EQ(tp::order_property(1000, 2000000, kCpu), 1000); }
TEST_F(Properties, ThreadCountDoesNotMatter) { EXPECT_EQ(tp::threads_property(150, 3000000, kCpu), 150); }
TEST_F(Properties, PanelEqualsSeriesAlone) { EXPECT_EQ(tp::panel_property(1000, 4000000, kCpu), 1000); }
TEST_F(Properties, PowersOfTwoChangeNothing) { EXPECT_GE(tp::power_of_two_scale_property(1500, 5000000, kCpu), 1000); }
TEST_F(Properties, ScaleAndShiftGiveTheSameTurningPoints) { EXPECT_GE(tp::affine_property(2000, 6000000, kCpu), 1200); }
TEST_F(Properties, TimeReversalMirrorsSymmetricCosts) { EXPECT_EQ(tp::reversal_property(1500, 7000000, kCpu), 1500); }
TEST_F(Properties, AnExtraDayAtTheSegmentMeanMovesNothing) { EXPECT_EQ(tp::extra_day_property(1000, 8000000, kCpu), 1000); }

// The CUDA backend's way with ragged panels (one batch per span) gives the CPU's answers:
// checked here with the CPU backend standing in for CUDA.
TEST_F(Properties, DetectBySpanEqualsPerSeriesTrimming) {
  for (int k = 0; k < 400; ++k) {
    tp::RandomCase rc = tp::random_case(9000000 + k);
    std::mt19937_64 rng(k);
    for (int s = 0; s < rc.panel.n_series; ++s) {  // ragged: pad each series differently
      double* x = rc.panel.values.data() + static_cast<size_t>(s) * rc.panel.n_time;
      const int lead = static_cast<int>(rng() % 4), trail = static_cast<int>(rng() % 4);
      for (int i = 0; i < lead && i < rc.panel.n_time; ++i) x[i] = std::nan("");
      for (int i = 0; i < trail && i < rc.panel.n_time; ++i) x[rc.panel.n_time - 1 - i] = std::nan("");
    }
    const DetectResult a = tp::run(rc.panel, rc.config, kCpu);
    const DetectResult b = detail::detect_by_span(rc.panel.values.data(), rc.panel.n_series, rc.panel.n_time,
                                                  rc.panel.days.data(), rc.config, detail::detect_cpu);
    for (int s = 0; s < rc.panel.n_series; ++s)
      EXPECT_TRUE(tp::identical(a.series[static_cast<size_t>(s)], b.series[static_cast<size_t>(s)]))
          << rc.what << " series " << s;
  }
}

// ---- the numerical range ------------------------------------------------------------------

class NumericalRange : public Properties {};

std::vector<double> level_shift(int n, int at, double step, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0.0, 0.1);
  std::vector<double> x(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) x[i] = 1.0 + (i >= at ? step : 0.0) + noise(rng);
  return x;
}

DetectResult detect_one(const std::vector<double>& x, DetectConfig c) {
  std::vector<std::int32_t> days(x.size());
  for (size_t i = 0; i < x.size(); ++i) days[i] = 18000 + static_cast<std::int32_t>(i);
  return detect(x.data(), 1, static_cast<int>(x.size()), days.data(), c, kCpu);
}

// The probe: a clear level shift times 1e200 or 1e-200 (and every 10^k, |k| <= 300)
// gives the same turning point with every scale-free cost and method, never a silent none.
TEST_F(NumericalRange, LevelShiftSurvivesAnyPowerOfTen) {
  const std::vector<double> base = level_shift(80, 50, 2.0, 1);
  for (Method m : {Method::op, Method::pelt, Method::segneigh, Method::binseg})
    for (CostKind c : {CostKind::mean, CostKind::meanvar, CostKind::regression}) {
      DetectConfig cfg;
      cfg.method = m;
      cfg.cost = c;
      cfg.max_changes = 3;
      const std::vector<int> want = detect_one(base, cfg).series[0].changes;
      ASSERT_EQ(want, std::vector<int>{50}) << to_string(m) << " " << to_string(c);
      for (int k = -300; k <= 300; k += 10) {
        std::vector<double> x = base;
        for (double& v : x) v *= std::pow(10.0, k);
        EXPECT_EQ(detect_one(x, cfg).series[0].changes, want) << to_string(m) << " " << to_string(c) << " 1e" << k;
      }
      std::vector<double> x = base;
      for (double& v : x) v += 1e6;  // a level far above the step
      EXPECT_EQ(detect_one(x, cfg).series[0].changes, want) << to_string(m) << " " << to_string(c) << " + 1e6";
    }
}

std::string error_of(const std::vector<double>& x, DetectConfig c) {
  try {
    detect_one(x, c);
  } catch (const invalid_input& e) {
    return e.what();
  }
  return "";
}

// Where the answer depends on the units (--noise none), a sum of squares outside the double
// range is refused with the series named, not answered with "no change".
TEST_F(NumericalRange, NoiseNoneOutsideTheDoubleRangeIsRefused) {
  DetectConfig cfg;
  cfg.noise = NoiseScale::none;
  for (double f : {1e200, 1e-200}) {
    std::vector<double> x = level_shift(80, 50, 2.0, 2);
    for (double& v : x) v *= f;
    const std::string e = error_of(x, cfg);
    EXPECT_EQ(e.rfind("series 0: with --noise none", 0), 0u) << f << ": " << e;
    EXPECT_NE(e.find("--noise mad"), std::string::npos) << e;
  }
  std::vector<double> x = level_shift(80, 50, 2.0, 2);
  for (double& v : x) v *= 1e100;  // inside the range: answered (units as given)
  EXPECT_EQ(error_of(x, cfg), "");
}

// Noise 1e-200 times the level shift cannot be represented next to it: refused.
TEST_F(NumericalRange, NoiseBelowTheRangeOfTheSeriesIsRefused) {
  std::vector<double> x(60);
  for (int i = 0; i < 60; ++i) x[i] = (i >= 30 ? 1e150 : 0.0) + (i % 2 ? 1e-150 : -1e-150);
  for (CostKind c : {CostKind::mean, CostKind::meanvar, CostKind::regression}) {
    DetectConfig cfg;
    cfg.cost = c;
    const std::string e = error_of(x, cfg);
    EXPECT_EQ(e.rfind("series 0: its noise", 0), 0u) << to_string(c) << ": " << e;
  }
}

TEST_F(NumericalRange, PoissonSumsBeyond1e300AreRefused) {
  std::vector<double> x = level_shift(80, 50, 2.0, 3);
  for (double& v : x) v *= 1e300;
  DetectConfig cfg;
  cfg.cost = CostKind::poisson;
  const std::string e = error_of(x, cfg);
  EXPECT_EQ(e.rfind("series 0: its values sum", 0), 0u) << e;
  for (double& v : x) v *= 1e-290;  // 1e10: fine
  EXPECT_EQ(error_of(x, cfg), "");
}

TEST_F(NumericalRange, ExtremeButRepresentableValuesAreSegmented) {
  // Values at the edges of the double range, and subnormal steps scaled back up.
  for (double f : {1e307, 1e-307, 1e-300}) {
    std::vector<double> x = level_shift(60, 20, 3.0, 4);
    for (double& v : x) v *= f;
    DetectConfig cfg;
    EXPECT_EQ(detect_one(x, cfg).series[0].changes, std::vector<int>{20}) << f;
  }
}

// A non-finite statistic inside a cost is an error naming the series and the day.
TEST_F(NumericalRange, NonFiniteSumsAreNamedWithSeriesAndDay) {
  const int n = 5;
  std::vector<double> hi(3 * (n + 1), 0.0), lo(hi.size(), 0.0);
  for (int i = 3; i <= n; ++i) hi[2 * (n + 1) + i] = std::numeric_limits<double>::infinity();
  try {
    kernels::check_prefix_finite(hi.data(), lo.data(), 3, n, "7", 10);
    FAIL() << "expected invalid_input";
  } catch (const invalid_input& e) {
    EXPECT_EQ(std::string(e.what()).rfind("series 7: day 12:", 0), 0u) << e.what();
  }
  SeriesDetection r;
  r.changes = {4, 9};
  r.gains = {1.0, std::nan("")};
  kernels::SeriesPrep prep;
  try {
    kernels::finish_series(prep, "3", r);
    FAIL() << "expected invalid_input";
  } catch (const invalid_input& e) {
    EXPECT_EQ(std::string(e.what()).rfind("series 3: day 9:", 0), 0u) << e.what();
  }
}

}  // namespace
