// The metamorphic properties of tests/kernels/properties.hpp on the CUDA backend (label gpu:
// skipped without a usable GPU, failed with TURNPOINT_REQUIRE_GPU=1), and the CUDA answers
// on ragged panels (series padded with missing days, run one span at a time) against the
// CPU's, bit for bit where the costs need no device log() (kernels/detect_cuda.cu).
#include <gtest/gtest.h>

#include "tests/kernels/gpu_skip.hpp"
#include "tests/kernels/properties.hpp"

namespace tp = turnpoint::testing::props;
using namespace turnpoint;

namespace {

constexpr Backend kCuda = Backend::cuda;

TEST(CudaProperties, NanPaddingShiftsTurningPointsOnly) {
  TURNPOINT_NEED_GPU();
  EXPECT_EQ(tp::padding_property(300, 1000000, kCuda), 300);
}
TEST(CudaProperties, SeriesOrderDoesNotMatter) {
  TURNPOINT_NEED_GPU();
  EXPECT_EQ(tp::order_property(200, 2000000, kCuda), 200);
}
TEST(CudaProperties, PanelEqualsSeriesAlone) {
  TURNPOINT_NEED_GPU();
  EXPECT_EQ(tp::panel_property(200, 4000000, kCuda), 200);
}
TEST(CudaProperties, PowersOfTwoChangeNothing) {
  TURNPOINT_NEED_GPU();
  EXPECT_GE(tp::power_of_two_scale_property(300, 5000000, kCuda), 200);
}
TEST(CudaProperties, ScaleAndShiftGiveTheSameTurningPoints) {
  TURNPOINT_NEED_GPU();
  EXPECT_GE(tp::affine_property(400, 6000000, kCuda), 240);
}
TEST(CudaProperties, TimeReversalMirrorsSymmetricCosts) {
  TURNPOINT_NEED_GPU();
  EXPECT_EQ(tp::reversal_property(300, 7000000, kCuda), 300);
}
TEST(CudaProperties, AnExtraDayAtTheSegmentMeanMovesNothing) {
  TURNPOINT_NEED_GPU();
  EXPECT_EQ(tp::extra_day_property(200, 8000000, kCuda), 200);
}

// Ragged panels: the CUDA answers equal the CPU's for the costs computed with the same
// roundings on both (mean, regression; kernels/detect_cuda.cu).
TEST(CudaProperties, RaggedPanelsGiveTheCpuAnswers) {
  TURNPOINT_NEED_GPU();
  for (int k = 0; k < 300; ++k) {
    tp::RandomCase rc = tp::random_case(9100000 + k);
    if (rc.config.cost == CostKind::meanvar || rc.config.cost == CostKind::poisson) continue;
    std::mt19937_64 rng(k);
    for (int s = 0; s < rc.panel.n_series; ++s) {
      double* x = rc.panel.values.data() + static_cast<size_t>(s) * rc.panel.n_time;
      const int lead = static_cast<int>(rng() % 6);
      for (int i = 0; i < lead && i < rc.panel.n_time; ++i) x[i] = std::nan("");
    }
    const DetectResult a = tp::run(rc.panel, rc.config, Backend::cpu);
    const DetectResult b = tp::run(rc.panel, rc.config, kCuda);
    for (int s = 0; s < rc.panel.n_series; ++s)
      EXPECT_EQ(a.series[static_cast<size_t>(s)].changes, b.series[static_cast<size_t>(s)].changes)
          << rc.what << " series " << s;
  }
}

}  // namespace
