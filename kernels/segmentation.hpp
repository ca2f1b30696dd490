// Small host/device helpers on a finished segmentation, shared by all searches.
#pragma once
#include "kernels/hd.hpp"

namespace turnpoint::kernels {

// Sum of segment costs of the segmentation with `k` ascending changes.
template <class Cost>
TP_HD double segmentation_cost(const Cost& cost, int n, const int* changes, int k) {
  double total = 0.0;
  int a = 0;
  for (int j = 0; j <= k; ++j) {
    const int b = j < k ? changes[j] : n;
    total += cost(a, b);
    a = b;
  }
  return total;
}

// Gain of each change given its neighbours: C(prev, next) - C(prev, t) - C(t, next).
template <class Cost>
TP_HD void change_gains(const Cost& cost, int n, const int* changes, int k, double* gains) {
  for (int j = 0; j < k; ++j) {
    const int a = j > 0 ? changes[j - 1] : 0;
    const int b = j + 1 < k ? changes[j + 1] : n;
    const int t = changes[j];
    gains[j] = cost(a, b) - cost(a, t) - cost(t, b);
  }
}

}  // namespace turnpoint::kernels
