// The event/seasonal split test (kernels/classify.hpp): its least-squares pieces against
// Eigen's QR on the explicit design, and its decisions on series whose change is known.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include <Eigen/Dense>

#include "kernels/classify_batch.hpp"

namespace turnpoint::kernels {
namespace {

constexpr double kTwoPi = 6.283185307179586;

struct Fixture {
  int n;
  std::vector<std::int32_t> days;
  std::vector<std::uint8_t> dummies;
  BasisSpec spec;
  DesignMatrix d;
  explicit Fixture(int n_days, int weekly = 3, int yearly = 2) : n(n_days), days(n_days) {
    for (int i = 0; i < n; ++i) days[i] = 17897 + i;  // from 2019-01-01
    dummies.assign(static_cast<size_t>(n), 0);
    for (int i = 30; i < 37 && i < n; ++i) dummies[i] = 1;  // one "holiday week"
    spec.trend = true;
    spec.weekly = weekly;
    spec.yearly = yearly;
    spec.n_dummies = 1;
    spec.days = days.data();
    spec.dummies = dummies.data();
    d = make_design(spec, n);
  }
  Eigen::MatrixXd rows(int a, int b) const {  // explicit design over [a, b)
    Eigen::MatrixXd X(b - a, d.p);
    for (int i = a; i < b; ++i)
      for (int j = 0; j < d.p; ++j) X(i - a, j) = d.X[static_cast<size_t>(i) * d.p + j];
    return X;
  }
};

double eigen_rss(const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
  const Eigen::VectorXd beta = X.colPivHouseholderQr().solve(y);
  return (y - X * beta).squaredNorm();
}

struct Moments {
  std::vector<double> xh, xl, yh, yl;
  MomentView view(const DesignMatrix& d, const std::vector<double>& y) {
    const size_t n1 = d.n + 1, np = static_cast<size_t>(d.p) * (d.p + 1) / 2;
    xh.resize(np * n1); xl.resize(np * n1); yh.resize((d.p + 1) * n1); yl.resize((d.p + 1) * n1);
    fill_design_prefix(d.X.data(), d.n, d.p, y.data(), xh.data(), xl.data(), yh.data(), yl.data());
    return MomentView{PrefixView{xh.data(), xl.data(), d.n + 1}, PrefixView{yh.data(), yl.data(), d.n + 1},
                      d.p, d.trend_col, d.groups};
  }
};

std::vector<double> noise(int n, unsigned seed) {
  std::mt19937 g(seed);
  std::normal_distribution<double> N;
  std::vector<double> y(n);
  for (double& v : y) v = N(g);
  return y;
}

// Long segments with the full basis, short ones with a basis that is well conditioned
// there (a yearly harmonic over 20 days is numerically a polynomial and is dropped by the
// rank tolerance, a projection the QR reference does not make).
TEST(Classify, SegmentRssMatchesEigenQr) {
  for (int yearly : {2, 0}) {
    Fixture f(400, 3, yearly);
    auto y = noise(f.n, 1);
    for (int i = 0; i < f.n; ++i) y[i] += 5 + 0.01 * i + std::sin(kTwoPi * f.days[i] / 7.0);
    Moments mo;
    const MomentView m = mo.view(f.d, y);
    const auto cases = yearly > 0 ? std::vector<std::pair<int, int>>{{0, 400}, {10, 250}, {150, 400}}
                                  : std::vector<std::pair<int, int>>{{10, 60}, {25, 45}, {300, 330}};
    for (auto [a, b] : cases) {
      Eigen::VectorXd ys(b - a);
      for (int i = a; i < b; ++i) ys(i - a) = y[i];
      int rank;
      const double rss = segment_rss(m, a, b, rank);
      EXPECT_NEAR(rss, eigen_rss(f.rows(a, b), ys), 1e-7 * (1 + rss)) << a << "," << b;
    }
  }
}

TEST(Classify, LevelChangeRssMatchesEigenQr) {
  Fixture f(300);
  auto y = noise(f.n, 2);
  Moments mo;
  const MomentView m = mo.view(f.d, y);
  const int a = 20, t = 140, b = 290;
  Eigen::MatrixXd X0 = f.rows(a, b), X(b - a, f.d.p + 2);
  X << X0, Eigen::MatrixXd::Zero(b - a, 2);
  for (int i = t; i < b; ++i) { X(i - a, f.d.p) = 1.0; X(i - a, f.d.p + 1) = i; }
  Eigen::VectorXd ys(b - a);
  for (int i = a; i < b; ++i) ys(i - a) = y[i];
  int rank;
  const double rss = level_change_rss(m, a, t, b, rank);
  EXPECT_NEAR(rss, eigen_rss(X, ys), 1e-8 * (1 + rss));
  EXPECT_EQ(rank, f.d.p + 2);
}

TEST(Classify, FittedValuesMatchEigen) {
  Fixture f(200);
  auto y = noise(f.n, 3);
  y[17] = std::nan("");
  Moments mo;
  const MomentView m = mo.view(f.d, y);
  const int change = 90;
  std::vector<double> fitted(f.n), resid(f.n);
  fit_segmentation(m, f.d.X.data(), y.data(), f.n, &change, 1, fitted.data(), resid.data());
  // Eigen on the second segment (no missing day there).
  Eigen::MatrixXd X = f.rows(change, f.n);
  Eigen::VectorXd ys(f.n - change);
  for (int i = change; i < f.n; ++i) ys(i - change) = y[i];
  const Eigen::VectorXd fit = X * X.colPivHouseholderQr().solve(ys);
  for (int i = change; i < f.n; ++i) EXPECT_NEAR(fitted[i], fit(i - change), 1e-8);
  EXPECT_NEAR(resid[f.n - 2], y[f.n - 1] - fitted[f.n - 1], 1e-12);  // one missing day before
}

TEST(Classify, ChiSquareTail) {
  // Table values: chi2_{1,0.95} = 3.841, chi2_{10,0.95} = 18.307, chi2_{12,0.999} = 32.909.
  EXPECT_NEAR(chi2_upper(3.841, 1), 0.05, 0.005);
  EXPECT_NEAR(chi2_upper(18.307, 10), 0.05, 0.003);
  EXPECT_NEAR(chi2_upper(32.909, 12), 0.001, 0.0005);
  EXPECT_DOUBLE_EQ(chi2_upper(5.0, 0), 1.0);
}

// One change at t = 200 of a 400-day series with a weekly cycle: what changed decides the kind.
SplitTest split_of(double shift, double weekly_after, unsigned seed) {
  Fixture f(400);
  auto y = noise(f.n, seed);
  for (int i = 0; i < f.n; ++i) {
    const double w = std::sin(kTwoPi * f.days[i] / 7.0) + 0.5 * std::cos(2 * kTwoPi * f.days[i] / 7.0);
    y[i] += 10 + (i >= 200 ? shift : 0.0) + (i >= 200 ? weekly_after : 3.0) * w +
            2.0 * std::cos(kTwoPi * f.days[i] / 365.2425);
  }
  Moments mo;
  return classify_split(mo.view(f.d, y), 0, 200, 400, 1.0, 1e-3);
}

TEST(Classify, LevelShiftIsAnEvent) {
  for (unsigned s = 0; s < 10; ++s) EXPECT_EQ(split_of(3.0, 3.0, s).kind, kKindEvent) << s;
}

TEST(Classify, WeeklyAmplitudeChangeIsSeasonal) {
  for (unsigned s = 0; s < 10; ++s) {
    const SplitTest t = split_of(0.0, 0.5, s);
    EXPECT_EQ(t.kind, kKindSeasonal) << s;
    EXPECT_LT(t.p_seasonal, 1e-6);
  }
}

TEST(Classify, ColumnGroupsAreWeeklyYearlyHolidays) {
  Fixture f(100);  // intercept, trend, 6 weekly, 4 yearly, 1 dummy
  ASSERT_EQ(f.d.groups.n, 3);
  EXPECT_EQ(f.d.groups.lo[0], 2);
  EXPECT_EQ(f.d.groups.hi[0], 8);
  EXPECT_EQ(f.d.groups.lo[1], 8);
  EXPECT_EQ(f.d.groups.hi[1], 12);
  EXPECT_EQ(f.d.groups.lo[2], 12);
  EXPECT_EQ(f.d.groups.hi[2], 13);
  EXPECT_EQ(Fixture(100, 0, 2).d.groups.lo[0], 2);  // no weekly columns: yearly comes first
}

// The level model plus one group's steps against Eigen on the explicit design: the basis,
// then 1{i >= t}, i 1{i >= t} and the group's columns times 1{i >= t}.
TEST(Classify, SteppedGroupFitMatchesEigen) {
  Fixture f(500);
  auto y = noise(f.n, 11);
  const int a = 40, t = 260, b = 480;
  Moments mo;
  const MomentView m = mo.view(f.d, y);
  for (int g = 0; g < f.d.groups.n; ++g) {
    const int lo = f.d.groups.lo[g], hi = f.d.groups.hi[g];
    const Eigen::MatrixXd X = f.rows(a, b);
    Eigen::MatrixXd Z(b - a, f.d.p + 2 + (hi - lo));
    Z.leftCols(f.d.p) = X;
    Eigen::VectorXd ys(b - a);
    for (int i = a; i < b; ++i) {
      const double after = i >= t ? 1.0 : 0.0;
      Z(i - a, f.d.p) = after;
      Z(i - a, f.d.p + 1) = after * i;
      for (int j = lo; j < hi; ++j) Z(i - a, f.d.p + 2 + (j - lo)) = after * X(i - a, j);
      ys(i - a) = y[i];
    }
    int rank = 0;
    EXPECT_NEAR(stepped_rss(m, a, t, b, lo, hi, rank), eigen_rss(Z, ys), 1e-7) << g;
    EXPECT_EQ(rank, Z.colPivHouseholderQr().rank()) << g;  // the holiday is outside [a, b)
  }
  int r1 = 0, r2 = 0;
  EXPECT_DOUBLE_EQ(stepped_rss(m, a, t, b, 0, 0, r1), level_change_rss(m, a, t, b, r2));
}

// A small change of the yearly cycle's amplitude (2 -> 2.4, noise sd 1) moves 2 of the 13
// seasonal coefficients; per parameter the whole seasonal group is diluted and often not
// significant at 1e-3. The yearly group on its own finds more of them, and only ever the
// yearly group decides (never weekly or holidays).
TEST(Classify, YearlyAmplitudeChangeIsFoundByItsGroup) {
  Fixture f(1095);
  int with_groups = 0, whole_only = 0;
  for (unsigned seed = 0; seed < 20; ++seed) {
    auto y = noise(f.n, 100 + seed);
    for (int i = 0; i < f.n; ++i)
      y[i] += 10 + 0.002 * i + 2.0 * std::sin(kTwoPi * f.days[i] / 7.0) +
              (i >= 365 ? 2.4 : 2.0) * std::cos(kTwoPi * f.days[i] / 365.2425);
    Moments mo;
    MomentView m = mo.view(f.d, y);
    const SplitTest s = classify_split(m, 0, 365, f.n, 1.0, 1e-3);
    m.groups.n = 0;
    const SplitTest whole = classify_split(m, 0, 365, f.n, 1.0, 1e-3);
    with_groups += s.kind == kKindSeasonal;
    whole_only += whole.kind == kKindSeasonal;
    if (whole.kind == kKindSeasonal) { EXPECT_EQ(s.kind, kKindSeasonal) << seed; }
    if (s.group >= 0) { EXPECT_EQ(s.group, 1) << seed; }
  }
  std::printf("seasonal: %d of 20 with the group tests, %d with the whole group only\n", with_groups, whole_only);
  EXPECT_GE(with_groups, whole_only + 3);
  EXPECT_GE(with_groups, 12);
}

TEST(Classify, BatchedClassificationMatchesSingleCalls) {
  Fixture f(300);
  std::vector<double> y(2 * f.n);
  auto a = noise(f.n, 7), b = noise(f.n, 8);
  for (int i = 0; i < f.n; ++i) {
    const double w = std::sin(kTwoPi * f.days[i] / 7.0);
    y[i] = a[i] + (i >= 150 ? 4.0 : 0.0) + 2 * w;
    y[f.n + i] = b[i] + (i >= 100 ? 0.2 : 3.0) * w;
  }
  ChangeList list;
  list.offsets = {0, 1, 2};
  list.changes = {150, 100};
  classify_changes_cpu(y.data(), 2, f.d, list, 1e-3, nullptr);
  EXPECT_EQ(list.kinds, (std::vector<int>{kKindEvent, kKindSeasonal}));
}

// The level step is the move of the fitted segmentation across each change, a week each
// side, so the weekly cycle (amplitude 2 here) cancels: +3 at day 150, -2 at day 300.
TEST(Classify, LevelStepsMeasureTheMoveOfTheFittedLevel) {
  Fixture f(420);
  std::vector<double> y = noise(f.n, 11);
  for (int i = 0; i < f.n; ++i)
    y[i] = 0.1 * y[i] + 2.0 * std::sin(kTwoPi * f.days[i] / 7.0) + (i >= 150 ? 3.0 : 0.0) -
           (i >= 300 ? 2.0 : 0.0);
  ChangeList list;
  list.offsets = {0, 2};
  list.changes = {150, 300};
  std::vector<double> steps(2), before(2);
  level_steps_cpu(y.data(), 1, f.d, list, 7, steps.data(), before.data());
  EXPECT_NEAR(steps[0], 3.0, 0.1);
  EXPECT_NEAR(steps[1], -2.0, 0.1);
  EXPECT_NEAR(before[0], 0.0, 0.1);
  EXPECT_NEAR(before[1], 3.0, 0.1);
}

// batch_sd: the robust sd of 28-day residual means. White noise (sd 1): ~1/sqrt(28) = 0.19;
// with a random level per 30 days (sd 0.5, the month steps of disaggregated data) the
// means wander far more.
TEST(Classify, BatchScaleSeesMonthSteps) {
  Fixture f(1461);
  std::vector<double> white = noise(f.n, 21), stepped = white;
  std::mt19937 g(22);
  std::normal_distribution<double> level(0.0, 0.5);
  double u = level(g);
  for (int i = 0; i < f.n; ++i) {
    if (i % 30 == 0) u = level(g);
    stepped[static_cast<size_t>(i)] += u;
  }
  std::vector<double> both(white);
  both.insert(both.end(), stepped.begin(), stepped.end());
  double sigma[2], batch_sd[2];
  noise_scale_cpu(both.data(), 2, f.d, sigma, 28, 3.0, batch_sd);
  EXPECT_NEAR(batch_sd[0], 1.0 / std::sqrt(28.0), 0.07);
  EXPECT_GT(batch_sd[1], 0.3);
  double unset[1] = {0.0};
  noise_scale_cpu(white.data(), 1, f.d, sigma, 0, 3.0, unset);  // no batches: NaN
  EXPECT_TRUE(std::isnan(unset[0]));
}

}  // namespace
}  // namespace turnpoint::kernels
