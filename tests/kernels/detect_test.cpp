// The batched engine API (turnpoint::detect): edge cases every method and cost must
// survive, CROPS, penalties, and panel-level behaviour (parallel over series).
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "kernels/error.hpp"
#include "kernels/detect.hpp"

using namespace turnpoint;

namespace {

const Method kMethods[] = {Method::op, Method::pelt, Method::segneigh, Method::binseg};
const CostKind kCosts[] = {CostKind::mean, CostKind::meanvar, CostKind::poisson, CostKind::regression};

std::vector<std::int32_t> day_axis(int n) {
  std::vector<std::int32_t> d(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) d[i] = 17897 + i;  // 2019-01-01
  return d;
}

DetectResult run(const std::vector<double>& x, Method m, CostKind c, int min_size = 2,
                 Penalty pen = {PenaltyKind::mbic, 0.0}) {
  DetectConfig cfg;
  cfg.method = m;
  cfg.cost = c;
  cfg.min_size = min_size;
  cfg.penalty = pen;
  cfg.max_changes = 5;
  const auto days = day_axis(static_cast<int>(x.size()));
  return detect(x.data(), 1, static_cast<int>(x.size()), days.data(), cfg, Backend::cpu);
}

}  // namespace

TEST(Detect, EdgeCasesGiveNoChangeAndNoError) {
  const double nan = std::nan("");
  struct Edge {
    const char* name;
    std::vector<double> x;
    SeriesStatus status;
  };
  const std::vector<Edge> edges = {
      {"length 1", {1.0}, SeriesStatus::constant},
      {"length 2", {1.0, 2.0}, SeriesStatus::ok},
      {"constant", std::vector<double>(50, 3.25), SeriesStatus::constant},
      {"all zero", std::vector<double>(1461, 0.0), SeriesStatus::constant},
      {"all missing", std::vector<double>(30, nan), SeriesStatus::empty},
      {"empty", {}, SeriesStatus::empty},
  };
  for (const auto& e : edges)
    for (Method m : kMethods)
      for (CostKind c : kCosts) {
        const DetectResult r = run(e.x, m, c);
        ASSERT_EQ(r.series.size(), 1u);
        EXPECT_EQ(r.series[0].status, e.status) << e.name << " " << to_string(m) << " " << to_string(c);
        EXPECT_TRUE(r.series[0].changes.empty()) << e.name << " " << to_string(m) << " " << to_string(c);
      }
}

TEST(Detect, MinSizeLargerThanSeriesGivesNoChange) {
  std::vector<double> x = {1, 1, 1, 9, 9, 9, 1, 1};
  for (Method m : kMethods)
    for (CostKind c : kCosts) {
      const DetectResult r = run(x, m, c, /*min_size=*/20, {PenaltyKind::manual, 0.0});
      EXPECT_TRUE(r.series[0].changes.empty()) << to_string(m) << " " << to_string(c);
    }
}

TEST(Detect, NanRunsAreSkippedNotFilled) {
  // A clear level shift at day 60 with a 20-day gap straddling nothing and a gap
  // just before the shift: the change must be found at the first day of the new level.
  std::mt19937_64 rng(11);
  std::normal_distribution<double> noise(0.0, 0.1);
  std::vector<double> x(120);
  for (int i = 0; i < 120; ++i) x[i] = (i < 60 ? 1.0 : 3.0) + noise(rng);
  for (int i = 20; i < 40; ++i) x[i] = std::nan("");
  for (int i = 55; i < 60; ++i) x[i] = std::nan("");
  for (Method m : kMethods) {
    const DetectResult r = run(x, m, CostKind::mean);
    ASSERT_FALSE(r.series[0].changes.empty()) << to_string(m);
    // The change lies anywhere in the gap [55, 60] (all equally good): the solvers take
    // the earliest admissible split (ties to the smallest index) for OP/PELT/segneigh.
    const int c = r.series[0].changes.front();
    EXPECT_GE(c, 55) << to_string(m);
    EXPECT_LE(c, 60) << to_string(m);
    EXPECT_EQ(r.series[0].n_valid, 120 - 25);
  }
}

