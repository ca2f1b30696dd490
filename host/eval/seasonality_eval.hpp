// Scores explained turning points against a generator's known truth (datasets/generator.hpp):
// the synthetic acceptance numbers of issue 4 (docs/seasonality.md) and the records the
// confidence calibration is fitted and checked on. The truth is the generator's injected
// points (annotator 0); nothing here comes from the code under test.
#pragma once
#include <cstdint>
#include <vector>

#include "datasets/generator.hpp"
#include "host/core/detections.hpp"

namespace turnpoint {

struct ReportedRecord {
  std::int64_t series = 0;
  int index = 0;
  TurnKind kind = TurnKind::event;
  double confidence = 0.0;
  double gain = 0.0;     // cost decrease the change brings (RSS / sigma^2)
  double step_z = 0.0;   // TurningPoint::step_z
  bool correct = false;  // a true point of the same kind within +- tolerance days
};

struct SyntheticScore {
  int n_true = 0;       // true points (annotator 0)
  int found3 = 0;       // true points with a reported point within +- 3 days
  int matched = 0;      // true points with a reported point within +- tolerance days
  int kind_ok = 0;      // of those, the nearest reported point has the true kind
  int reported = 0;
  int reported_true = 0;  // reported points that are correct (ReportedRecord::correct)
  double series_years = 0.0;
  std::vector<ReportedRecord> records;
};

// set: classify_and_score's output for the panel generated with `truth`; n_days the length.
SyntheticScore score_against_truth(const DetectionSet& set, const Truth& truth,
                                   std::int64_t n_series, int n_days, int tolerance = 7);

}  // namespace turnpoint
