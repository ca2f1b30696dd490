// PELT (and OP, prune = false) with one warp per series: the same recursion, candidates,
// pruning rule and tie rule as kernels/pelt.hpp's optimal_partitioning, which stays the
// reference (tests/kernels/group_model_test.cpp compares the two to the index and to the bit).
//
// Per step s, in phases (kernels/group_model.hpp's style: a phase runs on every lane):
//  1. lane 0 appends the new candidate t = s - m with F[t] beside it;
//  2. compaction and evaluation, 32 candidates at a time: each lane reads one candidate,
//     a ballot of "still alive" gives every survivor its new position (order preserved, so
//     the list stays ascending), the survivors are written back in place and evaluated:
//     v = F[t] + C(t, s) (the prefix values at s in registers: kernels/cost_at_end.hpp); each
//     lane keeps its own best v + pen (strict <, t ascending within a lane);
//  3. a warp arg-min of (v + pen, t) with ties to the smaller t: the serial argmin;
//  4. pruning: a candidate with v + K(t, s) > F[s] + margin is dropped from step s + m on.
// The candidates are a structure of arrays whose first `cap` entries live in fast memory
// (shared memory on the device) and the rest in a per-series overflow (global memory), so a
// series whose live set outgrows the shared budget still runs, only slower.
#pragma once
#include "kernels/cost_at_end.hpp"
#include "kernels/group_reduce.hpp"
#include "kernels/hd.hpp"
#include "kernels/pelt.hpp"

namespace turnpoint::kernels {

struct CandArrays {
  int* t = nullptr;       // candidate (a possible last change before s)
  double* f = nullptr;    // F[t], copied when t is appended
  int* kill = nullptr;    // step from which the candidate is dropped (kAlive if not pruned)
  double* val = nullptr;  // F[t] + C(t, s) of the current step
};

// Candidate i lives in `fast` for i < cap, else at i - cap in `slow`.
struct CandStore {
  CandArrays fast;
  int cap = 0;
  CandArrays slow;
  TP_HD int& t(int i) const { return i < cap ? fast.t[i] : slow.t[i - cap]; }
  TP_HD double& f(int i) const { return i < cap ? fast.f[i] : slow.f[i - cap]; }
  TP_HD int& kill(int i) const { return i < cap ? fast.kill[i] : slow.kill[i - cap]; }
  TP_HD double& val(int i) const { return i < cap ? fast.val[i] : slow.val[i - cap]; }
};

// The same contract as optimal_partitioning (kernels/pelt.hpp): F and last hold n + 1
// entries, `changes` receives the change indices ascending; returns their number (uniform).
// G must be one warp. The store needs room for n + 1 candidates in all.
template <class G, class Cost>
TP_HD int pelt_group(const G& g, const Cost& cost, int n, double pen, int min_size, bool prune,
                     CandStore c, double* F, int* last, int* changes) {
  static_assert(G::kSize == 32, "PELT runs one warp per series");
  using RegD = typename G::template Reg<double>;
  using RegI = typename G::template Reg<int>;
  using RegB = typename G::template Reg<bool>;
  const int m = min_size < 1 ? 1 : min_size;
  if (n < 2 * m) return 0;
  g.each([&](int l) {
    if (l == 0) {
      F[0] = 0.0;
      last[0] = 0;
    }
  });
  int nc = 0;  // candidates in the store (uniform)
  for (int s = m; s <= n; ++s) {
    const int t_new = s - m;
    if (t_new == 0 || t_new >= m) {
      g.each([&](int l) {
        if (l == 0) {  // F[t_new] was written by this same lane at step t_new
          c.t(nc) = t_new;
          c.f(nc) = F[t_new];
          c.kill(nc) = kAlive;
        }
      });
      ++nc;
      g.sync();
    }
    RegD bv;
    RegI bt;
    g.each([&](int l) {
      bv[l] = inf();
      bt[l] = -1;
    });
    int live = 0;
    const auto cs = at_end(cost, s);  // every candidate ends at s: its prefix in registers
    for (int base = 0; base < nc; base += 32) {
      RegB keep;
      RegI tt, kk;
      RegD ff;
      g.each([&](int l) {
        const int i = base + l;
        keep[l] = i < nc && c.kill(i) > s;  // kill <= s: pruned at least m steps ago
        if (keep[l]) {
          tt[l] = c.t(i);
          ff[l] = c.f(i);
          kk[l] = c.kill(i);
        }
      });
      const typename G::template Reg<unsigned> mask = g.ballot(keep);
      g.sync();  // every lane has read its candidate before any lane overwrites one
      g.each([&](int l) {
        if (!keep[l]) return;
        const int pos = live + popc(mask[l] & ((1u << l) - 1u));
        const double v = ff[l] + cs(tt[l], s);
        c.t(pos) = tt[l];
        c.f(pos) = ff[l];
        c.kill(pos) = kk[l];
        c.val(pos) = v;
        if (v + pen < bv[l]) {
          bv[l] = v + pen;
          bt[l] = tt[l];
        }
      });
      live += popc(mask[0]);  // uniform: the ballot is the same on every lane
      g.sync();
    }
    nc = live;
    warp_best(g, bv, bt, MinFirst{});
    const double best = bv[0];  // uniform after the butterfly
    const int arg = bt[0];
    g.each([&](int l) {
      if (l == 0) {
        F[s] = best;
        last[s] = arg;
      }
    });
    if (prune) {
      const double margin = 1e-9 * (1.0 + (best < 0 ? -best : best));
      for (int base = 0; base < nc; base += 32)
        g.each([&](int l) {
          const int i = base + l;
          if (i < nc && c.kill(i) == kAlive &&
              c.val(i) + cost.prune_slack(c.t(i), s) > best + margin)
            c.kill(i) = s + m;
        });
    }
    g.sync();  // F, last and the pruning marks are seen by every lane from here on
  }
  // Back-track from n (uniform count; lane 0 writes the changes ascending).
  int k = 0;
  for (int s = last[n]; s > 0; s = last[s]) ++k;
  g.each([&](int l) {
    if (l != 0) return;
    int j = k;
    for (int s = last[n]; s > 0; s = last[s]) changes[--j] = s;
  });
  g.sync();
  return k;
}

}  // namespace turnpoint::kernels
