// The stages both explanation models share (host/explain/explain_stages.hpp), one by one:
// the robust scale, the relative step, the ranking, the panel's names and the settings
// recorded in /config (model_scale: ExplainStages.ModelScale* in explain_pattern_test.cpp).
// Expected values are worked by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "host/explain/explain_stages.hpp"

namespace turnpoint {
namespace {

TEST(ExplainStages, RelativeStepAndRanking) {
  EXPECT_NEAR(explain::relative_step(std::log(0.5), 3.0, true), -0.5, 1e-15);
  EXPECT_NEAR(explain::relative_step(-1.0, 4.0, false), -0.25, 1e-15);
  EXPECT_TRUE(std::isnan(explain::relative_step(1.0, 0.0, false)));
  std::vector<TurningPoint> pts(3);
  pts[0].index = 10; pts[0].confidence = 0.6; pts[0].gain = 5;
  pts[1].index = 20; pts[1].confidence = 0.9; pts[1].gain = 1;
  pts[2].index = 30; pts[2].confidence = 0.6; pts[2].gain = 9;
  const auto kept = explain::rank_and_keep(pts, 2);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].index, 20);  // by day
  EXPECT_EQ(kept[0].rank, 1);
  EXPECT_EQ(kept[1].index, 30);  // 0.6 with the larger gain
  EXPECT_EQ(kept[1].rank, 2);
}

TEST(ExplainStages, RobustScaleIsTheMadOfTheValuesItHas) {
  // 1..5 (and a missing day): median 3, absolute deviations 2 1 0 1 2, MAD 1.
  const std::vector<double> y = {1.0, 2.0, std::nan(""), 3.0, 4.0, 5.0};
  EXPECT_NEAR(explain::robust_scale(y.data(), 6), 1.0 / 0.6744897501960817, 1e-12);
  // The same series times 1e-300 or 1e300: the same scale times the factor, no overflow.
  std::vector<double> tiny(y), huge(y);
  for (double& v : tiny) v *= 1e-300;
  for (double& v : huge) v *= 1e300;
  EXPECT_NEAR(explain::robust_scale(tiny.data(), 6) / 1e-300, 1.0 / 0.6744897501960817, 1e-9);
  EXPECT_NEAR(explain::robust_scale(huge.data(), 6) / 1e300, 1.0 / 0.6744897501960817, 1e-9);
  // No spread at all: the largest absolute value; nothing or all zero: 1.
  const std::vector<double> constant = {-3.0, -3.0, -3.0}, zeros = {0.0, 0.0},
                            missing = {std::nan(""), std::nan("")};
  EXPECT_EQ(explain::robust_scale(constant.data(), 3), 3.0);
  EXPECT_EQ(explain::robust_scale(zeros.data(), 2), 1.0);
  EXPECT_EQ(explain::robust_scale(missing.data(), 2), 1.0);
  EXPECT_EQ(explain::robust_scale(nullptr, 0), 1.0);
}

TEST(ExplainStages, DescribePanelFillsOnlyWhatIsEmpty) {
  Panel p;
  p.time = {10, 11};
  p.region = {"Hubei"};
  p.sector = {"Power"};
  p.series_id = {"Hubei/Power"};
  p.units = "Mt CO2/day";
  DetectionSet set;
  set.units = "kept";
  explain::describe_panel(p, set);
  EXPECT_EQ(set.time, p.time);
  EXPECT_EQ(set.region, p.region);
  EXPECT_EQ(set.sector, p.sector);
  EXPECT_EQ(set.series_id, p.series_id);
  EXPECT_EQ(set.units, "kept");
}

TEST(ExplainStages, SettingsJsonRecordsTheModelsOwnSettings) {
  ExplainOptions o;
  const nlohmann::json pattern = explain::explain_settings_json(o);
  EXPECT_EQ(pattern.at("model"), "pattern");
  EXPECT_EQ(pattern.at("holidays"), "china");
  EXPECT_EQ(pattern.at("pattern_yearly"), o.pattern_yearly);
  EXPECT_EQ(pattern.at("max_points"), o.max_points);
  EXPECT_FALSE(pattern.contains("bootstrap"));  // the segments model's
  o.model = ExplainModel::segments;
  o.calibrate = false;
  o.holidays = HolidayCalendar::file;
  o.holiday_file = "my_holidays.csv";
  const nlohmann::json segments = explain::explain_settings_json(o);
  EXPECT_EQ(segments.at("model"), "segments");
  EXPECT_EQ(segments.at("holidays"), "my_holidays.csv");
  EXPECT_EQ(segments.at("calibration"), "none (raw score)");
  EXPECT_EQ(segments.at("bootstrap"), o.replicates);
  EXPECT_FALSE(segments.contains("pattern_yearly"));  // the pattern model's
}

}  // namespace
}  // namespace turnpoint
