// The one least-squares kernel of turnpoint: an equilibrated, diagonally pivoted Cholesky
// factorisation of a normal-equation matrix, used by the regression cost
// (cost_regression.hpp), the event/seasonal test (classify.hpp) and the bootstrap's
// factored fits (bootstrap_projector.hpp).
//
// G (q x q, row stride ld, symmetric positive semi-definite) is scaled to unit diagonal
// (scale[i] = 1/sqrt(G_ii), 0 for an all-zero column) and factorised in place with the
// largest remaining diagonal as pivot. A column whose remaining pivot -- its squared
// distance from the span of the unit columns already kept -- is <= tol is dropped with all
// later ones: the fit is the projection onto the numerically spanned column space.
// Layout of the factor: L_kk at G[perm[k]*ld + perm[k]], L_ik (i > k) at
// G[perm[i]*ld + perm[k]], for k < rank.
#pragma once
#include <cmath>

#include "kernels/hd.hpp"

namespace turnpoint::kernels {

template <int Cap>
struct PivotedCholesky {
  int rank = 0;
  int perm[Cap];
  double scale[Cap];

  TP_HD void factor(double* G, int ld, int q, double tol) {
    for (int i = 0; i < q; ++i) scale[i] = G[i * ld + i] > 0.0 ? 1.0 / std::sqrt(G[i * ld + i]) : 0.0;
    for (int i = 0; i < q; ++i) {
      for (int j = 0; j < q; ++j) G[i * ld + j] *= scale[i] * scale[j];
      perm[i] = i;
    }
    rank = 0;
    for (int k = 0; k < q; ++k) {
      int best = k;  // pivot: largest remaining diagonal
      for (int i = k + 1; i < q; ++i)
        if (G[perm[i] * ld + perm[i]] > G[perm[best] * ld + perm[best]]) best = i;
      const int t = perm[k]; perm[k] = perm[best]; perm[best] = t;
      const int pk = perm[k];
      const double d = G[pk * ld + pk];
      if (!(d > tol)) break;  // the remaining columns are numerically dependent
      const double l = std::sqrt(d);
      G[pk * ld + pk] = l;
      ++rank;
      for (int i = k + 1; i < q; ++i) G[perm[i] * ld + pk] /= l;
      for (int i = k + 1; i < q; ++i) {  // Schur complement of the remaining columns
        const int pi = perm[i];
        for (int j = k + 1; j <= i; ++j) {
          const int pj = perm[j];
          const double v = G[pi * ld + pj] - G[pi * ld + pk] * G[pj * ld + pk];
          G[pi * ld + pj] = v;
          G[pj * ld + pi] = v;
        }
      }
    }
  }

  // z = L^-1 P' D r over the kept pivots (z[k], k < rank); returns |z|^2, the part of
  // y'y the fit explains. r is the unscaled right-hand side X'y.
  TP_HD double forward(const double* G, int ld, const double* r, double* z) const {
    double explained = 0.0;
    for (int k = 0; k < rank; ++k) {
      const int pk = perm[k];
      double acc = r[pk] * scale[pk];
      for (int j = 0; j < k; ++j) acc -= G[pk * ld + perm[j]] * z[j];
      z[k] = acc / G[pk * ld + pk];
      explained += z[k] * z[k];
    }
    return explained;
  }

  // beta (q entries, 0 for dropped columns) from z: back substitution L' w = z.
  TP_HD void coefficients(const double* G, int ld, int q, const double* z, double* beta) const {
    double w[Cap];
    for (int k = rank - 1; k >= 0; --k) {
      double s = z[k];
      for (int i = k + 1; i < rank; ++i) s -= G[perm[i] * ld + perm[k]] * w[i];
      w[k] = s / G[perm[k] * ld + perm[k]];
    }
    for (int i = 0; i < q; ++i) beta[i] = 0.0;
    for (int k = 0; k < rank; ++k) beta[perm[k]] = w[k] * scale[perm[k]];
  }
};

}  // namespace turnpoint::kernels
