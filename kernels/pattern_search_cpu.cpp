// The pattern-model search (kernels/pattern_search.hpp) on the CPU: one series per OpenMP
// task. The model's columns live in the whitened, augmented space (N = nv data rows + one
// ridge row per observed month when the series has month effects) as an orthonormal basis
// built by modified Gram-Schmidt; every change family keeps, for every candidate day, the
// Gram matrix of its (whitened) columns and their product with the whitened series, both
// already projected off the model (downdated each time a column joins). A scan of a family
// is then a k x k solve per day.
#include "kernels/pattern_search.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "kernels/pattern_noise.hpp"
#include "kernels/pattern_whitening.hpp"
#include "kernels/pivoted_cholesky.hpp"

namespace turnpoint::kernels {
namespace {

constexpr int kMaxFamilyColumns = 8;
// A candidate column whose part outside the model is below this fraction of its norm^2 is
// in the model's span (a step on the first day, a kink the trend already is).
constexpr double kDependent = 1e-9;
// Largest AR(1) coefficient of the daily noise (kernels/pattern_noise.hpp).
constexpr double kPhiMax = 0.8;
// First steps a step-pair look-ahead tries per forward step (Search::best_step_pair): the
// best-gaining ones a relocation window apart. Each costs one scan of the step family.
constexpr int kPairFirsts = 3;

int column_count(const ChangeFamily& f) { return static_cast<int>(f.columns.size()); }

class GlsModel {
 public:
  GlsModel(const PatternDesign& d, const std::vector<int>& rows, const double* y,
           const PatternNoise& noise, const std::vector<std::uint8_t>& tracked)
      : d_(d), rows_(rows), A_(rows, noise.phi), nv_(static_cast<int>(rows.size())),
        se2_(noise.sigma_e * noise.sigma_e), tracked_(tracked) {
    // One ridge row per observed month when the series has month effects.
    if (noise.tau > 0.0 && !d.month.empty()) {
      month_row_.assign(d.n_months, -1);
      int k = 0;
      for (int j = 0; j < nv_; ++j)
        if (month_row_[d.month[rows_[j]]] < 0) month_row_[d.month[rows_[j]]] = nv_ + k++;
      naug_ = k;
      lambda_ = noise.sigma_e / noise.tau;
    }
    N_ = nv_ + naug_;
    std::vector<double> yv(nv_);
    for (int j = 0; j < nv_; ++j) yv[j] = y[rows_[j]];
    ytil_.assign(nv_, 0.0);
    A_.apply(yv.data(), ytil_.data());
    rss_ = 0.0;
    for (double v : ytil_) rss_ += v * v;
    gy_.assign(nv_, 0.0);
    A_.apply_transpose(ytil_.data(), gy_.data());
    tables_.resize(d.families.size());
    for (std::size_t f = 0; f < d.families.size(); ++f)
      if (tracked_[f]) init_tables(static_cast<int>(f));
  }

  int rows() const { return nv_; }
  int day(int i) const { return rows_[i]; }
  int columns() const { return static_cast<int>(qy_.size()); }
  double rss() const { return rss_; }
  double se2() const { return se2_; }

  // ---- columns of the model -------------------------------------------------------------
  // The whitened pattern column c.
  std::vector<double> pattern_column(int c) const {
    std::vector<double> z(nv_), v(N_, 0.0);
    for (int j = 0; j < nv_; ++j) z[j] = d_.row(rows_[j])[c];
    A_.apply(z.data(), v.data());
    return v;
  }
  // The month effect of month m (axis month id) with its ridge row; empty if m has no row.
  std::vector<double> month_column(int m) const {
    if (month_row_.empty() || month_row_[m] < 0) return {};
    std::vector<double> z(nv_), v(N_, 0.0);
    for (int j = 0; j < nv_; ++j) z[j] = d_.month[rows_[j]] == m ? 1.0 : 0.0;
    A_.apply(z.data(), v.data());
    v[month_row_[m]] = lambda_;
    return v;
  }
  bool has_months() const { return !month_row_.empty(); }
  // The whitened column `col` of family f for a change at row i.
  std::vector<double> change_column(int f, int col, int i) const {
    const FamilyColumn& fc = d_.families[f].columns[col];
    std::vector<double> z(nv_, 0.0), v(N_, 0.0);
    for (int j = i; j < nv_; ++j) z[j] = base_value(fc, j) * shape(fc.shape, rows_[j] - rows_[i]);
    A_.apply(z.data(), v.data());
    return v;
  }

