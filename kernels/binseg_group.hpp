// Binary segmentation with one warp per series: kernels/binseg.hpp's greedy bookkeeping
// (binary_segmentation_with, uniform code) with the split search done by the warp. When a
// segment is split at t, the split gains of both halves are computed in one pass: the
// candidate splits of [a, t) and of [t, b) form one list that the lanes stride over, so short
// halves still keep every lane busy; two warp arg-maxes (ties to the larger t, as the serial
// scan's >=) give each half's best split. Reference: binary_segmentation
// (tests/kernels/group_model_test.cpp).
#pragma once
#include "kernels/binseg.hpp"
#include "kernels/group_reduce.hpp"
#include "kernels/hd.hpp"

namespace turnpoint::kernels {

template <class G, class Cost>
struct GroupSplit {
  static_assert(G::kSize == 32, "the split search runs on one warp");
  const G& g;
  const Cost& cost;

  // Best splits of [a0, b0) and [a1, b1) (a segment of fewer than 2m days has none: -1, -inf).
  TP_HD void two(int a0, int b0, int a1, int b1, int m, int& t0, double& g0, int& t1,
                 double& g1) const {
    using RegD = typename G::template Reg<double>;
    using RegI = typename G::template Reg<int>;
    const int len0 = b0 - a0 >= 2 * m ? b0 - a0 - 2 * m + 1 : 0;
    const int len1 = b1 - a1 >= 2 * m ? b1 - a1 - 2 * m + 1 : 0;
    const double whole0 = len0 > 0 ? cost(a0, b0) : 0.0;
    const double whole1 = len1 > 0 ? cost(a1, b1) : 0.0;
    RegD v0, v1;
    RegI i0, i1;
    g.each([&](int l) {
      v0[l] = -inf();
      i0[l] = -1;
      v1[l] = -inf();
      i1[l] = -1;
      for (int j = l; j < len0 + len1; j += 32) {
        if (j < len0) {
          const int t = a0 + m + j;
          const double gain = whole0 - cost(a0, t) - cost(t, b0);
          if (gain >= v0[l]) {  // >=: ties to the largest t
            v0[l] = gain;
            i0[l] = t;
          }
        } else {
          const int t = a1 + m + (j - len0);
          const double gain = whole1 - cost(a1, t) - cost(t, b1);
          if (gain >= v1[l]) {
            v1[l] = gain;
            i1[l] = t;
          }
        }
      }
    });
    warp_best(g, v0, i0, MaxLast{});
    warp_best(g, v1, i1, MaxLast{});
    t0 = i0[0];  // uniform after the butterflies
    g0 = v0[0];
    t1 = i1[0];
    g1 = v1[0];
  }

  TP_HD void operator()(int a, int b, int m, int& t_out, double& g_out) const {
    int t_none;
    double g_none;
    two(a, b, 0, 0, m, t_out, g_out, t_none, g_none);
  }
  TP_HD void pair(int a, int t, int b, int m, int& t1, double& g1, int& t2, double& g2) const {
    two(a, t, t, b, m, t1, g1, t2, g2);
  }
};

// binary_segmentation's contract (kernels/binseg.hpp); the workspace is written by uniform
// code (every lane writes the same values).
template <class G, class Cost>
TP_HD int binseg_group(const G& g, const Cost& cost, int n, int kmax, double pen, int min_size,
                       BinSegWorkspace w, int* order, double* gains) {
  return binary_segmentation_with(GroupSplit<G, Cost>{g, cost}, n, kmax, pen, min_size, w, order,
                                  gains);
}

}  // namespace turnpoint::kernels
