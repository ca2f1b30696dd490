#include "host/eval/eval.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "kernels/error.hpp"

namespace turnpoint {

std::vector<int> clean_predictions(const std::vector<int>& locations, int n) {
  std::vector<int> out;
  for (int x : locations)
    if (x >= 1 && x <= n - 2) out.push_back(x);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::pair<int, int>> match_within_margin(const std::vector<int>& truth,
                                                     const std::vector<int>& predictions,
                                                     int margin) {
  std::vector<int> t = truth;
  std::sort(t.begin(), t.end());
  t.erase(std::unique(t.begin(), t.end()), t.end());
  std::vector<int> x = predictions;
  std::sort(x.begin(), x.end());
  x.erase(std::unique(x.begin(), x.end()), x.end());
  std::vector<bool> used(x.size(), false);
  std::vector<std::pair<int, int>> pairs;
  for (int tau : t) {
    // Closest unused prediction within the margin; ties go to the smaller location
    // (TCPD sorts (distance, location) pairs).
    auto lo = std::lower_bound(x.begin(), x.end(), tau - margin);
    int best = -1;
    for (auto it = lo; it != x.end() && *it <= tau + margin; ++it) {
      const auto k = static_cast<std::size_t>(it - x.begin());
      if (used[k]) continue;
      if (best < 0 || std::abs(*it - tau) < std::abs(x[static_cast<std::size_t>(best)] - tau))
        best = static_cast<int>(k);
    }
    if (best >= 0) {
      used[static_cast<std::size_t>(best)] = true;
      pairs.emplace_back(tau, x[static_cast<std::size_t>(best)]);
    }
  }
  return pairs;
}

namespace {

// Segment starts of a segmentation of 0..n-1 with the given change locations (TCPD's
// partition_from_cps: locations outside 1..n-1 make no new segment).
std::vector<int> segment_starts(const std::vector<int>& cps, int n) {
  std::vector<int> starts{0};
  std::vector<int> c = cps;
  std::sort(c.begin(), c.end());
  for (int x : c)
    if (x >= 1 && x <= n - 1 && x != starts.back()) starts.push_back(x);
  return starts;
}

std::vector<int> with_zero(const std::vector<int>& v) {
  std::vector<int> out = v;
  out.push_back(0);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// The q-quantile of the values whose counts `histogram` holds (value v at v + offset), as
// numpy's default (linear interpolation between order statistics) gives it for the values
// themselves: the k-th order statistic is read off the cumulative counts, so the errors of
// millions of matches need no list.
double quantile(const std::vector<std::int64_t>& histogram, int offset, double q) {
  std::int64_t total = 0;
  for (std::int64_t c : histogram) total += c;
  if (total == 0) return 0.0;
  const auto order_statistic = [&](std::int64_t k) {  // 0-based
    std::int64_t seen = 0;
    for (std::size_t v = 0; v < histogram.size(); ++v) {
      seen += histogram[v];
      if (k < seen) return static_cast<double>(static_cast<int>(v) - offset);
    }
    return static_cast<double>(static_cast<int>(histogram.size()) - 1 - offset);
  };
  const double pos = q * static_cast<double>(total - 1);
  const auto lo = static_cast<std::int64_t>(std::floor(pos));
  const std::int64_t hi = std::min(lo + 1, total - 1);
  const double a = order_statistic(lo), b = order_statistic(hi);
  return a + (pos - static_cast<double>(lo)) * (b - a);
}

}  // namespace

double covering_single(const std::vector<int>& truth, const std::vector<int>& predictions, int n) {
  TURNPOINT_EXPECTS(n >= 1, "covering of a series of {} days", n);
  const std::vector<int> a = segment_starts(truth, n), b = segment_starts(predictions, n);
  double total = 0.0;
  std::size_t j0 = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const int s = a[i], e = i + 1 < a.size() ? a[i + 1] : n;
    double best = 0.0;
    // Predicted segments overlapping [s, e): start from the first one that ends after s.
    while (j0 + 1 < b.size() && b[j0 + 1] <= s) ++j0;
    for (std::size_t j = j0; j < b.size() && b[j] < e; ++j) {
      const int ps = b[j], pe = j + 1 < b.size() ? b[j + 1] : n;
      const int inter = std::min(e, pe) - std::max(s, ps);
      if (inter <= 0) continue;
      const int uni = (e - s) + (pe - ps) - inter;
      best = std::max(best, static_cast<double>(inter) / uni);
    }
    total += (e - s) * best;
  }
  return total / n;
}

SeriesScore score_series(const std::vector<std::vector<int>>& annotations,
                         const std::vector<int>& predictions, int n, int margin) {
  TURNPOINT_EXPECTS(!annotations.empty(), "scoring needs at least one annotator");
  const std::vector<int> x = with_zero(clean_predictions(predictions, n));
  std::vector<int> all;
  for (const auto& a : annotations) all.insert(all.end(), a.begin(), a.end());
  const std::vector<int> union_truth = with_zero(all);
  SeriesScore s;
  s.precision = static_cast<double>(match_within_margin(union_truth, x, margin).size()) /
                static_cast<double>(x.size());
  double recall = 0.0, cover = 0.0;
  const std::vector<int> cleaned = clean_predictions(predictions, n);
  for (const auto& a : annotations) {
    const std::vector<int> tk = with_zero(a);
    recall += static_cast<double>(match_within_margin(tk, x, margin).size()) /
              static_cast<double>(tk.size());
    cover += covering_single(a, cleaned, n);
  }
  s.recall = recall / static_cast<double>(annotations.size());
  s.cover = cover / static_cast<double>(annotations.size());
  // TCPD's F-measure with alpha = 0.5: P R / (R/2 + P/2); 0 when both are 0.
  s.f1 = s.precision + s.recall > 0 ? 2 * s.precision * s.recall / (s.precision + s.recall) : 0.0;
  return s;
}

namespace {

// One series' truth: each annotator's turning points, and annotator 0's (the exact truth)
// with their kinds.
struct SeriesTruth {
  std::vector<std::vector<int>> by_annotator;
  std::vector<std::pair<int, TurnKind>> exact;
};

// One series' predictions: their locations, and the same with their kinds.
struct SeriesPredictions {
  std::vector<int> index;
  std::vector<std::pair<int, TurnKind>> with_kind;
};

std::vector<SeriesTruth> truth_by_series(const Truth& truth, std::int64_t n_series) {
  const SeriesTruth empty{
      std::vector<std::vector<int>>(static_cast<std::size_t>(truth.n_annotators)), {}};
  std::vector<SeriesTruth> out(static_cast<std::size_t>(n_series), empty);
  for (const TruthPoint& p : truth.points) {
    TURNPOINT_EXPECTS(p.series >= 0 && p.series < n_series,
                      "truth names series {}, but the detections have {} series", p.series,
                      n_series);
    TURNPOINT_EXPECTS(p.annotator >= 0 && p.annotator < truth.n_annotators,
                      "truth annotator {} out of range", p.annotator);
    SeriesTruth& t = out[static_cast<std::size_t>(p.series)];
    t.by_annotator[static_cast<std::size_t>(p.annotator)].push_back(p.index);
    if (p.annotator == 0) t.exact.emplace_back(p.index, p.kind);
  }
  return out;
}

// Kinds and location errors of the cleaned predictions x against the exact truth
// (annotator 0), without the artificial point at index 0.
void score_against_exact(const SeriesTruth& truth, const SeriesPredictions& pred,
                         const std::vector<int>& x, int margin, EvalSummary& out) {
  std::vector<int> t0;
  for (const auto& [index, kind] : truth.exact) t0.push_back(index);
  out.n_true += static_cast<std::int64_t>(t0.size());
  for (const auto& [tau, xhat] : match_within_margin(t0, x, margin)) {
    ++out.n_matched;
    const int e = xhat - tau;
    ++out.error_histogram[static_cast<std::size_t>(e + margin)];
    TurnKind want = TurnKind::unclassified, got = TurnKind::unclassified;
    for (const auto& [index, kind] : truth.exact)
      if (index == tau) want = kind;
    for (const auto& [index, kind] : pred.with_kind)
      if (index == xhat && kind != TurnKind::unclassified) got = kind;
    if (got == TurnKind::unclassified) {
      ++out.kind_unclassified;
    } else {
      ++out.kind_total;
      out.kind_correct += got == want;
    }
  }
}

}  // namespace

struct Evaluation::Series {
  std::vector<SeriesTruth> truth;
};

Evaluation::Evaluation(const Truth& truth, std::int64_t n_series, int n_time, int margin)
    : series_(std::make_unique<Series>()) {
  TURNPOINT_EXPECTS(margin >= 0, "--margin must be >= 0 (got {})", margin);
  TURNPOINT_EXPECTS(truth.n_annotators >= 1, "truth has no annotators");
  out_.n_series = n_series;
  out_.n_time = n_time;
  out_.margin = margin;
  out_.error_histogram.assign(static_cast<std::size_t>(2 * margin + 1), 0);
  series_->truth = truth_by_series(truth, n_series);
  out_.per_series.resize(series_->truth.size());
}

Evaluation::~Evaluation() = default;

void Evaluation::add(std::int64_t first, std::int64_t end, const std::vector<PredictedPoint>& predictions) {
  TURNPOINT_EXPECTS(first == next_ && end >= first && end <= out_.n_series,
                    "evaluation blocks must follow each other: series {}..{} after {}", first, end, next_);
  std::vector<SeriesPredictions> pred(static_cast<std::size_t>(end - first));
  for (const PredictedPoint& p : predictions) {
    TURNPOINT_EXPECTS(p.series >= first && p.series < end, "prediction for series {} in the block {}..{} of {}",
                      p.series, first, end, out_.n_series);
    SeriesPredictions& s = pred[static_cast<std::size_t>(p.series - first)];
    s.index.push_back(p.index);
    s.with_kind.emplace_back(p.index, p.kind);
  }
  for (std::int64_t i = first; i < end; ++i) {
    const SeriesTruth& t = series_->truth[static_cast<std::size_t>(i)];
    const SeriesPredictions& p = pred[static_cast<std::size_t>(i - first)];
    const SeriesScore s = score_series(t.by_annotator, p.index, out_.n_time, out_.margin);
    out_.per_series[static_cast<std::size_t>(i)] = s;
    out_.precision += s.precision;
    out_.recall += s.recall;
    out_.f1 += s.f1;
    out_.cover += s.cover;
    const std::vector<int> x = clean_predictions(p.index, out_.n_time);
    out_.n_predicted += static_cast<std::int64_t>(x.size());
    score_against_exact(t, p, x, out_.margin, out_);
  }
  next_ = end;
}

EvalSummary Evaluation::finish() {
  TURNPOINT_EXPECTS(next_ == out_.n_series, "evaluation finished after series {} of {}", next_, out_.n_series);
  EvalSummary out = std::move(out_);
  // Means over series of the TCPD scores, and the location error statistics.
  if (!out.per_series.empty()) {
    const double d = static_cast<double>(out.per_series.size());
    out.precision /= d;
    out.recall /= d;
    out.f1 /= d;
    out.cover /= d;
  }
  std::int64_t matched = 0, abs_sum = 0;
  for (std::size_t v = 0; v < out.error_histogram.size(); ++v) {
    matched += out.error_histogram[v];
    abs_sum += out.error_histogram[v] * std::abs(static_cast<std::int64_t>(v) - out.margin);
  }
  out.mean_abs_error = matched == 0 ? 0.0 : static_cast<double>(abs_sum) / static_cast<double>(matched);
  out.q1_error = quantile(out.error_histogram, out.margin, 0.25);
  out.median_error = quantile(out.error_histogram, out.margin, 0.5);
  out.q3_error = quantile(out.error_histogram, out.margin, 0.75);
  return out;
}

EvalSummary evaluate(const Truth& truth, const std::vector<PredictedPoint>& predictions,
                     std::int64_t n_series, int n_time, int margin) {
  Evaluation e(truth, n_series, n_time, margin);
  e.add(0, n_series, predictions);  // checks every prediction's series
  return e.finish();
}

}  // namespace turnpoint
