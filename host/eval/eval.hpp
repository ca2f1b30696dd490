// Evaluation of detected turning points against known truth, with the metrics of the TCPD
// benchmark (van den Burg & Williams 2020, analysis/scripts/metrics.py): F1 with a margin
// and the covering metric, several annotators per series; plus kind accuracy and the
// distribution of location errors (docs/eval.md).
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "datasets/generator.hpp"
#include "host/core/detections.hpp"

namespace turnpoint {

// TCPD's clean-up of a method's output: de-duplicated, sorted, only 1..n-2 kept.
std::vector<int> clean_predictions(const std::vector<int>& locations, int n);

// TCPD's true_positives: for each true location in ascending order, the closest prediction
// still unmatched within `margin` (ties: the earlier prediction) is matched and removed.
// Returns the matched (truth, prediction) pairs.
std::vector<std::pair<int, int>> match_within_margin(const std::vector<int>& truth,
                                                     const std::vector<int>& predictions,
                                                     int margin);

struct SeriesScore {
  double precision = 0, recall = 0, f1 = 0, cover = 0;
};

// One series of n days. annotations[k] = turning points of annotator k; predictions as the
// method gave them (cleaned here). Index 0 is added to every annotation and to the
// predictions, as TCPD does. Precision against the union of annotators, recall averaged
// over annotators, F1 their harmonic mean; cover averaged over annotators.
SeriesScore score_series(const std::vector<std::vector<int>>& annotations,
                         const std::vector<int>& predictions, int n, int margin);

// Covering of the true segmentation by the predicted one (Arbelaez et al. 2010, eq. 8):
// sum over true segments of |segment| x best Jaccard overlap with a predicted segment, / n.
double covering_single(const std::vector<int>& truth, const std::vector<int>& predictions, int n);

struct PredictedPoint {
  std::int64_t series = 0;
  int index = 0;
  TurnKind kind = TurnKind::unclassified;
};

struct EvalSummary {
  std::int64_t n_series = 0;
  int n_time = 0;
  int margin = 5;
  // Means over series of the per-series TCPD scores.
  double precision = 0, recall = 0, f1 = 0, cover = 0;
  std::int64_t n_true = 0;       // annotator 0's turning points
  std::int64_t n_predicted = 0;  // after cleaning
  std::int64_t n_matched = 0;    // predictions matched to annotator 0 within the margin
  // Kind: among matched pairs whose prediction has a kind (not unclassified).
  std::int64_t kind_total = 0, kind_correct = 0;
  std::int64_t kind_unclassified = 0;
  // Location error (prediction - truth, days) of matched pairs: histogram over
  // -margin..margin (element e + margin), mean absolute error, and quartiles.
  std::vector<std::int64_t> error_histogram;
  double mean_abs_error = 0, median_error = 0, q1_error = 0, q3_error = 0;
  std::vector<SeriesScore> per_series;  // [n_series]
  double kind_accuracy() const {
    return kind_total ? static_cast<double>(kind_correct) / static_cast<double>(kind_total) : 0.0;
  }
};

// predictions: any order. Truth points of annotators >= truth.n_annotators or series
// >= n_series are an error.
EvalSummary evaluate(const Truth& truth, const std::vector<PredictedPoint>& predictions,
                     std::int64_t n_series, int n_time, int margin);

// The same scores, series block by series block (`eval` of a file larger than memory): the
// predictions of series [first, end) -- all of them, in any order -- for blocks that follow
// each other from series 0, then finish() once every series was added. Memory: the truth
// and one score per series, not the predictions of the whole panel; the location-error
// quantiles come from their histogram (errors are whole days within the margin).
class Evaluation {
 public:
  Evaluation(const Truth& truth, std::int64_t n_series, int n_time, int margin);
  ~Evaluation();
  Evaluation(const Evaluation&) = delete;
  Evaluation& operator=(const Evaluation&) = delete;
  void add(std::int64_t first, std::int64_t end, const std::vector<PredictedPoint>& predictions);
  EvalSummary finish();

 private:
  struct Series;  // the truth by series (eval.cpp)
  std::unique_ptr<Series> series_;
  EvalSummary out_;
  std::int64_t next_ = 0;
};

}  // namespace turnpoint
