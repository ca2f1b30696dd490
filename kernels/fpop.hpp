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
// - MBIC (Cost = MbicCost<...>): the log(length) segment term makes q_t - q_s change with
//   later steps s': it first grows, then falls, at most by -K(t, s) = -prune_slack(t, s), the
//   constant that keeps PELT exact (kernels/cost_mbic.hpp). With K the intervals where t is
//   beaten hold for all later steps. The other side needs its own bound: where t keeps mu,
//   s is beaten for good only where t leads by more than the most the term can still grow
//   (Cost::lead_bound). A new candidate that gives up mu where it is not beaten for good is a
//   ghost (below): owning nothing later would not prove it beaten. (Without this rule FPOP
//   with MBIC lost the optimum on ~1 random series in 1,000: tests/kernels/fpop_test.cpp.)
// - Ties within the margin: an owner keeps the mu where it is at most `margin` worse than the
//   new candidate, so between candidates whose costs tie to the last bits (a constant run)
//   FPOP may keep a later one than OP's smallest t: the same optimum to the bit, another
//   index among exact ties. The margin is relative to the costs (see below).
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

#include "kernels/cost_mbic.hpp"
#include "kernels/hd.hpp"
#include "kernels/pelt.hpp"

namespace turnpoint::kernels {

// Per candidate t (indexed by t): the values of the current step.
struct FpopSlot {
  double val;     // F[t] + cost(t, s) of step val_step
  double lo, hi;  // [at - r, at + r] of step iv_step; lo > hi when empty
  double in_lo, in_hi;  // where t beats the new candidate of step iv_step for good (see below)
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

// Whether FPOP keeps its speed with the cost: the MBIC segment term makes most candidates
// ghosts (see above), so with it FPOP is exact but slower than PELT (bench/RESULTS.md); auto
// (kernels/detect.cpp) and segment neighbourhood (kernels/detect_cpu.cpp) use it only without.
template <class Cost>
struct fpop_pays : has_quadratic<Cost> {};
template <class Base>
struct fpop_pays<MbicCost<Base>> : std::false_type {};

// Number of FpopPiece entries each piece buffer needs for a series of n days.
TP_HD long fpop_piece_capacity(int n) { return 2L * (static_cast<long>(n) + 2); }

namespace fpop_detail {

// [lo, hi] = the mu where curvature (mu - at)^2 <= room: empty when room < 0 (beaten
// everywhere: PELT's rule), every mu when the quadratic is flat (no data since t).
template <class Quadratic>
TP_HD void within(const Quadratic& q, double room, double& lo, double& hi) {
  if (!(room >= 0.0)) {
    lo = inf();
    hi = -inf();
  } else if (!(q.curvature > 0.0)) {
    lo = -inf();
    hi = inf();
  } else {
    const double r = std::sqrt(room / q.curvature);
    lo = q.at - r;
    hi = q.at + r;
  }
}

// The interval of mu where candidate t is not beaten by the new candidate of step s.
template <class Cost>
TP_HD void interval(const Cost& cost, const double* prev, long stride, FpopSlot* slot, int t, int s,
                    int m, double best, double margin) {
  FpopSlot& z = slot[t];
  if (z.iv_step == s) return;
  z.iv_step = s;
  if (z.val_step != s) {
    z.val = prev[t * stride] + cost(t, s);
    z.val_step = s;
  }
  const double d = best + margin - (z.val + cost.prune_slack(t, s));
  // Where t stays ahead of s at every later step: q_t + lead_bound <= q_s (+ the same margin,
  // so with a bound of 0, the mean cost, this is exactly where t is kept). Between this and
  // [lo, hi] neither is proven ahead: with MBIC, the band where the lead changes sign.
  const double e = best + margin - (z.val + cost.lead_bound(t, s, m));
  const auto q = cost.quadratic(t, s);
  within(q, d, z.lo, z.hi);
  within(q, e, z.in_lo, z.in_hi);
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

// One row of a dynamic programme solved with functional pruning:
//   out[s] = min over admissible t of prev[t] + cost(t, s) + pen,  last[s] = that t
// (ties: the smallest t), where t is admissible at s when t <= s - m and t is a candidate:
// `first`, and every t > first with t >= m and prev[t] finite. Optimal partitioning is one
// row with prev = out = F and first = 0; segment neighbourhood (kernels/segneigh.hpp) runs one
// row per number of changes k with prev = row k - 1, pen = 0 and first = k m. Candidate s
// offers prev[s] (+ pen, which every candidate pays alike) to the later steps, so the pruning
// compares prev[t] + cost(t, s) with prev[s]. out[s] and last[s] are written only for
// s >= first + m; the caller fills the others.
struct FpopRow {
  const double* prev;
  long prev_stride;
  double* out;
  long out_stride;
  int* last;
  long last_stride;
};

template <class Cost>
TP_HD void functional_pruning_row(const Cost& cost, int n, double pen, int min_size, int first,
                                  FpopRow r, FpopWorkspace w) {
  using fpop_detail::emit;
  const int m = min_size < 1 ? 1 : min_size;
  int nc = 0;
  FpopPiece* cur = w.pieces;
  FpopPiece* nxt = w.next_pieces;
  int np = 0;
  // The envelope of n + 1 convex quadratics has at most 2n + 1 intervals; the margins make
  // ours an approximation of it, so its size is checked rather than assumed. Past the
  // capacity the search goes on with PELT's rule alone (exact, only slower).
  const long cap = w.piece_capacity;
  bool overflow = false;
  // The floor of the margin: a trillionth of the one-segment cost of the whole series, far
  // above the rounding of the (compensated) prefix sums, far below any cost that decides.
  const double whole = cost(0, n);
  const double scale = 1e-12 * (whole < 0 ? -whole : whole) + 1e-300;

  for (int s = first; s <= n; ++s) {
    if (s >= first + m) {
      // out[s] over the admissible candidates t <= s - m, as optimal_partitioning does.
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
        const double v = r.prev[t * r.prev_stride] + cost(t, s);
        w.slot[t].val = v;
        w.slot[t].val_step = s;
        if (v + pen < best) {
          best = v + pen;
          arg = t;
        }
      }
      nc = live;
      r.out[s * r.out_stride] = best;
      r.last[s * r.last_stride] = arg;
    }
    if (s > n - m) continue;             // s can never start a segment: no candidate, nothing to drop
    if (s != first && s < m) continue;   // a segment [0, s) shorter than m: not a candidate
    const double offer = r.prev[s * r.prev_stride];
    if (!(offer < inf())) continue;      // no segmentation ends at s: never the argmin

    // The new candidate s takes from each owner the mu where the owner is beaten by more than
    // the margin. The margin is relative to the costs (PELT's 1e-9 (1 + |F|) would be coarse
    // next to the costs of a series of tiny values, and an owner kept in that shell wins a
    // near-tie it should lose: measured on raw Carbon Monitor values, --noise none).
    const double margin = 1e-9 * (offer < 0 ? -offer : offer) + scale;
    bool s_owns = false;
    bool s_contested = false;  // s gave up mu where it is not beaten for good
    if (!overflow) {
      int nn = 0;
      if (np == 0) {  // the first candidate owns every mu
        emit(nxt, nn, -inf(), s);
        s_owns = true;
      }
      for (int k = 0; k < np; ++k) {
        if (nn + 3 > cap) {  // see `overflow` above
          overflow = true;
          break;
        }
        const int t = cur[k].owner;
        const double a = cur[k].lo;
        const double b = k + 1 < np ? cur[k + 1].lo : inf();
        fpop_detail::interval(cost, r.prev, r.prev_stride, w.slot, t, s, m, offer, margin);
        const double keep_lo = a > w.slot[t].lo ? a : w.slot[t].lo;
        const double keep_hi = b < w.slot[t].hi ? b : w.slot[t].hi;
        if (keep_lo < keep_hi) {
          // t keeps [keep_lo, keep_hi] from s; s gives it up for good only where t stays
          // ahead of it at every later step. Else s is not beaten there, and owning nothing
          // later would not prove it beaten: it becomes a ghost (MBIC, kernels/cost_mbic.hpp).
          if (keep_lo < w.slot[t].in_lo || keep_hi > w.slot[t].in_hi) s_contested = true;
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
        fpop_detail::interval(cost, r.prev, r.prev_stride, w.slot, t, s, m, offer, margin);
        if (w.slot[t].lo > w.slot[t].hi) w.kill_at[i] = s + m;
      } else if (w.slot[t].owned_at != s) {
        w.kill_at[i] = s + m;
      }
    }
    const bool ghost = !s_owns || s_contested;
    w.slot[s] = FpopSlot{0.0, 0.0, 0.0, 0.0, 0.0, -1, -1, s_owns ? s : -1, ghost ? 1 : 0};
    w.cand[nc] = s;
    w.kill_at[nc] = kAlive;
    ++nc;
  }
}

// Returns the number of changes; writes the change indices (ascending, each the first day
// of a new segment) to `changes` (capacity n / min_size + 1). Same result as
// optimal_partitioning(cost, n, pen, min_size, ...). Cost needs quadratic(a, b) returning
// {at, curvature}: cost of [a, b) at mean mu = cost(a, b) + curvature * (mu - at)^2.
template <class Cost>
TP_HD int functional_pruning(const Cost& cost, int n, double pen, int min_size, FpopWorkspace w,
                             int* changes) {
  const int m = min_size < 1 ? 1 : min_size;
  if (n < 2 * m) return 0;  // no admissible change
  w.F[0] = 0.0;
  w.last[0] = 0;
  functional_pruning_row(cost, n, pen, m, 0, FpopRow{w.F, 1, w.F, 1, w.last, 1}, w);
  return backtrack_changes(w.last, n, changes);
}

}  // namespace turnpoint::kernels
