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

// A cost choice as a type: the CUDA backend switches on the cost once per batch, on the
// host, and launches one kernel instantiation per cost (kernels/detect_cuda.cu), so the mean
// cost's kernel carries none of the regression cost's registers and stack.
template <CostId Id, bool Mbic>
struct CostTag {
  static constexpr CostId id = Id;
  static constexpr bool mbic = Mbic;
};

// Calls f(CostTag<id, mbic>{}) for the run-time choice.
template <class F>
TP_HD void with_cost_tag(CostId id, bool mbic, F&& f) {
  switch (id) {
    case CostId::mean: mbic ? f(CostTag<CostId::mean, true>{}) : f(CostTag<CostId::mean, false>{}); break;
    case CostId::meanvar:
      mbic ? f(CostTag<CostId::meanvar, true>{}) : f(CostTag<CostId::meanvar, false>{});
      break;
    case CostId::poisson:
      mbic ? f(CostTag<CostId::poisson, true>{}) : f(CostTag<CostId::poisson, false>{});
      break;
    case CostId::regression:
      mbic ? f(CostTag<CostId::regression, true>{}) : f(CostTag<CostId::regression, false>{});
      break;
  }
}

// The functor of cost Id (with the MBIC segment term when Mbic) for one series: the one place
// where parameters become a cost, for both backends.
template <CostId Id, bool Mbic>
TP_HD auto make_cost(const CostParams& c, PrefixView p) {
  if constexpr (Mbic) {
    using Base = decltype(make_cost<Id, false>(c, p));
    return MbicCost<Base>{make_cost<Id, false>(c, p), c.n, c.log_len};
  } else if constexpr (Id == CostId::mean) {
    return MeanCost{p, c.inv_var, c.inv_len};
  } else if constexpr (Id == CostId::meanvar) {
    return MeanVarCost{p, c.var_floor, c.inv_len};
  } else if constexpr (Id == CostId::poisson) {
    return PoissonCost{p};
  } else {
    return RegressionCost{p, c.basis.columns(), c.basis.trend_column(), c.inv_var};
  }
}

// Calls f(cost) with the functor for the series' run-time cost choice.
template <class F>
TP_HD void with_cost(const CostParams& c, PrefixView p, F&& f) {
  with_cost_tag(c.id, c.mbic, [&](auto tag) {
    using Tag = decltype(tag);
    f(make_cost<Tag::id, Tag::mbic>(c, p));
  });
}

}  // namespace turnpoint::kernels
