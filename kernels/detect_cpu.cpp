// CPU backend: one OpenMP thread owns one series at a time (DESIGN.md §4), with its own
// O(n) workspace; the math is the shared functors of kernels/*.hpp.
#include <algorithm>
#include <cstdint>
#include <cmath>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#include <omp.h>

#include "kernels/error.hpp"
#include "kernels/binseg.hpp"
#include "kernels/crops.hpp"
#include "kernels/detect.hpp"
#include "kernels/dispatch.hpp"
#include "kernels/fpop.hpp"
#include "kernels/pelt.hpp"
#include "kernels/segmentation.hpp"
#include "kernels/segneigh.hpp"
#include "kernels/segneigh_fpop.hpp"
#include "kernels/series_prep.hpp"
#include "kernels/validate_config.hpp"

namespace turnpoint::detail {
namespace {

using namespace turnpoint::kernels;

// Per-thread scratch, grown on demand and reused across series.
struct Workspace {
  std::vector<double> x, hi, lo, tmp, F, vals, G, gains, path_cost, log_len, inv_len;
  std::vector<int> last, cand, kill_at, changes, bp, changes_k, seg_a, seg_b, best_t;
  std::vector<double> best_g;
  std::vector<FpopSlot> fpop_slot;
  std::vector<FpopPiece> fpop_pieces, fpop_next;
  std::vector<std::uint8_t> dummies;  // a trimmed series' holiday regressors
};

template <class Cost>
void run_pelt(const Cost& cost, int n, double pen, int m, bool prune, Workspace& w,
              std::vector<int>& out) {
  const size_t n1 = static_cast<size_t>(n) + 1;
  w.F.resize(n1); w.last.resize(n1); w.cand.resize(n1); w.kill_at.resize(n1); w.vals.resize(n1);
  w.changes.resize(n1);
  PeltWorkspace pw{w.F.data(), w.last.data(), w.cand.data(), w.kill_at.data(), w.vals.data()};
  const int k = optimal_partitioning(cost, n, pen, m, prune, pw, w.changes.data());
  out.assign(w.changes.begin(), w.changes.begin() + k);
}

// FPOP (kernels/fpop.hpp); validate_config has refused the costs without quadratic().
template <class Cost>
void run_fpop(const Cost& cost, int n, double pen, int m, Workspace& w, std::vector<int>& out) {
  if constexpr (has_quadratic<Cost>::value) {
    const size_t n1 = static_cast<size_t>(n) + 1;
    const size_t cap = static_cast<size_t>(fpop_piece_capacity(n));
    w.F.resize(n1); w.last.resize(n1); w.cand.resize(n1); w.kill_at.resize(n1);
    w.fpop_slot.resize(n1); w.fpop_pieces.resize(cap); w.fpop_next.resize(cap);
    w.changes.resize(n1);
    FpopWorkspace fw{w.F.data(), w.last.data(), w.cand.data(), w.kill_at.data(),
                     w.fpop_slot.data(), w.fpop_pieces.data(), w.fpop_next.data(),
                     static_cast<long>(cap)};
    const int k = functional_pruning(cost, n, pen, m, fw, w.changes.data());
    out.assign(w.changes.begin(), w.changes.begin() + k);
  } else {
    throw std::logic_error("--method fpop reached a cost without quadratic()");
  }
}

// Segment neighbourhood: with functional pruning where it pays (the mean cost without the MBIC
// term, kernels/segneigh_fpop.hpp), else the plain O(kmax n^2) recursion; the same optimum.
template <class Cost>
void run_segneigh(const Cost& cost, int n, int kmax, int m, Workspace& w, double* cost_k) {
  const SegNeighWorkspace sw{w.G.data(), w.bp.data()};
  if constexpr (fpop_pays<Cost>::value) {
    const size_t n1 = static_cast<size_t>(n) + 1;
    const size_t cap = static_cast<size_t>(fpop_piece_capacity(n));
    w.cand.resize(n1); w.kill_at.resize(n1);
    w.fpop_slot.resize(n1); w.fpop_pieces.resize(cap); w.fpop_next.resize(cap);
    const FpopWorkspace fw{nullptr, nullptr, w.cand.data(), w.kill_at.data(), w.fpop_slot.data(),
                           w.fpop_pieces.data(), w.fpop_next.data(), static_cast<long>(cap)};
    segment_neighbourhood_fpop(cost, n, kmax, m, sw, fw, cost_k, w.changes_k.data());
  } else {
    segment_neighbourhood(cost, n, kmax, m, sw, cost_k, w.changes_k.data());
  }
}

template <class Cost>
void solve_series(const Cost& cost, int n, const DetectConfig& cfg, double pen, int m,
                  Workspace& w, SeriesDetection& r) {
  switch (cfg.method) {
    case Method::op:
    case Method::pelt:
      run_pelt(cost, n, pen, m, cfg.method == Method::pelt, w, r.changes);
      break;
    case Method::fpop:
      run_fpop(cost, n, pen, m, w, r.changes);
      break;
    case Method::segneigh: {
      const int kmax = cfg.max_changes;
      const size_t n1 = static_cast<size_t>(n) + 1;
      w.G.resize((kmax + 1) * n1); w.bp.resize((kmax + 1) * n1);
      w.changes_k.resize(static_cast<size_t>(kmax + 1) * std::max(kmax, 1));
      r.path_cost.assign(kmax + 1, 0.0);
      run_segneigh(cost, n, kmax, m, w, r.path_cost.data());
      r.path.assign(kmax + 1, {});
      for (int k = 0; k <= kmax; ++k) {
        if (!(r.path_cost[k] < inf())) continue;
        const int* row = w.changes_k.data() + static_cast<size_t>(k) * std::max(kmax, 1);
        r.path[k].assign(row, row + k);
      }
      r.changes = r.path[penalised_k(r.path_cost.data(), kmax, pen)];
      break;
    }
    case Method::binseg: {
      const int kmax = cfg.max_changes;
      const size_t cap = static_cast<size_t>(kmax) + 1;
      w.seg_a.resize(cap); w.seg_b.resize(cap); w.best_t.resize(cap); w.best_g.resize(cap);
      w.changes.resize(cap); w.gains.resize(cap);
      const int k = binary_segmentation(cost, n, kmax, pen, m,
                                        BinSegWorkspace{w.seg_a.data(), w.seg_b.data(),
                                                        w.best_t.data(), w.best_g.data()},
                                        w.changes.data(), w.gains.data());
      r.path.assign(k + 1, {});
      r.path_cost.assign(k + 1, 0.0);
      for (int j = 0; j <= k; ++j) {
        r.path[j].assign(w.changes.begin(), w.changes.begin() + j);
        std::sort(r.path[j].begin(), r.path[j].end());
        r.path_cost[j] = segmentation_cost(cost, n, r.path[j].data(), j);
      }
      r.changes = r.path[k];
      break;
    }
  }
}

// CROPS: all optimal PELT segmentations for penalties in [lo, hi] (kernels/crops.hpp).
template <class Cost>
void run_crops(const Cost& cost, int n, double lo, double hi, int m, Workspace& w,
               SeriesDetection& r) {
  CropsSearch search(lo, hi);
  while (!search.pending().empty()) {
    std::vector<CropsFit> fits;
    for (double pen : search.pending()) {
      CropsFit f;
      f.pen = pen;
      run_pelt(cost, n, pen, m, true, w, f.changes);
      f.k = static_cast<int>(f.changes.size());
      f.q = segmentation_cost(cost, n, f.changes.data(), f.k);
      fits.push_back(std::move(f));
    }
    search.add(std::move(fits));
  }
  r.crops = search.segmentations();
  r.changes = search.fewest_changes()->changes;
}

void detect_one(const double* x_all, int n_all, const std::int32_t* days_all, const DetectConfig& cfg,
                std::int64_t series, Workspace& w, SeriesDetection& r) {
  const std::string label = std::to_string(series);
  const SeriesPrep prep = prepare_series(x_all, n_all, cfg, label.c_str());
  r.status = prep.status;
  r.n_valid = prep.n_valid;
  r.sigma = prep.sigma;
  const int d = changing_parameters(cfg);
  r.penalty = penalty_value(cfg.penalty, std::max(prep.n_valid, 2), d);
  if (prep.status != SeriesStatus::ok) return;

  // The solver sees the series' own span (kernels/series_prep.hpp): padding never counts.
  const int n = prep.end - prep.begin;
  const double* x = x_all + prep.begin;
  const std::int32_t* days = days_all ? days_all + prep.begin : nullptr;
  const std::uint8_t* dummies = cfg.basis.dummies.empty() ? nullptr : cfg.basis.dummies.data();
  if (dummies && n != n_all) {  // BasisSpec reads dummies with the series length as stride
    const size_t k = cfg.basis.dummy_names.size();
    w.dummies.resize(k * static_cast<size_t>(n));
    for (size_t j = 0; j < k; ++j)
      std::copy_n(dummies + j * static_cast<size_t>(n_all) + prep.begin, n,
                  w.dummies.begin() + static_cast<long>(j * static_cast<size_t>(n)));
    dummies = w.dummies.data();
  }

  const bool crops = cfg.crops_max > cfg.crops_min && cfg.crops_min >= 0.0;
  CostParams cp;
  cp.id = static_cast<CostId>(static_cast<int>(cfg.cost));
  // CROPS sweeps manual penalties: no MBIC segment term there.
  cp.mbic = !crops && cfg.penalty.kind == PenaltyKind::mbic;
  cp.n = n;
  cp.inv_var = prep.inv_var;
  cp.var_floor = prep.var_floor;
  if (cp.mbic) {  // log(0..n) once per thread and length, not once per cost evaluation
    if (w.log_len.size() != static_cast<size_t>(n) + 1) {
      w.log_len.resize(static_cast<size_t>(n) + 1);
      for (int i = 0; i <= n; ++i) w.log_len[i] = std::log(static_cast<double>(i));
    }
    cp.log_len = w.log_len.data();
  }
  if (prep.n_valid == n) {  // no missing day: segment counts are lengths
    if (w.inv_len.size() != static_cast<size_t>(n) + 1) {
      w.inv_len.resize(static_cast<size_t>(n) + 1);
      w.inv_len[0] = 0.0;
      for (int i = 1; i <= n; ++i) w.inv_len[i] = 1.0 / i;
    }
    cp.inv_len = w.inv_len.data();
  }
  cp.basis = basis_spec(cfg.basis, days, dummies);

  w.x.resize(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) w.x[i] = prep.value(x[i]);
  const int ns = stats_count(cp);
  const size_t sz = static_cast<size_t>(ns) * (static_cast<size_t>(n) + 1);
  w.hi.resize(sz); w.lo.resize(sz); w.tmp.resize(static_cast<size_t>(ns));
  fill_prefix(cp, w.x.data(), w.hi.data(), w.lo.data(), w.tmp.data());
  check_prefix_finite(w.hi.data(), w.lo.data(), ns, n, label.c_str(), prep.begin);
  const PrefixView pv{w.hi.data(), w.lo.data(), n + 1};
  const int m = effective_min_size(cfg);

  with_cost(cp, pv, [&](const auto& cost) {
    if (crops) {
      run_crops(cost, n, cfg.crops_min, cfg.crops_max, m, w, r);
    } else {
      solve_series(cost, n, cfg, r.penalty, m, w, r);
    }
    const int k = static_cast<int>(r.changes.size());
    r.gains.resize(static_cast<size_t>(k));
    change_gains(cost, n, r.changes.data(), k, r.gains.data());
    r.cost = segmentation_cost(cost, n, r.changes.data(), k);
  });
  finish_series(prep, label.c_str(), r);
}

}  // namespace

DetectResult detect_cpu(const double* values, std::int64_t n_series, int n_time,
                        const std::int32_t* days, const DetectConfig& config) {
  validate_config(config, n_time);
  DetectResult out;
  out.backend_used = Backend::cpu;
  out.series.resize(static_cast<size_t>(n_series));
  std::exception_ptr error;
#pragma omp parallel
  {
    Workspace w;
#pragma omp for schedule(dynamic, 1)
    for (std::int64_t i = 0; i < n_series; ++i) {
      try {
        detect_one(values + i * n_time, n_time, days, config, i, w, out.series[i]);
      } catch (...) {
#pragma omp critical(turnpoint_detect_error)
        if (!error) error = std::current_exception();
      }
    }
  }
  if (error) std::rethrow_exception(error);
  return out;
}

}  // namespace turnpoint::detail
