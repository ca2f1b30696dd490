// Functional pruning optimal partitioning (FPOP, Maidstone et al. 2017): the same exact
// minimiser as optimal_partitioning (kernels/pelt.hpp), the same changes to the index, with a
// candidate set that stays small however long the segments are.
//
// Idea. Write the DP with the last segment's parameter mu left free: candidate t offers
//   q_t(mu) = F[t] + pen + (cost of [t, s) at mean mu),
// and F[s] is the minimum over t and mu. A cost usable here says how its segment cost depends
// on mu: cost(a, b) + curvature * (mu - at)^2 (Cost::quadratic; the mean cost has it). For
// t < t' the difference q_t - q_t' does not change as days are added (both gain the same
// terms), so once q_t is beaten by a newer candidate at some mu it is beaten there for good.
// The envelope min_t q_t is kept as an ordered list of mu-intervals, each owned by one
// candidate; when step s ends, the new candidate s (q_s = F[s] + pen) takes from every owner t
// the mu where
//   F[t] + cost(t, s) + curvature (mu - at)^2 + K(t, s) > F[s] + margin,
// i.e. everything outside [at - r, at + r], r = sqrt(D / curvature), D = F[s] + margin -
// F[t] - cost(t, s) - K(t, s). A candidate left owning no mu is beaten everywhere: it can never
// be the argmin again and is dropped. PELT drops t only when D < 0 (one comparison); FPOP
// drops it when the intervals of all later candidates together exclude every mu.
//
// Exactness, as this file keeps it:
// - F[s] is computed exactly as optimal_partitioning computes it: F[t] + cost(t, s) + pen
//   over the remaining admissible candidates in ascending t, strict '<', so ties go to the
//   smallest t and the values are the same to the bit. Dropping only ever removes candidates
//   that are worse by more than `margin` (the relative 1e-9 PELT uses), so rounding of the
//   interval arithmetic cannot drop an optimum or change a tie.
// - MBIC (Cost = MbicCost<...>): the log(length) segment term makes q_t - q_s shrink with
//   later steps s', by at most log((n-t)/(n-s)) over s' <= n; that bound is K(t, s) =
//   prune_slack(t, s), the same constant that keeps PELT exact (kernels/cost_mbic.hpp). With
//   it every interval above holds for all later steps, so FPOP with MBIC is exact too.
// - min_size m: candidate s beats t at mu only from step s + m on (its segment must be m days
//   long), so a dropped t leaves the evaluation from step s + m on, as PELT does. Candidates
//   s > n - m are never admissible and are not created.
// - A new candidate that wins no mu at all (it ties an owner everywhere: a run of missing days
//   makes q_s equal to q_t of the run's first day) owns nothing, yet is not proven worse. It is
//   kept, marked `ghost`, and dropped by PELT's rule (D < 0) instead.
//
// Cost per step: one pass over the envelope's intervals and one over the live candidates;
// both stay O(log n) on piecewise-constant series (Maidstone et al. 2017, section 4).
//
// Workspace (caller-owned): F, last, cand, kill_at: n + 1 each; slot: n + 1; pieces and
// next_pieces: piece_capacity = fpop_piece_capacity(n) each.
#pragma once
#include <cmath>
#include <type_traits>

#include "kernels/hd.hpp"
#include "kernels/pelt.hpp"

