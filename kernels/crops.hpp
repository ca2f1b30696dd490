// CROPS (Haynes, Eckley & Fearnhead 2017): every optimal penalised segmentation for
// penalties in [lo, hi], found with few PELT fits. The interval search is host-side
// bookkeeping shared by both backends; the fits themselves are whatever the backend runs.
//
// Protocol: while pending() is non-empty, fit each penalty it lists (in order) and hand
// the fits back with add(). Initially it lists lo and hi; afterwards at most one penalty:
// for an interval whose ends have k_a > k_b + 1 changes, the penalty where their penalised
// costs meet, (q_b - q_a) / (k_a - k_b). The CPU backend fits one series at a time; the
// CUDA backend runs one round of pending() fits for all series at once.
#pragma once
#include <algorithm>
#include <utility>
#include <vector>

#include "kernels/detect.hpp"

namespace turnpoint::kernels {

struct CropsFit {
  double pen = 0.0;
  int k = 0;        // number of changes
  double q = 0.0;   // unpenalised cost
  std::vector<int> changes;
  std::vector<double> gains;  // optional (the CUDA backend computes them on the device)
};

class CropsSearch {
 public:
  CropsSearch(double lo, double hi) : lo_(lo), hi_(hi), pending_{lo, hi} {}

  const std::vector<double>& pending() const { return pending_; }

  void add(std::vector<CropsFit> fits) {
    if (found_.empty()) {  // the fits at lo and hi
      for (auto& f : fits) found_.push_back(std::move(f));
      todo_.push_back({0, 1});
    } else {
      for (auto& f : fits) {
        // Same number of changes as the interval's upper end: the ends meet at f.pen.
        if (f.k == found_[static_cast<size_t>(wait_b_)].k) continue;
        found_.push_back(std::move(f));
        const int c = static_cast<int>(found_.size()) - 1;
        todo_.push_back({wait_a_, c});
        todo_.push_back({c, wait_b_});
      }
    }
    advance();
  }

  // The optimal segmentations, by decreasing number of changes, each with the penalty
  // interval on which it is optimal (its break-even penalties with its neighbours).
  std::vector<CropsSegmentation> segmentations() const {
    std::vector<const CropsFit*> f = hull();
    std::vector<CropsSegmentation> out;
    for (size_t i = 0; i < f.size(); ++i) {
      CropsSegmentation s;
      s.pen_lo = i == 0 ? lo_ : (f[i]->q - f[i - 1]->q) / (f[i - 1]->k - f[i]->k);
      s.pen_hi = i + 1 == f.size() ? hi_ : (f[i + 1]->q - f[i]->q) / (f[i]->k - f[i + 1]->k);
      s.pen_lo = std::max(s.pen_lo, lo_);
      s.pen_hi = std::min(s.pen_hi, hi_);
      s.cost = f[i]->q;
      s.changes = f[i]->changes;
      out.push_back(std::move(s));
    }
    return out;
  }

  // The fit with the fewest changes (optimal at hi), or nullptr before any fit.
  const CropsFit* fewest_changes() const {
    std::vector<const CropsFit*> f = hull();
    return f.empty() ? nullptr : f.back();
  }

 private:
  std::vector<const CropsFit*> hull() const {
    std::vector<const CropsFit*> f;
    for (const auto& x : found_) f.push_back(&x);
    std::stable_sort(f.begin(), f.end(), [](const CropsFit* x, const CropsFit* y) { return x->k > y->k; });
    f.erase(std::unique(f.begin(), f.end(),
                        [](const CropsFit* x, const CropsFit* y) { return x->k == y->k; }),
            f.end());
    return f;
  }

  void advance() {
    pending_.clear();
    while (!todo_.empty()) {
      const auto [a, b] = todo_.back();
      todo_.pop_back();
      const CropsFit& fa = found_[static_cast<size_t>(a)];
      const CropsFit& fb = found_[static_cast<size_t>(b)];
      if (fa.k <= fb.k + 1) continue;
      const double mid = (fb.q - fa.q) / static_cast<double>(fa.k - fb.k);
      if (!(mid > fa.pen && mid < fb.pen)) continue;
      wait_a_ = a;
      wait_b_ = b;
      pending_.push_back(mid);
      return;
    }
  }

  double lo_, hi_;
  std::vector<double> pending_;
  std::vector<CropsFit> found_;
  std::vector<std::pair<int, int>> todo_;  // intervals (indices into found_) to examine
  int wait_a_ = -1, wait_b_ = -1;          // the interval whose middle is pending
};

}  // namespace turnpoint::kernels
