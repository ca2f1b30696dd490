// Turns a run-time cost choice into a concrete cost functor, once, for both backends:
// builds the prefix sums of a series' sufficient statistics and calls f(cost).
#pragma once
#include "kernels/basis.hpp"
#include "kernels/cost_mbic.hpp"
#include "kernels/cost_mean.hpp"
#include "kernels/cost_meanvar.hpp"
#include "kernels/cost_poisson.hpp"
#include "kernels/cost_regression.hpp"
#include "kernels/prefix.hpp"

namespace turnpoint::kernels {

enum class CostId : int { mean = 0, meanvar = 1, poisson = 2, regression = 3 };

// Everything a cost needs besides the prefix sums, for one series.
struct CostParams {
  CostId id = CostId::mean;
  bool mbic = false;
  int n = 0;
  double inv_var = 1.0;    // mean, regression
  double var_floor = 0.0;  // meanvar
  BasisSpec basis{};       // regression
  const double* log_len = nullptr;  // MBIC: optional table of log(0..n)
  const double* inv_len = nullptr;  // optional table of 1/(0..n), only with no missing day
};

TP_HD int stats_count(const CostParams& c) {
  switch (c.id) {
    case CostId::mean:
    case CostId::meanvar: return MeanStats::n_stats;
    case CostId::poisson: return PoissonStats::n_stats;
    case CostId::regression: return RegressionStats{c.basis, c.n}.n_stats();
  }
  return 0;
}

// Compensated prefix sums of the statistics of x[0..n) (x already shifted), written to
// hi/lo with layout stat * (n + 1) + i. `tmp` holds stats_count(c) doubles.
TP_HD void fill_prefix(const CostParams& c, const double* x, double* hi, double* lo, double* tmp) {
  const int ns = stats_count(c);
  const long n1 = c.n + 1;
  for (int s = 0; s < ns; ++s) {
    hi[s * n1] = 0.0;
    lo[s * n1] = 0.0;
  }
  const RegressionStats rs{c.basis, c.n};
  for (int i = 0; i < c.n; ++i) {
    switch (c.id) {
      case CostId::mean:
      case CostId::meanvar: MeanStats::day(x[i], tmp); break;
      case CostId::poisson: PoissonStats::day(x[i], tmp); break;
      case CostId::regression: rs.day(i, x[i], tmp); break;
    }
    for (int s = 0; s < ns; ++s) {
      double h = hi[s * n1 + i], l = lo[s * n1 + i];
      accumulate(h, l, tmp[s]);
      hi[s * n1 + i + 1] = h;
      lo[s * n1 + i + 1] = l;
    }
  }
}

template <class Cost, class F>
TP_HD void with_mbic(const CostParams& c, const Cost& base, F&& f) {
  if (c.mbic) {
    f(MbicCost<Cost>{base, c.n, c.log_len});
  } else {
    f(base);
  }
}

template <class F>
TP_HD void with_cost(const CostParams& c, PrefixView p, F&& f) {
  switch (c.id) {
    case CostId::mean: with_mbic(c, MeanCost{p, c.inv_var, c.inv_len}, f); break;
    case CostId::meanvar: with_mbic(c, MeanVarCost{p, c.var_floor, c.inv_len}, f); break;
    case CostId::poisson: with_mbic(c, PoissonCost{p}, f); break;
    case CostId::regression:
      with_mbic(c, RegressionCost{p, c.basis.columns(), c.basis.trend_column(), c.inv_var}, f);
      break;
  }
}

}  // namespace turnpoint::kernels
