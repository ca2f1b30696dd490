// The regression cost is exact least squares in double precision for segments from p to
// 10^5 days anywhere in a 10^5-day series, compared with an SVD in long double of the
// segment's own design matrix (tests/kernels/reference.hpp: no prefix sums, no normal equations).
//
// Where the basis itself is numerically rank-deficient on a segment (two yearly harmonic
// pairs over two weeks are almost polynomials), the engine drops the directions below its
// documented cut (kernels/cost_regression.hpp). There the test checks the RSS is bracketed:
// never below the exact fit (no spurious over-fitting) and never above the fit that keeps
// only directions with relative singular value > 1e-3.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "kernels/dispatch.hpp"
#include "reference.hpp"

namespace tk = turnpoint::kernels;
namespace tt = turnpoint::testing;

namespace {

struct Fixture {
  int n = 100000;
  std::vector<std::int32_t> days;
  std::vector<double> x, hi, lo;
  tk::CostParams cp;

  Fixture(int weekly, int yearly) {
    days.resize(n);
    x.resize(n);
    for (int i = 0; i < n; ++i) days[i] = 10000 + i;
    std::mt19937_64 rng(7);
    std::normal_distribution<double> noise(0.0, 1.0);
    for (int i = 0; i < n; ++i)
      x[i] = 3.0 + 1e-4 * i + 0.8 * std::sin(2 * M_PI * days[i] / 7.0) +
             2.0 * std::cos(2 * M_PI * days[i] / 365.2425) + 0.3 * noise(rng);
    cp.id = tk::CostId::regression;
    cp.n = n;
    cp.basis.trend = true;
    cp.basis.weekly = weekly;
    cp.basis.yearly = yearly;
    cp.basis.days = days.data();
    const int ns = tk::stats_count(cp);
    hi.resize(static_cast<size_t>(ns) * (n + 1));
    lo.resize(hi.size());
    std::vector<double> tmp(ns);
    tk::fill_prefix(cp, x.data(), hi.data(), lo.data(), tmp.data());
  }
  tk::RegressionCost cost() const {
    return {{hi.data(), lo.data(), n + 1}, cp.basis.columns(), 1, 1.0};
  }
  std::vector<std::pair<int, int>> segments() const {
    const int p = cp.basis.columns();
    std::vector<std::pair<int, int>> segs;
    for (int len : {p, p + 1, 2 * p, 30, 100, 400, 1461, 10000, 99990})
      for (int a : {0, 1, n / 2, n - len})
        if (a + len <= n) segs.push_back({a, a + len});
    segs.push_back({0, n});
    return segs;
  }
};

double sum_squares(const std::vector<double>& x, int a, int b) {
  double s = 0.0;
  for (int i = a; i < b; ++i) s += x[i] * x[i];
  return s;
}

}  // namespace

TEST(RegressionCost, ExactFromPToHundredThousandDaysWithWeeklyBasis) {
  const Fixture f(/*weekly=*/2, /*yearly=*/0);  // p = 6
  const auto cost = f.cost();
  for (auto [a, b] : f.segments()) {
    double min_sv = 0.0;
    const double ref = tt::direct_regression(f.x, a, b, f.cp.basis, f.n, &min_sv);
    ASSERT_GT(min_sv, 1e-4) << "the weekly basis is well determined on [" << a << "," << b << ")";
    // Relative to the RSS, or to y'y where the fit is (nearly) exact and RSS ~ 0: the RSS
    // is y'y minus the explained part, so that is the scale its rounding lives on.
    EXPECT_NEAR(cost(a, b), ref, std::max(1e-9 * ref, 1e-12 * sum_squares(f.x, a, b)))
        << "[" << a << "," << b << ")";
  }
}

TEST(RegressionCost, ExactWhereWellDeterminedAndBracketedWhereNotWithYearlyBasis) {
  const Fixture f(/*weekly=*/2, /*yearly=*/2);  // p = 10
  const auto cost = f.cost();
  int exact = 0, bracketed = 0;
  for (auto [a, b] : f.segments()) {
    double min_sv = 0.0;
    const double full = tt::direct_regression(f.x, a, b, f.cp.basis, f.n, &min_sv);
    const double got = cost(a, b);
    const double yy = sum_squares(f.x, a, b);
    if (min_sv > 1e-4) {
      EXPECT_NEAR(got, full, std::max(1e-9 * full, 1e-12 * yy)) << "[" << a << "," << b << ")";
      ++exact;
    } else {
      const double coarse = tt::direct_regression(f.x, a, b, f.cp.basis, f.n, nullptr, 1e-3L);
      EXPECT_GE(got, full - 1e-12 * yy) << "[" << a << "," << b << ") min sv " << min_sv;
      EXPECT_LE(got, coarse + 1e-12 * yy) << "[" << a << "," << b << ") min sv " << min_sv;
      ++bracketed;
    }
  }
  EXPECT_GE(exact, 20);
  EXPECT_GE(bracketed, 1);
}