  // Adds a column (Gram-Schmidt twice); false if it is in the model's span. Updates the
  // tables of the families in `mask` (all tracked ones when null).
  bool add(std::vector<double> v, const std::vector<std::uint8_t>* mask = nullptr) {
    double norm0 = 0.0;
    for (double x : v) norm0 += x * x;
    if (!(norm0 > 0.0)) return false;
    const int C = columns();
    std::vector<double> coef(C, 0.0);
    for (int pass = 0; pass < 2; ++pass)
      for (int c = 0; c < C; ++c) {
        const double* q = &Q_[static_cast<std::size_t>(c) * N_];
        double r = 0.0;
        for (int k = 0; k < N_; ++k) r += q[k] * v[k];
        for (int k = 0; k < N_; ++k) v[k] -= r * q[k];
        coef[c] += r;
      }
    double norm = 0.0;
    for (double x : v) norm += x * x;
    if (!(norm > kDependent * norm0)) return false;
    norm = std::sqrt(norm);
    for (double& x : v) x /= norm;
    double qy = 0.0;
    for (int j = 0; j < nv_; ++j) qy += v[j] * ytil_[j];
    Q_.insert(Q_.end(), v.begin(), v.end());
    qy_.push_back(qy);
    coef.push_back(norm);
    triangle_.push_back(std::move(coef));
    rss_ -= qy * qy;
    std::vector<double> g(nv_);
    A_.apply_transpose(v.data(), g.data());
    for (std::size_t f = 0; f < tables_.size(); ++f) {
      const bool update = mask ? (*mask)[f] != 0 : tracked_[f] != 0;
      if (update) downdate(static_cast<int>(f), g, qy);
    }
    return true;
  }

  // ---- scans --------------------------------------------------------------------------
  // Gain of a change of family f at each row in [lo, hi] (gain[i - lo]); 0 where its
  // columns are in the model's span.
  void gains(int f, int lo, int hi, double* out) const {
    const Tables& t = tables_[f];
    const int k = t.k;
    double G[kMaxFamilyColumns * kMaxFamilyColumns], r[kMaxFamilyColumns], z[kMaxFamilyColumns];
    for (int i = lo; i <= hi; ++i) {
      const double* R = &t.R[static_cast<std::size_t>(i) * k * k];
      const double* P = &t.P[static_cast<std::size_t>(i) * k];
      const double* Z0 = &t.Z0[static_cast<std::size_t>(i) * k];
      for (int a = 0; a < k; ++a) {
        const bool gone = !(R[a * k + a] > kDependent * Z0[a]);
        for (int b = 0; b < k; ++b)
          G[a * k + b] = gone || !(R[b * k + b] > kDependent * Z0[b]) ? 0.0 : R[a * k + b];
        r[a] = gone ? 0.0 : P[a];
      }
      PivotedCholesky<kMaxFamilyColumns> chol;
      chol.factor(G, k, k, 1e-10);
      const double explained = chol.forward(G, k, r, z);
      out[i - lo] = explained > 0.0 ? explained / se2_ : 0.0;
    }
  }

  // ---- checkpoints --------------------------------------------------------------------
  struct Checkpoint {
    int columns = 0;
    double rss = 0.0;
    std::vector<std::vector<double>> R, P;  // per family (empty = not saved)
  };
  Checkpoint save() const { return save(std::vector<std::uint8_t>(tables_.size(), 1)); }
  // The tables of the families in `mask` only (restore with the same mask).
  Checkpoint save(const std::vector<std::uint8_t>& mask) const {
    Checkpoint cp;
    cp.columns = columns();
    cp.rss = rss_;
    cp.R.resize(tables_.size());
    cp.P.resize(tables_.size());
    for (std::size_t f = 0; f < tables_.size(); ++f)
      if (mask[f]) {
        cp.R[f] = tables_[f].R;
        cp.P[f] = tables_[f].P;
      }
    return cp;
  }
  // Back to the checkpoint's columns; the tables of the families in `mask` restored (the
  // others are left stale and must not be scanned until restored).
  void restore(const Checkpoint& cp, const std::vector<std::uint8_t>& mask) {
    Q_.resize(static_cast<std::size_t>(cp.columns) * N_);
    qy_.resize(cp.columns);
    triangle_.resize(cp.columns);
    rss_ = cp.rss;
    for (std::size_t f = 0; f < tables_.size(); ++f)
      if (mask[f]) {
        tables_[f].R = cp.R[f];
        tables_[f].P = cp.P[f];
      }
  }

