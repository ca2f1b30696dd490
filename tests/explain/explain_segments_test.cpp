// The segments model's stages (host/explain/explain_segments.hpp), one by one, on small
// hand-made inputs: the festival profile, the noise scales, the standardised series, the
// change list and the choice of the changes the bootstrap scores. The whole model's
// acceptance on generator panels is tests/explain/explain_test.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "host/core/calendar.hpp"
#include "host/explain/explain_segments.hpp"
#include "host/explain/holidays.hpp"

namespace turnpoint {
namespace {

// One series of `days` days from 2018-01-01 (four Spring Festivals when days >= 1461).
Panel daily_panel(int days) {
  Panel p;
  for (int d = 0; d < days; ++d) p.time.push_back(days_from_civil(2018, 1, 1) + d);
  p.region = {"Hubei"};
  p.sector = {"Power"};
  p.series_id = {"Hubei/Power"};
  p.values.assign(static_cast<std::size_t>(days), 10.0);
  return p;
}

DetectConfig intercept_only() {
  DetectConfig c;
  c.basis.trend = false;
  return c;
}

TEST(ExplainSegments, FestivalProfileRemovesTheDipEveryYearShares) {
  Panel p = daily_panel(1461);
  std::vector<int> new_years;
  for (int y = 2018; y <= 2021; ++y) new_years.push_back(chinese_new_year(y) - p.time.front());
  for (const int ny : new_years)
    for (int k = 0; k < 5; ++k) p.values[static_cast<std::size_t>(ny + k)] -= 3.0;
  const kernels::DesignMatrix design = explain::segments_design(p, intercept_only());
  ExplainOptions o;
  std::vector<double> v = p.values;
  explain::remove_festival_profile(v, p, design, o);
  // Every year has the same dip, so the median profile is the whole residual: inside the
  // window (New Year - 10 .. + 27) every day is left at the fitted level, the dip's days too.
  for (const int ny : new_years) {
    const auto at = [&](int k) { return v[static_cast<std::size_t>(ny + k)]; };
    EXPECT_NEAR(at(2), at(20), 1e-9) << ny;
    EXPECT_NEAR(at(2), at(-10), 1e-9) << ny;
    EXPECT_NEAR(at(2), 10.0 - 3.0 * 20.0 / 1461.0, 1e-9) << ny;  // the intercept: the mean
    EXPECT_EQ(at(100), 10.0) << ny;  // outside the window: as it was
  }
  // Nothing to do: the profile off, another calendar, or an axis with a gap.
  for (int c = 0; c < 3; ++c) {
    ExplainOptions off;
    Panel q = p;
    if (c == 0) off.festival_profile = false;
    if (c == 1) off.holidays = HolidayCalendar::none;
    if (c == 2) q.time.back() += 1;
    std::vector<double> same = q.values;
    explain::remove_festival_profile(same, q, explain::segments_design(q, intercept_only()), off);
    EXPECT_EQ(same, q.values) << "case " << c;
  }
}

TEST(ExplainSegments, NoiseScalesFollowTheUnitsOfTheSeries) {
  Panel p = daily_panel(400);
  std::mt19937_64 rng(7);
  std::normal_distribution<double> noise(0.0, 0.5);
  for (double& v : p.values) v += noise(rng);
  const kernels::DesignMatrix design = explain::segments_design(p, DetectConfig{});
  const ExplainOptions o;
  const explain::NoiseScales s = explain::noise_scales(p.values, 1, design, o);
  ASSERT_EQ(s.sigma.size(), 1u);
  EXPECT_GT(s.sigma[0], 0.3);  // about the noise's 0.5
  EXPECT_LT(s.sigma[0], 0.8);
  std::vector<double> scaled = p.values;
  for (double& v : scaled) v *= 1000.0;
  const explain::NoiseScales t = explain::noise_scales(scaled, 1, design, o);
  EXPECT_NEAR(t.sigma[0], 1000.0 * s.sigma[0], 1e-9 * t.sigma[0]);
  EXPECT_NEAR(t.batch_sd[0], 1000.0 * s.batch_sd[0], 1e-9 * t.batch_sd[0]);
}

TEST(ExplainSegments, StandardiseDividesEachSeriesByItsSigma) {
  const std::vector<double> values = {2.0, 4.0, 6.0, -1.0, 0.0, 1.0};
  const std::vector<double> out = explain::standardise(values, {2.0, 0.0}, 3);
  EXPECT_EQ(out, (std::vector<double>{1.0, 2.0, 3.0, -1.0, 0.0, 1.0}));  // sigma 0: as it is
}

DetectResult detection(const std::vector<std::vector<double>>& gains) {
  DetectResult det;
  for (const auto& g : gains) {
    SeriesDetection s;
    for (std::size_t j = 0; j < g.size(); ++j) s.changes.push_back(10 * static_cast<int>(j + 1));
    s.gains = g;
    det.series.push_back(s);
  }
  return det;
}

TEST(ExplainSegments, ChangeListConcatenatesTheSeries) {
  const kernels::ChangeList list = explain::change_list(detection({{1.0, 2.0}, {}, {3.0}}));
  EXPECT_EQ(list.offsets, (std::vector<std::int64_t>{0, 2, 2, 3}));
  EXPECT_EQ(list.changes, (std::vector<int>{10, 20, 10}));
  EXPECT_TRUE(list.score.empty());
}

TEST(ExplainSegments, SelectScoredKeepsTheLargestGainsPerSeries) {
  const DetectResult det = detection({{5.0, 1.0, 5.0, 3.0}, {2.0}, {4.0, 4.0, 4.0}});
  kernels::ChangeList list = explain::change_list(det);
  explain::select_scored(det, 0, list);
  EXPECT_TRUE(list.score.empty());  // 0 = all
  explain::select_scored(det, 2, list);
  // The two 5s; the only change of a short series; ties kept in order up to the count.
  EXPECT_EQ(list.score, (std::vector<std::uint8_t>{1, 0, 1, 0, 1, 1, 1, 0}));
}

}  // namespace
}  // namespace turnpoint
