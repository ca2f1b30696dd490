// Arg-min and arg-max over a group of threads (kernels/group_model.hpp's interface) that keep
// the serial solvers' tie rules exactly, so a parallel search returns the serial one's index:
//  * OP/PELT and segment neighbourhood scan t upwards and keep a new value only if strictly
//    smaller: among equal minima the smallest t wins, i.e. the minimum of the pairs (v, t)
//    in lexicographic order (min_first);
//  * binary segmentation scans t upwards and keeps a new gain if >=: among equal maxima the
//    largest t wins (max_last).
// Both are total orders on (value, index) pairs (NaN values never enter: a thread only
// keeps a value that compares as the serial code compares it), so the butterfly below gives
// every lane the same answer whatever order the pairs are combined in.
#pragma once
#include "kernels/hd.hpp"

namespace turnpoint::kernels {

// (v, t) comes before (bv, bt) in a minimum whose ties go to the smaller index.
TP_HD bool min_first(double v, int t, double bv, int bt) { return v < bv || (v == bv && t < bt); }
// (v, t) comes before (bv, bt) in a maximum whose ties go to the larger index.
TP_HD bool max_last(double v, int t, double bv, int bt) { return v > bv || (v == bv && t > bt); }

TP_HD int popc(unsigned x) {
#if defined(__CUDA_ARCH__)
  return __popc(x);
#else
  return __builtin_popcount(x);
#endif
}

// Butterfly over each warp: afterwards every lane of a warp holds its warp's best pair.
template <class G, class Better>
TP_HD void warp_best(const G& g, typename G::template Reg<double>& v,
                     typename G::template Reg<int>& t, Better better) {
  for (int off = 16; off > 0; off >>= 1) {
    const typename G::template Reg<double> ov = g.shfl_xor(v, off);
    const typename G::template Reg<int> ot = g.shfl_xor(t, off);
    g.each([&](int i) {
      if (better(ov[i], ot[i], v[i], t[i])) {
        v[i] = ov[i];
        t[i] = ot[i];
      }
    });
  }
}

// The best pair of the whole group, returned to every thread (uniform). Groups of more than
// one warp combine the warps' answers through `scratch_v` / `scratch_t` (one slot per warp,
// shared memory on the device), with barriers on both sides so that the scratch can be
// reused at once.
template <class G, class Better>
TP_HD void group_best(const G& g, typename G::template Reg<double>& v,
                      typename G::template Reg<int>& t, Better better, double* scratch_v,
                      int* scratch_t, double& best_v, int& best_t) {
  warp_best(g, v, t, better);
  if constexpr (G::kSize == 32) {
    best_v = v[0];  // uniform: every lane holds the answer
    best_t = t[0];
  } else {
    g.each([&](int i) {
      if ((i & 31) == 0) {
        scratch_v[i >> 5] = v[i];
        scratch_t[i >> 5] = t[i];
      }
    });
    g.sync();
    best_v = scratch_v[0];
    best_t = scratch_t[0];
    for (int w = 1; w < G::kSize / 32; ++w)
      if (better(scratch_v[w], scratch_t[w], best_v, best_t)) {
        best_v = scratch_v[w];
        best_t = scratch_t[w];
      }
    g.sync();
  }
}

struct MinFirst {
  TP_HD bool operator()(double v, int t, double bv, int bt) const { return min_first(v, t, bv, bt); }
};
struct MaxLast {
  TP_HD bool operator()(double v, int t, double bv, int bt) const { return max_last(v, t, bv, bt); }
};

}  // namespace turnpoint::kernels