  // Coefficients of the columns in [first, columns()) of the least-squares fit of all
  // columns (back substitution through the Gram-Schmidt triangle).
  std::vector<double> coefficients() const {
    const int C = columns();
    std::vector<double> beta(C, 0.0);
    for (int c = C - 1; c >= 0; --c) {
      double s = qy_[c];
      for (int k = c + 1; k < C; ++k) s -= triangle_[k][c] * beta[k];
      beta[c] = s / triangle_[c][c];
    }
    return beta;
  }

  // The whitened residual of the current model on the data rows: y~ minus its projection.
  std::vector<double> residual() const {
    std::vector<double> e(ytil_);
    for (int c = 0; c < columns(); ++c) {
      const double* q = &Q_[static_cast<std::size_t>(c) * N_];
      for (int j = 0; j < nv_; ++j) e[j] -= qy_[c] * q[j];
    }
    return e;
  }

  double base_value(const FamilyColumn& fc, int j) const {
    return fc.base < 0 ? 1.0 : d_.row(rows_[j])[fc.base];
  }
  static double shape(const OnsetShape& s, int days) {
    if (days < 0) return 0.0;
    double v = s.m == 0 ? 1.0 : std::pow(kKinkScale * days, s.m);
    if (s.rho > 0.0) v *= std::exp(-days / s.rho);
    return v;
  }

 private:
  struct Tables {
    int k = 0;
    std::vector<double> R;   // [nv][k][k] Gram of the whitened columns, projected off the model
    std::vector<double> P;   // [nv][k] their product with the whitened series, projected
    std::vector<double> Z0;  // [nv][k] diagonal of the Gram before any projection
  };

  // F_m over rows for h with the shape (m, decay rate r).
  void sums(const std::vector<double>& h, int m, double r, std::vector<double>& out) const {
    std::vector<double> F[kMaxOnsetPower + 1];
    onset_sums(rows_, h.data(), m, r, F);
    out = std::move(F[m]);
  }
  static double rate(const OnsetShape& s) { return s.rho > 0.0 ? 1.0 / s.rho : 0.0; }


  // sum_j (A z_a)_j (A z_b)_j for every candidate row (docs: the D + S - C terms).
  std::vector<double> gram(const FamilyColumn& a, const FamilyColumn& b) const {
    const int nv = nv_;
    const int M = a.shape.m + b.shape.m;
    const double ra = rate(a.shape), rb = rate(b.shape), rr = ra + rb;
    std::vector<double> h(nv), F, total(nv, 0.0);
    // D: same row.
    for (int j = 0; j < nv; ++j) h[j] = A_.w[j] * A_.w[j] * base_value(a, j) * base_value(b, j);
    sums(h, M, rr, F);
    for (int i = 0; i < nv; ++i) total[i] += F[i];
    // S: both at the previous row of row k + 1.
    for (int k = 0; k < nv; ++k)
      h[k] = k + 1 < nv ? A_.w[k + 1] * A_.w[k + 1] * A_.a[k + 1] * A_.a[k + 1] *
                              base_value(a, k) * base_value(b, k)
                        : 0.0;
    sums(h, M, rr, F);
    for (int i = 0; i < nv; ++i) total[i] += F[i];
    // C: one column at row k + 1, the other at row k (both orders).
    auto cross = [&](const FamilyColumn& later, const FamilyColumn& earlier) {
      const double rl = rate(later.shape);
      std::vector<double> H(nv), G;
      for (int k = 0; k < nv; ++k) {
        if (k + 1 >= nv) { H[k] = 0.0; continue; }
        const double gap = static_cast<double>(rows_[k + 1] - rows_[k]);
        H[k] = A_.w[k + 1] * A_.w[k + 1] * A_.a[k + 1] * base_value(later, k + 1) *
               base_value(earlier, k) * (rl > 0.0 ? std::exp(-rl * gap) : 1.0);
      }
      // s_later(d + gap) = (c (d + gap))^m e^{-r gap} e^{-r d}
      //                 = e^{-r gap} e^{-r d} sum_k binom(m, k) (c gap)^(m - k) (c d)^k.
      const int ml = later.shape.m;
      static constexpr double binom[3][3] = {{1, 0, 0}, {1, 1, 0}, {1, 2, 1}};
      for (int k = 0; k <= ml; ++k) {
        std::vector<double> Hk(H);
        if (k < ml)
          for (int q = 0; q + 1 < nv; ++q)
            Hk[q] *= binom[ml][k] * std::pow(kKinkScale * (rows_[q + 1] - rows_[q]), ml - k);
        sums(Hk, k + earlier.shape.m, rr, G);
        for (int i = 0; i < nv; ++i) total[i] -= G[i];
      }
    };
    cross(a, b);
    cross(b, a);
    return total;
  }

