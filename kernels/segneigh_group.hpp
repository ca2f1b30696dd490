// Segment neighbourhood (kernels/segneigh.hpp's recursion, table, tie rule and answers) with
// one block of threads per series:
//   G[k][s] = min over t of G[k-1][t] + C(t, s), ties to the smallest t.
// The ends s go through in blocks of 32, one per lane. For a block [s0, s0 + 32):
//  A. tile: every t < s0 (rows already final) against every s of the block, t spread over
//     the warps in ascending strides (each thread's prefix values at its s in registers:
//     kernels/cost_at_end.hpp); each C(t, s) is computed once and updates all K running
//     minima of its thread (strict <, so each thread keeps the smallest t of its minimum);
//  B. the warps' minima are merged per (s, k) with ties to the smaller t;
//  C. triangle: the few t >= s0 (t <= s - m) depend on rows of this block, so the s of the
//     block are finished in order: the lanes compute C(t, s) for those t, then one thread
//     per k continues the merged minimum over them in ascending t and writes the row.
// The minimum over all t in ascending order with strict < is the pair (value, t) smallest in
// lexicographic order, whatever order the pieces are merged in, so the table is bit for bit
// the serial one. Reference: segment_neighbourhood (tests/kernels/group_model_test.cpp).
#pragma once
#include "kernels/cost_at_end.hpp"
#include "kernels/group_reduce.hpp"
#include "kernels/hd.hpp"
#include "kernels/segneigh.hpp"

namespace turnpoint::kernels {

// Scratch of one series: best_v / best_t hold kmax x G::kSize running minima (slot
// (k - 1) * kSize + thread), tri holds 32 costs. Shared memory on the device where it fits.
struct SegNeighScratch {
  double* best_v;
  int* best_t;
  double* tri;
};

template <class G, class Cost>
TP_HD void segneigh_group(const G& g, const Cost& cost, int n, int kmax, int min_size,
                          SegNeighWorkspace w, SegNeighScratch sc, double* cost_k,
                          int* changes_k) {
  constexpr int N = G::kSize;
  constexpr int W = N / 32;
  const int m = min_size < 1 ? 1 : min_size;
  const long k1 = kmax + 1;
  for (int s0 = 0; s0 <= n; s0 += 32) {
    // A. the tile t in [m, s0) x s in [s0, s0 + 32)
    g.each([&](int i) {
      const int s = s0 + (i & 31);
      for (int k = 1; k <= kmax; ++k) {
        sc.best_v[(k - 1) * N + i] = inf();
        sc.best_t[(k - 1) * N + i] = -1;
      }
      if (s > n) return;
      const auto cs = at_end(cost, s);  // this thread's s is fixed for the whole tile
      for (int t = m + (i >> 5); t < s0 && t <= s - m; t += W) {
        const double c = cs(t, s);
        const double* Gt = w.G + t * k1;
        long kk = t / m;  // the most changes a prefix [0, t) can hold, plus one
        if (kk > kmax) kk = kmax;
        for (long k = 1; k <= kk; ++k) {
          const double v = Gt[k - 1] + c;
          const long slot = (k - 1) * N + i;
          if (v < sc.best_v[slot]) {
            sc.best_v[slot] = v;
            sc.best_t[slot] = t;
          }
        }
      }
    });
    g.sync();
    // B. warp 0's slots take the minimum over the warps
    if constexpr (W > 1) {
      g.each([&](int i) {
        if (i >= 32) return;
        for (int k = 1; k <= kmax; ++k) {
          const long mine = (k - 1) * N + i;
          for (int ww = 1; ww < W; ++ww) {
            const long other = mine + ww * 32;
            if (min_first(sc.best_v[other], sc.best_t[other], sc.best_v[mine], sc.best_t[mine])) {
              sc.best_v[mine] = sc.best_v[other];
              sc.best_t[mine] = sc.best_t[other];
            }
          }
        }
      });
      g.sync();
    }
    // C. the s of the block in order, with the t >= s0 that their rows depend on
    for (int j = 0; j < 32 && s0 + j <= n; ++j) {
      const int s = s0 + j;
      const int tlo = m > s0 ? m : s0;
      const int thi = s - m;  // tlo..thi: at most 31 - m values
      g.each([&](int i) {
        if (i < 32 && tlo + i <= thi) sc.tri[i] = at_end(cost, s)(tlo + i, s);
        if (i == 0) {
          w.G[s * k1] = (s >= m || s == n) ? cost(0, s) : inf();
          w.bp[s * k1] = 0;
        }
      });
      g.sync();
      g.each([&](int i) {
        for (int k = 1 + i; k <= kmax; k += N) {
          double bv = sc.best_v[(k - 1) * N + j];
          int bt = sc.best_t[(k - 1) * N + j];
          for (int t = tlo; t <= thi; ++t) {
            if (k > t / m) continue;  // no k-change prefix ends at t
            const double v = w.G[t * k1 + k - 1] + sc.tri[t - tlo];
            if (v < bv) {  // strict: ties keep the smaller t, as the serial scan
              bv = v;
              bt = t;
            }
          }
          w.G[s * k1 + k] = bv;
          w.bp[s * k1 + k] = bt;
        }
      });
      g.sync();
    }
  }
  g.each([&](int i) {
    if (i == 0) segneigh_backtrack(n, kmax, w, cost_k, changes_k);
  });
  g.sync();
}

}  // namespace turnpoint::kernels
