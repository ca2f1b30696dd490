// Confidence of turning points by a moving-block bootstrap of the residuals around the
// fitted segmentation (docs/seasonality.md, "Confidence"). Per unit of work (one series x
// one replicate) everything is host/device (TP_HD), so the CUDA twin runs the same math:
//   1. y* = fitted + e*, e* a moving-block resample (block length L) of the non-missing
//      residuals, laid back on the non-missing days (missing days stay missing);
//   2. the prefix sums of phi_j y* and y*^2 (the X'X part does not depend on y and is
//      shared by all replicates of a series);
//   3. for every detected change j with neighbours a < t_j < b (the fitted segmentation),
//      the best single split t* of [a, b) within t_j +- W and its penalised gain; the
//      replicate "finds" change j when gain > penalty, |t* - t_j| <= h and the split test
//      of kernels/classify.hpp gives the same kind.
// Restricting each replicate to re-locating the changes of the fitted segmentation (one
// split per neighbour window, W days either side) instead of a full PELT run is what makes
// B = 200 affordable: O(changes x W) segment fits per replicate instead of O(n^2).
//
// Random numbers: a counter-based SplitMix64 stream per (seed, series, replicate), so the
// result does not depend on threads, chunking or the backend.
#pragma once
#include <cmath>
#include <cstdint>

#include "kernels/classify.hpp"

