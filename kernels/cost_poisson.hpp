// Poisson change in rate (R changepoint's cpt.meanvar(test.stat = "Poisson")).
//   C(a, b) = 2 (S - S log(S / c)),  S = sum of x, c = number of non-missing days,
// -2 log-likelihood without the data-only log(x!) term. Needs x >= 0 (checked on input).
#pragma once
#include <cmath>

#include "kernels/cost_mean.hpp"

namespace turnpoint::kernels {

struct PoissonStats {
  static constexpr int n_stats = 2;
  TP_HD static void day(double x, double* out) {
    const bool ok = x == x;
    out[0] = ok ? 1.0 : 0.0;
    out[1] = ok ? x : 0.0;
  }
};

template <class P = PrefixView>  // as MeanCostT
struct PoissonCostT {
  P p;
  static constexpr int n_params = 1;

  TP_HD double operator()(int a, int b) const {
    const double c = p.seg(0, a, b);
    const double s = p.seg(1, a, b);
    if (c <= 0.0 || s <= 0.0) return 0.0;
    return 2.0 * (s - s * std::log(s / c));
  }
  TP_HD double prune_slack(int, int) const { return 0.0; }
};
using PoissonCost = PoissonCostT<>;

}  // namespace turnpoint::kernels