TEST(Detect, FindsAnObviousShiftWithEveryMethodAndCost) {
  std::mt19937_64 rng(12);
  std::normal_distribution<double> noise(0.0, 0.05);
  std::vector<double> x(400);
  for (int i = 0; i < 400; ++i) x[i] = (i < 250 ? 1.0 : 2.0) + noise(rng);
  for (Method m : kMethods)
    for (CostKind c : kCosts) {
      const DetectResult r = run(x, m, c);
      ASSERT_EQ(r.series[0].status, SeriesStatus::ok);
      ASSERT_FALSE(r.series[0].changes.empty()) << to_string(m) << " " << to_string(c);
      bool found = false;
      for (int t : r.series[0].changes) found |= t == 250;
      EXPECT_TRUE(found) << to_string(m) << " " << to_string(c);
      EXPECT_EQ(r.series[0].gains.size(), r.series[0].changes.size());
      for (double g : r.series[0].gains) EXPECT_GT(g, 0.0);
    }
}

TEST(Detect, PanelResultsEqualSeriesBySeriesResults) {
  std::mt19937_64 rng(13);
  std::normal_distribution<double> noise(0.0, 1.0);
  const int n_series = 37, n = 300;
  std::vector<double> panel(static_cast<size_t>(n_series) * n);
  for (int s = 0; s < n_series; ++s) {
    double level = 0.0;
    for (int i = 0; i < n; ++i) {
      if (i % 70 == 0) level = 3.0 * noise(rng);
      panel[s * n + i] = level + noise(rng);
    }
  }
  const auto days = day_axis(n);
  DetectConfig cfg;
  const DetectResult all = detect(panel.data(), n_series, n, days.data(), cfg, Backend::cpu);
  for (int s = 0; s < n_series; ++s) {
    const DetectResult one = detect(panel.data() + s * n, 1, n, days.data(), cfg, Backend::cpu);
    EXPECT_EQ(all.series[s].changes, one.series[0].changes) << "series " << s;
  }
}

TEST(Detect, SegmentNeighbourhoodPathAndPenaltySelection) {
  std::mt19937_64 rng(14);
  std::normal_distribution<double> noise(0.0, 0.2);
  std::vector<double> x(200);
  for (int i = 0; i < 200; ++i) x[i] = (i < 50 ? 0.0 : i < 120 ? 2.0 : -1.0) + noise(rng);
  const DetectResult r = run(x, Method::segneigh, CostKind::mean);
  const auto& s = r.series[0];
  ASSERT_EQ(s.path.size(), 6u);  // K = 0..5
  for (size_t k = 0; k < s.path.size(); ++k) EXPECT_EQ(s.path[k].size(), k);
  for (size_t k = 1; k < s.path_cost.size(); ++k) EXPECT_LE(s.path_cost[k], s.path_cost[k - 1]);
  EXPECT_EQ(s.changes, (std::vector<int>{50, 120}));
  // The penalised choice over K equals PELT's answer for the same penalty.
  const DetectResult p = run(x, Method::pelt, CostKind::mean);
  EXPECT_EQ(p.series[0].changes, s.changes);
}

