// The pattern-model search (kernels/pattern_search.hpp): its gains against a brute-force
// generalised least squares built here with Eigen from the explicit whitening matrix and
// ridge rows (an independent implementation of the model's definition), for every family,
// with missing days, AR(1) noise and month effects; then the whole search on series built
// with a known turning point.
#include <cmath>
#include <random>
#include <vector>

#include <Eigen/Dense>
#include <gtest/gtest.h>

#include "kernels/pattern_noise.hpp"
#include "kernels/pattern_search.hpp"

namespace turnpoint::kernels {
namespace {

constexpr double kPi = 3.14159265358979323846;

// n days, 30-day months; pattern: intercept, trend, one weekly pair.
PatternDesign small_design(int n) {
  PatternDesign d;
  d.n = n;
  d.p = 4;
  d.X.resize(static_cast<std::size_t>(n) * 4);
  for (int t = 0; t < n; ++t) {
    double* r = &d.X[static_cast<std::size_t>(t) * 4];
    r[0] = 1.0;
    r[1] = (t - n / 2.0) / n;
    r[2] = std::sin(2 * kPi * t / 7.0);
    r[3] = std::cos(2 * kPi * t / 7.0);
  }
  d.month.resize(n);
  for (int t = 0; t < n; ++t) d.month[t] = t / 30;
  d.n_months = (n + 29) / 30;
  d.families = {
      {"step", ChangeKind::event, {{-1, {0, 0.0}}}},
      {"kink", ChangeKind::event, {{-1, {1, 0.0}}}},
      {"step_kink", ChangeKind::event, {{-1, {0, 0.0}}, {-1, {1, 0.0}}}},
      {"transient7", ChangeKind::event, {{-1, {0, 7.0}}}},
      {"weekly", ChangeKind::seasonal, {{2, {0, 0.0}}, {3, {0, 0.0}}}},
      {"bend", ChangeKind::event, {{-1, {1, 0.0}}, {-1, {2, 0.0}}}},
      {"kink_transient", ChangeKind::event, {{-1, {1, 30.0}}, {2, {0, 15.0}}}},
  };
  return d;
}

double shape(const OnsetShape& s, int d) {
  if (d < 0) return 0.0;
  double v = s.m == 0 ? 1.0 : std::pow(d / 365.25, s.m);
  if (s.rho > 0) v *= std::exp(-d / s.rho);
  return v;
}

// Whitened RSS of y on the given columns (each [n] over the axis), by explicit matrices.
struct Brute {
  const PatternDesign& d;
  std::vector<int> rows;
  PatternNoise noise;
  Eigen::MatrixXd A;  // nv x nv whitening
  int K = 0;
  std::vector<int> month_index;

