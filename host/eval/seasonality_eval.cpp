#include "host/eval/seasonality_eval.hpp"

#include <cstdlib>
#include <map>

namespace turnpoint {

SyntheticScore score_against_truth(const DetectionSet& set, const Truth& truth,
                                   std::int64_t n_series, int n_days, int tolerance) {
  SyntheticScore s;
  s.series_years = static_cast<double>(n_series) * n_days / 365.25;
  std::map<std::int64_t, std::vector<const TruthPoint*>> true_by_series;
  for (const TruthPoint& t : truth.points)
    if (t.annotator == 0) true_by_series[t.series].push_back(&t);
  std::map<std::int64_t, std::vector<const TurningPoint*>> found_by_series;
  for (const TurningPoint& p : set.points) found_by_series[p.series].push_back(&p);

  for (const auto& [series, ts] : true_by_series) {
    const auto& found = found_by_series[series];
    for (const TruthPoint* t : ts) {
      ++s.n_true;
      const TurningPoint* nearest = nullptr;
      for (const TurningPoint* p : found)
        if (!nearest || std::abs(p->index - t->index) < std::abs(nearest->index - t->index))
          nearest = p;
      if (!nearest) continue;
      const int dist = std::abs(nearest->index - t->index);
      s.found3 += dist <= 3;
      if (dist <= tolerance) {
        ++s.matched;
        s.kind_ok += nearest->kind == t->kind;
      }
    }
  }
  for (const TurningPoint& p : set.points) {
    ReportedRecord r;
    r.series = p.series;
    r.index = p.index;
    r.kind = p.kind;
    r.confidence = p.confidence;
    r.gain = p.gain;
    r.step_z = p.step_z;
    for (const TruthPoint* t : true_by_series[p.series])
      r.correct = r.correct || (t->kind == p.kind && std::abs(t->index - p.index) <= tolerance);
    ++s.reported;
    s.reported_true += r.correct;
    s.records.push_back(r);
  }
  return s;
}

}  // namespace turnpoint
