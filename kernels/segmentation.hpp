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

// Gain of change j given its neighbours: C(prev, next) - C(prev, t) - C(t, next). One at a
// time so that the GPU can spread a series' changes over its threads.
template <class Cost>
TP_HD double change_gain(const Cost& cost, int n, const int* changes, int k, int j) {
  const int a = j > 0 ? changes[j - 1] : 0;
  const int b = j + 1 < k ? changes[j + 1] : n;
  const int t = changes[j];
  return cost(a, b) - cost(a, t) - cost(t, b);
}

// The gain of every change.
template <class Cost>
TP_HD void change_gains(const Cost& cost, int n, const int* changes, int k, double* gains) {
  for (int j = 0; j < k; ++j) gains[j] = change_gain(cost, n, changes, k, j);
}

}  // namespace turnpoint::kernels
