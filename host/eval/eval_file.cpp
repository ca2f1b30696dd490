#include "host/eval/eval_file.hpp"

#include <utility>
#include <vector>

#include "host/io/detections_io.hpp"

namespace turnpoint {

EvalSummary evaluate_detections_file(const std::string& path, const DetectionSet& header, const Truth& truth,
                                     int margin, std::size_t block_rows) {
  const auto n_series = static_cast<std::int64_t>(header.series_id.size());
  const int n_time = static_cast<int>(header.time.size());
  Evaluation e(truth, n_series, n_time, margin);
  std::vector<PredictedPoint> pending;  // points of series >= next, not yet scored
  std::int64_t next = 0, last = 0;
  bool in_order = true;
  read_point_blocks(path, header, block_rows, [&](const PointBlock& b) {
    for (std::size_t i = 0; i < b.series.size(); ++i) {
      if (b.series[i] < last) {
        in_order = false;
        return false;
      }
      last = b.series[i];
      pending.push_back({b.series[i], b.index[i], static_cast<TurnKind>(b.kind[i])});
    }
    // Every series before the block's last one is complete: score them.
    std::vector<PredictedPoint> done, rest;
    for (PredictedPoint& p : pending) (p.series < last ? done : rest).push_back(p);
    e.add(next, last, done);
    next = last;
    pending = std::move(rest);
    return true;
  });
  if (!in_order) {
    // Points in another order (another tool's file): the whole file, as before.
    const DetectionSet set = read_detections(path);
    std::vector<PredictedPoint> preds;
    preds.reserve(set.points.size());
    for (const TurningPoint& p : set.points) preds.push_back({p.series, p.index, p.kind});
    return evaluate(truth, preds, n_series, n_time, margin);
  }
  e.add(next, n_series, pending);
  return e.finish();
}

}  // namespace turnpoint
