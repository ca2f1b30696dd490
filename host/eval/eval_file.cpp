#include "host/eval/eval_file.hpp"

#include <optional>
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

std::vector<EvalSummary> evaluate_sweep_file(const std::string& path, const SweepFile& header, const Truth& truth,
                                             int margin, std::size_t block_rows) {
  const std::int64_t n_series = header.n_series();
  const int n_time = static_cast<int>(header.time.size());
  const auto n_scenarios = static_cast<std::int32_t>(header.scenarios.size());
  std::vector<EvalSummary> out;
  std::optional<Evaluation> e;  // of scenario out.size()
  std::vector<PredictedPoint> pending;  // its points of series >= next
  std::int64_t next = 0;
  // Scores every scenario before `scenario` (those with no point included).
  const auto finish_until = [&](std::int32_t scenario) {
    while (static_cast<std::int32_t>(out.size()) < scenario) {
      if (!e) e.emplace(truth, n_series, n_time, margin);
      e->add(next, n_series, pending);
      out.push_back(e->finish());
      // The per-series scores of every scenario would be scenarios x series; `eval` of a
      // sweep reports the means only.
      std::vector<SeriesScore>().swap(out.back().per_series);
      e.reset();
      pending.clear();
      next = 0;
    }
    if (!e && scenario < n_scenarios) e.emplace(truth, n_series, n_time, margin);
  };
  std::int32_t last_scenario = 0, last_series = 0;
  bool in_order = true;
  read_sweep_point_blocks(path, header, block_rows, [&](const SweepPointBlock& b) {
    for (std::size_t k = 0; k < b.scenario.size(); ++k) {
      if (b.scenario[k] < last_scenario || (b.scenario[k] == last_scenario && b.series[k] < last_series)) {
        in_order = false;
        return false;
      }
      if (b.scenario[k] > last_scenario) {
        // Scenario last_scenario is complete.
        finish_until(b.scenario[k]);
        last_scenario = b.scenario[k];
      } else if (b.series[k] > last_series) {
        // Series before this one are complete in this scenario.
        finish_until(last_scenario);
        std::vector<PredictedPoint> done;
        done.swap(pending);
        e->add(next, b.series[k], done);
        next = b.series[k];
      }
      last_series = b.series[k];
      pending.push_back({b.series[k], b.index[k], TurnKind::unclassified});
    }
    return true;
  });
  if (!in_order) {
    // Another tool's order: every point at once, as before.
    const SweepFile sweep = read_sweep(path);
    std::vector<std::vector<PredictedPoint>> per(sweep.scenarios.size());
    for (const SweepPoint& p : sweep.points)
      per[static_cast<std::size_t>(p.scenario)].push_back({p.series, p.index, TurnKind::unclassified});
    out.clear();
    for (const auto& preds : per) {
      out.push_back(evaluate(truth, preds, n_series, n_time, margin));
      std::vector<SeriesScore>().swap(out.back().per_series);
    }
    return out;
  }
  finish_until(n_scenarios);
  return out;
}

}  // namespace turnpoint
