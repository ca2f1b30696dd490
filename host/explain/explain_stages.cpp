#include "host/explain/explain_stages.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "host/explain/confidence_calibration.hpp"
#include "kernels/pattern_noise.hpp"

namespace turnpoint::explain {

namespace {

double median_of(const double* y, int n) {
  std::vector<double> v;
  for (int t = 0; t < n; ++t)
    if (y[t] == y[t]) v.push_back(y[t]);
  if (v.empty()) return 0.0;
  const std::size_t h = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<long>(h), v.end());
  return v[h];
}

}  // namespace

double robust_scale(const double* y, int n) {
  std::vector<double> v;
  double largest = 0.0;
  for (int t = 0; t < n; ++t)
    if (y[t] == y[t]) {
      v.push_back(y[t]);
      largest = std::max(largest, std::abs(y[t]));
    }
  if (v.empty() || !(largest > 0.0)) return 1.0;
  // Divide first so that squares cannot overflow for values near the double range.
  for (double& x : v) x /= largest;
  const double var = kernels::robust_variance(std::move(v));
  const double s = std::sqrt(var) * largest;
  return s > 0.0 && std::isfinite(s) ? s : largest;
}

ModelledPanel model_scale(const Panel& panel, bool log_scale, bool standardise) {
  const std::int64_t N = panel.n_series();
  const int T = panel.n_time();
  ModelledPanel m;
  m.values = panel.values;
  m.logged.assign(static_cast<std::size_t>(N), 0);
  m.scale.assign(static_cast<std::size_t>(N), 1.0);
  m.centre.assign(static_cast<std::size_t>(N), 0.0);
  for (std::int64_t i = 0; i < N; ++i) {
    double* y = m.values.data() + i * T;
    bool positive = true, any = false;
    for (int t = 0; t < T; ++t)
      if (y[t] == y[t]) {
        any = true;
        positive = positive && y[t] > 0.0;
      }
    if (log_scale && positive && any) {
      for (int t = 0; t < T; ++t) y[t] = std::log(y[t]);  // NaN stays NaN
      m.logged[i] = 1;
    }
    if (!standardise) continue;
    const double c = median_of(y, T);
    const double s = m.logged[i] ? 1.0 : robust_scale(y, T);
    // Scale first where the values are huge, so that y - c cannot overflow.
    for (int t = 0; t < T; ++t) y[t] = y[t] / s - c / s;
    m.centre[i] = c;
    m.scale[i] = s;
  }
  return m;
}

double relative_step(double move, double level_before, bool logged, double floor) {
  if (logged) return std::expm1(move);
  if (std::abs(level_before) > floor && level_before != 0.0 && std::isfinite(level_before))
    return move / std::abs(level_before);
  return std::nan("");
}

std::vector<TurningPoint> rank_and_keep(std::vector<TurningPoint> pts, int max_points) {
  std::vector<std::size_t> order(pts.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const double ca = std::isnan(pts[a].confidence) ? 0.0 : pts[a].confidence;
    const double cb = std::isnan(pts[b].confidence) ? 0.0 : pts[b].confidence;
    if (ca != cb) return ca > cb;
    return pts[a].gain > pts[b].gain;
  });
  const std::size_t keep = std::min(order.size(), static_cast<std::size_t>(std::max(max_points, 0)));
  std::vector<TurningPoint> kept;
  for (std::size_t k = 0; k < keep; ++k) {
    pts[order[k]].rank = static_cast<std::int32_t>(k + 1);
    kept.push_back(pts[order[k]]);
  }
  std::sort(kept.begin(), kept.end(),
            [](const TurningPoint& a, const TurningPoint& b) { return a.index < b.index; });
  return kept;
}

void describe_panel(const Panel& panel, DetectionSet& set) {
  if (set.time.empty()) {
    set.time = panel.time;
    set.frequency = panel.frequency;
  }
  if (set.region.empty()) set.region = panel.region;
  if (set.sector.empty()) set.sector = panel.sector;
  if (set.series_id.empty()) set.series_id = panel.series_id;
  if (set.units.empty()) set.units = panel.units;
}

nlohmann::json explain_settings_json(const ExplainOptions& o) {
  nlohmann::json j = {
      {"model", to_string(o.model)},
      {"trend", o.trend},
      {"weekly", o.weekly},
      {"yearly", o.yearly},
      {"holidays", o.holidays == HolidayCalendar::china  ? "china"
                   : o.holidays == HolidayCalendar::file ? o.holiday_file
                                                         : "none"},
      {"log_scale", o.log_scale},
      {"calibration", o.calibrate ? calibration_source(o.model) : "none (raw score)"},
      {"min_confidence", o.min_confidence},
      {"month_step_z", o.month_step_z},
      {"max_points", o.max_points}};
  if (o.model == ExplainModel::pattern) {
    j["pattern_yearly"] = o.pattern_yearly;
    j["months"] = o.months;
    j["seasonal_changes"] = o.seasonal_changes;
    j["penalty_multiplier"] = o.penalty_multiplier;
    j["max_changes"] = o.max_changes;
    j["min_gap"] = o.min_gap;
  } else {
    j["noise_batch"] = o.noise_batch;
    j["noise_batch_cap"] = o.noise_batch_cap;
    j["festival_profile"] = o.festival_profile;
    j["penalty_parameters"] = o.penalty_parameters;
    j["alpha"] = o.alpha;
    j["bootstrap"] = o.replicates;
    j["block"] = o.block;
    j["window"] = o.tolerance;
    j["search"] = o.search;
    j["scored"] = o.scored;
    j["interval"] = o.interval;
    j["seed"] = o.seed;
  }
  return j;
}

}  // namespace turnpoint::explain
