// Segment neighbourhood with functional pruning (pDPA, Rigaill 2015; the row update of
// kernels/fpop.hpp): the same table G, back pointers, tie rule and answers as
// segment_neighbourhood (kernels/segneigh.hpp), row by row instead of pair by pair.
//
// Row k (k changes) is   G[s][k] = min over t of G[t][k-1] + C(t, s),  t >= k m, s - t >= m,
// an optimal-partitioning row with the previous row as its base and no penalty; candidate t's
// cost as a function of the last segment's mean stays comparable with every later
// candidate's, so a candidate beaten at every mean is dropped for good (the FPOP argument,
// unchanged: the rows differ only in their base values). Used for the mean cost without the
// MBIC term (fpop_pays); the others run the O(kmax n^2) recursion.
//
// Why it pays: the plain recursion evaluates C(t, s) for all n^2 / 2 pairs whatever the data;
// here each row keeps the few candidates that can still win (O(log n) on piecewise-constant
// series), so the work is ~kmax n (candidates + envelope pieces). The values are computed
// with the same operations in the same order, so G is equal to the bit (tested); among
// candidates whose costs tie to the bit a later one may be kept (kernels/fpop.hpp, ties).
//
// Workspace: G and bp as segment_neighbourhood; FpopWorkspace's cand, kill_at, slot (n + 1
// each) and its two piece buffers (fpop_piece_capacity(n) each); its F and last are unused.
#pragma once
#include "kernels/fpop.hpp"
#include "kernels/segneigh.hpp"

namespace turnpoint::kernels {

template <class Cost>
TP_HD void segment_neighbourhood_fpop(const Cost& cost, int n, int kmax, int min_size,
                                      SegNeighWorkspace w, FpopWorkspace fw, double* cost_k,
                                      int* changes_k) {
  const int m = min_size < 1 ? 1 : min_size;
  const long k1 = kmax + 1;
  for (int s = 0; s <= n; ++s) segneigh_start(cost, s, n, kmax, m, w);
  for (int k = 1; k <= kmax; ++k) {
    const long first = static_cast<long>(k) * m;  // the shortest prefix holding k segments
    if (first + m > n) break;                     // no room for k changes, nor for more
    functional_pruning_row(cost, n, 0.0, m, static_cast<int>(first),
                           FpopRow{w.G + (k - 1), k1, w.G + k, k1, w.bp + k, k1}, fw);
  }
  segneigh_backtrack(n, kmax, w, cost_k, changes_k);
}

}  // namespace turnpoint::kernels
