// Acceptance of the seasonality model (issue 4) on synthetic truth from the project's
// scenario generator (datasets/generator.hpp; CM-like sectors, weekly and yearly cycles,
// Spring Festival dips, Industry/Aviation month steps, injected events and seasonal changes
// with known day, kind and subtype). Expectations are the acceptance thresholds and
// the generator's truth. The seeds here are disjoint from those the confidence calibration
// was fitted on (host/explain/confidence_calibration.cpp), so the calibration check is held out.
// With TURNPOINT_CALIBRATION_CSV=path the held-out records are written for
// tools/calibration.py (the reliability table of docs/seasonality.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <vector>

#include "datasets/generator.hpp"
#include "kernels/error.hpp"
#include "host/core/calendar.hpp"
#include "host/explain/explain.hpp"
#include "host/eval/seasonality_eval.hpp"

namespace turnpoint {
namespace {

// Held-out seeds (the calibration was fitted on seeds 1001..1008, docs/seasonality.md).
constexpr std::uint64_t kChangingSeed = 77;
constexpr std::uint64_t kStableSeed = 78;
const std::int64_t kSeries = std::getenv("TURNPOINT_DEBUG") ? 25 : 155;  // 31 per sector

GeneratorConfig changing_config() {
  GeneratorConfig c = demo_config();
  c.n_series = kSeries;
  c.seed = kChangingSeed;
  return c;
}

GeneratorConfig stable_config() {
  GeneratorConfig c = changing_config();
  c.seed = kStableSeed;
  c.max_events = c.max_seasonal = 0;  // the pattern never changes
  return c;
}

struct PanelRun {
  Truth truth;
  SyntheticScore score;
  DetectionSet set;
  std::int64_t n_series = 0;
  int n_days = 0;
};

// Binary segmentation with the explanation's penalty: PELT prunes nothing inside a long
// segment that a 21-column basis fits (every split lowers the RSS), so on series with few
// turning points it is O(n^2) fits, minutes per panel; binary segmentation is O(n) fits per
// change found (docs/seasonality.md, "Speed").
DetectConfig detect_config() {
  DetectConfig d;
  d.method = Method::binseg;
  d.max_changes = 20;
  return d;
}

// Recall and kind accuracy per subtype and sector, reported points per sector: where the
// acceptance numbers come from (TURNPOINT_BREAKDOWN=1; TURNPOINT_DEBUG=1 also lists every true
// point with the nearest reported one).
void print_breakdown(const Panel& panel, const Truth& truth, const DetectionSet& set,
                     const std::vector<ReportedRecord>& records, bool per_truth) {
  std::map<std::string, std::array<int, 6>> by;  // true, found3, matched7, kind ok, <=30, <=90
  for (const TruthPoint& t : truth.points) {
    if (t.annotator != 0) continue;
    const TurningPoint* best = nullptr;
    for (const TurningPoint& p : set.points)
      if (p.series == t.series && (!best || std::abs(p.index - t.index) < std::abs(best->index - t.index)))
        best = &p;
    if (per_truth)
      std::printf("  truth s%lld %s %s size %.2f at %d, nearest %d\n",
                  static_cast<long long>(t.series), panel.sector[t.series].c_str(),
                  to_string(t.subtype), t.size, t.index, best ? best->index : -1);
    for (const std::string& key : {std::string(to_string(t.subtype)), panel.sector[t.series]}) {
      auto& c = by[key];
      c[0]++;
      if (!best) continue;
      const int d = std::abs(best->index - t.index);
      c[1] += d <= 3;
      c[2] += d <= 7;
      c[3] += d <= 7 && best->kind == t.kind;
      c[4] += d <= 30;
      c[5] += d <= 90;
    }
  }
  for (const auto& [k, c] : by)
    std::printf("  %-18s true %3d  found+-3 %3d  matched+-7 %3d  kind ok %3d  +-30 %3d  +-90 %3d\n",
                k.c_str(), c[0], c[1], c[2], c[3], c[4], c[5]);
  std::map<std::string, std::array<int, 3>> rep;  // reported, confidence >= 0.5, of those true
  for (const ReportedRecord& rec : records) {
    auto& c = rep[panel.sector[rec.series]];
    c[0]++;
    c[1] += rec.confidence >= 0.5;
    c[2] += rec.correct;
  }
  for (const auto& [k, c] : rep)
    std::printf("  reported %-18s %4d  (confidence >= 0.5: %4d)  true %4d\n", k.c_str(), c[0],
                c[1], c[2]);
}

PanelRun run(const GeneratorConfig& c, const ExplainOptions& options = ExplainOptions{}) {
  PanelRun r;
  r.n_series = c.n_series;
  r.n_days = c.n_days;
  Truth& truth = r.truth;
  const Panel panel = generate_panel(c, &truth);
  ExplainTimings tm;
  classify_and_score(panel, detect_config(), options, r.set, Backend::cpu, &tm);
  if (std::getenv("TURNPOINT_DEBUG"))
    std::printf("  wall s: noise %.1f, detect %.1f, classify %.1f, bootstrap %.1f\n", tm.noise_s,
                tm.detect_s, tm.classify_s, tm.bootstrap_s);
  r.score = score_against_truth(r.set, truth, c.n_series, c.n_days);
  const bool debug = std::getenv("TURNPOINT_DEBUG") != nullptr;
  if (debug || std::getenv("TURNPOINT_BREAKDOWN"))
    print_breakdown(panel, truth, r.set, r.score.records, debug);
  std::printf("seed %llu: true %d, found(+-3) %d, matched(+-7) %d, kind ok %d, reported %d "
              "(%d true), %.3f points per series-year\n",
              static_cast<unsigned long long>(c.seed), r.score.n_true, r.score.found3,
              r.score.matched, r.score.kind_ok, r.score.reported, r.score.reported_true,
              r.score.reported / r.score.series_years);
  return r;
}

// Every scored turning point (min_confidence 0) of a held-out panel, run once per seed.
const PanelRun& scored_run(std::uint64_t seed) {
  static std::map<std::uint64_t, PanelRun> cache;
  auto it = cache.find(seed);
  if (it != cache.end()) return it->second;
  GeneratorConfig c = seed == kStableSeed ? stable_config() : changing_config();
  c.seed = seed;
  ExplainOptions all;
  all.min_confidence = 0.0;
  return cache.emplace(seed, run(c, all)).first->second;
}

// What the default options report: the scored points whose confidence reaches
// min_confidence. Ranking lists the most confident first, so this equals a run with the
// default options (MinConfidenceKeepsTheConfidentScoredPoints checks it).
DetectionSet reported_set(const PanelRun& r) {
  DetectionSet set = r.set;
  const double cut = ExplainOptions{}.min_confidence;
  set.points.erase(std::remove_if(set.points.begin(), set.points.end(),
                                  [&](const TurningPoint& p) { return p.confidence < cut; }),
                   set.points.end());
  return set;
}

// The held-out changing panels; the acceptance numbers pool them (docs/seasonality.md).
constexpr std::uint64_t kChangingSeeds[] = {kChangingSeed, 79, 80, 81};

SyntheticScore pooled_reported_score() {
  SyntheticScore total;
  for (std::uint64_t seed : kChangingSeeds) {
    const PanelRun& r = scored_run(seed);
    const SyntheticScore s = score_against_truth(reported_set(r), r.truth, r.n_series, r.n_days);
    std::printf("reported, seed %llu: true %d, found(+-3) %d, matched(+-7) %d, kind ok %d, "
                "reported %d (%d true)\n", static_cast<unsigned long long>(seed), s.n_true,
                s.found3, s.matched, s.kind_ok, s.reported, s.reported_true);
    total.n_true += s.n_true;
    total.found3 += s.found3;
    total.matched += s.matched;
    total.kind_ok += s.kind_ok;
    total.reported += s.reported;
    total.reported_true += s.reported_true;
    total.series_years += s.series_years;
  }
  std::printf("reported, pooled: kind accuracy %.3f (%d of %d), found within +-3 days %.3f "
              "(%d of %d)\n", static_cast<double>(total.kind_ok) / total.matched, total.kind_ok,
              total.matched, static_cast<double>(total.found3) / total.n_true, total.found3,
              total.n_true);
  return total;
}

// Kind accuracy of the reported points, pooled over the four held-out changing panels.
TEST(Explain, SyntheticKindAccuracy) {
  const SyntheticScore s = pooled_reported_score();
  ASSERT_GT(s.matched, 100);
  EXPECT_GE(static_cast<double>(s.kind_ok) / s.matched, 0.95);
}

// NOT met yet (docs/seasonality.md): run with --gtest_also_run_disabled_tests.
TEST(Explain, DISABLED_SyntheticRecallWithinThreeDays) {
  const SyntheticScore s = pooled_reported_score();
  ASSERT_GT(s.n_true, 500);
  EXPECT_GE(static_cast<double>(s.found3) / s.n_true, 0.90);
}

TEST(Explain, ConfidencesAreProbabilitiesWithIntervals) {
  for (const TurningPoint& p : scored_run(kChangingSeed).set.points) {
    EXPECT_GE(p.confidence, 0.0);
    EXPECT_LE(p.confidence, 1.0);
    EXPECT_LE(p.ci_lo, p.ci_hi);
  }
}

// Calibration on held-out seeds: per confidence bin with enough points, the fraction of
// points that are true (same kind within +-7 days) is within +-0.1 of the bin's mean
// confidence. Bins as in tools/calibration.py. The map is checked over every scored point
// (min_confidence 0), not only the reported ones (>= 0.5 by default), so that the low bins
// are checked too.
TEST(Explain, ConfidenceIsCalibratedOnHeldOutSeeds) {
  std::vector<ReportedRecord> records;
  for (std::uint64_t seed : {kChangingSeed, kStableSeed, std::uint64_t{79}, std::uint64_t{80},
                             std::uint64_t{81}}) {
    const auto& more = scored_run(seed).score.records;
    records.insert(records.end(), more.begin(), more.end());
  }
  if (const char* path = std::getenv("TURNPOINT_CALIBRATION_CSV")) {
    std::ofstream f(path);
    f << "series,index,kind,confidence,correct\n";
    for (const ReportedRecord& r : records)
      f << r.series << ',' << r.index << ',' << to_string(r.kind) << ',' << r.confidence << ','
        << (r.correct ? 1 : 0) << '\n';
  }
  const double edges[] = {0.0, 0.2, 0.4, 0.6, 0.8, 1.0 + 1e-9};
  int checked = 0;
  for (int b = 0; b + 1 < 6; ++b) {
    double sum = 0;
    int n = 0, ok = 0;
    for (const ReportedRecord& r : records)
      if (r.confidence >= edges[b] && r.confidence < edges[b + 1]) {
        sum += r.confidence;
        ++n;
        ok += r.correct;
      }
    std::printf("bin [%.1f, %.1f): %d points, mean confidence %.3f, fraction true %.3f\n",
                edges[b], edges[b + 1], n, n ? sum / n : 0.0, n ? double(ok) / n : 0.0);
    if (n < 30) continue;  // too few for a +-0.1 check (binomial sd up to 0.09)
    ++checked;
    EXPECT_NEAR(static_cast<double>(ok) / n, sum / n, 0.1) << "bin " << b;
  }
  EXPECT_GE(checked, 2);
}

// Not a check: writes the records the calibration map is fitted on (raw bootstrap stability
// and step z, seeds 1001.., disjoint from the seeds above) when TURNPOINT_CALIBRATION_FIT_CSV
// is set. Like the held-out check above (four changing panels, one whose pattern never
// changes), one in five fit panels never changes: seeds 1005 and 1010; 1001-1010 others change.
//   TURNPOINT_CALIBRATION_FIT_CSV=fit.csv build/tests/explain_test --gtest_filter=*FitRecords
//   .venv/bin/python tools/calibration.py --fit fit.csv host/explain/confidence_calibration.inc
TEST(Explain, CalibrationFitRecords) {
  const char* path = std::getenv("TURNPOINT_CALIBRATION_FIT_CSV");
  if (!path) GTEST_SKIP() << "set TURNPOINT_CALIBRATION_FIT_CSV to write the fit records";
  const char* seeds_env = std::getenv("TURNPOINT_CALIBRATION_FIT_SEEDS");
  const int n_seeds = seeds_env ? std::atoi(seeds_env) : 10;
  std::ofstream f(path);
  f << "seed,series,index,kind,stability,gain,step_z,correct\n";
  ExplainOptions raw;
  raw.calibrate = false;
  raw.min_confidence = 0.0;  // every scored point, whatever its stability
  for (int k = 0; k < n_seeds; ++k) {
    GeneratorConfig c = k % 5 == 4 ? stable_config() : changing_config();
    c.seed = 1001 + static_cast<std::uint64_t>(k);
    const PanelRun r = run(c, raw);
    for (const ReportedRecord& rec : r.score.records)
      f << c.seed << ',' << rec.series << ',' << rec.index << ',' << to_string(rec.kind) << ','
        << rec.confidence << ',' << rec.gain << ',' << rec.step_z << ',' << (rec.correct ? 1 : 0) << '\n';
  }
}

// Series whose pattern never changes: every reported point (confidence >= 0.5) is false by
// construction. The month steps of the Industry/Aviation-like series are the only source.
TEST(Explain, SyntheticFalsePointsInUnchangingSeries) {
  const PanelRun& r = scored_run(kStableSeed);
  const SyntheticScore s = score_against_truth(reported_set(r), r.truth, r.n_series, r.n_days);
  std::printf("reported, seed %llu: %d points, %.3f per series-year\n",
              static_cast<unsigned long long>(kStableSeed), s.reported,
              s.reported / s.series_years);
  EXPECT_EQ(s.n_true, 0);
  EXPECT_LE(s.reported / s.series_years, 0.1);
}

// The default options report exactly the scored points with confidence >= min_confidence.
TEST(Explain, MinConfidenceKeepsTheConfidentScoredPoints) {
  const PanelRun defaults = run(stable_config());
  const DetectionSet expected = reported_set(scored_run(kStableSeed));
  ASSERT_EQ(defaults.set.points.size(), expected.points.size());
  ASSERT_GT(expected.points.size(), 0u);
  for (size_t k = 0; k < expected.points.size(); ++k) {
    EXPECT_EQ(defaults.set.points[k].series, expected.points[k].series);
    EXPECT_EQ(defaults.set.points[k].index, expected.points[k].index);
    EXPECT_EQ(defaults.set.points[k].confidence, expected.points[k].confidence);
    EXPECT_GE(defaults.set.points[k].confidence, 0.5);
  }
  EXPECT_LT(expected.points.size(), scored_run(kStableSeed).set.points.size());
}

Panel two_series(int n_days) {
  GeneratorConfig c = demo_config();
  c.n_series = 2;
  c.n_days = n_days;
  c.seed = 7;
  return generate_panel(c, nullptr);
}

TEST(Explain, ZeroSeriesGiveNoTurningPointAndNoError) {
  Panel panel = two_series(500);
  for (int t = 0; t < panel.n_time(); ++t) panel.row(1)[t] = 0.0;
  DetectionSet set;
  classify_and_score(panel, DetectConfig{}, ExplainOptions{}, set, Backend::cpu);
  for (const TurningPoint& p : set.points) EXPECT_NE(p.series, 1);
  EXPECT_EQ(set.summary[1].status, SeriesStatus::constant);
  EXPECT_EQ(set.summary[1].n_changes, 0);
}

TEST(Explain, RankingKeepsTheListedCount) {
  Panel panel = two_series(700);
  // A hand-made series: three level shifts of different size, no pattern.
  for (int t = 0; t < 700; ++t)
    panel.row(0)[t] = 10.0 + (t >= 150 ? 1.0 : 0) + (t >= 350 ? -3.0 : 0) + (t >= 550 ? 2.0 : 0) +
                      0.05 * std::sin(0.7 * t * t);
  ExplainOptions o;
  o.max_points = 2;
  o.replicates = 20;
  // Day-to-day noise scale: a 700-day series of three big steps and no pattern bends the
  // single fit so much that the long-run scale swallows the smaller steps (a known limit
  // of noise_batch, docs/seasonality.md); this test is about the ranking.
  o.noise_batch = 0;
  DetectionSet set;
  classify_and_score(panel, DetectConfig{}, o, set, Backend::cpu);
  if (std::getenv("TURNPOINT_DEBUG"))
    for (const TurningPoint& p : set.points)
      std::printf("s%d %d conf %.3f gain %.1f\n", p.series, p.index, p.confidence, p.gain);
  std::vector<TurningPoint> first;
  for (const TurningPoint& p : set.points)
    if (p.series == 0) first.push_back(p);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(set.summary[0].n_changes, 2);
  EXPECT_LT(first[0].index, first[1].index);  // listed by day
  std::vector<int> ranks{first[0].rank, first[1].rank};
  std::sort(ranks.begin(), ranks.end());
  EXPECT_EQ(ranks, (std::vector<int>{1, 2}));
}

TEST(Explain, BadOptionsAreNamed) {
  ExplainOptions o;
  o.replicates = -1;
  EXPECT_THROW(validate(o), invalid_input);
  o = ExplainOptions{};
  o.search = 3;  // < tolerance 7
  EXPECT_THROW(validate(o), invalid_input);
  o = ExplainOptions{};
  o.holidays = HolidayCalendar::file;
  EXPECT_THROW(validate(o), invalid_input);
  for (double bad : {-0.1, 1.5, std::nan("")}) {
    o = ExplainOptions{};
    o.min_confidence = bad;
    EXPECT_THROW(validate(o), invalid_input) << bad;
  }
}

TEST(Explain, ChooseModelFromTheAxis) {
  std::vector<std::int32_t> daily, short_daily, monthly;
  for (int d = 0; d < 800; ++d) daily.push_back(18000 + d);
  for (int d = 0; d < 200; ++d) short_daily.push_back(18000 + d);
  for (int m = 0; m < 60; ++m) monthly.push_back(days_from_civil(2015 + m / 12, 1 + m % 12, 1));
  EXPECT_EQ(choose_model(daily).model, ExplainModel::pattern);
  EXPECT_EQ(choose_model(short_daily).model, ExplainModel::generic);
  EXPECT_EQ(choose_model(monthly).model, ExplainModel::generic);
  EXPECT_NE(choose_model(monthly).reason.find("a monthly axis, not daily"), std::string::npos);
}

}  // namespace
}  // namespace turnpoint
