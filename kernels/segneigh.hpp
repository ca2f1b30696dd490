// Segment neighbourhood (Auger & Lawrence 1989): for every K = 0..kmax the exact best
// segmentation with exactly K changes, in one O(kmax n^2) dynamic programme.
//   G[0][s] = C(0, s);  G[k][s] = min over t of G[k-1][t] + C(t, s),
// t ranging over ends of feasible k-change prefixes with s - t >= min_size.
// Ties go to the smallest t. Infeasible K (n < (K+1) min_size) get cost +inf.
//
// Workspace: G and bp, (kmax + 1) x (n + 1) each; memory O(kmax n) per unit of work.
#pragma once
#include "kernels/hd.hpp"

namespace turnpoint::kernels {

struct SegNeighWorkspace {
  double* G;  // [(kmax+1) * (n+1)]
  int* bp;    // back pointers, same shape
};

// Fills cost_k[0..kmax] (sum of segment costs of the best K-change segmentation, +inf if
// infeasible) and changes_k (row K holds K ascending changes; row stride kmax).
template <class Cost>
TP_HD void segment_neighbourhood(const Cost& cost, int n, int kmax, int min_size,
                                 SegNeighWorkspace w, double* cost_k, int* changes_k) {
  const int m = min_size < 1 ? 1 : min_size;
  const long n1 = n + 1;
  for (int s = 0; s <= n; ++s) {
    w.G[s] = (s >= m || s == n) ? cost(0, s) : inf();
    w.bp[s] = 0;
  }
  for (int k = 1; k <= kmax; ++k) {
    double* Gk = w.G + k * n1;
    const double* Gp = w.G + (k - 1) * n1;
    int* bk = w.bp + k * n1;
    for (int s = 0; s <= n; ++s) {
      double best = inf();
      int arg = -1;
      // the previous prefix ends at t >= k*m and leaves s - t >= m
      for (int t = k * m; t <= s - m; ++t) {
        if (!(Gp[t] < inf())) continue;
        const double v = Gp[t] + cost(t, s);
        if (v < best) {
          best = v;
          arg = t;
        }
      }
      Gk[s] = best;
      bk[s] = arg;
    }
  }
  for (int k = 0; k <= kmax; ++k) {
    const double v = w.G[k * n1 + n];
    cost_k[k] = v;
    int* row = changes_k + static_cast<long>(k) * (kmax > 0 ? kmax : 1);
    if (!(v < inf())) {
      for (int j = 0; j < k; ++j) row[j] = -1;
      continue;
    }
    int s = n;
    for (long j = k - 1; j >= 0; --j) {  // change j ends the prefix with j + 1 segments
      s = w.bp[(j + 1) * n1 + s];
      row[j] = s;
    }
  }
}

}  // namespace turnpoint::kernels
