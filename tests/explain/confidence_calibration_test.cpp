// The calibration map's shape (host/explain/confidence_calibration.hpp): whatever the fitted data,
// the confidence is a probability, non-decreasing in the bootstrap stability within each
// map, and its choice of map follows the point's kind and step z. Whether the numbers are
// calibrated is checked on held-out panels in explain_test.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "host/explain/confidence_calibration.hpp"

namespace turnpoint {
namespace {

const double kZs[] = {0.0, 2.0, 4.0, 5.0, 6.0, 8.0, 10.0, 50.0, HUGE_VAL};

TEST(ConfidenceCalibration, ProbabilitiesNonDecreasingInStability) {
  for (const TurnKind kind : {TurnKind::event, TurnKind::seasonal})
    for (const double z : {std::nan(""), 0.0, 4.0, 6.0, 10.0, 50.0}) {
      double last = -1.0;
      for (int k = 0; k <= 200; ++k) {
        const double c = calibrated_confidence(k / 200.0, kind, z);
        ASSERT_GE(c, 0.0);
        ASSERT_LE(c, 1.0);
        EXPECT_GE(c, last) << "stability " << k / 200.0 << ", z " << z;
        last = c;
      }
    }
}

// A point found in every replicate that moves the level by more relative to the series'
// month-to-month wandering is more likely true (what the fit found, 0.17 -> 0.97); a
// refit that broke this would make the reported ranking meaningless.
TEST(ConfidenceCalibration, StableEventsMoreLikelyTrueWithLargerSteps) {
  double last = -1.0;
  for (const double z : kZs) {
    const double c = calibrated_confidence(1.0, TurnKind::event, z);
    EXPECT_GE(c, last) << "z " << z;
    last = c;
  }
  EXPECT_LT(calibrated_confidence(1.0, TurnKind::event, 1.0), 0.5);
  EXPECT_GT(calibrated_confidence(1.0, TurnKind::event, 20.0), 0.9);
}

TEST(ConfidenceCalibration, SeasonalPointsIgnoreTheLevelStep) {
  for (const double z : kZs)
    EXPECT_EQ(calibrated_confidence(1.0, TurnKind::seasonal, z),
              calibrated_confidence(1.0, TurnKind::seasonal, std::nan("")));
}

TEST(ConfidenceCalibration, NotComputedStaysNotComputed) {
  EXPECT_TRUE(std::isnan(calibrated_confidence(std::nan(""), TurnKind::event, 3.0)));
  EXPECT_NE(std::string(calibration_source(ExplainModel::segments)).find("step-z"), std::string::npos);
}

}  // namespace
}  // namespace turnpoint
