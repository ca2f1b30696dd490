// Block-bootstrap confidence (kernels/bootstrap.hpp, kernels/bootstrap_cpu.cpp): the random
// streams, the block resampling, and confidence on series whose truth is obvious.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <omp.h>

#include "kernels/bootstrap_batch.hpp"

namespace turnpoint::kernels {
namespace {

TEST(Bootstrap, RandomStreamsAreUniformAndReproducible) {
  Rng r = Rng::stream(1, 0, 0);
  double sum = 0;
  const int draws = 100000;
  for (int i = 0; i < draws; ++i) {
    const int v = r.below(100);
    ASSERT_GE(v, 0);
    ASSERT_LT(v, 100);
    sum += v;
  }
  EXPECT_NEAR(sum / draws, 49.5, 0.5);  // sd of the mean ~0.09
  Rng a = Rng::stream(1, 3, 7), b = Rng::stream(1, 3, 7), c = Rng::stream(1, 3, 8);
  EXPECT_EQ(a.below(1 << 30), b.below(1 << 30));
  EXPECT_NE(Rng::stream(1, 3, 7).below(1 << 30), c.below(1 << 30));
}

TEST(Bootstrap, DefaultBlockLength) {
  EXPECT_EQ(default_block_length(1461), 14);    // cbrt(1461) = 11.3 < 14
  EXPECT_EQ(default_block_length(10000), 22);   // cbrt(10^4) = 21.5
}

TEST(Bootstrap, BlocksAreContiguousRunsOfResidualsAndMissingDaysStay) {
  const int n = 100;
  std::vector<double> y(n, 1.0), fitted(n), resid, star(n);
  y[10] = y[50] = std::nan("");
  for (int i = 0; i < n; ++i) fitted[i] = 1000.0 * i;
  for (int k = 0; k < n - 2; ++k) resid.push_back(k);  // residual k = its position
  Rng rng = Rng::stream(5, 0, 0);
  const int block = 7;
  block_resample(y.data(), fitted.data(), resid.data(), n, n - 2, block, rng, star.data());
  EXPECT_TRUE(std::isnan(star[10]));
  EXPECT_TRUE(std::isnan(star[50]));
  std::vector<double> e;
  for (int i = 0; i < n; ++i)
    if (!std::isnan(star[i])) e.push_back(star[i] - fitted[i]);
  ASSERT_EQ(e.size(), static_cast<size_t>(n - 2));
  for (size_t k = 0; k < e.size(); ++k) {
    EXPECT_GE(e[k], 0.0);
    EXPECT_LE(e[k], n - 3);
    if (k % block != 0) { EXPECT_EQ(e[k], e[k - 1] + 1) << k; }  // inside a block: consecutive
  }
}

struct Case {
  DesignMatrix d;
  std::vector<std::int32_t> days;
  std::vector<double> y;
};

// Intercept + trend + weekly harmonics; a level shift of 3 noise sd at day 150 of 300.
Case level_shift_case(unsigned seed) {
  Case c;
  const int n = 300;
  c.days.resize(n);
  for (int i = 0; i < n; ++i) c.days[i] = 18000 + i;
  BasisSpec spec;
  spec.trend = true;
  spec.weekly = 2;
  spec.days = c.days.data();
  c.d = make_design(spec, n);
  std::mt19937 g(seed);
  std::normal_distribution<double> N;
  c.y.resize(n);
  for (int i = 0; i < n; ++i)
    c.y[i] = (i >= 150 ? 3.0 : 0.0) + std::sin(6.283185307179586 * c.days[i] / 7.0) + N(g);
  return c;
}

TEST(Bootstrap, ObviousChangeIsConfidentAndANonChangeIsNot) {
  const Case c = level_shift_case(3);
  ChangeList list;
  list.offsets = {0, 2};
  list.changes = {75, 150};  // 75: nothing happens there
  list.kinds = {kKindEvent, kKindEvent};
  BootstrapSettings s;
  s.replicates = 200;
  s.mbic = false;
  const double pen = 6 * std::log(300.0);  // BIC-like, 34
  std::vector<ChangeScore> out;
  bootstrap_changes_cpu(c.y.data(), 1, c.d, list, &pen, s, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_LE(out[0].confidence, 0.3);
  EXPECT_GE(out[1].confidence, 0.95);
  EXPECT_LE(out[1].ci_lo, 150);
  EXPECT_GE(out[1].ci_hi, 150);
  EXPECT_GE(out[1].ci_lo, 150 - s.tolerance);
  EXPECT_LE(out[1].ci_hi, 150 + s.tolerance);
}

TEST(Bootstrap, ResultDoesNotDependOnThreads) {
  Case a = level_shift_case(4), b = level_shift_case(5);
  std::vector<double> y(a.y);
  y.insert(y.end(), b.y.begin(), b.y.end());
  ChangeList list;
  list.offsets = {0, 1, 2};
  list.changes = {150, 150};
  list.kinds = {kKindEvent, kKindEvent};
  BootstrapSettings s;
  s.replicates = 50;
  const double pen[2] = {30.0, 30.0};
  std::vector<ChangeScore> one, two;
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  bootstrap_changes_cpu(y.data(), 2, a.d, list, pen, s, one);
  omp_set_num_threads(2);
  bootstrap_changes_cpu(y.data(), 2, a.d, list, pen, s, two);
  omp_set_num_threads(saved);
  for (size_t j = 0; j < 2; ++j) {
    EXPECT_EQ(one[j].confidence, two[j].confidence);
    EXPECT_EQ(one[j].ci_lo, two[j].ci_lo);
    EXPECT_EQ(one[j].ci_hi, two[j].ci_hi);
  }
}

// A basis with trend, weekly and yearly harmonics and a holiday-like dummy (days 40-49) on
// n days from 2019-04-13.
struct HolidayBasis {
  std::vector<std::int32_t> days;
  std::vector<std::uint8_t> dummy;
  DesignMatrix d;
  explicit HolidayBasis(int n) : days(static_cast<size_t>(n)), dummy(static_cast<size_t>(n), 0) {
    for (int i = 0; i < n; ++i) days[i] = 18000 + i;
    for (int i = 40; i < 50 && i < n; ++i) dummy[i] = 1;
    BasisSpec spec;
    spec.trend = true;
    spec.weekly = 3;
    spec.yearly = 1;
    spec.n_dummies = 1;
    spec.days = days.data();
    spec.dummies = dummy.data();
    d = make_design(spec, n);
  }
};

// The factored-projector path of bootstrap_changes_cpu against the direct one: the same
// replicates (same random streams) re-located with kernels/bootstrap.hpp's relocate_change,
// which refits every window from the prefix sums. A basis with trend, weekly and yearly
// harmonics and a holiday-like dummy, missing days, a level shift, a weekly-amplitude change
// and a spurious change.
TEST(Bootstrap, FactoredFitsEqualDirectRelocation) {
  const int n = 400;
  const HolidayBasis basis(n);
  const DesignMatrix& d = basis.d;
  const std::vector<std::int32_t>& days = basis.days;
  const std::vector<std::uint8_t>& dummy = basis.dummy;
  std::mt19937 g(11);
  std::normal_distribution<double> N;
  std::vector<double> y(n);
  for (int i = 0; i < n; ++i) {
    const double w = std::sin(6.283185307179586 * days[i] / 7.0);
    y[i] = (i >= 120 ? 2.5 : 0.0) + (i >= 260 ? 3.0 : 1.0) * w - 4.0 * dummy[i] + N(g);
  }
  y[7] = y[130] = y[300] = std::nan("");
  ChangeList list;
  list.offsets = {0, 3};
  list.changes = {120, 200, 260};
  list.kinds = {kKindEvent, kKindEvent, kKindSeasonal};
  BootstrapSettings s;
  s.replicates = 40;
  s.mbic = true;
  s.min_size = d.p;
  const double pen = 25.0;
  std::vector<ChangeScore> out;
  bootstrap_changes_cpu(y.data(), 1, d, list, &pen, s, out);

  // Direct: the loop of bootstrap_cpu.cpp written out with relocate_change.
  const int n1 = n + 1, p = d.p;
  std::vector<double> xx_hi(p * (p + 1) / 2 * n1), xx_lo(xx_hi.size()), xy_hi((p + 1) * n1),
      xy_lo(xy_hi.size()), fitted(n), resid(n), star(n);
  fill_design_prefix(d.X.data(), n, p, y.data(), xx_hi.data(), xx_lo.data(), xy_hi.data(),
                     xy_lo.data());
  const MomentView m{PrefixView{xx_hi.data(), xx_lo.data(), n1},
                     PrefixView{xy_hi.data(), xy_lo.data(), n1}, p, d.trend_col};
  fit_segmentation(m, d.X.data(), y.data(), n, list.changes.data(), 3, fitted.data(),
                   resid.data());
  const int n_valid = n - 3;
  int found[3] = {0, 0, 0};
  for (int r = 0; r < s.replicates; ++r) {
    Rng rng = Rng::stream(s.seed, 0, r);
    block_resample(y.data(), fitted.data(), resid.data(), n, n_valid,
                   default_block_length(n_valid), rng, star.data());
    fill_design_prefix(d.X.data(), n, p, star.data(), nullptr, nullptr, xy_hi.data(),
                       xy_lo.data());
    for (int j = 0; j < 3; ++j) {
      const ChangeWindow w{j > 0 ? list.changes[j - 1] : 0, list.changes[j],
                           j < 2 ? list.changes[j + 1] : n, list.kinds[j]};
      const ReplicateHit h = relocate_change(m, w, s.search, s.min_size, 1.0, pen, true, s.alpha);
      found[j] += h.significant && h.kind == list.kinds[j] &&
                  std::abs(h.t - list.changes[j]) <= s.tolerance;
    }
  }
  for (int j = 0; j < 3; ++j)
    EXPECT_DOUBLE_EQ(out[j].confidence, static_cast<double>(found[j]) / s.replicates) << j;
  // Not vacuous: the real changes are re-found, the spurious one is not always.
  EXPECT_GE(out[0].confidence, 0.9);
  EXPECT_GE(out[2].confidence, 0.5);
}

// The summary of one change's replicates, by hand: 10 replicates around t = 100, h = 7.
TEST(Bootstrap, SummaryCountsSameKindHitsWithinTheWindow) {
  BootstrapSettings s;
  s.replicates = 10;
  s.tolerance = 7;
  s.interval = 0.90;
  std::vector<ReplicateHit> hits(10);
  // Found: significant, same kind, |day - 100| <= 7.
  for (int r = 0; r < 4; ++r) hits[r] = ReplicateHit{102, kKindEvent, true};
  hits[4] = ReplicateHit{107, kKindEvent, true};     // on the edge: found
  hits[5] = ReplicateHit{108, kKindEvent, true};     // one day too far
  hits[6] = ReplicateHit{101, kKindSeasonal, true};  // other kind
  hits[7] = ReplicateHit{100, kKindEvent, false};    // not significant
  hits[8] = ReplicateHit{-1, kKindEvent, false};     // no admissible split
  hits[9] = ReplicateHit{103, kKindEvent, true};
  std::vector<int> days;
  const ChangeScore sc = summarize_hits(hits.data(), 1, 100, kKindEvent, s, days);
  EXPECT_DOUBLE_EQ(sc.confidence, 0.6);  // replicates 0-4 and 9
  // Significant days: 101 102 102 102 102 103 107 108; 5 % and 95 % (type 7): 101.35, 107.65.
  // The interval contains the reported day 100 even though no replicate re-located there.
  EXPECT_EQ(sc.ci_lo, 100);
  EXPECT_EQ(sc.ci_hi, 108);
  // Stride: the same hits interleaved with another change's.
  std::vector<ReplicateHit> both(20);
  for (int r = 0; r < 10; ++r) both[2 * r] = hits[r];
  const ChangeScore strided = summarize_hits(both.data(), 2, 100, kKindEvent, s, days);
  EXPECT_DOUBLE_EQ(strided.confidence, 0.6);
  // No significant replicate: confidence 0, interval = the day.
  std::vector<ReplicateHit> none(10, ReplicateHit{90, kKindEvent, false});
  const ChangeScore empty = summarize_hits(none.data(), 1, 100, kKindEvent, s, days);
  EXPECT_DOUBLE_EQ(empty.confidence, 0.0);
  EXPECT_EQ(empty.ci_lo, 100);
  EXPECT_EQ(empty.ci_hi, 100);
}

// The CUDA launcher's unit of work (replicate_hits: one series x one replicate, refitting
// from the prefix sums) run on the host, series by series and replicate by replicate as the
// GPU threads do, then summarised with summarize_hits: the same scores as the CPU launcher.
// This checks the GPU's per-thread math on every machine (tests/kernels/cuda_explain_test.cpp
// compares the device itself where there is one).
TEST(Bootstrap, ReplicateUnitEqualsCpuLauncher) {
  const int n = 400, n_series = 3;
  const HolidayBasis basis(n);
  const DesignMatrix& d = basis.d;
  const std::vector<std::int32_t>& days = basis.days;
  const std::vector<std::uint8_t>& dummy = basis.dummy;
  std::mt19937 g(23);
  std::normal_distribution<double> N;
  std::vector<double> y(static_cast<size_t>(n) * n_series);
  for (int s = 0; s < n_series; ++s)
    for (int i = 0; i < n; ++i) {
      const double w = std::sin(6.283185307179586 * days[i] / 7.0);
      y[s * n + i] = (i >= 120 + 10 * s ? 2.0 + s : 0.0) + (i >= 260 ? 3.0 : 1.0) * w -
                     4.0 * dummy[i] + N(g);
    }
  y[7] = y[n + 130] = y[2 * n + 300] = std::nan("");
  ChangeList list;
  list.offsets = {0, 3, 3, 5};  // the middle series has no change
  list.changes = {120, 200, 260, 140, 260};
  list.kinds = {kKindEvent, kKindEvent, kKindSeasonal, kKindEvent, kKindSeasonal};
  list.score = {1, 0, 1, 1, 1};  // the spurious change of series 0 is not scored
  BootstrapSettings s;
  s.replicates = 30;
  s.min_size = 2;  // the launchers raise it to p
  const double pen[3] = {25.0, 25.0, 22.0};
  std::vector<ChangeScore> cpu;
  bootstrap_changes_cpu(y.data(), n_series, d, list, pen, s, cpu);

  const int p = d.p, n1 = n + 1;
  std::vector<double> xx_hi(p * (p + 1) / 2 * n1), xx_lo(xx_hi.size()), xy_hi((p + 1) * n1),
      xy_lo(xy_hi.size()), uxy_hi(xy_hi.size()), uxy_lo(xy_hi.size()), fitted(n), resid(n),
      star(n);
  ReplicateSettings rs;
  rs.search = s.search;
  rs.min_size = std::max(s.min_size, p);
  rs.mbic = s.mbic;
  rs.alpha = s.alpha;
  std::vector<int> scratch;
  int compared = 0;
  for (int i = 0; i < n_series; ++i) {
    const int lo = static_cast<int>(list.offsets[i]), k = static_cast<int>(list.offsets[i + 1]) - lo;
    if (k == 0) continue;
    const double* yi = y.data() + i * n;
    fill_design_prefix(d.X.data(), n, p, yi, xx_hi.data(), xx_lo.data(), xy_hi.data(),
                       xy_lo.data());
    const MomentView m{PrefixView{xx_hi.data(), xx_lo.data(), n1},
                       PrefixView{xy_hi.data(), xy_lo.data(), n1}, p, d.trend_col, d.groups};
    fit_segmentation(m, d.X.data(), yi, n, list.changes.data() + lo, k, fitted.data(),
                     resid.data());
    int n_valid = 0;
    for (int t = 0; t < n; ++t) n_valid += yi[t] == yi[t];
    const SeriesChanges sc{list.changes.data() + lo, list.kinds.data() + lo,
                           list.score.data() + lo, k};
    rs.pen = pen[i];
    std::vector<ReplicateHit> hits(static_cast<size_t>(k) * s.replicates);
    for (int r = 0; r < s.replicates; ++r)
      replicate_hits(d.X.data(), n, p, d.trend_col, d.groups, yi, fitted.data(), resid.data(),
                     n_valid, default_block_length(n_valid), Rng::stream(s.seed, i, r), m.xx,
                     uxy_hi.data(), uxy_lo.data(), star.data(), sc, rs, hits.data() + r,
                     s.replicates);
    for (int j = 0; j < k; ++j) {
      if (!list.score[lo + j]) {
        EXPECT_TRUE(std::isnan(cpu[lo + j].confidence)) << "change " << lo + j;
        continue;
      }
      const ChangeScore unit = summarize_hits(hits.data() + static_cast<size_t>(j) * s.replicates,
                                              1, list.changes[lo + j], list.kinds[lo + j], s,
                                              scratch);
      EXPECT_DOUBLE_EQ(unit.confidence, cpu[lo + j].confidence) << "change " << lo + j;
      EXPECT_EQ(unit.ci_lo, cpu[lo + j].ci_lo) << "change " << lo + j;
      EXPECT_EQ(unit.ci_hi, cpu[lo + j].ci_hi) << "change " << lo + j;
      ++compared;
    }
  }
  EXPECT_EQ(compared, 4);
  // Not vacuous: the level shifts are re-found in most replicates.
  EXPECT_GE(cpu[0].confidence, 0.8);
  EXPECT_GE(cpu[3].confidence, 0.8);
}

}  // namespace
}  // namespace turnpoint::kernels