namespace turnpoint::kernels {

// Per candidate t (indexed by t): the values of the current step.
struct FpopSlot {
  double val;     // F[t] + cost(t, s) of step val_step
  double lo, hi;  // [at - r, at + r] of step iv_step; lo > hi when empty
  int val_step;
  int iv_step;
  int owned_at;   // last step at which t owned an interval of the envelope
  int ghost;      // 1: never owned an interval (see above); pruned by PELT's rule
};

// [lo, next piece's lo) of mu, owned by candidate `owner`.
struct FpopPiece {
  double lo;
  int owner;
};

struct FpopWorkspace {
  double* F;
  int* last;
  int* cand;     // created candidates still alive or not yet removed, ascending
  int* kill_at;  // step from which cand[i] is dropped (kAlive while alive)
  FpopSlot* slot;
  FpopPiece* pieces;
  FpopPiece* next_pieces;
  long piece_capacity;  // entries in each piece buffer: fpop_piece_capacity(n), >= 3
};

// Whether a cost can run with FPOP: it has quadratic(a, b) (the mean cost, with or without
// the MBIC term).
template <class Cost, class = void>
struct has_quadratic : std::false_type {};
template <class Cost>
struct has_quadratic<Cost, std::void_t<decltype(std::declval<const Cost&>().quadratic(0, 1))>>
    : std::true_type {};

// Number of FpopPiece entries each piece buffer needs for a series of n days.
TP_HD long fpop_piece_capacity(int n) { return 2L * (static_cast<long>(n) + 2); }

namespace fpop_detail {

// The interval of mu where candidate t is not beaten by the new candidate of step s.
template <class Cost>
TP_HD void interval(const Cost& cost, const double* F, FpopSlot* slot, int t, int s, double best,
                    double margin) {
  FpopSlot& z = slot[t];
  if (z.iv_step == s) return;
  z.iv_step = s;
  if (z.val_step != s) {
    z.val = F[t] + cost(t, s);
    z.val_step = s;
  }
  const double d = best + margin - (z.val + cost.prune_slack(t, s));
  if (!(d >= 0.0)) {  // beaten everywhere (PELT's rule)
    z.lo = inf();
    z.hi = -inf();
    return;
  }
  const auto q = cost.quadratic(t, s);
  if (!(q.curvature > 0.0)) {  // no data since t: q_t is flat, not beaten anywhere
    z.lo = -inf();
    z.hi = inf();
    return;
  }
  const double r = std::sqrt(d / q.curvature);
  z.lo = q.at - r;
  z.hi = q.at + r;
}

// Appends [lo, ...) owned by `owner`, merged with the previous piece when it has the same
// owner.
TP_HD void emit(FpopPiece* out, int& np, double lo, int owner) {
  if (np > 0 && out[np - 1].owner == owner) return;
  out[np].lo = lo;
  out[np].owner = owner;
  ++np;
}

}  // namespace fpop_detail

// Returns the number of changes; writes the change indices (ascending, each the first day
// of a new segment) to `changes` (capacity n / min_size + 1). Same result as
// optimal_partitioning(cost, n, pen, min_size, ...). Cost needs quadratic(a, b) returning
// {at, curvature}: cost of [a, b) at mean mu = cost(a, b) + curvature * (mu - at)^2.
template <class Cost>
TP_HD int functional_pruning(const Cost& cost, int n, double pen, int min_size, FpopWorkspace w,
                             int* changes) {
  using fpop_detail::emit;
  const int m = min_size < 1 ? 1 : min_size;
  if (n < 2 * m) return 0;  // no admissible change
  w.F[0] = 0.0;
  w.last[0] = 0;
  w.slot[0] = FpopSlot{0.0, 0.0, 0.0, -1, -1, 0, 0};
  w.cand[0] = 0;
  w.kill_at[0] = kAlive;
  int nc = 1;
  FpopPiece* cur = w.pieces;
  FpopPiece* nxt = w.next_pieces;
  int np = 0;
  emit(cur, np, -inf(), 0);
  // The envelope of n + 1 convex quadratics has at most 2n + 1 intervals; the margins make
  // ours an approximation of it, so its size is checked rather than assumed. Past the
  // capacity the search goes on with PELT's rule alone (exact, only slower).
  const long cap = w.piece_capacity;
  bool overflow = false;

  for (int s = m; s <= n; ++s) {
    // F[s] over the admissible candidates t <= s - m, as optimal_partitioning does.
    double best = inf();
    int arg = -1;
    int live = 0;
    for (int i = 0; i < nc; ++i) {
      if (w.kill_at[i] <= s) continue;
      const int t = w.cand[i];
      w.cand[live] = t;
      w.kill_at[live] = w.kill_at[i];
      ++live;
      if (t > s - m) continue;  // created, not admissible yet (segment shorter than m)
      const double v = w.F[t] + cost(t, s);
      w.slot[t].val = v;
      w.slot[t].val_step = s;
      if (v + pen < best) {
        best = v + pen;
        arg = t;
      }
    }
    nc = live;
    w.F[s] = best;
    w.last[s] = arg;
    if (s > n - m) continue;  // s can never start a segment: no candidate, nothing to drop

    // The new candidate s takes from each owner the mu where the owner is beaten.
    const double margin = 1e-9 * (1.0 + (best < 0 ? -best : best));
    bool s_owns = false;
    if (!overflow) {
      int nn = 0;
      for (int k = 0; k < np; ++k) {
        if (nn + 3 > cap) {  // see `overflow` above
          overflow = true;
          break;
        }
        const int t = cur[k].owner;
        const double a = cur[k].lo;
        const double b = k + 1 < np ? cur[k + 1].lo : inf();
        fpop_detail::interval(cost, w.F, w.slot, t, s, best, margin);
        const double keep_lo = a > w.slot[t].lo ? a : w.slot[t].lo;
        const double keep_hi = b < w.slot[t].hi ? b : w.slot[t].hi;
        if (keep_lo < keep_hi) {
          if (a < keep_lo) {
            emit(nxt, nn, a, s);
            s_owns = true;
          }
          emit(nxt, nn, keep_lo, t);
          w.slot[t].owned_at = s;
          if (keep_hi < b) {
            emit(nxt, nn, keep_hi, s);
            s_owns = true;
          }
        } else {
          emit(nxt, nn, a, s);
          s_owns = true;
        }
      }
      if (overflow) {  // from now on every candidate is pruned by PELT's rule alone
        for (int i = 0; i < nc; ++i) w.slot[w.cand[i]].ghost = 1;
        s_owns = false;
      } else {
        FpopPiece* swap = cur;
        cur = nxt;
        nxt = swap;
        np = nn;
      }
    }

    // Owners left with no interval are beaten everywhere from step s + m on; ghosts by
    // PELT's rule.
    for (int i = 0; i < nc; ++i) {
      if (w.kill_at[i] != kAlive) continue;
      const int t = w.cand[i];
      if (w.slot[t].ghost) {
        fpop_detail::interval(cost, w.F, w.slot, t, s, best, margin);
        if (w.slot[t].lo > w.slot[t].hi) w.kill_at[i] = s + m;
      } else if (w.slot[t].owned_at != s) {
        w.kill_at[i] = s + m;
      }
    }
    w.slot[s] = FpopSlot{0.0, 0.0, 0.0, -1, -1, s_owns ? s : -1, s_owns ? 0 : 1};
    w.cand[nc] = s;
    w.kill_at[nc] = kAlive;
    ++nc;
  }
  return backtrack_changes(w.last, n, changes);
}

}  // namespace turnpoint::kernels