namespace turnpoint::kernels {

TP_HD std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

struct Rng {
  std::uint64_t state;
  TP_HD static Rng stream(std::uint64_t seed, std::int64_t series, int replicate) {
    std::uint64_t s = seed ^ 0x5DEECE66Dull;
    s = splitmix64(s) ^ static_cast<std::uint64_t>(series) * 0xD1B54A32D192ED03ull;
    s = splitmix64(s) ^ static_cast<std::uint64_t>(replicate) * 0x8CB92BA72F3D8DD7ull;
    splitmix64(s);
    return Rng{s};
  }
  // Uniform integer in [0, m), m >= 1 (multiply-shift; bias < m / 2^32, negligible here).
  TP_HD int below(int m) {
    const std::uint64_t x = splitmix64(state) >> 32;
    return static_cast<int>((x * static_cast<std::uint64_t>(m)) >> 32);
  }
};

// Default block length: two weeks, or n^(1/3) when that is longer (the MSE-optimal
// order for block-bootstrap variance estimates, Hall, Horowitz & Jing 1995).
TP_HD int default_block_length(int n_valid) {
  const int cube = static_cast<int>(std::ceil(std::cbrt(static_cast<double>(n_valid))));
  return cube > 14 ? cube : 14;
}

// y*[i] = fitted[i] + resid[k(i)*] on non-missing days (k(i) = their running count),
// NaN elsewhere; resid: [n_valid] residuals of the non-missing days in time order.
TP_HD void block_resample(const double* y, const double* fitted, const double* resid,
                          int n, int n_valid, int block, Rng& rng, double* y_star) {
  const int len = block < 1 ? 1 : (block > n_valid ? n_valid : block);
  const int starts = n_valid - len + 1;
  int k = 0, start = 0;
  for (int i = 0; i < n; ++i) {
    if (!(y[i] == y[i])) { y_star[i] = y[i]; continue; }
    if (k % len == 0) start = rng.below(starts);
    y_star[i] = fitted[i] + resid[start + k % len];
    ++k;
  }
}

// Penalised gain of splitting [a, b) at t (the detection's cost: RSS / sigma^2, plus the
// MBIC log-length segment term when mbic).
TP_HD double split_gain(const MomentView& m, int a, int t, int b, double inv_var, bool mbic) {
  int r;
  double g = (segment_rss(m, a, b, r) - segment_rss(m, a, t, r) - segment_rss(m, t, b, r)) * inv_var;
  if (mbic)
    g += std::log(static_cast<double>(b - a)) - std::log(static_cast<double>(t - a)) -
         std::log(static_cast<double>(b - t));
  return g;
}

struct ChangeWindow {
  int a = 0, t = 0, b = 0;  // neighbours and the detected change
  int kind = kKindEvent;
};

struct ReplicateHit {
  int t = -1;           // best split in the window; -1 when no admissible split
  int kind = kKindEvent;
  bool significant = false;  // gain > penalty
};

// Re-locates one change in one replicate (prefix sums of y* already in m).
TP_HD ReplicateHit relocate_change(const MomentView& m, const ChangeWindow& w, int search,
                                   int min_size, double inv_var, double pen, bool mbic,
                                   double alpha) {
  ReplicateHit hit;
  int lo = w.t - search, hi = w.t + search;
  if (lo < w.a + min_size) lo = w.a + min_size;
  if (hi > w.b - min_size) hi = w.b - min_size;
  if (lo > hi) return hit;
  int r;
  const double whole = segment_rss(m, w.a, w.b, r) * inv_var;
  double best = -inf();
  for (int t = lo; t <= hi; ++t) {
    double g = whole - (segment_rss(m, w.a, t, r) + segment_rss(m, t, w.b, r)) * inv_var;
    if (mbic)
      g += std::log(static_cast<double>(w.b - w.a)) - std::log(static_cast<double>(t - w.a)) -
           std::log(static_cast<double>(w.b - t));
    if (g > best) { best = g; hit.t = t; }
  }
  hit.significant = best > pen;
  if (hit.significant) hit.kind = classify_split(m, w.a, hit.t, w.b, inv_var, alpha).kind;
  return hit;
}

// The changes of one series as a replicate sees them: k ascending change days with their
// kinds, and which of them to re-locate (score null = all).
struct SeriesChanges {
  const int* changes = nullptr;
  const int* kinds = nullptr;
  const unsigned char* score = nullptr;
  int k = 0;
};

struct ReplicateSettings {
  int search = 14;     // W
  int min_size = 2;    // minimum segment length (>= p)
  double pen = 0.0;    // the detection's penalty per change (series scaled: inv_var = 1)
  bool mbic = true;
  double alpha = 1e-3;
};

// One replicate of one series, start to end: the unit of work of the CUDA launcher
// (kernels/bootstrap_cuda.cu; the CPU launcher does the same with factored fits, which
// tests/kernels/bootstrap_test.cpp checks against this). y: the series (scaled), fitted/resid:
// fit_segmentation of its changes, n_valid non-missing days; xx: the series' X'X prefix
// sums; xy_hi/xy_lo: this unit's own [(p + 1) (n + 1)] prefix rows of y*; y_star: its own
// [n]. Writes hits[j * stride] for every change j to re-locate.
TP_HD void replicate_hits(const double* X, int n, int p, int trend_col, const ColumnGroups& groups,
                          const double* y, const double* fitted, const double* resid,
                          int n_valid, int block, Rng rng, PrefixView xx, double* xy_hi,
                          double* xy_lo, double* y_star, const SeriesChanges& c,
                          const ReplicateSettings& s, ReplicateHit* hits, long stride) {
  block_resample(y, fitted, resid, n, n_valid, block, rng, y_star);
  fill_design_prefix(X, n, p, y_star, nullptr, nullptr, xy_hi, xy_lo);
  MomentView m;
  m.xx = xx;
  m.xy = PrefixView{xy_hi, xy_lo, n + 1};
  m.p = p;
  m.trend_col = trend_col;
  m.groups = groups;
  for (int j = 0; j < c.k; ++j) {
    if (c.score && !c.score[j]) continue;
    ChangeWindow w;
    w.a = j > 0 ? c.changes[j - 1] : 0;
    w.t = c.changes[j];
    w.b = j + 1 < c.k ? c.changes[j + 1] : n;
    w.kind = c.kinds[j];
    hits[j * stride] = relocate_change(m, w, s.search, s.min_size, 1.0, s.pen, s.mbic, s.alpha);
  }
}

}  // namespace turnpoint::kernels