  void init_tables(int f) {
    const ChangeFamily& fam = d_.families[f];
    Tables& t = tables_[f];
    const int k = column_count(fam);
    t.k = k;
    t.R.assign(static_cast<std::size_t>(nv_) * k * k, 0.0);
    t.P.assign(static_cast<std::size_t>(nv_) * k, 0.0);
    t.Z0.assign(static_cast<std::size_t>(nv_) * k, 0.0);
    for (int a = 0; a < k; ++a)
      for (int b = a; b < k; ++b) {
        const std::vector<double> g = gram(fam.columns[a], fam.columns[b]);
        for (int i = 0; i < nv_; ++i) {
          t.R[(static_cast<std::size_t>(i) * k + a) * k + b] = g[i];
          t.R[(static_cast<std::size_t>(i) * k + b) * k + a] = g[i];
          if (a == b) t.Z0[static_cast<std::size_t>(i) * k + a] = g[i];
        }
      }
    std::vector<double> h(nv_), F;
    for (int a = 0; a < k; ++a) {
      const FamilyColumn& fc = fam.columns[a];
      for (int j = 0; j < nv_; ++j) h[j] = gy_[j] * base_value(fc, j);
      sums(h, fc.shape.m, rate(fc.shape), F);
      for (int i = 0; i < nv_; ++i) t.P[static_cast<std::size_t>(i) * k + a] = F[i];
    }
  }

  // A new orthonormal column q (g = A' q on the data rows, qy = q' y~) leaves every
  // candidate's projected Gram and product: R -= u u', P -= u qy, u = q' A z.
  void downdate(int f, const std::vector<double>& g, double qy) {
    const ChangeFamily& fam = d_.families[f];
    Tables& t = tables_[f];
    const int k = t.k;
    std::vector<std::vector<double>> u(k);
    std::vector<double> h(nv_);
    for (int a = 0; a < k; ++a) {
      const FamilyColumn& fc = fam.columns[a];
      for (int j = 0; j < nv_; ++j) h[j] = g[j] * base_value(fc, j);
      sums(h, fc.shape.m, rate(fc.shape), u[a]);
    }
    for (int i = 0; i < nv_; ++i) {
      double* R = &t.R[static_cast<std::size_t>(i) * k * k];
      double* P = &t.P[static_cast<std::size_t>(i) * k];
      for (int a = 0; a < k; ++a) {
        const double ua = u[a][i];
        P[a] -= ua * qy;
        for (int b = 0; b < k; ++b) R[a * k + b] -= ua * u[b][i];
      }
    }
  }

  const PatternDesign& d_;
  std::vector<int> rows_;
  Whitener A_;
  int nv_ = 0, naug_ = 0, N_ = 0;
  double se2_ = 1.0;
  double lambda_ = 0.0;
  std::vector<int> month_row_;
  std::vector<double> ytil_, gy_;
  std::vector<double> Q_, qy_;
  std::vector<std::vector<double>> triangle_;  // column c: its coefficients on 0..c-1, then its norm
  double rss_ = 0.0;
  std::vector<Tables> tables_;
  std::vector<std::uint8_t> tracked_;
};

// ---- the search on one series ------------------------------------------------------------

struct Candidate {
  int row = -1, family = -1;
  double gain = 0.0, score = -std::numeric_limits<double>::infinity();
};

class Search {
 public:
  Search(const PatternDesign& d, const std::vector<int>& rows, const double* y,
         const PatternNoise& noise, const PatternSearchSettings& s)
      : d_(d), s_(s), enabled_(enabled(d, s)),
        model_(d, rows, y, noise, enabled_), log_n_(std::log(static_cast<double>(rows.size()))) {
    for (int c = 0; c < d.p; ++c) model_.add(model_.pattern_column(c));
    if (model_.has_months())
      for (int m = 0; m < d.n_months; ++m) {
        std::vector<double> v = model_.month_column(m);
        if (!v.empty()) model_.add(std::move(v));
      }
    base_ = model_.save();
    for (std::size_t f = 0; f < d.families.size(); ++f) {
      const ChangeFamily& fam = d.families[f];
      if (enabled_[f] && fam.kind == ChangeKind::event && fam.columns.size() == 1 &&
          fam.columns[0].base < 0 && fam.columns[0].shape.m == 0 && !(fam.columns[0].shape.rho > 0.0))
        step_family_ = static_cast<int>(f);
    }
  }

