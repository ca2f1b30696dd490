// Binary segmentation (Scott & Knott 1974), the greedy search of ruptures' Binseg:
// repeatedly split the segment whose best single split lowers the cost most.
//   gain(t) = C(a, b) - C(a, t) - C(t, b),  t in [a + m, b - m]
// Within a segment ties go to the largest t, across segments to the leftmost segment
// (exactly ruptures' max() over (gain, t) tuples and over segments).
// Stops after kmax changes, or (pen >= 0) when the best gain is not above pen, or when no
// segment can be split. The changes are returned in the order they were found, so the
// first K of them are the K-change binary-segmentation solution for every K.
//
// Workspace: seg_a, seg_b, best_t (int) and best_g (double), kmax + 1 each.
#pragma once
#include "kernels/hd.hpp"

namespace turnpoint::kernels {

struct BinSegWorkspace {
  int* seg_a;
  int* seg_b;
  int* best_t;
  double* best_g;
};

template <class Cost>
TP_HD void binseg_best_split(const Cost& cost, int a, int b, int m, int& t_out, double& g_out) {
  t_out = -1;
  g_out = -inf();
  if (b - a < 2 * m) return;
  const double whole = cost(a, b);
  for (int t = a + m; t <= b - m; ++t) {
    const double g = whole - cost(a, t) - cost(t, b);
    if (g >= g_out) {  // >=: ties to the largest t
      g_out = g;
      t_out = t;
    }
  }
}

// The serial split search, as a splitter for binary_segmentation_with: `pair` finds the best
// splits of the two halves [a, t) and [t, b) of a segment just split at t.
template <class Cost>
struct SerialSplit {
  const Cost& cost;
  TP_HD void operator()(int a, int b, int m, int& t_out, double& g_out) const {
    binseg_best_split(cost, a, b, m, t_out, g_out);
  }
  TP_HD void pair(int a, int t, int b, int m, int& t1, double& g1, int& t2, double& g2) const {
    binseg_best_split(cost, a, t, m, t1, g1);
    binseg_best_split(cost, t, b, m, t2, g2);
  }
};

// The greedy search with the split search given as `split` (SerialSplit, or the warp-parallel
// one of kernels/binseg_group.hpp): the bookkeeping is the same code for both, so they differ
// only in how a segment's best split is found. Returns the number of changes found; `order`
// receives them in discovery order and `gains` the gain of each at the time it was found.
template <class Split>
TP_HD int binary_segmentation_with(const Split& split, int n, int kmax, double pen, int min_size,
                                   BinSegWorkspace w, int* order, double* gains) {
  const int m = min_size < 1 ? 1 : min_size;
  int nseg = 1;
  w.seg_a[0] = 0;
  w.seg_b[0] = n;
  split(0, n, m, w.best_t[0], w.best_g[0]);
  int k = 0;
  while (k < kmax) {
    int pick = -1;
    for (int i = 0; i < nseg; ++i) {  // segments are kept in left-to-right order
      if (w.best_t[i] < 0) continue;
      if (pick < 0 || w.best_g[i] > w.best_g[pick]) pick = i;
    }
    if (pick < 0) break;
    if (pen >= 0.0 && !(w.best_g[pick] > pen)) break;
    const int t = w.best_t[pick];
    order[k] = t;
    gains[k] = w.best_g[pick];
    ++k;
    // Replace segment `pick` by [a, t) and [t, b), keeping left-to-right order.
    for (int i = nseg; i > pick + 1; --i) {
      w.seg_a[i] = w.seg_a[i - 1];
      w.seg_b[i] = w.seg_b[i - 1];
      w.best_t[i] = w.best_t[i - 1];
      w.best_g[i] = w.best_g[i - 1];
    }
    const int a = w.seg_a[pick], b = w.seg_b[pick];
    w.seg_b[pick] = t;
    w.seg_a[pick + 1] = t;
    w.seg_b[pick + 1] = b;
    ++nseg;
    split.pair(a, t, b, m, w.best_t[pick], w.best_g[pick], w.best_t[pick + 1], w.best_g[pick + 1]);
  }
  return k;
}

template <class Cost>
TP_HD int binary_segmentation(const Cost& cost, int n, int kmax, double pen, int min_size,
                              BinSegWorkspace w, int* order, double* gains) {
  return binary_segmentation_with(SerialSplit<Cost>{cost}, n, kmax, pen, min_size, w, order, gains);
}

}  // namespace turnpoint::kernels
