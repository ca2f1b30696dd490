#include "host/core/detections.hpp"
#include "host/core/panel_fingerprint.hpp"

#include <algorithm>
#include <numeric>

#include "host/core/config_json.hpp"

namespace turnpoint {

const char* to_string(TurnShape s) {
  switch (s) {
    case TurnShape::unknown: return "unknown";
    case TurnShape::level: return "level";
    case TurnShape::trend: return "trend";
    case TurnShape::level_trend: return "level+trend";
    case TurnShape::transient: return "transient";
    case TurnShape::weekly: return "weekly";
    case TurnShape::yearly: return "yearly";
  }
  return "?";
}

const char* to_string(TurnKind k) {
  switch (k) {
    case TurnKind::unclassified: return "unclassified";
    case TurnKind::event: return "event";
    case TurnKind::seasonal: return "seasonal";
  }
  return "?";
}

DetectionSet make_detection_set(const Panel& panel, const DetectConfig& config,
                                const DetectResult& result, const std::string& input) {
  DetectionSet set;
  set.time = panel.time;
  set.frequency = panel.frequency;
  set.region = panel.region;
  set.sector = panel.sector;
  set.series_id = panel.series_id;
  set.input = input;
  set.input_fingerprint = panel_fingerprint(panel);
  set.units = panel.units;
  set.config = config;
  set.config_json = config_to_json(config).dump();
  set.backend = to_string(result.backend_used);
  set.summary.resize(result.series.size());
  for (size_t i = 0; i < result.series.size(); ++i) {
    const SeriesDetection& r = result.series[i];
    SeriesSummary& s = set.summary[i];
    s.status = r.status;
    s.n_valid = r.n_valid;
    s.n_changes = static_cast<std::int32_t>(r.changes.size());
    s.cost = r.cost;
    s.penalty = r.penalty;
    s.sigma = r.sigma;
    // Rank 1 = the change whose removal would cost most (largest gain); ties by day.
    std::vector<size_t> order(r.changes.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return r.gains[a] > r.gains[b]; });
    std::vector<std::int32_t> rank(r.changes.size());
    for (size_t k = 0; k < order.size(); ++k) rank[order[k]] = static_cast<std::int32_t>(k + 1);
    for (size_t j = 0; j < r.changes.size(); ++j) {
      TurningPoint p;
      p.series = static_cast<std::int32_t>(i);
      p.index = r.changes[j];
      p.day = panel.time[static_cast<size_t>(r.changes[j])];
      p.gain = r.gains[j];
      p.rank = rank[j];
      set.points.push_back(p);
    }
    for (size_t k = 0; k < r.path.size(); ++k) {
      if (r.path[k].size() != k) continue;  // infeasible K (too short for k changes)
      PathEntry e;
      e.series = static_cast<std::int32_t>(i);
      e.k = static_cast<std::int32_t>(k);
      e.cost = r.path_cost[k];
      // Constructed, not assign()ed: GCC 12 warns (-Wnonnull) on assign() of an empty range.
      e.changes = std::vector<std::int32_t>(r.path[k].begin(), r.path[k].end());
      set.path.push_back(std::move(e));
    }
    for (const auto& c : r.crops) {
      CropsEntry e;
      e.series = static_cast<std::int32_t>(i);
      e.pen_lo = c.pen_lo;
      e.pen_hi = c.pen_hi;
      e.cost = c.cost;
      e.changes = std::vector<std::int32_t>(c.changes.begin(), c.changes.end());
      set.crops.push_back(std::move(e));
    }
  }
  return set;
}

}  // namespace turnpoint