TEST(Detect, CropsSegmentationsAreOptimalInsideTheirPenaltyIntervals) {
  std::mt19937_64 rng(15);
  std::normal_distribution<double> noise(0.0, 1.0);
  std::vector<double> x(300);
  for (int i = 0; i < 300; ++i) x[i] = (i / 40 % 2 ? 1.5 : 0.0) + (i > 200 ? 0.7 : 0.0) + noise(rng);
  DetectConfig cfg;
  cfg.cost = CostKind::mean;
  cfg.noise = NoiseScale::none;
  cfg.crops_min = 1.0;
  cfg.crops_max = 60.0;
  const auto days = day_axis(300);
  const DetectResult r = detect(x.data(), 1, 300, days.data(), cfg, Backend::cpu);
  const auto& crops = r.series[0].crops;
  ASSERT_GE(crops.size(), 3u);
  for (size_t i = 0; i < crops.size(); ++i) {
    const auto& c = crops[i];
    EXPECT_LE(c.pen_lo, c.pen_hi);
    if (i + 1 < crops.size()) { EXPECT_GT(c.changes.size(), crops[i + 1].changes.size()); }
    // PELT at the middle of the interval returns this segmentation.
    DetectConfig one;
    one.noise = NoiseScale::none;
    one.penalty = {PenaltyKind::manual, 0.5 * (c.pen_lo + c.pen_hi)};
    const DetectResult p = detect(x.data(), 1, 300, days.data(), one, Backend::cpu);
    EXPECT_EQ(p.series[0].changes, c.changes) << "CROPS entry " << i;
  }
  // A dense penalty grid finds no segmentation CROPS missed.
  for (double pen = 1.0; pen <= 60.0; pen += 0.25) {
    DetectConfig one;
    one.noise = NoiseScale::none;
    one.penalty = {PenaltyKind::manual, pen};
    const DetectResult p = detect(x.data(), 1, 300, days.data(), one, Backend::cpu);
    bool listed = false;
    for (const auto& c : crops) listed |= c.changes == p.series[0].changes;
    EXPECT_TRUE(listed) << "penalty " << pen << " gives a segmentation CROPS did not list";
  }
}

TEST(Detect, PenaltiesFollowRChangepoint) {
  // R changepoint >= 2.2: BIC (d+1) log n, MBIC (d+2) log n, AIC 2(d+1), HQ 2(d+1) log log n
  const int n = 1461;
  EXPECT_DOUBLE_EQ(penalty_value({PenaltyKind::bic, 0}, n, 1), 2 * std::log(1461.0));
  EXPECT_DOUBLE_EQ(penalty_value({PenaltyKind::mbic, 0}, n, 1), 3 * std::log(1461.0));
  EXPECT_DOUBLE_EQ(penalty_value({PenaltyKind::aic, 0}, n, 2), 6.0);
  EXPECT_DOUBLE_EQ(penalty_value({PenaltyKind::hq, 0}, n, 1), 4 * std::log(std::log(1461.0)));
  EXPECT_DOUBLE_EQ(penalty_value({PenaltyKind::manual, 7.5}, n, 1), 7.5);
}

TEST(Detect, BadInputIsRejectedWithTheSeriesNamed) {
  std::vector<double> x = {1, 2, -3, 4};
  try {
    run(x, Method::pelt, CostKind::poisson);
    FAIL() << "negative values with the Poisson cost must be rejected";
  } catch (const invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("series 0: day 2"), std::string::npos) << e.what();
  }
  std::vector<double> y = {1, 2, INFINITY, 4};
  EXPECT_THROW(run(y, Method::pelt, CostKind::mean), invalid_input);
  DetectConfig cfg;
  cfg.min_size = 0;
  const auto days = day_axis(4);
  EXPECT_THROW(detect(x.data(), 1, 4, days.data(), cfg, Backend::cpu), invalid_input);
#if !defined(TURNPOINT_HAVE_CUDA)
  EXPECT_THROW(detect(x.data(), 1, 4, days.data(), DetectConfig{}, Backend::cuda), invalid_input);
#endif
}