  double penalty(int f) const {
    return s_.penalty_multiplier * (column_count(d_.families[f]) + 2) * log_n_;
  }
  double log_n() const { return log_n_; }

  // Rows a change may take: min_gap days from both ends and from every change in `others`.
  bool allowed(int i, const std::vector<std::pair<int, int>>& others) const {
    const int t = model_.day(i);
    if (t - model_.day(0) < s_.min_gap || model_.day(model_.rows() - 1) - t + 1 < s_.min_gap)
      return false;
    for (const auto& o : others)
      if (std::abs(model_.day(o.first) - t) < s_.min_gap) return false;
    return true;
  }

  void add_change(int f, int i, const std::vector<std::uint8_t>* mask) {
    for (int c = 0; c < column_count(d_.families[f]); ++c) model_.add(model_.change_column(f, c, i), mask);
  }

  // Forward selection from the base model.
  std::vector<std::pair<int, int>> forward() {
    std::vector<std::pair<int, int>> chosen;  // (row, family)
    const int nv = model_.rows();
    std::vector<double> g(nv);
    while (static_cast<int>(chosen.size()) < s_.max_changes) {
      Candidate best;
      for (std::size_t f = 0; f < d_.families.size(); ++f) {
        if (!enabled_[f]) continue;
        model_.gains(static_cast<int>(f), 0, nv - 1, g.data());
        const double pen = penalty(static_cast<int>(f));
        for (int i = 0; i < nv; ++i) {
          const double score = g[i] - pen;
          if (score > best.score && allowed(i, chosen))
            best = {i, static_cast<int>(f), g[i], score};
        }
      }
      StepPair pair = best_step_pair(chosen, best.score, /*month_starts=*/false);
      if (pair.first < 0 && !(best.score > 0.0)) pair = best_step_pair(chosen, best.score, true);
      if (pair.first >= 0) {
        chosen.emplace_back(pair.first, step_family_);
        chosen.emplace_back(pair.second, step_family_);
        add_change(step_family_, pair.first, nullptr);
        add_change(step_family_, pair.second, nullptr);
        continue;
      }
      if (best.row < 0 || !(best.score > 0.0)) break;
      chosen.emplace_back(best.row, best.family);
      add_change(best.family, best.row, nullptr);
    }
    return chosen;
  }

  // A pair of level steps that pays only together: a drop and its recovery (a lockdown and
  // the reopening) whose months the month effects half explain, so
  // that neither step alone beats its penalty by much, while the second, given the first,
  // gains more than the first did alone. Forward selection adds one change at a time and
  // would never see such an episode; this looks one step ahead from the kPairFirsts best
  // first steps (at least a relocation window apart). The pair is taken when its score per
  // change beats the best single change's score -- which happens only when the second
  // step's gain given the first exceeds the first's own (the masking above). That can also
  // replace a single change of another family (a transient for a drop and a quick
  // recovery) by two steps; on the generator's panels it changed no result (docs/
  // seasonality.md I.3).
  struct StepPair {
    int first = -1, second = -1;
  };
  // month_starts: also try every first day of a month as the first step (where the series
  // has month effects) -- an episode of whole months is what the month effects absorb, so
  // its first step alone may gain nothing and not be among the best-gaining ones. Costs a
  // scan per month; forward() asks for it only once no single change pays.
  StepPair best_step_pair(const std::vector<std::pair<int, int>>& chosen, double single_score,
                          bool month_starts) {
    if (month_starts && !model_.has_months()) return {};
    if (step_family_ < 0 || static_cast<int>(chosen.size()) + 2 > s_.max_changes) return {};
    const int nv = model_.rows();
    std::vector<double> g(nv);
    model_.gains(step_family_, 0, nv - 1, g.data());
    const double pen = penalty(step_family_);
    std::vector<int> firsts;
    if (month_starts) {  // the best-gaining ones were tried without month_starts
      for (int i = 1; i < nv; ++i)
        if (d_.month[model_.day(i)] != d_.month[model_.day(i - 1)] && allowed(i, chosen)) firsts.push_back(i);
    } else {
      std::vector<int> order;
      for (int i = 0; i < nv; ++i)
        if (g[i] > 0.0 && allowed(i, chosen)) order.push_back(i);
      std::sort(order.begin(), order.end(), [&](int a, int b) { return g[a] > g[b] || (g[a] == g[b] && a < b); });
      for (const int i : order) {
        if (static_cast<int>(firsts.size()) == kPairFirsts) break;
        bool apart = true;
        for (const int f : firsts)
          apart = apart && std::abs(model_.day(f) - model_.day(i)) > s_.relocate_window;
        if (apart) firsts.push_back(i);
      }
    }
    if (firsts.empty()) return {};
    // Only the step family's tables are updated by a look-ahead and restored after it.
    std::vector<std::uint8_t> mask(d_.families.size(), 0);
    mask[static_cast<std::size_t>(step_family_)] = 1;
    const GlsModel::Checkpoint here = model_.save(mask);
    StepPair out;
    double best = std::max(0.0, 2.0 * single_score);
    std::vector<double> g2(nv);
    std::vector<std::pair<int, int>> with_first(chosen);
    with_first.emplace_back(-1, step_family_);
    for (const int first : firsts) {
      add_change(step_family_, first, &mask);
      model_.gains(step_family_, 0, nv - 1, g2.data());
      with_first.back().first = first;
      for (int i = 0; i < nv; ++i) {
        const double score = g[first] + g2[i] - 2.0 * pen;
        if (score > best && allowed(i, with_first)) {
          best = score;
          out = {first, i};
        }
      }
      model_.restore(here, mask);
    }
    return out;
  }