  Brute(const PatternDesign& des, const std::vector<double>& y, const PatternNoise& nz)
      : d(des), noise(nz) {
    for (int t = 0; t < d.n; ++t)
      if (!std::isnan(y[t])) rows.push_back(t);
    const int nv = static_cast<int>(rows.size());
    A = Eigen::MatrixXd::Zero(nv, nv);
    const double phi = noise.phi;
    A(0, 0) = std::sqrt(1 - phi * phi);
    for (int j = 1; j < nv; ++j) {
      const int g = rows[j] - rows[j - 1];
      const double a = std::pow(phi, g);
      const double w = phi == 0.0 ? 1.0 : std::sqrt((1 - phi * phi) / (1 - a * a));
      A(j, j) = w;
      A(j, j - 1) = -w * a;
    }
    month_index.assign(d.n_months, -1);
    for (int t : rows)
      if (month_index[d.month[t]] < 0) month_index[d.month[t]] = K++;
  }
  double rss(const std::vector<double>& y, const std::vector<std::vector<double>>& extra) const {
    const int nv = static_cast<int>(rows.size());
    const int cols = d.p + K + static_cast<int>(extra.size());
    Eigen::MatrixXd M = Eigen::MatrixXd::Zero(nv + K, cols);
    Eigen::VectorXd yy = Eigen::VectorXd::Zero(nv + K);
    Eigen::MatrixXd raw(nv, cols);
    raw.setZero();
    Eigen::VectorXd yv(nv);
    for (int j = 0; j < nv; ++j) {
      yv(j) = y[rows[j]];
      for (int c = 0; c < d.p; ++c) raw(j, c) = d.row(rows[j])[c];
      raw(j, d.p + month_index[d.month[rows[j]]]) = 1.0;
      for (std::size_t e = 0; e < extra.size(); ++e) raw(j, d.p + K + e) = extra[e][rows[j]];
    }
    M.topRows(nv) = A * raw;
    yy.head(nv) = A * yv;
    const double lambda = noise.sigma_e / noise.tau;
    for (int k = 0; k < K; ++k) M(nv + k, d.p + k) = lambda;
    const Eigen::VectorXd beta = M.colPivHouseholderQr().solve(yy);
    return (yy - M * beta).squaredNorm();
  }
  std::vector<std::vector<double>> columns(int family, int tau) const {
    std::vector<std::vector<double>> out;
    for (const FamilyColumn& fc : d.families[family].columns) {
      std::vector<double> z(d.n, 0.0);
      for (int t = tau; t < d.n; ++t) z[t] = (fc.base < 0 ? 1.0 : d.row(t)[fc.base]) * shape(fc.shape, t - tau);
      out.push_back(z);
    }
    return out;
  }
};

TEST(PatternSearch, GainsEqualBruteForceGls) {
  const int n = 150;
  const PatternDesign d = small_design(n);
  std::mt19937_64 rng(7);
  std::normal_distribution<double> nd;
  for (int trial = 0; trial < 3; ++trial) {
    std::vector<double> y(n);
    double ar = 0.0;
    for (int t = 0; t < n; ++t) {
      ar = 0.5 * ar + nd(rng);
      y[t] = 2.0 + 0.3 * std::sin(2 * kPi * t / 7.0) + (t >= 90 ? 1.5 : 0.0) + ar;
    }
    for (int t : {3, 40, 41, 42, 77, 120}) y[t] = std::nan("");  // missing days, a gap
    const PatternNoise noise{0.4 + 0.1 * trial, 0.8, 0.5};
    const Brute brute(d, y, noise);
    const std::vector<std::pair<int, int>> given = {{90, 0}};
    const double se2 = noise.sigma_e * noise.sigma_e;
    const double base = brute.rss(y, brute.columns(0, 90));
    for (int f = 0; f < static_cast<int>(d.families.size()); ++f) {
      const std::vector<double> g = pattern_gains(d, y.data(), noise, given, f, 5);
      int checked = 0;
      for (int tau = 0; tau < n; ++tau) {
        if (g[tau] == 0.0) continue;
        auto cols = brute.columns(0, 90);
        for (auto& c : brute.columns(f, tau)) cols.push_back(c);
        const double expected = (base - brute.rss(y, cols)) / se2;
        ASSERT_NEAR(g[tau], expected, 1e-6 * (1.0 + expected))
            << "family " << d.families[f].name << " tau " << tau << " trial " << trial;
        ++checked;
      }
      EXPECT_GT(checked, 100) << d.families[f].name;
    }
  }
}

// A series with the pattern, AR(1) noise and one change of `family` at `tau`.
std::vector<double> series_with(const PatternDesign& d, int family, int tau, double size,
                                std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> nd;
  std::vector<double> y(d.n);
  double ar = 0.0;
  for (int t = 0; t < d.n; ++t) {
    ar = 0.3 * ar + 0.05 * nd(rng);
    y[t] = 1.0 + 0.2 * d.row(t)[1] + 0.1 * d.row(t)[2] + ar;
    if (family >= 0)
      for (const FamilyColumn& fc : d.families[family].columns)
        y[t] += size * (fc.base < 0 ? 1.0 : d.row(t)[fc.base]) * shape(fc.shape, t - tau);
  }
  return y;
}

TEST(PatternSearch, FindsAStepOnItsDayAndNothingWithoutIt) {
  const PatternDesign d = small_design(400);
  PatternSearchSettings s;
  int exact = 0, empty = 0;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const auto y = series_with(d, 0, 211, 0.5, seed);
    const PatternFit fit = fit_pattern(d, y.data(), s);
    ASSERT_EQ(fit.status, SeriesStatus::ok);

    ASSERT_GE(fit.changes.size(), 1u);
    for (const auto& c : fit.changes)
      if (c.index == 211 && d.families[c.family].kind == ChangeKind::event) {  // step (or step+kink)
        ++exact;
        EXPECT_NEAR(c.level_step, 0.5, 0.1);
        EXPECT_LE(c.ci_lo, 211);
        EXPECT_GE(c.ci_hi, 211);
      }
    const auto flat = series_with(d, -1, 0, 0.0, 100 + seed);
    empty += fit_pattern(d, flat.data(), s).changes.empty() ? 1 : 0;
  }
  EXPECT_EQ(exact, 20);
  EXPECT_GE(empty, 18);
}

// A series stepping at month boundaries by construction (its month levels are noise of sd
// 0.1, its days within a month nearly flat: a monthly statistic spread over days), with an
// episode: two months 7 sd below the rest, then back (a lockdown and the reopening).
// Under the month effects neither step alone pays much -- the episode's months are only
// moderately unusual, and a single step leaves the months after the reopening misfitted --
// so forward selection one change at a time stops before it; the two steps together pay
// several times over.
std::vector<double> month_step_series(const PatternDesign& d, int episode, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> nd;
  std::vector<double> level(d.n_months);
  for (int m = 0; m < d.n_months; ++m)
    level[m] = 0.1 * nd(rng) + (m == episode || m == episode + 1 ? -0.7 : 0.0);
  std::vector<double> y(d.n);
  double ar = 0.0;
  for (int t = 0; t < d.n; ++t) {
    ar = 0.3 * ar + 0.01 * nd(rng);
    y[t] = 1.0 + level[d.month[t]] + 0.02 * d.row(t)[2] + ar;
  }
  return y;
}

TEST(PatternSearch, FindsAnEpisodeOfTwoStepsThatPayOnlyTogether) {
  const PatternDesign d = small_design(1500);  // 50 months of 30 days
  int found = 0, quiet = 0;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    const auto y = month_step_series(d, 30, seed);
    const PatternFit fit = fit_pattern(d, y.data(), PatternSearchSettings{});
    ASSERT_EQ(fit.status, SeriesStatus::ok);
    bool down = false, up = false;
    for (const auto& c : fit.changes) {
      down = down || (std::abs(c.index - 900) <= 2 && c.level_step < -0.3);
      up = up || (std::abs(c.index - 960) <= 2 && c.level_step > 0.3);
    }
    found += down && up ? 1 : 0;
    // the same months without the episode: nothing
    const auto plain = month_step_series(d, -10, seed);
    quiet += fit_pattern(d, plain.data(), PatternSearchSettings{}).changes.empty() ? 1 : 0;
  }
  EXPECT_GE(found, 9);
  EXPECT_GE(quiet, 9);
}

