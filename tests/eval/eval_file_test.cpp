// `eval` streamed (host/eval/eval_file.hpp, Evaluation): a detections.h5 scored a block of
// points at a time must give exactly the scores of evaluate() on the whole file, for any
// block size, series with no point, a series split across blocks, and a file whose points
// are not in series order; the error quantiles (now from the histogram) are numpy's.
#include <algorithm>
#include <fstream>
#include <random>

#include <gtest/gtest.h>

#include "host/eval/eval.hpp"
#include "host/eval/eval_file.hpp"
#include "datasets/generator.hpp"
#include "host/io/detections_io.hpp"
#include "host/io/series_io.hpp"
#include "host/sweep/sweep.hpp"
#include "kernels/error.hpp"
#include "tests/testing.hpp"

namespace turnpoint {
namespace {

using turnpoint::testing::TempDir;

// One series per error: truth at day 50, the prediction at 50 + e.
EvalSummary with_errors(const std::vector<int>& errors, int margin) {
  Truth truth;
  std::vector<PredictedPoint> pred;
  for (std::size_t i = 0; i < errors.size(); ++i) {
    const auto s = static_cast<std::int64_t>(i);
    truth.points.push_back({s, 50, 0, TurnKind::event, TruthSubtype::level_shift, 0.2, 0});
    pred.push_back({s, 50 + errors[i], TurnKind::event});
  }
  return evaluate(truth, pred, static_cast<std::int64_t>(errors.size()), 100, margin);
}

TEST(EvalFile, ErrorQuantilesInterpolateLikeNumpy) {
  // numpy.quantile([-3, 0, 0, 1, 4], [.25, .5, .75]) = [0, 0, 1]; mean |e| = 8/5.
  EvalSummary s = with_errors({4, -3, 0, 1, 0}, 5);
  EXPECT_DOUBLE_EQ(s.q1_error, 0.0);
  EXPECT_DOUBLE_EQ(s.median_error, 0.0);
  EXPECT_DOUBLE_EQ(s.q3_error, 1.0);
  EXPECT_DOUBLE_EQ(s.mean_abs_error, 1.6);
  // numpy.quantile([-1, 2, 2, 5], [.25, .5, .75]) = [1.25, 2, 2.75]: positions 0.75, 1.5, 2.25.
  s = with_errors({2, 5, -1, 2}, 5);
  EXPECT_DOUBLE_EQ(s.q1_error, 1.25);
  EXPECT_DOUBLE_EQ(s.median_error, 2.0);
  EXPECT_DOUBLE_EQ(s.q3_error, 2.75);
  // One error: every quantile is it; none: 0.
  s = with_errors({-2}, 3);
  EXPECT_DOUBLE_EQ(s.q1_error, -2.0);
  EXPECT_DOUBLE_EQ(s.q3_error, -2.0);
  s = with_errors({}, 3);
  EXPECT_DOUBLE_EQ(s.median_error, 0.0);
}

// n series of 200 days; series i has 0..5 points (every 7th none), random kinds, and a
// truth of 0..3 points by each of 2 annotators near them.
struct Case {
  DetectionSet set;
  Truth truth;
};
Case random_case(int n, unsigned seed) {
  std::mt19937 rng(seed);
  auto pick = [&](int k) { return static_cast<int>(rng() % static_cast<unsigned>(k)); };
  Case c;
  DetectionSet& s = c.set;
  for (int t = 0; t < 200; ++t) s.time.push_back(18000 + t);
  s.input = "in.h5";
  s.units = "Mt";
  s.config_json = "{}";
  s.backend = "cpu";
  c.truth.n_annotators = 2;
  for (int i = 0; i < n; ++i) {
    s.series_id.push_back("s" + std::to_string(i));
    s.region.push_back("r");
    s.sector.push_back("x");
    const int k = i % 7 == 3 ? 0 : pick(6);
    s.summary.push_back({SeriesStatus::ok, 200, k, 0.0, 0.0, 1.0});
    std::vector<int> days;
    for (int j = 0; j < k; ++j) days.push_back(1 + pick(197));
    std::sort(days.begin(), days.end());
    for (int d : days) {
      TurningPoint p;
      p.series = i;
      p.index = d;
      p.day = s.time[static_cast<std::size_t>(d)];
      p.kind = static_cast<TurnKind>(pick(3) - 1);
      s.points.push_back(p);
    }
    for (int a = 0; a < 2; ++a) {
      std::vector<int> truth_days;
      for (int j = pick(4); j > 0; --j) truth_days.push_back(k > 0 && pick(2) ? std::min(198, days[0] + pick(9) - 4) : 1 + pick(197));
      std::sort(truth_days.begin(), truth_days.end());
      truth_days.erase(std::unique(truth_days.begin(), truth_days.end()), truth_days.end());
      for (int d : truth_days)
        c.truth.points.push_back({i, d, s.time[static_cast<std::size_t>(d)], pick(2) ? TurnKind::event : TurnKind::seasonal,
                                  TruthSubtype::level_shift, 0.1, a});
    }
  }
  return c;
}

void expect_same(const EvalSummary& a, const EvalSummary& b) {
  EXPECT_EQ(a.n_series, b.n_series);
  EXPECT_EQ(a.precision, b.precision);
  EXPECT_EQ(a.recall, b.recall);
  EXPECT_EQ(a.f1, b.f1);
  EXPECT_EQ(a.cover, b.cover);
  EXPECT_EQ(a.n_true, b.n_true);
  EXPECT_EQ(a.n_predicted, b.n_predicted);
  EXPECT_EQ(a.n_matched, b.n_matched);
  EXPECT_EQ(a.kind_total, b.kind_total);
  EXPECT_EQ(a.kind_correct, b.kind_correct);
  EXPECT_EQ(a.kind_unclassified, b.kind_unclassified);
  EXPECT_EQ(a.error_histogram, b.error_histogram);
  EXPECT_EQ(a.mean_abs_error, b.mean_abs_error);
  EXPECT_EQ(a.q1_error, b.q1_error);
  EXPECT_EQ(a.median_error, b.median_error);
  EXPECT_EQ(a.q3_error, b.q3_error);
  ASSERT_EQ(a.per_series.size(), b.per_series.size());
  for (std::size_t i = 0; i < a.per_series.size(); ++i) {
    EXPECT_EQ(a.per_series[i].f1, b.per_series[i].f1) << i;
    EXPECT_EQ(a.per_series[i].cover, b.per_series[i].cover) << i;
  }
}

EvalSummary whole(const Case& c, int margin) {
  std::vector<PredictedPoint> pred;
  for (const TurningPoint& p : c.set.points) pred.push_back({p.series, p.index, p.kind});
  return evaluate(c.truth, pred, static_cast<std::int64_t>(c.set.series_id.size()), 200, margin);
}

TEST(EvalFile, AnyBlockSizeGivesTheWholeFilesScores) {
  TempDir dir;
  for (unsigned seed : {1u, 2u, 3u}) {
    const Case c = random_case(40, seed);
    ASSERT_GT(c.set.points.size(), 40u);
    const std::string path = dir.path("d" + std::to_string(seed) + ".h5");
    write_detections(path, c.set);
    const DetectionSet header = read_detections_header(path);
    EXPECT_TRUE(header.points.empty());
    EXPECT_EQ(header.series_id, c.set.series_id);
    for (int margin : {0, 3, 5}) {
      const EvalSummary want = whole(c, margin);
      ASSERT_GT(want.n_matched, 0);
      for (std::size_t block : {std::size_t{1}, std::size_t{2}, std::size_t{5}, std::size_t{17}, std::size_t{1} << 20}) {
        SCOPED_TRACE(::testing::Message() << "seed " << seed << " margin " << margin << " block " << block);
        expect_same(evaluate_detections_file(path, header, c.truth, margin, block), want);
      }
    }
  }
}

TEST(EvalFile, PointsOutOfSeriesOrderAreReadWhole) {
  TempDir dir;
  Case c = random_case(12, 9);
  std::reverse(c.set.points.begin(), c.set.points.end());  // another tool's order
  const std::string path = dir.path("d.h5");
  write_detections(path, c.set);
  const DetectionSet header = read_detections_header(path);
  for (std::size_t block : {std::size_t{1}, std::size_t{4}, std::size_t{1000}})
    expect_same(evaluate_detections_file(path, header, c.truth, 5, block), whole(c, 5));
}

TEST(EvalFile, BadPointsAreRefusedNamingTheRow) {
  TempDir dir;
  Case c = random_case(6, 4);
  ASSERT_GT(c.set.points.size(), 3u);
  c.set.points[2].index = 500;  // beyond the 200-day axis
  const std::string path = dir.path("d.h5");
  write_detections(path, c.set);
  const DetectionSet header = read_detections_header(path);
  try {
    evaluate_detections_file(path, header, c.truth, 5, 2);
    FAIL() << "a point off the axis was scored";
  } catch (const invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("/detections/index[2] = 500"), std::string::npos) << e.what();
  }
}

TEST(EvalFile, BlocksMustFollowEachOther) {
  Truth truth;
  Evaluation e(truth, 4, 100, 5);
  e.add(0, 2, {});
  EXPECT_THROW(e.add(3, 4, {}), invalid_input);  // series 2 skipped
  EXPECT_THROW(e.add(2, 3, {{0, 10, TurnKind::event}}), invalid_input);  // a point outside its block
  EXPECT_THROW(e.finish(), invalid_input);  // series 3 never added
}

// A sweep of 5 raw scenarios on a generated panel with its truth, one scenario finding
// nothing (a penalty no change pays), scored streamed against per-scenario evaluate() on
// every point read whole; blocks of 1 point cross every series and scenario boundary.
TEST(EvalFile, SweepScenariosScoreAsTheirPointsReadWhole) {
  TempDir dir;
  GeneratorConfig cfg;
  cfg.n_series = 12;
  cfg.n_days = 300;
  cfg.seed = 5;
  Truth truth;
  const Panel panel = generate_panel(cfg, &truth);
  const std::string series = dir.path("s.h5"), grid = dir.path("g.toml"), out = dir.path("sweep.h5");
  write_series(series, panel);
  std::ofstream(grid) << "method = [\"pelt\", \"binseg\"]\npenalty = [\"mbic\", \"1e12\", \"20\"]\nmax_changes = [4]\n";
  SweepOptions o{series, grid, out, 2, true};
  o.chunk_series = 5;  // three journal records per batch
  run_sweep(o);
  const SweepFile sweep = read_sweep(out);
  ASSERT_EQ(sweep.scenarios.size(), 6u);
  std::vector<std::vector<PredictedPoint>> per(6);
  for (const SweepPoint& p : sweep.points)
    per[static_cast<std::size_t>(p.scenario)].push_back({p.series, p.index, TurnKind::unclassified});
  EXPECT_TRUE(per[1].empty() && per[4].empty()) << "the 1e12 penalty found points";
  ASSERT_FALSE(per[0].empty());
  const SweepFile header = read_sweep_header(out);
  EXPECT_TRUE(header.points.empty());
  for (std::size_t block : {std::size_t{1}, std::size_t{3}, std::size_t{1} << 20}) {
    const std::vector<EvalSummary> got = evaluate_sweep_file(out, header, truth, 5, block);
    ASSERT_EQ(got.size(), 6u);
    for (std::size_t k = 0; k < 6; ++k) {
      SCOPED_TRACE(::testing::Message() << "block " << block << " scenario " << k);
      EvalSummary want = evaluate(truth, per[k], 12, 300, 5);
      want.per_series.clear();  // a sweep's scores are its means only
      expect_same(got[k], want);
    }
  }
}

}  // namespace
}  // namespace turnpoint