  // Change j re-located given the others: the best row within the window -- of its own
  // family, or with `switch_family` of any enabled family of the same kind (the largest gain
  // over penalty) -- its gain there, and the gains of that family over the window (for the
  // interval).
  struct Relocation {
    int row = -1, family = -1, lo = 0;
    double gain = 0.0;
    std::vector<double> window;  // gains of rows lo, lo + 1, ...
  };
  Relocation relocate(const std::vector<std::pair<int, int>>& changes, std::size_t j,
                      bool switch_family = false) {
    const int own = changes[j].second;
    std::vector<std::uint8_t> mask(d_.families.size(), 0);
    for (std::size_t f = 0; f < mask.size(); ++f)
      mask[f] = static_cast<int>(f) == own ||
                (switch_family && enabled_[f] && d_.families[f].kind == d_.families[own].kind);
    model_.restore(base_, mask);
    std::vector<std::pair<int, int>> others;
    for (std::size_t k = 0; k < changes.size(); ++k)
      if (k != j) {
        add_change(changes[k].second, changes[k].first, &mask);
        others.push_back(changes[k]);
      }
    const int here = changes[j].first, t = model_.day(here);
    int lo = here, hi = here;
    while (lo > 0 && model_.day(lo - 1) >= t - s_.relocate_window) --lo;
    while (hi + 1 < model_.rows() && model_.day(hi + 1) <= t + s_.relocate_window) ++hi;
    Relocation best;
    double best_score = -std::numeric_limits<double>::infinity();
    std::vector<double> window(hi - lo + 1, 0.0);
    for (std::size_t f = 0; f < mask.size(); ++f) {
      if (!mask[f]) continue;
      model_.gains(static_cast<int>(f), lo, hi, window.data());
      const double pen = penalty(static_cast<int>(f));
      for (int i = lo; i <= hi; ++i) {
        if (!allowed(i, others)) window[i - lo] = 0.0;
        const double score = window[i - lo] - pen;
        if (score > best_score) {
          best_score = score;
          best.row = i;
          best.family = static_cast<int>(f);
          best.gain = window[i - lo];
        }
      }
      if (best.family == static_cast<int>(f)) {
        best.lo = lo;
        best.window = window;
      }
    }
    return best;
  }

  const PatternDesign& d_;
  const PatternSearchSettings& s_;
  std::vector<std::uint8_t> enabled_;
  GlsModel model_;
  GlsModel::Checkpoint base_;
  double log_n_;
  int step_family_ = -1;  // the enabled one-column level step family, if any (step pairs)