TEST(PatternSearch, TypesAWeeklyChangeAsSeasonal) {
  const PatternDesign d = small_design(400);
  const auto y = series_with(d, 4, 250, 0.3, 3);
  const PatternFit fit = fit_pattern(d, y.data(), PatternSearchSettings{});
  ASSERT_EQ(fit.changes.size(), 1u);
  EXPECT_EQ(d.families[fit.changes[0].family].kind, ChangeKind::seasonal);
  EXPECT_NEAR(fit.changes[0].index, 250, 3);
}

TEST(PatternSearch, ConstantAndShortSeries) {
  const PatternDesign d = small_design(200);
  std::vector<double> y(200, 3.0);
  EXPECT_EQ(fit_pattern(d, y.data(), PatternSearchSettings{}).status, SeriesStatus::constant);
  std::vector<double> few(200, std::nan(""));
  for (int t = 0; t < 10; ++t) few[t] = t;
  EXPECT_EQ(fit_pattern(d, few.data(), PatternSearchSettings{}).status, SeriesStatus::empty);
}

TEST(PatternNoise, RecoversArCoefficientAndMonthEffects) {
  const PatternDesign d = small_design(1500);
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> nd;
    std::vector<double> month_effect(d.n_months);
    for (double& m : month_effect) m = 0.2 * nd(rng);
    std::vector<double> y(d.n);
    double ar = 0.0;
    for (int t = 0; t < d.n; ++t) {
      ar = 0.5 * ar + 0.1 * nd(rng);
      y[t] = 1.0 + month_effect[d.month[t]] + ar;
    }
    std::vector<int> rows(d.n);
    for (int t = 0; t < d.n; ++t) rows[t] = t;
    const PatternNoise n = estimate_pattern_noise(d, y.data(), rows, 0.8);
    // tau against the same robust estimate made from the month effects themselves (50
    // months: the estimator's own sampling error is larger than any bias checked here).
    std::vector<double> steps;
    for (int m = 1; m < d.n_months; ++m) steps.push_back(month_effect[m] - month_effect[m - 1]);
    EXPECT_NEAR(n.tau, std::sqrt(robust_variance(steps) / 2), 0.04) << seed;
    EXPECT_NEAR(n.phi, 0.5, 0.2) << seed;
    EXPECT_NEAR(n.sigma_e, 0.1, 0.01) << seed;
  }
}

}  // namespace
}  // namespace turnpoint::kernels
