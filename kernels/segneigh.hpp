// Segment neighbourhood (Auger & Lawrence 1989): for every K = 0..kmax the exact best
// segmentation with exactly K changes, in one O(kmax n^2) dynamic programme.
//   G[0][s] = C(0, s);  G[k][s] = min over t of G[k-1][t] + C(t, s),
// t ranging over ends of feasible k-change prefixes with s - t >= min_size.
// Ties go to the smallest t. Infeasible K (n < (K+1) min_size) get cost +inf.
//
// The loop runs over pairs (t, s) and updates every K from one evaluation of C(t, s):
// the cost is computed n^2/2 times instead of kmax n^2/2 times, and the K updates are a
// short add-and-compare loop. G is stored [position][K] so that loop reads contiguously.
//
// Workspace: G and bp, (n + 1) x (kmax + 1) each; memory O(kmax n) per unit of work.
#pragma once
#include "kernels/hd.hpp"

namespace turnpoint::kernels {

struct SegNeighWorkspace {
  double* G;  // [(n+1) * (kmax+1)]: G[s * (kmax+1) + k]
  int* bp;    // back pointers, same shape
};

// The answers of a filled table: cost_k[K] = G[n][K] and row K of changes_k (stride kmax)
// the K changes found by following the back pointers from n. Shared by the serial solver
// below and the block-parallel one (kernels/segneigh_group.hpp).
TP_HD void segneigh_backtrack(int n, int kmax, SegNeighWorkspace w, double* cost_k,
                              int* changes_k) {
  const long k1 = kmax + 1;
  for (long k = 0; k <= kmax; ++k) {
    const double v = w.G[n * k1 + k];
    cost_k[k] = v;
    int* row = changes_k + k * (kmax > 0 ? kmax : 1);
    if (!(v < inf())) {
      for (long j = 0; j < k; ++j) row[j] = -1;
      continue;
    }
    int s = n;
    for (long j = k - 1; j >= 0; --j) {  // change j ends the prefix with j + 1 segments
      s = w.bp[s * k1 + j + 1];
      row[j] = s;
    }
  }
}

// Position s of the table before any change is placed: G[s][0] = C(0, s) (one segment, if it
// is long enough or is the whole series), G[s][K > 0] = +inf with no back pointer. Shared by
// the plain recursion below and the pruned one (kernels/segneigh_fpop.hpp).
template <class Cost>
TP_HD void segneigh_start(const Cost& cost, int s, int n, int kmax, int m, SegNeighWorkspace w) {
  const long k1 = kmax + 1;
  double* Gs = w.G + s * k1;
  int* bs = w.bp + s * k1;
  Gs[0] = (s >= m || s == n) ? cost(0, s) : inf();
  bs[0] = 0;
  for (long k = 1; k <= kmax; ++k) {
    Gs[k] = inf();
    bs[k] = -1;
  }
}

// Fills cost_k[0..kmax] (sum of segment costs of the best K-change segmentation, +inf if
// infeasible) and changes_k (row K holds K ascending changes; row stride kmax).
template <class Cost>
TP_HD void segment_neighbourhood(const Cost& cost, int n, int kmax, int min_size,
                                 SegNeighWorkspace w, double* cost_k, int* changes_k) {
  const int m = min_size < 1 ? 1 : min_size;
  const long k1 = kmax + 1;
  for (int s = 0; s <= n; ++s) {
    double* Gs = w.G + s * k1;
    int* bs = w.bp + s * k1;
    segneigh_start(cost, s, n, kmax, m, w);
    // A k-change prefix ends at t >= k*m; the last segment [t, s) needs s - t >= m.
    for (int t = m; t <= s - m; ++t) {
      const double c = cost(t, s);
      const double* Gt = w.G + t * k1;
      long kk = t / m;  // the most changes a prefix [0, t) can hold, plus one
      if (kk > kmax) kk = kmax;
      for (long k = 1; k <= kk; ++k) {
        const double v = Gt[k - 1] + c;
        if (v < Gs[k]) {  // strict: ties keep the smallest t
          Gs[k] = v;
          bs[k] = t;
        }
      }
    }
  }
  segneigh_backtrack(n, kmax, w, cost_k, changes_k);
}

// The K that minimises cost_k[K] + pen * K over the feasible K (ties: the smallest K);
// both backends choose the reported segmentation with this.
TP_HD int penalised_k(const double* cost_k, int kmax, double pen) {
  int best_k = 0;
  double best = inf();
  for (int k = 0; k <= kmax; ++k) {
    if (!(cost_k[k] < inf())) continue;
    const double v = cost_k[k] + pen * k;
    if (v < best) {
      best = v;
      best_k = k;
    }
  }
  return best_k;
}

}  // namespace turnpoint::kernels