 private:
  static std::vector<std::uint8_t> enabled(const PatternDesign& d, const PatternSearchSettings& s) {
    std::vector<std::uint8_t> e(d.families.size(), 1);
    if (!s.families.empty())
      for (std::size_t f = 0; f < e.size(); ++f) e[f] = f < s.families.size() ? s.families[f] : 0;
    for (std::size_t f = 0; f < e.size(); ++f)
      if (column_count(d.families[f]) > kMaxFamilyColumns) e[f] = 0;
    return e;
  }
};

// +1 / -1 for an event family whose first column moves the level up / down at its day
// (a step, a transient), 0 otherwise (a kink starts from 0; a seasonal change averages out).
double level_step_sign(const PatternDesign& d, int family, const std::vector<double>& beta,
                       const std::vector<int>& columns) {
  const ChangeFamily& fam = d.families[family];
  if (fam.kind != ChangeKind::event || columns.empty() || columns[0] < 0) return 0.0;
  const FamilyColumn& first = fam.columns[0];
  if (first.base >= 0 || first.shape.m != 0) return 0.0;
  const double b = beta[columns[0]];
  return b > 0.0 ? 1.0 : b < 0.0 ? -1.0 : 0.0;
}

std::vector<int> observed_rows(const PatternDesign& d, const double* y) {
  std::vector<int> rows;
  for (int t = 0; t < d.n; ++t)
    if (y[t] == y[t]) rows.push_back(t);
  return rows;
}

// Mean over `window` axis days from the change of its columns' effect.
double level_step(const PatternDesign& d, const PatternChange& c, int window) {
  const ChangeFamily& fam = d.families[c.family];
  double sum = 0.0;
  int days = 0;
  for (int t = c.index; t < std::min(d.n, c.index + window); ++t, ++days)
    for (std::size_t a = 0; a < fam.columns.size(); ++a) {
      const FamilyColumn& fc = fam.columns[a];
      const double b = fc.base < 0 ? 1.0 : d.row(t)[fc.base];
      double s = fc.shape.m == 0 ? 1.0 : std::pow(kKinkScale * (t - c.index), fc.shape.m);
      if (fc.shape.rho > 0.0) s *= std::exp(-(t - c.index) / fc.shape.rho);
      sum += c.coefficients[a] * b * s;
    }
  return days > 0 ? sum / days : 0.0;
}

// Re-locates each change given the others (its family may switch), sweep after sweep,
// until a sweep moves none or `sweeps` have run.
void relocate_changes(Search& search, std::vector<std::pair<int, int>>& changes, int sweeps) {
  for (int sweep = 0; sweep < sweeps && !changes.empty(); ++sweep) {
    bool moved = false;
    for (std::size_t j = 0; j < changes.size(); ++j) {
      const auto r = search.relocate(changes, j, /*switch_family=*/true);
      if (r.row >= 0 && (r.row != changes[j].first || r.family != changes[j].second)) {
        changes[j] = {r.row, r.family};
        moved = true;
      }
    }
    if (!moved) break;
  }
}

// Backward elimination: drops the change whose gain (given the others) falls shortest of
// its penalty, until every change pays.
void drop_unpaid_changes(Search& search, std::vector<std::pair<int, int>>& changes) {
  for (;;) {
    int weakest = -1;
    double worst = 0.0;
    for (std::size_t j = 0; j < changes.size(); ++j) {
      const Search::Relocation r = search.relocate(changes, j);
      const double gain = r.window[changes[j].first - r.lo];
      const double margin = gain - search.penalty(changes[j].second);
      if (margin < worst) {
        worst = margin;
        weakest = static_cast<int>(j);
      }
    }
    if (weakest < 0) break;
    changes.erase(changes.begin() + weakest);
  }
}

// The final model's changes (sorted by row): each with its gain, penalty, interval, the
// coefficients of its columns (0 for a column dependent on the others) and its level step.
// The interval: the connected days around the change whose gain is within interval_drop,
// widened for a gradual change (a fall over several days, placed on its steepest day) over
// the days around it that the final model misses in the direction of the move -- already
// moved before it, not yet arrived after it (docs/seasonality.md, Part I).
std::vector<PatternChange> final_changes(const PatternDesign& d, const std::vector<int>& rows, Search& search,
                                         const std::vector<std::pair<int, int>>& changes,
                                         const PatternSearchSettings& s, double sigma_e) {
  const int nv = static_cast<int>(rows.size());
  std::vector<Search::Relocation> final(changes.size());
  for (std::size_t j = 0; j < changes.size(); ++j) final[j] = search.relocate(changes, j);
  std::vector<std::uint8_t> none(d.families.size(), 0);
  search.model_.restore(search.base_, none);
  std::vector<std::vector<int>> column_of(changes.size());  // model column of each change column (-1: dependent)
  for (std::size_t j = 0; j < changes.size(); ++j) {
    const int f = changes[j].second;
    for (int a = 0; a < column_count(d.families[f]); ++a) {
      const int at = search.model_.columns();
      const bool added = search.model_.add(search.model_.change_column(f, a, changes[j].first), &none);
      column_of[j].push_back(added ? at : -1);
    }
  }
  const std::vector<double> beta = search.model_.coefficients();
  const std::vector<double> resid = search.model_.residual();
  std::vector<PatternChange> out;
  for (std::size_t j = 0; j < changes.size(); ++j) {
    PatternChange c;
    c.family = changes[j].second;
    const int row = changes[j].first;
    c.index = rows[row];
    const auto& r = final[j];
    c.gain = r.window[row - r.lo];
    c.penalty = search.penalty(c.family);
    int lo = row, hi = row;
    while (lo - 1 >= r.lo && r.window[lo - 1 - r.lo] >= c.gain - s.interval_drop) --lo;
    while (hi + 1 < r.lo + static_cast<int>(r.window.size()) &&
           r.window[hi + 1 - r.lo] >= c.gain - s.interval_drop)
      ++hi;
    const double dir = level_step_sign(d, changes[j].second, beta, column_of[j]);
    if (dir != 0.0) {
      while (lo > 0 && dir * resid[lo - 1] > s.transition_sigmas * sigma_e &&
             rows[row] - rows[lo - 1] <= s.relocate_window)
        --lo;
      while (hi + 1 < nv && -dir * resid[hi + 1] > s.transition_sigmas * sigma_e &&
             rows[hi + 1] - rows[row] <= s.relocate_window)
        ++hi;
    }
    c.ci_lo = rows[lo];
    c.ci_hi = rows[hi];
    for (const int col : column_of[j]) c.coefficients.push_back(col >= 0 ? beta[col] : 0.0);
    c.level_step = level_step(d, c, s.level_window);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

PatternFit fit_pattern(const PatternDesign& d, const double* y, const PatternSearchSettings& s) {
  PatternFit fit;
  const std::vector<int> rows = observed_rows(d, y);
  const int nv = static_cast<int>(rows.size());
  fit.n_valid = nv;
  if (nv < d.p + 2 * s.min_gap + 1) {
    fit.status = SeriesStatus::empty;  // too short for the pattern and one change
    return fit;
  }
  bool constant = true;
  for (int j = 1; j < nv && constant; ++j) constant = y[rows[j]] == y[rows[0]];
  fit.noise = estimate_pattern_noise(d, y, rows, kPhiMax);
  if (constant || !(fit.noise.sigma_e > 0.0)) {
    fit.status = SeriesStatus::constant;  // nothing but the pattern: no noise to weigh
    return fit;
  }
  Search search(d, rows, y, fit.noise, s);
  fit.penalty_unit = search.log_n();
  std::vector<std::pair<int, int>> changes = search.forward();
  relocate_changes(search, changes, s.refine_sweeps);
  drop_unpaid_changes(search, changes);
  std::sort(changes.begin(), changes.end());
  fit.changes = final_changes(d, rows, search, changes, s, fit.noise.sigma_e);
  return fit;
}

std::vector<PatternFit> fit_pattern_cpu(const PatternDesign& d, const double* values,
                                        std::int64_t n_series, const PatternSearchSettings& s) {
  std::vector<PatternFit> out(static_cast<std::size_t>(n_series));
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t i = 0; i < n_series; ++i)
    out[static_cast<std::size_t>(i)] = fit_pattern(d, values + i * d.n, s);
  return out;
}

std::vector<double> pattern_gains(const PatternDesign& d, const double* y,
                                  const PatternNoise& noise,
                                  const std::vector<std::pair<int, int>>& given, int family,
                                  int min_gap) {
  PatternSearchSettings s;
  s.min_gap = min_gap;
  const std::vector<int> rows = observed_rows(d, y);
  Search search(d, rows, y, noise, s);
  std::vector<std::pair<int, int>> others;  // (row, family)
  for (const auto& g : given) {
    const auto it = std::lower_bound(rows.begin(), rows.end(), g.first);
    const int row = static_cast<int>(it - rows.begin());
    search.add_change(g.second, row, nullptr);
    others.emplace_back(row, g.second);
  }
  std::vector<double> window(rows.size(), 0.0), out(d.n, 0.0);
  search.model_.gains(family, 0, static_cast<int>(rows.size()) - 1, window.data());
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (search.allowed(static_cast<int>(i), others)) out[rows[i]] = window[i];
  return out;
}

}  // namespace turnpoint::kernels
