// MBIC segment term (Zhang & Siegmund 2007, as in R's changepoint): with penalty MBIC
// every segment's cost gets + log(length). The term is not sub-additive
// (log l1 + log l2 can exceed log(l1 + l2)), so PELT must prune with
// K = -log(n/4) >= -max(log l1 + log l2 - log(l1 + l2)); the wrapper says so.
#pragma once
#include <cmath>

#include "kernels/hd.hpp"

namespace turnpoint::kernels {

template <class Cost>
struct MbicCost {
  Cost base;
  int n = 1;  // series length, for the pruning constant
  static constexpr int n_params = Cost::n_params;

  TP_HD double operator()(int a, int b) const {
    return base(a, b) + std::log(static_cast<double>(b - a));
  }
  TP_HD double prune_slack() const {
    const double q = n > 4 ? std::log(static_cast<double>(n) / 4.0) : 0.0;
    return base.prune_slack() - q;
  }
};

}  // namespace turnpoint::kernels