// --method fpop through the engine: the same turning points, costs and gains as pelt on a
// panel with missing days (both penalties, min sizes 1 and 5), and a clear refusal of the
// costs it does not support and of the CUDA backend.
TEST(Detect, FpopEqualsPeltThroughTheEngine) {
  std::mt19937_64 rng(17);
  std::normal_distribution<double> noise(0.0, 1.0);
  const int n_series = 24, n = 1461;
  std::vector<double> panel(static_cast<size_t>(n_series) * n);
  for (int s = 0; s < n_series; ++s) {
    double level = 0.0;
    for (int i = 0; i < n; ++i) {
      if (i % (100 + 37 * s) == 0) level = 2.0 * noise(rng);
      panel[s * n + i] = s % 3 == 0 && i % 53 < 4 ? std::nan("") : level + noise(rng);
    }
  }
  const auto days = day_axis(n);
  for (Penalty pen : {Penalty{PenaltyKind::mbic, 0.0}, Penalty{PenaltyKind::manual, 12.0}})
    for (int min_size : {1, 5}) {
      DetectConfig cfg;
      cfg.cost = CostKind::mean;
      cfg.penalty = pen;
      cfg.min_size = min_size;
      cfg.method = Method::pelt;
      const DetectResult pelt = detect(panel.data(), n_series, n, days.data(), cfg, Backend::cpu);
      cfg.method = Method::fpop;
      const DetectResult fpop = detect(panel.data(), n_series, n, days.data(), cfg, Backend::automatic);
      int changes = 0;
      for (int s = 0; s < n_series; ++s) {
        EXPECT_EQ(fpop.series[s].changes, pelt.series[s].changes) << "series " << s;
        EXPECT_EQ(fpop.series[s].cost, pelt.series[s].cost) << "series " << s;
        EXPECT_EQ(fpop.series[s].gains, pelt.series[s].gains) << "series " << s;
        changes += static_cast<int>(pelt.series[s].changes.size());
      }
      EXPECT_GT(changes, n_series);
      EXPECT_EQ(fpop.backend_used, Backend::cpu);
    }
}

TEST(Detect, FpopRefusesCostsWithoutAQuadraticFormAndTheGpu) {
  std::vector<double> x(100);
  for (int i = 0; i < 100; ++i) x[i] = i < 50 ? 1.0 + 0.01 * (i % 3) : 2.0 + 0.01 * (i % 5);
  for (CostKind c : {CostKind::meanvar, CostKind::poisson, CostKind::regression}) {
    try {
      run(x, Method::fpop, c);
      FAIL() << "--method fpop with --cost " << to_string(c) << " must be refused";
    } catch (const invalid_input& e) {
      EXPECT_NE(std::string(e.what()).find("--method fpop supports --cost mean only"), std::string::npos)
          << e.what();
    }
  }
  DetectConfig cfg;
  cfg.method = Method::fpop;
  const auto days = day_axis(100);
  EXPECT_THROW(detect(x.data(), 1, 100, days.data(), cfg, Backend::cuda), invalid_input);
  EXPECT_EQ(run(x, Method::fpop, CostKind::mean).series[0].changes, std::vector<int>{50});
  EXPECT_EQ(parse_method("fpop"), Method::fpop);
  EXPECT_STREQ(to_string(Method::fpop), "fpop");
}

TEST(Detect, AutoMethodIsFpopForTheMeanCostWithAFixedPenaltyOnTheCpuElsePelt) {
  DetectConfig c;
  c.cost = CostKind::mean;
  EXPECT_EQ(auto_method(c, Backend::cpu), Method::pelt);  // MBIC: fpop is exact but slower
  c.penalty = Penalty{PenaltyKind::manual, 30.0};
  EXPECT_EQ(auto_method(c, Backend::automatic), Method::fpop);
  EXPECT_EQ(auto_method(c, Backend::cpu), Method::fpop);
  EXPECT_EQ(auto_method(c, Backend::cuda), Method::pelt);  // fpop has no CUDA path
  c.crops_min = 1.0;
  c.crops_max = 10.0;
  EXPECT_EQ(auto_method(c, Backend::cpu), Method::pelt);  // CROPS runs pelt
  for (CostKind k : {CostKind::meanvar, CostKind::poisson, CostKind::regression}) {
    DetectConfig d;
    d.cost = k;
    EXPECT_EQ(auto_method(d, Backend::cpu), Method::pelt) << to_string(k);
  }
}
