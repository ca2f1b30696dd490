// Optimal partitioning (Jackson et al. 2005) and PELT (Killick et al. 2012): the exact
// minimiser of  sum of segment costs + pen * (number of changes)  over all segmentations
// whose segments are at least `min_size` days long.
//
// F[s] = min over admissible t of F[t] + C(t, s) + pen,  F[0] = 0; last[s] = the argmin.
// Ties go to the smallest t (the earliest last change), as in ruptures.
// PELT drops t once F[t] + C(t,s) + K > F[s]; with a minimum segment length the proof
// only covers s' >= s + min_size, so a pruned t is removed from step s + min_size on,
// which keeps PELT equal to OP (tested to the index). A small relative margin keeps
// rounding from pruning a candidate that is optimal in exact arithmetic.
//
// Workspace (caller-owned, n + 1 each): F, last; for PELT also cand, kill_at, vals.
#pragma once
#include "kernels/hd.hpp"

namespace turnpoint::kernels {

struct PeltWorkspace {
  double* F;
  int* last;
  int* cand;     // live candidates, ascending
  int* kill_at;  // step from which cand[i] is dropped (INT_MAX-like sentinel if alive)
  double* vals;  // F[t] + C(t, s) of the current step
};

constexpr int kAlive = 0x7fffffff;

// The change points of an optimal partition from last[t] (the start of the last segment of
// the best partition of [0, t)), back-tracked from n, ascending; returns how many. Shared by
// the exact solvers (OP/PELT here, FPOP in kernels/fpop.hpp).
TP_HD int backtrack_changes(const int* last, int n, int* changes) {
  int k = 0;
  for (int s = last[n]; s > 0; s = last[s]) changes[k++] = s;
  for (int i = 0; i < k / 2; ++i) {  // they come out descending: reverse in place
    const int t = changes[i];
    changes[i] = changes[k - 1 - i];
    changes[k - 1 - i] = t;
  }
  return k;
}

// Returns the number of changes; writes the change indices (ascending, each the first day
// of a new segment) to `changes` (capacity n / min_size + 1).
template <class Cost>
TP_HD int optimal_partitioning(const Cost& cost, int n, double pen, int min_size, bool prune,
                               PeltWorkspace w, int* changes) {
  const int m = min_size < 1 ? 1 : min_size;
  if (n < 2 * m) return 0;  // no admissible change
  w.F[0] = 0.0;
  w.last[0] = 0;
  int nc = 0;  // live candidates
  for (int s = m; s <= n; ++s) {
    // t = s - m becomes admissible now (t = 0, or t >= m so its own segment is long enough)
    const int t_new = s - m;
    if (t_new == 0 || t_new >= m) {
      w.cand[nc] = t_new;
      w.kill_at[nc] = kAlive;
      ++nc;
    }
    double best = inf();
    int arg = -1;
    int live = 0;
    for (int i = 0; i < nc; ++i) {
      if (w.kill_at[i] <= s) continue;  // pruned at least min_size steps ago
      const int t = w.cand[i];
      const double v = w.F[t] + cost(t, s);
      w.cand[live] = t;
      w.kill_at[live] = w.kill_at[i];
      w.vals[live] = v;
      ++live;
      if (v + pen < best) {
        best = v + pen;
        arg = t;
      }
    }
    nc = live;
    w.F[s] = best;
    w.last[s] = arg;
    if (prune) {
      const double margin = 1e-9 * (1.0 + (best < 0 ? -best : best));
      for (int i = 0; i < nc; ++i)
        if (w.kill_at[i] == kAlive && w.vals[i] + cost.prune_slack(w.cand[i], s) > best + margin)
          w.kill_at[i] = s + m;
    }
  }
  return backtrack_changes(w.last, n, changes);
}

}  // namespace turnpoint::kernels
