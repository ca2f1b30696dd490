// Optimal partitioning (no pruning) with one block of threads per series: at step s every
// admissible t (0 and m..s-m, all of them: OP never drops one) is one evaluation of
// F[t] + C(t, s), spread over the block's threads in ascending strides; a block arg-min with
// ties to the smaller t gives kernels/pelt.hpp's answer. OP needs no candidate list, so each
// step is one evaluation phase and one reduction. The reference is optimal_partitioning with
// prune = false (tests/kernels/group_model_test.cpp).
#pragma once
#include "kernels/cost_at_end.hpp"
#include "kernels/group_reduce.hpp"
#include "kernels/hd.hpp"

namespace turnpoint::kernels {

// F, last: n + 1 each; scratch_v / scratch_t: one slot per warp of G. Returns the number of
// changes (uniform) written ascending to `changes`.
template <class G, class Cost>
TP_HD int op_group(const G& g, const Cost& cost, int n, double pen, int min_size, double* F,
                   int* last, double* scratch_v, int* scratch_t, int* changes) {
  using RegD = typename G::template Reg<double>;
  using RegI = typename G::template Reg<int>;
  const int m = min_size < 1 ? 1 : min_size;
  if (n < 2 * m) return 0;
  g.each([&](int i) {
    if (i == 0) {
      F[0] = 0.0;
      last[0] = 0;
    }
  });
  g.sync();
  for (int s = m; s <= n; ++s) {
    // Admissible last changes before s: t = 0, and t in [m, s - m] (kernels/pelt.hpp).
    const int count = 1 + (s - 2 * m + 1 > 0 ? s - 2 * m + 1 : 0);
    RegD bv;
    RegI bt;
    const auto cs = at_end(cost, s);
    g.each([&](int i) {
      double best = inf();
      int arg = -1;
      for (int j = i; j < count; j += G::kSize) {
        const int t = j == 0 ? 0 : m + j - 1;
        const double v = F[t] + cs(t, s);
        if (v + pen < best) {
          best = v + pen;
          arg = t;
        }
      }
      bv[i] = best;
      bt[i] = arg;
    });
    double best;
    int arg;
    group_best(g, bv, bt, MinFirst{}, scratch_v, scratch_t, best, arg);
    g.each([&](int i) {
      if (i == 0) {
        F[s] = best;
        last[s] = arg;
      }
    });
    g.sync();
  }
  int k = 0;
  for (int s = last[n]; s > 0; s = last[s]) ++k;
  g.each([&](int i) {
    if (i != 0) return;
    int j = k;
    for (int s = last[n]; s > 0; s = last[s]) changes[--j] = s;
  });
  g.sync();
  return k;
}

}  // namespace turnpoint::kernels
